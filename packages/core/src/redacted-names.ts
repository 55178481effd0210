// The censor string and the names censored by default (SPEC §6); re-exported by constants.ts.

/**
 * The censor string (SPEC §6).
 *
 * @example
 * ```ts
 * audit.log({ action: 'LOGIN', resource: '/login', status: 'SUCCESS', details: { password: 'x' } });
 * sink.events()[0]?.details?.password === REDACTED; // true
 * ```
 */
export const REDACTED = '[REDACTED]';

/**
 * Names censored by default (SPEC §6), matched by meaning at any depth: every
 * spelling and compound (`accessToken`, `x-auth-token`); see the README's Redaction section.
 *
 * @example
 * ```ts
 * import { DEFAULT_REDACT_KEYS } from '@auditline/core';
 * createAuditLogger({ redact: [...DEFAULT_REDACT_KEYS, 'iban'] });
 * ```
 */
export const DEFAULT_REDACT_KEYS = Object.freeze([
  'password',
  'passwd',
  'secret',
  'token',
  'access_token',
  'refresh_token',
  'id_token',
  'authorization',
  'cookie',
  'set-cookie',
  'api_key',
  'apikey',
  'x-api-key',
  'client_secret',
  'private_key',
  'card_number',
  'cvv',
  'ssn',
] as const);
