// `@auditline/core/internal`: what the sibling packages (emf, infra, express)
// and the repository's own tests need from core, and users do not (issue #14).
// NO SEMVER PROMISE: anything here may change or go in any release. It is a
// subpath, not the root, so every name in the root stays a documented,
// versioned API, and a service that imports the root does not pull these in.

// The zod core validates with, for the siblings' option schemas: emf depends
// only on core (SPEC §2), and one zod instance serves every defineOptions.
export { z } from 'zod';
export { readAuditEnvironment, resolveAuditOptions } from './config.js';
// ENV_VARS and AuditlineError are the root's own constant and class, here too so
// `auditline verify` reaches them without loading the root, which loads pino (issue #15).
export { ENV_VARS } from './constants.js';
export { bindRequestContext, requestContextOf } from './context.js';
export {
  type ConfigIssueParams,
  configErrorFromZod,
  defineOptions,
  type OptionsDefinition,
  previewValue,
} from './define-options.js';
export { createFdDestination } from './destination.js';
export { AuditlineError } from './errors.js';
export { trustFragmentEscaping } from './escaped-fragments.js';
export { registerFormatPlugin } from './format-registry.js';
export { canonicalOf, createIntegrityChain, prepareHmac } from './integrity.js';
export { escapeLineSeparators } from './json-string.js';
export { compileRedaction, stripQuery } from './redaction.js';
export {
  type RequestContextResolver,
  type ResolvedRequest,
  registerRequestResolver,
  resolveRequest,
} from './request-resolver.js';
