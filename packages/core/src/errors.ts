/**
 * Stable error codes. Match on `code`, never on `message`.
 *
 * @example
 * ```ts
 * try {
 *   createAuditLogger({ maxEntryBytes: 1024 });
 * } catch (err) {
 *   if (err instanceof AuditlineError && err.code === ERROR_CODES.invalidOptions) console.error(err.message);
 * }
 * ```
 */
export const ERROR_CODES = Object.freeze({
  invalidOptions: 'AUDIT_INVALID_OPTIONS',
  invalidEntry: 'AUDIT_INVALID_ENTRY',
  destinationFailed: 'AUDIT_DESTINATION_FAILED',
} as const);

/**
 * One of {@link ERROR_CODES}, or a code from another auditline package (`EMF_…`).
 *
 * @example
 * ```ts
 * declare function alertOnCall(reason: Error): void; // your paging hook
 * const code: AuditlineErrorCode = ERROR_CODES.destinationFailed; // 'AUDIT_DESTINATION_FAILED'
 * audit.on('error', (e) => { if (e.code === code) alertOnCall(e); });
 * ```
 */
export type AuditlineErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES] | (string & {});

/**
 * Base class of every error auditline throws. Carries a stable `code`.
 *
 * @example
 * ```ts
 * try { createAuditLogger({ maxEntryBytes: 1 }); } catch (e) {
 *   if (e instanceof AuditlineError) log.error(e.code); // AUDIT_INVALID_OPTIONS
 * }
 * ```
 */
export class AuditlineError extends Error {
  readonly code: AuditlineErrorCode;
  constructor(code: AuditlineErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/**
 * What a config error knows: the option's path, the full message, a short
 * preview of the value it got (never a secret's), and the fix.
 *
 * @example
 * ```ts
 * const facts: ConfigErrorFacts = { option: 'size', message: 'createWidget: invalid option "size"…', valuePreview: '42', fix: 'use 1 to 10' };
 * ```
 */
export interface ConfigErrorFacts {
  readonly option: string;
  readonly message: string;
  readonly valuePreview?: string | undefined;
  readonly fix?: string | undefined;
  /** A more precise code a refinement asked for (emf: `EMF_LIMIT_EXCEEDED`); the subclass decides. */
  readonly code?: string | undefined;
  readonly cause?: unknown;
}

/**
 * Base class of every option error of every auditline package (issue #14):
 * catch this one to handle them all. Carries the option's path, a value
 * preview and the fix; each package's subclass only sets its `code`
 * (`AuditConfigError` → `AUDIT_INVALID_OPTIONS`, `EmfConfigError` → `EMF_…`,
 * `InfraConfigError` → `INFRA_INVALID_OPTIONS`).
 *
 * @example
 * ```ts
 * try { emf({ namespace: 'AWS/Foo' }); } catch (e) {
 *   if (e instanceof AuditlineConfigError) log.error({ code: e.code, option: e.option, got: e.valuePreview }, e.fix ?? '');
 * }
 * ```
 */
export class AuditlineConfigError extends AuditlineError {
  readonly option: string;
  readonly valuePreview: string | undefined;
  readonly fix: string | undefined;
  constructor(code: AuditlineErrorCode, facts: ConfigErrorFacts) {
    super(code, facts.message, facts.cause === undefined ? undefined : { cause: facts.cause });
    this.option = facts.option;
    this.valuePreview = facts.valuePreview;
    this.fix = facts.fix;
  }
}

/**
 * Thrown at construction when an option is invalid. The message names the option,
 * the value it got and how to fix it; `option` holds the option's path.
 *
 * @example
 * ```ts
 * try { createAuditLogger({ onInvalid: 'ignore' as never }); }
 * catch (e) { if (e instanceof AuditConfigError) log.error(e.option); } // 'onInvalid'
 * ```
 */
export class AuditConfigError extends AuditlineConfigError {
  constructor(
    option: string,
    message: string,
    options?: { cause?: unknown; valuePreview?: string; fix?: string },
  ) {
    super(ERROR_CODES.invalidOptions, { ...options, option, message });
  }
}

/**
 * One problem found in `log()` params. Mirrors zod's issue shape: data, not prose.
 *
 * @example
 * ```ts
 * const strict = createAuditLogger({ onInvalid: 'throw' });
 * try {
 *   strict.log({ action: 'export-report', resource: '/reports/1', status: 'SUCCESS' });
 * } catch (e) {
 *   if (e instanceof AuditValidationError) for (const i of e.issues) log.error({ path: i.path, code: i.code }, i.message);
 * }
 * ```
 */
export interface AuditValidationIssue {
  readonly path: string;
  readonly code: string;
  readonly message: string;
}

/**
 * Thrown by `log()` only when `onInvalid: 'throw'` (tests, development).
 * The default, `'emit'`, writes the entry anyway with `details.validation_errors`.
 *
 * @example
 * ```ts
 * import { expect } from 'vitest';
 * const audit = createAuditLogger({ onInvalid: 'throw' });
 * // 'export-report' is not UPPER_SNAKE (CUSTOM_ACTION_PATTERN)
 * expect(() => audit.log({ action: 'export-report', resource: '/reports/1', status: 'SUCCESS' })).toThrow(AuditValidationError);
 * ```
 */
export class AuditValidationError extends AuditlineError {
  readonly issues: readonly AuditValidationIssue[];
  constructor(issues: readonly AuditValidationIssue[]) {
    super(
      ERROR_CODES.invalidEntry,
      `invalid audit entry: ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`,
    );
    this.issues = issues;
  }
}
