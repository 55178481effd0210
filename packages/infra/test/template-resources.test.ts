import { AUDIT_ACTIONS, AUDIT_FIELDS, AUDIT_STATUSES } from '@auditline/core';
import { defaultNamespace, EMF_DIMENSIONS, EMF_METRICS } from '@auditline/emf';
import {
  ALARMS,
  AUDIT_LINE_PATTERN,
  type AuditInfrastructureOptions,
  auditInfrastructure,
  type CfnResource,
  type CfnTemplate,
  EMF_ERROR_METRICS,
  LOGICAL_IDS,
  METRIC_FILTERS,
  SAVED_QUERIES,
} from '@auditline/infra';
import { describe, expect, it } from 'vitest';

// SPEC §9: what each resource of the template must say. Values are compared
// with core/emf constants, not retyped literals, where the spec ties them.

const BASE: AuditInfrastructureOptions = { service: 'my-app', alertEmail: 'ops@example.com' };

function ofType(t: CfnTemplate, type: string): Array<[string, CfnResource]> {
  return Object.entries(t.Resources).filter(([, r]) => r.Type === type);
}

// biome-ignore lint/suspicious/noExplicitAny: test-side access into template JSON
type Json = any;
const props = (r: CfnResource | undefined): Json => r?.Properties ?? {};

function dashboardWidgets(t: CfnTemplate): Json[] {
  const body = props(t.Resources[LOGICAL_IDS.dashboard]).DashboardBody['Fn::Sub'];
  return JSON.parse(body).widgets;
}

describe('log group', () => {
  it('defaults to /ecs/<service>, 365 days, retained with the stack gone', () => {
    const lg = auditInfrastructure(BASE).Resources[LOGICAL_IDS.logGroup];
    expect(lg?.Type).toBe('AWS::Logs::LogGroup');
    expect(props(lg)).toMatchObject({ LogGroupName: '/ecs/my-app', RetentionInDays: 365 });
    expect(props(lg).KmsKeyId).toBeUndefined();
    expect(lg?.DeletionPolicy).toBe('Retain');
    expect(lg?.UpdateReplacePolicy).toBe('Retain');
  });

  it('takes a KMS key through a parameter defaulting to the given ARN', () => {
    const kmsKeyArn = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const t = auditInfrastructure({ ...BASE, kmsKeyArn });
    const [paramId, param] = Object.entries(t.Parameters ?? {})[0] ?? [];
    expect(param?.Default).toBe(kmsKeyArn);
    expect(props(t.Resources[LOGICAL_IDS.logGroup]).KmsKeyId).toEqual({ Ref: paramId });
  });
});

describe('metric filters', () => {
  it('creates the four SPEC §9 filters on the audit log group, in the EMF namespace', () => {
    const t = auditInfrastructure(BASE);
    const filters = ofType(t, 'AWS::Logs::MetricFilter');
    expect(filters.map(([id]) => id).sort()).toEqual(
      Object.values(METRIC_FILTERS)
        .map((f) => f.id)
        .sort(),
    );
    for (const def of Object.values(METRIC_FILTERS)) {
      const p = props(t.Resources[def.id]);
      expect(p.FilterPattern).toBe(def.pattern);
      expect(p.LogGroupName).toEqual({ Ref: LOGICAL_IDS.logGroup });
      expect(p.MetricTransformations).toEqual([
        expect.objectContaining({
          MetricName: def.metricName,
          MetricNamespace: defaultNamespace('my-app'),
          MetricValue: '1',
        }),
      ]);
    }
  });

  it('builds each pattern from core constants with $.audit IS TRUE first', () => {
    const f = METRIC_FILTERS;
    const A = AUDIT_FIELDS;
    expect(f.failedLogins.pattern).toBe(
      `{ $.${A.audit} IS TRUE && $.${A.action} = "${AUDIT_ACTIONS.LOGIN}" && $.${A.status} = "${AUDIT_STATUSES.FAILED}" }`,
    );
    expect(f.failedActions.pattern).toBe(
      `{ $.${A.audit} IS TRUE && $.${A.status} = "${AUDIT_STATUSES.FAILED}" }`,
    );
    expect(f.deleteActions.pattern).toBe(
      `{ $.${A.audit} IS TRUE && $.${A.action} = "${AUDIT_ACTIONS.DELETE}" }`,
    );
    expect(f.accessDenied.pattern).toBe(
      `{ $.${A.audit} IS TRUE && $.${A.action} = "${AUDIT_ACTIONS.ACCESS_DENIED}" }`,
    );
  });
});

