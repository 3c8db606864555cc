import { createRoute, z } from '@hono/zod-openapi';
import { ERROR_RESPONSES } from '../openapi/error-responses.js';
import { includeBotsParam } from '../params/bots-param.js';
import { dateParam, resolveDateRange } from '../params/date-range.js';
import { siteParam } from '../params/site-param.js';
import { queryOverviewTotals } from '../queries/overview.js';
import { BEARER_SECURITY, createRouter } from './create-router.js';
import type { RouteDeps } from './route-deps.js';

const OverviewQuerySchema = z.object({
  site: siteParam,
  from: dateParam('from'),
  to: dateParam('to'),
  include_bots: includeBotsParam,
});

const OverviewSchema = z
  .object({
    site: z.string(),
    from: z.string(),
    to: z.string(),
    totals: z.object({ visitors: z.number().int(), sessions: z.number().int(), page_views: z.number().int(), events: z.number().int() }),
  })
  .openapi('Overview');

const overviewRoute = createRoute({
  method: 'get',
  path: '/overview',
  summary: 'Dashboard overview for a date range',
  security: BEARER_SECURITY,
  request: { query: OverviewQuerySchema },
  responses: { 200: { description: 'Overview', content: { 'application/json': { schema: OverviewSchema } } }, ...ERROR_RESPONSES },
});

export function overviewRoutes(deps: RouteDeps) {
  return createRouter().openapi(overviewRoute, async (c) => {
    const q = c.req.valid('query');
    const range = resolveDateRange(q, deps.limits, deps.now());
    const totals = await queryOverviewTotals(deps.runner, { site: q.site, range, includeBots: q.include_bots });
    return c.json({ site: q.site, from: range.from.toISOString(), to: range.to.toISOString(), totals }, 200);
  });
}
