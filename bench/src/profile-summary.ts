import { readFileSync } from 'node:fs';
import { table } from './report.js';

interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface CpuProfile {
  nodes: CpuProfileNode[];
  samples: number[];
}

/** Package (or runtime bucket) a function belongs to, for the by-package table. */
function bucketOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  const ours = /\/packages\/([^/]+)\//.exec(url);
  if (ours) return `@auditline/${ours[1]}`;
  const dep = /.*\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (dep?.[1]) return dep[1];
  if (url.startsWith('node:')) return 'node internals';
  return 'bench harness';
}

/** Self share of samples per package. */
export function selfByPackage(path: string): { bucket: string; self: number }[] {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const totals = new Map<string, number>();
  for (const id of profile.samples) {
    const node = byId.get(id);
    if (!node) continue;
    const bucket = bucketOf(node.callFrame.url, node.callFrame.functionName);
    totals.set(bucket, (totals.get(bucket) ?? 0) + 1);
  }
  return [...totals]
    .map(([bucket, count]) => ({ bucket, self: count / profile.samples.length }))
    .sort((a, b) => b.self - a.self);
}

/** One function's share of the samples. */
export interface ProfileRow {
  readonly fn: string;
  readonly self: number;
  readonly total: number;
}

function label(node: CpuProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const file = url.replace(/^file:\/\//, '').replace(/^.*\/(packages|node_modules)\//, '$1/');
  return `${functionName || '(anonymous)'} ${file ? `${file}:${lineNumber + 1}` : ''}`.trim();
}

/**
 * Self and inclusive share of samples per function in a `.cpuprofile` written
 * by `node --cpu-prof`. Inclusive counts each sample once per function even
 * under recursion.
 */
export function summarizeProfile(path: string): ProfileRow[] {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parent.set(child, node.id);
  const hits = new Map<number, number>();
  for (const id of profile.samples) hits.set(id, (hits.get(id) ?? 0) + 1);
  const total = profile.samples.length;
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  for (const [id, count] of hits) {
    const leaf = byId.get(id);
    if (!leaf) continue;
    const leafLabel = label(leaf);
    self.set(leafLabel, (self.get(leafLabel) ?? 0) + count);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const node = byId.get(at);
      if (!node) break;
      const name = label(node);
      if (seen.has(name)) continue;
      seen.add(name);
      inclusive.set(name, (inclusive.get(name) ?? 0) + count);
    }
  }
  return [...inclusive.keys()].map((fn) => ({
    fn,
    self: (self.get(fn) ?? 0) / total,
    total: (inclusive.get(fn) ?? 0) / total,
  }));
}

/** Markdown: the top functions by self time, and the top auditline functions by inclusive time. */
export function profileMarkdown(title: string, path: string, top = 15): string {
  const rows = summarizeProfile(path);
  const pct = (v: number): string => `${(v * 100).toFixed(1)}%`;
  const bySelf = [...rows].sort((a, b) => b.self - a.self).slice(0, top);
  const ours = rows
    .filter((r) => r.fn.includes('packages/'))
    .sort((a, b) => b.total - a.total)
    .slice(0, top);
  const packages = selfByPackage(path).slice(0, 10);
  return [
    `### ${title}`,
    '',
    `\`${path}\``,
    '',
    table(
      ['self time by package', 'share'],
      packages.map((p) => [p.bucket, pct(p.self)]),
    ),
    '',
    table(
      ['function (self)', 'self', 'inclusive'],
      bySelf.map((r) => [`\`${r.fn}\``, pct(r.self), pct(r.total)]),
    ),
    '',
    ...(ours.length > 0
      ? [
          table(
            ['auditline function (inclusive)', 'self', 'inclusive'],
            ours.map((r) => [`\`${r.fn}\``, pct(r.self), pct(r.total)]),
          ),
          '',
        ]
      : []),
  ].join('\n');
}

// `node dist/profile-summary.js file.cpuprofile…` prints the tables.
if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, '/'))) {
  for (const file of process.argv.slice(2))
    process.stdout.write(`${profileMarkdown(file, file)}\n`);
}
