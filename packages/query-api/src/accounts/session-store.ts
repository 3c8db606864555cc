import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { KeyValue } from '@spoor/infra';

/**
 * Sign-in sessions in the KeyValue port (Redis in a deployment, in-process on the embedded default). The id in the
 * cookie is 256 random bits; the store keys the record by its SHA-256, so whoever reads Redis cannot sign in as
 * anyone. A session ends at the first of: `idleMs` without a request, `absoluteMs` after sign-in, sign-out, a
 * password change (the user's credential generation moves on), the user disabled. Losing the KeyValue (Redis
 * flushed, process restarted on the embedded default) signs everyone out — never in.
 */
export interface SessionRecord {
  userId: string;
  /** The user's credentialGeneration at sign-in (user-store.ts); a newer one ends this session. */
  credentialGeneration: number;
  /** Epoch ms. */
  createdAt: number;
  lastSeenAt: number;
  /** Returned by GET /api/v1/session; state-changing cookie requests echo it in X-CSRF-Token (require-csrf.ts). */
  csrfToken: string;
}

export interface SessionStoreOptions {
  kv: KeyValue;
  now?: () => Date;
  /** Without a request for this long the session ends. Default 2 hours. */
  idleMs?: number;
  /** This long after sign-in the session ends whatever happens. Default 24 hours. */
  absoluteMs?: number;
  /** Default `spoor:session:`. */
  keyPrefix?: string;
}

export interface SessionStore {
  readonly idleMs: number;
  readonly absoluteMs: number;
  /** A new session (a new id: sign-in never reuses one, against fixation). */
  create(userId: string, credentialGeneration: number): Promise<{ id: string; record: SessionRecord }>;
  /** The live session with this cookie id (its idle timer restarted), or undefined. `key` is what Principal.sessionId holds. */
  read(id: string): Promise<{ key: string; record: SessionRecord } | undefined>;
  /** By the key (hash) a Principal carries. */
  readByKey(key: string): Promise<SessionRecord | undefined>;
  delete(id: string): Promise<void>;
}

export const DEFAULT_SESSION_IDLE_MS = 2 * 60 * 60 * 1000;
export const DEFAULT_SESSION_ABSOLUTE_MS = 24 * 60 * 60 * 1000;
/** Restarting the idle timer costs a write: at most once a minute per session. */
const TOUCH_EVERY_MS = 60_000;
const ID_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export const sessionKeyOf = (id: string) => createHash('sha256').update(id, 'utf8').digest('hex');

export function createSessionStore({ kv, now = () => new Date(), idleMs = DEFAULT_SESSION_IDLE_MS, absoluteMs = DEFAULT_SESSION_ABSOLUTE_MS, keyPrefix = 'spoor:session:' }: SessionStoreOptions): SessionStore {
  const kvKey = (key: string) => `${keyPrefix}${key}`;
  const ttl = (record: SessionRecord, at: number) => Math.max(1, Math.min(idleMs, record.createdAt + absoluteMs - at));
  const alive = (record: SessionRecord, at: number) => at - record.lastSeenAt < idleMs && at - record.createdAt < absoluteMs;

  async function readByKey(key: string): Promise<SessionRecord | undefined> {
    const raw = await kv.get(kvKey(key));
    if (raw === null) return undefined;
    const record = parse(raw);
    // The KeyValue's own expiry runs on the real clock; the timestamps decide (and make expiry testable with a clock).
    if (!record || !alive(record, now().getTime())) return undefined;
    return record;
  }

  return {
    idleMs,
    absoluteMs,
    async create(userId, credentialGeneration) {
      const id = randomBytes(32).toString('base64url');
      const at = now().getTime();
      const record: SessionRecord = { userId, credentialGeneration, createdAt: at, lastSeenAt: at, csrfToken: randomBytes(32).toString('base64url') };
      await kv.set(kvKey(sessionKeyOf(id)), JSON.stringify(record), ttl(record, at));
      return { id, record };
    },
    async read(id) {
      if (!ID_SHAPE.test(id)) return undefined;
      const key = sessionKeyOf(id);
      const record = await readByKey(key);
      if (!record) return undefined;
      const at = now().getTime();
      if (at - record.lastSeenAt >= TOUCH_EVERY_MS) {
        record.lastSeenAt = at;
        await kv.set(kvKey(key), JSON.stringify(record), ttl(record, at));
      }
      return { key, record };
    },
    readByKey,
    async delete(id) {
      if (ID_SHAPE.test(id)) await kv.delete([kvKey(sessionKeyOf(id))]);
    },
  };
}

function parse(raw: string): SessionRecord | undefined {
  try {
    const r = JSON.parse(raw) as SessionRecord;
    return typeof r.userId === 'string' && typeof r.csrfToken === 'string' && typeof r.createdAt === 'number' ? r : undefined;
  } catch {
    return undefined;
  }
}

/** Constant-time comparison of two tokens (CSRF, set-up). */
export function sameToken(a: string, b: string): boolean {
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y) && a.length === b.length;
}
