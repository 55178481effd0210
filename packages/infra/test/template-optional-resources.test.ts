import { AUDIT_FIELDS } from '@auditline/core';
import {
  ARCHIVE_TABLE_COLUMNS,
  auditInfrastructure,
  CONTRIBUTOR_INSIGHTS_RULES,
  compileFilterPattern,
  INDEXED_FIELDS,
  InfraConfigError,
  LOGICAL_IDS,
  METRIC_FILTERS,
} from '@auditline/infra';
import { beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_LABELS, type LabelledLine, writeRealLines } from './helpers/real-lines.js';
import { BASE_OPTIONS as BASE } from './helpers/template-variants.js';

// Issue #17 "What to add": Contributor Insights rules, field indexes and the
// Glue table over the archive, all optional. Both validators check them in
// template-validity / template-passes-cfn-lint (the "everything" variant); this
// file checks what each says, against real logger lines where it reads them.

// biome-ignore lint/suspicious/noExplicitAny: test-side access into template JSON
type Json = any;
const props = (t: Json, id: string): Json => t.Resources[id]?.Properties;

let json: LabelledLine[];
let emf: LabelledLine[];
const audit = (lines: LabelledLine[]) =>
  lines
    .filter((l) => (AUDIT_LABELS as readonly string[]).includes(l.label))
    .map((l) => JSON.parse(l.line));

beforeAll(async () => {
  json = await writeRealLines('json');
  emf = await writeRealLines('emf');
});

describe('Contributor Insights rules (contributorInsights)', () => {
  const t: Json = auditInfrastructure({ ...BASE, contributorInsights: true });
  const rules = Object.values(CONTRIBUTOR_INSIGHTS_RULES);

  it('are absent unless asked for', () => {
    const plain: Json = auditInfrastructure(BASE);
    for (const r of rules) expect(plain.Resources[r.id]).toBeUndefined();
  });

  it('rank failed logins by IP and by user, and denied users, on the audit log group', () => {
    const bodies = rules.map((r) => JSON.parse(props(t, r.id).RuleBody));
    expect(bodies.map((b) => b.Contribution.Keys)).toEqual([
      [`$.${AUDIT_FIELDS.ipAddress}`],
      [`$.${AUDIT_FIELDS.userId}`],
      [`$.${AUDIT_FIELDS.userId}`],
    ]);
    for (const b of bodies) {
      expect(b).toMatchObject({
        Schema: { Name: 'CloudWatchLogRule', Version: 1 },
        LogGroupNames: ['/ecs/my-app'],
        LogFormat: 'JSON',
        AggregateOn: 'Count',
      });
    }
    for (const r of rules) expect(props(t, r.id).RuleState).toBe('ENABLED');
  });

  it('count exactly the lines of the matching metric filter, on real lines', () => {
    // The rule filters translated to a predicate; they must select what the
    // FailedLogins / AccessDeniedEvents filters select, or the two views disagree.
    const selects = (body: Json) => (line: Json) =>
      body.Contribution.Filters.every((f: Json) => {
        const v = line[f.Match.slice(2)];
        if ('In' in f) return f.In.includes(v);
        if ('GreaterThan' in f) return typeof v === 'number' && v > f.GreaterThan;
        throw new Error(`filter operator not covered: ${JSON.stringify(f)}`);
      });
    const all = [...json, ...emf];
    const pairs = [
      [CONTRIBUTOR_INSIGHTS_RULES.failedLoginsByIp, METRIC_FILTERS.failedLogins],
      [CONTRIBUTOR_INSIGHTS_RULES.failedLoginsByUser, METRIC_FILTERS.failedLogins],
      [CONTRIBUTOR_INSIGHTS_RULES.deniedUsers, METRIC_FILTERS.accessDenied],
    ] as const;
    for (const [rule, filter] of pairs) {
      const byRule = all.filter((l) =>
        selects(JSON.parse(props(t, rule.id).RuleBody))(JSON.parse(l.line)),
      );
      const byFilter = all.filter((l) => compileFilterPattern(filter.pattern)(l.line));
      expect(byRule.length).toBeGreaterThan(0);
      expect(byRule.map((l) => l.line)).toEqual(byFilter.map((l) => l.line));
      // And the key they rank by is on every line they count.
      for (const l of byRule) expect(JSON.parse(l.line)).toHaveProperty(rule.keys[0] ?? '?');
    }
  });

  it('are drawn on the dashboard by rule name', () => {
    const widgets = JSON.parse(props(t, LOGICAL_IDS.dashboard).DashboardBody['Fn::Sub']).widgets;
    const drawn = widgets
      .filter((w: Json) => w.properties.insightRule)
      .map((w: Json) => w.properties.insightRule.ruleName);
    expect(drawn).toEqual(rules.map((r) => props(t, r.id).RuleName));
  });
});

