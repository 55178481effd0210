import {
  AUDIT_FIELDS,
  auditEntryJsonSchema,
  auditEntrySchema,
  createAuditLogger,
  runWithAuditContext,
} from '@auditline/core';
import { createMemorySink } from '@auditline/core/testing';
import { describe, expect, it } from 'vitest';

// SPEC §3: the entry schema is exported as JSON Schema for downstream
// consumers (data lakes, SIEM parsers). It must be a valid draft 2020-12
// document, and every line the logger really writes must be described by it.

type Schema = Record<string, unknown>;

const DRAFT_2020_12 = 'https://json-schema.org/draft/2020-12/schema';

/** Every keyword of the draft 2020-12 core, applicator, validation, format and meta-data vocabularies. */
const KNOWN_KEYWORDS = new Set([
  '$schema',
  '$id',
  '$ref',
  '$defs',
  '$anchor',
  '$dynamicRef',
  '$dynamicAnchor',
  '$vocabulary',
  '$comment',
  'allOf',
  'anyOf',
  'oneOf',
  'not',
  'if',
  'then',
  'else',
  'dependentSchemas',
  'prefixItems',
  'items',
  'contains',
  'properties',
  'patternProperties',
  'additionalProperties',
  'propertyNames',
  'unevaluatedItems',
  'unevaluatedProperties',
  'type',
  'enum',
  'const',
  'multipleOf',
  'maximum',
  'exclusiveMaximum',
  'minimum',
  'exclusiveMinimum',
  'maxLength',
  'minLength',
  'pattern',
  'maxItems',
  'minItems',
  'uniqueItems',
  'maxContains',
  'minContains',
  'maxProperties',
  'minProperties',
  'required',
  'dependentRequired',
  'format',
  'title',
  'description',
  'default',
  'deprecated',
  'readOnly',
  'writeOnly',
  'examples',
]);
const TYPES = new Set(['null', 'boolean', 'object', 'array', 'number', 'string', 'integer']);
/** Keywords whose value is a map of subschemas, a list of subschemas, or one subschema. */
const MAP_OF_SCHEMAS = new Set(['properties', 'patternProperties', '$defs', 'dependentSchemas']);
const LIST_OF_SCHEMAS = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);
const ONE_SCHEMA = new Set([
  'not',
  'if',
  'then',
  'else',
  'items',
  'contains',
  'additionalProperties',
  'propertyNames',
  'unevaluatedItems',
  'unevaluatedProperties',
]);

/** Structural check of a schema against the 2020-12 meta-schema rules this export can use. */
function metaProblems(schema: unknown, at = '#'): string[] {
  if (typeof schema === 'boolean') return [];
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema))
    return [`${at}: not a schema`];
  const problems: string[] = [];
  for (const [keyword, value] of Object.entries(schema)) {
    const here = `${at}/${keyword}`;
    if (!KNOWN_KEYWORDS.has(keyword)) problems.push(`${here}: unknown keyword`);
    if (MAP_OF_SCHEMAS.has(keyword)) {
      for (const [name, sub] of Object.entries(value as object))
        problems.push(...metaProblems(sub, `${here}/${name}`));
    } else if (LIST_OF_SCHEMAS.has(keyword)) {
      if (!Array.isArray(value) || value.length === 0)
        problems.push(`${here}: must be a non-empty array`);
      else {
        value.forEach((sub, i) => {
          problems.push(...metaProblems(sub, `${here}/${i}`));
        });
      }
    } else if (ONE_SCHEMA.has(keyword)) {
      problems.push(...metaProblems(value, here));
    } else if (keyword === 'type') {
      const types = Array.isArray(value) ? value : [value];
      if (!types.every((t) => TYPES.has(t as string)))
        problems.push(`${here}: bad type ${String(value)}`);
    } else if (keyword === 'required') {
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'string'))
        problems.push(`${here}: not string[]`);
    } else if (keyword === 'pattern') {
      try {
        new RegExp(value as string, 'u');
      } catch {
        problems.push(`${here}: not an ECMA-262 regex`);
      }
    } else if (['minLength', 'maxLength', 'minItems', 'maxItems'].includes(keyword)) {
      if (!Number.isInteger(value) || (value as number) < 0)
        problems.push(`${here}: not a non-negative integer`);
    } else if (['maximum', 'minimum', 'exclusiveMaximum', 'exclusiveMinimum'].includes(keyword)) {
      if (typeof value !== 'number') problems.push(`${here}: not a number`);
    } else if (keyword === 'enum' && (!Array.isArray(value) || value.length === 0)) {
      problems.push(`${here}: must be a non-empty array`);
    }
  }
  return problems;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** A minimal validator for the keywords the export uses; enough to check real lines against it. */
