// The written line's zod shape, derived from the table (issue #14): each
// row's `written` schema, optional unless the row is `required`. schema.ts
// builds `auditEntrySchema` (and so its JSON Schema export) from it; a new
// top-level member is a row in members.ts, nothing here.
import type { z } from 'zod';
import { AUDIT_FIELDS } from '../constants.js';
import { LINE_MEMBERS, type LineField, type LineMember } from './members.js';

type Row = (typeof LINE_MEMBERS)[number];

/** The zod shape of a written line: one member per row, optional unless `required`. */
export type LineEntryShape = {
  [M in Row as M['key']]: M['required'] extends true ? M['written'] : z.ZodOptional<M['written']>;
};

/**
 * The zod shape of a written line, for `auditEntrySchema` (schema.ts). Members
 * come in `AUDIT_FIELDS` order, the order the entry schema has always listed
 * them in, so the exported JSON Schema keeps its bytes; the wire order is the
 * table's.
 *
 * @example
 * ```ts
 * const schema = z.looseObject(lineEntryShape());
 * ```
 */
export function lineEntryShape(): LineEntryShape {
  const rows = new Map<string, LineMember>(
    (LINE_MEMBERS as readonly LineMember[]).map((m) => [m.field, m]),
  );
  const shape: Record<string, z.ZodType> = {};
  for (const field of Object.keys(AUDIT_FIELDS) as LineField[]) {
    const row = rows.get(field);
    // Every wire key has a row: a key without one would be a line member no schema describes.
    if (row === undefined) throw new Error(`AUDIT_FIELDS.${field} has no row in LINE_MEMBERS`);
    shape[row.key] = row.required ? row.written : row.written.optional();
  }
  return shape as unknown as LineEntryShape;
}
