import type { AuditEntry, AuditLineExtension, AuditValidationIssue } from '@auditline/core';
import { escapeLineSeparators } from '@auditline/core/internal';
import {
  EMF_ROOT_KEY,
  MAX_METRIC_MAGNITUDE,
  MAX_TIMESTAMP_FUTURE_MS,
  MAX_TIMESTAMP_PAST_MS,
  MIN_METRIC_MAGNITUDE,
  OUT_OF_RANGE_ISSUE_CODE,
} from './constants.js';
import { type DimensionWriter, dimensionValue, dimensionWriter } from './dimension-writer.js';
import { prepareDirective } from './directive.js';
import { prepareDirectiveValues } from './directive-value.js';
import { isAcceptedMetricValue } from './metric-value.js';
import type { ResolvedEmfOptions } from './options.js';
import type { EmfMetricDefinition } from './types.js';

/**
 * Optional metrics up to which the directive text of each combination present
 * (its "shape") is cached: 2^8 strings at most. The default plugin has one
 * optional metric (ActionDuration), so two shapes (issue #15).
 */
const MAX_CACHED_SHAPE_METRICS = 8;

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

/**
 * Builds the per-logger member writer of the EMF plugin (SPEC §8). Everything
 * that can be prepared is prepared here, U+2028/U+2029 escaped once (so core,
 * trusting this plugin through `trustFragmentEscaping`, skips its scan); per entry it only joins prepared strings with the
 * timestamp, the dimension values and the metric values (SPEC §8.5: object
 * spread made lines about 2.4× slower to stringify).
 *
 * @example
 * ```ts
 * const extension = createEntryMembers(resolveEmfOptions(undefined), 'orders-api/Audit');
 * extension.fragment(entry, Date.now()); // ',"_aws":{"Timestamp":…},"Action":"UPDATE",…'
 * ```
 */
export function createEntryMembers(
  resolved: ResolvedEmfOptions,
  namespace: string,
): AuditLineExtension {
  const directive = prepareDirective(
    namespace,
    resolved.dimensionSets,
    resolved.metrics,
    resolved.storageResolution,
  );
  const [countDefinition, ...optionalDefinitions] = directive.definitions;
  const [countMetric, ...optionalResolved] = resolved.metrics;
  const awsOpen = ',"_aws":{"Timestamp":';
  const directivesOpen = escapeLineSeparators(
    `,"CloudWatchMetrics":[${directive.open}${countDefinition}`,
  );
  const directivesClose = `${directive.close}]}`;
  const optional: readonly OptionalMetric[] = optionalResolved.map((m, i) => ({
    detail: m.detail ?? '',
    name: m.name,
    key: escapeLineSeparators(`,${JSON.stringify(m.name)}:`),
    definition: escapeLineSeparators(`,${optionalDefinitions[i]}`),
    nonNegative: i === 0,
  }));
  const writers: readonly DimensionWriter[] = resolved.dimensions.map(dimensionWriter);
  const fixedDimensions = resolved.defaultDimensions;
  const countName = countMetric?.name ?? '';
  // The members after the dimensions that every line has: fixed dimensions, then the count.
  const fixedTail = escapeLineSeparators(
    fixedDimensions.map((d) => `,${JSON.stringify(d.name)}:${JSON.stringify(d.value)}`).join('') +
      `,${JSON.stringify(countName)}:1`,
  );
  const directiveValues = prepareDirectiveValues(
    namespace,
    resolved.dimensionSets,
    resolved.metrics,
    resolved.storageResolution,
  );

  const cacheShapes = optional.length <= MAX_CACHED_SHAPE_METRICS;
  const shapeTexts: (string | undefined)[] = [];
  /** `,"CloudWatchMetrics":[…]}` for the optional metrics in `mask`. */
  function shapeText(mask: number): string {
    let text = shapeTexts[mask];
    if (text === undefined) {
      text = directivesOpen;
      for (let i = 0; i < optional.length; i++) {
        if ((mask & (1 << i)) !== 0) text += (optional[i] as OptionalMetric).definition;
      }
      text += directivesClose;
      if (cacheShapes) shapeTexts[mask] = text;
    }
    return text;
  }

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

    // The returned entry's members in line order: `_aws` first, filled in last,
    // once the metrics present are known.
    if (written !== undefined) written[EMF_ROOT_KEY] = null;
    let dimensions = '';
    for (let i = 0; i < writers.length; i++) {
      const w = writers[i] as DimensionWriter;
      const found = dimensionValue(w, w.read(entry));
      dimensions += w.key + found.text;
      if (written !== undefined) written[w.name] = found.value;
    }
    // Only built for the returned entry: the metric definitions this line holds.
    let definitionValues: EmfMetricDefinition[] | undefined;
    if (written !== undefined) {
      for (let i = 0; i < fixedDimensions.length; i++) {
        const d = fixedDimensions[i] as { readonly name: string; readonly value: string };
        written[d.name] = d.value;
      }
      written[countName] = 1;
      definitionValues = [directiveValues.metric(0)];
    }

    let mask = 0;
    let definitions = '';
    let metrics = '';
    const details = entry.details as Record<string, unknown> | null | undefined;
    if (typeof details === 'object' && details !== null) {
      for (let i = 0; i < optional.length; i++) {
        const m = optional[i] as OptionalMetric;
        const value = details[m.detail];
        // NaN/Infinity would serialise to null, and CloudWatch rejects magnitudes
        // outside its range (SPEC §8.4): leave the metric out; inspect() counts it.
        if (isAcceptedMetricValue(value) && (!m.nonNegative || value >= 0)) {
          if (cacheShapes) mask |= 1 << i;
          else definitions += m.definition;
          metrics += m.key + value;
          if (written !== undefined) {
            // The line says 0 for -0.
            written[m.name] = value === 0 ? 0 : value;
            (definitionValues as EmfMetricDefinition[]).push(directiveValues.metric(i + 1));
          }
        }
      }
    }
    const shape = cacheShapes
      ? shapeText(mask)
      : `${directivesOpen}${definitions}${directivesClose}`;
    if (written !== undefined) {
      written[EMF_ROOT_KEY] = {
        Timestamp: timestamp,
        CloudWatchMetrics: [directiveValues.directive(definitionValues as EmfMetricDefinition[])],
      };
    }
    return `${awsOpen}${timestamp}${shape}${dimensions}${fixedTail}${metrics}`;
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
