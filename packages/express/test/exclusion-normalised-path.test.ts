import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAuditLogger } from '@auditline/core';
import { createMemorySink } from '@auditline/core/testing';
import { auditMiddleware } from '@auditline/express';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { rawRequest, startServer, type TestServer } from './helpers/server.js';

// Issue #11: exclusion matched the raw URL, but express.static and routers act
// on the decoded, normalised path: /health/../secret.txt and its encodings
// were served with no line (5 of 5). And an outer mount that excluded /admin
// made the inner admin app's own middleware believe the request was audited.

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const root = mkdtempSync(join(tmpdir(), 'auditline-static-'));
writeFileSync(join(root, 'secret.txt'), 'top secret');
mkdirSync(join(root, 'health'));
writeFileSync(join(root, 'health', 'status.txt'), 'ok');

/** Targets that reach /secret.txt through an excluded prefix: every one must be audited. */
const ESCAPES = [
  '/health/../secret.txt',
  '/health/%2e%2e/secret.txt',
  '/health/%2E%2E/secret.txt',
  '/health/..%2fsecret.txt',
  '/metrics/%2E%2E/secret.txt',
  '//health/./../secret.txt',
  '/health//..//secret.txt',
];

describe('exclusions on the decoded, normalised path (issue #11)', () => {
  it('audits every file express.static serves through a dot-segment or encoded escape', async () => {
    // Prepare
    server = await startServer({ routes: (app) => app.use(express.static(root)) });

    // Act
    const served: string[] = [];
    for (const path of ESCAPES) {
      const res = await rawRequest(server.port, { path });
      if (res.status === 200 && res.body === 'top secret') served.push(path);
    }
    const excluded = await rawRequest(server.port, { path: '/health/status.txt' });
    await server.waitForEvents(served.length);

    // Assess: the file was served through some escapes, and each of those has its line.
    expect(served.length).toBeGreaterThan(0);
    const audited = server.events().map((e) => e.path);
    for (const path of served) expect(audited).toContain(path);
    // The real excluded path is still skipped.
    expect(excluded.status).toBe(200);
    expect(audited).not.toContain('/health/status.txt');
  });

  it('an outer mount that excluded /admin does not keep the inner admin app from auditing it', async () => {
    // Prepare: the outer app excludes /admin because the admin app audits itself.
    const sink = createMemorySink();
    const audit = createAuditLogger({ format: 'json', destination: sink, ecsMetadata: false });
    const deleted: string[] = [];
    server = await startServer({
      middleware: () => ({ logger: audit, excludePaths: ['/health', '/admin'] }),
      routes: (app) => {
        const admin = express();
        admin.use(auditMiddleware({ logger: audit }));
        admin.delete('/users/:id', (req, res) => {
          deleted.push(String(req.params.id));
          res.sendStatus(204);
        });
        app.use('/admin', admin);
      },
    });

    // Act
    const res = await fetch(`${server.base}/admin/users/7`, { method: 'DELETE' });
    await res.text();
    await new Promise((r) => setTimeout(r, 50));

    // Assess: the deletion happened and exactly one entry records it.
    expect(deleted).toEqual(['7']);
    const entries = sink.events();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      action: 'DELETE',
      path: '/admin/users/7',
      status: 'SUCCESS',
    });
  });
});
