import { readFileSync } from 'node:fs';
import { AuditlineError } from '@auditline/core';
import { CommandLineError, type FlagSpecs, parseFlags, usageErrorText } from './cli-args.js';
import { GrafanaPublishError } from './errors.js';
import { type GrafanaDashboardOptions, grafanaDashboard } from './grafana-dashboard.js';
import { publishGrafanaDashboard } from './grafana-publish.js';

const USAGE = `usage: auditline grafana --service NAME [options]

Prints an importable Amazon Managed Grafana dashboard (CloudWatch data source) as JSON,
or imports it into a workspace with --post.

  --service NAME             service name (AUDIT_SERVICE_NAME)          required
  --log-group-name NAME      log group of the awslogs driver            default /ecs/<service>
  --metric-namespace NS      namespace of the filter (and EMF) metrics  default <service>/Audit
  --emf                      add the EMF panels (AuditEventCount, ActionDuration per Action)
  --region REGION            default of the region variable             default "default"
  --post URL                 import into this workspace (https://g-….grafana-workspace.<region>.amazonaws.com)
  --token-file FILE          file holding a workspace service-account token (with --post)
  --datasource-uid UID       uid of the workspace's CloudWatch data source (with --post)
  --folder-uid UID           folder to import into (with --post)        default General
  -h, --help                 show this help
`;

const FLAGS = {
  service: { type: 'string' },
  'log-group-name': { type: 'string' },
  'metric-namespace': { type: 'string' },
  emf: { type: 'boolean' },
  region: { type: 'string' },
  post: { type: 'string' },
  'token-file': { type: 'string' },
  'datasource-uid': { type: 'string' },
  'folder-uid': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies FlagSpecs;

interface Parsed {
  readonly options: GrafanaDashboardOptions;
  readonly post?: { url: string; tokenFile: string; datasourceUid: string; folderUid?: string };
}

function parse(argv: string[]): Parsed | 'help' {
  const { values, positionals } = parseFlags(argv, FLAGS);
  if (values.help) return 'help';
  if (positionals.length > 0) throw new CommandLineError(`unexpected argument "${positionals[0]}"`);
  if (!values.service) throw new CommandLineError('--service is required');
  const defined = <T extends object>(o: T): Partial<T> =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
  const options: GrafanaDashboardOptions = {
    service: values.service,
    emf: values.emf === true,
    ...defined({
      logGroupName: values['log-group-name'],
      metricNamespace: values['metric-namespace'],
      region: values.region,
    }),
  };
  const postOnly = ['token-file', 'datasource-uid', 'folder-uid'] as const;
  if (!values.post) {
    const stray = postOnly.find((f) => values[f] !== undefined);
    if (stray) throw new CommandLineError(`--${stray} needs --post URL`);
    return { options };
  }
  if (!values['token-file']) throw new CommandLineError('--post needs --token-file FILE');
  if (!values['datasource-uid']) throw new CommandLineError('--post needs --datasource-uid UID');
  return {
    options,
    post: {
      url: values.post,
      tokenFile: values['token-file'],
      datasourceUid: values['datasource-uid'],
      ...defined({ folderUid: values['folder-uid'] }),
    },
  };
}

function readToken(file: string): string {
  let token: string;
  try {
    token = readFileSync(file, 'utf8').trim();
  } catch (err) {
    throw new CommandLineError(`--token-file ${JSON.stringify(file)}: ${(err as Error).message}`);
  }
  if (token === '') throw new CommandLineError(`--token-file ${JSON.stringify(file)} is empty`);
  return token;
}

/**
 * `auditline grafana …`: prints the Grafana dashboard JSON on stdout, or with
 * `--post` imports it into a workspace. The token comes from a file, never
 * from argv (which `ps` shows). Exit 0 on success; 1 when the workspace refuses
 * the import; 2 for bad arguments or options.
 *
 * @example
 * ```sh
 * auditline grafana --service orders --emf > audit-dashboard.json
 * auditline grafana --service orders --post https://g-abc.grafana-workspace.eu-west-1.amazonaws.com \
 *   --token-file grafana.token --datasource-uid cloudwatch
 * ```
 */
export async function run(argv: string[]): Promise<number> {
  let parsed: Parsed | 'help';
  let token: string | undefined;
  try {
    parsed = parse(argv);
    if (parsed === 'help') {
      process.stdout.write(USAGE);
      return 0;
    }
    if (parsed.post) token = readToken(parsed.post.tokenFile);
  } catch (err) {
    if (!(err instanceof CommandLineError || err instanceof AuditlineError)) throw err;
    process.stderr.write(usageErrorText('auditline grafana', err.message));
    return 2;
  }
  let dashboard: ReturnType<typeof grafanaDashboard>;
  try {
    dashboard = grafanaDashboard(parsed.options);
  } catch (err) {
    if (!(err instanceof AuditlineError)) throw err;
    process.stderr.write(usageErrorText('auditline grafana', err.message));
    return 2;
  }
  if (!parsed.post || token === undefined) {
    process.stdout.write(`${JSON.stringify(dashboard, null, 2)}\n`);
    return 0;
  }
  try {
    const { url } = await publishGrafanaDashboard(dashboard, {
      url: parsed.post.url,
      token,
      datasourceUid: parsed.post.datasourceUid,
      ...(parsed.post.folderUid ? { folderUid: parsed.post.folderUid } : {}),
    });
    process.stdout.write(
      `imported dashboard ${dashboard.uid} into ${new URL(parsed.post.url).origin}${url ?? ''}\n`,
    );
    return 0;
  } catch (err) {
    if (!(err instanceof GrafanaPublishError)) throw err;
    process.stderr.write(`auditline grafana: ${err.message}\n`);
    return 1;
  }
}
