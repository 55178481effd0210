import type { AuditDestination } from '@auditline/core';
import type { DimensionSourceField, EMF_ISSUE_CODES, EmfUnit } from './constants.js';

/**
 * `1` (high resolution) or `60` (standard, the default).
 *
 * @example
 * ```ts
 * const resolution: StorageResolution = 1;
 * createMetrics({ namespace: 'shop/App', storageResolution: resolution });
 * ```
 */
export type StorageResolution = 1 | 60;

/**
 * EMF spec, MetricDefinition object.
 *
 * @example
 * ```ts
 * const latency: EmfMetricDefinition = { Name: 'Latency', Unit: 'Milliseconds', StorageResolution: 1 };
 * ```
 */
export interface EmfMetricDefinition {
  /** Name of a top-level numeric member (1–255 chars). */
  readonly Name: string;
  /** One of the 27 CloudWatch units. CloudWatch assumes `None` when absent. */
  readonly Unit?: EmfUnit;
  /** `1` for high resolution; absent means 60. */
  readonly StorageResolution?: StorageResolution;
}

/**
 * EMF spec, MetricDirective object.
 *
 * @example
 * ```ts
 * const directive: EmfMetricDirective = {
 *   Namespace: 'shop/App',
 *   Dimensions: [['Route']],
 *   Metrics: [{ Name: 'Latency', Unit: 'Milliseconds' }],
 * };
 * ```
 */
export interface EmfMetricDirective {
  readonly Namespace: string;
  /** DimensionSets: each an array of names of top-level string members (≤ 30 each). */
  readonly Dimensions: readonly (readonly string[])[];
  /** At most 100 definitions. */
  readonly Metrics: readonly EmfMetricDefinition[];
}

/**
 * An EMF document: `_aws` plus the top-level members its directives reference
 * (string dimensions, numeric metrics), plus any other members.
 *
 * @example
 * ```ts
 * const doc: EmfDocument = {
 *   _aws: { Timestamp: Date.now(), CloudWatchMetrics: [{ Namespace: 'shop/App', Dimensions: [['Route']], Metrics: [{ Name: 'Latency', Unit: 'Milliseconds' }] }] },
 *   Route: '/orders',
 *   Latency: [12, 15],
 * };
 * ```
 */
export interface EmfDocument {
  readonly _aws: {
    /** Epoch milliseconds, within 14 days back and 2 hours ahead. */
    readonly Timestamp: number;
    readonly CloudWatchMetrics: readonly EmfMetricDirective[];
  };
  readonly [member: string]: unknown;
}

/**
 * One of the issue codes of {@link EmfIssue}.
 *
 * @example
 * ```ts
 * const code: EmfIssueCode = EMF_ISSUE_CODES.invalidUnit; // 'invalid_unit'
 * validateEmf(doc).some((i) => i.code === code);
 * ```
 */
export type EmfIssueCode = (typeof EMF_ISSUE_CODES)[keyof typeof EMF_ISSUE_CODES];

/**
 * One reason CloudWatch would reject a document. Data, not prose (zod style):
 * match on `code`; `path` is a dotted path such as `_aws.CloudWatchMetrics[0].Metrics[2].Unit`.
 *
 * @example
 * ```ts
 * for (const issue of validateEmf(JSON.parse(line))) log.error(`${issue.path}: ${issue.code}`);
 * ```
 */
export interface EmfIssue {
  readonly code: EmfIssueCode;
  readonly path: string;
  readonly message: string;
}

/**
 * A metric the audit plugin takes from a numeric `details` member of each entry.
 *
 * @example
 * ```ts
 * const exportBytes: EmfDetailMetric = { name: 'ExportBytes', detail: 'bytes', unit: 'Bytes' };
 * createAuditLogger({ plugins: [emf({ metrics: [exportBytes] })] });
 * ```
 */
