import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type AuditContext,
  type AuditEntry,
  type AuditLogger,
  type AuditParams,
  type ContextEntryInfo,
  DETAIL_FIELDS,
  runWithAuditContext,
} from '@auditline/core';
import { toUserId } from '../user-id.js';
import type { InFlightRequests } from './in-flight-requests.js';

/** How a request's one entry came to be written. */
export type RequestEnd =
  /** The response finished: every byte was handed to the socket. */
  | { readonly kind: 'finished' }
  /** The client (or its socket) went away first; `answered`: the handler ended the response anyway. */
  | { readonly kind: 'client-gone'; readonly answered: boolean }
  /** The process stopped first (signal, exit, close); `reason` as core reports it. */
  | {
      readonly kind: 'interrupted';
      readonly reason: string;
      readonly exitCode: number | undefined;
    };

/** The first explicit entry written inside the request (SPEC §5.7). */
export interface RequestClaim {
  /** 0 until the claiming entry's line is written. */
  seq: number;
  readonly action: string;
  readonly status: string;
}

/**
 * Everything the adapter keeps about one request, private to it (issue #11):
 * stored in a WeakMap and in core's AsyncLocalStorage, never on shared
 * objects. It is also the request's audit context, so `logAudit()` anywhere in
 * the handler carries the request's fields (SPEC §5.7), and it ends with the
 * request: `ended` turns true when the entry is written (SPEC §4.9).
 *
 * A class, so every request's state shares one hidden class.
 */
export class RequestState implements AuditContext {
  readonly traceId: string;
  /** The active OpenTelemetry span's id, when `traceId` is its trace id. */
  readonly spanId: string | undefined;
  readonly ip: string | undefined;
  readonly userAgent: string | undefined;
  /** The method as received, before any override (method-override). */
  readonly method: string;
  readonly path: string;
  readonly logger: AuditLogger;
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly start: number;
  /**
   * The path is excluded here: the state is a context only (explicit entries
   * carry the request's fields), with no automatic entry, and an inner mount
   * that does not exclude the path takes the request over (SPEC §5.4).
   */
  readonly excluded: boolean;
  ended = false;
  /** The client went away; the entry waits (bounded) for the handler to answer. */
  clientGone = false;
  /** Lines written inside this request so far, the automatic entry included. */
  lines = 0;
  claim: RequestClaim | undefined = undefined;
  /** Some explicit entry of this request said FAILED. */
  explicitFailed = false;
  /** Set while the adapter writes the automatic entry, so it does not claim itself. */
  writingOwnEntry = false;
  /**
   * The `request_line` the automatic entry carries in its own `details`
   * (request-entry.ts), 0 when none, and the action and status it is written
   * with: core's link member is then not needed for it.
   */
  ownLine = 0;
  ownAction = '';
  ownStatus = '';
  /** The middleware's in-flight list it is on, and its links there (in-flight-requests.ts). */
  inFlight: InFlightRequests | undefined = undefined;
  inFlightPrevious: RequestState | undefined = undefined;
  inFlightNext: RequestState | undefined = undefined;
  /** Links of the socket's list (socket-requests.ts). */
  onSocket = false;
  socketPrevious: RequestState | undefined = undefined;
  socketNext: RequestState | undefined = undefined;
  /**
   * What the auditing middleware does when the socket dies under this request:
   * its own handler, whichever middleware's listener saw the socket close.
   */
  whenClientGone: ((state: RequestState) => void) | undefined = undefined;
  /** Timer of the bounded wait after the client left. */
  answerTimer: NodeJS.Timeout | undefined = undefined;
  readonly #resolveUser: (req: IncomingMessage) => string | undefined;
  readonly #routeOf: (req: IncomingMessage) => string | undefined;
  #firstUser: string | undefined = undefined;
  #explicitUser: string | undefined = undefined;

