import { NotFoundError, type CreatedKey, type KeyAdmin, type KeyInfo } from '@spoor/query-api';
import type { AdminFile } from './admin-file.js';
import { callAdminApi } from './admin-api-call.js';

/**
 * KeyAdmin over the running server's /api/v1/admin/keys, as the local admin: `spoor keys create --scopes / list /
 * revoke / rotate` while `spoor start` runs. The server's caches forget a revoked or rotated key at once, which the
 * store implementation (run by a CLI process) could not make them do.
 */
export function httpKeyAdmin(server: AdminFile): KeyAdmin {
  const call = <T>(method: string, path: string, body?: unknown) => callAdminApi<T>(server, method, `/keys${path}`, body);
  const listSite = async (site: string, includeRevoked: boolean) =>
    (await call<{ keys: KeyInfo[] }>('GET', `?site=${encodeURIComponent(site)}&include_revoked=${includeRevoked}`)).keys;
  const sites = async () => (await callAdminApi<{ sites: { site: string }[] }>(server, 'GET', '/sites')).sites.map((s) => s.site);
  /** The API lists per site; every key is found under each of its sites, so one copy per key id. */
  const listAll = async (includeRevoked: boolean) => {
    const byId = new Map<string, KeyInfo>();
    for (const site of await sites()) for (const key of await listSite(site, includeRevoked)) byId.set(key.keyId, key);
    return [...byId.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.keyId.localeCompare(b.keyId));
  };
  const get = async (keyId: string) => (await listAll(true)).find((k) => k.keyId === keyId);
  /** Revoke and rotate name a site the key belongs to (the API checks the caller administers every site of the key). */
  const siteOf = async (keyId: string) => {
    const key = await get(keyId);
    if (!key || key.siteIds.length === 0) throw new NotFoundError(`no API key "${keyId}"`);
    return key.siteIds[0]!;
  };
  return {
    create: ({ siteIds, scopes, name }) => {
      if (siteIds.length !== 1) throw new Error(`the admin API makes a key for one site, not ${siteIds.length}`);
      return call<CreatedKey>('POST', '', { site: siteIds[0], scopes, ...(name ? { name } : {}) });
    },
    list: async ({ site, includeRevoked = false } = {}) => (site !== undefined ? listSite(site, includeRevoked) : listAll(includeRevoked)),
    get,
    revoke: async (keyId) => call<KeyInfo>('DELETE', `/${encodeURIComponent(keyId)}?site=${encodeURIComponent(await siteOf(keyId))}`),
    rotate: async (keyId) => call<CreatedKey>('POST', `/${encodeURIComponent(keyId)}/rotate`, { site: await siteOf(keyId) }),
  };
}