describe('alerting', () => {
  it('subscribes the alert e-mail to an SNS topic', () => {
    const t = auditInfrastructure(BASE);
    expect(t.Resources[LOGICAL_IDS.alarmTopic]?.Type).toBe('AWS::SNS::Topic');
    expect(props(t.Resources[LOGICAL_IDS.alarmSubscription])).toEqual({
      TopicArn: { Ref: LOGICAL_IDS.alarmTopic },
      Protocol: 'email',
      Endpoint: 'ops@example.com',
    });
  });

  it.each([
    [ALARMS.bruteForce, 20],
    [ALARMS.highFailureRate, 50],
    [ALARMS.excessiveDeletes, 30],
  ] as const)(
    '%# alarm fires above the seed threshold per 5 minutes, missing data not breaching',
    (def, threshold) => {
      const p = props(auditInfrastructure(BASE).Resources[def.id]);
      expect(p).toMatchObject({
        Namespace: defaultNamespace('my-app'),
        MetricName: def.filter.metricName,
        Statistic: 'Sum',
        Period: 300,
        EvaluationPeriods: 1,
        Threshold: threshold,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [{ Ref: LOGICAL_IDS.alarmTopic }],
      });
    },
  );

  it('honours custom thresholds and namespace', () => {
    const t = auditInfrastructure({
      ...BASE,
      metricNamespace: 'Custom/Audit',
      thresholds: { failedLogins: 5 },
    });
    expect(props(t.Resources[ALARMS.bruteForce.id])).toMatchObject({
      Threshold: 5,
      Namespace: 'Custom/Audit',
    });
    expect(props(t.Resources[ALARMS.highFailureRate.id]).Threshold).toBe(50);
  });

  it('adds the AWS/Logs EMF error alarms on the log group only with emf', () => {
    const emfAlarms = (t: CfnTemplate) =>
      ofType(t, 'AWS::CloudWatch::Alarm').filter(([, r]) => props(r).Namespace === 'AWS/Logs');
    expect(emfAlarms(auditInfrastructure(BASE))).toEqual([]);
    const found = emfAlarms(auditInfrastructure({ ...BASE, emf: true }));
    expect(found.map(([, r]) => props(r).MetricName).sort()).toEqual(
      [EMF_ERROR_METRICS.parsingErrors, EMF_ERROR_METRICS.validationErrors].sort(),
    );
    for (const [, r] of found) {
      expect(props(r)).toMatchObject({
        Dimensions: [{ Name: 'LogGroupName', Value: { Ref: LOGICAL_IDS.logGroup } }],
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
      });
    }
  });

  it('adds the silent-stream alarm, breaching on missing data, only on request', () => {
    expect(auditInfrastructure(BASE).Resources[LOGICAL_IDS.silentStreamAlarm]).toBeUndefined();
    const t = auditInfrastructure({ ...BASE, silentStreamAlarm: true, silentStreamMinutes: 30 });
    const p = props(t.Resources[LOGICAL_IDS.silentStreamAlarm]);
    expect(p).toMatchObject({
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
      EvaluationPeriods: 6,
      TreatMissingData: 'breaching',
    });
    // Its metric is fed by a filter on every audit line.
    const filter = props(t.Resources[LOGICAL_IDS.silentStreamFilter]);
    expect(filter.FilterPattern).toBe(AUDIT_LINE_PATTERN);
    expect(filter.MetricTransformations[0].MetricName).toBe(p.MetricName);
  });
});

describe('dashboard', () => {
  it('has the seven widgets of SPEC §9', () => {
    const widgets = dashboardWidgets(auditInfrastructure(BASE));
    expect(widgets.map((w) => w.properties.title)).toEqual([
      'ECS my-app: CPU and memory (%)',
      'Audit metrics (per 5 minutes)',
      'Failed logins by user',
      'Failure rate % (15-minute bins)',
      'Recent audit events',
      'Slowest endpoints (p95 ms)',
      'Delete operations',
    ]);
  });

  it('points the ECS widget at the given cluster and service', () => {
    const [ecs] = dashboardWidgets(
      auditInfrastructure({ ...BASE, ecsClusterName: 'prod', ecsServiceName: 'api' }),
    );
    expect(ecs.properties.metrics).toEqual([
      ['AWS/ECS', 'CPUUtilization', 'ClusterName', 'prod', 'ServiceName', 'api'],
      ['AWS/ECS', 'MemoryUtilization', 'ClusterName', 'prod', 'ServiceName', 'api'],
    ]);
  });

  it('queries the audit log group from every log widget, filtering audit = 1', () => {
    const logs = dashboardWidgets(auditInfrastructure(BASE)).filter((w) => w.type === 'log');
    expect(logs).toHaveLength(5);
    for (const w of logs) {
      expect(w.properties.query).toMatch(/^SOURCE '\/ecs\/my-app' \| /);
      expect(w.properties.query).toContain(`${AUDIT_FIELDS.audit} = 1`);
    }
  });

  it('draws the EMF AuditEventCount per Action only with emf', () => {
    const metricsOf = (o: AuditInfrastructureOptions) =>
      JSON.stringify(dashboardWidgets(auditInfrastructure(o))[1].properties.metrics);
    expect(metricsOf(BASE)).not.toContain(EMF_METRICS.auditEventCount);
    const withEmf = metricsOf({ ...BASE, emf: true });
    expect(withEmf).toContain(`MetricName=\\"${EMF_METRICS.auditEventCount}\\"`);
    expect(withEmf).toContain(`,${EMF_DIMENSIONS.action}}`);
  });
});

