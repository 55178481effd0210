// What the fd writer does when its reader stalls (SPEC §4.4, issue #13); re-exported by constants.ts.

/**
 * What a write does when the reader stops reading (SPEC §4.4, after auditd's
 * `disk_full_action`): `block` waits, `exit` ends the process with
 * {@link STALL_EXIT_CODE} so the orchestrator restarts it.
 *
 * @example
 * ```ts
 * createAuditLogger({ onStall: STALL_POLICIES.exit, stallTimeoutMs: 5_000 });
 * ```
 */
export const STALL_POLICIES = Object.freeze({ block: 'block', exit: 'exit' } as const);
/**
 * `'block' | 'exit'`.
 *
 * @example
 * ```ts
 * const policy: StallPolicy = process.env.NODE_ENV === 'production' ? 'exit' : 'block';
 * ```
 */
export type StallPolicy = (typeof STALL_POLICIES)[keyof typeof STALL_POLICIES];

/**
 * How long a write may make no progress before the stall policy acts, in ms.
 * Well inside ECS's default 30 s `stopTimeout`, so a stalled task that exits
 * is restarted before a stop would have killed it anyway.
 *
 * @example
 * ```ts
 * createAuditLogger({ onStall: 'exit', stallTimeoutMs: DEFAULT_STALL_TIMEOUT_MS / 2 });
 * ```
 */
export const DEFAULT_STALL_TIMEOUT_MS = 10_000;
/** Longest accepted `stallTimeoutMs`: one hour. */
export const MAX_STALL_TIMEOUT_MS = 3_600_000;

/**
 * Exit code with `onStall: 'exit'`: EX_TEMPFAIL from sysexits.h ("try again
 * later"), distinct from `failClosed`'s 74 (EX_IOERR, the fd broke).
 *
 * @example
 * ```ts
 * import { spawn } from 'node:child_process';
 * const child = spawn('node', ['server.js'], { stdio: ['ignore', 'pipe', 'inherit'] });
 * child.on('exit', (code) => {
 *   if (code === STALL_EXIT_CODE) console.error('server exited: its stdout reader stalled');
 * });
 * ```
 */
export const STALL_EXIT_CODE = 75;
