import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { identifierString, LIMITS } from '@spoor/events';

/**
 * Signed tokens in email links: `base64url(JSON payload).base64url(HMAC-SHA256(payload))`. The payload is
 * readable (the SDK decodes the identity token to learn the customer id) but cannot be changed without the
 * secret. Several secrets may verify (rotation); the first one signs.
 */
/** Token ids become event ids: the contract's identifier class (string policy), so a signed hostile id is refused too. */
const id = identifierString();

const openPayload = z.object({ k: z.literal('open'), s: id, u: id, c: id, iat: z.number().int() });
const clickPayload = z.object({ k: z.literal('click'), s: id, u: id, c: id, t: z.string().min(1).max(LIMITS.maxUrlLength), iat: z.number().int() });
const identityPayload = z.object({ k: z.literal('identity'), s: id, u: id, c: id.optional(), exp: z.number().int() });

export interface OpenToken {
  siteId: string;
  customerId: string;
  campaignId: string;
  /** When the link was made (epoch ms): opens seconds after sending are likely scanners. */
  issuedAt: number;
}
export interface ClickToken extends OpenToken {
  targetUrl: string;
}
export interface IdentityToken {
  siteId: string;
  customerId: string;
  campaignId?: string;
  expiresAt: number;
}

/** Query parameter on the landing URL that carries the identity token (see docs/collector.md). */
export const IDENTITY_TOKEN_PARAM = 'spoor_it';
/** Longest token accepted, so a hostile query string cannot make the collector hash megabytes. */
export const MAX_TOKEN_LENGTH = 8192;

export function checkSecrets(secrets: readonly string[]): void {
  if (!secrets.length) throw new Error('link signing needs at least one secret');
  for (const secret of secrets) if (secret.length < 32) throw new Error('a link signing secret must be at least 32 characters');
}

function sign(payload: object, secrets: readonly string[]): string {
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${mac(body, secrets[0]!).toString('base64url')}`;
}

function mac(body: string, secret: string): Buffer {
  return createHmac('sha256', secret).update(body).digest();
}

function verify<T>(token: string | undefined | null, secrets: readonly string[], schema: z.ZodType<T>): T | undefined {
  if (!token || token.length > MAX_TOKEN_LENGTH) return undefined;
  const dot = token.indexOf('.');
  if (dot <= 0) return undefined;
  const body = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1), 'base64url');
  const valid = secrets.some((secret) => {
    const expected = mac(body, secret);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  if (!valid) return undefined;
  try {
    const parsed = schema.safeParse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export function signOpenToken(t: Omit<OpenToken, 'issuedAt'> & { issuedAt?: number }, secrets: readonly string[]): string {
  return sign({ k: 'open', s: t.siteId, u: t.customerId, c: t.campaignId, iat: t.issuedAt ?? Date.now() }, secrets);
}

export function signClickToken(t: Omit<ClickToken, 'issuedAt'> & { issuedAt?: number }, secrets: readonly string[]): string {
  return sign({ k: 'click', s: t.siteId, u: t.customerId, c: t.campaignId, t: t.targetUrl, iat: t.issuedAt ?? Date.now() }, secrets);
}

export function signIdentityToken(t: IdentityToken, secrets: readonly string[]): string {
  return sign({ k: 'identity', s: t.siteId, u: t.customerId, ...(t.campaignId ? { c: t.campaignId } : {}), exp: t.expiresAt }, secrets);
}

export function verifyOpenToken(token: string | undefined | null, secrets: readonly string[]): OpenToken | undefined {
  const p = verify(token, secrets, openPayload);
  return p && { siteId: p.s, customerId: p.u, campaignId: p.c, issuedAt: p.iat };
}

export function verifyClickToken(token: string | undefined | null, secrets: readonly string[]): ClickToken | undefined {
  const p = verify(token, secrets, clickPayload);
  return p && { siteId: p.s, customerId: p.u, campaignId: p.c, targetUrl: p.t, issuedAt: p.iat };
}

/**
 * Verifies the identity token an email click appended to the landing URL (`spoor_it`). Undefined when it is
 * forged, altered, or expired at `now`.
 */
export function verifyIdentityToken(token: string | undefined | null, secrets: readonly string[], now = Date.now()): IdentityToken | undefined {
  const p = verify(token, secrets, identityPayload);
  if (!p || p.exp < now) return undefined;
  return { siteId: p.s, customerId: p.u, ...(p.c ? { campaignId: p.c } : {}), expiresAt: p.exp };
}
