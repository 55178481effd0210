import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { extractExamples, namesDeclaredBy } from './extract-examples.js';

// Issue #16: "make every TSDoc example compile: a test extracts and typechecks
// them". Each `@example` of `packages/*/src` becomes one module, compiled
// against the built packages (their exports maps and .d.ts) with strict TS. An
// example may use, without importing them, the public names of the packages
// (the prelude imports those) and the handful of placeholders below; anything
// else it must declare or import itself, as a reader would have to.

const HERE = fileURLToPath(new URL('.', import.meta.url));
const REPO_ROOT = resolve(HERE, '../../..');
const OUT = resolve(HERE, '../.generated');

/**
 * Placeholders examples may use as if the surrounding code had them, each with
 * a real type (bare names resolve through the prelude's imports).
 */
const PLACEHOLDERS: Readonly<Record<string, string>> = {
  sink: 'MemorySink',
  doc: 'EmfDocument',
  report: 'VerifyReport',
  template: 'CfnTemplate',
  dashboard: 'GrafanaDashboard',
  target: 'GrafanaPublishTarget',
  key: 'string',
  text: 'string',
  file: 'string',
  e: 'unknown',
  err: 'unknown',
  error: 'unknown',
  app: "import('express').Express",
  router: "import('express').Router",
  req: "import('express').Request",
  res: "import('express').Response",
  next: "import('express').NextFunction",
  audit: "import('@auditline/core').AuditLogger",
  logger: "import('@auditline/core').AuditLogger",
  log: "import('pino').Logger",
  server: "import('node:http').Server",
  id: 'string',
  userId: 'string',
  order: '{ id: string; total: number }',
  line: 'string',
  lines: 'string[]',
};

const PACKAGES = ['core', 'express', 'emf', 'infra'] as const;

/** `node:fs` names an example may use without importing them. */
const NODE_FS_NAMES = ['readFileSync', 'writeFileSync', 'createReadStream'] as const;

/** Every entry point (`@auditline/core`, `@auditline/core/testing`, …) from the exports maps. */
function entryPoints(): { specifier: string; packageName: string }[] {
  return PACKAGES.flatMap((name) => {
    const manifest = JSON.parse(
      readFileSync(join(REPO_ROOT, 'packages', name, 'package.json'), 'utf8'),
    ) as { exports: Record<string, unknown> };
    return Object.keys(manifest.exports)
      .filter((key) => key !== './package.json')
      .map((key) => ({
        specifier: `@auditline/${name}${key === '.' ? '' : key.slice(1)}`,
        packageName: name,
      }));
  });
}

const COMPILER_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'],
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  types: ['node'],
};

/**
 * The names each entry point exports (values and types), read by the compiler
 * from the .d.ts, and the names of the declarations behind them: a renamed
 * re-export (`export { LINE_PREFIX as AUDIT_LINE_PREFIX }`) documents its
 * declaration's comment under the public name, so that example is public too.
 */
function exportedNames(entries: { specifier: string }[]): {
  names: Map<string, string[]>;
  declarations: Map<string, string[]>;
} {
  const probe = join(OUT, 'exports-probe.ts');
  writeFileSync(
    probe,
    entries.map((e, i) => `import * as m${i} from '${e.specifier}';\nvoid m${i};\n`).join(''),
  );
  const program = ts.createProgram([probe], COMPILER_OPTIONS);
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(probe);
  const names = new Map<string, string[]>();
  const declarations = new Map<string, string[]>();
  for (const statement of source?.statements ?? []) {
    if (!ts.isImportDeclaration(statement)) continue;
    const specifier = (statement.moduleSpecifier as ts.StringLiteral).text;
    const symbol = checker.getSymbolAtLocation(statement.moduleSpecifier);
    const exported = symbol ? checker.getExportsOfModule(symbol) : [];
    names.set(
      specifier,
      exported.map((s) => s.name),
    );
    declarations.set(
      specifier,
      exported.map((s) =>
        s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s).name : s.name,
      ),
    );
  }
  return { names, declarations };
}

