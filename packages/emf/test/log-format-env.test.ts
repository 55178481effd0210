import { fileURLToPath } from 'node:url';
import { extractEmfMetrics } from '@auditline/emf';
import { runChild } from '@auditline/test-support';
import { describe, expect, it } from 'vitest';
import { expectValidEmf, type Line } from './support/emf-assertions.js';

const SCRIPT = fileURLToPath(new URL('./fixtures/emf-format.mjs', import.meta.url));

describe('AUDIT_LOG_FORMAT=emf with @auditline/emf/register, in a real process', () => {
  it('turns EMF on with defaults: every stdout line is valid EMF in <service>/Audit', async () => {
    // Act
    const out = await runChild(SCRIPT, ['--register'], {
      env: {
        AUDIT_LOG_FORMAT: 'emf',
        AUDIT_EMF_NAMESPACE: '',
      },
    });

    // Assess
    expect(out.code).toBe(0);
    const lines = out.lines.map((l) => JSON.parse(l) as Line);
    expect(lines.map((l) => l.action)).toEqual(['AUDIT_START', 'LOGIN', 'DELETE', 'AUDIT_STOP']);
    for (const line of lines) {
      expectValidEmf(line);
      expect(line._aws.CloudWatchMetrics[0]?.Namespace).toBe('orders-api/Audit');
    }
    expect(lines[1]).toMatchObject({
      Action: 'LOGIN',
      Status: 'FAILED',
      AuditEventCount: 1,
      ActionDuration: 7,
    });
    expect(extractEmfMetrics(lines[2])).toHaveLength(2);
  });

  it('takes the namespace from AUDIT_EMF_NAMESPACE', async () => {
    // Act
    const out = await runChild(SCRIPT, ['--register'], {
      env: {
        AUDIT_LOG_FORMAT: 'emf',
        AUDIT_EMF_NAMESPACE: 'Shop/Security',
      },
    });

    // Assess
    expect(out.code).toBe(0);
    const namespaces = out.lines.map(
      (l) => (JSON.parse(l) as Line)._aws.CloudWatchMetrics[0]?.Namespace,
    );
    expect(new Set(namespaces)).toEqual(new Set(['Shop/Security']));
  });

  it('fails start-up, naming the fix, when AUDIT_EMF_NAMESPACE is reserved', async () => {
    // Act
    const out = await runChild(SCRIPT, ['--register'], {
      env: {
        AUDIT_LOG_FORMAT: 'emf',
        AUDIT_EMF_NAMESPACE: 'AWS/Foo',
      },
    });

    // Assess
    expect(out.code).not.toBe(0);
    expect(out.lines).toEqual([]);
    expect(out.stderr).toContain('AUDIT_EMF_NAMESPACE');
    expect(out.stderr).toContain('reserved');
  });

  it('writes plain JSON without _aws when the format is json', async () => {
    // Act
    const out = await runChild(SCRIPT, ['--register'], { env: { AUDIT_LOG_FORMAT: 'json' } });

    // Assess
    expect(out.code).toBe(0);
    expect(out.lines).toHaveLength(4);
    for (const l of out.lines) expect(JSON.parse(l)).not.toHaveProperty('_aws');
  });

  it('refuses to start when the format is emf but the plugin was never registered', async () => {
    // Act
    const out = await runChild(SCRIPT, [], { env: { AUDIT_LOG_FORMAT: 'emf' } });

    // Assess: no silent fallback to lines without metrics.
    expect(out.code).not.toBe(0);
    expect(out.lines).toEqual([]);
    expect(out.stderr).toContain('@auditline/emf');
  });
});
