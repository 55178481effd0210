import { AuditlineError } from '@auditline/core';
import {
  type AuditInfrastructureOptions,
  auditInfrastructure,
  INFRA_ERROR_CODES,
  InfraConfigError,
  renderTemplate,
  resolveInfrastructureOptions,
} from '@auditline/infra';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// Options are validated once, at construction (STYLE "Options and errors"):
// a bad option throws an error that names it, its value and the fix.

const BASE = { service: 'my-app', alertEmail: 'ops@example.com' } as const;

function errorFor(options: unknown): InfraConfigError {
  try {
    auditInfrastructure(options as AuditInfrastructureOptions);
  } catch (e) {
    if (e instanceof InfraConfigError) return e;
    throw e;
  }
  throw new Error('expected auditInfrastructure to throw');
}

describe('auditInfrastructure options', () => {
  it('fills every default', () => {
    const o = resolveInfrastructureOptions(BASE);
    expect(o).toMatchObject({
      logGroupName: '/ecs/my-app',
      retentionInDays: 365,
      metricNamespace: 'my-app/Audit',
      emf: false,
      archive: false,
      archiveRetentionDays: 365,
      silentStreamAlarm: false,
      silentStreamMinutes: 60,
      ecsClusterName: 'my-app',
      ecsServiceName: 'my-app',
      dashboardTags: false,
      thresholds: { failedLogins: 20, failedActions: 50, deletes: 30 },
    });
    expect(o.kmsKeyArn).toBeUndefined();
    expect(Object.isFrozen(o)).toBe(true);
    expect(Object.isFrozen(o.thresholds)).toBe(true);
  });

  it('does not mutate the caller options', () => {
    const options = { ...BASE, thresholds: { deletes: 3 } };
    const before = JSON.stringify(options);
    auditInfrastructure(options);
    expect(JSON.stringify(options)).toBe(before);
  });

  it.each([
    ['service', { alertEmail: 'ops@example.com' }, undefined],
    ['service', { ...BASE, service: 'has space' }, 'has space'],
    ['alertEmail', { service: 'my-app' }, undefined],
    ['alertEmail', { ...BASE, alertEmail: 'not-an-email' }, 'not-an-email'],
    ['retentionInDays', { ...BASE, retentionInDays: 42 }, 42],
    ['kmsKeyArn', { ...BASE, kmsKeyArn: 'alias/mine' }, 'alias/mine'],
    ['metricNamespace', { ...BASE, metricNamespace: 'AWS/Logs' }, 'AWS/Logs'],
    // Issue #17: EMF allows ':', metric filters (`[^:*$]*`) do not; it gave an undeployable template.
    ['metricNamespace', { ...BASE, metricNamespace: 'My App:Audit' }, 'My App:Audit'],
    ['alarmTopicKmsKeyId', { ...BASE, alarmTopicKmsKeyId: 'my key' }, 'my key'],
    ['silentStreamMinutes', { ...BASE, silentStreamMinutes: 7 }, 7],
    ['thresholds.failedLogins', { ...BASE, thresholds: { failedLogins: -1 } }, -1],
    ['logGroupName', { ...BASE, logGroupName: 'bad name!' }, 'bad name!'],
  ] as const)('rejects a bad %s, naming it and the value', (option, options, value) => {
    // Act
    const err = errorFor(options);
    // Assess
    expect(err).toBeInstanceOf(AuditlineError);
    expect(err.code).toBe(INFRA_ERROR_CODES.invalidOptions);
    expect(err.option).toBe(option);
    expect(err.message).toContain(`"${option}"`);
    if (value !== undefined) expect(err.message).toContain(JSON.stringify(value));
  });

  it('lists the CloudWatch-allowed retention values when one is wrong', () => {
    expect(errorFor({ ...BASE, retentionInDays: 42 }).message).toContain('365, 400, 545');
  });

  it('refuses unknown options, so a typo cannot drop a feature silently', () => {
    const err = errorFor({ ...BASE, archvie: true });
    expect(err.message).toContain('archvie');
  });
});

describe('renderTemplate', () => {
  it('prints YAML by default that parses back to the template object', () => {
    const yaml = renderTemplate({ ...BASE, emf: true, archive: true });
    expect(yaml.startsWith('AWSTemplateFormatVersion: "2010-09-09"\n')).toBe(true);
    expect(parse(yaml)).toEqual(
      JSON.parse(JSON.stringify(auditInfrastructure({ ...BASE, emf: true, archive: true }))),
    );
  });

  it('prints JSON on request', () => {
    const json = renderTemplate(BASE, 'json');
    expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(auditInfrastructure(BASE))));
    expect(json.endsWith('}\n')).toBe(true);
  });

  it('is deterministic, so a checked-in copy can be diffed', () => {
    expect(renderTemplate(BASE)).toBe(renderTemplate(BASE));
  });
});
