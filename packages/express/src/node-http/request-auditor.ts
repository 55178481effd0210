import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { AuditContext, AuditLogger } from '@auditline/core';
import {
  bindRequestContext,
  registerRequestResolver,
  requestContextOf,
} from '@auditline/core/internal';
import { ANSWER_POLL_MS } from '../constants.js';
import type { RequestTrace } from '../trace-context.js';
import { InFlightRequests } from './in-flight-requests.js';
import { type RequestDescription, writeRequestEntry } from './request-entry.js';
import { type RequestEnd, RequestState } from './request-state.js';
import { linkToSocket, takeSocketRequests, unlinkFromSocket } from './socket-requests.js';

/** What the framework layer supplies; everything is resolved once, at construction. */
export interface RequestAuditorConfig {
  readonly logger: AuditLogger;
  readonly isExcluded: (target: string) => boolean;
  readonly resolveTraceId: (req: IncomingMessage) => RequestTrace;
  readonly resolveUser: (req: IncomingMessage) => string | undefined;
  readonly clientIp: (req: IncomingMessage) => string | undefined;
  readonly userAgent: (req: IncomingMessage) => string | undefined;
  /** The request target as the app sees it (Express: `originalUrl`). */
  readonly target: (req: IncomingMessage) => string;
  /** Method, resource and route at the time the entry is written. */
  readonly describe: (state: RequestState) => RequestDescription;
  /** The matched route template so far, for explicit entries inside the request. */
  readonly routeOf: (req: IncomingMessage) => string | undefined;
  readonly accessDenied: boolean;
  readonly answerWaitMs: number;
  readonly drainTimeoutMs: number;
  readonly maxPathLength: number;
  readonly report: (kind: string, error: unknown) => void;
  /**
   * Called on an audited response's `finish`, after its entry is written: the
   * framework layer's own end-of-response work rides on this listener instead
   * of adding a second one per response (issue #15).
   */
  readonly afterFinish?: ((res: ServerResponse) => void) | undefined;
}

/** The framework-neutral core: one per middleware. */
export interface RequestAuditor {
  /**
   * Starts auditing a request; `undefined` when another mount (of this or
   * another copy of the package) already has it. For an excluded path the
   * state is a context only (`excluded`), with no automatic entry.
   */
  begin(
    req: IncomingMessage,
    res: ServerResponse,
    existing?: AuditContext | undefined,
  ): RequestState | undefined;
  /**
   * The request `res` answers, when this middleware audits it (or holds it as
   * excluded) and has not settled it: for a response whose `res.req` another
   * middleware replaced.
   */
  requestOf(res: ServerResponse): IncomingMessage | undefined;
}

/** An excluded request's context-only state (an inner mount may audit the same response). */
const EXCLUDED_STATE = Symbol('auditline.excluded-request-state');
type AuditedResponse = ServerResponse & {
  [EXCLUDED_STATE]?: RequestState;
};

/**
 * The audited state of the request this response answers: the request's own
 * context (`res.req`, which Node sets on every ServerResponse), when it is an
 * audited state for this very response. The response listeners are then two
 * functions per middleware, not two closures (and two `once` wrappers) per
 * request; and the state is not stored on the response too: on Node 20 each
 * property added to a request or response after Express re-prototypes it
 * costs about 1.7 µs, since V8 11 creates a new map for it (issue #15). Only
 * the mount that audits a request adds these listeners, and no other mount
 * rebinds an audited request's context (`begin` below), so the context found
 * is that mount's own state.
 */
function auditedStateOf(res: ServerResponse): RequestState | undefined {
  const req = (res as { req?: IncomingMessage }).req;
  if (req === undefined) return undefined;
  const state = requestContextOf(req);
  return state instanceof RequestState && state.res === res && !state.excluded ? state : undefined;
}

/** An excluded request's context ends with its response (SPEC §4.9). */
function onExcludedEnd(this: AuditedResponse): void {
  const state = this[EXCLUDED_STATE];
  if (state !== undefined) state.ended = true;
}

/** The ends of a request, shared rather than allocated per request. */
const FINISHED: RequestEnd = Object.freeze({ kind: 'finished' });
const GONE_ANSWERED: RequestEnd = Object.freeze({ kind: 'client-gone', answered: true });
const GONE_UNANSWERED: RequestEnd = Object.freeze({ kind: 'client-gone', answered: false });

/** One `close` listener per socket and copy of this module: each request goes to its own middleware. */
function onSocketClose(this: Socket): void {
  for (const state of takeSocketRequests(this)) state.whenClientGone?.(state);
}

/** Whether this copy registered its request resolver with core. */
let resolverRegistered = false;

/**
 * Builds the request lifecycle of SPEC §5.1 on node:http events alone, in the
 * style of tRPC's node-http adapter: the framework layer only supplies how to
 * read a request. Exactly one entry per request, whichever comes first: the
 * response finishing, the response or socket closing (then a bounded wait for
 * the handler's answer, SPEC §5.6), or the process stopping (SPEC §7).
 */