describe('saved queries', () => {
  it('creates the eight QueryDefinitions on the audit log group', () => {
    const t = auditInfrastructure(BASE);
    const defs = ofType(t, 'AWS::Logs::QueryDefinition').map(([, r]) => props(r));
    expect(defs.map((d) => d.Name)).toEqual(SAVED_QUERIES.map((q) => `auditline/my-app/${q.name}`));
    for (const d of defs) {
      expect(d.LogGroupNames).toEqual([{ Ref: LOGICAL_IDS.logGroup }]);
      expect(d.QueryString).toContain(`${AUDIT_FIELDS.audit} = 1`);
    }
  });
});

describe('archive', () => {
  const t = auditInfrastructure({ ...BASE, archive: true, archiveRetentionDays: 400 });

  it('is absent unless asked for', () => {
    expect(ofType(auditInfrastructure(BASE), 'AWS::S3::Bucket')).toEqual([]);
    expect(ofType(auditInfrastructure(BASE), 'AWS::KinesisFirehose::DeliveryStream')).toEqual([]);
  });

  it('stores into a retained, versioned, private bucket with Object Lock COMPLIANCE', () => {
    const bucket = t.Resources[LOGICAL_IDS.archiveBucket];
    expect(bucket?.DeletionPolicy).toBe('Retain');
    expect(bucket?.UpdateReplacePolicy).toBe('Retain');
    expect(props(bucket)).toMatchObject({
      ObjectLockEnabled: true,
      ObjectLockConfiguration: {
        ObjectLockEnabled: 'Enabled',
        Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 400 } },
      },
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    });
  });

  it('subscribes audit lines only, through a role CloudWatch Logs assumes', () => {
    const sub = props(t.Resources[LOGICAL_IDS.archiveSubscription]);
    expect(sub).toMatchObject({
      FilterPattern: AUDIT_LINE_PATTERN,
      LogGroupName: { Ref: LOGICAL_IDS.logGroup },
      DestinationArn: { 'Fn::GetAtt': [LOGICAL_IDS.archiveStream, 'Arn'] },
      RoleArn: { 'Fn::GetAtt': [LOGICAL_IDS.archiveSubscriptionRole, 'Arn'] },
    });
    const role = props(t.Resources[LOGICAL_IDS.archiveSubscriptionRole]);
    expect(role.AssumeRolePolicyDocument.Statement[0].Principal).toEqual({
      Service: 'logs.amazonaws.com',
    });
    expect(JSON.stringify(role.Policies)).toContain('firehose:PutRecordBatch');
  });

  it('delivers newline-delimited lines, with decompression and message extraction on, through the Firehose role', () => {
    const s3 = props(t.Resources[LOGICAL_IDS.archiveStream]).ExtendedS3DestinationConfiguration;
    expect(s3.RoleARN).toEqual({ 'Fn::GetAtt': [LOGICAL_IDS.archiveDeliveryRole, 'Arn'] });
    expect(s3.ProcessingConfiguration.Enabled).toBe(true);
    expect(s3.ProcessingConfiguration.Processors).toEqual([
      {
        Type: 'Decompression',
        Parameters: [{ ParameterName: 'CompressionFormat', ParameterValue: 'GZIP' }],
      },
      {
        Type: 'CloudWatchLogProcessing',
        Parameters: [{ ParameterName: 'DataMessageExtraction', ParameterValue: 'true' }],
      },
      { Type: 'AppendDelimiterToRecord' },
    ]);
    const role = props(t.Resources[LOGICAL_IDS.archiveDeliveryRole]);
    expect(role.AssumeRolePolicyDocument.Statement[0].Principal).toEqual({
      Service: 'firehose.amazonaws.com',
    });
    expect(JSON.stringify(role.Policies)).toContain('s3:PutObject');
  });
});

describe('outputs', () => {
  it('gives the dashboard URL, log group URL and topic ARN', () => {
    const { Outputs } = auditInfrastructure(BASE);
    expect(JSON.stringify(Outputs[LOGICAL_IDS.dashboardUrlOutput]?.Value)).toContain(
      `#dashboards:name=\${${LOGICAL_IDS.dashboard}}`,
    );
    expect(JSON.stringify(Outputs[LOGICAL_IDS.logGroupUrlOutput]?.Value)).toContain(
      'log-group/$252Fecs$252Fmy-app',
    );
    expect(Outputs[LOGICAL_IDS.topicArnOutput]?.Value).toEqual({ Ref: LOGICAL_IDS.alarmTopic });
  });
});
