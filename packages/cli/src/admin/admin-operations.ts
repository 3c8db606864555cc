import { openStore } from '@spoor/infra';
import {
  ADMIN_TOKEN_PREFIX,
  createClickHouseKeyAdmin,
  createLinkKey,
  createNewSite,
  issueSiteKey,
  LEGACY_KEY_SCOPES,
  listSites,
  readSite,
  updateSite,
  type CreateSiteBody,
  type KeyAdmin,
  type SiteSettingsPatch,
  type SiteView,
} from '@spoor/query-api';
import { normaliseClickHouseConfig } from '@spoor/infra';
import type { SpoorConfig } from '../config/spoor-settings.js';
import type { AdminFile } from './admin-file.js';
import { AdminApiError } from './admin-api-call.js';
import { httpKeyAdmin } from './http-key-admin.js';
import { withAdminTarget, type AdminTargetHandlers } from './admin-target.js';

/**
 * What the administrative commands do, whichever way they reach Spoor: the admin API of the running server, or the
 * store (the same site-store functions that API runs). Commands are written once against this.
 */
export interface AdminOperations {
  /** For messages: "the server at http://…" or "chDB at …". */
  readonly where: string;
  listSites(): Promise<SiteView[]>;
  showSite(site: string): Promise<SiteView | undefined>;
  /** undefined: the site exists already. */
  createSite(body: CreateSiteBody): Promise<{ site: SiteView; apiKey: string; apiKeyId: string } | undefined>;
  /** undefined: no such site. */
  updateSite(site: string, patch: SiteSettingsPatch): Promise<SiteView | undefined>;
  /** One more secret key for the site, with the legacy scopes (what `spoor keys create` always gave). */
  issueKey(site: string): Promise<{ apiKey: string; apiKeyId: string }>;
  rotateLinkKey(site: string): Promise<{ keyId: string; createdAt: string }>;
  migrate(): Promise<{ applied: string[] }>;
}

export { AdminApiError } from './admin-api-call.js';

interface NewKeyBody {
  api_key: string;
  api_key_id: string;
}

export function httpAdminOperations(server: AdminFile): AdminOperations {
  /** One admin API call; a status outside `ok` is an AdminApiError carrying the server's message (it names the field). */
  const call = async <T>(method: string, path: string, ok: number[], body?: unknown): Promise<{ status: number; body: T }> => {
    const res = await fetch(`${server.url}/api/v1/admin${path}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN_TOKEN_PREFIX}${server.token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const answer: unknown = await res.json().catch(() => ({}));
    if (!ok.includes(res.status)) {
      const message = (answer as { error?: { message?: string } }).error?.message ?? 'no message';
      throw new AdminApiError(res.status, `the server at ${server.url} answered ${res.status}: ${message}`);
    }
    return { status: res.status, body: answer as T };
  };
  const site = (id: string) => `/sites/${encodeURIComponent(id)}`;
  return {
    where: `the server at ${server.url}`,
    listSites: async () => (await call<{ sites: SiteView[] }>('GET', '/sites', [200])).body.sites,
    showSite: async (id) => {
      const res = await call<SiteView>('GET', site(id), [200, 404]);
      return res.status === 200 ? res.body : undefined;
    },
    createSite: async (body) => {
      const res = await call<NewKeyBody & { site: SiteView }>('POST', '/sites', [201, 409], body);
      return res.status === 201 ? { site: res.body.site, apiKey: res.body.api_key, apiKeyId: res.body.api_key_id } : undefined;
    },
    updateSite: async (id, patch) => {
      const res = await call<SiteView>('PATCH', site(id), [200, 404], patch);
      return res.status === 200 ? res.body : undefined;
    },
    issueKey: (id) => issueLegacyScopedKey(httpKeyAdmin(server), id),
    rotateLinkKey: async (id) => {
      const { body } = await call<{ key_id: string; created_at: string }>('POST', `${site(id)}/link-key/rotate`, [201]);
      return { keyId: body.key_id, createdAt: body.created_at };
    },
    migrate: async () => ({ applied: (await call<{ applied: string[] }>('POST', '/migrate', [200])).body.applied }),
  };
}

/** Keys are issued one way, KeyAdmin.create (POST /api/v1/admin/keys through the server), whichever target. */
async function issueLegacyScopedKey(keys: KeyAdmin, site: string): Promise<{ apiKey: string; apiKeyId: string }> {
  const key = await keys.create({ siteIds: [site], scopes: [...LEGACY_KEY_SCOPES], createdBy: 'cli' });
  return { apiKey: key.secret, apiKeyId: key.keyId };
}

/**
 * Runs `op` against the server that owns SPOOR_DATA_DIR, or the store opened directly (migrated, as every store
 * command does; `spoor migrate` also brings the retention to SPOOR_RETENTION_DAYS).
 */
export function withAdmin<T>(env: SpoorConfig, op: (admin: AdminOperations) => Promise<T>, options: { applyRetention?: boolean } = {}): Promise<T> {
  return withAdminTarget(env.SPOOR_DATA_DIR, storeHandlers(env, op, options), { embeddedStore: embeddedStorePath(env) });
}

/** Where chDB keeps the store of this environment; undefined when the store is a ClickHouse server. */
export function embeddedStorePath(env: SpoorConfig): string | undefined {
  const config = normaliseClickHouseConfig({ url: env.CLICKHOUSE_URL, dataDir: env.SPOOR_DATA_DIR, database: env.CLICKHOUSE_DATABASE, cluster: env.CLICKHOUSE_CLUSTER });
  return config.kind === 'embedded' ? config.path : undefined;
}

function storeHandlers<T>(env: SpoorConfig, op: (admin: AdminOperations) => Promise<T>, options: { applyRetention?: boolean }): AdminTargetHandlers<T> {
  return {
    viaServer: (server) => op(httpAdminOperations(server)),
    viaStore: async () => {
      const { client, clickhouse: config } = await openStore(env, { migrate: true, ...options });
      const store = { client, database: config.database, cluster: config.kind === 'server' ? config.cluster : undefined };
      try {
        return await op({
          where: config.kind === 'server' ? 'the ClickHouse server' : `chDB at ${config.path}`,
          listSites: () => listSites(client, config.database),
          showSite: (site) => readSite(client, config.database, site),
          createSite: async (body) => {
            const site = await createNewSite(store, body);
            if (!site) return undefined;
            return { site, ...(await issueSiteKey(client, config.database, body.site)) };
          },
          updateSite: (site, patch) => updateSite(store, site, patch),
          issueKey: (site) => issueLegacyScopedKey(createClickHouseKeyAdmin({ client, database: config.database }), site),
          rotateLinkKey: (site) => createLinkKey(client, config.database, site),
          // openClickHouse migrated already: nothing is left to apply.
          migrate: async () => ({ applied: [] }),
        });
      } finally {
        await client.close();
      }
    },
  };
}
