// Flag parsing shared by the `auditline` subcommands (issue #16). Node's
// `parseArgs` was used before; it could not take `-5` as a value ("argument is
// ambiguous"), its unknown-flag text had no "did you mean", and its messages
// are not ours to keep stable. This parser is small on purpose: long flags
// (`--name value`, `--name=value`), declared short aliases (`-h`), `-` and
// everything after `--` as positionals.
import { nearestMatch } from './nearest-match.js';

/** One flag a subcommand accepts. */
export interface FlagSpec {
  readonly type: 'string' | 'boolean';
  /** A one-letter alias, without the dash (`'h'` for `-h`). */
  readonly short?: string;
}

/** The flags of one subcommand, keyed by long name without the dashes. */
export type FlagSpecs = Readonly<Record<string, FlagSpec>>;

/** The values parsed for `S`: strings for string flags, `true` for boolean flags that were given. */
export type FlagValues<S extends FlagSpecs> = {
  -readonly [K in keyof S]?: S[K]['type'] extends 'string' ? string : boolean;
};

/** A command line the subcommand cannot run: the message names the flag as typed. */
export class CommandLineError extends Error {
  override readonly name = 'CommandLineError';
}

/**
 * Parses `argv` against `specs`. Throws {@link CommandLineError} for an unknown
 * flag (with the nearest known one), a string flag without a value, or a value
 * given to a boolean flag. A string flag takes the next argument as its value
 * even when it starts with `-` (so `--threshold -5` reaches the value check),
 * unless that argument is itself a known flag.
 */
export function parseFlags<S extends FlagSpecs>(
  argv: readonly string[],
  specs: S,
): { values: FlagValues<S>; positionals: string[] } {
  const values: Record<string, string | boolean> = {};
  const positionals: string[] = [];
  const longNames = Object.keys(specs);
  const shortNames = new Map<string, string>();
  for (const [name, spec] of Object.entries(specs)) {
    if (spec.short !== undefined) shortNames.set(spec.short, name);
  }
  const isKnownFlag = (arg: string): boolean =>
    arg.startsWith('--')
      ? longNames.includes(arg.slice(2).split('=')[0] ?? '')
      : arg.length === 2 && arg.startsWith('-') && shortNames.has(arg.slice(1));

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg === '-' || !arg.startsWith('-')) {
      positionals.push(arg);
      continue;
    }
    const equals = arg.indexOf('=');
    const typed = equals === -1 ? arg : arg.slice(0, equals);
    const name = typed.startsWith('--')
      ? typed.slice(2)
      : typed.length === 2
        ? shortNames.get(typed.slice(1))
        : undefined;
    const spec = name === undefined ? undefined : specs[name];
    if (name === undefined || spec === undefined) {
      const near = nearestMatch(typed.replace(/^-+/, ''), longNames);
      throw new CommandLineError(
        `unknown option ${typed}${near === undefined ? '' : ` (did you mean --${near}?)`}`,
      );
    }
    if (spec.type === 'boolean') {
      if (equals !== -1)
        throw new CommandLineError(`${typed} takes no value, got "${arg.slice(equals + 1)}"`);
      values[name] = true;
      continue;
    }
    if (equals !== -1) {
      values[name] = arg.slice(equals + 1);
      continue;
    }
    const next = argv[i + 1];
    if (next === undefined || isKnownFlag(next)) {
      throw new CommandLineError(`${typed} needs a value`);
    }
    values[name] = next;
    i++;
  }
  return { values: values as FlagValues<S>, positionals };
}

/** The two lines every usage error prints: what was wrong, then where help is. */
export function usageErrorText(command: string, message: string): string {
  return `${command}: ${message}\nRun '${command} --help' for usage.\n`;
}
