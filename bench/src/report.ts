/** One row of the targets table (issue #6). `pass` is undefined when the measure could not be taken. */
export interface TargetResult {
  readonly measure: string;
  readonly target: string;
  readonly measured: string;
  readonly pass: boolean | undefined;
}

/** What each driver hands back to `run-all`. */
export interface DriverReport {
  readonly name: string;
  /** Markdown section (starts with `## `). */
  readonly markdown: string;
  readonly targets: readonly TargetResult[];
  /** Raw measurements, written to `results/*.raw.json` for later digging. */
  readonly raw: unknown;
}

/** Settings shared by every driver. */
export interface DriverSettings {
  /** Tiny sizes, one round: checks the harness, not the numbers. */
  readonly quick: boolean;
  /** Override the number of round-robin rounds. */
  readonly rounds: number | undefined;
  /** Contender/variant names to run instead of the default set (diagnostics included). */
  readonly only: readonly string[] | undefined;
  /** When set, emit children run under `node --cpu-prof` and write profiles here. */
  readonly profileDir: string | undefined;
  /** Progress lines go here (stderr), so stdout stays the markdown report. */
  readonly progress: (message: string) => void;
}

/** Display width of a cell: emoji such as ✅ and ❌ take two columns in a monospace font. */
function width(text: string): number {
  let columns = 0;
  for (const char of text) columns += /\p{Extended_Pictographic}/u.test(char) ? 2 : 1;
  return columns;
}

/** A markdown table from a header row and body rows, padded so the raw text reads as a table too. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) =>
    Math.max(3, width(h), ...rows.map((row) => width(row[i] ?? ''))),
  );
  const line = (cells: readonly string[]): string =>
    `| ${cells.map((cell, i) => cell + ' '.repeat(widths[i]! - width(cell))).join(' | ')} |`;
  return [
    line(header),
    `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`,
    ...rows.map(line),
  ].join('\n');
}

/** `✅ pass`, `❌ MISS` or `– not measured`. */
export function verdict(pass: boolean | undefined): string {
  if (pass === undefined) return '– not measured';
  return pass ? '✅ pass' : '❌ MISS';
}
