import { ADMIN_TOKEN_PREFIX, type SetupLinkView, type UserAdmin, type UserView } from '@spoor/query-api';
import type { AdminFile } from './admin-file.js';
import { AdminApiError } from './admin-operations.js';

/**
 * UserAdmin over the running server's /api/v1/admin/users with the local admin token (the same checks and audit as
 * the store implementation, run by the server that owns the store).
 */
export function httpUserAdmin(server: AdminFile): UserAdmin {
  const call = async (method: string, path: string, ok: number[], body?: unknown) => {
    const res = await fetch(`${server.url}/api/v1/admin/users${path}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN_TOKEN_PREFIX}${server.token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const answer = (await res.json().catch(() => ({}))) as any;
    // The server's message names the field (`email: …`), as the store implementation's would.
    if (!ok.includes(res.status)) throw new AdminApiError(res.status, answer?.error?.message ?? `the server at ${server.url} answered ${res.status}`);
    return answer;
  };
  const list = async (): Promise<UserView[]> => (await call('GET', '', [200])).users;
  return {
    list,
    async get(id) {
      const user = (await list()).find((u) => u.id === id);
      if (!user) throw new AdminApiError(404, `id: no user ${JSON.stringify(id)}`);
      return user;
    },
    create: (input) => call('POST', '', [201], input),
    update: (id, patch) => call('PATCH', `/${encodeURIComponent(id)}`, [200], patch),
    createSetupLink: (id): Promise<SetupLinkView> => call('POST', `/${encodeURIComponent(id)}/setup-link`, [201]),
  };
}
