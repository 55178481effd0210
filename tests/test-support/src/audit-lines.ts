/**
 * Assertion-friendly summary of the `seq` values of audit lines: gaps,
 * repeats and reorders (SPEC §3: `seq` increases by 1 per entry, from 1).
 * At most six problems are listed; after a problem, counting resumes from the
 * seq found, so one gap is one problem.
 *
 * @example
 * ```ts
 * expect(seqProblems(result.lines).problems).toEqual([]);
 * ```
 */
export function seqProblems(lines: readonly string[]): { count: number; problems: string[] } {
  const problems: string[] = [];
  let expected = 1;
  for (const line of lines) {
    const entry = JSON.parse(line) as { seq?: number };
    if (entry.seq !== expected) {
      problems.push(`expected seq ${expected}, got ${entry.seq}`);
      if (problems.length > 5) break;
      expected = (entry.seq ?? expected) + 1;
      continue;
    }
    expected++;
  }
  return { count: lines.length, problems };
}
