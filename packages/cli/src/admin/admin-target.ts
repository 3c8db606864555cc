import { resolve } from 'node:path';
import { ADMIN_TOKEN_PREFIX } from '@spoor/query-api';
import { readAdminFile, type AdminFile } from './admin-file.js';
import { storeHolder } from './store-lock.js';

/** A command that can reach neither the server nor the store: its message is the one line the user sees. */
export class AdminTargetError extends Error {}

export interface AdminTargetHandlers<T> {
  /** A server owns the data dir and answers: administer through its admin API with the local admin token. */
  viaServer(server: AdminFile): Promise<T>;
  /** No server answers: open the store directly (chDB refuses while another process holds the data dir). */
  viaStore(): Promise<T>;
}

export interface AdminTargetOptions {
  /** The embedded store's directory (chDB); absent when the store is a ClickHouse server, which any process may use. */
  embeddedStore?: string | undefined;
  /** Whether the server of an admin.json answers with its token; the default asks its admin API. */
  answers?: (server: AdminFile) => Promise<boolean>;
}

/** How long a server that owns the data dir gets to answer before the CLI decides it does not. */
const PROBE_TIMEOUT_MS = 15_000;

/**
 * Asks the admin API with the token (a stale admin.json whose port another program took answers 401 or not at all:
 * either way not our server).
 */
export async function adminServerAnswers(server: AdminFile): Promise<boolean> {
  try {
    const res = await fetch(`${server.url}/api/v1/admin/sites`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN_PREFIX}${server.token}` },
      signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
    });
    await res.body?.cancel();
    return res.ok;
  } catch {
    return false;
  }
}

/**
 * chDB's refusal of a data dir another process holds: it prints "Cannot lock file …/clickhouse/status" itself and
 * throws "Failed to create connection for path …" (the race where the holder started after storeHolder looked).
 */
export const isStoreLockError = (err: unknown): boolean => /cannot lock file|failed to create connection for path/i.test(err instanceof Error ? err.message : String(err));

/**
 * Where an administrative command acts: the running server that owns `dataDir` when its admin.json names one that
 * answers, else the store directly. A stale admin.json (server killed) is no obstacle when the data dir is free —
 * nothing else writes the store then, so using it directly is safe. When the store is held and nobody answers, the
 * command fails with one line saying which.
 */
export async function withAdminTarget<T>(dataDir: string, handlers: AdminTargetHandlers<T>, options: AdminTargetOptions = {}): Promise<T> {
  const server = readAdminFile(dataDir);
  if (server && (await (options.answers ?? adminServerAnswers)(server))) return handlers.viaServer(server);
  const held = () => {
    const dir = resolve(dataDir);
    return new AdminTargetError(
      server
        ? `${dir} is used by a running server that does not answer at ${server.url}; wait until it answers (or stop it) and run the command again`
        : `${dir} is used by another process that offers no admin API (a server without the query-api role, or an older Spoor); stop it, or run the command on the machine of a server with the query API`,
    );
  };
  if (options.embeddedStore !== undefined && storeHolder(options.embeddedStore) !== undefined) throw held();
  try {
    return await handlers.viaStore();
  } catch (err) {
    throw isStoreLockError(err) ? held() : err;
  }
}
