import { auditParamsSchema, createAuditLogger, runWithAuditContext } from '@auditline/core';
import { createMemorySink } from '@auditline/core/testing';
import { describe, expect, it } from 'vitest';
import {
  chainOverheadBytes,
  LINE_FIELD_CAPS,
  LINE_MEMBERS,
  LINE_PREFIX,
  LINK_TAIL_LENGTH,
  PARAM_MEMBERS,
  PREV_VALUE_OFFSET,
  staticHead,
} from '../src/line/index.js';

// Issue #14: the line's layout is declared once (src/line/). The writer, the
// chain and the verifier read it from there; these tests hold the table to
// the lines the logger really writes, so the table cannot drift from them.
const KEY = 'line-layout-key-0123456789abcdef';

function writeFullLine(options: { chain: boolean; details?: Record<string, unknown> }) {
  const sink = createMemorySink();
  const audit = createAuditLogger({
    service: 'orders-api',
    serviceVersion: '1.2.3',
    destination: sink,
    format: 'json',
    maxEntryBytes: 16384,
    ...(options.chain ? { integrity: { key: KEY, keyId: 'k-2026' } } : {}),
  });
  runWithAuditContext(
    {
      traceId: 'trace-layout-1',
      spanId: '00f067aa0ba902b7',
      ip: '203.0.113.7',
      method: 'DELETE',
      route: '/orders/:id',
      path: '/orders/42',
      userAgent: 'curl/8',
    },
    () =>
      audit.log({
        action: 'DELETE',
        resource: '/orders/42',
        status: 'SUCCESS',
        user_id: 'u-1',
        details: options.details ?? { reason: 'cleanup' },
      }),
  );
  return (sink.lines.at(-1) as string).slice(0, -1);
}

const tableKeys = LINE_MEMBERS.map((m) => m.key);

