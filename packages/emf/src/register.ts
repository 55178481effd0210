import { registerFormatPlugin } from '@auditline/core/internal';
import { emf } from './plugin.js';

/**
 * Side-effect entry point: lets `format: 'emf'` and `AUDIT_LOG_FORMAT=emf`
 * find the plugin with default options, without core depending on this
 * package (STYLE: dependencies point to core, never back).
 *
 * @example
 * ```ts
 * import '@auditline/emf/register';
 * const audit = createAuditLogger(); // AUDIT_LOG_FORMAT=emf → lines carry EMF
 * ```
 */
registerFormatPlugin('emf', () => emf());
