import { archiveAlarmResources } from './archive-alarms.js';
import { archiveTableResources } from './archive-table.js';
import {
  ARCHIVE_ERROR_LOG_RETENTION_DAYS,
  FIREHOSE_BUFFER_MIB,
  FIREHOSE_BUFFER_SECONDS,
  LOGICAL_IDS,
} from './constants.js';
import { AUDIT_LINE_PATTERN } from './metric-filters.js';
import type { ResolvedInfrastructureOptions } from './options.js';
import { kmsKeyRef, resourceTags } from './tags.js';
import type { CfnResource, CfnValue } from './types.js';

const ids = LOGICAL_IDS;
const sub = (s: string): CfnValue => ({ 'Fn::Sub': s });
const arn = (id: string): CfnValue => ({ 'Fn::GetAtt': [id, 'Arn'] });
const bucketArn = arn(ids.archiveBucket);
const bucketObjects: CfnValue = sub(`\${${ids.archiveBucket}.Arn}/*`);
/** Name of the subscription filter; the `AWS/Logs` delivery alarms name it too. */
export const archiveSubscriptionFilterName = (options: ResolvedInfrastructureOptions): string =>
  `${options.service}-audit-archive`;
/** Log stream Firehose writes its delivery errors to. */
const DELIVERY_ERROR_STREAM = 'DestinationDelivery';

function bucket(options: ResolvedInfrastructureOptions): CfnResource {
  const sse: CfnValue = options.kmsKeyArn
    ? { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: kmsKeyRef() }
    : { SSEAlgorithm: 'AES256' };
  return {
    Type: 'AWS::S3::Bucket',
    // The archive is the long-term audit record: never delete it with the stack.
    DeletionPolicy: 'Retain',
    UpdateReplacePolicy: 'Retain',
    Properties: {
      ObjectLockEnabled: true,
      ObjectLockConfiguration: {
        ObjectLockEnabled: 'Enabled',
        Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: options.archiveRetentionDays } },
      },
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      Tags: resourceTags(options),
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          { ServerSideEncryptionByDefault: sse, BucketKeyEnabled: Boolean(options.kmsKeyArn) },
        ],
      },
    },
  };
}

function bucketPolicy(): CfnResource {
  return {
    Type: 'AWS::S3::BucketPolicy',
    Properties: {
      Bucket: { Ref: ids.archiveBucket },
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'DenyInsecureTransport',
            Effect: 'Deny',
            Principal: '*',
            Action: 's3:*',
            Resource: [bucketArn, bucketObjects],
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
        ],
      },
    },
  };
}

function deliveryRole(options: ResolvedInfrastructureOptions): CfnResource {
  const statements: CfnValue[] = [
    {
      Effect: 'Allow',
      Action: [
        's3:AbortMultipartUpload',
        's3:GetBucketLocation',
        's3:GetObject',
        's3:ListBucket',
        's3:ListBucketMultipartUploads',
        's3:PutObject',
      ],
      Resource: [bucketArn, bucketObjects],
    },
    {
      // CloudWatchLoggingOptions: Firehose reports failed S3 deliveries here (issue #17).
      Effect: 'Allow',
      Action: 'logs:PutLogEvents',
      Resource: sub(
        `\${${ids.archiveDeliveryLogGroup}.Arn}:log-stream:\${${ids.archiveDeliveryLogStream}}`,
      ),
    },
  ];
  if (options.kmsKeyArn) {
    statements.push({
      Effect: 'Allow',
      Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
      Resource: kmsKeyRef(),
    });
  }
  return {
    Type: 'AWS::IAM::Role',
    Properties: {
      Tags: resourceTags(options),
      Description: `Lets Firehose write ${options.service} audit lines to the archive bucket`,
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'firehose.amazonaws.com' },
            Action: 'sts:AssumeRole',
            // Confused-deputy guard recommended by the Firehose developer guide.
            Condition: { StringEquals: { 'sts:ExternalId': { Ref: 'AWS::AccountId' } } },
          },
        ],
      },
      Policies: [
        {
          PolicyName: 'archive-bucket-write',
          PolicyDocument: { Version: '2012-10-17', Statement: statements },
        },
      ],
    },
  };
}

