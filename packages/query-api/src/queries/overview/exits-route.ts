import { createRoute, z } from '@hono/zod-openapi';
import { ERROR_RESPONSES } from '../../openapi/error-responses.js';
import { includeBotsParam } from '../../params/bots-param.js';
import { dateParam, resolveDateRange } from '../../params/date-range.js';
import { resolveRowLimit, rowLimitParam } from '../../params/row-limit.js';
import { siteParam } from '../../params/site-param.js';
import { queryExits } from './exits.js';
import { BEARER_SECURITY, createRouter } from '../shared/create-router.js';
import type { RouteDeps } from '../shared/route-deps.js';

const flag = (description: string) =>
  z.enum(['true', 'false']).optional().transform((v) => v === 'true').openapi({ description, example: 'false' });

const ExitsQuerySchema = z.object({
  site: siteParam,
  from: dateParam('from'),
  to: dateParam('to'),
  channel: z.string().min(1).max(128).optional().openapi({ description: 'Only sessions whose first event in the range has this channel.', example: 'email' }),
  cart_without_purchase: flag('Only sessions that added to cart and did not purchase.'),
  by: z.enum(['channel']).optional().openapi({ description: 'Split both lists by the session channel (limit applies per channel).' }),
  limit: rowLimitParam,
  include_bots: includeBotsParam,
}).strict();

const count = z.number().int();
const ExitsSchema = z
  .object({
    site: z.string(),
    from: z.string(),
    to: z.string(),
    sessions: count.openapi({ description: 'Sessions with at least one page view that passed the filters.' }),
    exit_pages: z.array(
      z.object({ channel: z.string().optional(), path: z.string(), exits: count, page_views: count, exit_rate: z.number().openapi({ description: 'exits / page_views' }) }),
    ),
    entry_pages: z.array(
      z.object({ channel: z.string().optional(), path: z.string(), entries: count, page_views: count, bounces: count, bounce_rate: z.number().openapi({ description: 'bounces / entries' }) }),
    ),
  })
  .openapi('Exits');

const exitsRoute = createRoute({
  method: 'get',
  path: '/exits',
  summary: 'Exit and entry pages with exits, page views and exit rate',
  security: BEARER_SECURITY,
  request: { query: ExitsQuerySchema },
  responses: { 200: { description: 'Exit and entry pages', content: { 'application/json': { schema: ExitsSchema } } }, ...ERROR_RESPONSES },
});

export function exitRoutes(deps: RouteDeps) {
  return createRouter().openapi(exitsRoute, async (c) => {
    const q = c.req.valid('query');
    const site = c.get('site');
    const range = resolveDateRange(q, deps.limits, deps.now());
    const result = await queryExits(deps.runner, {
      site,
      range,
      includeBots: q.include_bots,
      channel: q.channel ?? '',
      cartWithoutPurchase: q.cart_without_purchase,
      byChannel: q.by === 'channel',
      limit: resolveRowLimit(q.limit, deps.limits),
    });
    return c.json({ site, from: range.from.toISOString(), to: range.to.toISOString(), ...result }, 200);
  });
}
