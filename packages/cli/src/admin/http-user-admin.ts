import { NotFoundError, type UserAdmin, type UserView, type SetupLinkView } from '@spoor/query-api';
import type { AdminFile } from './admin-file.js';
import { callAdminApi } from './admin-api-call.js';

/**
 * UserAdmin over the running server's /api/v1/admin/users, as the local admin: `spoor users` while `spoor start`
 * runs. The server's refusals come back as the same typed errors the store implementation throws, so the command
 * reports them the same way (one line naming the field).
 */
export function httpUserAdmin(server: AdminFile): UserAdmin {
  const call = <T>(method: string, path: string, body?: unknown) => callAdminApi<T>(server, method, `/users${path}`, body);
  const list = async () => (await call<{ users: UserView[] }>('GET', '')).users;
  return {
    list,
    get: async (id) => {
      const user = (await list()).find((u) => u.id === id);
      if (!user) throw new NotFoundError(`no user ${JSON.stringify(id)}`);
      return user;
    },
    create: (input) => call<UserView>('POST', '', input),
    update: (id, patch) => call<UserView>('PATCH', `/${encodeURIComponent(id)}`, patch),
    createSetupLink: (id) => call<SetupLinkView>('POST', `/${encodeURIComponent(id)}/setup-link`),
  };
}
