// A signed service for verify-line-after-stop-e2e.test.ts (issue #11): the
// real logger on stdout with an HMAC key, the Express middleware, and
// shutdownGracefully on SIGTERM. After the stop it logs once more, as an app
// that keeps a stale logger reference would: that genuine late line is what
// verify must catch.
import { createAuditLogger } from '@auditline/core';
import { auditMiddleware, shutdownGracefully } from '@auditline/express';
import express from 'express';

const audit = createAuditLogger({
  service: 'orders-api',
  format: 'json',
  integrity: { key: process.env.TEST_HMAC_KEY, keyId: 'default' },
  ecsMetadata: false,
});
const app = express();
app.set('env', 'test');
app.use(auditMiddleware({ logger: audit, drainTimeoutMs: 2_000 }));
app.delete('/orders/:id', (req, res) => {
  process.stderr.write(`started ${req.params.id}\n`);
  setTimeout(() => res.sendStatus(204), 200);
});
app.get('/orders/:id', (req, res) => res.json({ id: req.params.id }));
const server = app.listen(0, '127.0.0.1', () => {
  process.stderr.write(`port ${server.address().port}\n`);
});
process.once('SIGTERM', () => {
  void shutdownGracefully({ server, logger: audit }).then(() => {
    const late = audit.log({
      action: 'DELETE',
      resource: '/orders/late',
      status: 'SUCCESS',
      user_id: 'late',
    });
    process.stderr.write(`late ${JSON.stringify(late ?? null)}\n`);
    process.exit(0);
  });
});
