#!/usr/bin/env node
// The committed bin shim (issue #16): pnpm links bins at install time, before
// `dist/` is built, and warned "Failed to create bin" when the bin pointed at
// `dist/cli.js`. This file exists in a fresh clone; it only loads the build.
import '../dist/cli.js';
