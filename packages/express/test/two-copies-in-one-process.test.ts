import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

// Issue #11: two copies of @auditline/express (and of @auditline/core) in one
// process, as npm nests them when versions differ. Before the fix, the copies
// patched express.request and each other's accessors: after copy B served a
// request, app A's handlers saw req.audit === undefined, and logAudit() from a
// second core lost the request context with no warning.

const run = promisify(execFile);
const PACKAGES = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURES = fileURLToPath(new URL('./fixtures/two-copies', import.meta.url));

interface Line {
  audit?: boolean;
  action?: string;
  resource?: string;
  traceId?: string;
  path?: string;
  method?: string;
}
interface Result {
  sameExpress: boolean;
  responses: {
    app: 'a' | 'b';
    i: number;
    traceId: string;
    status: number;
    body: {
      auditType: string;
      traceId: unknown;
      viaReqAudit: boolean;
      viaLogAudit: boolean;
      error: string | null;
    };
  }[];
  lines: { a: Line[]; b: Line[] };
  warnings: { code?: string; message: string }[];
}

/** tmp/app-{a,b}/node_modules/@auditline/{core,express}: package.json + dist copied; deps symlinked. */
function buildLayout(): string {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'auditline-two-copies-')));
  const installed = {
    express: realpathSync(join(PACKAGES, 'express/node_modules/express')),
    'pino-http': realpathSync(join(PACKAGES, 'express/node_modules/pino-http')),
    pino: realpathSync(join(PACKAGES, 'core/node_modules/pino')),
    zod: realpathSync(join(PACKAGES, 'core/node_modules/zod')),
  };
  for (const app of ['app-a', 'app-b']) {
    const modules = join(root, app, 'node_modules');
    for (const pkg of ['core', 'express']) {
      const dest = join(modules, '@auditline', pkg);
      mkdirSync(dest, { recursive: true });
      cpSync(join(PACKAGES, pkg, 'package.json'), join(dest, 'package.json'));
      cpSync(join(PACKAGES, pkg, 'dist'), join(dest, 'dist'), { recursive: true });
    }
    for (const [name, target] of Object.entries(installed)) {
      symlinkSync(target, join(modules, name), 'dir');
    }
    cpSync(join(FIXTURES, 'app.mjs'), join(root, app, 'app.mjs'));
  }
  return root;
}

describe('two copies of @auditline/express and of @auditline/core in one process', () => {
  // Prepare (once): the layout, and one child process that serves A, B, A, B.
  const root = buildLayout();
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const result = run(process.execPath, [join(FIXTURES, 'main.mjs'), root], {
    timeout: 20_000,
  }).then(({ stdout }) => JSON.parse(stdout) as Result);

  // Each test awaits it; this only keeps an early failure from being an unhandled rejection.
  result.catch(() => {});

  it('the fixture really loads two copies of core (one AUDITLINE_DUPLICATE_CORE warning) and one shared express', async () => {
    // Act
    const { warnings, sameExpress } = await result;
    // Assess: zero warnings would mean the layout deduped (the test proves nothing) or the warning is gone;
    // two would mean it is emitted per copy instead of once per process.
    expect(warnings.filter((w) => w.code === 'AUDITLINE_DUPLICATE_CORE')).toHaveLength(1);
    expect(sameExpress).toBe(true);
  });

  it('handlers in both apps see a callable req.audit and the request traceId, before and after the other copy served', async () => {
    // Act
    const { responses } = await result;
    // Assess: the old prototype accessors left app A with req.audit undefined once copy B had run.
    expect(responses.map((r) => r.app)).toEqual(['a', 'b', 'a', 'b']);
    for (const r of responses) {
      expect(r.status, `app ${r.app} request ${r.i}`).toBe(200);
      expect(r.body, `app ${r.app} request ${r.i}`).toEqual({
        auditType: 'function',
        traceId: r.traceId,
        viaReqAudit: true,
        viaLogAudit: true,
        error: null,
      });
    }
  });

  it("logAudit() from each copy's core keeps its request context: traceId and path on the line, in that app's logger", async () => {
    // Act
    const { responses, lines } = await result;
    // Assess: a split context writes the EXPORT line without traceId/path (or to the default logger).
    for (const r of responses) {
      const own = lines[r.app].filter((l) => l.traceId === r.traceId);
      const other = lines[r.app === 'a' ? 'b' : 'a'].filter((l) => l.traceId === r.traceId);
      expect(other, `app ${r.app} request ${r.i} leaked into the other logger`).toEqual([]);
      const path = `/who/${r.i}`;
      expect(
        own.find((l) => l.action === 'EXPORT'),
        `logAudit() line, app ${r.app} request ${r.i}`,
      ).toMatchObject({
        resource: path,
        path,
        method: 'GET',
      });
      expect(
        own.find((l) => l.action === 'READ_PII'),
        `req.audit() line, app ${r.app} request ${r.i}`,
      ).toMatchObject({
        resource: path,
        path,
      });
    }
  });
});
