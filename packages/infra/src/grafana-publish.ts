import { GrafanaPublishError } from './errors.js';
import { GRAFANA_DATASOURCE_INPUT, type GrafanaDashboard } from './grafana-dashboard.js';

/** Hosts a dashboard may be posted to over plain HTTP: this machine only (tests, tunnels). */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Grafana's answer is quoted in errors up to this many characters. */
const MAX_ERROR_BODY_CHARS = 300;

/**
 * Where {@link publishGrafanaDashboard} posts: an Amazon Managed Grafana
 * workspace (or any Grafana) and a service-account token of that workspace.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * const target: GrafanaPublishTarget = {
 *   url: 'https://g-abc123.grafana-workspace.eu-west-1.amazonaws.com',
 *   token: readFileSync('grafana.token', 'utf8').trim(),
 *   datasourceUid: 'cloudwatch-prod',
 * };
 * ```
 */
export interface GrafanaPublishTarget {
  /** Workspace URL, `https://` (plain `http://` only to 127.0.0.1 or localhost). */
  readonly url: string;
  /** Service-account token with the Editor or Admin role (`glsa_…`). Sent as a Bearer token, never logged. */
  readonly token: string;
  /** uid of the workspace's CloudWatch data source: the value of the `DS_CLOUDWATCH` import input. */
  readonly datasourceUid: string;
  /** Folder to import into. @default the General folder */
  readonly folderUid?: string;
}

/**
 * Imports a dashboard into a Grafana workspace through the HTTP API
 * (`POST /api/dashboards/import`), resolving its `DS_CLOUDWATCH` input to
 * `datasourceUid` and overwriting an earlier import of the same uid.
 * `AWS::Grafana::Workspace` cannot provision dashboards, so this, run after the
 * stack, is the way to keep one in step with the generator (issue #17).
 * Throws {@link GrafanaPublishError} when the workspace refuses or is unreachable.
 *
 * @example
 * ```ts
 * const target = { url: 'https://g-abc.grafana-workspace.eu-west-1.amazonaws.com', token: 'glsa_x', datasourceUid: 'cw' };
 * const result = await publishGrafanaDashboard(grafanaDashboard({ service: 'orders' }), target);
 * log.info(result.url); // the dashboard's path in the workspace
 * ```
 */
export async function publishGrafanaDashboard(
  dashboard: GrafanaDashboard,
  target: GrafanaPublishTarget,
): Promise<{ readonly status: number; readonly url: string | undefined }> {
  const base = workspaceUrl(target.url);
  const endpoint = new URL('api/dashboards/import', base);
  let response: Response;
  try {
    response = await fetch(endpoint, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${target.token}`,
        'content-type': 'application/json',
        accept: 'application/json',
      },
      body: JSON.stringify({
        dashboard,
        overwrite: true,
        inputs: [
          {
            name: GRAFANA_DATASOURCE_INPUT,
            type: 'datasource',
            pluginId: 'cloudwatch',
            value: target.datasourceUid,
          },
        ],
        ...(target.folderUid ? { folderUid: target.folderUid } : {}),
      }),
    });
  } catch (err) {
    throw new GrafanaPublishError(
      `could not reach the Grafana workspace at ${endpoint.origin}: ${(err as Error).message}`,
      0,
      { cause: err },
    );
  }
  const text = await response.text();
  if (!response.ok) {
    throw new GrafanaPublishError(
      `Grafana at ${endpoint.origin} refused the dashboard: HTTP ${response.status} ${text.slice(0, MAX_ERROR_BODY_CHARS)}${response.status === 401 || response.status === 403 ? ' (use a service-account token with the Editor or Admin role)' : ''}`,
      response.status,
    );
  }
  let url: string | undefined;
  try {
    const body = JSON.parse(text) as { importedUrl?: unknown };
    url = typeof body.importedUrl === 'string' ? body.importedUrl : undefined;
  } catch {
    url = undefined;
  }
  return { status: response.status, url };
}

function workspaceUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new GrafanaPublishError(
      `"${raw}" is not a URL: pass the workspace URL, e.g. https://g-abc123.grafana-workspace.eu-west-1.amazonaws.com`,
      0,
    );
  }
  // A token must not cross the network in clear text.
  if (
    url.protocol !== 'https:' &&
    !(url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname))
  ) {
    throw new GrafanaPublishError(
      `refusing to send the token to ${url.origin}: use https:// (plain http:// only to 127.0.0.1 or localhost)`,
      0,
    );
  }
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}
