import { fileURLToPath } from 'node:url';
import { runChild } from '@auditline/test-support';
import { describe, expect, it } from 'vitest';

// SPEC §4.8: option > env > default, env read once in config.ts. Each case is
// a fresh child process because the environment is read once per process.
const START = fileURLToPath(new URL('./fixtures/start-line.mjs', import.meta.url));

async function startLine(options: object, env: Record<string, string> = {}) {
  const result = await runChild(START, [JSON.stringify(options)], { env });
  return { result, entry: result.lines[0] ? JSON.parse(result.lines[0]) : undefined };
}

describe('configuration precedence', () => {
  it('uses defaults with no options and no env', async () => {
    const { entry } = await startLine({});
    expect(entry.service).toBe('unknown-service');
    expect(entry.details.max_entry_bytes).toBe(16_384);
    expect(entry.details.chain).toBe(false);
  });

  it('takes env over defaults', async () => {
    const { entry } = await startLine(
      {},
      {
        AUDIT_SERVICE_NAME: 'from-env',
        AUDIT_MAX_ENTRY_BYTES: '32768',
        AUDIT_HMAC_KEY: 'k'.repeat(32),
        AUDIT_HMAC_KEY_ID: 'k-2026',
        AUDIT_SERVICE_VERSION: '1.2.3',
      },
    );
    expect(entry.service).toBe('from-env');
    expect(entry.service_version).toBe('1.2.3');
    expect(entry.details.max_entry_bytes).toBe(32_768);
    expect(entry.details.chain).toBe(true);
    expect(entry.keyId).toBe('k-2026');
    expect(JSON.stringify(entry)).not.toContain('k'.repeat(32));
  });

  it('takes options over env', async () => {
    const { entry } = await startLine(
      { service: 'from-option', maxEntryBytes: 20_000, integrity: false },
      {
        AUDIT_SERVICE_NAME: 'from-env',
        AUDIT_MAX_ENTRY_BYTES: '32768',
        AUDIT_HMAC_KEY: 'k'.repeat(32),
      },
    );
    expect(entry.service).toBe('from-option');
    expect(entry.details.max_entry_bytes).toBe(20_000);
    expect(entry.details.chain).toBe(false);
    expect(entry.hash).toBeUndefined();
  });

  it.each([
    ['AUDIT_LOG_FORMAT', 'xml', /AUDIT_LOG_FORMAT/],
    ['AUDIT_MAX_ENTRY_BYTES', '999999', /AUDIT_MAX_ENTRY_BYTES/],
    ['AUDIT_HMAC_KEY', 'short', /AUDIT_HMAC_KEY is too short/],
  ])('fails at construction on a bad %s, naming the variable', async (name, value, message) => {
    const { result } = await startLine({}, { [name]: value });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/AuditConfigError/);
    expect(result.stderr).toMatch(message);
    expect(result.lines).toEqual([]);
  });

  it('writes JSON when stdout is a pipe, whatever NODE_ENV says', async () => {
    const { entry } = await startLine({}, { NODE_ENV: 'development' });
    expect(entry.details.format).toBe('json');
  });
});
