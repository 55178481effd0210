import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type GrafanaDashboard, grafanaDashboard } from '@auditline/infra';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Issue #17: the generated dashboard JSON typechecks against @grafana/schema.
// The JSON itself (not the generator's TypeScript return type) is written into a
// .ts file as object literals annotated with the schema's types, so the
// compiler's excess-property and literal checks apply to every key and value:
// the dashboard model against `Dashboard`, each Logs target against
// `CloudWatchLogsQuery`, each metrics target against `CloudWatchMetricsQuery`.

const CLOUDWATCH_TYPES =
  '@grafana/schema/dist/esm/raw/composable/cloudwatch/dataquery/x/CloudWatchDataQuery_types.gen';

let dir: string;

beforeAll(() => {
  // Inside the package, so `@grafana/schema` resolves from its devDependencies.
  dir = mkdtempSync(join(fileURLToPath(new URL('.', import.meta.url)), '.grafana-typecheck-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Target = { readonly queryMode?: unknown; readonly [key: string]: unknown };

/** The .ts source that states the dashboard's JSON against the schema's types. */
function typedSource(dashboard: GrafanaDashboard): string {
  const { __inputs: _inputs, __requires: _requires, ...model } = dashboard;
  const targets = dashboard.panels.flatMap((p) => (p.targets ?? []) as readonly Target[]);
  const logs = targets.filter((t) => t.queryMode === 'Logs');
  const metrics = targets.filter((t) => t.queryMode === 'Metrics');
  return [
    "import type { Dashboard } from '@grafana/schema';",
    `import type { CloudWatchLogsQuery, CloudWatchMetricsQuery } from '${CLOUDWATCH_TYPES}';`,
    `export const dashboard: Dashboard = ${JSON.stringify(model, null, 2)};`,
    `export const logs: CloudWatchLogsQuery[] = ${JSON.stringify(logs, null, 2)};`,
    `export const metrics: CloudWatchMetricsQuery[] = ${JSON.stringify(metrics, null, 2)};`,
    `export const counts = { logs: ${logs.length}, metrics: ${metrics.length}, all: ${targets.length} };`,
    '',
  ].join('\n');
}

/** Typechecks one generated source file with the repository's strict settings. */
function typecheck(name: string, source: string): string[] {
  const file = join(dir, `${name}.ts`);
  writeFileSync(file, source);
  const program = ts.createProgram([file], {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    skipLibCheck: true,
    types: [],
  });
  return ts
    .getPreEmitDiagnostics(program)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

describe('the Grafana dashboard JSON against @grafana/schema', () => {
  it.each([
    ['defaults', { service: 'my-app' }],
    [
      'with EMF panels, custom names and region',
      {
        service: 'my-app',
        emf: true,
        logGroupName: '/custom/audit',
        metricNamespace: 'Custom/Audit',
        region: 'eu-west-1',
      },
    ],
  ] as const)('typechecks (%s)', (_name, options) => {
    // Prepare
    const dashboard = grafanaDashboard(options);
    const targets = dashboard.panels.flatMap((p) => (p.targets ?? []) as readonly Target[]);
    // Every target is one of the two typed kinds, so none escapes the check.
    expect(targets.every((t) => t.queryMode === 'Logs' || t.queryMode === 'Metrics')).toBe(true);
    // Act
    const errors = typecheck(
      `dashboard-${'emf' in options ? 'emf' : 'plain'}`,
      typedSource(dashboard),
    );
    // Assess
    expect(errors).toEqual([]);
  });

  it.each([
    [
      'a Logs target without its region',
      (t: Record<string, unknown>) => {
        if (t.queryMode === 'Logs') delete t.region;
      },
      'region',
    ],
    [
      'a metrics target with a list for statistic',
      (t: Record<string, unknown>) => {
        if (t.queryMode === 'Metrics') t.statistic = ['Sum'];
      },
      'string[]',
    ],
    [
      'a logGroups entry without its name',
      (t: Record<string, unknown>) => {
        if (t.queryMode === 'Logs') t.logGroups = [{ arn: '$logGroup' }];
      },
      'name',
    ],
  ])('rejects %s (the check is live)', (_name, breakTarget, expected) => {
    // Prepare: the real dashboard with one target-level fault.
    const dashboard = JSON.parse(JSON.stringify(grafanaDashboard({ service: 'my-app' })));
    for (const p of dashboard.panels) for (const t of p.targets ?? []) breakTarget(t);
    // Act
    const errors = typecheck(`broken-${expected}`, typedSource(dashboard));
    // Assess
    expect(errors.join('\n')).toContain(expected);
  });

  it('rejects an unknown dashboard key (the check is live)', () => {
    const dashboard = { ...grafanaDashboard({ service: 'my-app' }), schemaVersionn: 39 };
    expect(typecheck('broken-key', typedSource(dashboard)).join('\n')).toContain('schemaVersionn');
  });
});
