import type { AuditLogger } from '@auditline/core';
import { type AppLogger, auditMiddleware, DEFAULT_EXCLUDED_PATHS } from '@auditline/express';
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import { authenticate } from './auth.js';
import { authRoutes, LOGIN_PATH, LOGOUT_PATH } from './auth-routes.js';
import { DEMO_USERS } from './demo-users.js';
import { type Order, orderRoutes, SEED_ORDERS } from './orders.js';
import { createSessionStore } from './sessions.js';
import { createUserStore, type SeedUser } from './users.js';

/** Options of {@link createApp}. */
export interface AppOptions {
  /** The audit logger every entry goes through. */
  readonly audit: AuditLogger;
  /** Logger behind `req.log`. @default the middleware's, sharing the audit destination */
  readonly appLogger?: AppLogger;
  /** Users of the in-memory store. @default DEMO_USERS */
  readonly users?: readonly SeedUser[];
  /** Orders present at start. @default SEED_ORDERS */
  readonly orders?: readonly Order[];
  /** Password hashing cost, log2 of scrypt's N. @default 14 */
  readonly scryptCost?: number;
}

/** Largest JSON body accepted: login and order bodies are tiny. */
const MAX_BODY = '16kb';

const notFound: RequestHandler = (_req, res) => {
  res.status(404).json({ error: 'not found' });
};

const errorHandler: ErrorRequestHandler = (error, req, res, _next) => {
  // body-parser errors carry their HTTP status (400 bad JSON, 413 too large).
  const status = (error as { status?: unknown }).status;
  const code = typeof status === 'number' && status >= 400 && status < 600 ? status : 500;
  if (code >= 500) req.log.error({ err: error }, 'request failed');
  if (!res.headersSent)
    res.status(code).json({ error: code >= 500 ? 'internal error' : 'bad request' });
};

/**
 * Builds the reference service: login/logout with explicit audit entries,
 * orders audited by the middleware (DELETE is admin only, so others get 403 →
 * ACCESS_DENIED), and an unaudited `/health`. Nothing listens here, so tests
 * can run it in-process with an in-memory sink.
 *
 * @example
 * ```ts
 * const audit = createAuditLogger({ service: 'example-shop', handleSignals: true });
 * createApp({ audit }).listen(3000);
 * ```
 */
export function createApp(options: AppOptions): Express {
  const users = createUserStore(options.users ?? DEMO_USERS, { scryptCost: options.scryptCost });
  const sessions = createSessionStore();
  const app = express();
  app.disable('x-powered-by');
  // One ALB in front: req.ip is the address the ALB saw, never a value the
  // client wrote into X-Forwarded-For (SPEC §5.3).
  app.set('trust proxy', 1);
  app.use(
    auditMiddleware({
      logger: options.audit,
      // Login and logout write their own LOGIN/LOGOUT entry with a reason; the
      // automatic CREATE (or ACCESS_DENIED for a 401) would count each attempt twice.
      excludePaths: [...DEFAULT_EXCLUDED_PATHS, LOGIN_PATH, LOGOUT_PATH],
      // The slow order response stops when its client leaves (orders.ts), so
      // waiting the default 5 s for an answer that cannot come only delays the line.
      answerWaitMs: 1_000,
      ...(options.appLogger ? { appLogger: options.appLogger } : {}),
    }),
  );
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.use(express.json({ limit: MAX_BODY }));
  // After the audit middleware: user_id is resolved when the response finishes.
  app.use(authenticate(sessions, users));
  app.use(authRoutes(users, sessions));
  app.use(orderRoutes(options.orders ?? SEED_ORDERS));
  app.use(notFound);
  app.use(errorHandler);
  return app;
}
