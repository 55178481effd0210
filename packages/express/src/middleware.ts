import type { IncomingMessage, ServerResponse } from 'node:http';
import { type AuditLogger, MAX_PATH_LENGTH, runWithAuditContext } from '@auditline/core';
import { requestContextOf } from '@auditline/core/internal';
import type { Application, Request, RequestHandler, Response } from 'express';
import { pinoHttp, stdSerializers } from 'pino-http';
import { checkTrustProxy, clientIp, userAgentOf } from './client-info.js';
import { TRACE_HEADER } from './constants.js';
import {
  buildDeferredRequestLogger,
  createRequestLoggerDeferral,
} from './deferred-request-logger.js';
import { createPathExcluder } from './excluded-paths.js';
import { describeExpressRequest, expressRouteOf } from './express-request.js';
import { createFailureReporter } from './failure-reporter.js';
import { createRequestAuditor } from './node-http/request-auditor.js';
import { RequestState } from './node-http/request-state.js';
import { type AuditMiddlewareOptions, resolveMiddlewareOptions } from './options.js';
import { createRequestTraceResolver } from './trace-context.js';
import { toUserId } from './user-id.js';

/** pino-http's own app-log messages, kept so log queries written for it still match. */
const COMPLETED_MESSAGE = 'request completed';
const ABORTED_MESSAGE = 'request aborted';
const FAILED_MESSAGE = 'request errored';
/** The level of pino-http's per-request completion line (see customLogLevel). */
const COMPLETION_LEVEL = 'debug';

/** Key of the trace id on app-log lines: the same as on audit lines (SPEC §3). */
const TRACE_ID_KEY = 'traceId';

/**
 * pino-http binds the request to `req.log` under `customAttributeKeys.req`.
 * Naming that key `traceId` and serialising the request to its trace id gives
 * `req.log` a top-level `traceId` with ONE child logger per request
 * (`quietReqLogger` makes a child of a child; dropping it took the middleware
 * from 12 to 5 µs per request in a loop benchmark) and never dumps headers
 * (SPEC §6; pino-http's default serialises every header). The id is the one
 * this middleware resolved, not `req.id`, which upstream middleware may own.
 * Values that are not a request (a user's own `traceId` field) pass through.
 */
