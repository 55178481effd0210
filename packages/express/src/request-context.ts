import type { AuditContext, AuditLogger } from '@auditline/core';
import { MAX_PATH_LENGTH } from '@auditline/core';
import type { Request } from 'express';
import { clientIp, userAgentOf } from './client-info.js';
import { toUserId } from './user-id.js';

/**
 * Per-request values that pino-http would otherwise add as own properties of
 * `req` and `res` (see request-fields.ts for why that is avoided). A class, so
 * every instance shares one hidden class.
 */
export class RequestSlots {
  id: unknown = undefined;
  reqLog: unknown = undefined;
  reqAllLogs: unknown = undefined;
  resLog: unknown = undefined;
  resAllLogs: unknown = undefined;
  startTime: unknown = undefined;
  reqObject: unknown = undefined;
}

/**
 * The audit context of one request, stored in core's AsyncLocalStorage so
 * `logAudit()` anywhere in the handler carries the request's fields (SPEC §5.7).
 * `userId` is read lazily: auth middleware usually runs after this one (SPEC §5.3).
 */
export class RequestAuditContext implements AuditContext {
  traceId: string | undefined = undefined;
  readonly ip: string | undefined;
  readonly userAgent: string | undefined;
  readonly method: string;
  readonly path: string;
  readonly logger: AuditLogger;
  /** @internal storage behind the request/response accessors. */
  readonly slots = new RequestSlots();
  readonly #req: Request;
  readonly #resolveUser: (req: Request) => string | undefined;
  readonly #start: number;
  #userId: string | undefined = undefined;
  #finished = false;

  constructor(
    req: Request,
    logger: AuditLogger,
    resolveUser: (req: Request) => string | undefined,
  ) {
    const url = req.originalUrl ?? req.url;
    this.ip = clientIp(req);
    this.userAgent = userAgentOf(req);
    this.method = req.method;
    this.path = url.length > MAX_PATH_LENGTH ? url.slice(0, MAX_PATH_LENGTH) : url;
    this.logger = logger;
    this.#req = req;
    this.#resolveUser = resolveUser;
    this.#start = performance.now();
  }

  /** The user set on the context, else `getUserId(req)` / `req.user?.id` now. */
  get userId(): string | undefined {
    return this.#userId ?? this.#resolveUser(this.#req);
  }

  set userId(value: string | undefined) {
    this.#userId = toUserId(value);
  }

  /** The once-only guard (SPEC §5.1): duration in ms the first time, undefined after. */
  finish(): number | undefined {
    if (this.#finished) return undefined;
    this.#finished = true;
    return Math.round((performance.now() - this.#start) * 1000) / 1000;
  }
}
