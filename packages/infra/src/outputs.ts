import { LOGICAL_IDS } from './constants.js';
import type { ResolvedInfrastructureOptions } from './options.js';
import type { CfnOutput } from './types.js';

const CONSOLE = `https://\${AWS::Region}.console.aws.amazon.com/cloudwatch/home?region=\${AWS::Region}`;

/**
 * The console encodes the log group name twice in its URL fragment
 * (`/` → `%2F` → `$252F`), so the name is encoded the same way here.
 */
function consoleLogGroupPath(name: string): string {
  return encodeURIComponent(name).replace(/%/g, '$25');
}

/** Outputs of SPEC §9: dashboard URL, log group URL, topic ARN (plus names for scripts). */
export function templateOutputs(options: ResolvedInfrastructureOptions): Record<string, CfnOutput> {
  const outputs: Record<string, CfnOutput> = {
    [LOGICAL_IDS.dashboardUrlOutput]: {
      Description: 'CloudWatch dashboard of the audit trail',
      Value: { 'Fn::Sub': `${CONSOLE}#dashboards:name=\${${LOGICAL_IDS.dashboard}}` },
    },
    [LOGICAL_IDS.logGroupUrlOutput]: {
      Description: 'The audit log group in the CloudWatch console',
      Value: {
        'Fn::Sub': `${CONSOLE}#logsV2:log-groups/log-group/${consoleLogGroupPath(options.logGroupName)}`,
      },
    },
    [LOGICAL_IDS.topicArnOutput]: {
      Description: 'SNS topic the audit alarms notify',
      Value: { Ref: LOGICAL_IDS.alarmTopic },
    },
    [LOGICAL_IDS.logGroupNameOutput]: {
      Description: 'Name of the audit log group (awslogs-group of the task definition)',
      Value: { Ref: LOGICAL_IDS.logGroup },
    },
  };
  if (options.archive) {
    outputs[LOGICAL_IDS.archiveBucketOutput] = {
      Description: 'S3 bucket holding the Object Lock archive of audit lines',
      Value: { Ref: LOGICAL_IDS.archiveBucket },
    };
  }
  return outputs;
}
