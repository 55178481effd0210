import { AUDIT_ACTIONS, AUDIT_FIELDS, AUDIT_STATUSES } from '@auditline/core';
import { ALARM_PERIOD_SECONDS, FIRST_SEQ } from './constants.js';
import type { ResolvedInfrastructureOptions } from './options.js';
import { resourceTags } from './tags.js';
import type { CfnResource, CfnValue } from './types.js';

/** Contributors drawn per rule on the dashboard. */
const TOP_CONTRIBUTORS = 10;

/**
 * One Contributor Insights rule of the template: who it ranks and which lines it counts.
 *
 * @example
 * ```ts
 * CONTRIBUTOR_INSIGHTS_RULES.failedLoginsByIp.keys; // ['ip_address']
 * ```
 */
export interface ContributorInsightsRule {
  /** Logical id of the `AWS::CloudWatch::InsightRule`. */
  readonly id: string;
  /** Suffix of the rule name (`<service>-audit-<suffix>`). */
  readonly nameSuffix: string;
  readonly title: string;
  /** Top-level audit fields the rule ranks contributors by. */
  readonly keys: readonly string[];
  /** The `action` (and optional `status`) the rule counts. */
  readonly action: string;
  readonly status?: string;
}

/**
 * The three rules of issue #17: top failed-login sources by IP and by user, and
 * the users most often denied access.
 *
 * @example
 * ```ts
 * import { CONTRIBUTOR_INSIGHTS_RULES } from '@auditline/infra';
 * Object.values(CONTRIBUTOR_INSIGHTS_RULES).map((r) => r.title);
 * ```
 */
export const CONTRIBUTOR_INSIGHTS_RULES = Object.freeze({
  failedLoginsByIp: Object.freeze({
    id: 'FailedLoginsByIpInsightRule',
    nameSuffix: 'failed-logins-by-ip',
    title: 'Top failed-login sources (IP)',
    keys: [AUDIT_FIELDS.ipAddress],
    action: AUDIT_ACTIONS.LOGIN,
    status: AUDIT_STATUSES.FAILED,
  }),
  failedLoginsByUser: Object.freeze({
    id: 'FailedLoginsByUserInsightRule',
    nameSuffix: 'failed-logins-by-user',
    title: 'Top failed-login users',
    keys: [AUDIT_FIELDS.userId],
    action: AUDIT_ACTIONS.LOGIN,
    status: AUDIT_STATUSES.FAILED,
  }),
  deniedUsers: Object.freeze({
    id: 'AccessDeniedUsersInsightRule',
    nameSuffix: 'access-denied-users',
    title: 'Top users denied access',
    keys: [AUDIT_FIELDS.userId],
    action: AUDIT_ACTIONS.ACCESS_DENIED,
  }),
} satisfies Record<string, ContributorInsightsRule>);

/** `<service>-audit-<suffix>`: the rule name, also what the dashboard widget names. */
export function insightRuleName(
  options: ResolvedInfrastructureOptions,
  rule: ContributorInsightsRule,
): string {
  return `${options.service}-audit-${rule.nameSuffix}`;
}

/**
 * The rule body (CloudWatch "Contributor Insights rule syntax"). Filters cannot
 * test a JSON boolean, so the audit-line test is the numeric half of
 * `AUDIT_LINE_PATTERN`: `seq` greater than 0, which app lines cannot carry (issue #13).
 */
export function insightRuleBody(
  options: ResolvedInfrastructureOptions,
  rule: ContributorInsightsRule,
): string {
  const filters: CfnValue[] = [
    { Match: `$.${AUDIT_FIELDS.seq}`, GreaterThan: FIRST_SEQ - 1 },
    { Match: `$.${AUDIT_FIELDS.action}`, In: [rule.action] },
  ];
  if (rule.status) filters.push({ Match: `$.${AUDIT_FIELDS.status}`, In: [rule.status] });
  return JSON.stringify({
    Schema: { Name: 'CloudWatchLogRule', Version: 1 },
    LogGroupNames: [options.logGroupName],
    LogFormat: 'JSON',
    Contribution: { Keys: rule.keys.map((k) => `$.${k}`), Filters: filters },
    AggregateOn: 'Count',
  });
}

/** The `AWS::CloudWatch::InsightRule` resources, keyed by logical id. */
export function contributorInsightsResources(
  options: ResolvedInfrastructureOptions,
  logGroupId: string,
): Record<string, CfnResource> {
  const resources: Record<string, CfnResource> = {};
  for (const rule of Object.values(CONTRIBUTOR_INSIGHTS_RULES)) {
    resources[rule.id] = {
      Type: 'AWS::CloudWatch::InsightRule',
      // The body names the log group by name; the rule must not exist before it.
      DependsOn: [logGroupId],
      Properties: {
        RuleName: insightRuleName(options, rule),
        RuleState: 'ENABLED',
        RuleBody: insightRuleBody(options, rule),
        Tags: resourceTags(options),
      },
    };
  }
  return resources;
}

/** Dashboard widgets drawing each rule's top contributors. */
export function contributorInsightsWidgets(
  options: ResolvedInfrastructureOptions,
  region: string,
  y: number,
): CfnValue[] {
  const rules = Object.values(CONTRIBUTOR_INSIGHTS_RULES);
  return rules.map((rule, i) => ({
    type: 'metric',
    x: i * 8,
    y,
    width: 8,
    height: 6,
    properties: {
      title: rule.title,
      region,
      view: 'timeSeries',
      stacked: false,
      period: ALARM_PERIOD_SECONDS,
      legend: { position: 'bottom' },
      insightRule: {
        maxContributorCount: TOP_CONTRIBUTORS,
        orderBy: 'Sum',
        ruleName: insightRuleName(options, rule),
      },
    },
  }));
}
