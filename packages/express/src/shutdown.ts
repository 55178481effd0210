import type { Server } from 'node:http';
import { AuditConfigError, type AuditLogger, getDefaultAuditLogger } from '@auditline/core';

/**
 * What {@link shutdownGracefully} stops.
 *
 * @example
 * ```ts
 * const target: GracefulShutdownOptions = { server, logger: audit };
 * ```
 */
export interface GracefulShutdownOptions {
  /** The HTTP server the audited app listens on. */
  readonly server: Pick<Server, 'close' | 'closeAllConnections'>;
  /** The audit logger the middleware writes to. @default core's default logger */
  readonly logger?: AuditLogger;
}

/**
 * The shutdown order that keeps `AUDIT_STOP` the last line (SPEC §7), as one
 * call: stop accepting connections (`server.close()`, which also closes idle
 * keep-alive sockets), let in-flight requests finish within the middleware's
 * `drainTimeoutMs` and write the rest as interrupted, write `AUDIT_STOP` and
 * flush (`logger.close()`), then cut the connections that are left.
 *
 * @example
 * ```ts
 * import { shutdownGracefully } from '@auditline/express';
 *
 * const server = app.listen(3000);
 * process.once('SIGTERM', () => {
 *   void shutdownGracefully({ server, logger: audit }).then(() => process.exit(0));
 * });
 * ```
 */
export async function shutdownGracefully(options: GracefulShutdownOptions): Promise<void> {
  const server = options?.server;
  if (typeof server?.close !== 'function') {
    throw new AuditConfigError(
      'server',
      `shutdownGracefully: "server" must be the http.Server your app listens on (got ${typeof server}). Fix: pass { server: app.listen(port) }.`,
    );
  }
  const logger = options.logger ?? getDefaultAuditLogger();
  const closed = new Promise<void>((resolve) => {
    server.close(() => resolve());
  });
  await logger.close();
  server.closeAllConnections();
  await closed;
}
