import type { ConfigErrorFacts } from '@auditline/core';
import { z } from '@auditline/core/internal';
import {
  EMF_ROOT_KEY,
  type EmfUnit,
  MAX_DIMENSION_VALUE_LENGTH,
  MAX_DIMENSIONS_PER_SET,
  STORAGE_RESOLUTIONS,
} from './constants.js';
import { isValidDimensionValue } from './dimension-value.js';
import { EMF_ERROR_CODES, EmfConfigError, type EmfErrorCode } from './errors.js';
import { dimensionNameProblem, metricNameProblem, namespaceProblem } from './names.js';
import { closestUnit, isEmfUnit } from './units.js';

/**
 * The option rules emf() and createMetrics() share, declared once as zod
 * schemas (issue #14): core's defineOptions turns their issues into an
 * `EmfConfigError` naming the option, the value and the fix. Each issue may
 * carry its own `code` (`EMF_LIMIT_EXCEEDED`) and fix through `params`.
 */

/**
 * The `EmfConfigError` for one failed option: `EMF_LIMIT_EXCEEDED` when the
 * issue asked for it, else `EMF_INVALID_CONFIG`.
 *
 * @example
 * ```ts
 * defineOptions({ where: 'emf()', schema, fixes: {}, error: emfConfigErrorOf });
 * ```
 */
export function emfConfigErrorOf(facts: ConfigErrorFacts): EmfConfigError {
  const code =
    facts.code === EMF_ERROR_CODES.limitExceeded
      ? EMF_ERROR_CODES.limitExceeded
      : EMF_ERROR_CODES.invalidConfig;
  return new EmfConfigError(code, facts.option, facts.message, facts);
}

/** Anything zod's refinement contexts have in common: adding an issue. */
interface IssueSink {
  addIssue(issue: {
    code: 'custom';
    message: string;
    path?: PropertyKey[];
    params?: Record<string, unknown>;
  }): void;
}

/**
 * Adds one option issue with its fix (and a code other than `EMF_INVALID_CONFIG`).
 *
 * @example
 * ```ts
 * z.string().superRefine((v, ctx) => { if (v === '') reject(ctx, [], 'is empty', 'pass a name'); });
 * ```
 */
export function reject(
  ctx: IssueSink,
  path: PropertyKey[],
  message: string,
  fix: string,
  code: EmfErrorCode = EMF_ERROR_CODES.invalidConfig,
): void {
  ctx.addIssue({ code: 'custom', path, message, params: { code, fix } });
}

/** The fix for a namespace CloudWatch refuses. */
export const NAMESPACE_FIX = 'use a namespace of your own such as "orders-api/Audit"';

/**
 * The problem with a metric or dimension name: its own rule, then `_aws`,
 * which holds the EMF metadata. With the fix to show.
 */
export function memberNameProblem(
  name: unknown,
  kind: 'metric' | 'dimension',
): { problem: string; fix: string } | undefined {
  const own = kind === 'metric' ? metricNameProblem(name) : dimensionNameProblem(name);
  if (own !== undefined) {
    return {
      problem: own,
      fix:
        kind === 'metric'
          ? 'use a short name such as "OrdersPlaced"'
          : 'use a short ASCII name such as "Route"',
    };
  }
  if (name === EMF_ROOT_KEY) {
    return { problem: `"${EMF_ROOT_KEY}" holds the EMF metadata`, fix: 'choose another name' };
  }
  if (typeof name === 'string' && PROTOTYPE_KEYS.has(name)) {
    return { problem: PROTOTYPE_KEY_PROBLEM, fix: 'choose another name' };
  }
  return undefined;
}

/**
 * Names an object's prototype machinery answers to. A member `__proto__` is
 * written on the line but cannot be an own property of the entry `log()`
 * returns (SPEC §4.1), and SPEC §4.6 keeps such keys off lines from user data.
 */
const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
const PROTOTYPE_KEY_PROBLEM = 'is a JavaScript prototype key, which no line member may be named';

/**
 * A record option (name → value), refusing a `__proto__` key before zod's
 * record parse drops it silently: from JSON config such a dimension vanished
 * from every line instead of failing at construction.
 *
 * @example
 * ```ts
 * refusingPrototypeKeys(z.record(z.string(), z.string())).safeParse(JSON.parse('{"__proto__":"x"}')).success; // false
 * ```
 */
export function refusingPrototypeKeys<T extends z.ZodType>(record: T) {
  return z
    .unknown()
    .superRefine((raw, ctx) => {
      if (raw !== null && typeof raw === 'object' && Object.hasOwn(raw, '__proto__')) {
        reject(ctx, ['__proto__'], PROTOTYPE_KEY_PROBLEM, 'choose another name');
      }
    })
    .pipe(record);
}

