import type { AuditLineExtension } from './types.js';

/**
 * Extensions whose `fragmentInto` output already escapes U+2028/U+2029, so
 * core need not scan it again (0.19 µs of an EMF line, issue #15). Only
 * auditline's own plugins are put here, through `@auditline/core/internal`;
 * every other plugin's fragment is scanned, whatever it promises (SPEC §4.6:
 * the separators stay escaped inside the single line). Module-scoped, so an
 * extension marked by a second copy of core is scanned by this one: slower,
 * never unsafe.
 */
const trusted = new WeakSet<AuditLineExtension>();

/**
 * Marks an extension of auditline's own as escaping its `fragmentInto` output
 * itself. No semver promise (`@auditline/core/internal`).
 *
 * @example
 * ```ts
 * import { trustFragmentEscaping } from '@auditline/core/internal';
 * const extension = trustFragmentEscaping({ fragment: () => ',"n":1', fragmentInto: () => ',"n":1' });
 * ```
 */
export function trustFragmentEscaping<T extends AuditLineExtension>(extension: T): T {
  trusted.add(extension);
  return extension;
}

/**
 * Whether core may write this extension's `fragmentInto` output unscanned.
 * Decided once per logger, at construction.
 *
 * @example
 * ```ts
 * const scan = !fragmentEscapingTrusted(extension);
 * ```
 */
export function fragmentEscapingTrusted(extension: AuditLineExtension): boolean {
  return trusted.has(extension);
}
