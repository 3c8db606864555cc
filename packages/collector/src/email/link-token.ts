import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { identifierProblem, identifierString, LIMITS } from '@spoor/events';

/**
 * Signed tokens in email links: `base64url(JSON payload).base64url(HMAC-SHA256(payload))`. The payload is
 * readable (the SDK decodes the identity token to learn the customer id) but cannot be changed without the key.
 *
 * Keys: a site may have its own signing keys (`site_link_keys`, see docs/collector.md), each with an id; the newest
 * signs and puts its id into the payload (`kid`), and a token naming a `kid` is checked with that key of the site the
 * token names, and nothing else. A token without `kid` is checked with the global fallback secrets
 * (LINK_SIGNING_SECRETS, several for rotation, the first signs): every link made before per-site keys existed, and every
 * link of a site without keys of its own.
 *
 * Every token expires (`exp`, epoch ms). Tokens made before expiries existed carry only `iat` and expire at
 * `iat` + the default lifetime of their kind.
 */
/** Token ids become event ids: the contract's identifier class (string policy), so a signed hostile id is refused too. */
const id = identifierString();
const kid = z.string().min(1).max(64).optional();
const time = z.number().int().min(0).max(8.64e15);

const openPayload = z.object({ k: z.literal('open'), kid, s: id, u: id, c: id, iat: time, exp: time.optional() });
const clickPayload = z.object({ k: z.literal('click'), kid, s: id, u: id, c: id, t: z.string().min(1).max(LIMITS.maxUrlLength), iat: time, exp: time.optional() });
const identityPayload = z.object({ k: z.literal('identity'), kid, s: id, u: id, c: id.optional(), exp: time, j: z.string().min(1).max(64).optional() });

const DAY_MS = 86_400_000;
/** Default lifetimes: an open pixel is fetched whenever the email is reopened (a year); a click link lives 90 days. */
export const DEFAULT_OPEN_TOKEN_TTL_MS = 365 * DAY_MS;
export const DEFAULT_CLICK_TOKEN_TTL_MS = 90 * DAY_MS;

export interface OpenToken {
  siteId: string;
  customerId: string;
  campaignId: string;
  /** When the link was made (epoch ms): opens seconds after sending are likely scanners. */
  issuedAt: number;
  /** After this (epoch ms) the link records nothing. */
  expiresAt: number;
}
export interface ClickToken extends OpenToken {
  targetUrl: string;
}
export interface IdentityToken {
  siteId: string;
  customerId: string;
  campaignId?: string;
  expiresAt: number;
  /** Random id of this token: the collector binds it to the first anonymous id that presents it. */
  tokenId?: string;
}

/** One of a site's own signing keys (table site_link_keys). */
export interface LinkKey {
  keyId: string;
  secret: string;
}

/**
 * The keys a token of one site may be signed or verified with: the site's own (newest first, the first signs) and
 * the global fallback secrets (the first signs when the site has none). A plain array means fallback secrets only.
 */
export interface LinkKeyring {
  site: readonly LinkKey[];
  fallback: readonly string[];
}
export type LinkKeys = LinkKeyring | readonly string[];

const keyring = (keys: LinkKeys): LinkKeyring => ('fallback' in keys ? keys : { site: [], fallback: keys });

/** Query parameter on the landing URL that carries the identity token (see docs/collector.md). */
export const IDENTITY_TOKEN_PARAM = 'spoor_it';
/** Longest token accepted, so a hostile query string cannot make the collector hash megabytes. */
export const MAX_TOKEN_LENGTH = 8192;

export function checkSecrets(secrets: readonly string[]): void {
  if (!secrets.length) throw new Error('link signing needs at least one secret');
  for (const secret of secrets) if (secret.length < 32) throw new Error('a link signing secret must be at least 32 characters');
}

function sign(payload: Record<string, unknown>, keys: LinkKeys): string {
  const ring = keyring(keys);
  const siteKey = ring.site[0];
  const secret = siteKey?.secret ?? ring.fallback[0];
  if (!secret) throw new Error('link signing needs a key');
  const body = Buffer.from(JSON.stringify(siteKey ? { ...payload, kid: siteKey.keyId } : payload)).toString('base64url');
  return `${body}.${mac(body, secret).toString('base64url')}`;
}

