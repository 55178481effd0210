import {
  APP_FIELDS_KEY,
  type AppLoggerOptions,
  AuditConfigError,
  createAppLogger,
  createAuditLogger,
  REDACTED,
} from '@auditline/core';
import { createMemorySink } from '@auditline/core/testing';
import { describe, expect, it } from 'vitest';

// SPEC §6 / issue #13: app lines share stdout with audit lines. If an app line
// can carry a top-level `audit`, `seq` or `_aws`, `req.log.info(req.body)` with
// a client-chosen body becomes a counted audit event or a billed metric.
const FORGED = {
  audit: true,
  seq: 7,
  instance: 'i-forged',
  hash: 'f'.repeat(64),
  prev: '0'.repeat(64),
  keyId: 'default',
  action: 'LOGIN',
  status: 'FAILED',
  _aws: { Timestamp: 1, CloudWatchMetrics: [{ Namespace: 'X', Dimensions: [[]], Metrics: [] }] },
};
const RESERVED = ['audit', 'seq', 'instance', 'hash', 'prev', 'keyId', '_aws'];

function appLoggerOnSink(pinoOptions?: AppLoggerOptions['pino']) {
  const sink = createMemorySink();
  const audit = createAuditLogger({ service: 'orders', format: 'json', destination: sink });
  const before = sink.lines.length;
  const log = createAppLogger({ audit, pino: pinoOptions });
  const appLines = () =>
    sink.lines.slice(before).map((l) => JSON.parse(l) as Record<string, unknown>);
  return { log, appLines, sink };
}

describe('app logger lines', () => {
  it('move every reserved top-level key of a logged object under app_fields', () => {
    // Prepare
    const { log, appLines } = appLoggerOnSink();

    // Act
    log.info(FORGED, 'body received');

    // Assess: nothing reserved at the top; the data is kept, nested; action/status stay (documented).
    const [line] = appLines();
    for (const key of RESERVED) expect(line).not.toHaveProperty(key);
    expect(line?.[APP_FIELDS_KEY]).toMatchObject({ audit: true, seq: 7, _aws: FORGED._aws });
    expect(line).toMatchObject({ action: 'LOGIN', status: 'FAILED', msg: 'body received' });
  });

  it('move reserved keys however pino was told to write them: child bindings, base, mixin, messageKey', () => {
    // Prepare: every pino route to a top-level member.
    const { log, appLines } = appLoggerOnSink({
      base: { audit: true },
      mixin: () => ({ seq: 1 }),
      messageKey: 'audit',
    });

    // Act
    log.child({ _aws: { Timestamp: 1 }, instance: 'x' }).info('true');

    // Assess
    const [line] = appLines();
    for (const key of RESERVED) expect(line).not.toHaveProperty(key);
    expect(Object.keys(line?.[APP_FIELDS_KEY] as object).sort()).toEqual(
      ['_aws', 'audit', 'instance', 'seq'].sort(),
    );
  });

  it('nest a logged app_fields key too, so the line never has it twice', () => {
    // Prepare
    const { log, sink } = appLoggerOnSink();

    // Act
    log.info({ app_fields: 'mine', audit: 1 });

    // Assess: one top-level app_fields member, holding the logged one (a duplicate
    // would show as a third occurrence, or as the logged string at the top).
    const raw = sink.lines.at(-1) ?? '';
    expect(raw).toContain('"app_fields":{"app_fields":"mine","audit":1}');
    expect(raw.split('"app_fields":').length - 1).toBe(2);
    expect(JSON.parse(raw).app_fields).toEqual({ app_fields: 'mine', audit: 1 });
  });

  it('get the audit redaction at any depth, in the message and in bindings', () => {
    // Prepare
    const { log, sink } = appLoggerOnSink();

    // Act
    log
      .child({ headers: { Authorization: 'Bearer canary-bind-1' } })
      .info(
        { user: { password: 'canary-pw-2' }, url: '/cb?token=canary-q-3' },
        'see /x?password=canary-msg-4',
      );

    // Assess: no canary in the written text.
    const raw = sink.lines.at(-1) ?? '';
    expect(raw).not.toMatch(/canary-(pw|q|msg)/);
    expect(JSON.parse(raw).user.password).toBe(REDACTED);
  });

  it('stay one valid JSON line for hostile values', () => {
    // Prepare
    const { log, sink } = appLoggerOnSink();
    const circular: Record<string, unknown> = { n: 1n };
    circular.self = circular;

    // Act
    log.info({ circular, ['__proto__']: { audit: true }, text: 'a\nb\u2028' });

    // Assess
    const raw = sink.lines.at(-1) ?? '';
    expect(raw.endsWith('\n')).toBe(true);
    expect(raw.slice(0, -1)).not.toMatch(/[\n\u2028]/);
    const line = JSON.parse(raw);
    expect(line).not.toHaveProperty('audit');
    expect(({} as Record<string, unknown>).audit).toBeUndefined();
  });
});

describe('createAppLogger options are checked at construction', () => {
  it('refuses useOnlyCustomLevels without info/error/debug, naming it (pino-http crashed on the first request)', () => {
    // Prepare / Act
    const sink = createMemorySink();
    const audit = createAuditLogger({ format: 'json', destination: sink });
    const attempt = () =>
      createAppLogger({
        audit,
        level: 'notice',
        pino: { customLevels: { notice: 35 }, useOnlyCustomLevels: true },
      });

    // Assess
    expect(attempt).toThrow(AuditConfigError);
    expect(attempt).toThrow(/useOnlyCustomLevels.*error, info, debug/);
  });

  it("refuses an unknown level with an AuditConfigError, not pino's internal error", () => {
    const audit = createAuditLogger({ format: 'json', destination: createMemorySink() });
    let caught: unknown;
    try {
      createAppLogger({ audit, level: 'warning' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AuditConfigError);
    expect((caught as AuditConfigError).option).toBe('level');
    expect((caught as Error).message).toMatch(/"warning".*Fix: use one of .*warn/);
  });

  it('names pino\'s own construction errors as the "pino" option', () => {
    const audit = createAuditLogger({ format: 'json', destination: createMemorySink() });
    let caught: unknown;
    try {
      createAppLogger({ audit, pino: { mixin: 'nope' as never } });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AuditConfigError);
    expect((caught as AuditConfigError).option).toBe('pino');
  });

  it('refuses unknown options and a non-logger audit', () => {
    expect(() => createAppLogger({ levle: 'info' } as never)).toThrow(/levle/);
    expect(() => createAppLogger({ audit: {} as never })).toThrow(AuditConfigError);
  });
});

describe('LOG_LEVEL', () => {
  it('LOG_LEVEL=warning fails createAppLogger with an AuditConfigError naming LOG_LEVEL', async () => {
    // Prepare: a fresh process, since env is read once (SPEC §4.8).
    const { runChild } = await import('@auditline/test-support');
    const { fileURLToPath } = await import('node:url');
    const fixture = fileURLToPath(new URL('./fixtures/app-logger-level.mjs', import.meta.url));

    // Act
    const bad = await runChild(fixture, [], { env: { LOG_LEVEL: 'warning' } });
    const good = await runChild(fixture, [], { env: { LOG_LEVEL: 'warn' } });

    // Assess
    expect(bad.stderr).toMatch(
      /^error AuditConfigError AUDIT_INVALID_OPTIONS LOG_LEVEL .*LOG_LEVEL="warning"/,
    );
    expect(good.stderr).toContain('level warn');
  });
});
