import { z } from '@hono/zod-openapi';
import { EVENT_TYPES } from '@spoor/events';
import { dateParam, resolveDateRange } from '../../params/date-range.js';
import type { QueryLimits } from '../../params/query-limits.js';
import { siteParam } from '../../params/site-param.js';
import { BREAKDOWN_COLUMNS, STEP_FILTER_COLUMNS, type Breakdown, type FunnelSpec, type StepFilter } from './funnel-sql.js';

export const MAX_FUNNEL_STEPS = 10;
export const MAX_WINDOW_SECONDS = 90 * 86_400;

const filterValue = z.string().min(1).max(256);
const windowSeconds = z.number().int().positive().max(MAX_WINDOW_SECONDS);

export const FunnelStepSchema = z
  .object({
    type: z.enum(EVENT_TYPES).openapi({ example: 'page_view' }),
    path: z.string().min(1).max(512).optional().openapi({ description: 'URL path pattern; `*` matches any characters, all else is literal.', example: '/products/*' }),
    category: filterValue.optional().openapi({ description: 'Product category, exact.' }),
    product_id: filterValue.optional(),
    brand: filterValue.optional(),
    name: filterValue.optional().openapi({ description: 'Custom event name (type `custom`).' }),
    channel: filterValue.optional().openapi({ description: "The channel of the step's visit (its landing's), exact." }),
    window_seconds: windowSeconds.optional().openapi({ description: 'This step must happen within this many seconds of entering the funnel (tightens the funnel window).' }),
  })
  .strict()
  .openapi('FunnelStep');

export const FunnelBodySchema = z
  .object({
    site: siteParam,
    from: dateParam('from'),
    to: dateParam('to'),
    steps: z.array(FunnelStepSchema).min(2).max(MAX_FUNNEL_STEPS),
    window_seconds: windowSeconds.default(86_400).openapi({ description: 'Conversion window: every step within this many seconds of the entry (default 1 day).' }),
    order: z.enum(['non_strict', 'strict']).default('non_strict').openapi({
      description: 'non_strict: other events may occur between steps. strict: the next event after a step (page_ping ignored) must be the next step.',
    }),
    unit: z.enum(['visitor', 'session']).default('visitor').openapi({ description: 'visitor: identity-stitched person; session: one browsing session.' }),
    breakdown: z.enum(Object.keys(BREAKDOWN_COLUMNS) as [Breakdown, ...Breakdown[]]).optional().openapi({
      description: "Split by the entry: channel, source, medium and campaign are the attribution of the entry's visit (its landing); device and country the entry event's own value.",
    }),
    breakdown_limit: z.number().int().positive().max(100).default(10),
    include_bots: z.boolean().default(false),
  })
  .strict();

export type FunnelBody = z.infer<typeof FunnelBodySchema>;

/** `site` is the one the auth middleware resolved (`c.get('site')`); the body's own parses to undefined. */
export function toFunnelSpec(site: string, body: FunnelBody, limits: QueryLimits, now: Date): FunnelSpec {
  return {
    site,
    range: resolveDateRange(body, limits, now),
    steps: body.steps.map((s) => ({
      type: s.type,
      path: s.path,
      filters: Object.fromEntries((Object.keys(STEP_FILTER_COLUMNS) as StepFilter[]).filter((f) => s[f] !== undefined).map((f) => [f, s[f]])),
      windowSeconds: s.window_seconds,
    })),
    windowSeconds: body.window_seconds,
    order: body.order,
    unit: body.unit,
    breakdown: body.breakdown,
    includeBots: body.include_bots,
  };
}
