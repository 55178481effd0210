/** A `bench/http` server variant (issue #3). */
export interface VariantInfo {
  readonly name: string;
  readonly label: string;
}

/**
 * Every variant of a full run, the baseline first. `naive` is the hand-rolled
 * middleware auditline replaces (SPEC §1, issue #15). After the four the targets
 * name come four layers of the middleware's cost (issue #6 asks to find where the
 * time goes): `bare-als` runs each request inside core's AsyncLocalStorage and
 * nothing else, the context tax; `pino-http-floor` is pino-http with the
 * options `auditMiddleware` passes it (trace-id child binding, cheap
 * serialisers, 'debug' completion level, a UUID per request) and no audit
 * work, the floor of "built on pino-http" (SPEC §5.1); `audit-null` is
 * auditMiddleware with a destination that drops every line, and `floor-write`
 * bare Express plus one prebuilt line written with `fs.writeSync(1)` per
 * request: between them, the price of SPEC §4.4's one `write(2)` per line
 * against everything else the middleware does (issue #15).
 */
export const VARIANTS: readonly VariantInfo[] = [
  { name: 'bare', label: 'bare Express' },
  { name: 'pino-http', label: 'pino-http defaults' },
  {
    name: 'naive',
    label: 'naive middleware (`JSON.stringify` + `process.stdout.write` on `finish`)',
  },
  { name: 'audit', label: '`auditMiddleware` (auditline JSON)' },
  { name: 'bare-als', label: 'bare Express inside `runWithAuditContext` only (layer)' },
  {
    name: 'pino-http-floor',
    label: 'pino-http configured as `auditMiddleware` configures it, nothing else (layer)',
  },
  { name: 'audit-null', label: '`auditMiddleware`, lines dropped (layer)' },
  {
    name: 'floor-write',
    label: 'bare Express + one prebuilt-line `fs.writeSync(1)` on `finish` (layer)',
  },
];

/**
 * The baselines every http run includes, `--only` or not: the targets are ratios
 * to them, measured in the same run (SPEC §10, issue #15).
 */
export const BASELINE_VARIANTS: readonly string[] = ['bare', 'pino-http', 'naive'];

/** Messages the server child sends over IPC. */
export type ServerMessage =
  | { readonly type: 'ready'; readonly port: number }
  | { readonly type: 'skip'; readonly reason: string }
  | { readonly type: 'cpu'; readonly user: number; readonly system: number; readonly rss: number };

/** Messages the parent sends. */
export type ParentMessage = { readonly type: 'cpu' } | { readonly type: 'stop' };

/** The route every variant serves. */
export const ROUTE_PATH = '/orders/ord_8f2c1a9b?page=2';

/**
 * Headers a browser-ish client sends. pino-http serialises all of them by
 * default, which is where most of its cost goes (issue #3), so an empty header
 * set would flatter it.
 */
export const REQUEST_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  accept: 'application/json, text/plain, */*',
  'accept-encoding': 'gzip, deflate, br',
  'accept-language': 'en-GB,en;q=0.9',
  'user-agent':
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  referer: 'https://shop.example.com/orders',
  'x-request-source': 'web',
});
