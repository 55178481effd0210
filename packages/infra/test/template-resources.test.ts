import { AUDIT_ACTIONS, AUDIT_FIELDS, AUDIT_STATUSES } from '@auditline/core';
import { defaultNamespace, EMF_DIMENSIONS, EMF_METRICS } from '@auditline/emf';
import {
  ALARMS,
  ARCHIVE_METRICS,
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

  it('builds each pattern from core constants with $.audit IS TRUE and $.seq >= 1 first', () => {
    const f = METRIC_FILTERS;
    const A = AUDIT_FIELDS;
    const base = `$.${A.audit} IS TRUE && $.${A.seq} >= 1`;
    expect(AUDIT_LINE_PATTERN).toBe(`{ ${base} }`);
    expect(f.failedLogins.pattern).toBe(
      `{ ${base} && $.${A.action} = "${AUDIT_ACTIONS.LOGIN}" && $.${A.status} = "${AUDIT_STATUSES.FAILED}" }`,
    );
    // A claimed request's outcome line counts only when it contradicts the claim (SPEC §5.7).
    expect(f.failedActions.pattern).toBe(
      `{ ${base} && $.${A.status} = "${AUDIT_STATUSES.FAILED}" && ($.${A.action} != "REQUEST_OUTCOME" || $.${A.details}.contradicts_claim IS TRUE) }`,
    );
    expect(f.deleteActions.pattern).toBe(
      `{ ${base} && $.${A.action} = "${AUDIT_ACTIONS.DELETE}" }`,
    );
    expect(f.accessDenied.pattern).toBe(
      `{ ${base} && $.${A.action} = "${AUDIT_ACTIONS.ACCESS_DENIED}" }`,
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
        // Issue #17: the team hears when the burst is over, too.
        OKActions: [{ Ref: LOGICAL_IDS.alarmTopic }],
      });
    },
  );

  it('encrypts the alarm topic only with alarmTopicKmsKeyId', () => {
    expect(
      props(auditInfrastructure(BASE).Resources[LOGICAL_IDS.alarmTopic]).KmsMasterKeyId,
    ).toBeUndefined();
    const t = auditInfrastructure({ ...BASE, alarmTopicKmsKeyId: 'alias/audit-alarms' });
    expect(props(t.Resources[LOGICAL_IDS.alarmTopic]).KmsMasterKeyId).toBe('alias/audit-alarms');
  });

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
  it('has the seven widgets of SPEC §9, the failure-rate counts on a widget of their own', () => {
    const widgets = dashboardWidgets(auditInfrastructure(BASE));
    expect(widgets.map((w) => w.properties.title)).toEqual([
      'ECS my-app: CPU and memory (%)',
      'Audit metrics (per 5 minutes)',
      'Failed logins by user',
      'Failure rate % (15-minute bins)',
      'Audit events and failures (15-minute bins)',
      'Recent audit events',
      'Slowest endpoints (p95 ms)',
      'Delete operations',
    ]);
  });

  it('draws the failure percentage without raw counts on its axis (issue #17)', () => {
    const widgets = dashboardWidgets(auditInfrastructure(BASE));
    const percent = widgets.find((w) => w.properties.title.startsWith('Failure rate %'));
    const counts = widgets.find((w) => w.properties.title.startsWith('Audit events and failures'));
    // One stats clause per widget: the percentage alone, the counts alone.
    expect(percent.properties.query).toMatch(/stats [^|]*failurePercent by bin/);
    expect(percent.properties.query).not.toMatch(/as events|as failures/);
    expect(counts.properties.query).toMatch(
      /count\(\*\) as events, sum\(failed\) as failures by bin/,
    );
    expect(counts.properties.query).not.toContain('failurePercent');
  });

  it('carries no Tags unless asked: cfn-lint rejects them on dashboards (issue #17)', () => {
    expect(props(auditInfrastructure(BASE).Resources[LOGICAL_IDS.dashboard]).Tags).toBeUndefined();
    const tagged = auditInfrastructure({ ...BASE, dashboardTags: true });
    expect(props(tagged.Resources[LOGICAL_IDS.dashboard]).Tags).toEqual([
      { Key: 'auditline:service', Value: 'my-app' },
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
    expect(logs).toHaveLength(6);
    for (const w of logs) {
      expect(w.properties.query).toMatch(/^SOURCE '\/ecs\/my-app' \| /);
      expect(w.properties.query).toContain(
        `${AUDIT_FIELDS.audit} = 1 and ${AUDIT_FIELDS.seq} >= 1`,
      );
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

  it("declares the user id of One user's activity as a query parameter, not a placeholder", () => {
    const defs = ofType(auditInfrastructure(BASE), 'AWS::Logs::QueryDefinition').map(([, r]) =>
      props(r),
    );
    const withParams = defs.filter((d) => d.Parameters);
    expect(withParams).toHaveLength(1);
    const [d] = withParams;
    expect(d.Parameters).toEqual([{ Name: 'userId', Description: expect.any(String) }]);
    expect(d.QueryString).toContain('{{userId}}');
    for (const other of defs) expect(other.QueryString).not.toContain('REPLACE_WITH');
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
    // The permission moved to its own policy resource, so the filter can depend on it.
    const policy = props(t.Resources[LOGICAL_IDS.archiveSubscriptionPolicy]);
    expect(policy.Roles).toEqual([{ Ref: LOGICAL_IDS.archiveSubscriptionRole }]);
    expect(JSON.stringify(policy.PolicyDocument)).toContain('firehose:PutRecordBatch');
  });

  it("waits for the subscription role's policy before creating the filter (issue #17)", () => {
    // CloudWatch Logs sends a test message on creation; without the policy in place
    // first deploys failed with "Could not deliver test message".
    const filter = t.Resources[LOGICAL_IDS.archiveSubscription];
    expect(filter?.DependsOn).toContain(LOGICAL_IDS.archiveSubscriptionPolicy);
    expect(t.Resources[LOGICAL_IDS.archiveSubscriptionPolicy]?.Type).toBe('AWS::IAM::Policy');
  });

  it('logs Firehose delivery errors to a log group the delivery role may write', () => {
    const s3 = props(t.Resources[LOGICAL_IDS.archiveStream]).ExtendedS3DestinationConfiguration;
    expect(s3.CloudWatchLoggingOptions).toEqual({
      Enabled: true,
      LogGroupName: { Ref: LOGICAL_IDS.archiveDeliveryLogGroup },
      LogStreamName: { Ref: LOGICAL_IDS.archiveDeliveryLogStream },
    });
    expect(t.Resources[LOGICAL_IDS.archiveDeliveryLogGroup]?.Type).toBe('AWS::Logs::LogGroup');
    const role = JSON.stringify(props(t.Resources[LOGICAL_IDS.archiveDeliveryRole]).Policies);
    expect(role).toContain('logs:PutLogEvents');
    expect(role).toContain(LOGICAL_IDS.archiveDeliveryLogGroup);
  });

  it('alarms on both delivery hops, notifying the topic on alarm and on recovery', () => {
    const topic = [{ Ref: LOGICAL_IDS.alarmTopic }];
    const alarm = (id: string) => props(t.Resources[id]);
    expect(alarm(LOGICAL_IDS.archiveFreshnessAlarm)).toMatchObject({
      Namespace: 'AWS/Firehose',
      MetricName: 'DeliveryToS3.DataFreshness',
      Dimensions: [{ Name: 'DeliveryStreamName', Value: { Ref: LOGICAL_IDS.archiveStream } }],
      Statistic: 'Maximum',
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 900,
    });
    expect(alarm(LOGICAL_IDS.archiveDeliverySuccessAlarm)).toMatchObject({
      Namespace: 'AWS/Firehose',
      MetricName: 'DeliveryToS3.Success',
      Statistic: 'Minimum',
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
    });
    for (const [id, metric] of [
      [LOGICAL_IDS.archiveSubscriptionErrorsAlarm, ARCHIVE_METRICS.deliveryErrors],
      [LOGICAL_IDS.archiveSubscriptionThrottlingAlarm, ARCHIVE_METRICS.deliveryThrottling],
    ] as const) {
      expect(alarm(id)).toMatchObject({
        Namespace: 'AWS/Logs',
        MetricName: metric,
        Dimensions: [{ Name: 'LogGroupName', Value: { Ref: LOGICAL_IDS.logGroup } }],
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
      });
    }
    for (const id of [
      LOGICAL_IDS.archiveFreshnessAlarm,
      LOGICAL_IDS.archiveDeliverySuccessAlarm,
      LOGICAL_IDS.archiveSubscriptionErrorsAlarm,
      LOGICAL_IDS.archiveSubscriptionThrottlingAlarm,
    ]) {
      expect(alarm(id)).toMatchObject({ AlarmActions: topic, OKActions: topic });
    }
    // None of them without the archive.
    expect(auditInfrastructure(BASE).Resources[LOGICAL_IDS.archiveFreshnessAlarm]).toBeUndefined();
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
