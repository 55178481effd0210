import { randomBytes, type ScryptOptions, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';

/** Roles the example knows: only `admin` may delete orders. */
export type Role = 'customer' | 'admin';

/** What the rest of the app sees of a user: never the hash. */
export interface User {
  readonly id: string;
  readonly username: string;
  readonly role: Role;
  /** The user must send a one-time code with the password (`details.mfa_used`). */
  readonly mfa: boolean;
}

/** A user to seed the store with. Plaintext secrets exist only in this demo seed. */
export interface SeedUser extends User {
  readonly password: string;
  /** The demo's fixed one-time code for an MFA user; a real service checks a TOTP. */
  readonly otp?: string;
}

/** Why a login failed: goes to `details.reason`, never the submitted secret. */
export type LoginFailure =
  | 'unknown_user'
  | 'invalid_password'
  | 'mfa_required'
  | 'invalid_mfa_code';

/** The outcome of a credential check. */
export type LoginResult =
  | { readonly ok: true; readonly user: User; readonly mfaUsed: boolean }
  | { readonly ok: false; readonly user: User | undefined; readonly reason: LoginFailure };

/** A user store that checks credentials without ever keeping a plaintext secret. */
export interface UserStore {
  verify(username: string, password: string, otp: string | undefined): Promise<LoginResult>;
  byId(id: string): User | undefined;
}

/** scrypt output length in bytes (RFC 7914 leaves it to the caller; 32 is a 256-bit key). */
const KEY_LENGTH = 32;
/** Salt length in bytes: NIST SP 800-132 asks for at least 128 bits. */
const SALT_LENGTH = 16;
/**
 * scrypt cost as log2(N). 14 (N = 16,384, 16 MiB) is Node's default and the
 * RFC 7914 §2 figure for interactive logins; OWASP's Password Storage Cheat
 * Sheet asks 17 for production, which needs `maxmem` above Node's 32 MiB.
 */
export const DEFAULT_SCRYPT_COST = 14;

/** Options of {@link createUserStore}. */
export interface UserStoreOptions {
  /** scrypt cost as log2(N), 10–17. Tests lower it: the audit trail does not depend on it. @default 14 */
  readonly scryptCost?: number;
}

interface StoredUser {
  readonly user: User;
  readonly salt: Buffer;
  readonly hash: Buffer;
  readonly otpHash: Buffer | undefined;
}

function scryptOptions(cost: number): ScryptOptions {
  if (!Number.isInteger(cost) || cost < 10 || cost > 17) {
    throw new RangeError(`scryptCost must be an integer 10-17, got ${cost}`);
  }
  const N = 2 ** cost;
  // scrypt needs 128 * N * r bytes; leave headroom over Node's 32 MiB default.
  return { N, r: 8, p: 1, maxmem: 256 * N * 8 };
}

/**
 * Builds an in-memory user store. Passwords are hashed with scrypt and a
 * random salt at construction and compared with `timingSafeEqual`; an unknown
 * username still costs one scrypt, so response time does not reveal which
 * usernames exist.
 *
 * @example
 * ```ts
 * const users = createUserStore(DEMO_USERS);
 * const result = await users.verify('alice', 'wonderland-42', undefined);
 * if (result.ok) result.user.id; // 'u-100'
 * ```
 */
export function createUserStore(
  seed: readonly SeedUser[],
  options: UserStoreOptions = {},
): UserStore {
  const params = scryptOptions(options.scryptCost ?? DEFAULT_SCRYPT_COST);
  const derive = (secret: string, salt: Buffer): Promise<Buffer> =>
    new Promise((resolve, reject) => {
      scrypt(secret, salt, KEY_LENGTH, params, (error, key) =>
        error ? reject(error) : resolve(key),
      );
    });
  const hashOf = (secret: string, salt: Buffer): Buffer =>
    scryptSync(secret, salt, KEY_LENGTH, params);
  const byUsername = new Map<string, StoredUser>();
  const byId = new Map<string, User>();
  for (const s of seed) {
    const salt = randomBytes(SALT_LENGTH);
    const user: User = Object.freeze({
      id: s.id,
      username: s.username,
      role: s.role,
      mfa: s.mfa,
    });
    byUsername.set(s.username, {
      user,
      salt,
      hash: hashOf(s.password, salt),
      otpHash: s.mfa && s.otp !== undefined ? hashOf(s.otp, salt) : undefined,
    });
    byId.set(s.id, user);
  }
  const decoySalt = randomBytes(SALT_LENGTH);
  const decoyHash = hashOf(randomBytes(KEY_LENGTH).toString('hex'), decoySalt);

  return {
    async verify(username, password, otp) {
      const stored = byUsername.get(username);
      const candidate = await derive(password, stored?.salt ?? decoySalt);
      const matches = timingSafeEqual(candidate, stored?.hash ?? decoyHash);
      if (stored === undefined) return { ok: false, user: undefined, reason: 'unknown_user' };
      if (!matches) return { ok: false, user: stored.user, reason: 'invalid_password' };
      if (!stored.user.mfa) return { ok: true, user: stored.user, mfaUsed: false };
      if (otp === undefined || stored.otpHash === undefined) {
        return { ok: false, user: stored.user, reason: 'mfa_required' };
      }
      const code = await derive(otp, stored.salt);
      return timingSafeEqual(code, stored.otpHash)
        ? { ok: true, user: stored.user, mfaUsed: true }
        : { ok: false, user: stored.user, reason: 'invalid_mfa_code' };
    },
    byId(id) {
      return byId.get(id);
    },
  };
}
