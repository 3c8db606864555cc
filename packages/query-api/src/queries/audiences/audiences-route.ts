import { describePrincipal } from '../../access/principal.js';
import { createRoute, z } from '@hono/zod-openapi';
import { audienceDefinitionSchema } from './audience-definition.js';
import { throwOnInvalidDefinition } from './definition-issue.js';
import { membersCsv, membersSha256Csv } from './members-csv.js';
import { BadParameterError, NotFoundError } from '../../errors/query-api-errors.js';
import { ERROR_RESPONSES } from '../../openapi/error-responses.js';
import { offsetParam } from '../../params/offset-param.js';
import { resolveRowLimit, rowLimitParam } from '../../params/row-limit.js';
import { siteParam } from '../../params/site-param.js';
import { queryAudienceMembers, queryAudiencePreview } from './audience-members.js';
import { createAudienceStore } from './audience-store.js';
import { BEARER_SECURITY, createRouter } from '../shared/create-router.js';
import type { WriteRouteDeps } from '../shared/write-route-deps.js';

/** Saved audiences per site, and rows per CSV export (exports page with offset beyond that). */
export const AUDIENCE_STORE_LIMITS = { maxSavedPerSite: 500, maxExportRows: 100_000, maxSample: 100 } as const;

const PreviewBody = z.object({
  site: siteParam,
  definition: audienceDefinitionSchema,
  sample_size: z.number().int().min(0).max(AUDIENCE_STORE_LIMITS.maxSample).optional().default(10),
}).strict();
const SaveBody = z.object({ site: siteParam, name: z.string().trim().min(1).max(200), definition: audienceDefinitionSchema }).strict();
const SiteQuery = z.object({ site: siteParam }).strict();
const IdParam = z.object({ id: z.string().min(1).max(64).openapi({ param: { name: 'id', in: 'path' }, example: '0b7c…' }) });

const SampleRow = z.object({ person_id: z.string(), customer_id: z.string(), last_seen: z.string() });
const PreviewSchema = z.object({ site: z.string(), as_of: z.string(), size: z.number().int(), sample: z.array(SampleRow) }).openapi('AudiencePreview');
const AudienceSchema = z
  .object({ id: z.string(), name: z.string(), definition: z.any(), created_by: z.string(), created_at: z.string() })
  .openapi('Audience');
const MembersSchema = z
  .object({
    audience_id: z.string(),
    as_of: z.string(),
    total: z.number().int(),
    members: z.array(z.object({ person_id: z.string(), customer_id: z.string(), email: z.string(), email_sha256: z.string(), phone: z.string() })),
  })
  .openapi('AudienceMembers');

const json = <T extends z.ZodTypeAny>(description: string, schema: T) => ({ description, content: { 'application/json': { schema } } });
const route = <R extends Parameters<typeof createRoute>[0]>(r: R) => createRoute({ ...r, security: BEARER_SECURITY });

const previewRoute = route({
  method: 'post',
  path: '/audiences/preview',
  summary: 'Size and a sample of an audience definition, without saving it',
  request: { body: { content: { 'application/json': { schema: PreviewBody } }, required: true } },
  responses: { 200: json('Size and sample (most recently seen first)', PreviewSchema), ...ERROR_RESPONSES },
});
const createAudienceRoute = route({
  method: 'post',
  path: '/audiences',
  summary: 'Save an audience',
  request: { body: { content: { 'application/json': { schema: SaveBody } }, required: true } },
  responses: { 201: json('Saved', AudienceSchema), ...ERROR_RESPONSES },
});
const listRoute = route({
  method: 'get',
  path: '/audiences',
  summary: 'Saved audiences of a site',
  request: { query: SiteQuery },
  responses: { 200: json('Saved audiences, newest first', z.object({ audiences: z.array(AudienceSchema) })), ...ERROR_RESPONSES },
});
const getRoute = route({
  method: 'get',
  path: '/audiences/{id}',
  summary: 'One saved audience',
  request: { query: SiteQuery, params: IdParam },
  responses: { 200: json('The audience', AudienceSchema), 404: json('No such audience', z.any()), ...ERROR_RESPONSES },
});
const deleteRoute = route({
  method: 'delete',
  path: '/audiences/{id}',
  summary: 'Delete a saved audience',
  request: { query: SiteQuery, params: IdParam },
  responses: { 200: json('Deleted', z.object({ deleted: z.literal(true), id: z.string() })), 404: json('No such audience', z.any()), ...ERROR_RESPONSES },
});
const membersRoute = route({
  method: 'get',
  path: '/audiences/{id}/members',
  summary: 'Members of a saved audience, evaluated now: JSON, CSV, or hashed for ad platforms',
  request: {
    query: SiteQuery.extend({
      format: z.enum(['json', 'csv', 'sha256']).optional().default('json').openapi({
        description: 'json (paged), csv (person_id,customer_id,email,phone), sha256 (Email,Phone: SHA-256 of normalised values, Google Customer Match columns).',
      }),
      limit: rowLimitParam,
      offset: offsetParam,
    }),
    params: IdParam,
  },
  responses: {
    200: { description: 'Members', content: { 'application/json': { schema: MembersSchema }, 'text/csv': { schema: z.string() } } },
    404: json('No such audience', z.any()),
    ...ERROR_RESPONSES,
  },
});

