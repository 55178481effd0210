import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './helpers/server.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('sensitive query values are redacted in path, and never reach resource (SPEC §3, §6)', () => {
  it('logs ?token=abc&page=2 with the token value redacted and page=2 kept', async () => {
    // Prepare
    server = await startServer({
      routes: (app) => {
        app.get('/search', (_req, res) => {
          res.send('ok');
        });
      },
    });

    // Act
    await fetch(`${server.base}/search?token=abc-SECRET-VALUE&page=2`).then((r) => r.text());
    const [entry] = await server.waitForEvents(1);

    // Assess
    // A matched route's canonical resource has no query at all (SPEC §3, issue #12).
    expect(entry?.resource).toBe('/search');
    expect(entry?.path).toBe('/search?token=[REDACTED]&page=2');
    expect(server.sink.lines.join('')).not.toContain('abc-SECRET-VALUE');
  });
});
