import { ADMIN_TOKEN_PREFIX, BadParameterError, ConflictError, ForbiddenError, NotFoundError, type UserAdmin, type UserView, type SetupLinkView } from '@spoor/query-api';
import type { AdminFile } from './admin-file.js';
import { AdminApiError } from './admin-operations.js';

/**
 * UserAdmin over the running server's /api/v1/admin/users, as the local admin: `spoor users` while `spoor start`
 * runs. The server's refusals come back as the same typed errors the store implementation throws, so the command
 * reports them the same way (one line naming the field).
 */
export function httpUserAdmin(server: AdminFile): UserAdmin {
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${server.url}/api/v1/admin/users${path}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN_TOKEN_PREFIX}${server.token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const answer: unknown = await res.json().catch(() => ({}));
    if (res.ok) return answer as T;
    const error = (answer as { error?: { message?: string; parameter?: string } }).error ?? {};
    const message = error.message ?? `the server at ${server.url} answered ${res.status}`;
    if (res.status === 400) {
      const parameter = error.parameter ?? 'body';
      throw new BadParameterError(parameter, message.startsWith(`${parameter}: `) ? message.slice(parameter.length + 2) : message);
    }
    if (res.status === 404) throw new NotFoundError(message);
    if (res.status === 403) throw new ForbiddenError(message);
    if (res.status === 409) throw new ConflictError(message);
    throw new AdminApiError(res.status, `the server at ${server.url} answered ${res.status}: ${message}`);
  };
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
