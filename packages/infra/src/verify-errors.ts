// Not core's root, which loads pino, nor core/internal, which loads zod: `auditline verify` loads this (issue #15).
import { AuditlineError } from '@auditline/core/internal/verify';

/** Stable codes of `auditline verify` failures that stop verification (exit 2). */
export const VERIFY_ERROR_CODES = Object.freeze({
  usage: 'VERIFY_USAGE',
  unreadableInput: 'VERIFY_UNREADABLE_INPUT',
  badKey: 'VERIFY_BAD_KEY',
} as const);

/**
 * Bad command line: unknown flag, conflicting key options.
 *
 * @example
 * ```ts
 * throw new VerifyUsageError('--key and --key-file both give the key. Fix: pass only one.');
 * ```
 */
export class VerifyUsageError extends AuditlineError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(VERIFY_ERROR_CODES.usage, message, options);
  }
}

/**
 * An input that cannot be read: missing file, corrupt gzip, I/O error.
 *
 * @example
 * ```ts
 * throw new VerifyInputError('audit.gz: cannot read input: not valid gzip');
 * ```
 */
export class VerifyInputError extends AuditlineError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(VERIFY_ERROR_CODES.unreadableInput, message, options);
  }
}

/**
 * A key that cannot be used: empty, unreadable key file, malformed `--keys-json`.
 *
 * @example
 * ```ts
 * throw new VerifyKeyError('--key-file key.txt: the file is empty.');
 * ```
 */
export class VerifyKeyError extends AuditlineError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(VERIFY_ERROR_CODES.badKey, message, options);
  }
}
