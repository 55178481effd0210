import { randomUUID } from 'node:crypto';
import { runWithAuditContext } from '@auditline/core';
import type { Application, Request, RequestHandler, Response } from 'express';
import { pinoHttp, stdSerializers } from 'pino-http';
import { checkTrustProxy } from './client-info.js';
import { TRACE_HEADER } from './constants.js';
import { createPathExcluder } from './excluded-paths.js';
import { createFailureReporter } from './failure-reporter.js';
import { type AuditMiddlewareOptions, resolveMiddlewareOptions } from './options.js';
import { RequestAuditContext } from './request-context.js';
import { createEntryWriter } from './request-entry.js';
import { adoptPinoHttpSymbols, attachContext, contextOf } from './request-fields.js';
import { createTraceIdResolver } from './trace-context.js';
import { toUserId } from './user-id.js';

/** pino-http's own app-log messages, kept so log queries written for it still match. */
const COMPLETED_MESSAGE = 'request completed';
const ABORTED_MESSAGE = 'request aborted';

/** Key of the trace id on app-log lines: the same as on audit lines (SPEC §3). */
const TRACE_ID_KEY = 'traceId';

/**
 * pino-http binds the request to `req.log` under `customAttributeKeys.req`.
 * Naming that key `traceId` and serialising the request to its id gives
 * `req.log` a top-level `traceId` with ONE child logger per request
 * (`quietReqLogger` makes a child of a child; dropping it took the middleware
 * from 12 to 5 µs per request in a loop benchmark) and never
 * dumps headers (SPEC §6; pino-http's default serialises every header).
 * Values that are not a request (a user's own `traceId` field) pass through.
 */
function serializeTraceId(value: unknown): unknown {
  return typeof value === 'object' && value !== null ? (value as { id?: unknown }).id : value;
}

/**
 * For `req.log.info({ req })` in app code: method and path only. Headers are
 * never logged wholesale and a query string may hold a token (SPEC §6).
 * Serialisers only run when a line has the key: no per-request cost.
 */
function serializeRequest(req: Request): { method: string; url: string } {
  const url = req.originalUrl ?? req.url;
  const q = url.indexOf('?');
  return { method: req.method, url: q === -1 ? url : url.slice(0, q) };
}

function serializeResponse(res: Response): { statusCode: number } {
  return { statusCode: res.statusCode };
}

/**
 * Express middleware that writes exactly one audit entry per request when the
 * response finishes, aborted requests included (SPEC §5). Built on pino-http:
 * `req.log` is the request's child logger carrying `traceId`, writing to the
 * audit logger's destination. Handlers run inside the request's audit context,
 * so `logAudit()` anywhere below carries traceId, user, ip, user agent, method
 * and path. Mount it before routers and auth: `user_id` is resolved at finish.
 *
 * Options are validated here; a bad one throws `AuditConfigError` naming it.
 * Auditing never changes a response: failures are logged once at `error` level.
 *
 * @example
 * ```ts
 * import express from 'express';
 * import { createAuditLogger } from '@auditline/core';
 * import { auditMiddleware } from '@auditline/express';
 *
 * const app = express();
 * app.set('trust proxy', 1); // one ALB in front
 * app.use(auditMiddleware({ logger: createAuditLogger({ service: 'orders-api' }) }));
 * app.use(authenticate); // sets req.user; still ends up in user_id
 * app.delete('/orders/:id', (req, res) => res.sendStatus(204)); // → DELETE /orders/42 SUCCESS
 * ```
 */
export function auditMiddleware(options?: AuditMiddlewareOptions): RequestHandler {
  const resolved = resolveMiddlewareOptions(options);
  const audit = resolved.logger;
  const getUserId = resolved.getUserId;
  const report = createFailureReporter(resolved.appLogger);
  const isExcluded = createPathExcluder(resolved.excludePaths);
  const resolveTraceId = createTraceIdResolver(resolved.traceHeaders);
  const writeEntry = createEntryWriter(audit, resolved.accessDenied);

  const resolveUser = (req: Request): string | undefined => {
    try {
      return toUserId(getUserId ? getUserId(req) : (req as { user?: { id?: unknown } }).user?.id);
    } catch (error) {
      // SPEC §5.8: a throwing getUserId must not change the response; the entry says 'anonymous'.
      report('getUserId', error);
      return undefined;
    }
  };

  const onFinished = (req: Request, res: Response, error: Error | undefined): boolean => {
    const ctx = contextOf(req);
    if (ctx === undefined) return false;
    try {
      return writeEntry(ctx, res, error);
    } catch (failure) {
      report('writing the request audit entry', failure);
      return false;
    }
  };

  // pino-http evaluates the success object (our hook) and then the message, in
  // one call: the hook already knows whether the request was aborted, so the
  // message needs no second look at req/res.
  let successMessage = COMPLETED_MESSAGE;

  // One pino-http instance per middleware: all option handling happens here,
  // the per-request closures only read consts (STYLE: pino-http).
  const httpLogger = pinoHttp<Request, Response>({
    logger: resolved.appLogger,
    genReqId: (req, res) => {
      let id: string;
      try {
        id = resolveTraceId(req.headers);
      } catch (error) {
        report('reading the trace id', error);
        id = randomUUID();
      }
      const ctx = contextOf(req);
      if (ctx !== undefined) ctx.traceId = id;
      if (!res.headersSent) res.setHeader(TRACE_HEADER, id);
      return id;
    },
    customAttributeKeys: { req: TRACE_ID_KEY },
    wrapSerializers: false,
    serializers: {
      [TRACE_ID_KEY]: serializeTraceId,
      req: serializeRequest,
      res: serializeResponse,
      err: stdSerializers.err,
    },
    autoLogging: { ignore: (req) => isExcluded(req.originalUrl ?? req.url) },
    // pino-http returns before the object hooks when the level is 'silent', so
    // 'debug' keeps the hook running while the app-log "request completed" line
    // (a duplicate of the audit entry) stays below the default level. A real
    // error object is worth an app-log line: the audit entry has no stack.
    customLogLevel: (_req, res, error) =>
      error !== undefined || res.err !== undefined ? 'error' : 'debug',
    customSuccessObject: (req, res, value: unknown) => {
      successMessage = onFinished(req, res, undefined) ? ABORTED_MESSAGE : COMPLETED_MESSAGE;
      return value;
    },
    customSuccessMessage: () => successMessage,
    customErrorObject: (req, res, error, value: unknown) => {
      onFinished(req, res, error);
      return value;
    },
  });

  let checkedApp: Application | undefined;

  return function auditline(req, res, next) {
    // Mounted twice (app and router): the first mount owns the request's one entry.
    if (contextOf(req) !== undefined) {
      next();
      return;
    }
    let ctx: RequestAuditContext;
    try {
      if (req.app !== checkedApp) {
        checkedApp = req.app;
        checkTrustProxy(req.app);
      }
      ctx = new RequestAuditContext(req, audit, resolveUser);
      attachContext(req, res, ctx);
      // pino-http skips genReqId when req.id is set; only the headers of SPEC §5.2 may choose the id.
      if (req.id !== undefined) Reflect.deleteProperty(req, 'id');
    } catch (error) {
      report('setting up request auditing', error);
      next();
      return;
    }
    runWithAuditContext(ctx, () => httpLogger(req, res, next));
    adoptPinoHttpSymbols(res);
  };
}
