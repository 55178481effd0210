import { createAuditLogger, getAuditContext, logAudit, runWithAuditContext } from '@auditline/core';
import { createMemorySink } from '@auditline/core/testing';
import { describe, expect, it } from 'vitest';

// SPEC §4.9: log() anywhere inside a unit of work takes traceId, user, ip, UA,
// method and path from the AsyncLocalStorage context; explicit params win.
describe('audit context', () => {
  it('fills fields across await, timers and promises, and explicit params win', async () => {
    const sink = createMemorySink();
    const audit = createAuditLogger({ destination: sink });
    const ctx = {
      traceId: 'job-42',
      userId: 'system:billing',
      ip: '::ffff:10.0.0.1',
      userAgent: 'worker/1',
      method: 'JOB',
      path: '/jobs/charge?token=abc',
      logger: audit,
    };

    await runWithAuditContext(ctx, async () => {
      await new Promise((r) => setTimeout(r, 5));
      logAudit({ action: 'CHARGE', resource: '/customers/1', status: 'SUCCESS' });
      await Promise.resolve().then(() =>
        logAudit({
          action: 'CHARGE',
          resource: '/customers/2',
          status: 'FAILED',
          user_id: 'explicit',
        }),
      );
    });

    const [first, second] = sink.events();
    expect(first).toMatchObject({
      traceId: 'job-42',
      user_id: 'system:billing',
      ip_address: '::ffff:10.0.0.1',
      user_agent: 'worker/1',
      method: 'JOB',
      path: '/jobs/charge?token=[REDACTED]',
    });
    expect(second?.user_id).toBe('explicit');
    expect(second?.traceId).toBe('job-42');
  });

  it('keeps concurrent contexts apart', async () => {
    const sink = createMemorySink();
    const audit = createAuditLogger({ destination: sink });
    const job = (id: string, delay: number) =>
      runWithAuditContext({ traceId: id, logger: audit }, async () => {
        await new Promise((r) => setTimeout(r, delay));
        logAudit({ action: 'READ', resource: `/${id}`, status: 'SUCCESS' });
      });

    await Promise.all([job('a', 20), job('b', 1), job('c', 10)]);

    for (const entry of sink.events()) expect(entry.resource).toBe(`/${entry.traceId}`);
    expect(getAuditContext()).toBeUndefined();
  });

  it('ignores a context trace id or ip that is not valid, never logging it raw', () => {
    const sink = createMemorySink();
    const audit = createAuditLogger({ destination: sink });
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a Log4Shell-shaped hostile trace id, on purpose
    runWithAuditContext({ traceId: '${jndi:ldap://x}', ip: '<script>' }, () =>
      audit.log({ action: 'READ', resource: '/x', status: 'SUCCESS' }),
    );
    const line = sink.lines.at(-1) ?? '';
    expect(line).not.toContain('jndi');
    expect(line).not.toContain('<script>');
    expect(JSON.parse(line).traceId).toMatch(/^[0-9a-f-]{36}$/);
  });
});
