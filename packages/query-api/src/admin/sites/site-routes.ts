import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { describePrincipal } from '../../access/principal.js';
import { isAllowed } from '../../access/permissions.js';
import { ConflictError, BadParameterError, NotFoundError } from '../../errors/query-api-errors.js';
import { ERROR_RESPONSES } from '../../openapi/error-responses.js';
import { BEARER_SECURITY } from '../../queries/shared/create-router.js';
import type { AdminApiDeps } from '../admin-deps.js';
import type { AdminApiEnv } from '../admin-api-env.js';
import { adminRoutePermission } from '../admin-route-permissions.js';
import { CreateSiteBodySchema, SiteIdSchema, SiteSchema, SiteSettingsPatchSchema } from './site-settings.js';
import { createLinkKey, createNewSite, issueSiteKey, listSites, readSite, updateSite, type SiteStore } from './site-store.js';

const SitePathParam = z.object({ site: SiteIdSchema.openapi({ param: { name: 'site', in: 'path' } }) });
const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });
const ADMIN_ERRORS = {
  400: ERROR_RESPONSES[400],
  401: ERROR_RESPONSES[401],
  403: json(ERROR_RESPONSES[400].content['application/json'].schema, 'The principal may not administer this site (needs `admin` on it; creating sites: the owner or the local admin).'),
};
const NOT_FOUND = json(ERROR_RESPONSES[400].content['application/json'].schema, 'No such site.');

