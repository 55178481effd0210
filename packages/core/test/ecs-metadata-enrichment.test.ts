import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { runChild } from '@auditline/test-support';
import { afterEach, describe, expect, it } from 'vitest';

// SPEC §4.7: the task ARN and cluster are read once from
// ECS_CONTAINER_METADATA_URI_V4 when present; it must never block or fail
// start-up. A real HTTP server on 127.0.0.1 plays the metadata endpoint.
const FIXTURE = fileURLToPath(new URL('./fixtures/ecs.mjs', import.meta.url));
let server: Server | undefined;

afterEach(() => {
  server?.closeAllConnections();
  server?.close();
});

async function endpoint(handler: Parameters<typeof createServer>[1]): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v4/abc`;
}

describe('ECS metadata enrichment', () => {
  it('adds ecs.task_arn and ecs.cluster once the endpoint answers', async () => {
    const seen: string[] = [];
    const uri = await endpoint((req, res) => {
      seen.push(req.url ?? '');
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ TaskARN: 'arn:aws:ecs:eu-west-1:1:task/c/abc', Cluster: 'prod' }));
    });

    const result = await runChild(FIXTURE, [], { env: { ECS_CONTAINER_METADATA_URI_V4: uri } });

    const late = result.lines.map((l) => JSON.parse(l)).find((e) => e.resource === '/late');
    expect(late.ecs).toEqual({ task_arn: 'arn:aws:ecs:eu-west-1:1:task/c/abc', cluster: 'prod' });
    expect(seen).toEqual(['/v4/abc/task']);
  });

  it('never blocks start-up on an endpoint that does not answer', async () => {
    const uri = await endpoint(() => {
      // Never respond.
    });

    const result = await runChild(FIXTURE, [], { env: { ECS_CONTAINER_METADATA_URI_V4: uri } });

    expect(result.code).toBe(0);
    const constructedIn = Number(/constructed-in (\d+)/.exec(result.stderr)?.[1]);
    expect(constructedIn).toBeLessThan(200);
    const entries = result.lines.map((l) => JSON.parse(l));
    expect(entries.map((e) => e.resource)).toContain('/early');
    expect(entries.every((e) => e.ecs === undefined)).toBe(true);
  });

  it('survives an endpoint that returns garbage', async () => {
    const uri = await endpoint((_req, res) => res.end('not json'));
    const result = await runChild(FIXTURE, [], { env: { ECS_CONTAINER_METADATA_URI_V4: uri } });
    expect(result.code).toBe(0);
    expect(result.lines).toHaveLength(4);
  });
});
