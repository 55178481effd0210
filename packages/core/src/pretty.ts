import { createRequire } from 'node:module';
import { WARNING_CODES } from './constants.js';

/**
 * Turns one JSON line into its human-readable form (with newline).
 *
 * @example
 * ```ts
 * const pretty: PrettyFormatter | undefined = createPrettyFormatter();
 * if (pretty) process.stdout.write(pretty(line));
 * ```
 */
export type PrettyFormatter = (line: string) => string;

type PrettyFactory = (options: Record<string, unknown>) => (input: string) => string;

const requireFromHere = createRequire(import.meta.url);

let loaded: { factory: PrettyFactory | undefined } | undefined;

function loadFactory(): PrettyFactory | undefined {
  if (loaded) return loaded.factory;
  let factory: PrettyFactory | undefined;
  try {
    const mod = requireFromHere('pino-pretty') as { prettyFactory?: PrettyFactory };
    if (typeof mod.prettyFactory !== 'function')
      throw new Error('pino-pretty has no prettyFactory');
    factory = mod.prettyFactory;
  } catch (error) {
    // Warn once per process, however many loggers ask.
    process.emitWarning(
      `auditline: format "pretty" needs the optional peer pino-pretty (${String((error as Error).message).split('\n')[0]}); writing JSON instead. Fix: npm i -D pino-pretty, or set AUDIT_LOG_FORMAT=json.`,
      { code: WARNING_CODES.prettyUnavailable },
    );
  }
  loaded = { factory };
  return factory;
}

/**
 * The formatter behind `format: 'pretty'`: pino-pretty's synchronous
 * `prettyFactory` with auditline's layout (`AUDIT <action> <status> <resource>
 * user=<id>`), so pretty mode keeps the durable synchronous write (no
 * transport, no worker thread: SPEC §4.4). Exported so tools that read JSON
 * lines (the demo, a log tail) show them exactly as the logger would.
 * pino-pretty is an optional peer: when it is missing, returns `undefined`
 * after one coded warning, and the logger falls back to JSON.
 *
 * @example
 * ```ts
 * import { createPrettyFormatter } from '@auditline/core';
 * const pretty = createPrettyFormatter();
 * process.stdout.write(pretty ? pretty(line) : `${line}\n`);
 * ```
 */
export function createPrettyFormatter(): PrettyFormatter | undefined {
  const factory = loadFactory();
  if (!factory) return undefined;
  const pretty = factory({
    timestampKey: 'timestamp',
    translateTime: 'SYS:HH:MM:ss.l',
    messageKey: 'msg',
    messageFormat: (log: Record<string, unknown>, messageKey: string): string =>
      log.audit === true
        ? `AUDIT ${String(log.action)} ${String(log.status)} ${String(log.resource)} user=${String(log.user_id)}`
        : String(log[messageKey] ?? ''),
    ignore:
      'audit,service,service_version,instance,action,status,resource,user_id,keyId,prev,hash,_aws',
    singleLine: true,
  });
  return (line: string) => pretty(line);
}
