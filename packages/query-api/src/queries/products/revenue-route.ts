import { createRoute, z } from '@hono/zod-openapi';
import { ERROR_RESPONSES } from '../../openapi/error-responses.js';
import { dateParam, resolveDateRange } from '../../params/date-range.js';
import { offsetParam } from '../../params/offset-param.js';
import { resolveRowLimit, rowLimitParam } from '../../params/row-limit.js';
import { siteParam } from '../../params/site-param.js';
import { ATTRIBUTION_MODELS, REVENUE_DIMENSIONS, queryRevenue } from './revenue.js';
import { DEFAULT_LOOKBACK_DAYS, MAX_LOOKBACK_DAYS } from '../shared/visit-attribution.js';
import { BEARER_SECURITY, createRouter } from '../shared/create-router.js';
import type { RouteDeps } from '../shared/route-deps.js';

const Figures = {
  orders: z.number().int(),
  revenue: z.number(),
  visits: z.number().int(),
  conversion_rate: z.number().nullable().openapi({ description: 'orders / visits (null without visits).' }),
  aov: z.number().nullable().openapi({ description: 'Average order value: revenue / orders (null without orders).' }),
};

const RevenueSchema = z
  .object({
    site: z.string(),
    from: z.string(),
    to: z.string(),
    by: z.enum(REVENUE_DIMENSIONS),
    model: z.enum(ATTRIBUTION_MODELS),
    lookback_days: z.number().int(),
    totals: z.object(Figures),
    values_total: z.number().int().openapi({ description: 'Attribution values in the answer before limit/offset.' }),
    rows: z.array(z.object({ value: z.string(), ...Figures })),
  })
  .openapi('RevenueByAttribution');

const revenueRoute = createRoute({
  method: 'get',
  path: '/revenue',
  summary: 'Orders, revenue, conversion rate and average order value per channel, source, medium, campaign or email campaign',
  description:
    'Orders placed in [from, to) credited by `model`: `visit` (the visit the order was placed in), `last_non_direct` (the ' +
    'person\'s latest non-Direct visit within `lookback_days` before the order, else the order\'s visit) or `first_touch` ' +
    '(the person\'s earliest visit within `lookback_days`). A visit\'s attribution is that of its landing. `visits` counts ' +
    'non-bot visits that started in the range with the value. `email_campaign` groups Email visits by their campaign.',
  security: BEARER_SECURITY,
  request: {
    query: z
      .object({
        site: siteParam,
        from: dateParam('from'),
        to: dateParam('to'),
        by: z.enum(REVENUE_DIMENSIONS).default('channel'),
        model: z.enum(ATTRIBUTION_MODELS).default('visit'),
        lookback_days: z.coerce.number().int().min(1).max(MAX_LOOKBACK_DAYS).default(DEFAULT_LOOKBACK_DAYS).openapi({ description: 'Lookback window of the multi-touch models, days (default 30).' }),
        limit: rowLimitParam,
        offset: offsetParam,
      })
      .strict(),
  },
  responses: { 200: { description: 'Revenue per attribution value, highest first', content: { 'application/json': { schema: RevenueSchema } } }, ...ERROR_RESPONSES },
});

export function revenueRoutes(deps: RouteDeps) {
  return createRouter().openapi(revenueRoute, async (c) => {
    const q = c.req.valid('query');
    const site = c.get('site');
    const range = resolveDateRange(q, deps.limits, deps.now());
    const limit = resolveRowLimit(q.limit, deps.limits);
    const result = await queryRevenue(deps.runner, { site, range, by: q.by, model: q.model, lookbackDays: q.lookback_days, limit, offset: q.offset });
    return c.json({ site, from: range.from.toISOString(), to: range.to.toISOString(), by: q.by, model: q.model, lookback_days: q.lookback_days, ...result }, 200);
  });
}