describe('field indexes (fieldIndexes)', () => {
  it('index user_id, traceId, ip_address, action, status and route on the log group', () => {
    expect(
      props(auditInfrastructure(BASE), LOGICAL_IDS.logGroup).FieldIndexPolicies,
    ).toBeUndefined();
    const lg = props(auditInfrastructure({ ...BASE, fieldIndexes: true }), LOGICAL_IDS.logGroup);
    expect(lg.FieldIndexPolicies).toEqual([
      { Fields: ['user_id', 'traceId', 'ip_address', 'action', 'status', 'route'] },
    ]);
  });

  it('index fields the middleware really writes', () => {
    const middleware = json.filter((l) => l.label.startsWith('mw-')).map((l) => JSON.parse(l.line));
    const written = new Set(middleware.flatMap((l) => Object.keys(l)));
    // `route` is SPEC §3's matched route template, written once the express
    // adapter records it; every other indexed field is on the lines today.
    for (const f of INDEXED_FIELDS)
      if (f !== 'route' || written.has('route')) expect(written).toContain(f);
  });
});

describe('Glue table over the archive (archiveTable)', () => {
  const t: Json = auditInfrastructure({ ...BASE, archive: true, archiveTable: true });
  const table = () => props(t, LOGICAL_IDS.archiveTable).TableInput;

  it('needs the archive, and says so by option name', () => {
    expect(() => auditInfrastructure({ ...BASE, archiveTable: true })).toThrow(InfraConfigError);
    expect(() => auditInfrastructure({ ...BASE, archiveTable: true })).toThrow(
      /"archiveTable".*archive: true/,
    );
    expect(
      auditInfrastructure({ ...BASE, archive: true }).Resources[LOGICAL_IDS.archiveTable],
    ).toBeUndefined();
  });

  it('projects day partitions from the Firehose delivery prefix', () => {
    const prefix = props(t, LOGICAL_IDS.archiveStream).ExtendedS3DestinationConfiguration.Prefix;
    expect(prefix).toBe('audit/my-app/!{timestamp:yyyy/MM/dd}/');
    expect(table().Parameters).toMatchObject({
      'projection.enabled': 'true',
      'projection.day.type': 'date',
      'projection.day.format': 'yyyy/MM/dd',
      'storage.location.template': {
        'Fn::Sub': `s3://\${${LOGICAL_IDS.archiveBucket}}/audit/my-app/\${!day}/`,
      },
    });
    expect(table().PartitionKeys).toEqual([{ Name: 'day', Type: 'string' }]);
  });

  it('reads EMF lines: case-sensitive SerDe with a mapping for every renamed column', () => {
    const serde = table().StorageDescriptor.SerdeInfo;
    expect(serde.SerializationLibrary).toBe('org.openx.data.jsonserde.JsonSerDe');
    expect(serde.Parameters['case.insensitive']).toBe('false');
    expect(serde.Parameters['mapping.emf_action']).toBe('Action');
    expect(serde.Parameters['mapping.traceid']).toBe('traceId');
    const names = table().StorageDescriptor.Columns.map((c: Json) => c.Name);
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(n).toBe(n.toLowerCase());
  });

  it.each(['json', 'emf'] as const)(
    'has a column for every member of real %s audit lines, of the right type',
    (format) => {
      // Prepare
      const lines = audit(format === 'json' ? json : emf);
      const byKey = new Map(ARCHIVE_TABLE_COLUMNS.map((c) => [c.key, c]));
      const serde = table().StorageDescriptor.SerdeInfo.Parameters;
      expect(lines.length).toBeGreaterThan(10);
      for (const line of lines) {
        for (const [key, value] of Object.entries(line)) {
          // Assess: a member with no column is unreadable in Athena; a wrong type fails the row.
          const c = byKey.get(key);
          expect(c, `no column for ${key}`).toBeDefined();
          if (!c) continue;
          const readsKey = c.name === key || serde[`mapping.${c.name}`] === key;
          expect(readsKey, `${c.name} does not read ${key}`).toBe(true);
          if (c.type === 'boolean') expect(typeof value).toBe('boolean');
          if (c.type === 'bigint') expect(Number.isInteger(value)).toBe(true);
          if (c.type === 'double') expect(typeof value).toBe('number');
          if (c.type === 'string') expect(['string', 'object']).toContain(typeof value);
        }
      }
      if (format === 'emf') {
        // Both spellings are on one line: the case the default SerDe fails on.
        expect(lines.some((l) => 'action' in l && 'Action' in l)).toBe(true);
      }
    },
  );
});
