import { type AuditLogger, type AuditPlugin, createAuditLogger } from '@auditline/core';
import { createMemorySink } from '@auditline/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './helpers/server.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** The raw lines of one request (by trace id), parsed, with the raw text kept. */
function linesOf(lines: readonly string[], traceId: string): { raw: string; parsed: Line }[] {
  return lines
    .filter((raw) => raw.includes(`"traceId":"${traceId}"`))
    .map((raw) => ({ raw, parsed: JSON.parse(raw) as Line }));
}
type Line = { action: string; details: Record<string, unknown> };

function occurrences(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

// SPEC §5.7 and the express README ("What each request writes"): every line written
// inside a request carries details.request_line, 1, 2, … in the order written, the
// automatic line included. The automatic line now carries its number in its own
// details rather than through core's link member (issue #15), so these pin the result.
describe('request_line on the lines of one request', () => {
  it('numbers the explicit lines and the automatic line in order, once each, the automatic one last in details', async () => {
    // Prepare: a handler that writes two explicit entries before answering.
    server = await startServer({
      routes: (app) => {
        app.post('/orders/:id/refund', (req, res) => {
          req.audit({ action: 'REFUND', resource: `/orders/${req.params.id}`, status: 'SUCCESS' });
          req.audit({ action: 'NOTIFY', resource: '/customers/c-1', status: 'SUCCESS' });
          res.status(202).json({ ok: true });
        });
      },
    });

    // Act
    const response = await fetch(`${server.base}/orders/42/refund`, { method: 'POST' });
    const traceId = response.headers.get('x-trace-id') as string;
    await server.waitForEvents(3);

    // Assess: a missing, repeated or misnumbered request_line would break the
    // grouping a reviewer relies on, and a duplicate key is one JSON.parse hides.
    const lines = linesOf(server.sink.lines, traceId);
    expect(lines.map((l) => [l.parsed.action, l.parsed.details.request_line])).toEqual([
      ['REFUND', 1],
      ['NOTIFY', 2],
      ['REQUEST_OUTCOME', 3],
    ]);
    for (const { raw } of lines) expect(occurrences(raw, '"request_line"')).toBe(1);
    const automatic = lines[2]?.parsed.details ?? {};
    expect(Object.keys(automatic).at(-1)).toBe('request_line');
    expect(automatic).toMatchObject({ statusCode: 202, attempted_action: 'CREATE' });
  });

  it('gives a request with no explicit entry request_line 1 on its one line', async () => {
    // Prepare
    server = await startServer({ routes: (app) => app.get('/items', (_req, res) => res.json([])) });

    // Act
    const response = await fetch(`${server.base}/items`);
    const traceId = response.headers.get('x-trace-id') as string;
    await server.waitForEvents(1);

    // Assess: the automatic line's own number, written once, after its other details.
    const [line] = linesOf(server.sink.lines, traceId);
    expect(line?.parsed.details).toEqual({
      statusCode: 200,
      duration_ms: expect.any(Number),
      request_line: 1,
    });
    expect(occurrences(line?.raw ?? '', '"request_line"')).toBe(1);
  });

  it('still numbers every line once when a plugin logs while the automatic line is built', async () => {
    // Prepare: a plugin whose inspect() writes a line of its own the first time it
    // sees the automatic entry's details: that line comes before the automatic
    // line's number is taken, and must not take the number the automatic line holds.
    let logger: AuditLogger | undefined;
    let logged = false;
    const nosy: AuditPlugin = {
      name: 'nosy',
      reservedKeys: ['nosy'],
      setup: () => ({
        fragment: () => '',
        inspect(details) {
          if (!logged && details.statusCode !== undefined) {
            logged = true;
            logger?.log({ action: 'PLUGIN_NOTE', resource: '/plugin', status: 'SUCCESS' });
          }
          return undefined;
        },
      }),
    };
    const sink = createMemorySink();
    logger = createAuditLogger({
      service: 'express-test',
      format: 'json',
      destination: sink,
      ecsMetadata: false,
      plugins: [nosy],
    });
    const audit = logger;
    server = await startServer({
      middleware: () => ({ logger: audit }),
      routes: (app) => app.get('/items', (_req, res) => res.json([])),
    });

    // Act
    const response = await fetch(`${server.base}/items`);
    const traceId = response.headers.get('x-trace-id') as string;
    await expect.poll(() => linesOf(sink.lines, traceId).length).toBe(2);

    // Assess: the plugin's line is line 1, the automatic line 2, each named once.
    const lines = linesOf(sink.lines, traceId);
    expect(lines.map((l) => [l.parsed.action, l.parsed.details.request_line])).toEqual([
      ['PLUGIN_NOTE', 1],
      ['READ', 2],
    ]);
    for (const { raw } of lines) expect(occurrences(raw, '"request_line"')).toBe(1);
  });
});