export function createRequestAuditor(config: RequestAuditorConfig): RequestAuditor {
  // `logAudit({ req })` takes the context this adapter resolved (issue #12);
  // once per copy of the package, at first use rather than on import.
  if (!resolverRegistered) {
    resolverRegistered = true;
    registerRequestResolver(requestContextOf);
  }
  const { logger, accessDenied, answerWaitMs, report, afterFinish } = config;

  const settle = (state: RequestState, end: RequestEnd): void => {
    if (state.ended) return;
    if (state.answerTimer !== undefined) clearTimeout(state.answerTimer);
    state.inFlight?.delete(state);
    const socket = state.req.socket as Socket | null;
    if (socket) unlinkFromSocket(socket, state);
    try {
      writeRequestEntry(state, end, config.describe(state), accessDenied, answerWaitMs);
    } catch (error) {
      report('writing the request audit entry', error);
    } finally {
      // The context ends with its request (SPEC §4.9): callbacks it leaves behind get no identity.
      state.ended = true;
    }
  };

  const inFlight = new InFlightRequests(config.drainTimeoutMs, (state, reason, exitCode) =>
    settle(state, { kind: 'interrupted', reason, exitCode }),
  );
  logger.registerInFlight?.(inFlight);

  /** The client or its socket went away: wait (bounded) for the handler's answer. */
  const onClientGone = (state: RequestState): void => {
    if (state.ended || state.clientGone) return;
    state.clientGone = true;
    if (state.res.writableEnded) {
      settle(state, GONE_ANSWERED);
      return;
    }
    const deadline = performance.now() + answerWaitMs;
    const check = (): void => {
      state.answerTimer = undefined;
      if (state.ended) return;
      if (state.res.writableEnded) {
        settle(state, GONE_ANSWERED);
      } else if (performance.now() >= deadline) {
        settle(state, GONE_UNANSWERED);
      } else {
        state.answerTimer = setTimeout(check, ANSWER_POLL_MS);
        state.answerTimer.unref();
      }
    };
    check();
  };

  /**
   * The state of a response this middleware audits. `res.req` is a plain
   * writable property: when another middleware replaced it (with a wrapper, or
   * another request) it no longer leads to the state, which is then found on
   * the in-flight list; without that the finished request's entry waited for
   * the socket to close and said `aborted` (issue #15 attack). A settled
   * request is off the list: nothing to find, nothing to write.
   */
  const stateOf = (res: ServerResponse): RequestState | undefined =>
    auditedStateOf(res) ?? inFlight.answering(res);

  // One `finish` and one `close` listener per response, shared by every
  // request of this middleware; the state is the response's request's context.
  function onResponseFinish(this: ServerResponse): void {
    const state = stateOf(this);
    if (state !== undefined) settle(state, FINISHED);
    afterFinish?.(this);
  }

  function onResponseClose(this: ServerResponse): void {
    const state = stateOf(this);
    if (state === undefined) return;
    if (this.writableFinished) settle(state, FINISHED);
    else onClientGone(state);
  }

  return {
    requestOf(res) {
      return (stateOf(res) ?? (res as AuditedResponse)[EXCLUDED_STATE])?.req;
    },
    begin(req, res, existing = requestContextOf(req)) {
      // Another mount (of any copy) audits it; one that only excluded it does not claim it.
      if (existing !== undefined && (existing as { excluded?: unknown }).excluded !== true) {
        return undefined;
      }
      const target = config.target(req);
      const excluded = config.isExcluded(target);
      if (excluded && existing !== undefined) return undefined;
      let trace: RequestTrace;
      try {
        trace = config.resolveTraceId(req);
      } catch (error) {
        report('reading the trace id', error);
        trace = { traceId: randomUUID(), spanId: undefined };
      }
      const state = new RequestState(
        req,
        res,
        {
          traceId: trace.traceId,
          spanId: trace.spanId,
          ip: config.clientIp(req),
          userAgent: config.userAgent(req),
          path:
            target.length > config.maxPathLength ? target.slice(0, config.maxPathLength) : target,
        },
        logger,
        config.resolveUser,
        excluded,
        config.routeOf,
      );
      bindRequestContext(req, state);
      if (excluded) {
        // A context without an entry; it still ends with its request (SPEC §4.9).
        (res as AuditedResponse)[EXCLUDED_STATE] = state;
        res.on('finish', onExcludedEnd);
        res.on('close', onExcludedEnd);
        return state;
      }
      inFlight.add(state);
      state.whenClientGone = onClientGone;

      // The listeners find the state through `res.req` (auditedStateOf).
      res.on('finish', onResponseFinish);
      res.on('close', onResponseClose);
      const socket = req.socket as Socket | null;
      if (socket) {
        // One `close` listener per socket and copy of this module, however many requests it carries.
        if (linkToSocket(socket, state)) socket.once('close', onSocketClose);
        // Already dead (it closed while an earlier middleware awaited): no close event is coming.
        if (socket.destroyed) onClientGone(state);
      }
      return state;
    },
  };
}
