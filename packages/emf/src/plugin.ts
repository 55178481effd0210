import type { AuditLineExtension, AuditPlugin, AuditPluginContext } from '@auditline/core';
import { trustFragmentEscaping } from '@auditline/core/internal';
import { assertNamespace } from './directive.js';
import { createEntryMembers } from './entry-members.js';
import { defaultNamespace } from './namespace.js';
import { type ResolvedEmfOptions, resolveEmfOptions } from './options.js';
import type { EmfPluginOptions } from './types.js';

function resolveNamespace(resolved: ResolvedEmfOptions, context: AuditPluginContext): string {
  if (resolved.namespace !== undefined) return resolved.namespace;
  const fromEnv = context.env.AUDIT_EMF_NAMESPACE;
  if (fromEnv !== undefined) return assertNamespace(fromEnv, 'emf()', 'AUDIT_EMF_NAMESPACE');
  return assertNamespace(
    defaultNamespace(context.service),
    'emf()',
    'namespace (default <service>/Audit)',
  );
}

/**
 * The EMF audit plugin (SPEC §8): each audit line also becomes CloudWatch
 * metrics. It adds `_aws` (Timestamp and the directive), the dimension members
 * (`Action`, `Status` by default), `AuditEventCount: 1`, and `ActionDuration`
 * (ms) when `details.duration_ms` is a finite number ≥ 0. Options are
 * validated here; a setting CloudWatch would reject throws `EmfConfigError`.
 *
 * @example
 * ```ts
 * import { createAuditLogger } from '@auditline/core';
 * import { emf } from '@auditline/emf';
 *
 * const audit = createAuditLogger({
 *   service: 'orders-api',
 *   plugins: [emf({ defaultDimensions: { Environment: 'prod' } })],
 * });
 * audit.log({ action: 'LOGIN', resource: '/login', status: 'FAILED', details: { duration_ms: 12 } });
 * ```
 */
export function emf(options?: EmfPluginOptions): AuditPlugin {
  const resolved = resolveEmfOptions(options);
  return Object.freeze({
    name: 'emf',
    reservedKeys: resolved.reservedKeys,
    // Its fragment escapes U+2028/U+2029 itself (prepared parts escaped once, then only
    // numbers and sanitised ASCII), so core skips that scan for it alone (issue #15).
    setup: (context: AuditPluginContext): AuditLineExtension =>
      trustFragmentEscaping(createEntryMembers(resolved, resolveNamespace(resolved, context))),
  });
}
