import { createAuditLogger, DEFAULT_MAX_ENTRY_BYTES } from '@auditline/core';
import { createMemorySink } from '@auditline/core/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

// SPEC §4.6, §6 / issue #13: random details trees with shared references,
// [name, value] pairs, Maps, Headers and secrets always give exactly one
// valid line, with no secret in it or in what log() returns, within the line
// budget. A failure names the seed and the tree.

const SECRET_SHAPE = /CNRY\d+Zq/;
const SECRET_NAMES = [
  'password',
  'accessToken',
  'x-api-key',
  'Set-Cookie',
  'client_secret',
  'sessionToken',
  'jwt',
];

describe('random details trees (property, issue #13)', () => {
  it('always give one valid, redacted line within budget (1,000 runs)', () => {
    // Prepare
    const sink = createMemorySink();
    const audit = createAuditLogger({ destination: sink, format: 'json' });
    let n = 0;
    const secret = fc.constant(null).map(() => `CNRY${++n}Zq`);
    const name = fc.constantFrom(...SECRET_NAMES);
    const leaf = fc.oneof(
      fc.string({ maxLength: 8 }),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
    );
    // Secrets as a key, as a pair, in Headers, in a Map, in text.
    const secretHolder = fc.oneof(
      fc.tuple(name, secret).map(([k, v]) => ({ [k]: v })),
      fc.tuple(name, secret).map(([k, v]) => [k, v]),
      fc.tuple(name, secret).map(([k, v]) => ['Host', 'h', k, v]),
      secret.map((v) => new Headers({ authorization: `Bearer ${v}` })),
      fc.tuple(name, secret).map(([k, v]) => new Map([[k, v]])),
      fc.tuple(name, secret).map(([k, v]) => `GET /x?${k}=${v}&page=1`),
    );
    const tree = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        leaf,
        secretHolder,
        fc.array(tie('node'), { maxLength: 4 }),
        fc.dictionary(fc.string({ maxLength: 6 }), tie('node'), { maxKeys: 4 }),
        fc
          .array(fc.tuple(fc.string({ maxLength: 6 }), tie('node')), { maxLength: 3 })
          .map((e) => new Map(e)),
      ),
    })).node;
    // Shared references: the same subtree placed under many keys, several levels deep.
    const details = fc
      .tuple(tree, fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 6 }))
      .map(([subtree, fanOut, levels]) => {
        let node: unknown = subtree;
        for (let level = 0; level < levels; level++) {
          const next: Record<string, unknown> = {};
          for (let i = 0; i < fanOut; i++) next[`k${i}`] = node;
          node = next;
        }
        return { root: node, also: subtree };
      });
    // Act and assess
    fc.assert(
      fc.property(details, (d) => {
        sink.clear();
        const entry = audit.log({
          action: 'UPDATE',
          resource: '/r',
          status: 'SUCCESS',
          details: d,
        });
        expect(sink.lines).toHaveLength(1);
        const raw = sink.lines[0] as string;
        expect(Buffer.byteLength(raw)).toBeLessThanOrEqual(DEFAULT_MAX_ENTRY_BYTES);
        expect(JSON.parse(raw)).toEqual(entry);
        // Every secret has this shape (generated values are made before the run,
        // so they are matched by shape, not by number).
        expect(raw).not.toMatch(SECRET_SHAPE);
        expect(JSON.stringify(entry)).not.toMatch(SECRET_SHAPE);
      }),
      { numRuns: 1_000 },
    );
  });
});
