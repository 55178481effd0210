// `auditline verify [--key K | --key-file F] [--keys-json F] [--json] [--partial] [files...]`
// (SPEC §7, issue #7). Exit codes: 0 clean, 1 problems found, 2 unreadable
// input, bad usage, or a key that is missing or wrong.
import { readFileSync } from 'node:fs';
// One narrow subpath only (issue #15): core's root loads pino and
// core/internal loads zod, which verify never uses (zod alone was 60 ms of the
// start-up on Node 20). The flags are checked here, so the verifier takes
// resolved options.
import {
  AuditlineError,
  createResolvedVerifier,
  ENV_VARS,
  issueLine,
  resolvedVerifyOptions,
  type VerifyIssue,
  type VerifyIssueCode,
  type VerifyReport,
} from '@auditline/core/internal/verify';
import { type FlagSpecs, parseFlags, usageErrorText } from './cli-args.js';
import { VerifyKeyError, VerifyUsageError } from './verify-errors.js';
import { readRecords } from './verify-input.js';
import { formatReport, locate, type SourceSpan } from './verify-report-text.js';

/** Exit codes of `auditline verify` (issue #7). */
export const VERIFY_EXIT = Object.freeze({ clean: 0, problems: 1, unusable: 2 } as const);

/** Findings `--partial` tolerates: an export window that starts or ends mid-chain. */
const PARTIAL_TOLERATED: ReadonlySet<VerifyIssueCode> = new Set(['missing-head', 'unclosed']);

const USAGE = `usage: auditline verify [--key KEY | --key-file FILE] [--keys-json FILE] [--json] [--partial] [files...]

Verifies auditline audit lines: seq gaps and duplicates per instance, the HMAC
chain (hash, prev), and whether AUDIT_STOP closes each instance. Reads stdin
when no file is given (or "-"). Inputs: NDJSON, \`aws logs filter-log-events\` /
\`get-log-events\` JSON, Firehose S3 objects (with or without message
extraction), and gzip of any of these.

  --key KEY          HMAC key for every keyId (visible in ps: prefer --key-file)
  --key-file FILE    read the key from FILE (surrounding whitespace trimmed)
  --keys-json FILE   {"<keyId>": "<key>", ...} for rotated keys
  --json             machine-readable report on stdout
  --partial          the input is a time window: a missing start or AUDIT_STOP
                     is reported but does not fail
Without --key/--key-file, the key is read from ${ENV_VARS.hmacKey}.

Exit codes: 0 clean, 1 problems found, 2 unreadable input or missing/wrong key.
`;

interface Keys {
  readonly keys: Readonly<Record<string, string>>;
  readonly defaultKey: string | undefined;
}

function readKeyFile(path: string, flag: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new VerifyKeyError(
      `${flag} ${path}: cannot read the key file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`,
      { cause: error },
    );
  }
  return text;
}

/**
 * `AUDIT_HMAC_KEY`, through core's single env reader (SPEC §4.8: every env var
 * is read in one module). Imported only when no key flag is given: that module
 * loads zod, which a run with `--key` never needs (issue #15).
 */
async function keyFromEnvironment(): Promise<string | undefined> {
  const { readAuditEnvironment } = await import('@auditline/core/internal');
  return readAuditEnvironment().AUDIT_HMAC_KEY;
}

async function resolveKeys(values: {
  key?: string | undefined;
  'key-file'?: string | undefined;
  'keys-json'?: string | undefined;
}): Promise<Keys> {
  if (values.key !== undefined && values['key-file'] !== undefined) {
    throw new VerifyUsageError(
      '--key and --key-file both give the key. Fix: pass only one of them.',
    );
  }
  let defaultKey: string | undefined;
  if (values.key !== undefined) {
    if (values.key === '') throw new VerifyKeyError('--key is empty. Fix: pass the HMAC key.');
    defaultKey = values.key;
  } else if (values['key-file'] !== undefined) {
    // Trimmed like AUDIT_HMAC_KEY is by the logger, so a trailing newline is not part of the key.
    defaultKey = readKeyFile(values['key-file'], '--key-file').trim();
    if (defaultKey === '') {
      throw new VerifyKeyError(`--key-file ${values['key-file']}: the file is empty.`);
    }
  } else {
    defaultKey = await keyFromEnvironment();
  }
  const keys: Record<string, string> = {};
  const keysJson = values['keys-json'];
  if (keysJson !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readKeyFile(keysJson, '--keys-json'));
    } catch (error) {
      if (error instanceof AuditlineError) throw error;
      throw new VerifyKeyError(`--keys-json ${keysJson}: not valid JSON.`, { cause: error });
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new VerifyKeyError(
        `--keys-json ${keysJson}: expected an object such as {"default": "<key>"}.`,
      );
    }
    for (const [keyId, key] of Object.entries(parsed)) {
      if (typeof key !== 'string' || key === '') {
        throw new VerifyKeyError(
          `--keys-json ${keysJson}: the key for keyId "${keyId}" must be a non-empty string.`,
        );
      }
      keys[keyId] = key;
    }
  }
  return { keys, defaultKey };
}

interface Outcome {
  readonly exitCode: number;
  readonly verdict: string;
  readonly ignored: ReadonlySet<VerifyIssue>;
}

