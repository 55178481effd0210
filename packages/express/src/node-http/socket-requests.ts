import type { Socket } from 'node:net';
import type { RequestState } from './request-state.js';

/**
 * The requests in flight on one socket, so a socket that dies takes its queued
 * pipelined requests with it: their responses never get the socket, so Node
 * emits neither `finish` nor `close` on them (issue #11).
 *
 * The list hangs off the socket under a symbol private to this copy of the
 * module and runs through the states (`socketPrevious`, `socketNext`). It was
 * a WeakMap of Sets: V8's young-generation GC keeps WeakMap keys alive until a
 * full GC, and short-lived sockets (`Connection: close` traffic) would be
 * promoted with everything they reach (issue #15).
 */
const REQUESTS = Symbol('auditline.socket-requests');

interface SocketList {
  first: RequestState | undefined;
}

type TrackedSocket = Socket & { [REQUESTS]?: SocketList };

/** Adds the state to its socket's list; true when it is the socket's first list (add a close listener). */
export function linkToSocket(socket: Socket, state: RequestState): boolean {
  const tracked = socket as TrackedSocket;
  let list = tracked[REQUESTS];
  const created = list === undefined;
  if (list === undefined) {
    list = { first: undefined };
    tracked[REQUESTS] = list;
  }
  state.socketPrevious = undefined;
  state.socketNext = list.first;
  if (list.first !== undefined) list.first.socketPrevious = state;
  list.first = state;
  state.onSocket = true;
  return created;
}

/** Removes the state from its socket's list, if it is on one. */
export function unlinkFromSocket(socket: Socket, state: RequestState): void {
  if (!state.onSocket) return;
  state.onSocket = false;
  const list = (socket as TrackedSocket)[REQUESTS];
  const previous = state.socketPrevious;
  const next = state.socketNext;
  if (previous === undefined) {
    if (list !== undefined && list.first === state) list.first = next;
  } else {
    previous.socketNext = next;
  }
  if (next !== undefined) next.socketPrevious = previous;
  state.socketPrevious = undefined;
  state.socketNext = undefined;
}

/** Empties the socket's list and returns what was on it, oldest first. */
export function takeSocketRequests(socket: Socket): RequestState[] {
  const list = (socket as TrackedSocket)[REQUESTS];
  const states: RequestState[] = [];
  if (list === undefined) return states;
  for (let state = list.first; state !== undefined; state = state.socketNext) states.push(state);
  for (const state of states) {
    state.onSocket = false;
    state.socketPrevious = undefined;
    state.socketNext = undefined;
  }
  list.first = undefined;
  return states.reverse();
}