  constructor(
    req: IncomingMessage,
    res: ServerResponse,
    fields: {
      traceId: string;
      spanId: string | undefined;
      ip: string | undefined;
      userAgent: string | undefined;
      path: string;
    },
    logger: AuditLogger,
    resolveUser: (req: IncomingMessage) => string | undefined,
    excluded: boolean,
    routeOf: (req: IncomingMessage) => string | undefined = () => undefined,
  ) {
    this.#routeOf = routeOf;
    this.excluded = excluded;
    this.req = req;
    this.res = res;
    this.traceId = fields.traceId;
    this.spanId = fields.spanId;
    this.ip = fields.ip;
    this.userAgent = fields.userAgent;
    this.method = req.method ?? '';
    this.path = fields.path;
    this.logger = logger;
    this.#resolveUser = resolveUser;
    this.start = performance.now();
  }

  /**
   * The identity the request was authenticated as: the first non-empty user
   * seen, on an explicit entry or at finish (SPEC §5.3). Reading it samples
   * the current user once.
   */
  get userId(): string | undefined {
    if (this.#firstUser === undefined) this.#firstUser = this.currentUser();
    return this.#firstUser;
  }

  /** Middleware may name the user directly (`getAuditContext().userId = …`). */
  set userId(value: string | undefined) {
    const id = toUserId(value);
    this.#explicitUser = id;
    if (this.#firstUser === undefined) this.#firstUser = id;
  }

  /**
   * The first user seen, taking `now` (the user at finish, sampled once by the
   * caller) when none was seen before: `userId` would sample the user again.
   */
  firstUserOr(now: string | undefined): string | undefined {
    if (this.#firstUser === undefined) this.#firstUser = now;
    return this.#firstUser;
  }

  /** The matched route template, mounts included, once the router matched one (SPEC §3). */
  get route(): string | undefined {
    return this.#routeOf(this.req);
  }

  /** The user right now: the one set on the context, else `getUserId(req)` / `req.user?.id`. */
  currentUser(): string | undefined {
    return this.#explicitUser ?? this.#resolveUser(this.req);
  }

  /**
   * Core calls this for every entry written inside the request, before the line
   * is built. A prototype method, not a per-request closure: core calls it on
   * the context (`ctx.onEntry(…)`), so `this` is the state (issue #15).
   */
  onEntry(entry: ContextEntryInfo): Readonly<Record<string, unknown>> | undefined {
    this.lines++;
    if (this.writingOwnEntry) {
      // The automatic entry already holds its `request_line` as the last
      // member of its details, so core takes its plain details path instead of
      // merging a link object into a copy of them: the same bytes, without a
      // spread and a dictionary-mode copy per request (issue #15). A line that
      // slipped in between (a plugin that logs) shifts the count or differs in
      // action or status: it gets the link, and so does the automatic entry,
      // whose link then wins over the number in its details.
      if (
        this.lines === this.ownLine &&
        entry.action === this.ownAction &&
        entry.status === this.ownStatus
      ) {
        return undefined;
      }
    } else {
      if (this.claim === undefined) {
        this.claim = { seq: 0, action: entry.action, status: entry.status };
      }
      if (entry.status === 'FAILED') this.explicitFailed = true;
      // An explicit user_id is a user seen during the request, too.
      if (this.#firstUser === undefined && entry.userId !== undefined) {
        this.#firstUser = entry.userId;
      }
    }
    return { [DETAIL_FIELDS.requestLine]: this.lines };
  }

  /** Core calls this once an entry's line is written: the claim learns its `seq`. */
  onEntryWritten(seq: number): void {
    const claim = this.claim;
    if (claim !== undefined && claim.seq === 0 && !this.writingOwnEntry) claim.seq = seq;
  }

  /**
   * `req.audit(params)`: an explicit entry in this request's context, wherever
   * it is called from; explicit params win over the context (SPEC §5.7).
   */
  readonly audit = (params: AuditParams): AuditEntry =>
    runWithAuditContext(this, () => this.logger.log(params));

  /** Milliseconds since the request reached the adapter, 3 decimals. */
  durationMs(): number {
    return Math.round((performance.now() - this.start) * 1000) / 1000;
  }
}
