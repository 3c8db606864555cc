import { KEY_SCOPES, LEGACY_KEY_SCOPES, type KeyScope } from '../access/principal.js';

const isKeyScope = (s: string): s is KeyScope => (KEY_SCOPES as readonly string[]).includes(s);

/**
 * The scopes a stored key acts with. Keys created before scopes existed have none stored (the column's default) and
 * keep doing what they always could: LEGACY_KEY_SCOPES (docs/admin.md). A scope name this version does not know
 * (written by a newer one) grants nothing.
 */
export function effectiveScopes(stored: readonly string[] | undefined): KeyScope[] {
  if (stored === undefined || stored.length === 0) return [...LEGACY_KEY_SCOPES];
  return stored.filter(isKeyScope);
}

/** `reports,people` (CLI) or ['reports','people'] (API) → scopes; an unknown or empty list throws naming the scopes accepted. */
export function parseScopes(input: string | readonly string[]): KeyScope[] {
  const names = (typeof input === 'string' ? input.split(',') : [...input]).map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((s) => !isKeyScope(s));
  if (unknown.length > 0) throw new Error(`unknown scope ${JSON.stringify(unknown[0])}; accepted: ${KEY_SCOPES.join(', ')}`);
  if (names.length === 0) throw new Error(`name at least one scope: ${KEY_SCOPES.join(', ')}`);
  return KEY_SCOPES.filter((s) => names.includes(s));
}
