import type { Request } from 'express';
import type { RequestDescription } from './node-http/request-entry.js';
import type { RequestState } from './node-http/request-state.js';

/** The matched route template and its params, when the router matched a string route. */
interface MatchedRoute {
  /** The full template, mounts included. */
  readonly template: string;
  /** Its parts: the mounts as matched, and the route's own template. */
  readonly base: string;
  readonly routePath: string;
  readonly params: Readonly<Record<string, unknown>>;
}

/**
 * The matched route, mounts included: `req.baseUrl` (the mount paths as
 * matched) plus `req.route.path` (the template). Express does not expose a
 * mount's own template, so the mount part is the matched text: lower-cased
 * under case-insensitive routing (the default), so `/API/orders/:id` and
 * `/api/orders/:id` are one route; a mount with params (`/tenants/:t`) holds
 * their values (a limit the README states). A RegExp or array route has no
 * template: `undefined`.
 */
function matchedRoute(req: Request): MatchedRoute | undefined {
  const route = (req as { route?: { path?: unknown } }).route;
  const template = route?.path;
  if (typeof template !== 'string' || template === '') return undefined;
  let base = typeof req.baseUrl === 'string' ? req.baseUrl : '';
  const app = req.app as { enabled?: (setting: string) => boolean } | undefined;
  if (base !== '' && app?.enabled?.('case sensitive routing') !== true) base = base.toLowerCase();
  const full = base === '' ? template : template === '/' ? base : base + template;
  const params = (req.params ?? {}) as Readonly<Record<string, unknown>>;
  return { template: full, base, routePath: template, params };
}

/** A param's decoded value as written in a resource: a wildcard's segments joined by `/`. */
function paramText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.join('/');
  return undefined;
}

/** Param tokens of both Express 4 (`:id`, `:id(\\d+)`, `:id?`, `*`) and Express 5 (`:id`, `:"id"`, `*rest`). */
const PARAM_TOKEN =
  /:(?:"([^"]+)"|([A-Za-z_$][\w$]*))(?:\((?:\\.|[^)])*\))?\??|\*([A-Za-z_$][\w$]*)?/g;
/** An Express 5 optional group without nested groups: `{/:format}`. */
const OPTIONAL_GROUP = /\{([^{}]*)\}/g;

/** The template with each param replaced by its decoded value, or `undefined` when one is missing. */
function fillTemplate(
  template: string,
  params: Readonly<Record<string, unknown>>,
): string | undefined {
  let wildcard = 0;
  let missing = false;
  const fill = (text: string): string =>
    text.replace(PARAM_TOKEN, (token: string, quoted?: string, plain?: string, star?: string) => {
      const name = quoted ?? plain ?? star ?? String(wildcard++);
      const value = paramText(params[name]);
      if (value === undefined) {
        // An optional param left out (`:format?`) writes nothing; anything else is a miss.
        if (!token.endsWith('?')) missing = true;
        return '';
      }
      return value;
    });
  // Non-strict routing matches `/orders/42/` too: the template's own trailing
  // slash is dropped, never one that is part of a param's value (`42%2F`).
  let text = template.length > 1 && template.endsWith('/') ? template.slice(0, -1) : template;
  // Optional groups, innermost first: kept when all their params are present.
  for (let round = 0; round < 8 && text.includes('{'); round++) {
    text = text.replace(OPTIONAL_GROUP, (_group: string, inner: string) => {
      const before = missing;
      missing = false;
      const filled = fill(inner);
      const keep = !missing;
      missing = before;
      return keep ? filled : '';
    });
  }
  const filled = fill(text).replace(/\\(.)/g, '$1');
  if (missing) return undefined;
  return filled === '' ? '/' : filled;
}

/** A route template made only of literal text and plain `:name` params, split once. */
interface PlainTemplate {
  /** Literal text before each param, then the text after the last one. */
  readonly literals: readonly string[];
  readonly names: readonly string[];
}

/** Characters that need {@link fillTemplate}'s full rules (groups, wildcards, escapes, quoted or modified params). */
const NOT_PLAIN = /[{}*\\?()"]/;
const PLAIN_PARAM = /:([A-Za-z_$][\w$]*)/g;
/** A bound on the templates kept split: an app has a fixed set of routes. */
const MAX_PLAIN_TEMPLATES = 1024;
const plainTemplates = new Map<string, PlainTemplate | null>();

function splitPlain(template: string): PlainTemplate | null {
  if (NOT_PLAIN.test(template) || template === '/' || template.endsWith('/')) return null;
  const literals: string[] = [];
  const names: string[] = [];
  let last = 0;
  for (const match of template.matchAll(PLAIN_PARAM)) {
    literals.push(template.slice(last, match.index));
    names.push(match[1] as string);
    last = match.index + match[0].length;
  }
  literals.push(template.slice(last));
  return { literals, names };
}

/**
 * {@link fillTemplate} for the common route (`/orders/:id` under a mount
 * without params): the template is split once and the resource is
 * concatenated, instead of running the token regex over it on every request
 * (issue #15). Anything else takes the full rules; both give the same text
 * (`canonical-resource-and-route` tests the spellings).
 */
function fillRoute(
  base: string,
  template: string,
  params: Readonly<Record<string, unknown>>,
): string | undefined {
  let plain = plainTemplates.get(template);
  if (plain === undefined) {
    plain = splitPlain(template);
    if (plainTemplates.size < MAX_PLAIN_TEMPLATES) plainTemplates.set(template, plain);
  }
  if (plain === null || (base !== '' && (NOT_PLAIN.test(base) || base.includes(':')))) {
    return fillTemplate(base === '' ? template : template === '/' ? base : base + template, params);
  }
  const { literals, names } = plain;
  let text = base + (literals[0] as string);
  for (let i = 0; i < names.length; i++) {
    const value = paramText(params[names[i] as string]);
    if (value === undefined) return undefined;
    text += value + (literals[i + 1] as string);
  }
  // As fillTemplate: escapes are resolved over the filled text, values included.
  if (text.includes('\\')) text = text.replace(/\\(.)/g, '$1');
  return text === '' ? '/' : text;
}

/**
 * What the Express layer reads when a request's entry is written: the method
 * the router dispatched (`req.method` after `method-override` rewrote it,
 * SPEC §3), the matched route template, and the resource in one canonical
 * form: the template with the decoded param values substituted, so every
 * spelling the router sends to the same handler with the same params
 * (`/API/ORDERS/42`, `/api/orders/%34%32`, `/api/orders/42/`, absolute-form)
 * gives one resource (SPEC §3). Sensitive params are censored by name. With
 * no string route matched (404, a RegExp route, `express.static`), the
 * resource is the path as received.
 */
export function describeExpressRequest(state: RequestState): RequestDescription {
  const req = state.req as Request;
  const method = req.method ?? state.method;
  const matched = matchedRoute(req);
  if (matched === undefined) return { method, resource: state.path, route: undefined };
  const filled = fillRoute(matched.base, matched.routePath, matched.params);
  const resource =
    filled === undefined ? state.path : state.logger.redactRouteParams(filled, matched.params);
  return { method, resource, route: matched.template };
}

/**
 * The matched route template for explicit entries written inside the request
 * (`undefined` before the router matched a string route).
 */
export function expressRouteOf(req: unknown): string | undefined {
  return matchedRoute(req as Request)?.template;
}
