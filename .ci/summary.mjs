// Prints vitest's totals as the plain closing line CI reads: `N passed, N failed, N skipped`,
// summed over every Node version's report (issue #15), after one labelled line per version.
// Arguments: `<label>=<report.json>` pairs, the primary version first.
import { existsSync, readFileSync } from 'node:fs';

const runs = process.argv.slice(2).map((arg) => {
  const at = arg.indexOf('=');
  return at === -1
    ? { label: arg, file: arg }
    : { label: arg.slice(0, at), file: arg.slice(at + 1) };
});
if (runs.length === 0) runs.push({ label: 'tests', file: '.ci/vitest-report.json' });

let passed = 0;
let failed = 0;
let skipped = 0;
let ok = true;
for (const { label, file } of runs) {
  if (!existsSync(file)) {
    console.error(
      `summary: no vitest report at ${file}; the build, lint or test run failed before tests ran`,
    );
    console.log(`node ${label}: 0 passed, 1 failed, 0 skipped`);
    failed += 1;
    ok = false;
    continue;
  }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  // Failed tests, plus files that failed without a failed test (an import or a hook threw).
  // numFailedTestSuites would count each describe block around a failed test again.
  const brokenFiles = (report.testResults ?? []).filter(
    (file) =>
      file.status === 'failed' &&
      !(file.assertionResults ?? []).some((test) => test.status === 'failed'),
  ).length;
  const f = report.numFailedTests + brokenFiles;
  const s = report.numPendingTests + (report.numTodoTests ?? 0);
  console.log(`node ${label}: ${report.numPassedTests} passed, ${f} failed, ${s} skipped`);
  passed += report.numPassedTests;
  failed += f;
  skipped += s;
  if (f > 0 || report.success === false) ok = false;
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(ok ? 0 : 1);