export function audienceRoutes(deps: WriteRouteDeps) {
  const store = createAudienceStore(deps.runner, deps.writer);
  const mustGet = async (site: string, id: string) => {
    const audience = await store.get(site, id);
    if (!audience) throw new NotFoundError(`no audience ${id} on site ${site}`);
    return audience;
  };
  return createRouter()
    .openapi(previewRoute, async (c) => {
      const body = c.req.valid('json');
      const asOf = deps.now();
      const site = c.get('site');
      const result = await queryAudiencePreview(deps.runner, { site, definition: body.definition, asOf, sampleSize: body.sample_size });
      return c.json({ site, as_of: asOf.toISOString(), ...result }, 200);
    }, throwOnInvalidDefinition)
    .openapi(createAudienceRoute, async (c) => {
      const body = c.req.valid('json');
      const site = c.get('site');
      if ((await store.count(site)) >= AUDIENCE_STORE_LIMITS.maxSavedPerSite) {
        throw new BadParameterError('site', `at most ${AUDIENCE_STORE_LIMITS.maxSavedPerSite} saved audiences per site; delete one first`);
      }
      const saved = await store.create(site, { name: body.name, definition: body.definition, createdBy: describePrincipal(c.get('principal')), now: deps.now() });
      return c.json(saved, 201);
    }, throwOnInvalidDefinition)
    .openapi(listRoute, async (c) => {
      const site = c.get('site');
      return c.json({ audiences: await store.list(site, AUDIENCE_STORE_LIMITS.maxSavedPerSite) }, 200);
    })
    .openapi(getRoute, async (c) => {
      return c.json(await mustGet(c.get('site'), c.req.valid('param').id), 200);
    })
    .openapi(deleteRoute, async (c) => {
      const site = c.get('site');
      const { id } = c.req.valid('param');
      if (!(await store.delete(site, id, deps.now()))) throw new NotFoundError(`no audience ${id} on site ${site}`);
      return c.json({ deleted: true as const, id }, 200);
    })
    .openapi(membersRoute, async (c) => {
      const q = c.req.valid('query');
      const site = c.get('site');
      const audience = await mustGet(site, c.req.valid('param').id);
      const asOf = deps.now();
      const csv = q.format !== 'json';
      if (csv && q.limit !== undefined && q.limit > AUDIENCE_STORE_LIMITS.maxExportRows) {
        throw new BadParameterError('limit', `must be at most ${AUDIENCE_STORE_LIMITS.maxExportRows}`);
      }
      const limit = csv ? (q.limit ?? AUDIENCE_STORE_LIMITS.maxExportRows) : resolveRowLimit(q.limit, deps.limits);
      const { total, members } = await queryAudienceMembers(deps.runner, { site, definition: audience.definition, asOf, limit, offset: q.offset });
      if (!csv) return c.json({ audience_id: audience.id, as_of: asOf.toISOString(), total, members }, 200);
      const body = q.format === 'sha256' ? membersSha256Csv(members) : membersCsv(members);
      const filename = `audience-${audience.id}${q.format === 'sha256' ? '-sha256' : ''}.csv`;
      return c.body(body, 200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="${filename}"`,
        'x-total-count': String(total),
      });
    });
}