function judge(report: VerifyReport, partial: boolean): Outcome {
  const ignored = new Set<VerifyIssue>();
  if (partial)
    for (const issue of report.issues) if (PARTIAL_TOLERATED.has(issue.code)) ignored.add(issue);
  const keyIssues = report.issues.filter((issue) => issue.severity === 'key');
  const problems = report.issues.filter(
    (issue) => issue.severity === 'problem' && !ignored.has(issue),
  );
  // Lines that Logs Insights counts as audit = 1 but that are not audit lines are a
  // problem even when nothing genuine is around them: an input of forged lines only
  // must not read as "nothing to verify" (exit 2) but as tampering (exit 1, issue #13).
  if (report.auditLines === 0 && problems.length > 0) {
    return {
      exitCode: VERIFY_EXIT.problems,
      verdict: `PROBLEMS FOUND: ${problems.length} finding(s), and no genuine audit line in the input`,
      ignored,
    };
  }
  if (report.auditLines === 0) {
    return {
      exitCode: VERIFY_EXIT.unusable,
      verdict: 'NOTHING VERIFIED: no audit line ("audit":true) found in the input',
      ignored,
    };
  }
  if (keyIssues.some((issue) => issue.code === 'wrong-key')) {
    return {
      exitCode: VERIFY_EXIT.unusable,
      verdict:
        'WRONG KEY: no line verifies with the key given; check --key/--key-file/--keys-json/AUDIT_HMAC_KEY',
      ignored,
    };
  }
  if (keyIssues.length > 0) {
    const ids = keyIssues
      .map((issue) => `"${('keyId' in issue && issue.keyId) || '(none)'}"`)
      .join(', ');
    return {
      exitCode: VERIFY_EXIT.unusable,
      verdict: `MISSING KEY: lines are signed (keyId ${ids}) but no key was given for them; pass --key, --key-file, --keys-json or set ${ENV_VARS.hmacKey}`,
      ignored,
    };
  }
  if (problems.length > 0) {
    return {
      exitCode: VERIFY_EXIT.problems,
      verdict: `PROBLEMS FOUND: ${problems.length} finding(s)`,
      ignored,
    };
  }
  return { exitCode: VERIFY_EXIT.clean, verdict: 'CLEAN', ignored };
}

function jsonReport(
  report: VerifyReport,
  sources: readonly SourceSpan[],
  outcome: Outcome,
): string {
  const issues = report.issues.map((issue) => {
    const line = issueLine(issue);
    const at = line === undefined ? undefined : locate(sources, line);
    return { ...issue, ...at, ignored: outcome.ignored.has(issue) || undefined };
  });
  return `${JSON.stringify({ exitCode: outcome.exitCode, verdict: outcome.verdict, sources, ...report, issues }, null, 2)}\n`;
}

function fail(error: unknown, json: boolean): number {
  const message =
    error instanceof AuditlineError
      ? error.message
      : `unexpected error: ${(error as Error).message}`;
  process.stderr.write(`auditline verify: ${message}\n`);
  if (json) {
    const code = error instanceof AuditlineError ? error.code : 'VERIFY_INTERNAL';
    process.stdout.write(
      `${JSON.stringify({ exitCode: VERIFY_EXIT.unusable, error: { code, message } })}\n`,
    );
  }
  return VERIFY_EXIT.unusable;
}

/**
 * Runs `auditline verify` with the arguments after `verify`; resolves to the exit code.
 *
 * @example
 * ```ts
 * process.exitCode = await run(['--key-file', 'key.txt', 'audit.ndjson.gz']);
 * ```
 */
export async function run(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    // One line naming the flag and a pointer to --help, not the whole help (issue #16).
    const usage =
      error instanceof AuditlineError ? error : new VerifyUsageError((error as Error).message);
    if (argv.includes('--json')) return fail(usage, true);
    process.stderr.write(usageErrorText('auditline verify', usage.message));
    return VERIFY_EXIT.unusable;
  }
  const { values, positionals } = parsed;
  const json = values.json === true;
  if (values.help === true) {
    process.stdout.write(USAGE);
    return VERIFY_EXIT.clean;
  }
  try {
    const { keys, defaultKey } = await resolveKeys(values);
    // Every key is a non-empty string here (resolveKeys), what the public
    // verifier's schema would check (issue #15: no zod on this path).
    const verifier = createResolvedVerifier(resolvedVerifyOptions(keys, defaultKey), true);
    let pushed = 0;
    const push = (record: string, ascii?: Buffer, start?: number): void => {
      pushed++;
      if (ascii === undefined) verifier.push(record);
      else verifier.pushAscii(record, ascii, start ?? 0);
    };
    // A record too long to keep is still a line: counted and reported (issue #13).
    const pushOversized = (chars: number): void => {
      pushed++;
      verifier.pushOversized(chars);
    };
    const sources: SourceSpan[] = [];
    const names = positionals.length > 0 ? positionals : ['-'];
    if (positionals.length === 0 && process.stdin.isTTY === true) {
      process.stderr.write('auditline verify: reading audit lines from stdin (end with Ctrl-D)\n');
    }
    for (const name of names) {
      const firstLine = pushed + 1;
      await readRecords(name, push, undefined, pushOversized);
      sources.push({ name: name === '-' ? '(stdin)' : name, firstLine, lastLine: pushed });
    }
    const report = verifier.result();
    const outcome = judge(report, values.partial === true);
    if (outcome.exitCode === VERIFY_EXIT.unusable) {
      process.stderr.write(`auditline verify: ${outcome.verdict}\n`);
    }
    process.stdout.write(
      json ? jsonReport(report, sources, outcome) : formatReport(report, sources, outcome),
    );
    return outcome.exitCode;
  } catch (error) {
    return fail(error, json);
  }
}

const FLAGS = {
  key: { type: 'string' },
  'key-file': { type: 'string' },
  'keys-json': { type: 'string' },
  json: { type: 'boolean' },
  partial: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies FlagSpecs;

function parse(argv: string[]) {
  return parseFlags(argv, FLAGS);
}
