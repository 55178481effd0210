// CloudFormation template shapes (the subset the generator emits). Plain JSON
// values: the template object can be serialised with JSON.stringify or `yaml`.

/**
 * A JSON value, as CloudFormation templates hold.
 *
 * @example
 * ```ts
 * const retention: CfnValue = { Ref: 'RetentionDays' };
 * ```
 */
export type CfnValue =
  | string
  | number
  | boolean
  | null
  | readonly CfnValue[]
  | { readonly [key: string]: CfnValue };

/**
 * One resource of a template.
 *
 * @example
 * ```ts
 * const logGroup: CfnResource | undefined = template.Resources[LOGICAL_IDS.logGroup];
 * logGroup?.Type; // 'AWS::Logs::LogGroup'
 * ```
 */
export interface CfnResource {
  readonly Type: string;
  readonly Properties?: { readonly [key: string]: CfnValue };
  readonly DependsOn?: string | readonly string[];
  readonly DeletionPolicy?: 'Delete' | 'Retain' | 'RetainExceptOnCreate' | 'Snapshot';
  readonly UpdateReplacePolicy?: 'Delete' | 'Retain' | 'Snapshot';
  readonly Metadata?: { readonly [key: string]: CfnValue };
}

/**
 * One parameter of a template.
 *
 * @example
 * ```ts
 * const parameter: CfnParameter = { Type: 'String', Description: 'Alert e-mail', Default: 'ops@example.com' };
 * ```
 */
export interface CfnParameter {
  readonly Type: string;
  readonly Description?: string;
  readonly Default?: string;
}

/**
 * One output of a template.
 *
 * @example
 * ```ts
 * const out: CfnOutput | undefined = template.Outputs[LOGICAL_IDS.dashboardUrlOutput];
 * if (out) log.info({ value: out.Value }, out.Description ?? 'dashboard URL');
 * ```
 */
export interface CfnOutput {
  readonly Description?: string;
  readonly Value: CfnValue;
  readonly Export?: { readonly Name: CfnValue };
}

/**
 * The template object `auditInfrastructure()` returns.
 *
 * @example
 * ```ts
 * const template: CfnTemplate = auditInfrastructure({ service: 'orders', alertEmail: 'ops@example.com' });
 * Object.keys(template.Resources);
 * ```
 */
export interface CfnTemplate {
  readonly AWSTemplateFormatVersion: '2010-09-09';
  readonly Description: string;
  readonly Metadata?: { readonly [key: string]: CfnValue };
  readonly Parameters?: { readonly [logicalId: string]: CfnParameter };
  readonly Resources: { readonly [logicalId: string]: CfnResource };
  readonly Outputs: { readonly [logicalId: string]: CfnOutput };
}

/**
 * `yaml` or `json`: how `renderTemplate()` and the CLI print the template.
 *
 * @example
 * ```ts
 * const format: TemplateFormat = file.endsWith('.json') ? 'json' : 'yaml';
 * writeFileSync(file, renderTemplate({ service: 'orders', alertEmail: 'ops@example.com' }, format));
 * ```
 */
export type TemplateFormat = 'yaml' | 'json';
