import { createRoute, z } from '@hono/zod-openapi';
import { ERROR_RESPONSES } from '../../openapi/error-responses.js';
import { includeBotsParam } from '../../params/bots-param.js';
import { dateParam, resolveDateRange } from '../../params/date-range.js';
import { resolveRowLimit, rowLimitParam } from '../../params/row-limit.js';
import { siteParam } from '../../params/site-param.js';
import { queryAbandonedCarts } from './abandoned-carts.js';
import { BEARER_SECURITY, createRouter } from '../shared/create-router.js';
import type { RouteDeps } from '../shared/route-deps.js';

const CartsQuerySchema = z.object({
  site: siteParam,
  from: dateParam('from'),
  to: dateParam('to'),
  hours: z.coerce.number().int().min(1).max(720).default(24).openapi({ description: 'A cart is abandoned when no purchase closes it within this many hours after its last change (default 24).', example: 24 }),
  limit: rowLimitParam,
  include_bots: includeBotsParam,
}).strict();

const CartsSchema = z
  .object({
    site: z.string(),
    from: z.string(),
    to: z.string(),
    hours: z.number().int(),
    abandoned_carts: z.number().int().openapi({ description: 'Carts, each counted once however many visits it spans.' }),
    value: z.number().openapi({ description: 'Sum of the abandoned carts\' values.' }),
    carts: z.array(
      z.object({
        cart_id: z.string().nullable().openapi({ description: 'null when the shop sent no cart id (the cart is the browser\'s).' }),
        customer_id: z.string().nullable(),
        anonymous_id: z.string(),
        items: z.array(z.object({ product_id: z.string(), name: z.string(), quantity: z.number().int(), price: z.number() })),
        value: z.number(),
        currency: z.string(),
        first_activity_at: z.string(),
        last_activity_at: z.string(),
        sessions: z.number().int(),
      }),
    ),
  })
  .openapi('AbandonedCarts');

const cartsRoute = createRoute({
  method: 'get',
  path: '/carts/abandoned',
  summary: 'Carts with items and no purchase within N hours, once per cart, with value and customer',
  security: BEARER_SECURITY,
  request: { query: CartsQuerySchema },
  responses: { 200: { description: 'Abandoned carts, newest first', content: { 'application/json': { schema: CartsSchema } } }, ...ERROR_RESPONSES },
});

export function cartRoutes(deps: RouteDeps) {
  return createRouter().openapi(cartsRoute, async (c) => {
    const q = c.req.valid('query');
    const site = c.get('site');
    const now = deps.now();
    const range = resolveDateRange(q, deps.limits, now);
    const result = await queryAbandonedCarts(deps.runner, {
      site,
      range,
      hours: q.hours,
      now,
      includeBots: q.include_bots,
      limit: resolveRowLimit(q.limit, { ...deps.limits, defaultRows: 100 }),
    });
    return c.json({ site, from: range.from.toISOString(), to: range.to.toISOString(), hours: q.hours, ...result }, 200);
  });
}
