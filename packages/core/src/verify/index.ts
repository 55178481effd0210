// `@auditline/core/verify`: the integrity verifier (SPEC §7), a subpath so a
// service that only logs does not load it (issue #14).
export { LINE_PREFIX as AUDIT_LINE_PREFIX } from '../line/framing.js';
export { escapeControlCharacters } from './input-text.js';
export { type VerifyOptions, verifyOptionsSchema } from './options.js';
export {
  type AfterStopIssue,
  type ChainBreakIssue,
  type DuplicateIssue,
  type GapIssue,
  type HashMismatch,
  type HashMismatchIssue,
  type InstanceReport,
  issueLine,
  type KeyReport,
  type MalformedEntryIssue,
  type MissingHeadIssue,
  type MissingKeyIssue,
  type NotAuditMarkerIssue,
  type OversizedLineIssue,
  type SeqRange,
  type StopMismatchIssue,
  type UnclosedIssue,
  type UnsignedEntryIssue,
  type UnsignedInstanceIssue,
  type VerifyIssue,
  type VerifyIssueCode,
  type VerifyIssueSeverity,
  type VerifyReport,
  type WrongKeyIssue,
} from './report.js';
export {
  type AuditVerifier,
  createAuditVerifier,
  MAX_VERIFY_LINE_CHARS,
  verifyAuditLog,
} from './verifier.js';
