import { createRoute, z } from '@hono/zod-openapi';
import { ERROR_RESPONSES } from '../../openapi/error-responses.js';
import { includeBotsParam } from '../../params/bots-param.js';
import { dateParam, resolveDateRange } from '../../params/date-range.js';
import { resolveRowLimit, rowLimitParam } from '../../params/row-limit.js';
import { siteParam } from '../../params/site-param.js';
import { queryOverview } from './overview.js';
import { BEARER_SECURITY, createRouter } from '../shared/create-router.js';
import type { RouteDeps } from '../shared/route-deps.js';

const sessionFilter = (what: string, example: string) =>
  z.string().min(1).max(128).optional().openapi({ description: `Only sessions whose first event in the range has this ${what}.`, example });

const OverviewQuerySchema = z.object({
  site: siteParam,
  from: dateParam('from'),
  to: dateParam('to'),
  channel: sessionFilter('channel', 'email'),
  country: sessionFilter('country (ISO code)', 'DE'),
  device: sessionFilter('device type', 'mobile'),
  limit: rowLimitParam,
  include_bots: includeBotsParam,
}).strict();

const count = z.number().int();
const OverviewSchema = z
  .object({
    site: z.string(),
    from: z.string(),
    to: z.string(),
    totals: z.object({
      visitors: count.openapi({ description: 'Identity-stitched people.' }),
      sessions: count,
      page_views: count,
      events: count,
      bounce_rate: z.number().nullable().openapi({ description: 'Sessions with exactly one page view / sessions with at least one.' }),
      median_session_seconds: z.number().nullable(),
    }),
    events_by_type: z.array(z.object({ type: z.string(), count })),
    top_pages: z.array(z.object({ path: z.string(), page_views: count, sessions: count })),
    entry_pages: z.array(z.object({ path: z.string(), sessions: count })),
    channels: z.array(z.object({ channel: z.string(), sessions: count, visitors: count })),
    sources: z.array(z.object({ source: z.string(), medium: z.string(), sessions: count, visitors: count })),
    search_terms: z.array(z.object({ term: z.string(), searches: count, sessions: count })),
    countries: z.array(z.object({ country: z.string(), sessions: count, visitors: count })),
    devices: z.array(z.object({ device: z.string(), sessions: count, visitors: count })),
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
    const site = c.get('site');
    const range = resolveDateRange(q, deps.limits, deps.now());
    const overview = await queryOverview(deps.runner, {
      site,
      range,
      includeBots: q.include_bots,
      channel: q.channel ?? '',
      country: q.country ?? '',
      device: q.device ?? '',
      limit: resolveRowLimit(q.limit, deps.limits),
    });
    return c.json({ site, from: range.from.toISOString(), to: range.to.toISOString(), ...overview }, 200);
  });
}
