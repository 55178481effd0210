import type { AuditValidationIssue } from './errors.js';
import type { AuditEntry } from './schema.js';

/**
 * Where audit lines go. `write` receives one complete line, newline included,
 * and must hand it to the OS before returning for the durability guarantee to
 * hold (SPEC §4.4). The built-in fd writer (`createFdDestination`) does; a custom
 * destination (the in-memory sink, a shared pino stream) documents its own.
 *
 * @example
 * ```ts
 * const lines: string[] = [];
 * createAuditLogger({ destination: { write: (line) => { lines.push(line); } } });
 * ```
 */
export interface AuditDestination {
  write(line: string): unknown;
  /** Optional: resolve once everything written so far has reached the OS. */
  flush?(callback: (err?: Error | null) => void): void;
  /** Optional: set by destinations that can fail, to report entries lost so far. */
  readonly lost?: number;
}

/**
 * Read-only view of the logger's resolved configuration, given to plugins once at construction.
 *
 * @example
 * ```ts
 * const envPlugin: AuditPlugin = {
 *   name: 'env',
 *   reservedKeys: ['env'],
 *   setup(ctx: AuditPluginContext): AuditLineExtension {
 *     const env = JSON.stringify(ctx.env.NODE_ENV ?? 'development');
 *     return { fragment: () => `,"env":${env}` };
 *   },
 * };
 * ```
 */
export interface AuditPluginContext {
  readonly service: string;
  readonly serviceVersion: string | undefined;
  /** Environment variables, read once by `config.ts` (SPEC §4.8). */
  readonly env: Readonly<AuditEnvironment>;
}

/**
 * Per-logger instance of a plugin. `fragment` runs on the hot path: it must
 * only fill in values prepared at `setup` (SPEC §8.5).
 *
 * @example
 * ```ts
 * const plugin: AuditPlugin = {
 *   name: 'epoch',
 *   reservedKeys: ['epoch_ms'],
 *   setup: (): AuditLineExtension => ({
 *     fragment: (_entry, timeMs) => `,"epoch_ms":${timeMs}`,
 *     fragmentInto: (_entry, timeMs, written) => {
 *       written.epoch_ms = timeMs;
 *       return `,"epoch_ms":${timeMs}`;
 *     },
 *   }),
 * };
 * ```
 */
export interface AuditLineExtension {
  /**
   * Extra top-level members for this entry, as a JSON fragment that starts
   * with `,` (or `''` for none). The entry is the one being written, after
   * validation and redaction; `timeMs` is its timestamp in epoch milliseconds.
   */
  fragment(entry: Readonly<AuditEntry>, timeMs: number): string;
  /**
   * Optional, and called instead of `fragment` when present: returns the same
   * fragment and also assigns each member it holds to `written`, the entry
   * `log()` returns, as the value `JSON.parse` of the fragment gives (SPEC §4.1:
   * the entry as written). Assign only your `reservedKeys` (the line's audit fields are quoted before plugins run, so writing over them changes nothing on the line), and fresh values
   * (never an object shared between entries). Core scans the fragment for
   * U+2028/U+2029 as it scans a `fragment` (SPEC §4.6). Without it, core parses the
   * fragment back when one of its members is first read: that costs more than
   * the rest of an EMF line (issue #15), so a plugin on the hot path implements
   * this.
   */
  fragmentInto?(
    entry: Readonly<AuditEntry>,
    timeMs: number,
    written: Record<string, unknown>,
  ): string;
  /**
   * Optional: called with the entry's `details` before they are serialised.
   * Issues returned here are added to `details.validation_errors`, so a value
   * the plugin has to leave out of its members is counted on the line instead
   * of vanishing (emf: a metric value CloudWatch rejects, SPEC §8.4). Return
   * `undefined` when there is nothing to say; this runs on the hot path.
   */
  inspect?(details: Readonly<Record<string, unknown>>): readonly AuditValidationIssue[] | undefined;
}

/**
 * A plugin adds top-level members to every audit line. Only plugins can add
 * top-level keys: user data never reaches the top level (SPEC §4.6), so, for
 * example, only the EMF plugin can write `_aws`.
 *
 * @example
 * ```ts
 * const region: AuditPlugin = {
 *   name: 'region',
 *   reservedKeys: ['region'],
 *   setup: () => ({ fragment: () => ',"region":"eu-west-1"' }),
 * };
 * createAuditLogger({ plugins: [region] });
 * ```
 */
export interface AuditPlugin {
  readonly name: string;
  /** Top-level keys the plugin writes. Checked at construction against audit fields and other plugins. */
  readonly reservedKeys: readonly string[];
  setup(context: AuditPluginContext): AuditLineExtension;
}

/**
 * Environment snapshot (SPEC §4.8). `undefined` means unset or empty.
 *
 * @example
 * ```ts
 * const env: Readonly<AuditEnvironment> = readAuditEnvironment();
 * const production = env.NODE_ENV === 'production';
 * ```
 */
export interface AuditEnvironment {
  readonly AUDIT_SERVICE_NAME: string | undefined;
  readonly AUDIT_SERVICE_VERSION: string | undefined;
  readonly AUDIT_LOG_FORMAT: string | undefined;
  readonly AUDIT_MAX_ENTRY_BYTES: string | undefined;
  readonly AUDIT_HMAC_KEY: string | undefined;
  readonly AUDIT_HMAC_KEY_ID: string | undefined;
  readonly AUDIT_EMF_NAMESPACE: string | undefined;
  readonly LOG_LEVEL: string | undefined;
  readonly NODE_ENV: string | undefined;
  readonly ECS_CONTAINER_METADATA_URI_V4: string | undefined;
}

/**
 * Counters a logger keeps; `lost` is non-zero only after a destination failure (SPEC §4.4).
 *
 * @example
 * ```ts
 * const { written, lost, seq }: AuditLoggerStats = audit.stats();
 * if (lost > 0) log.error(`${lost} of ${written + lost} audit entries lost (last seq ${seq})`);
 * ```
 */
export interface AuditLoggerStats {
  /** Entries handed to the destination. */
  readonly written: number;
  /** Entries that could not be written (EPIPE, EBADF…). */
  readonly lost: number;
  /** The last `seq` assigned. */
  readonly seq: number;
}
