// Shared test helpers (issue #14): one place for what several packages' tests need.
export { seqProblems } from './audit-lines.js';
export { type CapturedWarning, captureWarnings } from './capture-warnings.js';
export { duplicateKeys, findDuplicateKey } from './duplicate-keys.js';
export { type ChildResult, pauseReading, type RunOptions, runChild } from './run-child.js';
