import {
  AUDIT_ACTIONS,
  AUDIT_STATUSES,
  type AuditDetails,
  type AuditParams,
  DETAIL_FIELDS,
  getAuditContext,
  MAX_RESOURCE_LENGTH,
  MAX_ROUTE_LENGTH,
  REQUEST_OUTCOME_ACTION,
  runWithAuditContext,
} from '@auditline/core';
import { actionForMethod } from '../actions.js';
import {
  ABORTED_ERROR,
  ACCESS_DENIED_STATUS_CODES,
  INTERRUPTED_ERROR,
  MAX_STATUS_MESSAGE_LENGTH,
  UNANSWERED_ERROR,
} from '../constants.js';
import type { RequestEnd, RequestState } from './request-state.js';

/** What the framework layer knows when the entry is written. */
export interface RequestDescription {
  /** The method the router dispatched (after any override), SPEC §3. */
  readonly method: string;
  readonly resource: string;
  /** The matched route template, mounts included, when the framework knows it. */
  readonly route: string | undefined;
}

/** Reason phrase for `details.error`; `res.statusMessage` is what the client got. */
function statusMessageOf(message: unknown, fallback: string): string {
  if (typeof message !== 'string' || message === '') return fallback;
  return message.length > MAX_STATUS_MESSAGE_LENGTH
    ? message.slice(0, MAX_STATUS_MESSAGE_LENGTH)
    : message;
}

/** The user at finish, when it differs from the identity the request was authenticated as (SPEC §5.3). */
function identityChange(
  first: string | undefined,
  now: string | undefined,
): Record<string, unknown> | undefined {
  if (first === undefined || now === first) return undefined;
  return now === undefined ? { identity_at_finish: null } : { acting_as: now };
}

/**
 * Writes the one automatic entry of a request (SPEC §5.1, §5.5, §5.6, §5.7).
 * The status follows the status code the handler set, whatever ended the
 * request; a handler that never answered is FAILED, and the line says why.
 * When an explicit entry claimed the request, this entry is the outcome
 * record (`REQUEST_OUTCOME`, see the README's "What each request writes").
 */
export function writeRequestEntry(
  state: RequestState,
  end: RequestEnd,
  described: RequestDescription,
  accessDenied: boolean,
  waitedMs: number,
): void {
  const res = state.res;
  const methodAction = actionForMethod(described.method);
  const answered =
    end.kind === 'finished' ||
    (end.kind === 'client-gone' && end.answered) ||
    (end.kind === 'interrupted' && res.writableEnded);
  const statusCode = res.statusCode;
  const details: AuditDetails & Record<string, unknown> = {};
  // A status code is claimed only when the handler set one the client could see.
  if (answered || res.headersSent) details.statusCode = statusCode;
  details.duration_ms = state.durationMs();
  const status: 'SUCCESS' | 'FAILED' =
    answered && statusCode < 400 ? AUDIT_STATUSES.SUCCESS : AUDIT_STATUSES.FAILED;
  if (state.clientGone) details.aborted = true;
  if (end.kind === 'interrupted') {
    details.interrupted = end.reason;
    if (end.exitCode !== undefined) details.exit_code = end.exitCode;
  }
  if (!answered) {
    details.answered = false;
    details.error =
      end.kind === 'interrupted' ? INTERRUPTED_ERROR : `${UNANSWERED_ERROR} within ${waitedMs} ms`;
  } else if (status === AUDIT_STATUSES.FAILED) {
    details.error = statusMessageOf(res.statusMessage, 'response error');
  } else if (state.clientGone) {
    details.reason = ABORTED_ERROR;
  }
  if (described.method !== state.method) details.original_method = state.method;

  // The user right now, sampled once: it is also the first user when none was seen earlier.
  const userNow = state.currentUser();
  const firstUser = state.firstUserOr(userNow);
  const change = identityChange(firstUser, userNow);
  if (change !== undefined) Object.assign(details, change);

  let action = methodAction;
  const claim = state.claim;
  if (claim !== undefined) {
    // The explicit entry is the counted event; this line records the outcome.
    action = REQUEST_OUTCOME_ACTION;
    details.attempted_action = methodAction;
    details[DETAIL_FIELDS.claimedBy] = claim.seq;
    if (status === AUDIT_STATUSES.FAILED && !state.explicitFailed) {
      details[DETAIL_FIELDS.contradictsClaim] = true;
    }
  } else if (
    accessDenied &&
    status === AUDIT_STATUSES.FAILED &&
    ACCESS_DENIED_STATUS_CODES.has(statusCode) &&
    answered
  ) {
    action = AUDIT_ACTIONS.ACCESS_DENIED;
    details.attempted_action = methodAction;
  }

  const resource = described.resource;
  const route = described.route;
  const params: AuditParams = {
    traceId: state.traceId,
    user_id: firstUser ?? 'anonymous',
    action,
    resource:
      resource.length > MAX_RESOURCE_LENGTH ? resource.slice(0, MAX_RESOURCE_LENGTH) : resource,
    status,
    method: described.method,
    path: state.path,
    ip_address: state.ip,
    user_agent: state.userAgent,
    details,
  };
  // Assigned, not spread in: a spread copied the params object per request (issue #15).
  if (route !== undefined) {
    params.route = route.length > MAX_ROUTE_LENGTH ? route.slice(0, MAX_ROUTE_LENGTH) : route;
  }
  // Last, where core's link member went (request-state.ts `onEntry`): the same bytes.
  state.ownLine = state.lines + 1;
  state.ownAction = action;
  state.ownStatus = status;
  details[DETAIL_FIELDS.requestLine] = state.ownLine;
  state.writingOwnEntry = true;
  try {
    // Inside the request's own context, whatever context emitted the event, so
    // core links this line to this request and to no other (SPEC §5.7). The
    // response's events usually run in it already: no second frame then.
    if (getAuditContext() === state) state.logger.log(params);
    else runWithAuditContext(state, () => state.logger.log(params));
  } finally {
    state.writingOwnEntry = false;
    state.ownLine = 0;
  }
}
