import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { isAllowed } from '../access/permissions.js';
import { describePrincipal, KEY_SCOPES, type KeyScope, type Principal } from '../access/principal.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { QueryApiEnv } from '../auth/query-api-env.js';
import type { RequestAddress } from '../auth/request-address.js';
import { ForbiddenError, NotFoundError } from '../errors/query-api-errors.js';
import { ERROR_RESPONSES } from '../openapi/error-responses.js';
import { siteParam } from '../params/site-param.js';
import { BEARER_SECURITY, createRouter } from '../queries/shared/create-router.js';
import type { KeyAdmin, KeyInfo } from './key-admin.js';
import { SCOPE_GRANTS } from '../access/permissions.js';

export interface KeyRouteDeps {
  keyAdmin: KeyAdmin;
  audit: AuditLog;
  clientAddress: RequestAddress;
}

const KeySchema = z
  .object({
    keyId: z.string(),
    prefix: z.string().openapi({ description: "The secret's first characters ('' for keys made before scopes)." }),
    name: z.string(),
    siteIds: z.array(z.string()),
    scopes: z.array(z.enum(KEY_SCOPES)),
    legacy: z.boolean().openapi({ description: 'Made before scopes: acts with the legacy scopes (docs/admin.md).' }),
    createdAt: z.string(),
    createdBy: z.string(),
    lastUsedAt: z.string().nullable().openapi({ description: 'Accurate to a minute; null: not used since scopes exist.' }),
    revoked: z.boolean(),
  })
  .openapi('ApiKey');
const CreatedKeySchema = KeySchema.extend({ secret: z.string().openapi({ description: 'The secret API key: shown in this answer only, never again.' }) }).openapi('CreatedApiKey');
const IdParam = z.object({ id: z.string().min(1).max(64).openapi({ param: { name: 'id', in: 'path' }, example: 'key_0a1b2c3d4e5f' }) });
const json = <T extends z.ZodTypeAny>(description: string, schema: T) => ({ description, content: { 'application/json': { schema } } });
const NEEDS = 'Needs permission `admin` on the site (role admin or owner, or a key with scope `admin`).';

const listRoute = createRoute({
  method: 'get',
  path: '/admin/keys',
  summary: 'Secret API keys of a site (never their secrets)',
  description: NEEDS,
  security: BEARER_SECURITY,
  request: { query: z.object({ site: siteParam, include_revoked: z.enum(['true', 'false']).optional().default('false') }).strict() },
  responses: { 200: json('Keys, newest first', z.object({ keys: z.array(KeySchema) })), ...ERROR_RESPONSES },
});
const createKeyRoute = createRoute({
  method: 'post',
  path: '/admin/keys',
  summary: 'Create a secret API key for the site, with scopes',
  description: `${NEEDS} A key may only be given scopes whose permissions its creator holds on the site.`,
  security: BEARER_SECURITY,
  request: {
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z.object({ site: siteParam, scopes: z.array(z.enum(KEY_SCOPES)).min(1).max(KEY_SCOPES.length), name: z.string().trim().min(1).max(200).optional() }).strict(),
        },
      },
    },
  },
  responses: { 201: json('Created; the secret is in this answer only', CreatedKeySchema), ...ERROR_RESPONSES },
});
const revokeRoute = createRoute({
  method: 'delete',
  path: '/admin/keys/{id}',
  summary: 'Revoke a key: it stops at once',
  description: `${NEEDS} Needs it on every site of the key.`,
  security: BEARER_SECURITY,
  request: { params: IdParam, query: z.object({ site: siteParam }).strict() },
  responses: { 200: json('Revoked', KeySchema), 404: json('No such key on this site', z.any()), ...ERROR_RESPONSES },
});
const rotateRoute = createRoute({
  method: 'post',
  path: '/admin/keys/{id}/rotate',
  summary: 'Rotate a key: a new secret for the same key, the old one stops at once',
  description: `${NEEDS} Needs it on every site of the key.`,
  security: BEARER_SECURITY,
  request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: z.object({ site: siteParam }).strict() } } } },
  responses: { 200: json('Rotated; the new secret is in this answer only', CreatedKeySchema), 404: json('No such key on this site', z.any()), ...ERROR_RESPONSES },
});

/**
 * Scopes a principal may put on a key for a site: those whose every permission it holds there. No key can be made
 * to do what its maker cannot (an admin-scoped key cannot mint an erase key).
 */
export function grantableScopes(principal: Principal, site: string): KeyScope[] {
  return KEY_SCOPES.filter((scope) => SCOPE_GRANTS[scope].every((permission) => isAllowed(principal, permission, site)));
}

export function keyRoutes({ keyAdmin, audit, clientAddress }: KeyRouteDeps) {
  const record = (c: Context<QueryApiEnv>, action: string, key: KeyInfo) =>
    audit.record({ action, actor: c.get('principal'), address: clientAddress(c), site: c.get('site'), target: key.keyId, detail: { scopes: key.scopes.join(','), sites: key.siteIds.join(',') } });
  /** The key, if it belongs to the request's site, and only if the principal administers every site it reaches. */
  const keyOfSite = async (c: Context<QueryApiEnv>, keyId: string) => {
    const site = c.get('site');
    const key = await keyAdmin.get(keyId);
    if (!key || !key.siteIds.includes(site)) throw new NotFoundError(`no API key "${keyId}" on site "${site}"`);
    const principal = c.get('principal');
    const foreign = key.siteIds.find((s) => !isAllowed(principal, 'admin', s));
    if (foreign !== undefined) throw new ForbiddenError(`API key "${keyId}" also reaches site "${foreign}", which you do not administer`);
    return key;
  };
  return createRouter()
    .openapi(listRoute, async (c) => {
      const keys = await keyAdmin.list({ site: c.get('site'), includeRevoked: c.req.valid('query').include_revoked === 'true' });
      return c.json({ keys }, 200);
    })
    .openapi(createKeyRoute, async (c) => {
      const body = c.req.valid('json');
      const site = c.get('site');
      const principal = c.get('principal');
      const allowed = grantableScopes(principal, site);
      const beyond = body.scopes.find((s) => !allowed.includes(s));
      if (beyond !== undefined) throw new ForbiddenError(`you may not grant scope "${beyond}" on site "${site}" (you may grant: ${allowed.join(', ') || 'none'})`);
      const created = await keyAdmin.create({ siteIds: [site], scopes: body.scopes, ...(body.name ? { name: body.name } : {}), createdBy: describePrincipal(principal) });
      await record(c, 'key.create', created);
      return c.json(created, 201);
    })
    .openapi(revokeRoute, async (c) => {
      const key = await keyOfSite(c, c.req.valid('param').id);
      const revoked = await keyAdmin.revoke(key.keyId);
      await record(c, 'key.revoke', revoked);
      return c.json(revoked, 200);
    })
    .openapi(rotateRoute, async (c) => {
      const key = await keyOfSite(c, c.req.valid('param').id);
      const rotated = await keyAdmin.rotate(key.keyId);
      await record(c, 'key.rotate', rotated);
      return c.json(rotated, 200);
    });
}
