import { isIP } from 'node:net';
import { MAX_USER_AGENT_LENGTH, WARNING_CODES } from '@auditline/core';
import type { Application, Request } from 'express';

/** `::ffff:a.b.c.d`: an IPv4 client seen through a dual-stack socket. */
const IPV4_MAPPED_PREFIX = /^::ffff:/i;
const IPV4_MAPPED_PREFIX_LENGTH = 7;
/** The RFC 4007 zone-id separator: `net.isIP` accepts `fe80::1%<anything>` (issue #13). */
const ZONE_ID_SEPARATOR = '%';

/**
 * The client address from `req.ip`, which follows Express `trust proxy`, never
 * from a raw `X-Forwarded-For` (SPEC §5.3). A value that is not an IP (Express
 * passes `<script>` through from XFF) is dropped; IPv4-mapped IPv6 becomes IPv4.
 * A zone id is dropped with the value: it is free text a client can fill
 * (`fe80::1%admin.corp.example.com-user-root`, issue #13), and a remote peer
 * has no meaningful zone on this host.
 */
export function clientIp(req: Request): string | undefined {
  const raw: unknown = req.ip;
  if (typeof raw !== 'string' || raw.includes(ZONE_ID_SEPARATOR)) return undefined;
  if (IPV4_MAPPED_PREFIX.test(raw)) {
    const v4 = raw.slice(IPV4_MAPPED_PREFIX_LENGTH);
    if (isIP(v4) === 4) return v4;
  }
  return isIP(raw) === 0 ? undefined : raw;
}

/** The `User-Agent`, cut to 512 chars (SPEC §5.3). */
export function userAgentOf(req: Request): string | undefined {
  const ua = req.headers['user-agent'];
  if (typeof ua !== 'string') return undefined;
  return ua.length > MAX_USER_AGENT_LENGTH ? ua.slice(0, MAX_USER_AGENT_LENGTH) : ua;
}

let warnedTrustProxy = false;

/**
 * Warns once per process when an app trusts every proxy hop: `req.ip` is then
 * the left-most `X-Forwarded-For` entry, which the client writes (SPEC §5.3;
 * measured: `XFF: 6.6.6.6, 203.0.113.7` gave `6.6.6.6`).
 */
export function checkTrustProxy(app: Application | undefined): void {
  if (warnedTrustProxy || app === undefined || app.get('trust proxy') !== true) return;
  warnedTrustProxy = true;
  process.emitWarning(
    'auditline: the Express app runs with "trust proxy" = true, so req.ip (and ip_address in the audit log) is the left-most X-Forwarded-For entry, which any client can forge. Behind one ALB use app.set("trust proxy", 1).',
    { code: WARNING_CODES.trustProxyTrue },
  );
}
