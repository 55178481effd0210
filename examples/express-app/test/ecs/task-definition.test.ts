import { ENV_VARS } from '@auditline/core';
import { describe, expect, it } from 'vitest';
import { generate, readEcs } from './ecs-files.js';

// The ECS files must agree with each other and with the generated template,
// and keep the settings SPEC §9 and issue #5 ask for: awslogs in blocking mode,
// stopTimeout, an init process, an exec-form command, the HMAC key as a secret.

interface ContainerDefinition {
  name: string;
  command: string[];
  environment: { name: string; value: string }[];
  secrets: { name: string; valueFrom: string }[];
  logConfiguration: { logDriver: string; options: Record<string, string> };
  linuxParameters: { initProcessEnabled: boolean };
  stopTimeout: number;
}

interface PolicyStatement {
  Action: string | string[];
  Resource: string | string[];
}

const taskDefinition = JSON.parse(readEcs('task-definition.json')) as {
  containerDefinitions: ContainerDefinition[];
};
const container = taskDefinition.containerDefinitions[0]!;
const policy = JSON.parse(readEcs('execution-role-policy.json')) as {
  Statement: PolicyStatement[];
};
const template = JSON.parse(generate('--json')) as {
  Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
};
const logGroup = Object.values(template.Resources).find((r) => r.Type === 'AWS::Logs::LogGroup')!;

/** Fargate's largest `stopTimeout` (ECS ContainerDefinition API reference). */
const FARGATE_MAX_STOP_TIMEOUT = 120;
/** server.ts gives in-flight requests this long after SIGTERM; ECS must wait longer. */
const SERVER_SHUTDOWN_GRACE_S = 10;

const statementsFor = (action: string): PolicyStatement[] =>
  policy.Statement.filter((s) => [s.Action].flat().includes(action));

describe('task-definition.json', () => {
  it('ships stdout with awslogs in blocking mode to the generated log group', () => {
    // Assess
    const { logDriver, options } = container.logConfiguration;
    expect(logDriver).toBe('awslogs');
    // ECS defaults to non-blocking since 2025-06-25, which drops lines when its buffer fills.
    expect(options.mode).toBe('blocking');
    expect(options).not.toHaveProperty('max-buffer-size');
    expect(options['awslogs-group']).toBe(logGroup.Properties.LogGroupName);
    expect(options['awslogs-region']).toBeTruthy();
    expect(options['awslogs-stream-prefix']).toBeTruthy();
    // The template creates the log group (with retention); the driver must not.
    expect(options).not.toHaveProperty('awslogs-create-group');
  });

  it('stops gracefully: init process, stopTimeout above the server drain, exec-form command', () => {
    // Assess
    expect(container.linuxParameters.initProcessEnabled).toBe(true);
    expect(container.stopTimeout).toBeGreaterThan(SERVER_SHUTDOWN_GRACE_S);
    expect(container.stopTimeout).toBeLessThanOrEqual(FARGATE_MAX_STOP_TIMEOUT);
    expect(container.command).toEqual(['node', 'dist/server.js']);
    const cmd = /^CMD (\[.*\])$/m.exec(readEcs('Dockerfile'))?.[1];
    expect(JSON.parse(cmd ?? 'null')).toEqual(container.command);
  });

  it('passes only variables auditline reads, with EMF on and the HMAC key from Secrets Manager', () => {
    // Prepare
    const known = new Set<string>([...Object.values(ENV_VARS), 'HOST', 'PORT']);
    const env = Object.fromEntries(container.environment.map((e) => [e.name, e.value]));

    // Assess
    for (const name of Object.keys(env)) expect(known, `unknown variable ${name}`).toContain(name);
    expect(env[ENV_VARS.format]).toBe('emf');
    expect(env[ENV_VARS.nodeEnv]).toBe('production');
    expect(env).not.toHaveProperty(ENV_VARS.hmacKey);
    expect(container.secrets.map((s) => s.name)).toEqual([ENV_VARS.hmacKey]);
    // --emf in the template: the EMF error alarms exist because the service writes EMF.
    const alarms = Object.values(template.Resources).filter(
      (r) => r.Type === 'AWS::CloudWatch::Alarm',
    );
    expect(alarms.map((a) => a.Properties.MetricName)).toEqual(
      expect.arrayContaining(['EMFValidationErrors', 'EMFParsingErrors']),
    );
  });
});

describe('execution-role-policy.json', () => {
  it('lets the awslogs driver write to the audit log group and nothing broader', () => {
    // Assess
    for (const action of ['logs:CreateLogStream', 'logs:PutLogEvents']) {
      const resources = statementsFor(action).flatMap((s) => [s.Resource].flat());
      expect(resources.length, action).toBeGreaterThan(0);
      for (const resource of resources) {
        expect(resource).toContain(`:log-group:${logGroup.Properties.LogGroupName}:`);
      }
    }
    expect(statementsFor('logs:CreateLogGroup')).toEqual([]);
  });

  it('allows pulling the image and reading the HMAC secret the task definition references', () => {
    // Assess
    for (const action of [
      'ecr:GetAuthorizationToken',
      'ecr:BatchGetImage',
      'ecr:GetDownloadUrlForLayer',
    ]) {
      expect(statementsFor(action), action).toHaveLength(1);
    }
    const [secrets] = statementsFor('secretsmanager:GetSecretValue');
    expect(secrets?.Resource).toMatch(
      /^arn:aws:secretsmanager:.*:secret:example-shop\/audit-hmac-key-/,
    );
  });
});

describe('Dockerfile', () => {
  it('is multi-stage, runs as a non-root user in production mode, with an exec-form CMD', () => {
    // Prepare
    const dockerfile = readEcs('Dockerfile');

    // Assess
    expect(dockerfile.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(2);
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    expect(runtime).toMatch(/^USER (?!root\b|0\b)\S+$/m);
    expect(runtime).toMatch(/NODE_ENV=production/);
    expect(runtime).toMatch(/^CMD \["node", "dist\/server\.js"\]$/m);
  });
});
