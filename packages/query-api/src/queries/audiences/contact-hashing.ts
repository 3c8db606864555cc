import { createHash } from 'node:crypto';

/**
 * Contact normalisation before SHA-256, as ad platforms match hashed customer lists (Google Customer Match,
 * Meta Custom Audiences): a hash only matches when both sides normalised the same way.
 */

const GOOGLE_MAIL_DOMAINS = new Set(['gmail.com', 'googlemail.com']);
const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * Trim and lowercase; for gmail.com / googlemail.com also drop dots and a "+suffix" in the local part (Gmail
 * ignores both, and Google Customer Match asks for the dots to be removed). Null when it is not an address.
 */
export function normaliseEmail(raw: string): string | null {
  const email = raw.trim().toLowerCase();
  const at = email.lastIndexOf('@');
  if (at <= 0 || at === email.length - 1 || /\s/.test(email)) return null;
  let local = email.slice(0, at);
  const domain = email.slice(at + 1);
  if (GOOGLE_MAIL_DOMAINS.has(domain)) {
    local = local.split('+')[0]!.replaceAll('.', '');
    if (local === '') return null;
  }
  return `${local}@${domain}`;
}

/**
 * E.164: "+", country code and number, digits only ("+4917012345 67" → "+491701234567"). A number must carry its
 * country code ("+…" or the international prefix "00…"): a national number cannot be placed, so it is skipped
 * rather than hashed wrongly. E.164 numbers have at most 15 digits.
 */
export function normalisePhone(raw: string): string | null {
  const trimmed = raw.trim();
  let digits: string;
  if (trimmed.startsWith('+')) digits = trimmed.slice(1).replace(/[\s().\-/]/g, '');
  else if (trimmed.startsWith('00')) digits = trimmed.slice(2).replace(/[\s().\-/]/g, '');
  else return null;
  if (!/^[1-9]\d{6,14}$/.test(digits)) return null;
  return `+${digits}`;
}

export const sha256Hex = (value: string) => createHash('sha256').update(value, 'utf8').digest('hex');

/** A contact's hashed email: from the plain address when known, else the SHA-256 the storefront sent (lowercased). */
export function hashedEmail(email: string, emailSha256: string): string | null {
  const normalised = normaliseEmail(email);
  if (normalised) return sha256Hex(normalised);
  const given = emailSha256.trim().toLowerCase();
  return SHA256_HEX.test(given) ? given : null;
}

export function hashedPhone(phone: string): string | null {
  const normalised = normalisePhone(phone);
  return normalised ? sha256Hex(normalised) : null;
}
