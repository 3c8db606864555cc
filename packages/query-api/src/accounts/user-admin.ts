import { SITE_ROLES, type Principal, type SiteRole } from '../access/principal.js';
import type { AuditLog } from '../audit/audit-log.js';
import { BadParameterError, NotFoundError } from '../errors/query-api-errors.js';
import { recordQuietly } from './record-quietly.js';
import { DEFAULT_SETUP_TOKEN_TTL_MS, newSetupToken, setupLink } from './setup-token.js';
import { checkDisplayName, normaliseEmail } from './user-fields.js';
import type { User, UserStore } from './user-store.js';

/** A user as administration shows it: never a password hash or token hash. */
export interface UserView {
  id: string;
  email: string;
  display_name: string;
  owner: boolean;
  disabled: boolean;
  /** false until the user followed a set-up link. */
  has_password: boolean;
  created_at: string;
  roles: Record<string, SiteRole>;
}

export interface SetupLinkView {
  user_id: string;
  email: string;
  /** Shown once; only its hash is stored. */
  token: string;
  link: string;
  expires_at: string;
}

export interface NewUserInput {
  email: unknown;
  display_name?: unknown;
  /** Site id → role. */
  roles?: unknown;
}

export interface UserPatchInput {
  display_name?: unknown;
  disabled?: unknown;
  /** Site id → role, or null to remove the role on that site. */
  roles?: unknown;
}

/**
 * User administration as operations, whatever carries them: the store directly (createStoreUserAdmin: the CLI
 * with the server stopped, and the HTTP routes after they checked permissions) or the running server's admin API
 * (h-admin implements this over HTTP). Inputs are raw (unknown) and checked here: each bad field is a 400 naming it.
 */
export interface UserAdmin {
  list(): Promise<UserView[]>;
  get(id: string): Promise<UserView>;
  create(input: NewUserInput): Promise<UserView>;
  update(id: string, patch: UserPatchInput): Promise<UserView>;
  /** A new one-time set-up link for the user (any earlier one stops working). */
  createSetupLink(id: string): Promise<SetupLinkView>;
}

export interface StoreUserAdminDeps {
  userStore: UserStore;
  /** Who acts, for the audit log. */
  actor: Principal;
  /** From where (a client address, or `cli`). */
  address: string;
  audit?: AuditLog;
  now?: () => Date;
  setupTokenTtlMs?: number;
  /** The server's public URL, prefixed to set-up links (default: a path alone). */
  publicUrl?: string;
}

export function createStoreUserAdmin(deps: StoreUserAdminDeps): UserAdmin {
  const { userStore, actor, address } = deps;
  const now = deps.now ?? (() => new Date());
  const audit = (action: string, target: string, detail?: Record<string, string | number | boolean>) =>
    recordQuietly(deps.audit, { action, actor, address, target, ...(detail ? { detail } : {}), at: now() });
  const view = async (user: User): Promise<UserView> => toView(user, await userStore.rolesOf(user.id));
  const mustFind = async (id: string) => {
    const user = await userStore.findById(id);
    if (!user) throw new NotFoundError(`id: no user ${JSON.stringify(id.slice(0, 100))}`);
    return user;
  };
  return {
    async list() {
      const [users, roles] = await Promise.all([userStore.list(), userStore.allRoles()]);
      return users.map((u) => toView(u, roles.get(u.id) ?? {}));
    },
    async get(id) {
      return view(await mustFind(id));
    },
    async create(input) {
      const email = normaliseEmail(input.email);
      const displayName = input.display_name === undefined ? email.split('@')[0]! : checkDisplayName(input.display_name);
      const roles = input.roles === undefined ? {} : checkRoles(input.roles, { allowRemove: false });
      const user = await userStore.create({ email, displayName });
      await userStore.setRoles(user.id, roles);
      await audit('user.create', user.id, rolesDetail(roles));
      return view(user);
    },
    async update(id, patch) {
      const user = await mustFind(id);
      const changes: Parameters<UserStore['update']>[1] = {};
      if (patch.display_name !== undefined) changes.displayName = checkDisplayName(patch.display_name);
      if (patch.disabled !== undefined) {
        if (typeof patch.disabled !== 'boolean') throw new BadParameterError('disabled', 'expected true or false');
        if (patch.disabled && user.owner) throw new BadParameterError('disabled', 'the instance owner cannot be disabled');
        changes.disabled = patch.disabled;
      }
      const roles = patch.roles === undefined ? {} : checkRoles(patch.roles, { allowRemove: true });
      const updated = Object.keys(changes).length > 0 ? await userStore.update(id, changes) : user;
      await userStore.setRoles(id, roles);
      if (changes.displayName !== undefined) await audit('user.update', id, { display_name: true });
      if (changes.disabled !== undefined) await audit(changes.disabled ? 'user.disable' : 'user.enable', id);
      if (Object.keys(roles).length > 0) await audit('user.role.set', id, rolesDetail(roles));
      return view(updated!);
    },
    async createSetupLink(id) {
      const user = await mustFind(id);
      const { token, hash } = newSetupToken();
      const expiresAt = now().getTime() + (deps.setupTokenTtlMs ?? DEFAULT_SETUP_TOKEN_TTL_MS);
      await userStore.update(id, { setupTokenHash: hash, setupTokenExpiresAt: expiresAt });
      await audit('user.setup_link', id);
      return { user_id: id, email: user.email, token, link: setupLink(token, deps.publicUrl), expires_at: new Date(expiresAt).toISOString() };
    },
  };
}

export function toView(user: User, roles: Record<string, SiteRole>): UserView {
  return {
    id: user.id,
    email: user.email,
    display_name: user.displayName,
    owner: user.owner,
    disabled: user.disabled,
    has_password: user.passwordHash !== '',
    created_at: user.createdAt.toISOString(),
    roles,
  };
}

// Site ids as the query API takes them (params/site-param.ts): 1–128 characters; no spaces or controls here.
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const SITE_ID = /^[^\s\u0000-\u001f\u007f]{1,128}$/u;
const MAX_ROLES_PER_REQUEST = 100;

/** `{ site: role }` (or null to remove, where allowed); a 400 naming `roles.<site>` for the first bad entry. */
export function checkRoles(value: unknown, { allowRemove }: { allowRemove: boolean }): Record<string, SiteRole | null> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new BadParameterError('roles', 'expected an object of site id → role');
  const entries = Object.entries(value);
  if (entries.length > MAX_ROLES_PER_REQUEST) throw new BadParameterError('roles', `more than ${MAX_ROLES_PER_REQUEST} sites`);
  const roles: Record<string, SiteRole | null> = {};
  for (const [site, role] of entries) {
    if (!SITE_ID.test(site)) throw new BadParameterError('roles', `${JSON.stringify(site.slice(0, 80))} is not a site id (1–128 characters, no spaces)`);
    if (role === null && allowRemove) roles[site] = null;
    else if (typeof role === 'string' && (SITE_ROLES as readonly string[]).includes(role)) roles[site] = role as SiteRole;
    else throw new BadParameterError(`roles.${site}`, `expected one of ${SITE_ROLES.join(', ')}${allowRemove ? ', or null to remove' : ''}`);
  }
  return roles;
}

const rolesDetail = (roles: Record<string, SiteRole | null>) => Object.fromEntries(Object.entries(roles).map(([site, role]) => [`role.${site}`, role ?? 'removed']));
