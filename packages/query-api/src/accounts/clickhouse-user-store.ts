import { randomUUID } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import { SITE_ROLES, type SiteRole } from '../access/principal.js';
import { EmailTakenError } from './account-errors.js';
import { createVersionClock, type User, type UserStore } from './user-store.js';

/**
 * UserStore over the ClickHouse `users` and `user_site_roles` tables (infra/clickhouse/0420_users.sql): whole-row
 * inserts with a higher version, FINAL reads. Every statement is constant SQL with `{name:Type}` parameters.
 */
export interface ClickHouseUserStoreOptions {
  client: ClickHouseClient;
  database: string;
  now?: () => Date;
}

interface UserRow {
  user_id: string;
  email: string;
  display_name: string;
  password_hash: string;
  owner: boolean | number;
  disabled: boolean | number;
  credential_generation: number | string;
  setup_token_hash: string;
  setup_token_expires_at: number | string;
  created_at: string;
  version: number | string;
}

const USER_COLUMNS = 'user_id, email, display_name, password_hash, owner, disabled, credential_generation, setup_token_hash, setup_token_expires_at, created_at, version';
const SELECT_USERS = `SELECT ${USER_COLUMNS} FROM {db:Identifier}.users FINAL`;

export function createClickHouseUserStore({ client, database, now = () => new Date() }: ClickHouseUserStoreOptions): UserStore {
  const nextVersion = createVersionClock(() => now().getTime());
  // Emails are unique by looking before inserting: creations in this process go one at a time so two at once cannot both pass.
  let creating: Promise<unknown> = Promise.resolve();

  async function rows<T>(query: string, params: Record<string, unknown> = {}): Promise<T[]> {
    const result = await client.query({ query, query_params: { ...params, db: database }, format: 'JSONEachRow' });
    return result.json<T>();
  }
  async function findOne(where: string, params: Record<string, unknown>): Promise<User | undefined> {
    const found = await rows<UserRow>(`${SELECT_USERS} WHERE ${where} ORDER BY created_at LIMIT 1`, params);
    return found[0] ? fromRow(found[0]) : undefined;
  }
  async function write(user: User): Promise<void> {
    await client.insert({ table: `${database}.users`, format: 'JSONEachRow', values: [toRow(user)] });
  }

  const store: UserStore = {
    create(input) {
      const run = creating.then(async () => {
        if (await store.findByEmail(input.email)) throw new EmailTakenError();
        const user: User = {
          id: randomUUID(),
          email: input.email,
          displayName: input.displayName,
          passwordHash: '',
          owner: input.owner ?? false,
          disabled: false,
          credentialGeneration: 0,
          setupTokenHash: '',
          setupTokenExpiresAt: 0,
          createdAt: now(),
          version: nextVersion(),
        };
        await write(user);
        return user;
      });
      creating = run.catch(() => undefined);
      return run;
    },
    findById: (id) => findOne('user_id = {id:String}', { id }),
    findByEmail: (email) => findOne('email = {email:String}', { email }),
    findBySetupTokenHash: (hash) => (hash === '' ? Promise.resolve(undefined) : findOne('setup_token_hash = {hash:String}', { hash })),
    async list() {
      return (await rows<UserRow>(`${SELECT_USERS} ORDER BY created_at, user_id`)).map(fromRow);
    },
    async count() {
      const [row] = await rows<{ n: string | number }>('SELECT count() AS n FROM {db:Identifier}.users FINAL');
      return Number(row?.n ?? 0);
    },
    async update(id, patch) {
      const current = await store.findById(id);
      if (!current) return undefined;
      const next: User = { ...current, ...patch, version: nextVersion(current.version) };
      await write(next);
      return next;
    },
    async rolesOf(userId) {
      const found = await rows<{ site_id: string; role: string }>(
        'SELECT site_id, role FROM {db:Identifier}.user_site_roles FINAL WHERE user_id = {id:String} AND NOT removed ORDER BY site_id',
        { id: userId },
      );
      return Object.fromEntries(found.filter((r) => isRole(r.role)).map((r) => [r.site_id, r.role as SiteRole]));
    },
    async allRoles() {
      const found = await rows<{ user_id: string; site_id: string; role: string }>(
        'SELECT user_id, site_id, role FROM {db:Identifier}.user_site_roles FINAL WHERE NOT removed ORDER BY user_id, site_id',
      );
      const all = new Map<string, Record<string, SiteRole>>();
      for (const r of found) {
        if (!isRole(r.role)) continue;
        const mine = all.get(r.user_id) ?? {};
        mine[r.site_id] = r.role;
        all.set(r.user_id, mine);
      }
      return all;
    },
    async setRoles(userId, changes) {
      const entries = Object.entries(changes);
      if (entries.length === 0) return;
      const version = nextVersion();
      await client.insert({
        table: `${database}.user_site_roles`,
        format: 'JSONEachRow',
        values: entries.map(([site, role]) => ({ user_id: userId, site_id: site, role: role ?? '', removed: role === null, version })),
      });
    },
  };
  return store;
}

const isRole = (role: string): role is SiteRole => (SITE_ROLES as readonly string[]).includes(role);

function fromRow(r: UserRow): User {
  return {
    id: r.user_id,
    email: r.email,
    displayName: r.display_name,
    passwordHash: r.password_hash,
    owner: Boolean(r.owner),
    disabled: Boolean(r.disabled),
    credentialGeneration: Number(r.credential_generation),
    setupTokenHash: r.setup_token_hash,
    setupTokenExpiresAt: Number(r.setup_token_expires_at),
    createdAt: new Date(`${r.created_at.replace(' ', 'T')}Z`),
    version: Number(r.version),
  };
}

function toRow(u: User) {
  return {
    user_id: u.id,
    email: u.email,
    display_name: u.displayName,
    password_hash: u.passwordHash,
    owner: u.owner,
    disabled: u.disabled,
    credential_generation: u.credentialGeneration,
    setup_token_hash: u.setupTokenHash,
    setup_token_expires_at: u.setupTokenExpiresAt,
    // DateTime64(3) from JSON: ClickHouse reads 'YYYY-MM-DD hh:mm:ss.sss' (UTC, the column's zone).
    created_at: u.createdAt.toISOString().replace('T', ' ').replace('Z', ''),
    version: u.version,
  };
}