export interface EmfDetailMetric {
  /** Metric name, 1–255 chars; it becomes a top-level member. */
  readonly name: string;
  /** The `details` key to read, e.g. `'bytes'`. Non-finite or non-number values are skipped for that entry. */
  readonly detail: string;
  /** @default 'None' */
  readonly unit?: EmfUnit;
}

/**
 * Options of the audit plugin {@link emf}. Everything is validated when
 * `emf()` runs (the namespace, which may come from the environment, when the
 * logger is created): a setting CloudWatch would reject throws `EmfConfigError`.
 *
 * @example
 * ```ts
 * const options: EmfPluginOptions = { namespace: 'orders-api/Audit', defaultDimensions: { Environment: 'prod' } };
 * createAuditLogger({ format: 'json', plugins: [emf(options)] });
 * ```
 */
export interface EmfPluginOptions {
  /**
   * CloudWatch namespace: `^[0-9A-Za-z.\-_/#: ]{1,255}$`, not starting with `AWS/`.
   * @default `AUDIT_EMF_NAMESPACE`, else `<service>/Audit`
   */
  readonly namespace?: string;
  /**
   * Dimension names and the audit field each takes its value from.
   * High-cardinality fields need `allowHighCardinality`.
   * @default { Action: 'action', Status: 'status' }
   */
  readonly dimensions?: Readonly<Record<string, DimensionSourceField>>;
  /**
   * Dimension sets; each name must be a key of `dimensions`. Default dimensions are appended to every set.
   * @default [['Action'], ['Action', 'Status']]
   */
  readonly dimensionSets?: readonly (readonly string[])[];
  /**
   * Fixed dimensions added to every set and written on every line, e.g. `{ Service: 'orders', Environment: 'prod' }`.
   * @default {}
   */
  readonly defaultDimensions?: Readonly<Record<string, string>>;
  /**
   * Extra metrics read from numeric `details` members, after `AuditEventCount` and `ActionDuration`.
   * @default []
   */
  readonly metrics?: readonly EmfDetailMetric[];
  /**
   * High-cardinality audit fields (`user_id`, `ip_address`, …) you accept as dimension sources, knowing each value is a billed metric.
   * @default []
   */
  readonly allowHighCardinality?: readonly DimensionSourceField[];
  /**
   * `1` makes every metric high resolution (billed as such).
   * @default 60
   */
  readonly storageResolution?: StorageResolution;
}

/**
 * Options of {@link createMetrics}.
 *
 * @example
 * ```ts
 * const options: MetricsOptions = { namespace: 'orders-api/App', dimensions: { Service: 'orders' } };
 * const metrics = createMetrics(options);
 * ```
 */
export interface MetricsOptions {
  /** CloudWatch namespace: `^[0-9A-Za-z.\-_/#: ]{1,255}$`, not starting with `AWS/`. */
  readonly namespace: string;
  /**
   * Dimensions on every document, e.g. `{ Service: 'orders' }`. `put(…, dims)` adds to them.
   * @default {}
   */
  readonly dimensions?: Readonly<Record<string, string>>;
  /**
   * Where documents go, one line each.
   * @default core's durable `createFdDestination()` (fd 1, synchronous)
   */
  readonly destination?: Pick<AuditDestination, 'write'>;
  /**
   * `1` makes every metric high resolution.
   * @default 60
   */
  readonly storageResolution?: StorageResolution;
}

/**
 * One metric CloudWatch would extract from a document (see `extractEmfMetrics`).
 *
 * @example
 * ```ts
 * const names = extractEmfMetrics(line).map((m) => `${m.namespace}/${m.name} (${m.unit})`);
 * ```
 */
export interface ExtractedEmfMetric {
  readonly namespace: string;
  readonly name: string;
  /** `'None'` when the definition has no unit, as CloudWatch assumes. */
  readonly unit: EmfUnit;
  /** 60 unless the definition says 1. */
  readonly storageResolution: StorageResolution;
  /** Dimension name → value, for one dimension set. */
  readonly dimensions: Readonly<Record<string, string>>;
  readonly values: readonly number[];
}
