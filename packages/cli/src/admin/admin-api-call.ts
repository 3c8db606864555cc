import { ADMIN_TOKEN_PREFIX, BadParameterError, ConflictError, ForbiddenError, NotFoundError } from '@spoor/query-api';
import type { AdminFile } from './admin-file.js';

/** The server answered an error: its message (which names the field) is the line to show. */
export class AdminApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * One call to the running server's admin API as the local admin. The server's refusals come back as the typed errors
 * the store implementations throw (400 BadParameterError naming the field, 404, 403, 409), so a command reports them
 * the same way whichever target it reached; anything else is an AdminApiError.
 */
export async function callAdminApi<T>(server: AdminFile, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${server.url}/api/v1/admin${path}`, {
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
}
