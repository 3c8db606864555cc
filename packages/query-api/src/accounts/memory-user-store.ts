import { randomUUID } from 'node:crypto';
import type { SiteRole } from '../access/principal.js';
import { EmailTakenError } from './account-errors.js';
import { createVersionClock, type User, type UserStore } from './user-store.js';

/** UserStore in process memory: unit tests and anything that must not touch ClickHouse. */
export function createMemoryUserStore(options: { now?: () => Date } = {}): UserStore {
  const now = options.now ?? (() => new Date());
  const nextVersion = createVersionClock(() => now().getTime());
  const users = new Map<string, User>();
  const roles = new Map<string, Map<string, SiteRole>>();
  const copy = (u: User | undefined) => (u ? { ...u, createdAt: new Date(u.createdAt) } : undefined);
  return {
    async create({ email, displayName, owner = false }) {
      if ([...users.values()].some((u) => u.email === email)) throw new EmailTakenError();
      const user: User = {
        id: randomUUID(),
        email,
        displayName,
        passwordHash: '',
        owner,
        disabled: false,
        credentialGeneration: 0,
        setupTokenHash: '',
        setupTokenExpiresAt: 0,
        createdAt: now(),
        version: nextVersion(),
      };
      users.set(user.id, user);
      return copy(user)!;
    },
    async findById(id) {
      return copy(users.get(id));
    },
    async findByEmail(email) {
      return copy([...users.values()].find((u) => u.email === email));
    },
    async findBySetupTokenHash(hash) {
      if (hash === '') return undefined;
      return copy([...users.values()].find((u) => u.setupTokenHash === hash));
    },
    async list() {
      return [...users.values()].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime()).map((u) => copy(u)!);
    },
    async count() {
      return users.size;
    },
    async update(id, patch) {
      const current = users.get(id);
      if (!current) return undefined;
      const next = { ...current, ...patch, version: nextVersion(current.version) };
      users.set(id, next);
      return copy(next);
    },
    async rolesOf(userId) {
      return Object.fromEntries(roles.get(userId) ?? []);
    },
    async allRoles() {
      return new Map([...roles].map(([id, r]) => [id, Object.fromEntries(r)]));
    },
    async setRoles(userId, changes) {
      const mine = roles.get(userId) ?? new Map<string, SiteRole>();
      for (const [site, role] of Object.entries(changes)) {
        if (role === null) mine.delete(site);
        else mine.set(site, role);
      }
      roles.set(userId, mine);
    },
  };
}
