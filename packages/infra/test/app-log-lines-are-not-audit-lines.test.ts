import type { AddressInfo } from 'node:net';
import { createAuditLogger } from '@auditline/core';
import { createMemorySink } from '@auditline/core/testing';
import { emf, extractEmfMetrics } from '@auditline/emf';
import { auditMiddleware } from '@auditline/express';
import { AUDIT_LINE_PATTERN, auditInfrastructure, compileFilterPattern } from '@auditline/infra';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// SPEC §6 / issue #13: `req.log.info(req.body)` with a client-chosen body must
// not become an audit event (metric filters, the archive subscription, saved
// queries) or a billed CloudWatch metric (`_aws`). Checked end to end: a real
// Express server, the real middleware with EMF on, the generated template's
// patterns through the in-repo evaluator, and emf's extraction checker.
const FORGED_BODY = {
  audit: true,
  action: 'LOGIN',
  status: 'FAILED',
  user_id: 'alice',
  seq: 1,
  instance: 'forged',
  Action: 'LOGIN',
  Status: 'FAILED',
  AuditEventCount: 1,
  _aws: {
    Timestamp: Date.now(),
    CloudWatchMetrics: [
      {
        Namespace: 'Attacker/Billing',
        Dimensions: [['Action'], ['Action', 'Status']],
        Metrics: [{ Name: 'AuditEventCount', Unit: 'Count' }],
      },
    ],
  },
};

/** Every string under a key named `key`, anywhere in the template. */
function valuesNamed(node: unknown, key: string, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const item of node) valuesNamed(item, key, out);
  else if (typeof node === 'object' && node !== null) {
    for (const [k, v] of Object.entries(node)) {
      if (k === key && typeof v === 'string') out.push(v);
      else valuesNamed(v, key, out);
    }
  }
  return out;
}

/** Logs Insights counts `audit = 1` for a JSON true, 1, "1" or "true" (issue #13). */
function insightsAuditIsOne(line: Record<string, unknown>): boolean {
  return [true, 1, '1', 'true'].includes(line.audit as never);
}

describe('a forged audit body logged through req.log', () => {
  const sink = createMemorySink();
  let server: ReturnType<express.Express['listen']>;
  let appLines: string[] = [];
  let auditLines: string[] = [];

  beforeAll(async () => {
    // Prepare: the reference wiring with EMF on; the handler logs the body, as apps do.
    const audit = createAuditLogger({
      service: 'orders',
      format: 'json',
      destination: sink,
      plugins: [emf()],
      ecsMetadata: false,
    });
    const app = express();
    app.use(auditMiddleware({ logger: audit }));
    app.use(express.json());
    app.post('/api/login', (req, res) => {
      req.log.info(req.body, 'login attempt');
      req.log.info({ headers: req.headers }, 'headers');
      res.sendStatus(401);
    });
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as AddressInfo;

    // Act
    const res = await fetch(`http://127.0.0.1:${port}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer canary-hdr-1' },
      body: JSON.stringify(FORGED_BODY),
    });
    await res.text();
    for (let i = 0; i < 50 && !sink.lines.some((l) => l.includes('"ACCESS_DENIED"')); i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    appLines = sink.lines.filter((l) => l.includes('login attempt') || l.includes('"headers"'));
    auditLines = sink.lines.filter((l) => l.includes('"ACCESS_DENIED"'));
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('writes the app lines and the real audit line (control)', () => {
    expect(appLines).toHaveLength(2);
    expect(auditLines).toHaveLength(1);
    // Positive control: the real line is counted and makes metrics, so the checks below can fail.
    expect(compileFilterPattern(AUDIT_LINE_PATTERN)(auditLines[0] ?? '')).toBe(true);
    expect(extractEmfMetrics(auditLines[0] ?? '').length).toBeGreaterThan(0);
  });

  it.each(['json', 'emf'] as const)(
    'matches no metric filter or subscription filter of the generated template (%s)',
    (format) => {
      // Prepare
      const template = auditInfrastructure({
        service: 'orders',
        alertEmail: 'ops@example.com',
        emf: format === 'emf',
        archive: true,
        silentStreamAlarm: true,
      });
      const patterns = valuesNamed(template.Resources, 'FilterPattern');
      expect(patterns.length).toBeGreaterThanOrEqual(5);

      // Assess
      for (const pattern of patterns) {
        const matches = compileFilterPattern(pattern);
        for (const line of appLines)
          expect({ pattern, matched: matches(line) }).toEqual({ pattern, matched: false });
      }
    },
  );

  it('creates no EMF metric', () => {
    for (const line of appLines) expect(extractEmfMetrics(line)).toEqual([]);
  });

  it('is not counted by any saved query: none of them sees audit = 1 or a seq on it', () => {
    // Prepare
    const template = auditInfrastructure({ service: 'orders', alertEmail: 'ops@example.com' });
    const queries = valuesNamed(template.Resources, 'QueryString');
    expect(queries.length).toBeGreaterThanOrEqual(8);

    // Assess: every saved query filters on the audit marker, which app lines cannot carry.
    for (const query of queries) expect(query).toMatch(/audit = 1/);
    for (const line of appLines) {
      const parsed = JSON.parse(line) as Record<string, unknown>;
      expect(insightsAuditIsOne(parsed)).toBe(false);
      expect(parsed).not.toHaveProperty('seq');
      expect(parsed).not.toHaveProperty('_aws');
    }
    // The body's data is kept, nested under app_fields (SPEC §6).
    const body = JSON.parse(appLines.find((l) => l.includes('login attempt')) ?? '{}');
    expect(body.app_fields).toMatchObject({ audit: true, seq: 1, _aws: FORGED_BODY._aws });
  });

  it('redacts the headers logged through req.log', () => {
    expect(appLines.join('\n')).not.toContain('canary-hdr-1');
  });
});
