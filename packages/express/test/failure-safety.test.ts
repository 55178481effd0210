import type { AddressInfo } from 'node:net';
import { createAuditLogger, WARNING_CODES } from '@auditline/core';
import { auditMiddleware } from '@auditline/express';
import express from 'express';
import { describe, expect, it } from 'vitest';

describe('an exception inside auditing never changes the response (SPEC §5.8)', () => {
  it('keeps serving, with identical responses, when the audit destination throws', async () => {
    // Prepare: a destination that breaks after start-up.
    const state = { broken: false, lines: 0 };
    const audit = createAuditLogger({
      format: 'json',
      ecsMetadata: false,
      destination: {
        write(): boolean {
          if (state.broken) throw new Error('disk gone');
          state.lines++;
          return true;
        },
      },
    });
    const warnings: string[] = [];
    const onWarning = (w: Error & { code?: string }): void => {
      if (w.code === WARNING_CODES.auditFailure) warnings.push(w.message);
    };
    process.on('warning', onWarning);
    const app = express();
    app.use(auditMiddleware({ logger: audit }));
    app.get('/orders', (_req, res) => {
      res.json({ orders: [1, 2] });
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    try {
      const before = await fetch(`${base}/orders`).then(async (r) => [r.status, await r.text()]);
      state.broken = true;

      // Act
      const during = [];
      for (let i = 0; i < 3; i++) {
        during.push(await fetch(`${base}/orders`).then(async (r) => [r.status, await r.text()]));
      }
      await new Promise((resolve) => setImmediate(resolve));

      // Assess: same answers, the process is alive, and the failure was reported once.
      expect(during).toEqual([before, before, before]);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain('disk gone');
    } finally {
      process.off('warning', onWarning);
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
