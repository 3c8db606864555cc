import { KEY_SCOPES, type KeyScope } from '@spoor/infra';

const isKeyScope = (s: string): s is KeyScope => (KEY_SCOPES as readonly string[]).includes(s);

/** How a stored key's scopes are read (legacy keys: the legacy scopes): one rule, shared with the collector. */
export { effectiveScopes } from '@spoor/infra';

/** `reports,people` (CLI) or ['reports','people'] (API) → scopes; an unknown or empty list throws naming the scopes accepted. */
export function parseScopes(input: string | readonly string[]): KeyScope[] {
  const names = (typeof input === 'string' ? input.split(',') : [...input]).map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((s) => !isKeyScope(s));
  if (unknown.length > 0) throw new Error(`unknown scope ${JSON.stringify(unknown[0])}; accepted: ${KEY_SCOPES.join(', ')}`);
  if (names.length === 0) throw new Error(`name at least one scope: ${KEY_SCOPES.join(', ')}`);
  return KEY_SCOPES.filter((s) => names.includes(s));
}
