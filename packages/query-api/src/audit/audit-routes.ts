import { createRoute, z } from '@hono/zod-openapi';
import { BadParameterError } from '../errors/query-api-errors.js';
import { ERROR_RESPONSES } from '../openapi/error-responses.js';
import { siteParam } from '../params/site-param.js';
import { BEARER_SECURITY, createRouter } from '../queries/shared/create-router.js';
import type { AuditReader } from './audit-reader.js';

const MAX_ENTRIES = 1000;

const EntrySchema = z
  .object({
    at: z.string(),
    action: z.string().openapi({ example: 'key.create' }),
    actor: z.string().openapi({ example: 'user:u_1', description: 'key:<id>, user:<id> or local-admin' }),
    actorKind: z.string(),
    address: z.string().openapi({ description: 'The client address as the service resolved it.' }),
    site: z.string().openapi({ description: "'' for an instance-wide action" }),
    target: z.string().openapi({ description: 'A key id, an audience id, the SHA-256 of an erased customer id…' }),
    detail: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  })
  .openapi('AuditEntry');
const paging = {
  limit: z.coerce.number().int().min(1).max(MAX_ENTRIES).optional().default(100),
  before: z.string().max(40).optional().openapi({ description: 'ISO 8601: only entries strictly older (the last `at` of the previous page).' }),
};
const answer = { 200: { description: 'Entries, newest first', content: { 'application/json': { schema: z.object({ entries: z.array(EntrySchema) }) } } }, ...ERROR_RESPONSES };

const siteAuditRoute = createRoute({
  method: 'get',
  path: '/admin/audit',
  summary: "A site's audit log: administrative actions, exports and erasures",
  description: 'Needs permission `admin` on the site (role admin or owner, or a key with scope `admin`).',
  security: BEARER_SECURITY,
  request: { query: z.object({ site: siteParam, ...paging }).strict() },
  responses: answer,
});
const instanceAuditRoute = createRoute({
  method: 'get',
  path: '/admin/audit/instance',
  summary: 'The whole audit log: every site and instance-wide actions (users, sites)',
  description: 'Instance-wide: the instance owner and the local admin only (no key, whatever its scopes).',
  security: BEARER_SECURITY,
  request: { query: z.object(paging).strict() },
  responses: answer,
});

const parseBefore = (before: string | undefined) => {
  if (before === undefined) return undefined;
  const at = new Date(before);
  if (Number.isNaN(at.getTime())) throw new BadParameterError('before', 'expected an ISO 8601 date-time');
  return at;
};

export function auditRoutes(reader: AuditReader) {
  return createRouter()
    .openapi(siteAuditRoute, async (c) => {
      const q = c.req.valid('query');
      const before = parseBefore(q.before);
      return c.json({ entries: await reader.list({ site: c.get('site'), limit: q.limit, ...(before ? { before } : {}) }) }, 200);
    })
    .openapi(instanceAuditRoute, async (c) => {
      const q = c.req.valid('query');
      const before = parseBefore(q.before);
      return c.json({ entries: await reader.list({ limit: q.limit, ...(before ? { before } : {}) }) }, 200);
    });
}
