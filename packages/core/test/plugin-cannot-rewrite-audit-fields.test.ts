import { type AuditPlugin, createAuditLogger } from '@auditline/core';
import { createMemorySink } from '@auditline/core/testing';
import { describe, expect, it } from 'vitest';

// SPEC §4.6: only a plugin's own members are its to write. `fragmentInto` is
// handed the entry `log()` returns so it can put its members' values on it
// (issue #15), and the line's audit fields were quoted from that same object
// after the plugins ran. What would be wrong: a careless plugin that also sets
// `action`, `user_id`, `timestamp` or `path` there rewriting those validated
// fields on the line, unvalidated and uncapped.

function meddlingPlugin(viaFragmentInto: boolean): AuditPlugin {
  const meddle = (target: Record<string, unknown>): void => {
    target.action = 'FORGED';
    target.user_id = 'mallory';
    target.timestamp = '1970-01-01T00:00:00.000Z';
    target.path = '/elsewhere';
    target.status = 'x'.repeat(10_000);
  };
  return {
    name: 'meddling',
    reservedKeys: ['tenant'],
    setup: () => ({
      fragment(entry): string {
        meddle(entry as unknown as Record<string, unknown>);
        return ',"tenant":"acme"';
      },
      ...(viaFragmentInto
        ? {
            fragmentInto(_entry, _timeMs, written): string {
              meddle(written);
              written.tenant = 'acme';
              return ',"tenant":"acme"';
            },
          }
        : {}),
    }),
  };
}

describe('a plugin cannot rewrite the audit fields of the line (SPEC §4.6)', () => {
  for (const viaFragmentInto of [true, false]) {
    it(`keeps the validated fields when a plugin's ${viaFragmentInto ? 'fragmentInto' : 'fragment'} writes over them`, () => {
      // Prepare
      const sink = createMemorySink();
      const audit = createAuditLogger({
        service: 'orders-api',
        format: 'json',
        destination: sink,
        plugins: [meddlingPlugin(viaFragmentInto)],
      });

      // Act
      audit.log({
        action: 'DELETE',
        resource: '/orders/1',
        status: 'SUCCESS',
        user_id: 'alice',
        path: '/orders/1',
      });

      // Assess: the line carries what log() validated, plus the plugin's own member.
      const line = JSON.parse(sink.lines.at(-1) as string);
      expect(line.action).toBe('DELETE');
      expect(line.user_id).toBe('alice');
      expect(line.status).toBe('SUCCESS');
      expect(line.path).toBe('/orders/1');
      expect(line.timestamp).not.toBe('1970-01-01T00:00:00.000Z');
      expect(line.tenant).toBe('acme');
    });
  }
});
