import { createRoute, z } from '@hono/zod-openapi';
import { ERROR_RESPONSES } from '../../openapi/error-responses.js';
import { asOfParam, resolveAsOf } from '../../params/as-of-param.js';
import { offsetParam } from '../../params/offset-param.js';
import { resolveRowLimit, rowLimitParam } from '../../params/row-limit.js';
import { siteParam } from '../../params/site-param.js';
import { CUSTOMER_SEGMENTS, NO_PURCHASE_SEGMENT, queryRfmList, queryRfmSegments, RFM_INCLUDE } from './rfm.js';
import { RFM_SCORING, RFM_SCORING_DESCRIPTION } from './rfm-scoring-rule.js';
import { BEARER_SECURITY, createRouter } from '../shared/create-router.js';
import type { RouteDeps } from '../shared/route-deps.js';

export const recencyBasisParam = z
  .enum(['purchase', 'activity'])
  .optional()
  .default('purchase')
  .openapi({ description: 'Recency from the last purchase (default) or the last activity, email opens/clicks included (machine opens excluded).' });

const includeParam = z
  .enum(RFM_INCLUDE)
  .optional()
  .default('buyers')
  .openapi({ description: `Which customers: \`buyers\` (default; the scored ones) or \`all\`, adding customers without a purchase (no scores, segment "${NO_PURCHASE_SEGMENT}").` });

const segmentParam = z.enum(CUSTOMER_SEGMENTS).optional().openapi({ description: `Only customers of this segment ("${NO_PURCHASE_SEGMENT}" needs include=all).` });

const RfmQuerySchema = z
  .object({
    site: siteParam,
    as_of: asOfParam,
    recency_basis: recencyBasisParam,
    include: includeParam,
    segment: segmentParam,
    limit: rowLimitParam,
    offset: offsetParam,
  })
  .strict()
  .superRefine((q, ctx) => {
    // Asking for non-buyers while excluding them would silently answer "none".
    if (q.segment === NO_PURCHASE_SEGMENT && q.include !== 'all') {
      ctx.addIssue({ code: 'custom', path: ['segment'], message: `segment "${NO_PURCHASE_SEGMENT}" lists customers without purchases: add include=all` });
    }
  });

const RfmCustomerSchema = z
  .object({
    customer_id: z.string(),
    recency_days: z.number().int().nullable().openapi({ description: 'Whole days since the last purchase/activity; null: never purchased (purchase basis).' }),
    frequency: z.number().int(),
    monetary: z.number(),
    r: z.number().int().min(1).max(5).nullable().openapi({ description: 'Score 1–5 by the rule in `scoring`; null for a customer without purchases.' }),
    f: z.number().int().min(1).max(5).nullable(),
    m: z.number().int().min(1).max(5).nullable(),
    segment: z.enum(CUSTOMER_SEGMENTS),
    last_purchase: z.string().nullable(),
    last_activity: z.string(),
  })
  .openapi('RfmCustomer');

const scoringSchema = z.enum(RFM_SCORING).openapi({ description: RFM_SCORING_DESCRIPTION });
const buyersSchema = z.number().int().openapi({ description: 'Buyers (customers with an order before as_of) of the site: N of the scoring rule, whatever the filters.' });

const RfmListSchema = z
  .object({
    site: z.string(),
    as_of: z.string(),
    recency_basis: z.enum(['purchase', 'activity']),
    include: z.enum(RFM_INCLUDE),
    scoring: scoringSchema,
    buyers: buyersSchema,
    total: z.number().int(),
    customers: z.array(RfmCustomerSchema),
  })
  .openapi('RfmList');

const SegmentSchema = z
  .object({
    segment: z.enum(CUSTOMER_SEGMENTS),
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
  .object({
    site: z.string(),
    as_of: z.string(),
    recency_basis: z.enum(['purchase', 'activity']),
    include: z.enum(RFM_INCLUDE),
    scoring: scoringSchema,
    buyers: buyersSchema,
    customers: z.number().int(),
    segments: z.array(SegmentSchema),
  })
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
  request: { query: z.object({ site: siteParam, as_of: asOfParam, recency_basis: recencyBasisParam, include: includeParam }).strict() },
  responses: { 200: { description: 'Every segment, empty ones included', content: { 'application/json': { schema: SegmentsSchema } } }, ...ERROR_RESPONSES },
});

export function rfmRoutes(deps: RouteDeps) {
  return createRouter()
    .openapi(rfmRoute, async (c) => {
      const q = c.req.valid('query');
      const asOf = resolveAsOf(q.as_of, deps.now());
      const limit = resolveRowLimit(q.limit, deps.limits);
      const result = await queryRfmList(deps.runner, {
        site: c.get('site'),
        asOf,
        basis: q.recency_basis,
        include: q.include,
        quintileMinBuyers: deps.rfmQuintileMinBuyers,
        segment: q.segment,
        limit,
        offset: q.offset,
      });
      return c.json({ site: c.get('site'), as_of: asOf.toISOString(), recency_basis: q.recency_basis, include: q.include, ...result }, 200);
    })
    .openapi(segmentsRoute, async (c) => {
      const q = c.req.valid('query');
      const asOf = resolveAsOf(q.as_of, deps.now());
      const result = await queryRfmSegments(deps.runner, { site: c.get('site'), asOf, basis: q.recency_basis, include: q.include, quintileMinBuyers: deps.rfmQuintileMinBuyers });
      return c.json({ site: c.get('site'), as_of: asOf.toISOString(), recency_basis: q.recency_basis, include: q.include, ...result }, 200);
    });
}
