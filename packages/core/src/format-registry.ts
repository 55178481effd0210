import type { AuditPlugin } from './types.js';

const factories = new Map<string, () => AuditPlugin>();

/**
 * Registers the plugin that a `format` name needs. `@auditline/emf/register`
 * registers `'emf'`, so `AUDIT_LOG_FORMAT=emf` works without core depending on
 * the emf package (STYLE: dependencies point to core, never back).
 *
 * @example
 * ```ts
 * registerFormatPlugin('emf', () => emf());
 * ```
 */
export function registerFormatPlugin(format: string, factory: () => AuditPlugin): void {
  factories.set(format, factory);
}

/** The registered plugin factory for a format, if any. */
export function formatPluginFactory(format: string): (() => AuditPlugin) | undefined {
  return factories.get(format);
}
