// Prints vitest's totals as the plain line CI reads: `N passed, N failed`.
import { existsSync, readFileSync } from 'node:fs';

const file = process.argv[2];
if (!file || !existsSync(file)) {
  console.error(
    `summary: no vitest report at ${file}; the build or lint step failed before tests ran`,
  );
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const report = JSON.parse(readFileSync(file, 'utf8'));
const failed = report.numFailedTests + (report.numFailedTestSuites ?? 0);
console.log(
  `${report.numPassedTests} passed, ${failed} failed, ${report.numPendingTests + (report.numTodoTests ?? 0)} skipped`,
);
process.exit(failed > 0 || report.success === false ? 1 : 0);