/** The fix for a unit that is not one of the 27, with the likely meant one. */
export function unitFix(unit: unknown): string {
  const guess = typeof unit === 'string' ? closestUnit(unit) : undefined;
  return guess ? `use "${guess}"` : 'use a value of EMF_UNITS, e.g. "Count" or "Milliseconds"';
}

/** What a unit outside the 27 CloudWatch units is told. */
export const UNIT_PROBLEM = 'must be one of the 27 CloudWatch units, spelled exactly (EMF_UNITS)';

/** What a dimension set over the EMF limit is told. */
export function dimensionSetSizeProblem(size: number, defaults: number): string | undefined {
  if (size <= MAX_DIMENSIONS_PER_SET) return undefined;
  return `has ${size} dimension keys${defaults > 0 ? ` (${defaults} of them default dimensions)` : ''}, over the EMF limit of ${MAX_DIMENSIONS_PER_SET} per dimension set`;
}

/** Fix for {@link dimensionSetSizeProblem}. */
export const DIMENSION_SET_SIZE_FIX = 'split it into smaller sets or drop dimensions';

/**
 * A CloudWatch namespace (SPEC §8.3): the pattern, and not `AWS/`.
 *
 * @example
 * ```ts
 * namespaceSchema.safeParse('AWS/Foo').success; // false
 * ```
 */
export const namespaceSchema = z.string({ error: 'must be a string' }).superRefine((value, ctx) => {
  const problem = namespaceProblem(value);
  if (problem !== undefined) reject(ctx, [], problem, NAMESPACE_FIX);
});

/**
 * One of the 27 CloudWatch units, spelled exactly; a misspelling's fix names the likely unit.
 *
 * @example
 * ```ts
 * unitSchema.safeParse('Counts').success; // false: fix 'use "Count"'
 * ```
 */
export const unitSchema = z
  .string({ error: UNIT_PROBLEM })
  .superRefine((value, ctx) => {
    if (!isEmfUnit(value)) reject(ctx, [], UNIT_PROBLEM, unitFix(value));
  })
  .transform((value) => value as EmfUnit);

/**
 * A metric name: 1–255 characters, not `_aws`.
 *
 * @example
 * ```ts
 * metricNameSchema.safeParse('OrdersPlaced').success; // true
 * ```
 */
export const metricNameSchema = z
  .string({ error: 'must be a string' })
  .superRefine((value, ctx) => {
    const found = memberNameProblem(value, 'metric');
    if (found) reject(ctx, [], found.problem, found.fix);
  });

/**
 * `1` (high resolution) or `60` (standard); 60 when left out.
 *
 * @example
 * ```ts
 * storageResolutionSchema.parse(undefined); // 60
 * ```
 */
export const storageResolutionSchema = z
  .union(STORAGE_RESOLUTIONS.map((r) => z.literal(r)) as [z.ZodLiteral<1>, z.ZodLiteral<60>], {
    error: 'CloudWatch accepts only 1 (high resolution) or 60 (standard)',
  })
  .default(60);

/** The fix for a bad `storageResolution`. */
export const STORAGE_RESOLUTION_FIX = 'pass 1, or leave it out for 60';

/**
 * Dimensions with a fixed value, as both `emf({ defaultDimensions })` and
 * `createMetrics({ dimensions })` take them: valid names, CloudWatch-valid
 * values, at most 30. One definition for both (it had drifted: a literal 1024).
 *
 * @example
 * ```ts
 * fixedDimensionsSchema.safeParse({ Environment: 'prod' }).success; // true
 * fixedDimensionsSchema.safeParse({ Environment: '' }).success; // false
 * ```
 */
export const fixedDimensionsSchema = refusingPrototypeKeys(
  z.record(z.string(), z.unknown(), {
    error: 'must be an object of dimension name → fixed value',
  }),
)
  .superRefine((dimensions, ctx) => {
    for (const [name, value] of Object.entries(dimensions)) {
      const found = memberNameProblem(name, 'dimension');
      if (found) return reject(ctx, [name], found.problem, found.fix);
      if (!isValidDimensionValue(value)) {
        return reject(
          ctx,
          [name],
          `dimension values must be 1–${MAX_DIMENSION_VALUE_LENGTH} printable ASCII characters with a non-space (CloudWatch Dimension.Value)`,
          'use a short ASCII value such as "prod"',
        );
      }
    }
  })
  .transform((dimensions) =>
    Object.freeze(
      Object.entries(dimensions).map(([name, value]) =>
        Object.freeze({ name, value: value as string }),
      ),
    ),
  );