function serializeTraceId(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  return requestContextOf(value)?.traceId ?? (value as { id?: unknown }).id;
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
 * Redefines `req[key]`, which already exists, on this request only. Never
 * overwrites what another middleware set; `ours` is the value an outer mount
 * that only excluded the path defined, which an inner mount that audits the
 * request replaces. The common case, no such name anywhere on the request or
 * its prototypes, is a plain store at the caller (see the middleware).
 */
function redefineOwn(req: object, key: string, value: unknown, ours: unknown): void {
  if (ours === undefined || (req as Record<string, unknown>)[key] !== ours) return;
  Object.defineProperty(req, key, { value, writable: true, configurable: true, enumerable: true });
}

/**
 * Express middleware that writes exactly one audit entry per executed request
 * (SPEC §5): when the response finishes, or when the client, the socket or the
 * process ends first, pipelined requests included. The lifecycle is the
 * adapter's own (node-http/), on node:http events; pino-http provides
 * `req.log`, the request's child logger carrying `traceId`. Handlers run
 * inside the request's audit context, so `logAudit()` anywhere below carries
 * traceId, user, ip, user agent, method and path. Mount it before routers and
 * auth.
 *
 * Options are validated here; a bad one throws `AuditConfigError` naming it.
 * Auditing never changes a response: failures are logged once at `error` level.
 *
 * @example
 * ```ts
 * import express, { type RequestHandler } from 'express';
 * import { createAuditLogger } from '@auditline/core';
 * import { auditMiddleware } from '@auditline/express';
 * import '@auditline/express/user'; // types req.user
 *
 * const authenticate: RequestHandler = (req, _res, next) => {
 *   req.user = { id: 'u-7' }; // from your session or token check
 *   next();
 * };
 * const app = express();
 * app.set('trust proxy', 1); // one ALB in front
 * app.use(auditMiddleware({ logger: createAuditLogger({ service: 'orders-api' }) }));
 * app.use(authenticate); // sets req.user; still ends up in user_id
 * app.delete('/orders/:id', (req, res) => res.sendStatus(204)); // → DELETE /orders/42 SUCCESS
 * ```
 */
export function auditMiddleware(options?: AuditMiddlewareOptions): RequestHandler {
  const resolved = resolveMiddlewareOptions(options);
  const audit: AuditLogger = resolved.logger;
  const getUserId = resolved.getUserId;
  const report = createFailureReporter(resolved.appLogger);
  const isExcluded = createPathExcluder(resolved.excludePaths);
  const resolveTraceId = createRequestTraceResolver(resolved.traceHeaders, resolved.traceIdSource);

  const resolveUser = (req: IncomingMessage): string | undefined => {
    try {
      return toUserId(
        getUserId ? getUserId(req as Request) : (req as { user?: { id?: unknown } }).user?.id,
      );
    } catch (error) {
      // SPEC §5.8: a throwing getUserId must not change the response; the entry says 'anonymous'.
      report('getUserId', error);
      return undefined;
    }
  };

  const auditor = createRequestAuditor({
    logger: audit,
    isExcluded,
    resolveTraceId: (req) => resolveTraceId(req.headers),
    resolveUser,
    clientIp: (req) => clientIp(req as Request),
    userAgent: (req) => userAgentOf(req as Request),
    target: (req) => (req as Request).originalUrl ?? req.url ?? '/',
    describe: (state: RequestState) => describeExpressRequest(state),
    routeOf: expressRouteOf,
    accessDenied: resolved.accessDenied,
    answerWaitMs: resolved.answerWaitMs,
    drainTimeoutMs: resolved.drainTimeoutMs,
    maxPathLength: MAX_PATH_LENGTH,
    report,
    afterFinish: onDeferredFinish,
  });
  // req.log deferred until first read; res.log finds its request even when res.req was replaced.
  const deferral = createRequestLoggerDeferral((res) => auditor.requestOf(res));

  // One pino-http instance per middleware: all option handling happens here,
  // the per-request closures only read consts (STYLE: pino-http). It provides
  // req.log only; the audit entry does not depend on its hooks (issue #11).
  const httpLogger = pinoHttp<Request, Response>({
    logger: resolved.appLogger,
    // Called only when no upstream middleware set req.id, which is left alone.
    // A request with a context already has its trace id echoed (excluded ones
    // too, SPEC §5.2): setting the header again cost a second header check per request.
    genReqId: (req, res) => {
      const known = requestContextOf(req)?.traceId;
      if (known !== undefined) return known;
      const id = resolveTraceId(req.headers).traceId;
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
    // The auditor already decided for its own requests: the normalised path is
    // not worked out twice per request (issue #15).
    autoLogging: {
      ignore: (req) => {
        const state = requestContextOf(req);
        return state instanceof RequestState
          ? state.excluded
          : isExcluded(req.originalUrl ?? req.url);
      },
    },
    // The app-log "request completed" line repeats the audit entry, so it
    // stays below the default level. A real error object is worth an app-log
    // line: the audit entry has no stack.
    customLogLevel: (_req, res, error) =>
      error !== undefined || res.err !== undefined ? 'error' : COMPLETION_LEVEL,
    customSuccessMessage: (_req, res) =>
      res.writableFinished ? COMPLETED_MESSAGE : ABORTED_MESSAGE,
  });

  // Builds req.log on first read when it was deferred (deferred-request-logger.ts).
  const buildRequestLogger = (req: IncomingMessage): void => {
    const state = requestContextOf(req) as RequestState | undefined;
    const res = (req as Request).res ?? state?.res;
    if (res === undefined) return;
    try {
      httpLogger(req as Request, res as Response);
    } catch (error) {
      report('creating req.log', error);
    }
  };
  const appLogger = resolved.appLogger;
  const canDefer = typeof appLogger.isLevelEnabled === 'function';

  /**
   * pino-http's failure line for a request whose req.log was never read. It
   * listened for the response's `error` (which also kept an unhandled `error`
   * from crashing the process): the event is logged here, since a listener
   * added now misses it. A `res.err` at finish only needs req.log built:
   * pino-http's own listener then writes its line when the response closes.
   */
  function onDeferredError(this: ServerResponse, err: unknown): void {
    const req = deferral.pendingRequestOf(this);
    if (req === undefined) return;
    try {
      (req as Request).log?.error({ res: this, err }, FAILED_MESSAGE);
    } catch (error) {
      report('logging a response error', error);
    }
  }
  /**
   * Run by the auditor's own `finish` listener (one listener per response,
   * issue #15); a request whose req.log was not deferred has nothing pending.
   * An excluded request needs none: pino-http's `autoLogging.ignore` skips it.
   */
  function onDeferredFinish(res: ServerResponse): void {
    if ((res as { err?: unknown }).err === undefined) return;
    const req = deferral.pendingRequestOf(res);
    if (req !== undefined) buildDeferredRequestLogger(req);
  }

  let checkedApp: Application | undefined;

  return function auditline(req, res, next) {
    if (audit.closed === true && !isExcluded(req.originalUrl ?? req.url)) {
      // After AUDIT_STOP nothing may be written (SPEC §7), so an action taken
      // now could not be audited: refuse it rather than act unrecorded.
      res.statusCode = 503;
      res.setHeader('connection', 'close');
      res.end();
      return;
    }
    let state: RequestState | undefined;
    // Looked up once per request and handed on (issue #15).
    const previous = requestContextOf(req);
    try {
      if (req.app !== checkedApp) {
        checkedApp = req.app;
        checkTrustProxy(req.app);
      }
      state = auditor.begin(req, res, previous);
    } catch (error) {
      report('setting up request auditing', error);
    }
    if (state === undefined) {
      // Another mount owns it (or setup failed): req.log still works.
      if (req.log === undefined) httpLogger(req, res, next);
      else next();
      return;
    }
    if (!res.headersSent) res.setHeader(TRACE_HEADER, state.traceId);
    // Own properties of this request only: nothing on Express's, Node's or
    // pino-http's shared prototypes (issue #11).
    // Nothing of that name on the request or its prototypes: a plain store
    // creates the same own data property as defineProperty. Each name is
    // checked at its own site, not through one shared keyed check: on Node 24
    // that took the two from ~0.1-0.2 us to near nothing (issue #15).
    const own: object = req;
    if (!('traceId' in own)) req.traceId = state.traceId;
    else redefineOwn(req, 'traceId', state.traceId, previous?.traceId);
    if (!('audit' in own)) req.audit = state.audit;
    else
      redefineOwn(req, 'audit', state.audit, (previous as { audit?: unknown } | undefined)?.audit);
    if (req.log !== undefined) {
      runWithAuditContext(state, next);
    } else if (canDefer && !appLogger.isLevelEnabled(COMPLETION_LEVEL)) {
      // req.log is built on first read (issue #15); req.id as pino-http sets it.
      if (!(req as { id?: unknown }).id) (req as { id?: unknown }).id = state.traceId;
      deferral.defer(req, res, buildRequestLogger);
      res.on('error', onDeferredError);
      runWithAuditContext(state, next);
    } else {
      runWithAuditContext(state, () => httpLogger(req, res, next));
    }
  };
}
