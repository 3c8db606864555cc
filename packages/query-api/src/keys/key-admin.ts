import { randomBytes } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import type { KeyScope } from '../access/principal.js';
import { hashApiKey } from '../auth/api-key-store.js';
import { BadParameterError, NotFoundError } from '../errors/query-api-errors.js';
import { clickhouseTime, isoFromClickhouse } from './key-usage.js';
import { effectiveScopes } from './key-scopes.js';

/** A key as listings show it: never the secret, never its hash. */
export interface KeyInfo {
  keyId: string;
  /** The secret's first characters, to tell keys apart; '' for keys made before #18. */
  prefix: string;
  name: string;
  siteIds: string[];
  /** What the key may do (a key from before scopes shows LEGACY_KEY_SCOPES and `legacy: true`). */
  scopes: KeyScope[];
  legacy: boolean;
  createdAt: string;
  createdBy: string;
  /** ISO 8601, accurate to a minute; null: never used since #18. */
  lastUsedAt: string | null;
  revoked: boolean;
}

/** A new or rotated key: the secret is in this answer and nowhere else, ever. */
export interface CreatedKey extends KeyInfo {
  secret: string;
}

export interface NewKeySpec {
  siteIds: string[];
  scopes: KeyScope[];
  name?: string;
  /** Who creates it (describePrincipal, or `cli`). */
  createdBy: string;
}

/**
 * Managing secret API keys (issue #18). The query API's /api/v1/admin/keys routes and the `spoor keys` CLI both speak
 * this; the ClickHouse implementation below talks to the store, and a client of the running server's admin API can
 * implement the same interface over HTTP.
 */
export interface KeyAdmin {
  create(spec: NewKeySpec): Promise<CreatedKey>;
  /** Keys of `site` (every key when absent), newest first; revoked ones only when asked. */
  list(filter?: { site?: string; includeRevoked?: boolean }): Promise<KeyInfo[]>;
  get(keyId: string): Promise<KeyInfo | undefined>;
  /** Stops the key at once in this process (and within the key cache's TTL elsewhere). */
  revoke(keyId: string): Promise<KeyInfo>;
  /** A new secret for the same key id, sites and scopes; the old secret stops at once. */
  rotate(keyId: string): Promise<CreatedKey>;
}

export interface ClickHouseKeyAdminOptions {
  client: ClickHouseClient;
  database: string;
  /** Called after a key changes (revoked, rotated): the key caches forget it (ApiKeyStore.forget). */
  onChange?: (keyId: string) => void;
  now?: () => Date;
}

interface KeyRow {
  key_id: string;
  key_sha256: string;
  key_prefix: string;
  name: string;
  site_ids: string[];
  scopes: string[];
  created_at: string;
  created_by: string;
  revoked: boolean | number;
  last_used: string | null;
}

const SELECT_KEYS = `
SELECT k.key_id AS key_id, k.key_sha256 AS key_sha256, k.key_prefix AS key_prefix, k.name AS name, k.site_ids AS site_ids,
       k.scopes AS scopes, toString(k.created_at) AS created_text, k.created_by AS created_by, k.revoked AS revoked,
       if(u.last_used = toDateTime64(0, 3, 'UTC'), NULL, toString(u.last_used)) AS last_used_text
FROM (SELECT * FROM {db:Identifier}.api_keys FINAL) AS k
LEFT JOIN (SELECT key_id, max(used_at) AS last_used FROM {db:Identifier}.api_key_usage GROUP BY key_id) AS u ON u.key_id = k.key_id`;

const LIST_SQL = `${SELECT_KEYS}
WHERE ({site:String} = '' OR has(k.site_ids, {site:String})) AND ({all:Bool} OR NOT k.revoked)
ORDER BY k.created_at DESC, k.key_id
LIMIT 10000`;

const GET_SQL = `${SELECT_KEYS}
WHERE k.key_id = {key:String}`;

