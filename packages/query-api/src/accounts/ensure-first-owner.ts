import { createStoreUserAdmin } from './user-admin.js';
import { normaliseEmail } from './user-fields.js';
import type { UserStore } from './user-store.js';
import type { AuditLog } from '../audit/audit-log.js';

export interface EnsureFirstOwnerOptions {
  userStore: UserStore;
  /** Default `owner@localhost`. */
  email?: string;
  /** Where the one-time set-up link goes (the start-up banner, like the demo keys). */
  print: (line: string) => void;
  /** Prefixed to the link, e.g. http://localhost:8080. */
  publicUrl?: string;
  audit?: AuditLog;
  now?: () => Date;
}

export const DEFAULT_OWNER_EMAIL = 'owner@localhost';

/**
 * Called at server start: when no user exists, creates the instance owner and prints a one-time set-up link once.
 * Later starts print nothing (a lost link: `spoor users setup-link --email …`). Returns the owner's id when it made one.
 */
export async function ensureFirstOwner({ userStore, email = DEFAULT_OWNER_EMAIL, print, publicUrl, audit, now }: EnsureFirstOwnerOptions): Promise<string | undefined> {
  if ((await userStore.count()) > 0) return undefined;
  const owner = await userStore.create({ email: normaliseEmail(email, 'owner email'), displayName: 'Owner', owner: true });
  const admin = createStoreUserAdmin({
    userStore,
    actor: { kind: 'local-admin' },
    address: 'server-start',
    ...(audit ? { audit } : {}),
    ...(now ? { now } : {}),
    ...(publicUrl !== undefined ? { publicUrl } : {}),
  });
  const link = await admin.createSetupLink(owner.id);
  print(`[spoor] created the instance owner ${owner.email}; set its password within 72 hours (shown once):`);
  print(`[spoor]   ${link.link}`);
  print(`[spoor]   or: curl -X POST ${publicUrl ?? ''}/api/v1/setup -H 'content-type: application/json' -d '{"token":"${link.token}","password":"<at least 10 characters>"}'`);
  return owner.id;
}
