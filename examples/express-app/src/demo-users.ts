import type { SeedUser } from './users.js';

/**
 * The demo's users. The secrets are here only so the traffic script and the
 * README's curl examples can log in; the store keeps scrypt hashes.
 *
 * @example
 * ```ts
 * const users = createUserStore(DEMO_USERS);
 * ```
 */
export const DEMO_USERS: readonly SeedUser[] = Object.freeze([
  {
    id: 'u-100',
    username: 'alice',
    role: 'customer',
    mfa: false,
    password: 'wonderland-42',
  },
  {
    id: 'u-200',
    username: 'bob',
    role: 'customer',
    mfa: false,
    password: 'builder-1998',
  },
  {
    id: 'u-900',
    username: 'carol',
    role: 'admin',
    mfa: true,
    password: 'admin-s3cret-pass',
    otp: '424242',
  },
]);
