import { PARAM_MEMBERS } from './line/index.js';
import type { AuditParams } from './schema.js';

const MEMBER_KEYS: readonly string[] = PARAM_MEMBERS.map((m) => m.key);

/** The same reads as a loop of keyed loads, where code generation is off. */
function readMembersKeyed(p: AuditParams): unknown[] {
  const values = MEMBER_KEYS.map((key) => (p as Readonly<Record<string, unknown>>)[key]);
  values.push(p.details);
  return values;
}

/**
 * Reads every member param and `details` once, into `ParamValues` (validate.ts):
 * `(p) => [p["action"], p["resource"], …, p.details]`, compiled once from the
 * table's keys (constants, never input), as pino's redaction compiles its
 * paths. A loop of keyed loads `p[key]` over the same rows cost 0.09 µs more
 * per `log()` on Node 24 than these named loads (issue #15). Where code
 * generation is off (`--disallow-code-generation-from-strings`, hardened
 * images), `new Function` throws at import and would stop the service from
 * starting: the keyed loop serves instead.
 */
function compileMemberReader(): (p: AuditParams) => unknown[] {
  try {
    return new Function(
      'p',
      `return [${MEMBER_KEYS.map((key) => `p[${JSON.stringify(key)}]`).join(', ')}, p.details];`,
    ) as (p: AuditParams) => unknown[];
  } catch {
    return readMembersKeyed;
  }
}

/** `(p) => [p.action, …, p.details]`: the fast validator's one read of the params. */
export const readMembers = compileMemberReader();
