import { Server as HttpServer, IncomingMessage, OutgoingMessage } from 'node:http';
import { Server as NetServer, Socket } from 'node:net';

/** Longest path kept in a request marker: enough to tell requests apart, never a payload. */
const MAX_MARKER_PATH_LENGTH = 128;
/** A constructor name safe to write as is. */
const KIND_NAME = /^[A-Za-z][A-Za-z0-9]{0,40}$/;

/**
 * A short marker for a request, response, socket or server object, or
 * `undefined` for anything else. Such objects are never serialised into a line
 * (issue #12): an Express request holds the socket, the parser, the server and
 * `rawHeaders` with the `Cookie` and `Authorization` values, so writing it
 * member by member gave 9 KB lines with credentials in clear. The marker names
 * the kind, and for a request its method and path without the query string
 * (query values are where tokens travel, SPEC §6); headers are never read.
 *
 * Checked only for objects whose prototype is not `Object.prototype`, so
 * plain details pay nothing.
 *
 * @example
 * ```ts
 * ioObjectMarker(req); // '[IncomingMessage GET /api/orders/42]'
 * ioObjectMarker({ a: 1 }); // undefined
 * ```
 */
export function ioObjectMarker(object: object): string | undefined {
  if (object instanceof IncomingMessage) return requestMarker(object);
  if (object instanceof OutgoingMessage) return `[${kindOf(object, 'OutgoingMessage')}]`;
  if (object instanceof Socket) return `[${kindOf(object, 'Socket')}]`;
  if (object instanceof HttpServer || object instanceof NetServer) {
    return `[${kindOf(object, 'Server')}]`;
  }
  // The fetch API's objects (undici): they carry headers and a body stream too.
  if (typeof Request === 'function' && object instanceof Request) return '[Request]';
  if (typeof Response === 'function' && object instanceof Response) return '[Response]';
  return undefined;
}

/**
 * `{ value: marker }` for a request, response or socket given as `details`
 * itself, so merged validation members never copy its own members; plain roots
 * pay one prototype read.
 *
 * @example
 * ```ts
 * ioRootMarker(req); // { value: '[IncomingMessage GET /x]' }
 * ```
 */
export function ioRootMarker(input: object): { value: string } | undefined {
  const proto: unknown = Object.getPrototypeOf(input);
  if (proto === Object.prototype || proto === null) return undefined;
  const marker = ioObjectMarker(input);
  return marker === undefined ? undefined : { value: marker };
}

function requestMarker(req: IncomingMessage): string {
  // Own data members only, read defensively: a hostile subclass may define getters.
  const method = ownString(req, 'method');
  const url = ownString(req, 'url');
  const queryAt = url === undefined ? -1 : url.indexOf('?');
  const path = url === undefined ? undefined : queryAt === -1 ? url : url.slice(0, queryAt);
  let out = 'IncomingMessage';
  if (method !== undefined) out += ` ${method.slice(0, 16)}`;
  if (path !== undefined) out += ` ${path.slice(0, MAX_MARKER_PATH_LENGTH)}`;
  return `[${out}]`;
}

function ownString(object: object, key: string): string | undefined {
  const descriptor = Object.getOwnPropertyDescriptor(object, key);
  const value: unknown = descriptor?.value;
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** The constructor's name when it is a plain identifier (`ServerResponse`, `TLSSocket`), else the fallback. */
function kindOf(object: object, fallback: string): string {
  try {
    const name: unknown = (Object.getPrototypeOf(object) as { constructor?: { name?: unknown } })
      ?.constructor?.name;
    return typeof name === 'string' && KIND_NAME.test(name) ? name : fallback;
  } catch {
    return fallback;
  }
}
