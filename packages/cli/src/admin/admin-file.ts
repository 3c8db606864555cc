import { chmodSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { adminTokenAuthenticator, newAdminToken, type Authenticator } from '@spoor/query-api';

/**
 * `<SPOOR_DATA_DIR>/admin.json`: how the `spoor` CLI finds the server that owns a data dir and proves it may administer
 * it. Written (0600, in the 0700 data dir) once the server listens, with a token fresh for every start; removed at a
 * clean shutdown. Reading it is the credential, so it is the owner's only — like the data itself.
 */
export const ADMIN_FILE = 'admin.json';

export interface AdminFile {
  /** Where the server answers, as seen from this machine (a loopback address when it listens on every interface). */
  url: string;
  token: string;
}

export interface LocalAdmin {
  token: string;
  /** For createQueryApi's `authenticators`: requests bearing this start's token act as the local admin. */
  authenticator: Authenticator;
}

/** A token for this start, and the authenticator that accepts it. */
export function createLocalAdmin(): LocalAdmin {
  const token = newAdminToken();
  return { token, authenticator: adminTokenAuthenticator(token) };
}

export function adminFilePath(dataDir: string): string {
  return join(resolve(dataDir), ADMIN_FILE);
}

/** The data dir's admin.json, or undefined when there is none (or it is not one: a half-written file counts as none). */
export function readAdminFile(dataDir: string): AdminFile | undefined {
  let text: string;
  try {
    text = readFileSync(adminFilePath(dataDir), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed = JSON.parse(text) as Partial<AdminFile>;
    return typeof parsed.url === 'string' && typeof parsed.token === 'string' ? { url: parsed.url, token: parsed.token } : undefined;
  } catch {
    return undefined;
  }
}

/** The URL a local client reaches a server listening on `host`:`port` at. */
export function localUrl(host: string, port: number): string {
  if (host === '' || host === '0.0.0.0') return `http://127.0.0.1:${port}`;
  if (host === '::') return `http://[::1]:${port}`;
  return host.includes(':') ? `http://[${host}]:${port}` : `http://${host}:${port}`;
}

/**
 * Called by the server once it listens (commands/serve-roles.ts): writes admin.json atomically (a reader never sees
 * half a file) and removes it when the process exits — but only while it is still this start's, so a late exit never
 * deletes the file of a server started after it. A killed process leaves it behind: the CLI then finds nobody
 * answering at its URL and uses the store when the data dir is free (cli/src/admin/admin-target.ts).
 */
export function publishAdminFile(dataDir: string, host: string, port: number, localAdmin: LocalAdmin | undefined): void {
  if (!localAdmin) return;
  const file = adminFilePath(dataDir);
  mkdirSync(resolve(dataDir), { recursive: true, mode: 0o700 });
  const temp = `${file}.${process.pid}.tmp`;
  const content: AdminFile = { url: localUrl(host, port), token: localAdmin.token };
  writeFileSync(temp, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
  chmodSync(temp, 0o600);
  renameSync(temp, file);
  process.once('exit', () => {
    if (readAdminFile(dataDir)?.token !== localAdmin.token) return;
    try {
      unlinkSync(file);
    } catch {
      // Gone already: nothing to clean up.
    }
  });
}
