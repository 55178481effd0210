import type { ResolvedInfrastructureOptions } from './options.js';
import type { CfnValue } from './types.js';

/** Tag key naming the service on every taggable resource, for cost and ownership reports. */
export const SERVICE_TAG_KEY = 'auditline:service';

/** Logical id of the template parameter that carries `kmsKeyArn`. */
export const KMS_KEY_PARAMETER = 'AuditKmsKeyArn';

/** Tags for every taggable resource of the template. */
export function resourceTags(options: ResolvedInfrastructureOptions): CfnValue {
  return [{ Key: SERVICE_TAG_KEY, Value: options.service }];
}

/**
 * The KMS key is passed as a parameter (defaulting to `kmsKeyArn`) rather than
 * inlined: an ARN literal hard-codes an account id, which cfn-lint rejects
 * (W9013) and which would pin the template to one account.
 */
export function kmsKeyRef(): CfnValue {
  return { Ref: KMS_KEY_PARAMETER };
}
