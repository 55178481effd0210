// `@auditline/core/internal/verify`: the verifier without zod, for
// `auditline verify` (issue #15). zod alone took 60 ms of the command's
// start-up on Node 20 (`@auditline/core/internal` re-exports it, and the
// public verifier resolves its options through a schema), while the command
// checks its own flags. NO SEMVER PROMISE, as for `@auditline/core/internal`.
export { ENV_VARS } from '../constants.js';
export { AuditlineError } from '../errors.js';
export { LINE_PREFIX as AUDIT_LINE_PREFIX } from '../line/framing.js';
export {
  type AuditVerifier,
  createResolvedVerifier,
  type InstrumentedVerifier,
  MAX_VERIFY_LINE_CHARS,
} from './engine.js';
export { escapeControlCharacters } from './input-text.js';
export {
  type InstanceReport,
  issueLine,
  type VerifyIssue,
  type VerifyIssueCode,
  type VerifyReport,
} from './report.js';
export {
  type ResolvedVerifyOptions,
  resolvedVerifyOptions,
  type VerifyKey,
} from './resolved-options.js';
