import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './helpers/server.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function hitAll(base: string, paths: readonly string[]): Promise<void> {
  for (const path of paths) await fetch(`${base}${path}`).then((r) => r.text());
}

describe('excluded paths match on segment boundaries (SPEC §5.4)', () => {
  it('skips /health and its sub-paths by default but audits look-alikes', async () => {
    // Prepare
    server = await startServer({
      routes: (app) => {
        app.use((_req, res) => {
          res.send('ok');
        });
      },
    });
    const skipped = [
      '/health',
      '/health/deep',
      '/health/',
      '/health?verbose=1',
      '/ready',
      '/metrics',
      '/favicon.ico',
    ];
    const audited = ['/healthy', '/health-admin', '/readyz', '/metrics2/x', '/HEALTH'];

    // Act
    await hitAll(server.base, [...skipped, ...audited]);
    await server.waitForEvents(audited.length);
    await fetch(`${server.base}/last`).then((r) => r.text()); // entries are in order: this one marks the end
    await server.waitForEvents(audited.length + 1);

    // Assess
    expect(server.events().map((e) => e.resource)).toEqual([...audited, '/last']);
  });

  it('replaces the default list with excludePaths, normalising a trailing slash', async () => {
    // Prepare
    server = await startServer({
      middleware: () => ({ excludePaths: ['/internal/'] }),
      routes: (app) => {
        app.use((_req, res) => {
          res.send('ok');
        });
      },
    });

    // Act
    await hitAll(server.base, ['/internal', '/internal/ping', '/internals', '/health']);
    await server.waitForEvents(2);
    await fetch(`${server.base}/last`).then((r) => r.text());
    await server.waitForEvents(3);

    // Assess
    expect(server.events().map((e) => e.resource)).toEqual(['/internals', '/health', '/last']);
  });

  it('still gives excluded requests a trace id and req.log', async () => {
    // Prepare
    let hadLog = false;
    server = await startServer({
      routes: (app) => {
        app.get('/health', (req, res) => {
          hadLog = typeof req.log?.info === 'function';
          res.send('ok');
        });
      },
    });

    // Act
    const res = await fetch(`${server.base}/health`, { headers: { 'x-trace-id': 'probe-1' } });
    await res.text();

    // Assess
    expect(res.headers.get('x-trace-id')).toBe('probe-1');
    expect(hadLog).toBe(true);
    expect(server.events()).toEqual([]);
  });
});
