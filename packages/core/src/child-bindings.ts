// Child bindings (SPEC §4.1 `child()`): checked once per child and serialised
// once, so every line of the child only concatenates them (issue #14: logger.ts
// is a coordinator).
import { AuditConfigError } from './errors.js';
import type { LoggerState } from './logger-state.js';
import type { BindingMember } from './safe-json.js';
import { type CheckedBindings, validateBindings } from './validate.js';

/**
 * Each binding as a ready `"key":value` member, through the same redaction as
 * `details`; `undefined` when there are none.
 *
 * @example
 * ```ts
 * const members = serializeBindings(state, { component: 'billing' }); // [{ key: 'component', member: '"component":"billing"' }]
 * ```
 */
export function serializeBindings(
  state: Pick<LoggerState, 'serializer'>,
  bindingValues: Readonly<Record<string, unknown>>,
): readonly BindingMember[] | undefined {
  const keys = Object.keys(bindingValues);
  if (keys.length === 0) return undefined;
  return keys
    .map((key) => {
      const json = state.serializer.object({ [key]: bindingValues[key] }, undefined);
      return { key, member: json.slice(1, -1) };
    })
    .filter((b) => b.member !== '');
}

/**
 * A child's bindings: the parent's merged with the new ones, and the typed
 * reserved keys checked as in `details` (SPEC §3, issue #13). Throws
 * {@link AuditConfigError} for bindings that are not a readable plain object.
 *
 * @example
 * ```ts
 * const { bindings, issues } = checkChildBindings({}, { component: 'billing' });
 * ```
 */
export function checkChildBindings(
  parent: Readonly<Record<string, unknown>>,
  bindings: Record<string, unknown>,
): CheckedBindings {
  if (typeof bindings !== 'object' || bindings === null || Array.isArray(bindings)) {
    throw new AuditConfigError(
      'bindings',
      'child(bindings): bindings must be a plain object such as { component: "billing" }.',
    );
  }
  let merged: Record<string, unknown>;
  try {
    merged = { ...parent, ...bindings };
  } catch (error) {
    throw new AuditConfigError(
      'bindings',
      `child(bindings): bindings could not be read (${(error as Error)?.message}). Fix: pass plain data.`,
      { cause: error },
    );
  }
  return validateBindings(merged);
}
