import {
  request as httpRequest,
  type IncomingHttpHeaders,
  type OutgoingHttpHeaders,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { type AuditEntry, type AuditLogger, createAuditLogger } from '@auditline/core';
import { createMemorySink, type MemorySink } from '@auditline/core/testing';
import { type AuditMiddlewareOptions, auditMiddleware } from '@auditline/express';
import express, { type Express } from 'express';
import { vi } from 'vitest';

/** A real Express 5 app on 127.0.0.1, audited into an in-memory sink. */
export interface TestServer {
  readonly app: Express;
  readonly base: string;
  readonly port: number;
  readonly sink: MemorySink;
  readonly audit: AuditLogger;
  /** Audit entries other than AUDIT_START/AUDIT_STOP. */
  events(): AuditEntry[];
  /** Waits until `count` request entries matching `match` have been written. */
  waitForEvents(count: number, match?: (e: AuditEntry) => boolean): Promise<AuditEntry[]>;
  /** App-log lines (not audit lines), parsed. */
  appLines(): Record<string, unknown>[];
  close(): Promise<void>;
}

export interface StartOptions {
  /** Runs before the middleware is mounted (settings such as trust proxy). */
  before?: (app: Express) => void;
  /** Routes and middleware after the audit middleware. */
  routes?: (app: Express, audit: AuditLogger) => void;
  /** Middleware options; `logger` defaults to the sink-backed logger. */
  middleware?: (audit: AuditLogger) => AuditMiddlewareOptions;
}

export async function startServer(options: StartOptions = {}): Promise<TestServer> {
  const sink = createMemorySink();
  const audit = createAuditLogger({
    service: 'express-test',
    format: 'json',
    destination: sink,
    ecsMetadata: false,
  });
  const app = express();
  // finalhandler prints thrown errors unless env is 'test'; keep test output readable.
  app.set('env', 'test');
  options.before?.(app);
  app.use(auditMiddleware({ logger: audit, ...(options.middleware?.(audit) ?? {}) }));
  options.routes?.(app, audit);
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  const events = (): AuditEntry[] => sink.events();
  return {
    app,
    base: `http://127.0.0.1:${port}`,
    port,
    sink,
    audit,
    events,
    async waitForEvents(count, match = () => true) {
      return vi.waitFor(
        () => {
          const found = events().filter(match);
          if (found.length < count) {
            throw new Error(`waiting for ${count} audit entries, have ${found.length}`);
          }
          return found;
        },
        { timeout: 5_000, interval: 5 },
      );
    },
    appLines() {
      return sink.lines
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .filter((line) => line.audit !== true);
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * A request through node:http, for what fetch refuses: custom methods,
 * repeated headers, latin-1 bytes in a header.
 */
export function rawRequest(
  port: number,
  options: { method?: string; path?: string; headers?: OutgoingHttpHeaders } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method: options.method ?? 'GET',
        path: options.path ?? '/',
        headers: options.headers,
        agent: false,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** RFC 9562 UUID as `randomUUID()` writes it. */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
