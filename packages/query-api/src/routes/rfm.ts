import { createRoute, z } from '@hono/zod-openapi';
import { ERROR_RESPONSES } from '../openapi/error-responses.js';
import { asOfParam, resolveAsOf } from '../params/as-of-param.js';
import { offsetParam } from '../params/offset-param.js';
import { resolveRowLimit, rowLimitParam } from '../params/row-limit.js';
import { siteParam } from '../params/site-param.js';
import { queryRfmList, queryRfmSegments, RFM_SEGMENTS } from '../queries/rfm.js';
import { BEARER_SECURITY, createRouter } from './create-router.js';
import type { RouteDeps } from './route-deps.js';

export const recencyBasisParam = z
  .enum(['purchase', 'activity'])
  .optional()
  .default('purchase')
  .openapi({ description: 'Recency from the last purchase (default) or the last activity, email opens/clicks included (machine opens excluded).' });

const RfmQuerySchema = z.object({
  site: siteParam,
  as_of: asOfParam,
  recency_basis: recencyBasisParam,
  segment: z.enum(RFM_SEGMENTS).optional().openapi({ description: 'Only customers of this segment.' }),
  limit: rowLimitParam,
  offset: offsetParam,
});

const RfmCustomerSchema = z
  .object({
    customer_id: z.string(),
    recency_days: z.number().int().nullable().openapi({ description: 'Whole days since the last purchase/activity; null: never purchased (purchase basis).' }),
    frequency: z.number().int(),
    monetary: z.number(),
    r: z.number().int().min(1).max(5),
    f: z.number().int().min(1).max(5),
    m: z.number().int().min(1).max(5),
    segment: z.enum(RFM_SEGMENTS),
    last_purchase: z.string().nullable(),
    last_activity: z.string(),
  })
  .openapi('RfmCustomer');

const RfmListSchema = z
  .object({ site: z.string(), as_of: z.string(), recency_basis: z.enum(['purchase', 'activity']), total: z.number().int(), customers: z.array(RfmCustomerSchema) })
  .openapi('RfmList');

const SegmentSchema = z
  .object({
    segment: z.enum(RFM_SEGMENTS),
    customers: z.number().int(),
    share: z.number(),
    orders: z.number().int(),
    monetary: z.number(),
    avg_frequency: z.number().nullable(),
    avg_monetary: z.number().nullable(),
    avg_recency_days: z.number().nullable(),
  })
  .openapi('RfmSegment');

const SegmentsSchema = z
  .object({ site: z.string(), as_of: z.string(), recency_basis: z.enum(['purchase', 'activity']), customers: z.number().int(), segments: z.array(SegmentSchema) })
  .openapi('RfmSegments');

const rfmRoute = createRoute({
  method: 'get',
  path: '/rfm',
  summary: 'RFM scores and segment per customer (ordered by monetary value)',
  security: BEARER_SECURITY,
  request: { query: RfmQuerySchema },
  responses: { 200: { description: 'Customers with RFM scores', content: { 'application/json': { schema: RfmListSchema } } }, ...ERROR_RESPONSES },
});

const segmentsRoute = createRoute({
  method: 'get',
  path: '/rfm/segments',
  summary: 'RFM segment sizes and value',
  security: BEARER_SECURITY,
  request: { query: RfmQuerySchema.pick({ site: true, as_of: true, recency_basis: true }) },
  responses: { 200: { description: 'Every segment, empty ones included', content: { 'application/json': { schema: SegmentsSchema } } }, ...ERROR_RESPONSES },
});

export function rfmRoutes(deps: RouteDeps) {
  return createRouter()
    .openapi(rfmRoute, async (c) => {
      const q = c.req.valid('query');
      const asOf = resolveAsOf(q.as_of, deps.now());
      const limit = resolveRowLimit(q.limit, deps.limits);
      const result = await queryRfmList(deps.runner, { site: q.site, asOf, basis: q.recency_basis, segment: q.segment, limit, offset: q.offset });
      return c.json({ site: q.site, as_of: asOf.toISOString(), recency_basis: q.recency_basis, ...result }, 200);
    })
    .openapi(segmentsRoute, async (c) => {
      const q = c.req.valid('query');
      const asOf = resolveAsOf(q.as_of, deps.now());
      const result = await queryRfmSegments(deps.runner, { site: q.site, asOf, basis: q.recency_basis });
      return c.json({ site: q.site, as_of: asOf.toISOString(), recency_basis: q.recency_basis, ...result }, 200);
    });
}
