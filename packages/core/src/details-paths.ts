import type { RedactPathNode } from './redaction.js';

/** The `redact` path rules still in play at one point of the walk (dotted paths under `details`). */
export type PathNodes = readonly RedactPathNode[] | undefined;

const NO_PATH = Object.freeze({ next: undefined, hit: false }) as { next: PathNodes; hit: boolean };

/**
 * The rules that continue under `lowerKey`, and whether one of them ends
 * there (the value is then censored). `*` matches one key or index.
 *
 * @example
 * ```ts
 * const { next, hit } = childPaths([compileRedaction(['customer.*.email']).paths!], 'customer');
 * ```
 */
export function childPaths(nodes: PathNodes, lowerKey: string): { next: PathNodes; hit: boolean } {
  if (!nodes) return NO_PATH;
  let next: RedactPathNode[] | undefined;
  let hit = false;
  for (const node of nodes) {
    const exact = node.children.get(lowerKey);
    const wildcard = node.children.get('*');
    if (exact) {
      if (exact.terminal) hit = true;
      (next ??= []).push(exact);
    }
    if (wildcard) {
      if (wildcard.terminal) hit = true;
      (next ??= []).push(wildcard);
    }
  }
  return { next, hit };
}
