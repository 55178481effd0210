import { EMF_UNITS, type EmfUnit } from './constants.js';

const UNITS: ReadonlySet<string> = new Set(Object.values(EMF_UNITS));

/**
 * Whether `unit` is one of the 27 CloudWatch units, spelled exactly.
 *
 * @example
 * ```ts
 * isEmfUnit('Count'); // true
 * isEmfUnit('Counts'); // false
 * ```
 */
export function isEmfUnit(unit: unknown): unit is EmfUnit {
  return typeof unit === 'string' && UNITS.has(unit);
}

/** The unit a misspelling most likely meant (`Counts` → `Count`, `ms` → none), for error messages. */
export function closestUnit(unit: string): EmfUnit | undefined {
  const wanted = unit.toLowerCase().replace(/[^a-z/]/g, '');
  for (const candidate of UNITS) {
    const c = candidate.toLowerCase();
    if (c === wanted || `${c}s` === wanted || c === `${wanted}s`) return candidate as EmfUnit;
  }
  return undefined;
}