const tags = ['Administration'];
const permission = (row: ReturnType<typeof adminRoutePermission>) =>
  `Needs: ${row.permission === 'signed-in' ? 'any credential' : `\`${row.permission}\`${row.site === 'path' ? ' on the site' : ' on the whole instance (owner or local admin)'}`}.`;

const listRoute = createRoute({
  method: 'get',
  path: '/api/v1/admin/sites',
  tags,
  summary: 'The sites the caller may administer',
  description: permission(adminRoutePermission('GET', '/api/v1/admin/sites')),
  security: BEARER_SECURITY,
  responses: { 200: json(z.object({ sites: z.array(SiteSchema) }), 'Sites, by id.'), 401: ADMIN_ERRORS[401] },
});

const createSiteRow = adminRoutePermission('POST', '/api/v1/admin/sites');
const createSiteRoute = createRoute({
  method: 'post',
  path: '/api/v1/admin/sites',
  tags,
  summary: 'Create a site, with its write key and a first secret API key',
  description: permission(createSiteRow),
  security: BEARER_SECURITY,
  request: { body: { required: true, content: { 'application/json': { schema: CreateSiteBodySchema } } } },
  responses: {
    201: json(z.object({ site: SiteSchema, api_key: z.string(), api_key_id: z.string() }), 'Created; `api_key` is shown this once.'),
    ...ADMIN_ERRORS,
    409: json(ERROR_RESPONSES[400].content['application/json'].schema, 'The site exists already (PATCH changes it).'),
  },
});

const showRow = adminRoutePermission('GET', '/api/v1/admin/sites/:site');
const showRoute = createRoute({
  method: 'get',
  path: '/api/v1/admin/sites/{site}',
  tags,
  summary: "A site's settings",
  description: permission(showRow),
  security: BEARER_SECURITY,
  request: { params: SitePathParam },
  responses: { 200: json(SiteSchema, 'The site.'), ...ADMIN_ERRORS, 404: NOT_FOUND },
});

const patchRow = adminRoutePermission('PATCH', '/api/v1/admin/sites/:site');
const patchRoute = createRoute({
  method: 'patch',
  path: '/api/v1/admin/sites/{site}',
  tags,
  summary: "Change a site's settings (origins, redirect hosts, retention, privacy)",
  description: `${permission(patchRow)} Only the fields given change; lists are replaced whole. A retention change is applied to stored data before the answer.`,
  security: BEARER_SECURITY,
  request: { params: SitePathParam, body: { required: true, content: { 'application/json': { schema: SiteSettingsPatchSchema } } } },
  responses: { 200: json(SiteSchema, 'The site as it is now.'), ...ADMIN_ERRORS, 404: NOT_FOUND },
});

const rotateRow = adminRoutePermission('POST', '/api/v1/admin/sites/:site/link-key/rotate');
const rotateRoute = createRoute({
  method: 'post',
  path: '/api/v1/admin/sites/{site}/link-key/rotate',
  tags,
  summary: "Rotate the site's email-link signing key",
  description: `${permission(rotateRow)} A new key signs new links from when collectors see it (their site cache); links signed before keep verifying until their key is retired (spoor keys link-key retire). The secret is never shown.`,
  security: BEARER_SECURITY,
  request: { params: SitePathParam },
  responses: {
    201: json(z.object({ site: z.string(), key_id: z.string(), created_at: z.string() }).openapi('LinkKey'), 'The new signing key (id only).'),
    ...ADMIN_ERRORS,
    404: NOT_FOUND,
  },
});

/** GET/POST /admin/sites, GET/PATCH /admin/sites/:site, link-key rotation; every change audited (keys: keys/key-routes.ts). */
export function registerSiteRoutes(app: OpenAPIHono<AdminApiEnv>, deps: AdminApiDeps): void {
  const store: SiteStore = { client: deps.clickhouse, database: deps.database, cluster: deps.cluster };
  const requireSite = async (site: string) => {
    const found = await readSite(store.client, store.database, site);
    if (!found) throw new NotFoundError(`no site "${site}"`);
    return found;
  };

  app.openapi(listRoute, async (c) => {
    const principal = c.get('principal');
    const sites = (await listSites(store.client, store.database)).filter((s) => isAllowed(principal, 'admin', s.site));
    return c.json({ sites }, 200);
  });

  app.openapi(createSiteRoute, async (c) => {
    const body = c.req.valid('json');
    const site = await createNewSite(store, body);
    if (!site) throw new ConflictError(`site "${body.site}" exists already: change it with PATCH /api/v1/admin/sites/${body.site}`);
    const key = await issueSiteKey(store.client, store.database, body.site, describePrincipal(c.get('principal')));
    await deps.auditLog.record({
      action: 'site.create',
      actor: c.get('principal'),
      address: deps.clientAddress(c),
      site: body.site,
      target: key.apiKeyId,
      detail: { fields: Object.keys(body).filter((k) => k !== 'site').join(',') },
    });
    return c.json({ site, api_key: key.apiKey, api_key_id: key.apiKeyId }, 201);
  });

  app.openapi(showRoute, async (c) => c.json(await requireSite(c.req.valid('param').site), 200));

  app.openapi(patchRoute, async (c) => {
    const { site } = c.req.valid('param');
    const patch = c.req.valid('json');
    const fields = Object.keys(patch);
    if (fields.length === 0) throw new BadParameterError('body', `name at least one setting to change: ${Object.keys(SiteSettingsPatchSchema.shape).join(', ')}`);
    const updated = await updateSite(store, site, patch);
    if (!updated) throw new NotFoundError(`no site "${site}"`);
    await deps.auditLog.record({
      action: 'site.update',
      actor: c.get('principal'),
      address: deps.clientAddress(c),
      site,
      detail: { fields: fields.join(','), ...(patch.retention_days !== undefined ? { retention_days: patch.retention_days } : {}), ...(patch.honour_gpc !== undefined ? { honour_gpc: patch.honour_gpc } : {}) },
    });
    return c.json(updated, 200);
  });

  app.openapi(rotateRoute, async (c) => {
    const { site } = c.req.valid('param');
    await requireSite(site);
    const key = await createLinkKey(store.client, store.database, site);
    await deps.auditLog.record({ action: 'site.link_key.rotate', actor: c.get('principal'), address: deps.clientAddress(c), site, target: key.keyId });
    return c.json({ site, key_id: key.keyId, created_at: key.createdAt }, 201);
  });
}
