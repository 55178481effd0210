import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** One TSDoc `@example` code block, and where it came from. */
export interface TsdocExample {
  /** `packages/core/src/logger.ts:120` */
  readonly where: string;
  /** The package the example belongs to (`core`). */
  readonly packageName: string;
  /**
   * The name of the exported declaration the comment documents (`createAuditLogger`),
   * or `undefined` when the comment sits on a member or an unexported helper.
   */
  readonly documents: string | undefined;
  readonly code: string;
}

const COMMENT = /\/\*\*([\s\S]*?)\*\//g;
/** The exported declaration right after a comment: `export function name`, `export const name`, … */
const DECLARATION =
  /^\s*export\s+(?:declare\s+)?(?:default\s+)?(?:async\s+)?(?:abstract\s+)?(?:function\*?|const|let|class|interface|type|enum)\s+([A-Za-z_$][\w$]*)/;
const EXAMPLE = /@example\s*\n\s*\*\s*```(\w*)\n([\s\S]*?)\n\s*\*\s*```/g;

/** Every `ts` / `typescript` `@example` in `packages/<name>/src/**.ts` (`sh` blocks are prose). */
export function extractExamples(repoRoot: string): TsdocExample[] {
  const examples: TsdocExample[] = [];
  const packagesDir = join(repoRoot, 'packages');
  for (const packageName of readdirSync(packagesDir)) {
    for (const file of sourceFiles(join(packagesDir, packageName, 'src'))) {
      const text = readFileSync(file, 'utf8');
      for (const comment of text.matchAll(COMMENT)) {
        for (const block of (comment[1] ?? '').matchAll(EXAMPLE)) {
          if (block[1] !== 'ts' && block[1] !== 'typescript') continue;
          const offset = (comment.index ?? 0) + 3 + (block.index ?? 0);
          const line = text.slice(0, offset).split('\n').length;
          const code = (block[2] ?? '')
            .split('\n')
            .map((l) => l.replace(/^\s*\* ?/, ''))
            .join('\n');
          const after = text.slice((comment.index ?? 0) + comment[0].length);
          const declaration = DECLARATION.exec(after);
          examples.push({
            where: `${relative(repoRoot, file)}:${line}`,
            packageName,
            code,
            documents: declaration?.[1],
          });
        }
      }
    }
  }
  return examples;
}

function sourceFiles(dir: string): string[] {
  let entries: import('node:fs').Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Names an example brings into scope itself: imports and top-level-looking declarations. */
export function namesDeclaredBy(code: string): Set<string> {
  const names = new Set<string>();
  for (const m of code.matchAll(/import\s+(type\s+)?([\s\S]*?)\s+from\s+['"][^'"]+['"]/g)) {
    const clause = m[2] ?? '';
    const braces = /\{([\s\S]*)\}/.exec(clause);
    for (const part of (braces?.[1] ?? '').split(',')) {
      const name = part
        .trim()
        .replace(/^type\s+/, '')
        .split(/\s+as\s+/)
        .at(-1)
        ?.trim();
      if (name) names.add(name);
    }
    const outside = clause.replace(/\{[\s\S]*\}/, '').replace(/,/g, ' ');
    for (const word of outside.split(/\s+/)) {
      if (word && word !== '*' && word !== 'as' && /^[A-Za-z_$][\w$]*$/.test(word)) names.add(word);
    }
  }
  for (const m of code.matchAll(
    /\b(?:const|let|var|function\*?|class|interface|type|enum|namespace)\s+([A-Za-z_$][\w$]*)/g,
  )) {
    if (m[1]) names.add(m[1]);
  }
  for (const m of code.matchAll(/\b(?:const|let|var)\s*[{[]([^}\]=]*)[}\]]/g)) {
    for (const part of (m[1] ?? '').split(',')) {
      const name = part
        .split(':')
        .at(-1)
        ?.replace(/\.\.\./, '')
        .trim();
      if (name && /^[A-Za-z_$][\w$]*$/.test(name)) names.add(name);
    }
  }
  return names;
}
