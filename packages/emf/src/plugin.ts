import type {
  AuditEntry,
  AuditLineExtension,
  AuditPlugin,
  AuditPluginContext,
  AuditValidationIssue,
} from '@auditline/core';
import {
  EMF_ROOT_KEY,
  KNOWN_HTTP_METHODS,
  MAX_METRIC_MAGNITUDE,
  MAX_TIMESTAMP_FUTURE_MS,
  MAX_TIMESTAMP_PAST_MS,
  MIN_METRIC_MAGNITUDE,
  OTHER_METHOD,
  OUT_OF_RANGE_ISSUE_CODE,
} from './constants.js';
import { sanitizeDimensionValue } from './dimension-value.js';
import { assertNamespace, prepareDirective } from './directive.js';
import { prepareDirectiveValues } from './directive-value.js';
import { isAcceptedMetricValue } from './metric-value.js';
import { defaultNamespace } from './namespace.js';
import { type ResolvedEmfOptions, resolveEmfOptions } from './options.js';
import type { EmfMetricDefinition, EmfPluginOptions } from './types.js';

/** Longest dimension value whose quoted form is cached; longer ones are rare and would bloat the cache. */
const MAX_CACHED_VALUE_LENGTH = 128;
/** Distinct values cached per dimension. Action and Status have a handful; allowed high-cardinality fields stop caching here. */
const MAX_CACHED_VALUES = 1024;

type Reader = (entry: Readonly<AuditEntry>) => unknown;

const KNOWN_METHODS: ReadonlySet<string> = new Set(KNOWN_HTTP_METHODS);

/**
 * An automatic entry's action is its HTTP method when the method has no
 * built-in action (SPEC §5.1: "other verbs as they are"), so a client picks it
 * from the 34 methods Node parses. Such an action, and a `method` dimension,
 * collapse to {@link OTHER_METHOD} unless the verb is a known one (issue #13:
 * 34 requests made 114 billed metrics).
 */
function boundedAction(e: Readonly<AuditEntry>): string {
  const action = e.action;
  return action === e.method && !KNOWN_METHODS.has(action) ? OTHER_METHOD : action;
}

function boundedMethod(e: Readonly<AuditEntry>): unknown {
  const method: unknown = e.method;
  // Missing or blank stays as it is: the sanitiser writes "(none)" (SPEC §8.4).
  if (typeof method !== 'string' || method.trim() === '') return method;
  return KNOWN_METHODS.has(method) ? method : OTHER_METHOD;
}

/** A reader per source field, chosen once, so the hot path does no dynamic lookups on options. */
function readerOf(source: string): Reader {
  switch (source) {
    case 'action':
      return boundedAction;
    case 'method':
      return boundedMethod;
    case 'status':
      return (e) => e.status;
    default:
      return (e) => (e as unknown as Record<string, unknown>)[source];
  }
}

interface DimensionWriter {
  /** `,"Action":` */
  readonly key: string;
  /** `Action` */
  readonly name: string;
  readonly read: Reader;
  /** raw value → its sanitised value, and that value quoted */
  readonly cache: Map<string, DimensionValue>;
}

/** A dimension value as written: sanitised (SPEC §8.4), and JSON-quoted for the line. */
interface DimensionValue {
  readonly value: string;
  readonly text: string;
}

function dimensionValueOf(value: unknown): DimensionValue {
  const sanitized = sanitizeDimensionValue(value);
  // JSON-quote the string only; sanitising guarantees printable ASCII (SPEC §8.4).
  return { value: sanitized, text: JSON.stringify(sanitized) };
}

function dimensionValue(writer: DimensionWriter, value: unknown): DimensionValue {
  if (typeof value !== 'string') return dimensionValueOf(value);
  const hit = writer.cache.get(value);
  if (hit !== undefined) return hit;
  const found = dimensionValueOf(value);
  if (value.length <= MAX_CACHED_VALUE_LENGTH && writer.cache.size < MAX_CACHED_VALUES) {
    writer.cache.set(value, found);
  }
  return found;
}

interface OptionalMetric {
  readonly detail: string;
  readonly name: string;
  /** `,"ActionDuration":` */
  readonly key: string;
  /** `,{"Name":…}` */
  readonly definition: string;
  /** Durations are never negative (SPEC §3: `duration_ms` ≥ 0). */
  readonly nonNegative: boolean;
}

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
 * Builds the per-logger fragment writer. Everything that can be prepared is
 * prepared here; `fragment` only assigns values into prepared strings
 * (SPEC §8.5: object spread made lines about 2.4× slower to stringify).
 */
