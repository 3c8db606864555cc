import { createRoute, z } from '@hono/zod-openapi';
import { BadParameterError } from '../../errors/query-api-errors.js';
import { ERROR_RESPONSES } from '../../openapi/error-responses.js';
import { resolveRowLimit } from '../../params/row-limit.js';
import { queryFunnelPeople } from './funnel-people.js';
import { queryFunnel } from './funnels.js';
import { BEARER_SECURITY, createRouter } from '../shared/create-router.js';
import { FunnelBodySchema, toFunnelSpec } from './funnel-request.js';
import type { RouteDeps } from '../shared/route-deps.js';

const StepResultSchema = z.object({
  step: z.number().int(),
  count: z.number().int(),
  conversion_from_start: z.number().nullable(),
  conversion_from_previous: z.number().nullable(),
  dropped_off: z.number().int().openapi({ description: 'Units that reached the previous step but not this one.' }),
  median_seconds_from_previous: z.number().nullable(),
  median_seconds_from_start: z.number().nullable(),
});

const FunnelResultSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    unit: z.enum(['visitor', 'session']),
    steps: z.array(StepResultSchema),
    breakdown: z.array(z.object({ value: z.string(), steps: z.array(StepResultSchema) })),
  })
  .openapi('FunnelResult');

const PeopleBodySchema = FunnelBodySchema.extend({
  step: z.number().int().min(1).max(10).openapi({ description: 'Return units whose furthest step is exactly this one (reached it, not the next).' }),
  limit: z.number().int().positive().optional(),
  offset: z.number().int().min(0).max(100_000).default(0),
}).strict();

const PeopleResultSchema = z
  .object({
    step: z.number().int(),
    total: z.number().int(),
    people: z.array(
      z.object({
        person_id: z.string(),
        customer_id: z.string().nullable(),
        anonymous_ids: z.array(z.string()),
        session_id: z.string().optional(),
        entered_at: z.string(),
        reached_step_at: z.string(),
        breakdown: z.string().optional(),
      }),
    ),
  })
  .openapi('FunnelPeople');

const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } } });

const funnelRoute = createRoute({
  method: 'post',
  path: '/funnels',
  summary: 'Ordered funnel: per step count, conversion, drop-off and median time to convert',
  security: BEARER_SECURITY,
  request: { body: { required: true, ...json(FunnelBodySchema) } },
  responses: { 200: { description: 'Funnel', ...json(FunnelResultSchema) }, ...ERROR_RESPONSES },
});

const peopleRoute = createRoute({
  method: 'post',
  path: '/funnels/people',
  summary: 'Who reached step k but not k+1 (customers and anonymous visitors)',
  security: BEARER_SECURITY,
  request: { body: { required: true, ...json(PeopleBodySchema) } },
  responses: { 200: { description: 'People', ...json(PeopleResultSchema) }, ...ERROR_RESPONSES },
});

export function funnelRoutes(deps: RouteDeps) {
  return createRouter()
    .openapi(funnelRoute, async (c) => {
      const body = c.req.valid('json');
      const spec = toFunnelSpec(c.get('site'), body, deps.limits, deps.now());
      const result = await queryFunnel(deps.runner, spec, body.breakdown_limit, deps.breakdownValues);
      return c.json({ from: spec.range.from.toISOString(), to: spec.range.to.toISOString(), unit: spec.unit, ...result }, 200);
    })
    .openapi(peopleRoute, async (c) => {
      const body = c.req.valid('json');
      if (body.step > body.steps.length) throw new BadParameterError('step', `must be between 1 and ${body.steps.length} (the number of steps)`);
      const spec = toFunnelSpec(c.get('site'), body, deps.limits, deps.now());
      const limit = resolveRowLimit(body.limit, { ...deps.limits, defaultRows: 100 });
      return c.json(await queryFunnelPeople(deps.runner, spec, body.step, limit, body.offset), 200);
    });
}
