import type { AuditInfrastructureOptions } from '@auditline/infra';

/** The options every variant starts from. */
export const BASE_OPTIONS = { service: 'my-app', alertEmail: 'ops@example.com' } as const;

/**
 * The template variants both validators must pass (SPEC §9 "Checks", issue #17):
 * the defaults, `--emf`, `--archive`, and every option that adds or changes a
 * resource at once. `dashboardTags` is left out on purpose: it is opt-in because
 * cfn-lint rejects it (E3002), which template-passes-cfn-lint.test.ts shows.
 */
export const TEMPLATE_VARIANTS: ReadonlyArray<{
  readonly name: string;
  readonly options: AuditInfrastructureOptions;
}> = [
  { name: 'defaults', options: BASE_OPTIONS },
  { name: '--emf', options: { ...BASE_OPTIONS, emf: true } },
  { name: '--archive', options: { ...BASE_OPTIONS, archive: true } },
  {
    name: 'everything (emf, archive + Glue table, Contributor Insights, field indexes, silent-stream alarm, KMS, custom names)',
    options: {
      ...BASE_OPTIONS,
      emf: true,
      archive: true,
      archiveTable: true,
      contributorInsights: true,
      fieldIndexes: true,
      silentStreamAlarm: true,
      silentStreamMinutes: 30,
      kmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      alarmTopicKmsKeyId: 'alias/audit-alarms',
      logGroupName: '/custom/my-app-audit',
      metricNamespace: 'My-App/Audit',
      retentionInDays: 3653,
      ecsClusterName: 'prod',
      ecsServiceName: 'my-app-svc',
      thresholds: { failedLogins: 5, failedActions: 10, deletes: 3 },
    },
  },
];
