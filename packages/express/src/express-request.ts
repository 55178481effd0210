import type { Request } from 'express';
import type { RequestDescription } from './node-http/request-entry.js';
import type { RequestState } from './node-http/request-state.js';

/**
 * What the Express layer reads when a request's entry is written: the method
 * the router dispatched (`req.method` after `method-override` rewrote it,
 * SPEC §3) and the resource.
 */
export function describeExpressRequest(state: RequestState): RequestDescription {
  const req = state.req as Request;
  return { method: req.method ?? state.method, resource: state.path, route: undefined };
}
