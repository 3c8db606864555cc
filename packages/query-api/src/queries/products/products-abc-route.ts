import { createRoute, z } from '@hono/zod-openapi';
import { ERROR_RESPONSES } from '../../openapi/error-responses.js';
import { dateParam, resolveDateRange } from '../../params/date-range.js';
import { offsetParam } from '../../params/offset-param.js';
import { resolveRowLimit, rowLimitParam } from '../../params/row-limit.js';
import { siteParam } from '../../params/site-param.js';
import { queryProductsAbc } from './products-abc.js';
import { BEARER_SECURITY, createRouter } from '../shared/create-router.js';
import type { RouteDeps } from '../shared/route-deps.js';

const AbcClass = z.enum(['A', 'B', 'C']);
const AbcSchema = z
  .object({
    site: z.string(),
    from: z.string(),
    to: z.string(),
    total_revenue: z.number(),
    products_total: z.number().int(),
    classes: z.array(z.object({ class: AbcClass, products: z.number().int(), revenue: z.number(), share: z.number() })),
    products: z.array(
      z.object({
        product_id: z.string(),
        product_name: z.string(),
        revenue: z.number(),
        units: z.number().int(),
        orders: z.number().int(),
        share: z.number(),
        cumulative_share: z.number(),
        class: AbcClass,
      }),
    ),
  })
  .openapi('ProductsAbc');

const abcRoute = createRoute({
  method: 'get',
  path: '/products/abc',
  summary: 'ABC analysis: products by revenue share into A (first 80 %), B (next 15 %), C (last 5 %)',
  security: BEARER_SECURITY,
  request: { query: z.object({ site: siteParam, from: dateParam('from'), to: dateParam('to'), limit: rowLimitParam, offset: offsetParam }).strict() },
  responses: { 200: { description: 'Products by revenue, with their class', content: { 'application/json': { schema: AbcSchema } } }, ...ERROR_RESPONSES },
});

export function productsAbcRoutes(deps: RouteDeps) {
  return createRouter().openapi(abcRoute, async (c) => {
    const q = c.req.valid('query');
    const site = c.get('site');
    const range = resolveDateRange(q, deps.limits, deps.now());
    const limit = resolveRowLimit(q.limit, deps.limits);
    const result = await queryProductsAbc(deps.runner, { site, range, limit, offset: q.offset });
    return c.json({ site, from: range.from.toISOString(), to: range.to.toISOString(), ...result }, 200);
  });
}
