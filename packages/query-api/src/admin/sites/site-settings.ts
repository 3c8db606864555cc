import { z } from '@hono/zod-openapi';
import { MAX_RETENTION_DAYS } from '@spoor/infra';

/**
 * What a site's settings may hold, in one place: the admin API's request schemas and the `spoor` CLI (which also
 * writes directly to the store when no server runs) both validate with these, so the two can never accept different
 * things. A rejected value is reported with the field it came from (API: `error.parameter`; CLI: the option).
 */

export const SITE_ID = /^[a-z0-9][a-z0-9_-]{0,62}$/;
export const SITE_ID_RULE = 'lowercase letters, digits, - and _, starting with a letter or digit, at most 63';
/** More would make every collector request compare against a long list; a shop has a handful of storefronts. */
export const MAX_ORIGINS = 100;
export const MAX_REDIRECT_HOSTS = 100;

/** An origin exactly as a browser sends it in `Origin` (scheme://host[:port], no path, no trailing slash), or `*`. */
export function isOrigin(value: string): boolean {
  if (value === '*') return true;
  if (value.length > 2048) return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value;
  } catch {
    return false;
  }
}

/**
 * A host an email click may redirect to, as the collector matches it (collector sites/site-registry.ts):
 * `shop.example`, or `*.shop.example` for its subdomains. Lowercase, no scheme, port, path or trailing dot — the
 * form a URL's hostname takes, or the pattern could never match.
 */
export function isRedirectHost(value: string): boolean {
  const host = value.startsWith('*.') ? value.slice(2) : value;
  if (host.length === 0 || host.length > 253 || !/^[a-z0-9.-]+$/.test(host)) return false;
  if (host.split('.').some((label) => label.length === 0 || label.length > 63 || label.startsWith('-') || label.endsWith('-'))) return false;
  try {
    return new URL(`https://${host}/`).hostname === host;
  } catch {
    return false;
  }
}

const ORIGIN_RULE = 'an origin as browsers send it: scheme://host[:port] without path or trailing slash (e.g. https://shop.example), or * for any';
const REDIRECT_HOST_RULE = 'a lowercase host name (shop.example) or *.shop.example for its subdomains, without scheme, port or path';

export const SiteIdSchema = z
  .string()
  .regex(SITE_ID, `expected a site id: ${SITE_ID_RULE}`)
  .openapi({ example: 'shop-1', description: `Site id: ${SITE_ID_RULE}.` });

const settingFields = {
  // eslint-disable-next-line no-control-regex -- control characters are what a site name may not contain
  name: z.string().min(1).max(200).refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'control characters are not allowed').openapi({ example: 'My shop' }),
  allowed_origins: z
    .array(z.string().refine(isOrigin, `expected ${ORIGIN_RULE}`))
    .max(MAX_ORIGINS)
    .openapi({ example: ['https://shop.example'], description: `Origins the collector accepts the tracker from (${ORIGIN_RULE}). Replaces the list.` }),
  allowed_redirect_hosts: z
    .array(z.string().refine(isRedirectHost, `expected ${REDIRECT_HOST_RULE}`))
    .max(MAX_REDIRECT_HOSTS)
    .openapi({ example: ['shop.example', '*.shop.example'], description: 'Hosts email click links may redirect to. Replaces the list.' }),
  retention_days: z
    .number()
    .int()
    .min(0)
    .max(MAX_RETENTION_DAYS)
    .openapi({ example: 365, description: `Days ClickHouse keeps this site's event data (1…${MAX_RETENTION_DAYS}); 0 = the deployment default (SPOOR_RETENTION_DAYS). Applied to stored data before the answer.` }),
  honour_gpc: z.boolean().openapi({ description: 'Honour `Sec-GPC: 1` (store nothing for such requests). Default true.' }),
};

/** Settings a PATCH may change; absent fields stay as they are. IP anonymisation is deployment-wide (IP_ANONYMISATION), not per site. */
export const SiteSettingsPatchSchema = z.object(settingFields).partial().strict().openapi('SiteSettingsPatch');
export type SiteSettingsPatch = z.infer<typeof SiteSettingsPatchSchema>;

export const CreateSiteBodySchema = z
  .object({ site: SiteIdSchema, ...settingFields })
  .partial()
  .required({ site: true })
  .strict()
  .openapi('CreateSite');
export type CreateSiteBody = z.infer<typeof CreateSiteBodySchema>;

/** A site as the admin API and `spoor sites show` print it. */
export const SiteSchema = z
  .object({
    site: z.string(),
    name: z.string(),
    write_key: z.string().openapi({ description: 'Public: goes into the storefront snippet.' }),
    allowed_origins: z.array(z.string()),
    allowed_redirect_hosts: z.array(z.string()),
    retention_days: z.number().int().openapi({ description: '0 = the deployment default.' }),
    honour_gpc: z.boolean(),
  })
  .openapi('Site');
export type SiteView = z.infer<typeof SiteSchema>;

export type SettingsCheck<T> = { ok: true; value: T } | { ok: false; field: string; message: string };

/** The schemas' verdict in the shape the CLI reports: the first bad field (dotted path) and why. */
export function checkSettings<T>(schema: z.ZodType<T>, input: unknown): SettingsCheck<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0]!;
  const path = issue.code === 'unrecognized_keys' && issue.keys[0] !== undefined ? [...issue.path, issue.keys[0]] : issue.path;
  return { ok: false, field: path.length ? path.map(String).join('.') : 'body', message: issue.message };
}
