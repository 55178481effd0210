import { AuditlineConfigError, AuditlineError } from '@auditline/core';
import type { EmfIssue } from './types.js';

/**
 * Stable codes of the errors this package throws. Match on `code`, never on `message`.
 *
 * @example
 * ```ts
 * try {
 *   // 31 default dimensions: over CloudWatch's 30 keys per dimension set
 *   const dimensions = Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`D${i}`, 'x']));
 *   createMetrics({ namespace: 'shop/App', dimensions });
 * } catch (e) {
 *   if (e instanceof EmfConfigError && e.code === EMF_ERROR_CODES.limitExceeded) console.error(e.message);
 * }
 * ```
 */
export const EMF_ERROR_CODES = Object.freeze({
  /** An option has the wrong type, spelling or pattern. */
  invalidConfig: 'EMF_INVALID_CONFIG',
  /** An option breaks a CloudWatch limit (too many metrics, keys, characters). */
  limitExceeded: 'EMF_LIMIT_EXCEEDED',
  /** `serializeEmf` was given a document CloudWatch would reject. */
  invalidDocument: 'EMF_INVALID_DOCUMENT',
} as const);

/**
 * One of {@link EMF_ERROR_CODES}.
 *
 * @example
 * ```ts
 * const code: EmfErrorCode = EMF_ERROR_CODES.limitExceeded; // 'EMF_LIMIT_EXCEEDED'
 * if (e instanceof EmfConfigError && e.code === code) log.error(e.option);
 * ```
 */
export type EmfErrorCode = (typeof EMF_ERROR_CODES)[keyof typeof EMF_ERROR_CODES];

/**
 * Thrown at construction (or by `createMetrics().put` for a new name) when a
 * setting would make CloudWatch reject the EMF silently (SPEC §8.3). The
 * message names the field, the value, the limit and the fix; `option` holds
 * the field's path.
 *
 * @example
 * ```ts
 * try { emf({ namespace: 'AWS/Foo' }); }
 * catch (e) { if (e instanceof EmfConfigError) log.error({ option: e.option, code: e.code }, e.message); } // namespace EMF_INVALID_CONFIG
 * ```
 */
export class EmfConfigError extends AuditlineConfigError {
  constructor(
    code: EmfErrorCode,
    option: string,
    message: string,
    options?: { cause?: unknown; valuePreview?: string; fix?: string },
  ) {
    // One base for every package's option errors (issue #14); this class only sets the code.
    super(code, { ...options, option, message });
  }
}

/**
 * Thrown by `serializeEmf` when the document is not valid EMF. `issues` are the
 * same typed issues `validateEmf` returns.
 *
 * @example
 * ```ts
 * try { serializeEmf(doc); } catch (e) { if (e instanceof EmfDocumentError) log.error(e.issues); }
 * ```
 */
export class EmfDocumentError extends AuditlineError {
  readonly issues: readonly EmfIssue[];
  constructor(issues: readonly EmfIssue[]) {
    super(
      EMF_ERROR_CODES.invalidDocument,
      `invalid EMF document (CloudWatch would drop it silently): ${issues
        .map((i) => `${i.path || '(root)'}: ${i.message}`)
        .join('; ')}`,
    );
    this.issues = issues;
  }
}
