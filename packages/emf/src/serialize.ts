import { escapeLineSeparators } from '@auditline/core/internal';
import { EmfDocumentError } from './errors.js';
import type { EmfDocument } from './types.js';
import { type ValidateEmfOptions, validateEmf } from './validate.js';

/**
 * Serialises any EMF document to one line of JSON (no trailing newline), with
 * `_aws` first. The document is validated first: instead of writing EMF that
 * CloudWatch would drop silently, this throws `EmfDocumentError` listing the
 * issues. U+2028/U+2029 are escaped so the line stays one line for every
 * consumer (SPEC §4.6).
 *
 * @example
 * ```ts
 * process.stdout.write(serializeEmf({
 *   _aws: { Timestamp: Date.now(), CloudWatchMetrics: [{ Namespace: 'shop/App', Dimensions: [['Route']], Metrics: [{ Name: 'Latency', Unit: 'Milliseconds' }] }] },
 *   Route: '/orders',
 *   Latency: 12,
 * }) + '\n');
 * ```
 */
export function serializeEmf(doc: EmfDocument, options?: ValidateEmfOptions): string {
  const issues = validateEmf(doc, options);
  if (issues.length > 0) throw new EmfDocumentError(issues);
  // Cold path (one call per document); `_aws` first keeps lines readable.
  const { _aws, ...members } = doc;
  const rest = JSON.stringify(members);
  const json = `{"_aws":${JSON.stringify(_aws)}${rest === '{}' ? '}' : `,${rest.slice(1)}`}`;
  return escapeLineSeparators(json);
}
