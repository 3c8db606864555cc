/**
 * What a secret API key may do (issue #18), shared by the query API (its permissions) and the collector (/v1/import),
 * so both read a stored key the same way. The query API re-exports these (@spoor/query-api).
 */

/** Scopes of a secret API key. Keys made before scopes existed are read as LEGACY_KEY_SCOPES (docs/admin.md). */
export const KEY_SCOPES = ['reports', 'people', 'export', 'erase', 'import', 'admin'] as const;
export type KeyScope = (typeof KEY_SCOPES)[number];
/** A key created before #18 could do everything but administration: it keeps doing exactly that. */
export const LEGACY_KEY_SCOPES: readonly KeyScope[] = ['reports', 'people', 'export', 'erase', 'import'];

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

/** A key as /v1/import sees it: its sites and effective scopes (undefined: an authenticator that knows no scopes). */
export interface ImportKeyIdentity {
  keyId: string;
  siteIds: readonly string[];
  scopes?: readonly string[] | undefined;
}

/**
 * The one decision "may this key import for this site": undefined when it may, else why not — the site (a key of
 * another site) or the scope (a key without `import`). The collector's POST /v1/import answers 403 with it.
 */
export function importRefusal(identity: ImportKeyIdentity, siteId: string): { parameter: 'site' | 'Authorization'; message: string } | undefined {
  if (!identity.siteIds.includes(siteId)) return { parameter: 'site', message: `site: this API key may not write to "${siteId.slice(0, 100)}"` };
  if (identity.scopes && !identity.scopes.includes('import')) return { parameter: 'Authorization', message: 'Authorization: this API key has no "import" scope' };
  return undefined;
}
