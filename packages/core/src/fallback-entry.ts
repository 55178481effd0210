import { randomUUID } from 'node:crypto';
import { CUSTOM_ACTION_PATTERN, MAX_RESOURCE_LENGTH } from './constants.js';
import { finishLine } from './encode-entry.js';
import { stderr } from './failure-policy.js';
import { quoteJson as quote, stringifyJson } from './json-string.js';
import { LINE_PREFIX } from './line/index.js';
import type { CallState, LoggerState } from './logger-state.js';
import { cleanUrl, safeString } from './resolve-entry.js';
import type { AuditEntry } from './schema.js';
import { attachChainMembers } from './written-entry.js';

/**
 * Last resort when building the line itself failed (a bug, or a hostile
 * object that escaped every guard). The entry is still written, minimal and
 * flagged, so nothing is dropped silently (SPEC §4.6). It reuses the seq the
 * failed attempt took and cannot throw itself (issue #13).
 *
 * @example
 * ```ts
 * return writeFallback(state, params, error, call);
 * ```
 */
export function writeFallback(
  state: LoggerState,
  params: unknown,
  error: unknown,
  call: CallState,
): AuditEntry {
  if (!state.reportedInternalError) {
    state.reportedInternalError = true;
    stderr(
      'auditline: internal error while writing an audit entry; writing a minimal entry with details.internal_error instead.',
    );
  }
  let reason: string;
  try {
    reason = safeString((error as Error)?.message ?? error, 512);
  } catch {
    reason = 'unreadable error';
  }
  const source = (typeof params === 'object' && params !== null ? params : {}) as Record<
    string,
    unknown
  >;
  // Anything may throw here too (a getter, a Proxy): read each member defensively.
  const p: Record<string, unknown> = {};
  for (const key of ['action', 'resource', 'status']) {
    try {
      p[key] = source[key];
    } catch {
      p[key] = undefined;
    }
  }
  const pick = (v: unknown, max: number): string =>
    typeof v === 'string' && v.length > 0 ? v.slice(0, max) : '[invalid]';
  let resource: string;
  try {
    resource = cleanUrl(state, pick(p.resource, MAX_RESOURCE_LENGTH));
  } catch {
    resource = '[invalid]';
  }
  const entry: AuditEntry = {
    level: 'info',
    audit: true,
    timestamp: state.timestamp(Date.now()),
    service: state.options.service,
    instance: state.instance,
    seq: call.seq === 0 ? ++state.seq : call.seq,
    traceId: randomUUID(),
    user_id: 'anonymous',
    action:
      typeof p.action === 'string' && CUSTOM_ACTION_PATTERN.test(p.action) ? p.action : 'UNKNOWN',
    resource,
    status: p.status === 'SUCCESS' ? 'SUCCESS' : 'FAILED',
    details: { internal_error: reason },
  };
  const body = `${LINE_PREFIX}${entry.timestamp}${state.staticMembers}${entry.seq},"traceId":${quote(entry.traceId)},"user_id":"anonymous","action":${quote(entry.action)},"resource":${quote(entry.resource)},"status":${quote(entry.status)},"details":${stringifyJson(entry.details)}`;
  try {
    const line = finishLine(state, body, call);
    if (state.chain) attachChainMembers(entry, line, state.options.integrity?.keyId);
  } catch {
    // The destination itself throws: it has reported (or will report) the failure.
  }
  return entry;
}