function createExtension(
  resolved: ResolvedEmfOptions,
  context: AuditPluginContext,
): AuditLineExtension {
  const namespace = resolveNamespace(resolved, context);
  const directive = prepareDirective(
    namespace,
    resolved.dimensionSets,
    resolved.metrics,
    resolved.storageResolution,
  );
  const [countDefinition, ...optionalDefinitions] = directive.definitions;
  const [countMetric, ...optionalResolved] = resolved.metrics;
  const awsOpen = ',"_aws":{"Timestamp":';
  const directivesOpen = `,"CloudWatchMetrics":[${directive.open}${countDefinition}`;
  const directivesClose = `${directive.close}]}`;
  const countMember = `,${JSON.stringify(countMetric?.name)}:1`;
  const optional: readonly OptionalMetric[] = optionalResolved.map((m, i) => ({
    detail: m.detail ?? '',
    name: m.name,
    key: `,${JSON.stringify(m.name)}:`,
    definition: `,${optionalDefinitions[i]}`,
    nonNegative: i === 0,
  }));
  const writers: readonly DimensionWriter[] = resolved.dimensions.map((d) => ({
    key: `,${JSON.stringify(d.name)}:`,
    name: d.name,
    read: readerOf(d.source),
    cache: new Map(),
  }));
  const staticDimensions = resolved.defaultDimensions
    .map((d) => `,${JSON.stringify(d.name)}:${JSON.stringify(d.value)}`)
    .join('');
  const fixedDimensions = resolved.defaultDimensions;
  const countName = countMetric?.name ?? '';
  const directiveValues = prepareDirectiveValues(
    namespace,
    resolved.dimensionSets,
    resolved.metrics,
    resolved.storageResolution,
  );

  /**
   * The fragment, and with `written` the same members as values on the
   * returned entry (core's `fragmentInto`, SPEC §4.1). Each value is read from
   * the entry once and both forms come from that one read, so the entry and
   * the line cannot disagree even when a `details` getter changes its answer.
   */
  function encode(
    entry: Readonly<AuditEntry>,
    timeMs: number,
    written: Record<string, unknown> | undefined,
  ): string {
    // EMF drops metrics outside 14 days back / 2 hours ahead (SPEC §8.4); NaN fails both tests.
    const now = Date.now();
    let timestamp = timeMs;
    if (!(timestamp >= now - MAX_TIMESTAMP_PAST_MS && timestamp <= now + MAX_TIMESTAMP_FUTURE_MS)) {
      timestamp = now;
    } else if (timestamp % 1 !== 0) {
      timestamp = Math.floor(timestamp);
    }

    let definitions = directivesOpen;
    let metrics = countMember;
    // Only built for the returned entry: the metric definitions and values this line holds.
    let definitionValues: EmfMetricDefinition[] | undefined;
    let metricValues: number[] | undefined;
    if (written !== undefined) {
      definitionValues = [directiveValues.metric(0)];
      metricValues = [];
    }
    const details = entry.details as Record<string, unknown> | null | undefined;
    if (typeof details === 'object' && details !== null) {
      for (let i = 0; i < optional.length; i++) {
        const m = optional[i] as OptionalMetric;
        const value = details[m.detail];
        // NaN/Infinity would serialise to null, and CloudWatch rejects magnitudes
        // outside its range (SPEC §8.4): leave the metric out; inspect() counts it.
        if (isAcceptedMetricValue(value) && (!m.nonNegative || value >= 0)) {
          definitions += m.definition;
          metrics += m.key + value;
          if (definitionValues !== undefined && metricValues !== undefined) {
            definitionValues.push(directiveValues.metric(i + 1));
            // The line says 0 for -0.
            metricValues.push(value === 0 ? 0 : value);
          }
        }
      }
    }

    if (written !== undefined) {
      written[EMF_ROOT_KEY] = {
        Timestamp: timestamp,
        CloudWatchMetrics: [directiveValues.directive(definitionValues as EmfMetricDefinition[])],
      };
    }
    let dimensions = '';
    for (let i = 0; i < writers.length; i++) {
      const w = writers[i] as DimensionWriter;
      const found = dimensionValue(w, w.read(entry));
      dimensions += w.key + found.text;
      if (written !== undefined) written[w.name] = found.value;
    }
    if (written !== undefined) {
      for (let i = 0; i < fixedDimensions.length; i++) {
        const d = fixedDimensions[i] as { readonly name: string; readonly value: string };
        written[d.name] = d.value;
      }
      written[countName] = 1;
      const values = metricValues as number[];
      const defined = definitionValues as EmfMetricDefinition[];
      for (let i = 0; i < values.length; i++) {
        written[(defined[i + 1] as EmfMetricDefinition).Name] = values[i];
      }
    }
    return `${awsOpen}${timestamp}${definitions}${directivesClose}${dimensions}${staticDimensions}${metrics}`;
  }

  return {
    inspect(
      details: Readonly<Record<string, unknown>>,
    ): readonly AuditValidationIssue[] | undefined {
      let issues: AuditValidationIssue[] | undefined;
      for (let i = 0; i < optional.length; i++) {
        const m = optional[i] as OptionalMetric;
        const value = details[m.detail];
        // Only finite numbers core let through: NaN/Infinity are already null, negatives
        // of duration_ms already a schema issue. A value CloudWatch would reject is counted here.
        if (typeof value !== 'number' || !Number.isFinite(value) || isAcceptedMetricValue(value)) {
          continue;
        }
        (issues ??= []).push({
          path: `details.${m.detail}`,
          code: OUT_OF_RANGE_ISSUE_CODE,
          message: `${value} is outside CloudWatch's metric range (0, or a magnitude from ${MIN_METRIC_MAGNITUDE} to ${MAX_METRIC_MAGNITUDE}); metric ${m.name} left out of this line`,
        });
      }
      return issues;
    },
    fragment: (entry, timeMs) => encode(entry, timeMs, undefined),
    // Values handed over with the text: the returned entry needs no parse-back accessor per member (issue #15).
    fragmentInto: encode,
  };
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
    setup: (context: AuditPluginContext) => createExtension(resolved, context),
  });
}
