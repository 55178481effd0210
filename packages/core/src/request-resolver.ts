import { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { MAX_METHOD_LENGTH, MAX_PATH_LENGTH, MAX_USER_AGENT_LENGTH } from './constants.js';
import type { AuditContext } from './context.js';

/**
 * Answers "which audit context did the middleware resolve for this request
 * object?", or `undefined` when it never saw it. An adapter registers one with
 * {@link registerRequestResolver}.
 *
 * @example
 * ```ts
 * const contexts = new WeakMap<object, AuditContext>();
 * const resolver: RequestContextResolver = (req) => contexts.get(req);
 * ```
 */
export type RequestContextResolver = (req: object) => AuditContext | undefined;

/** What `log({ req })` lends to the entry. */
export interface ResolvedRequest {
  readonly context: AuditContext;
  /**
   * True when no registered adapter knew the request, so the fields were read
   * from the node:http request itself (issue #12): no user, no trusted-proxy IP.
   */
  readonly unresolved: boolean;
}

interface ResolverRegistry {
  readonly resolvers: Set<RequestContextResolver>;
}

/**
 * On `globalThis` under `Symbol.for`, so two copies of `@auditline/core` in one
 * process (npm nests one when versions differ) consult the same adapters
 * (SPEC §2): an adapter that imported one copy still answers for `logAudit()`
 * called through the other.
 */
const REGISTRY_KEY = Symbol.for('auditline.request-resolver');

function registry(): ResolverRegistry {
  const holder = globalThis as { [REGISTRY_KEY]?: ResolverRegistry };
  let existing = holder[REGISTRY_KEY];
  if (existing === undefined) {
    existing = { resolvers: new Set() };
    Object.defineProperty(holder, REGISTRY_KEY, { value: existing, enumerable: false });
  }
  return existing;
}

/**
 * Registers an adapter's request resolver, so `logAudit({ …, req })` and
 * `logger.log({ …, req })` take that request's context exactly as the
 * middleware resolved it (trace id, trusted client IP, method, path, user
 * agent, user), even outside the AsyncLocalStorage scope (issue #12).
 * Resolvers are asked in registration order; the first context wins. A
 * resolver that throws counts as "not mine". Returns a function that
 * unregisters it. Part of `@auditline/core/internal`: for adapters, not apps.
 *
 * @example
 * ```ts
 * import { registerRequestResolver } from '@auditline/core/internal';
 * const contexts = new WeakMap<object, AuditContext>();
 * const unregister = registerRequestResolver((req) => contexts.get(req));
 * ```
 */
export function registerRequestResolver(resolver: RequestContextResolver): () => void {
  const { resolvers } = registry();
  resolvers.add(resolver);
  return () => {
    resolvers.delete(resolver);
  };
}

const shared = registry();

/**
 * The context for an explicit `req` param: a registered adapter's, else what
 * can be read safely from a node:http request itself (method, the URL as the
 * path, user agent, the socket's peer address), flagged as unresolved. A raw
 * request never lends a user, and never `x-forwarded-for`, which the client
 * writes (SPEC §5.3). `undefined` for an object that is neither.
 *
 * @example
 * ```ts
 * resolveRequest(req)?.context.method; // 'POST'
 * ```
 */
export function resolveRequest(req: object): ResolvedRequest | undefined {
  for (const resolver of shared.resolvers) {
    let context: AuditContext | undefined;
    try {
      context = resolver(req);
    } catch {
      continue;
    }
    if (context !== undefined) return { context, unresolved: false };
  }
  if (!(req instanceof IncomingMessage)) return undefined;
  return { context: rawRequestContext(req), unresolved: true };
}

function rawRequestContext(req: IncomingMessage): AuditContext {
  const context: AuditContext = {};
  try {
    context.method = capped(req.method, MAX_METHOD_LENGTH);
    // Express's originalUrl survives router mounts, which rewrite req.url; the
    // logger redacts its query as it does every path (SPEC §6).
    const original = Object.getOwnPropertyDescriptor(req, 'originalUrl')?.value;
    context.path = capped(typeof original === 'string' ? original : req.url, MAX_PATH_LENGTH);
    context.userAgent = capped(req.headers['user-agent'], MAX_USER_AGENT_LENGTH);
    context.ip = peerAddress(req.socket?.remoteAddress);
  } catch {
    // A hostile or half-torn-down request: keep what was read.
  }
  return context;
}

function capped(value: unknown, max: number): string | undefined {
  return typeof value === 'string' && value !== '' ? value.slice(0, max) : undefined;
}

/** The socket's peer, IPv4-mapped IPv6 normalised (SPEC §5.3); anything that is not an IP is dropped. */
function peerAddress(address: unknown): string | undefined {
  if (typeof address !== 'string') return undefined;
  const mapped = address.startsWith('::ffff:') ? address.slice(7) : address;
  if (mapped !== address && isIP(mapped) === 4) return mapped;
  return isIP(address) === 0 || address.includes('%') ? undefined : address;
}
