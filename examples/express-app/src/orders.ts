import { type Request, type Response, Router } from 'express';
import { requireRole, requireUser } from './auth.js';

/** One order of the in-memory shop. */
export interface Order {
  readonly id: string;
  readonly owner: string;
  readonly item: string;
  readonly quantity: number;
}

/** Orders present at start, so reads and deletes have something to hit. */
export const SEED_ORDERS: readonly Order[] = Object.freeze([
  { id: 'o-1001', owner: 'u-100', item: 'teapot', quantity: 1 },
  { id: 'o-1002', owner: 'u-200', item: 'cups', quantity: 6 },
]);

/** Path of one order; `:id` is the order id. */
export const ORDER_PATH = '/api/orders/:id';

/**
 * How long `GET /api/orders/:id?slow=1` takes to finish its body: long enough
 * for a client to give up mid-response (SPEC §5.6, the aborted-request case).
 */
export const SLOW_RESPONSE_MS = 2_000;

const ORDER_ID = /^o-[0-9]{1,12}$/;
/** Largest quantity accepted: a sanity bound for the demo's validation. */
const MAX_QUANTITY = 1_000;
/** Longest item name accepted. */
const MAX_ITEM_LENGTH = 100;

function orderId(req: Request): string | undefined {
  const id = req.params.id;
  return typeof id === 'string' && ORDER_ID.test(id) ? id : undefined;
}

function parseOrderBody(body: unknown): { item: string; quantity: number } | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const { item, quantity } = body as { item?: unknown; quantity?: unknown };
  if (typeof item !== 'string' || item.length === 0 || item.length > MAX_ITEM_LENGTH) {
    return undefined;
  }
  if (typeof quantity !== 'number' || !Number.isInteger(quantity)) return undefined;
  if (quantity < 1 || quantity > MAX_QUANTITY) return undefined;
  return { item, quantity };
}

/**
 * A response that sends its headers and first bytes at once and the rest
 * later, like a report streamed from a slow backend. If the client leaves
 * first, the audit middleware writes one `FAILED` entry with `details.aborted`.
 */
function sendSlowly(res: Response, order: Order): void {
  res.status(200).type('application/json');
  res.write('{"order":');
  const timer = setTimeout(() => res.end(`${JSON.stringify(order)}}`), SLOW_RESPONSE_MS);
  res.once('close', () => clearTimeout(timer));
}

/**
 * Order routes. Every request gets its audit entry from the middleware: READ,
 * CREATE or DELETE with SUCCESS/FAILED from the status code, and 401/403 as
 * ACCESS_DENIED (SPEC §5.1, §5.5), so the handlers hold no audit code.
 *
 * @example
 * ```ts
 * app.use(orderRoutes());
 * ```
 */
export function orderRoutes(seed: readonly Order[] = SEED_ORDERS): Router {
  const orders = new Map(seed.map((o) => [o.id, o]));
  const router = Router();

  router.get(ORDER_PATH, requireUser, (req, res) => {
    const id = orderId(req);
    const order = id === undefined ? undefined : orders.get(id);
    if (order === undefined) {
      res.status(404).json({ error: 'order not found' });
      return;
    }
    if (req.query.slow !== undefined) {
      sendSlowly(res, order);
      return;
    }
    res.json({ order });
  });

  router.post(ORDER_PATH, requireUser, (req, res) => {
    const id = orderId(req);
    const fields = parseOrderBody(req.body);
    if (id === undefined || fields === undefined) {
      res.status(400).json({ error: 'expected {"item": string, "quantity": 1-1000}' });
      return;
    }
    if (orders.has(id)) {
      res.status(409).json({ error: 'order exists' });
      return;
    }
    const order: Order = Object.freeze({ id, owner: req.user?.id ?? 'anonymous', ...fields });
    orders.set(id, order);
    // An application log line (not an audit line): it shares stdout and carries the traceId.
    req.log.info({ orderId: id }, 'order created');
    res.status(201).json({ order });
  });

  router.delete(ORDER_PATH, requireUser, requireRole('admin'), (req, res) => {
    const id = orderId(req);
    if (id === undefined || !orders.delete(id)) {
      res.status(404).json({ error: 'order not found' });
      return;
    }
    res.sendStatus(204);
  });

  return router;
}
