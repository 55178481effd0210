import { writeSync } from 'node:fs';

/** fd the parent opened as a pipe for results, so stdout carries only the lines under test. */
const RESULT_FD = 3;

/** Sends one JSON result line to the parent. */
export function report(result: Record<string, unknown>): void {
  writeSync(RESULT_FD, `${JSON.stringify(result)}\n`);
}
