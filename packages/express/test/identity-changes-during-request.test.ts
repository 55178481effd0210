import type { NextFunction, Request, Response } from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './helpers/server.js';

type WithUser = Request & { user?: { id: string } | undefined };

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Auth after the audit middleware, as in the README: sets req.user from a bearer token. */
function authenticate(req: Request, _res: Response, next: NextFunction): void {
  const token = req.headers.authorization?.replace('Bearer ', '');
  if (token) (req as WithUser).user = { id: token };
  next();
}

// SPEC §5.3, issue #12: user_id is the identity the request was authenticated as; a
// change during the request is recorded in details, never silently swapped.
describe('an identity that changes during the request', () => {
  it("records an admin's act-as as the admin's action, with acting_as naming the victim", async () => {
    // Prepare: the handler writes its explicit entry as the admin, then switches identity.
    server = await startServer({
      routes: (app) => {
        app.use(authenticate);
        app.post('/admin/act-as-logged/:id', (req, res) => {
          req.audit({
            action: 'IMPERSONATE',
            resource: `/users/${req.params.id}`,
            status: 'SUCCESS',
          });
          (req as WithUser).user = { id: req.params.id as string };
          res.sendStatus(204);
        });
      },
    });

    // Act
    const headers = { authorization: 'Bearer u-admin' };
    await fetch(`${server.base}/admin/act-as-logged/u-victim`, { method: 'POST', headers });
    const entries = await server.waitForEvents(2);

    // Assess: swapping silently would record the victim as the actor of the request.
    const [explicit, outcome] = entries;
    expect(explicit).toMatchObject({ action: 'IMPERSONATE', user_id: 'u-admin' });
    expect(outcome?.user_id).toBe('u-admin');
    expect(outcome?.details).toMatchObject({ acting_as: 'u-victim' });
  });

  it('records a self-deletion under the deleted user, with identity_at_finish null', async () => {
    // Prepare: the handler deletes the account and clears req.user (a logout does the same).
    server = await startServer({
      routes: (app) => {
        app.use(authenticate);
        app.delete('/me', (req, res) => {
          req.audit({ action: 'ACCOUNT_DELETED', resource: '/users/u-7', status: 'SUCCESS' });
          (req as WithUser).user = undefined;
          res.sendStatus(204);
        });
      },
    });

    // Act
    await fetch(`${server.base}/me`, {
      method: 'DELETE',
      headers: { authorization: 'Bearer u-7' },
    });
    const entries = await server.waitForEvents(2);

    // Assess: reading the user only at finish wrote "anonymous" for this request.
    const [explicit, outcome] = entries;
    expect(explicit).toMatchObject({ action: 'ACCOUNT_DELETED', user_id: 'u-7' });
    expect(outcome?.user_id).toBe('u-7');
    expect(outcome?.details).toMatchObject({ identity_at_finish: null });
  });
});
