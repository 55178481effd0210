import {
  AUDIT_ACTIONS,
  AUDIT_STATUSES,
  type AuditDetails,
  type AuditLogger,
  MAX_RESOURCE_LENGTH,
} from '@auditline/core';
import type { Response } from 'express';
import { actionForMethod } from './actions.js';
import {
  ABORTED_ERROR,
  ACCESS_DENIED_STATUS_CODES,
  MAX_STATUS_MESSAGE_LENGTH,
} from './constants.js';
import type { RequestAuditContext } from './request-context.js';

/** Reason phrase for `details.error`; `res.statusMessage` is what the client got. */
function statusMessageOf(res: Response, fallback: string): string {
  const message = res.statusMessage;
  if (typeof message !== 'string' || message === '') return fallback;
  return message.length > MAX_STATUS_MESSAGE_LENGTH
    ? message.slice(0, MAX_STATUS_MESSAGE_LENGTH)
    : message;
}

/**
 * Builds the writer of the one entry per request (SPEC §5.1, §5.5, §5.6). It is
 * called from pino-http's finish hook; the context's once-only guard makes a
 * second call a no-op whatever fires it.
 */
export function createEntryWriter(
  audit: AuditLogger,
  accessDenied: boolean,
): (ctx: RequestAuditContext, res: Response, error: Error | undefined) => boolean {
  // Returns whether the request was aborted, for pino-http's app-log message.
  return (ctx, res, error) => {
    const durationMs = ctx.finish();
    if (durationMs === undefined) return false;
    const methodAction = actionForMethod(ctx.method);
    const statusCode = res.statusCode;
    let action = methodAction;
    let status: 'SUCCESS' | 'FAILED' = AUDIT_STATUSES.FAILED;
    let details: AuditDetails;
    // pino-http calls the hook from `close` as well as `finish`: a response that
    // never finished was cut off by the client (SPEC §5.6).
    const aborted = !res.writableFinished;
    if (aborted) {
      details = res.headersSent
        ? { statusCode, duration_ms: durationMs, aborted: true, error: ABORTED_ERROR }
        : { duration_ms: durationMs, aborted: true, error: ABORTED_ERROR };
    } else if (statusCode >= 400 || error !== undefined) {
      details = {
        statusCode,
        duration_ms: durationMs,
        error: statusMessageOf(res, 'response error'),
      };
      if (accessDenied && ACCESS_DENIED_STATUS_CODES.has(statusCode)) {
        action = AUDIT_ACTIONS.ACCESS_DENIED;
        details.attempted_action = methodAction;
      }
    } else {
      status = AUDIT_STATUSES.SUCCESS;
      details = { statusCode, duration_ms: durationMs };
    }
    const path = ctx.path;
    audit.log({
      traceId: ctx.traceId,
      user_id: ctx.userId ?? 'anonymous',
      action,
      resource: path.length > MAX_RESOURCE_LENGTH ? path.slice(0, MAX_RESOURCE_LENGTH) : path,
      status,
      method: ctx.method,
      path,
      ip_address: ctx.ip,
      user_agent: ctx.userAgent,
      details,
    });
    return aborted;
  };
}
