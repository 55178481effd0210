import type { AddressInfo } from 'node:net';
import { createAuditLogger, WARNING_CODES } from '@auditline/core';
import { auditMiddleware } from '@auditline/express';
import { captureWarnings } from '@auditline/test-support';
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

      // Act: the expected warning is captured, not printed (issue #16).
      const during: unknown[] = [];
      const warnings = await captureWarnings(async () => {
        for (let i = 0; i < 3; i++) {
          during.push(await fetch(`${base}/orders`).then(async (r) => [r.status, await r.text()]));
        }
      });

      // Assess: same answers, the process is alive, and the failure was reported
      // once, with its code and the destination's error (any other warning fails).
      expect(during).toEqual([before, before, before]);
      expect(warnings).toEqual([
        {
          name: 'Warning',
          code: WARNING_CODES.auditFailure,
          message: 'auditline: writing the request audit entry failed: disk gone',
        },
      ]);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
