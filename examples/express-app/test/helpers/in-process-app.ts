import type { AddressInfo } from 'node:net';
import { type AuditLogger, type AuditLoggerOptions, createAuditLogger } from '@auditline/core';
import { createMemorySink, type MemorySink } from '@auditline/core/testing';
import { createApp } from '../../src/app.js';

/** The example app listening on 127.0.0.1, writing its lines to an in-memory sink. */
export interface RunningApp {
  readonly baseUrl: string;
  readonly sink: MemorySink;
  readonly audit: AuditLogger;
  close(): Promise<void>;
}

/**
 * Starts the real example app (real Express, real middleware, real routes) on
 * an ephemeral port; audit and app log lines go to `sink`.
 */
export async function startApp(
  options: Omit<AuditLoggerOptions, 'destination' | 'service'> = {},
): Promise<RunningApp> {
  const sink = createMemorySink();
  const audit = createAuditLogger({
    service: 'example-shop',
    format: 'json',
    ...options,
    destination: sink,
  });
  // The lowest scrypt cost: these tests are about the audit trail, not hashing strength.
  const server = createApp({ audit, scryptCost: 10 }).listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    sink,
    audit,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await audit.close();
    },
  };
}
