// The static head of an audit line (SPEC §3): the members between the
// timestamp and `seq`, built from the `static` rows of the member table. Apart
// from framing.ts because the table loads zod, which the verifier does not
// (issue #15).
import { quoteJson, stringifyJson } from '../json-string.js';
import { SEQ_MEMBER } from './framing.js';
import { type LineMember, membersOf } from './members.js';

/** Values of the `static` members, by field name; `undefined` leaves the member out. */
export type StaticMemberValues = Partial<
  Record<LineMember['field'], string | Readonly<Record<string, unknown>> | undefined>
>;

const STATIC_MEMBERS = membersOf('static');

/**
 * The text between the timestamp value and the `seq` number:
 * `","service":…,"instance":…[,"ecs":…],"seq":`, in table order. Built once
 * per logger instance, so the hot path only concatenates it.
 *
 * @example
 * ```ts
 * staticHead({ service: 'orders-api', instance: 'a1b2' }); // '","service":"orders-api","instance":"a1b2","seq":'
 * ```
 */
export function staticHead(values: StaticMemberValues): string {
  let text = '"';
  for (const { field, key } of STATIC_MEMBERS) {
    const value = values[field];
    if (value === undefined) continue;
    text += `,"${key}":${typeof value === 'string' ? quoteJson(value) : stringifyJson(value)}`;
  }
  return `${text}${SEQ_MEMBER}`;
}
