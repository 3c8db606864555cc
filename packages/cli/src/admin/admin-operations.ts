import { openStore } from '@spoor/infra';
import {
  ADMIN_TOKEN_PREFIX,
  createLinkKey,
  createNewSite,
  issueSiteKey,
  listSites,
  readSite,
  updateSite,
  type CreateSiteBody,
  type SiteSettingsPatch,
  type SiteView,
} from '@spoor/query-api';
import { normaliseClickHouseConfig } from '@spoor/infra';
import type { SpoorConfig } from '../config/spoor-settings.js';
import type { AdminFile } from './admin-file.js';
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
  issueKey(site: string): Promise<{ apiKey: string; apiKeyId: string }>;
  rotateLinkKey(site: string): Promise<{ keyId: string; createdAt: string }>;
  migrate(): Promise<{ applied: string[] }>;
}

/** The server answered an error: its message (which names the field) is the line to show. */
export class AdminApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function httpAdminOperations(server: AdminFile): AdminOperations {
  // The answers' shapes are the admin API's (packages/query-api/src/admin); each caller names the one it reads.
  const call = async (method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> => {
    const res = await fetch(`${server.url}/api/v1/admin${path}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN_TOKEN_PREFIX}${server.token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: (await res.json().catch(() => ({}))) as unknown };
  };
  const expect = async <T,>(method: string, path: string, ok: number[], body?: unknown): Promise<{ status: number; body: T }> => {
    const res = await call(method, path, body);
    if (!ok.includes(res.status)) {
      const message = (res.body as { error?: { message?: string } } | null)?.error?.message;
      throw new AdminApiError(res.status, `the server at ${server.url} answered ${res.status}: ${message ?? 'no message'}`);
    }
    return res as { status: number; body: T };
  };
  return {
    where: `the server at ${server.url}`,
    listSites: async () => (await expect<{ sites: SiteView[] }>('GET', '/sites', [200])).body.sites,
    showSite: async (site) => {
      const res = await expect<SiteView>('GET', `/sites/${encodeURIComponent(site)}`, [200, 404]);
      return res.status === 200 ? res.body : undefined;
    },
    createSite: async (body) => {
      const res = await expect<{ site: SiteView; api_key: string; api_key_id: string }>('POST', '/sites', [201, 409], body);
      return res.status === 201 ? { site: res.body.site, apiKey: res.body.api_key, apiKeyId: res.body.api_key_id } : undefined;
    },
    updateSite: async (site, patch) => {
      const res = await expect<SiteView>('PATCH', `/sites/${encodeURIComponent(site)}`, [200, 404], patch);
      return res.status === 200 ? res.body : undefined;
    },
    issueKey: async (site) => {
      const res = await expect<{ api_key: string; api_key_id: string }>('POST', `/sites/${encodeURIComponent(site)}/keys`, [201]);
      return { apiKey: res.body.api_key, apiKeyId: res.body.api_key_id };
    },
    rotateLinkKey: async (site) => {
      const res = await expect<{ key_id: string; created_at: string }>('POST', `/sites/${encodeURIComponent(site)}/link-key/rotate`, [201]);
      return { keyId: res.body.key_id, createdAt: res.body.created_at };
    },
    migrate: async () => ({ applied: (await expect<{ applied: string[] }>('POST', '/migrate', [200])).body.applied }),
  };
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
          issueKey: (site) => issueSiteKey(client, config.database, site),
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
