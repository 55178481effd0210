import type { ResolvedAuditOptions } from './config.js';
import { AUDIT_FIELDS } from './constants.js';
import { AuditConfigError } from './errors.js';
import { fragmentEscapingTrusted } from './escaped-fragments.js';
import { formatPluginFactory } from './format-registry.js';
import type { AuditLineExtension } from './types.js';

/** Top-level keys the logger itself writes; plugins may not claim them. */
const CORE_KEYS: ReadonlySet<string> = new Set(Object.values(AUDIT_FIELDS));
/** Keys the returned entry could not hold as own data, and SPEC §4.6 keeps off every line. */
const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** The plugins set up for one logger, and the top-level keys they write. */
export interface ResolvedPlugins {
  readonly extensions: AuditLineExtension[];
  readonly claimedKeys: string[];
  /** The keys of plugins without `fragmentInto`: the returned entry parses them back from the line. */
  readonly parsedBackKeys: string[];
  /** Per extension: its `fragmentInto` output may be written unscanned (auditline's own plugins only). */
  readonly escapedFragments: boolean[];
}

/**
 * Sets up the plugins once, at construction: `format: 'emf'` adds the
 * registered EMF plugin, and a top-level key claimed by two plugins or by an
 * audit field throws {@link AuditConfigError} (SPEC §4.6: only plugins add
 * top-level members, and never an audit field).
 *
 * @example
 * ```ts
 * const { extensions, claimedKeys, parsedBackKeys, escapedFragments } = resolvePlugins(resolveAuditOptions({ plugins: [emf()] }));
 * ```
 */
export function resolvePlugins(options: ResolvedAuditOptions): ResolvedPlugins {
  const plugins = [...options.plugins];
  if (options.format === 'emf' && !plugins.some((p) => p.name === 'emf')) {
    const factory = formatPluginFactory('emf');
    if (!factory) {
      throw new AuditConfigError(
        'format',
        'createAuditLogger: format "emf" (AUDIT_LOG_FORMAT=emf) needs @auditline/emf. Fix: import "@auditline/emf/register" once at start-up, or pass plugins: [emf()].',
      );
    }
    plugins.push(factory());
  }
  const claimed = new Map<string, string>();
  for (const plugin of plugins) {
    for (const key of plugin.reservedKeys) {
      if (PROTOTYPE_KEYS.has(key)) {
        throw new AuditConfigError(
          'plugins',
          `createAuditLogger: plugin "${plugin.name}" claims the top-level key "${key}", a JavaScript prototype key that no line may carry (SPEC §4.6). Fix: rename the plugin's member.`,
        );
      }
      if (CORE_KEYS.has(key)) {
        throw new AuditConfigError(
          'plugins',
          `createAuditLogger: plugin "${plugin.name}" claims the top-level key "${key}", which is an audit field. Fix: rename the plugin's member.`,
        );
      }
      const other = claimed.get(key);
      if (other) {
        throw new AuditConfigError(
          'plugins',
          `createAuditLogger: plugins "${other}" and "${plugin.name}" both write "${key}". Fix: configure one of them to use another name.`,
        );
      }
      claimed.set(key, plugin.name);
    }
  }
  const context = Object.freeze({
    service: options.service,
    serviceVersion: options.serviceVersion,
    env: options.env,
  });
  const extensions = plugins.map((plugin) => plugin.setup(context));
  return {
    extensions,
    claimedKeys: [...claimed.keys()],
    parsedBackKeys: plugins.flatMap((plugin, i) =>
      extensions[i]?.fragmentInto === undefined ? plugin.reservedKeys : [],
    ),
    escapedFragments: extensions.map(fragmentEscapingTrusted),
  };
}