describe('TSDoc @example blocks', () => {
  it('every TypeScript example in packages/*/src compiles against the built packages', () => {
    // Prepare
    rmSync(OUT, { recursive: true, force: true });
    mkdirSync(OUT, { recursive: true });
    const entries = entryPoints();
    const { names: exports, declarations } = exportedNames(entries);
    // The examples users read: those on declarations a package exports (TypeDoc
    // shows exactly these). Examples on internal helpers are notes for maintainers.
    const publicNames = new Map<string, Set<string>>();
    for (const entry of entries) {
      const set = publicNames.get(entry.packageName) ?? new Set<string>();
      for (const name of exports.get(entry.specifier) ?? []) set.add(name);
      for (const name of declarations.get(entry.specifier) ?? []) set.add(name);
      publicNames.set(entry.packageName, set);
    }
    const examples = extractExamples(REPO_ROOT).filter(
      (e) => e.documents !== undefined && publicNames.get(e.packageName)?.has(e.documents),
    );
    expect(examples.length).toBeGreaterThan(50);
    const files = examples.map((example, index) => {
      const own = example.code;
      const taken = namesDeclaredBy(own);
      // The example's own package first, so its names win over a sibling's.
      const ordered = [
        ...entries.filter((e) => e.packageName === example.packageName),
        ...entries.filter((e) => e.packageName !== example.packageName),
      ];
      const prelude: string[] = [];
      for (const entry of ordered) {
        const names = (exports.get(entry.specifier) ?? []).filter((n) => !taken.has(n));
        for (const n of names) taken.add(n);
        if (names.length > 0)
          prelude.push(`import { ${names.join(', ')} } from '${entry.specifier}';`);
      }
      // Node's file helpers, which examples use as freely as a script would.
      const fsNames = NODE_FS_NAMES.filter((n) => !taken.has(n));
      for (const n of fsNames) taken.add(n);
      if (fsNames.length > 0) prelude.push(`import { ${fsNames.join(', ')} } from 'node:fs';`);
      for (const [name, type] of Object.entries(PLACEHOLDERS)) {
        if (!taken.has(name)) prelude.push(`declare const ${name}: ${type};`);
      }
      const file = join(OUT, `example-${String(index).padStart(3, '0')}.ts`);
      // The prelude is one line, so a diagnostic's line maps back to the comment.
      writeFileSync(file, `${prelude.join(' ')}\n${own}\nexport {};\n`);
      return { file, example };
    });

    // Act
    const program = ts.createProgram(
      files.map((f) => f.file),
      COMPILER_OPTIONS,
    );
    const broken = new Map<string, string[]>();
    for (const { file, example } of files) {
      const source = program.getSourceFile(file);
      const diagnostics = [
        ...program.getSyntacticDiagnostics(source),
        ...program.getSemanticDiagnostics(source),
      ];
      if (diagnostics.length === 0) continue;
      const [path, line] = example.where.split(':');
      const messages = diagnostics.map((d) => {
        const at =
          d.start === undefined ? 0 : (source?.getLineAndCharacterOfPosition(d.start).line ?? 0);
        const text = ts.flattenDiagnosticMessageText(d.messageText, ' ');
        return `${path}:${Number(line) + 1 + at}: TS${d.code} ${text}`;
      });
      const key = `${example.packageName}:${example.documents}`;
      broken.set(key, [...(broken.get(key) ?? []), ...messages]);
    }
    // Generated files are kept only while something fails, for a look at them.
    if (broken.size === 0) rmSync(OUT, { recursive: true, force: true });

    // Assess: every public example compiles (the KNOWN_BROKEN list of 38 that
    // did not when this test landed is gone: issue #16).
    expect([...broken], 'these @example blocks do not compile').toEqual([]);
  });
});
