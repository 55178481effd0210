import { closeSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AuditConfigError,
  type AuditLoggerOptions,
  AuditlineConfigError,
  createAuditLogger,
} from '@auditline/core';
import { createMemorySink } from '@auditline/core/testing';
import { describe, expect, it } from 'vitest';

// SPEC §4.3 / STYLE "Options and errors": a bad option fails at construction
// with an AuditConfigError whose message names the option and the fix. If these
// fail, a misconfigured service starts and writes a wrong or partial trail.
const cases: [string, unknown, RegExp][] = [
  ['service', { service: '' }, /service/],
  ['format', { format: 'xml' }, /format.*"json", "pretty" or "emf"/],
  ['maxEntryBytes', { maxEntryBytes: 300_000 }, /maxEntryBytes.*262000/],
  ['maxEntryBytes', { maxEntryBytes: 100 }, /maxEntryBytes/],
  ['maxEntryBytes', { maxEntryBytes: 1.5 }, /maxEntryBytes/],
  ['onInvalid', { onInvalid: 'ignore' }, /onInvalid.*"emit"/],
  ['integrity', { integrity: { key: 'short' } }, /integrity.*16 characters/],
  ['destination', { destination: { nope: true } }, /destination.*write/],
  // issue #14: an fd is a whole non-negative number; anything else names the fd form.
  ['destination', { destination: -1 }, /destination.*file descriptor/],
  ['destination', { destination: 1.5 }, /destination.*file descriptor/],
  ['plugins', { plugins: [{}] }, /plugins/],
  ['handleSignals', { handleSignals: 'yes' }, /handleSignals/],
  ['redact', { redact: 'password' }, /redact/],
  ['colour', { colour: true }, /unknown option.*colour/],
  ['onStall', { onStall: 'wait' }, /onStall.*"block".*"exit"/],
  ['stallTimeoutMs', { stallTimeoutMs: 0 }, /stallTimeoutMs.*milliseconds/],
  ['routeStdout', { routeStdout: 'yes' }, /routeStdout/],
];

describe('invalid options', () => {
  it.each(cases)('reject %s with a message naming it', (option, options, message) => {
    let caught: unknown;
    try {
      createAuditLogger(options as AuditLoggerOptions);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AuditConfigError);
    const error = caught as AuditConfigError;
    expect(error.code).toBe('AUDIT_INVALID_OPTIONS');
    expect(error.option).toContain(option);
    expect(error.message).toMatch(message);
    expect(error.message).toMatch(/Fix:|Known options/);
  });

  it('never echoes the HMAC key in the error', () => {
    expect(() => createAuditLogger({ integrity: { key: 'sekrit-key' } })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('sekrit-key') }),
    );
  });

  it('is one AuditlineConfigError carrying the option, a value preview and the fix (issue #14)', () => {
    let caught: unknown;
    try {
      createAuditLogger({ maxEntryBytes: 300_000 });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AuditlineConfigError);
    expect(caught).toBeInstanceOf(AuditConfigError);
    const error = caught as AuditlineConfigError;
    expect(error.option).toBe('maxEntryBytes');
    expect(error.valuePreview).toBe('300000');
    expect(error.fix).toMatch(/16384 and 262000/);
  });

  it('previews a secret option as [hidden]', () => {
    let caught: unknown;
    try {
      createAuditLogger({ integrity: { key: 'sekrit-key' } });
    } catch (error) {
      caught = error;
    }
    expect((caught as AuditlineConfigError).valuePreview).toBe('[hidden]');
  });

  it('refuses the fd-writer options beside a custom destination, which would silently ignore them', () => {
    for (const option of [
      { onStall: 'exit' },
      { stallTimeoutMs: 5 },
      { routeStdout: false },
    ] as const) {
      expect(() => createAuditLogger({ destination: createMemorySink(), ...option })).toThrow(
        /applies only to the built-in fd 1 writer/,
      );
    }
  });

  it('accepts the fd-writer options beside an fd destination, which uses that writer (issue #14)', async () => {
    // Prepare: a file's descriptor, so the lines can be read back.
    const file = join(mkdtempSync(join(tmpdir(), 'auditline-fd-')), 'audit.ndjson');
    const fd = openSync(file, 'w');

    // Act
    const audit = createAuditLogger({ destination: fd, onStall: 'exit', routeStdout: false });
    audit.log({ action: 'DELETE', resource: '/users/1', status: 'SUCCESS' });
    await audit.close();
    closeSync(fd);

    // Assess: the lines are in that file, so the fd was written, not fd 1.
    const actions = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { action: string }).action);
    expect(actions).toEqual(['AUDIT_START', 'DELETE', 'AUDIT_STOP']);
  });

  it('refuses destination and pino together, since both choose where lines go', () => {
    expect(() =>
      createAuditLogger({
        destination: createMemorySink(),
        pino: { level: 'info', child: () => ({}) } as never,
      }),
    ).toThrow(/only one of them/);
  });

  it('refuses a plugin that claims a core field, so user data cannot be forged through it', () => {
    const plugin = { name: 'evil', reservedKeys: ['seq'], setup: () => ({ fragment: () => '' }) };
    expect(() => createAuditLogger({ destination: createMemorySink(), plugins: [plugin] })).toThrow(
      /plugin "evil" claims the top-level key "seq"/,
    );
  });

  it('refuses a plugin member named like a prototype key: the returned entry could not hold it (SPEC §4.6)', () => {
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      const plugin = { name: 'odd', reservedKeys: [key], setup: () => ({ fragment: () => '' }) };
      expect(() =>
        createAuditLogger({ destination: createMemorySink(), plugins: [plugin] }),
      ).toThrow(
        new RegExp(`plugin "odd" claims the top-level key "${key}", a JavaScript prototype key`),
      );
    }
  });

  it('refuses format emf when no emf plugin is registered, naming the fix', () => {
    expect(() => createAuditLogger({ destination: createMemorySink(), format: 'emf' })).toThrow(
      /@auditline\/emf\/register/,
    );
  });

  it('does not mutate the caller options object', () => {
    const options = Object.freeze({ service: 'frozen', destination: createMemorySink() });
    expect(() => createAuditLogger(options)).not.toThrow();
    expect(Object.keys(options)).toEqual(['service', 'destination']);
  });
});