describe('the declared line layout', () => {
  it('lists the members of a real line in the order they are written (a wrong order would misread the positional verifier)', () => {
    const line = writeFullLine({ chain: true, details: { big: 'x'.repeat(20000) } });
    const written = Object.keys(JSON.parse(line) as object);
    // Every member written is declared, and in declared order.
    expect(written.filter((key) => !tableKeys.includes(key as never))).toEqual([]);
    expect(written).toEqual(tableKeys.filter((key) => written.includes(key)));
    // This line exercises every member but ecs (which needs ECS metadata; see staticHead below).
    expect(tableKeys.filter((key) => !written.includes(key))).toEqual(['ecs']);
  });

  it('starts every line with LINE_PREFIX and puts the static head between the timestamp and seq', () => {
    const line = writeFullLine({ chain: false });
    const parsed = JSON.parse(line) as { instance: string; timestamp: string; seq: number };
    const head = staticHead({
      service: 'orders-api',
      serviceVersion: '1.2.3',
      instance: parsed.instance,
    });
    expect(line.startsWith(`${LINE_PREFIX}${parsed.timestamp}${head}${parsed.seq},`)).toBe(true);
  });

  it('places ecs after instance and before seq, as the writer does once metadata arrives', () => {
    const head = staticHead({ service: 's', instance: 'i', ecs: { cluster: 'c' } });
    expect(head).toBe('","service":"s","instance":"i","ecs":{"cluster":"c"},"seq":');
  });

  it('gives the chain tail and overhead the chain really writes (a wrong overhead lets a chained line exceed maxEntryBytes)', () => {
    const chained = writeFullLine({ chain: true });
    const plain = JSON.parse(writeFullLine({ chain: false })) as Record<string, unknown>;
    const parsed = JSON.parse(chained) as { prev: string; hash: string };
    const tail = chained.slice(-LINK_TAIL_LENGTH);
    expect(tail).toBe(`,"prev":"${parsed.prev}","hash":"${parsed.hash}"}`);
    expect(tail.slice(PREV_VALUE_OFFSET, PREV_VALUE_OFFSET + 64)).toBe(parsed.prev);
    // The chain adds keyId, prev and hash: exactly chainOverheadBytes beyond the same line unchained.
    const unchained = { ...(JSON.parse(chained) as Record<string, unknown>) };
    delete unchained.keyId;
    delete unchained.prev;
    delete unchained.hash;
    const withoutChain = JSON.stringify(unchained);
    expect(Buffer.byteLength(chained) - Buffer.byteLength(withoutChain)).toBe(
      chainOverheadBytes('k-2026'),
    );
    expect(Object.keys(plain)).not.toContain('hash');
  });

  it('counts a non-ASCII keyId in bytes, not UTF-16 units', () => {
    expect(chainOverheadBytes('clé')).toBe(chainOverheadBytes('cle') + 1);
  });

  it('caps each string field as the params schema does (a drift would repair valid values or keep invalid ones)', () => {
    const shape = auditParamsSchema.shape as Record<string, unknown>;
    for (const [key, cap] of Object.entries(LINE_FIELD_CAPS)) {
      if (!(key in shape)) continue;
      const schema = auditParamsSchema;
      const at = { action: 'READ', resource: '/r', status: 'SUCCESS' } as Record<string, unknown>;
      const value = key === 'action' ? `A${'B'.repeat(cap - 1)}` : 'a'.repeat(cap);
      // status and ip_address are enums/validated formats: only the length bound is compared.
      if (key === 'status' || key === 'ip_address' || key === 'traceId') continue;
      expect(schema.safeParse({ ...at, [key]: value }).success, key).toBe(true);
      expect(schema.safeParse({ ...at, [key]: `${value}B` }).success, key).toBe(false);
    }
  });

  it('marks as droppable only optional members, so the size guard never cuts a required one', () => {
    for (const member of LINE_MEMBERS) {
      if (member.droppable) expect(member.required, member.key).toBe(false);
    }
    expect(LINE_MEMBERS.filter((m) => m.droppable).map((m) => m.key)).toEqual([
      'path',
      'user_agent',
    ]);
  });

  it('derives the params schema from the table: every param row and nothing else, required only when nothing else can fill it (a hand-kept shape would drift from the fast validator)', () => {
    // Prepare
    const shape = auditParamsSchema.shape as Record<string, { isOptional(): boolean }>;
    const memberKeys = LINE_MEMBERS.filter((m) => m.param !== undefined).map((m) => m.key);
    // Assess: the table's param rows, plus details and the guide's spellings (issue #12).
    expect(Object.keys(shape).sort()).toEqual([...memberKeys, 'details', 'userId', 'req'].sort());
    expect(PARAM_MEMBERS.map((m) => m.key).sort()).toEqual([...memberKeys].sort());
    const required = Object.keys(shape).filter((key) => !shape[key]?.isOptional());
    expect(required.sort()).toEqual(['action', 'resource', 'status']);
    // Members the logger alone writes are never params (SPEC §4.6: they cannot be forged).
    for (const key of ['seq', 'service', 'instance', 'timestamp', 'span_id', 'hash', 'prev']) {
      expect(shape[key], key).toBeUndefined();
    }
  });

  it("accepts through the fast path exactly the values each row's rule accepts (a drift would skip zod for a value it refuses)", () => {
    // Prepare: for each param row, a value at its bound and one past it.
    const sink = createMemorySink();
    const audit = createAuditLogger({ destination: sink, format: 'json' });
    const base = { action: 'READ', resource: '/r', status: 'SUCCESS' } as Record<string, unknown>;
    for (const member of PARAM_MEMBERS) {
      if (member.cap === undefined || member.key === 'status' || member.key === 'ip_address') {
        continue;
      }
      const fill = member.key === 'traceId' ? 'a' : 'B';
      const atCap =
        member.key === 'action' ? `A${'B'.repeat(member.cap - 1)}` : fill.repeat(member.cap);
      for (const [value, valid] of [
        [atCap, true],
        [`${atCap}B`, false],
      ] as const) {
        // Act
        const entry = audit.log({ ...base, [member.key]: value } as never);
        // Assess: a line flags the value exactly when the row's own schema refuses it.
        expect(member.param.schema.safeParse(value).success, member.key).toBe(valid);
        expect(member.param.accepts(value), member.key).toBe(valid);
        const issues = (entry.details as { validation_errors?: unknown[] } | null)
          ?.validation_errors;
        expect(issues === undefined, `${member.key} ${value.length}`).toBe(valid);
      }
    }
  });
});
