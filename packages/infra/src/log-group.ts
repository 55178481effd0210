import { LOGICAL_IDS } from './constants.js';
import { INDEXED_FIELDS } from './field-indexes.js';
import type { ResolvedInfrastructureOptions } from './options.js';
import { kmsKeyRef, resourceTags } from './tags.js';
import type { CfnResource } from './types.js';

/**
 * The audit log group. Retained when the stack is deleted or the resource is
 * replaced: deleting a stack must never delete the audit trail (SPEC §1).
 */
export function logGroupResource(options: ResolvedInfrastructureOptions): CfnResource {
  return {
    Type: 'AWS::Logs::LogGroup',
    DeletionPolicy: 'Retain',
    UpdateReplacePolicy: 'Retain',
    Properties: {
      LogGroupName: options.logGroupName,
      RetentionInDays: options.retentionInDays,
      ...(options.kmsKeyArn ? { KmsKeyId: kmsKeyRef() } : {}),
      // One policy document; each entry of the array is a policy (AWS::Logs::LogGroup).
      ...(options.fieldIndexes ? { FieldIndexPolicies: [{ Fields: [...INDEXED_FIELDS] }] } : {}),
      Tags: resourceTags(options),
    },
  };
}

/** SNS topic the alarms notify, and the e-mail subscription (confirmed by mail). */
export function alertingResources(
  options: ResolvedInfrastructureOptions,
): Record<string, CfnResource> {
  return {
    [LOGICAL_IDS.alarmTopic]: {
      Type: 'AWS::SNS::Topic',
      Properties: {
        DisplayName: `auditline ${options.service} audit alarms`,
        ...(options.alarmTopicKmsKeyId ? { KmsMasterKeyId: options.alarmTopicKmsKeyId } : {}),
        Tags: resourceTags(options),
      },
    },
    [LOGICAL_IDS.alarmSubscription]: {
      Type: 'AWS::SNS::Subscription',
      Properties: {
        TopicArn: { Ref: LOGICAL_IDS.alarmTopic },
        Protocol: 'email',
        Endpoint: options.alertEmail,
      },
    },
  };
}
