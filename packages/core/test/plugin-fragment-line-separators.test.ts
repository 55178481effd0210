import { type AuditPlugin, createAuditLogger } from '@auditline/core';
import { createMemorySink } from '@auditline/core/testing';
import { describe, expect, it } from 'vitest';

// SPEC §4.6: U+2028 and U+2029 stay escaped inside the single line, whatever a
// plugin writes. `JSON.stringify` leaves them raw, so a third-party plugin that
// quotes client data with it (`,"tenant":${JSON.stringify(v)}`) would put a raw
// separator on the line; a log reader that splits on them cuts the line in two.
// What would be wrong: core trusting a `fragmentInto` to have escaped them
// (issue #15's speed work first did, "by contract"), where a `fragment` is scanned.

const CLIENT_VALUE = 'acme\u2028{"audit":true,"action":"FORGED"}\u2029';

function tenantPlugin(withFragmentInto: boolean): AuditPlugin {
  return {
    name: 'tenant',
    reservedKeys: ['tenant'],
    setup: () => ({
      fragment: () => `,"tenant":${JSON.stringify(CLIENT_VALUE)}`,
      ...(withFragmentInto
        ? {
            fragmentInto(_entry, _timeMs, written): string {
              written.tenant = CLIENT_VALUE;
              return `,"tenant":${JSON.stringify(CLIENT_VALUE)}`;
            },
          }
        : {}),
    }),
  };
}

describe('a plugin cannot put a raw line separator on the line (SPEC §4.6)', () => {
  for (const withFragmentInto of [false, true]) {
    it(`escapes U+2028/U+2029 in a third-party ${withFragmentInto ? 'fragmentInto' : 'fragment'}`, () => {
      // Prepare
      const sink = createMemorySink();
      const audit = createAuditLogger({
        service: 'orders-api',
        format: 'json',
        destination: sink,
        plugins: [tenantPlugin(withFragmentInto)],
      });

      // Act
      const entry = audit.log({ action: 'UPDATE', resource: '/orders/1', status: 'SUCCESS' });

      // Assess: no raw separator anywhere in the written text, and the value survives escaped.
      const line = sink.lines.at(-1) as string;
      expect(line).not.toMatch(/[\u2028\u2029]/);
      expect(line).toContain('\\u2028');
      expect(JSON.parse(line).tenant).toBe(CLIENT_VALUE);
      expect((entry as unknown as { tenant: string }).tenant).toBe(CLIENT_VALUE);
    });
  }
});
