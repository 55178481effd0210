import { fitToLimit } from './fit-entry.js';
import { DETAILS_MEMBER, LINE_PREFIX } from './line/index.js';
import type { CallState, LoggerState } from './logger-state.js';
import type { ResolvedEntry } from './resolve-entry.js';
import type { AuditEntry } from './schema.js';
import { attachChainMembers, attachWrittenMembers } from './written-entry.js';

/**
 * Writes one finished line (pretty when configured) and counts it.
 *
 * @example
 * ```ts
 * emitLine(state, '{"level":"info","audit":true,…}');
 * ```
 */
export function emitLine(state: LoggerState, line: string): void {
  const out = state.pretty ? state.pretty(line) : `${line}\n`;
  if (state.destination.write(out) !== false) state.written++;
}

/**
 * Closes `body` (a line missing its final `}`) and writes it; with the chain
 * on, seals it. Returns the line as written, without the newline.
 *
 * @example
 * ```ts
 * const line = finishLine(state, body, call);
 * ```
 */
export function finishLine(state: LoggerState, body: string, call: CallState): string {
  const chain = state.chain;
  const line = chain ? chain.seal(body + chain.linkMembers()) : `${body}}`;
  call.written = true;
  emitLine(state, line);
  return line;
}

/**
 * Takes the seq and writes the resolved entry: no caller code runs from here
 * until the line is written, so a nested `log()` can only come before (issue
 * #13). Returns the entry as written (SPEC §4.1): `details` and the plugins'
 * members parsed back from the line's own text, the chain members and the
 * truncation markers copied from it.
 *
 * @example
 * ```ts
 * return encodeEntry(state, resolveEntry(state, params, bindings, issues), call);
 * ```
 */
export function encodeEntry(
  state: LoggerState,
  resolved: ResolvedEntry,
  call: CallState,
): AuditEntry {
  const { entry, detailsJson, pluginMembers, optionalTail } = resolved;
  const seq = ++state.seq;
  call.seq = seq;
  entry.seq = seq;
  // The entry's own members were quoted before any plugin ran (resolve-entry.ts);
  // the droppable ones (path, user_agent) form the tail the size guard may cut (SPEC §4.5).
  const head = `${LINE_PREFIX}${resolved.timestamp}${state.staticMembers}${seq}${resolved.fixedMembers}`;

  // Plugin members (EMF's `Action`, `_aws`…) before `details`, so no amount of
  // caller keys pushes them past Logs Insights' first 200 fields (issue #17).
  let body = `${head}${optionalTail}${pluginMembers}${DETAILS_MEMBER}${detailsJson}`;
  let lineDetails = detailsJson;
  const max = state.options.maxEntryBytes;
  // Cheap bound first: a UTF-16 unit is at most 3 UTF-8 bytes.
  if (body.length * 3 + state.chainOverhead + 2 > max) {
    const bytes = Buffer.byteLength(body) + state.chainOverhead + 2;
    if (bytes > max) {
      const fitted = fitToLimit(
        state,
        head,
        optionalTail,
        detailsJson,
        pluginMembers,
        `${body}}`,
        entry,
      );
      body = fitted.body;
      lineDetails = fitted.details;
    }
  }

  const line = finishLine(state, body, call);
  resolved.context?.onEntryWritten?.(seq);
  // What was written, parsed back on first read (SPEC §4.1). Per-entry getters
  // cost more than they saved (defineProperty per entry tripled log() in GC, an
  // accessor in the literal doubled it); one accessor shared by every entry, with
  // its state in private fields, costs less than the eager JSON.parse (issue #15).
  attachWrittenMembers(entry, lineDetails, resolved.parsedBackMembers, state.parsedBackKeys);
  if (state.chain) attachChainMembers(entry, line, state.options.integrity?.keyId);
  return entry;
}