function deliveryStream(options: ResolvedInfrastructureOptions): CfnResource {
  return {
    Type: 'AWS::KinesisFirehose::DeliveryStream',
    DependsOn: [ids.archiveBucketPolicy],
    Properties: {
      DeliveryStreamType: 'DirectPut',
      Tags: resourceTags(options),
      DeliveryStreamEncryptionConfigurationInput: { KeyType: 'AWS_OWNED_CMK' },
      ExtendedS3DestinationConfiguration: {
        BucketARN: bucketArn,
        RoleARN: arn(ids.archiveDeliveryRole),
        Prefix: `audit/${options.service}/!{timestamp:yyyy/MM/dd}/`,
        ErrorOutputPrefix: `errors/${options.service}/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/`,
        BufferingHints: {
          IntervalInSeconds: FIREHOSE_BUFFER_SECONDS,
          SizeInMBs: FIREHOSE_BUFFER_MIB,
        },
        CompressionFormat: 'GZIP',
        // Without it a failing delivery leaves no trace but the metrics (issue #17).
        CloudWatchLoggingOptions: {
          Enabled: true,
          LogGroupName: { Ref: ids.archiveDeliveryLogGroup },
          LogStreamName: { Ref: ids.archiveDeliveryLogStream },
        },
        // CloudWatch Logs sends gzip'd batches wrapped in a JSON envelope;
        // decompress and extract the messages so S3 holds the audit lines themselves.
        ProcessingConfiguration: {
          Enabled: true,
          Processors: [
            {
              Type: 'Decompression',
              Parameters: [{ ParameterName: 'CompressionFormat', ParameterValue: 'GZIP' }],
            },
            {
              Type: 'CloudWatchLogProcessing',
              Parameters: [{ ParameterName: 'DataMessageExtraction', ParameterValue: 'true' }],
            },
            // Without it Firehose concatenates records with no delimiter, which Athena and jq
            // cannot split (auditline verify can, but the archive should be plain NDJSON).
            { Type: 'AppendDelimiterToRecord' },
          ],
        },
      },
    },
  };
}

function subscriptionRole(options: ResolvedInfrastructureOptions): CfnResource {
  return {
    Type: 'AWS::IAM::Role',
    Properties: {
      Tags: resourceTags(options),
      Description: `Lets CloudWatch Logs put ${options.service} audit lines into Firehose`,
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'logs.amazonaws.com' },
            Action: 'sts:AssumeRole',
            Condition: {
              StringLike: {
                'aws:SourceArn': sub(
                  `arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:*`,
                ),
              },
            },
          },
        ],
      },
    },
  };
}

/**
 * The subscription role's permission, as its own resource so the subscription
 * filter can depend on it: CloudWatch Logs sends a test message when the filter is
 * created, and with the permission attached only at the same moment, IAM
 * propagation made first deploys fail with "Could not deliver test message"
 * (issue #17). The README says to retry the deploy if it still happens.
 */
function subscriptionPolicy(options: ResolvedInfrastructureOptions): CfnResource {
  return {
    Type: 'AWS::IAM::Policy',
    Properties: {
      PolicyName: `${options.service}-audit-archive-put`,
      Roles: [{ Ref: ids.archiveSubscriptionRole }],
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: ['firehose:PutRecord', 'firehose:PutRecordBatch'],
            Resource: arn(ids.archiveStream),
          },
        ],
      },
    },
  };
}

function subscriptionFilter(options: ResolvedInfrastructureOptions): CfnResource {
  return {
    Type: 'AWS::Logs::SubscriptionFilter',
    DependsOn: [ids.archiveSubscriptionPolicy],
    Properties: {
      FilterName: archiveSubscriptionFilterName(options),
      LogGroupName: { Ref: ids.logGroup },
      FilterPattern: AUDIT_LINE_PATTERN,
      DestinationArn: arn(ids.archiveStream),
      RoleArn: arn(ids.archiveSubscriptionRole),
    },
  };
}

function deliveryErrorLog(options: ResolvedInfrastructureOptions): Record<string, CfnResource> {
  return {
    [ids.archiveDeliveryLogGroup]: {
      Type: 'AWS::Logs::LogGroup',
      DeletionPolicy: 'Delete',
      UpdateReplacePolicy: 'Delete',
      Properties: {
        LogGroupName: `/aws/kinesisfirehose/${options.service}-audit-archive`,
        RetentionInDays: ARCHIVE_ERROR_LOG_RETENTION_DAYS,
        Tags: resourceTags(options),
      },
    },
    [ids.archiveDeliveryLogStream]: {
      Type: 'AWS::Logs::LogStream',
      DeletionPolicy: 'Delete',
      UpdateReplacePolicy: 'Delete',
      Properties: {
        LogGroupName: { Ref: ids.archiveDeliveryLogGroup },
        LogStreamName: DELIVERY_ERROR_STREAM,
      },
    },
  };
}

/**
 * The archive of SPEC §9: a subscription filter on audit lines feeds Firehose,
 * which writes to an S3 bucket with Object Lock in COMPLIANCE mode, versioning,
 * public access blocked and Retain policies. Delivery errors are logged, and
 * alarms on both hops (Firehose → S3, CloudWatch Logs → Firehose) notify the
 * alarm topic (issue #17).
 */
export function archiveResources(
  options: ResolvedInfrastructureOptions,
): Record<string, CfnResource> {
  return {
    [ids.archiveBucket]: bucket(options),
    [ids.archiveBucketPolicy]: bucketPolicy(),
    [ids.archiveDeliveryRole]: deliveryRole(options),
    ...deliveryErrorLog(options),
    [ids.archiveStream]: deliveryStream(options),
    [ids.archiveSubscriptionRole]: subscriptionRole(options),
    [ids.archiveSubscriptionPolicy]: subscriptionPolicy(options),
    [ids.archiveSubscription]: subscriptionFilter(options),
    ...archiveAlarmResources(options, archiveSubscriptionFilterName(options)),
    ...(options.archiveTable ? archiveTableResources(options) : {}),
  };
}
