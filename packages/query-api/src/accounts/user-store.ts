import type { SiteRole } from '../access/principal.js';

/**
 * The users port: people who sign in, the instance owner among them, and each one's role per site. ClickHouse in a
 * deployment (clickhouse-user-store.ts, tables from migration 0420_users.sql), memory in unit tests
 * (memory-user-store.ts); both pass user-store.contract.ts.
 */
export interface User {
  id: string;
  /** Normalised (user-fields.ts normaliseEmail): unique across users. */
  email: string;
  displayName: string;
  /** scrypt hash (password-hash.ts); '' until the user sets a password through a set-up link. */
  passwordHash: string;
  /** The instance owner: every site, everything. Exactly one, created at first start (ensure-first-owner.ts). */
  owner: boolean;
  disabled: boolean;
  /** Bumped when the password changes: sessions made under an older generation stop working (session-store.ts). */
  credentialGeneration: number;
  /** SHA-256 (hex) of the user's one pending set-up token, '' when none. */
  setupTokenHash: string;
  /** When that token stops working; epoch ms, 0 when none. */
  setupTokenExpiresAt: number;
  createdAt: Date;
  /** Row version: every write stores a higher one; the highest wins (ReplacingMergeTree). */
  version: number;
}

export interface NewUser {
  email: string;
  displayName: string;
  owner?: boolean;
}

/** What an update may change; the id, email, owner flag and creation time never change. */
export type UserPatch = Partial<Pick<User, 'displayName' | 'passwordHash' | 'disabled' | 'credentialGeneration' | 'setupTokenHash' | 'setupTokenExpiresAt'>>;

export interface UserStore {
  /** Throws EmailTakenError when the (normalised) email is taken. */
  create(user: NewUser): Promise<User>;
  findById(id: string): Promise<User | undefined>;
  findByEmail(normalisedEmail: string): Promise<User | undefined>;
  findBySetupTokenHash(sha256Hex: string): Promise<User | undefined>;
  /** Every user, oldest first. */
  list(): Promise<User[]>;
  count(): Promise<number>;
  /** Returns the user as stored after the change; undefined when there is no such user. */
  update(id: string, patch: UserPatch): Promise<User | undefined>;
  /** Site id → role. */
  rolesOf(userId: string): Promise<Record<string, SiteRole>>;
  /** Every user's roles: user id → site id → role (for listings). */
  allRoles(): Promise<Map<string, Record<string, SiteRole>>>;
  /** Sets or (null) removes the user's role on each site named; other sites are left alone. */
  setRoles(userId: string, roles: Record<string, SiteRole | null>): Promise<void>;
}

/** A row version higher than `previous` and than any this process handed out: time-based so two writers roughly agree on "last". */
export function createVersionClock(now: () => number = Date.now): (previous?: number) => number {
  let last = 0;
  return (previous = 0) => {
    last = Math.max(last + 1, previous + 1, now());
    return last;
  };
}