/** `sk_` and 32 url-safe characters (24 random bytes), as `spoor keys create` always made them. */
export const newSecret = () => `sk_${randomBytes(24).toString('base64url')}`;
export const newKeyId = () => `key_${randomBytes(6).toString('hex')}`;
const PREFIX_LENGTH = 10;

export function createClickHouseKeyAdmin({ client, database, onChange = () => undefined, now = () => new Date() }: ClickHouseKeyAdminOptions): KeyAdmin {
  const rows = async (query: string, params: Record<string, unknown>): Promise<KeyRow[]> => {
    const result = await client.query({ query, query_params: { ...params, db: database }, format: 'JSONEachRow' });
    return (await result.json<Omit<KeyRow, 'created_at' | 'last_used'> & { created_text: string; last_used_text: string | null }>()).map(
      ({ created_text, last_used_text, ...row }) => ({ ...row, created_at: created_text, last_used: last_used_text }),
    );
  };
  const read = async (keyId: string) => (await rows(GET_SQL, { key: keyId }))[0];
  const write = async (row: Omit<KeyRow, 'last_used'>, updatedAt: Date) => {
    await client.insert({
      table: `${database}.api_keys`,
      format: 'JSONEachRow',
      values: [{ ...row, revoked: Boolean(row.revoked), updated_at: clickhouseTime(updatedAt) }],
    });
  };
  const mustRead = async (keyId: string) => {
    const row = await read(keyId);
    if (!row) throw new NotFoundError(`no API key "${keyId}"`);
    return row;
  };
  return {
    async create({ siteIds, scopes, name, createdBy }) {
      if (siteIds.length === 0) throw new BadParameterError('site', 'a key needs at least one site');
      if (scopes.length === 0) throw new BadParameterError('scopes', 'a key needs at least one scope');
      const secret = newSecret();
      const at = now();
      const row = {
        key_id: newKeyId(),
        key_sha256: hashApiKey(secret),
        key_prefix: secret.slice(0, PREFIX_LENGTH),
        name: name ?? `key ${at.toISOString()}`,
        site_ids: siteIds,
        scopes,
        created_at: clickhouseTime(at),
        created_by: createdBy,
        revoked: false,
      };
      await write(row, at);
      return { ...info({ ...row, last_used: null }), secret };
    },
    async list({ site, includeRevoked = false } = {}) {
      return (await rows(LIST_SQL, { site: site ?? '', all: includeRevoked })).map(info);
    },
    async get(keyId) {
      const row = await read(keyId);
      return row && info(row);
    },
    async revoke(keyId) {
      const row = await mustRead(keyId);
      if (!row.revoked) {
        const { last_used: _, ...stored } = row;
        await write({ ...stored, revoked: true }, now());
        onChange(keyId);
      }
      return info({ ...row, revoked: true });
    },
    async rotate(keyId) {
      const row = await mustRead(keyId);
      if (row.revoked) throw new BadParameterError('id', `API key "${keyId}" is revoked; create a new one`);
      const secret = newSecret();
      const { last_used, ...stored } = row;
      await write({ ...stored, key_sha256: hashApiKey(secret), key_prefix: secret.slice(0, PREFIX_LENGTH) }, now());
      onChange(keyId);
      return { ...info({ ...row, key_prefix: secret.slice(0, PREFIX_LENGTH), last_used }), secret };
    },
  };
}

function info(row: KeyRow): KeyInfo {
  return {
    keyId: row.key_id,
    prefix: row.key_prefix,
    name: row.name,
    siteIds: row.site_ids,
    scopes: effectiveScopes(row.scopes),
    legacy: row.scopes.length === 0,
    createdAt: isoFromClickhouse(row.created_at),
    createdBy: row.created_by,
    lastUsedAt: row.last_used ? isoFromClickhouse(row.last_used) : null,
    revoked: Boolean(row.revoked),
  };
}