function mac(body: string, secret: string): Buffer {
  return createHmac('sha256', secret).update(body).digest();
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * Bytes of a canonical unpadded base64url text, else undefined. Node's decoder skips characters outside the alphabet
 * (`=`, `*`, `!`) and ignores the spare bits of the last character, so many texts decode to the same bytes: only the
 * one text that re-encodes to itself is accepted, and the signature compared is exactly the one that was issued.
 */
function canonicalBytes(text: string): Buffer | undefined {
  if (!BASE64URL.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : undefined;
}

/** A token split and its payload read, before any signature check: says which site and key it claims. */
export interface UnverifiedToken {
  body: string;
  signature: Buffer;
  payload: Record<string, unknown>;
  /** The site the payload names (a string of at most the id length), else undefined. */
  siteId: string | undefined;
}

export function readToken(token: string | undefined | null): UnverifiedToken | undefined {
  if (!token || token.length > MAX_TOKEN_LENGTH) return undefined;
  const parts = token.split('.');
  if (parts.length !== 2) return undefined;
  const [body, sig] = parts as [string, string];
  const bodyBytes = canonicalBytes(body);
  const signature = canonicalBytes(sig);
  if (!bodyBytes || !signature || signature.length !== 32) return undefined;
  let payload: unknown;
  try {
    payload = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bodyBytes));
  } catch {
    return undefined;
  }
  if (!payload || typeof payload !== 'object' || Array.isArray(payload)) return undefined;
  const s = (payload as { s?: unknown }).s;
  // The site id is read before the signature is checked (it names the keys to check with): only one the string policy
  // allows is looked up, so a forged token cannot put a lone surrogate into a store query.
  const siteId = typeof s === 'string' && s.length <= LIMITS.maxIdLength && !identifierProblem(s) ? s : undefined;
  return { body, signature, payload: payload as Record<string, unknown>, siteId };
}

function verify<T>(token: string | UnverifiedToken | undefined | null, keys: LinkKeys, schema: z.ZodType<T>): T | undefined {
  const read = typeof token === 'object' && token !== null ? token : readToken(token);
  if (!read) return undefined;
  const ring = keyring(keys);
  const keyId = read.payload.kid;
  // A token naming a key is checked with that key only; one naming none, with the fallback secrets only.
  const secrets = keyId === undefined ? ring.fallback : ring.site.filter((k) => k.keyId === keyId).map((k) => k.secret);
  let valid = false;
  for (const secret of secrets) if (timingSafeEqual(read.signature, mac(read.body, secret))) valid = true;
  if (!valid) return undefined;
  const parsed = schema.safeParse(read.payload);
  return parsed.success ? parsed.data : undefined;
}

type Lifetime = { issuedAt?: number; expiresAt?: number; ttlMs?: number };
const times = (t: Lifetime, defaultTtl: number) => {
  const iat = t.issuedAt ?? Date.now();
  return { iat, exp: t.expiresAt ?? iat + (t.ttlMs ?? defaultTtl) };
};

export function signOpenToken(t: Omit<OpenToken, 'issuedAt' | 'expiresAt'> & Lifetime, keys: LinkKeys): string {
  return sign({ k: 'open', s: t.siteId, u: t.customerId, c: t.campaignId, ...times(t, DEFAULT_OPEN_TOKEN_TTL_MS) }, keys);
}

export function signClickToken(t: Omit<ClickToken, 'issuedAt' | 'expiresAt'> & Lifetime, keys: LinkKeys): string {
  return sign({ k: 'click', s: t.siteId, u: t.customerId, c: t.campaignId, t: t.targetUrl, ...times(t, DEFAULT_CLICK_TOKEN_TTL_MS) }, keys);
}

export function signIdentityToken(t: IdentityToken, keys: LinkKeys): string {
  return sign(
    { k: 'identity', s: t.siteId, u: t.customerId, ...(t.campaignId ? { c: t.campaignId } : {}), exp: t.expiresAt, j: t.tokenId ?? randomBytes(12).toString('base64url') },
    keys,
  );
}

/** A genuine open token unexpired at `now`, else undefined. */
export function verifyOpenToken(token: string | UnverifiedToken | undefined | null, keys: LinkKeys, now = Date.now()): OpenToken | undefined {
  const p = verify(token, keys, openPayload);
  const expiresAt = p && (p.exp ?? p.iat + DEFAULT_OPEN_TOKEN_TTL_MS);
  if (!p || expiresAt! < now) return undefined;
  return { siteId: p.s, customerId: p.u, campaignId: p.c, issuedAt: p.iat, expiresAt: expiresAt! };
}

/** A genuine click token unexpired at `now`, else undefined. */
export function verifyClickToken(token: string | UnverifiedToken | undefined | null, keys: LinkKeys, now = Date.now()): ClickToken | undefined {
  const p = verify(token, keys, clickPayload);
  const expiresAt = p && (p.exp ?? p.iat + DEFAULT_CLICK_TOKEN_TTL_MS);
  if (!p || expiresAt! < now) return undefined;
  return { siteId: p.s, customerId: p.u, campaignId: p.c, targetUrl: p.t, issuedAt: p.iat, expiresAt: expiresAt! };
}

/**
 * Verifies the identity token an email click appended to the landing URL (`spoor_it`). Undefined when it is
 * forged, altered, or expired at `now`.
 */
export function verifyIdentityToken(token: string | UnverifiedToken | undefined | null, keys: LinkKeys, now = Date.now()): IdentityToken | undefined {
  const p = verify(token, keys, identityPayload);
  if (!p || p.exp < now) return undefined;
  return { siteId: p.s, customerId: p.u, ...(p.c ? { campaignId: p.c } : {}), expiresAt: p.exp, ...(p.j ? { tokenId: p.j } : {}) };
}
