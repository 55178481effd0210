// Registers the EMF plugin, so AUDIT_LOG_FORMAT=emf adds CloudWatch metrics to each line (SPEC §8).
import '@auditline/emf/register';
import type { AddressInfo } from 'node:net';
import { createAppLogger, createAuditLogger, setDefaultAuditLogger } from '@auditline/core';
import { shutdownGracefully } from '@auditline/express';
import { createApp } from './app.js';

/** Port when `PORT` is unset. */
const DEFAULT_PORT = 3000;
/**
 * How long in-flight requests get after SIGTERM (the middleware's default
 * `drainTimeoutMs`). Below the task definition's `stopTimeout` (30 s), after
 * which ECS sends SIGKILL.
 */
const SHUTDOWN_GRACE_MS = 10_000;

function portFrom(raw: string | undefined): number {
  if (raw === undefined || raw === '') return DEFAULT_PORT;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`PORT must be an integer 0-65535, got "${raw}"`);
  }
  return port;
}

// handleSignals: on SIGTERM/SIGINT the logger writes AUDIT_STOP and flushes,
// then the handler below drains the server (SPEC §4.4).
const audit = createAuditLogger({ service: 'example-shop', handleSignals: true });
setDefaultAuditLogger(audit);
const log = createAppLogger({ audit });

const port = portFrom(process.env.PORT);
// 127.0.0.1 unless told otherwise; the container image sets HOST=0.0.0.0.
const host = process.env.HOST || '127.0.0.1';

const server = createApp({ audit, appLogger: log }).listen(port, host, (error?: Error) => {
  if (error) {
    log.fatal({ err: error, host, port }, 'cannot listen');
    process.exitCode = 1;
    return;
  }
  const address = server.address() as AddressInfo;
  log.info({ host: address.address, port: address.port }, 'listening');
});

// The order that keeps AUDIT_STOP the last line (SPEC §7): stop accepting,
// let in-flight requests finish (bounded by the middleware's drainTimeoutMs,
// the rest written as interrupted), close the logger, cut what is left.
function shutdown(signal: NodeJS.Signals): void {
  log.info({ signal }, 'shutting down');
  void shutdownGracefully({ server, logger: audit }).then(() => process.exit(0));
  // A backstop below the task definition's stopTimeout, should anything hang.
  setTimeout(() => process.exit(1), SHUTDOWN_GRACE_MS + 5_000).unref();
}

process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