function violations(schema: unknown, value: unknown, at = '$'): string[] {
  if (
    schema === true ||
    (typeof schema === 'object' && schema !== null && Object.keys(schema).length === 0)
  )
    return [];
  if (schema === false) return [`${at}: not allowed`];
  const s = schema as Schema;
  const out: string[] = [];
  if (s.type !== undefined) {
    const types = (Array.isArray(s.type) ? s.type : [s.type]) as string[];
    const actual = typeOf(value);
    if (!types.includes(actual) && !(actual === 'integer' && types.includes('number'))) {
      return [`${at}: ${actual} is not ${types.join('|')}`];
    }
  }
  if ('const' in s && JSON.stringify(s.const) !== JSON.stringify(value))
    out.push(`${at}: not the const`);
  if (Array.isArray(s.enum) && !s.enum.includes(value)) out.push(`${at}: not in enum`);
  if (typeof value === 'string') {
    if (typeof s.minLength === 'number' && value.length < s.minLength) out.push(`${at}: too short`);
    if (typeof s.pattern === 'string' && !new RegExp(s.pattern, 'u').test(value))
      out.push(`${at}: pattern`);
  }
  if (typeof value === 'number') {
    if (typeof s.exclusiveMinimum === 'number' && value <= s.exclusiveMinimum)
      out.push(`${at}: too small`);
    if (typeof s.maximum === 'number' && value > s.maximum) out.push(`${at}: too big`);
  }
  if (Array.isArray(s.anyOf) && !s.anyOf.some((sub) => violations(sub, value, at).length === 0)) {
    out.push(`${at}: matches no anyOf branch`);
  }
  if (typeOf(value) === 'object') {
    const object = value as Record<string, unknown>;
    for (const key of (s.required ?? []) as string[])
      if (!(key in object)) out.push(`${at}.${key}: required`);
    const properties = (s.properties ?? {}) as Record<string, unknown>;
    for (const [key, member] of Object.entries(object)) {
      if (key in properties) out.push(...violations(properties[key], member, `${at}.${key}`));
      else if (s.additionalProperties !== undefined) {
        out.push(...violations(s.additionalProperties, member, `${at}.${key}`));
      }
    }
  }
  return out;
}

/** Lines of every shape the logger writes: plain, full request fields, chained, truncated, invalid. */
function realLines(): string[] {
  const sink = createMemorySink();
  const audit = createAuditLogger({
    destination: sink,
    format: 'json',
    service: 'orders',
    serviceVersion: '1.2.3',
    integrity: { key: 'k'.repeat(32), keyId: 'k1' },
  });
  runWithAuditContext(
    {
      traceId: 't-1',
      userId: 'u-1',
      ip: '10.0.0.1',
      userAgent: 'curl/8',
      method: 'GET',
      path: '/o?token=x',
    },
    () => {
      audit.log({
        action: 'READ',
        resource: '/orders/1',
        status: 'SUCCESS',
        details: { statusCode: 200 },
      });
    },
  );
  audit.log({
    action: 'EXPORT',
    resource: '/r',
    status: 'FAILED',
    details: { blob: 'x'.repeat(50_000) },
  });
  audit.log({ action: 'nope', resource: 5, status: 'MAYBE', seq: 3 } as never);
  audit.log(null as never);
  audit
    .child({ component: 'billing' })
    .log({ action: 'DELETE', resource: '/o/1', status: 'SUCCESS' });
  const plain = createMemorySink();
  createAuditLogger({ destination: plain, format: 'json' }).log({
    action: 'LOGIN',
    resource: '/login',
    status: 'SUCCESS',
  });
  return [...sink.lines, ...plain.lines];
}

describe('JSON Schema export (SPEC §3)', () => {
  it('is a valid draft 2020-12 schema document', () => {
    // Act
    const schema = auditEntryJsonSchema();
    // Assess
    expect(schema.$schema).toBe(DRAFT_2020_12);
    expect(schema.type).toBe('object');
    expect(metaProblems(schema)).toEqual([]);
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
    const properties = schema.properties as Record<string, unknown>;
    for (const key of schema.required as string[]) expect(properties).toHaveProperty(key);
  });

  it('describes every wire-format field, and requires the ones every line has', () => {
    const schema = auditEntryJsonSchema();
    const properties = Object.keys(schema.properties as object).sort();
    expect(properties).toEqual(Object.values(AUDIT_FIELDS).sort());
    expect(schema.required).toEqual(
      expect.arrayContaining([
        'level',
        'audit',
        'timestamp',
        'service',
        'instance',
        'seq',
        'traceId',
        'user_id',
        'action',
        'resource',
        'status',
        'details',
      ]),
    );
  });

  it('describes every top-level key of real lines, which all validate against it', () => {
    // Prepare
    const schema = auditEntryJsonSchema();
    const described = new Set(Object.keys(schema.properties as object));
    const lines = realLines();
    const seen = new Set<string>();
    // Act and assess
    for (const raw of lines) {
      const line = JSON.parse(raw) as Record<string, unknown>;
      for (const key of Object.keys(line)) {
        seen.add(key);
        expect(described, `top-level key ${key}`).toContain(key);
      }
      expect(violations(schema, line)).toEqual([]);
      expect(auditEntrySchema.safeParse(line).success).toBe(true);
    }
    // The lines really covered the optional members.
    for (const key of [
      'service_version',
      'method',
      'path',
      'ip_address',
      'user_agent',
      'truncated',
      'original_sha256',
      'keyId',
      'prev',
      'hash',
    ]) {
      expect(seen).toContain(key);
    }
  });

  it('rejects lines that break the contract (the validator is not vacuous)', () => {
    const schema = auditEntryJsonSchema();
    const good = JSON.parse(realLines()[0] as string) as Record<string, unknown>;
    expect(violations(schema, good)).toEqual([]);
    expect(violations(schema, { ...good, audit: false })).not.toEqual([]);
    expect(violations(schema, { ...good, seq: 0 })).not.toEqual([]);
    expect(violations(schema, { ...good, timestamp: '2024-01-01 00:00:00' })).not.toEqual([]);
    expect(violations(schema, { ...good, details: [] })).not.toEqual([]);
    const { action: _drop, ...missing } = good;
    expect(violations(schema, missing)).not.toEqual([]);
  });
});
