import { describePrincipal } from '../../access/principal.js';
import { createRoute, z } from '@hono/zod-openapi';
import { NotFoundError } from '../../errors/query-api-errors.js';
import { ERROR_RESPONSES } from '../../openapi/error-responses.js';
import { siteParam } from '../../params/site-param.js';
import { eraseCustomer } from './customer-erasure.js';
import { queryCustomerProfile } from './customer-profile.js';
import { CUSTOMER_SEGMENTS } from '../rfm/rfm.js';
import { scoreCustomer } from '../rfm/rfm-scoring.js';
import { RFM_SCORING, RFM_SCORING_DESCRIPTION } from '../rfm/rfm-scoring-rule.js';
import { BEARER_SECURITY, createRouter } from '../shared/create-router.js';
import { recencyBasisParam } from '../rfm/rfm-route.js';
import type { WriteRouteDeps } from '../shared/write-route-deps.js';

const AttributionSchema = z.object({ channel: z.string(), source: z.string(), medium: z.string(), campaign: z.string() }).openapi('Attribution');

/** Rows per list in a profile (orders, sessions, campaigns, carts). */
const PROFILE_LIST_ROWS = 20;

const CustomerIdParam = z.object({ id: z.string().min(1).max(128).openapi({ param: { name: 'id', in: 'path' }, example: 'c1' }) });

const ProfileSchema = z
  .object({
    site: z.string(),
    customer_id: z.string(),
    as_of: z.string(),
    first_seen: z.string().nullable(),
    last_seen: z.string().nullable(),
    anonymous_ids: z.array(z.string()),
    rfm: z.object({
      recency_basis: z.enum(['purchase', 'activity']),
      recency_days: z.number().int().nullable(),
      frequency: z.number().int(),
      monetary: z.number(),
      r: z.number().int().min(1).max(5).nullable().openapi({ description: 'Score 1–5 by the rule in `scoring`, as GET /rfm; null (segment "No purchase yet") when the customer never bought.' }),
      f: z.number().int().min(1).max(5).nullable(),
      m: z.number().int().min(1).max(5).nullable(),
      segment: z.enum(CUSTOMER_SEGMENTS),
      population: z.number().int().openapi({ description: 'Buyers of the site: the same population GET /rfm scores (and ranks, with quintiles), for the same data.' }),
      scoring: z.enum(RFM_SCORING).openapi({ description: RFM_SCORING_DESCRIPTION }),
    }),
    lifetime_value: z.object({ orders: z.number().int(), revenue: z.number() }),
    orders: z.array(
      z.object({
        order_id: z.string(),
        ts: z.string(),
        revenue: z.number(),
        currency: z.string(),
        items_count: z.number().int(),
        channel: z.string().openapi({ description: "The channel of the visit the order was placed in (its landing's), not of the purchase page." }),
        attribution: z
          .object({ visit: AttributionSchema, first_touch: AttributionSchema, last_non_direct: AttributionSchema })
          .openapi({ description: 'The order\'s visit, and the first-touch and last non-direct visits within 30 days before it (docs/api-customers.md).' }),
      }),
    ),
    sessions: z.array(
      z.object({ session_id: z.string(), started_at: z.string(), ended_at: z.string(), channel: z.string(), source: z.string(), entry_page: z.string(), page_views: z.number().int(), purchased: z.boolean() }),
    ),
    emails: z.object({
      /** Campaigns a human opened: unique per campaign, however often the pixel was fetched. */
      opens: z.number().int(),
      /** Campaigns a machine (privacy proxy, scanner) fetched the pixel of, counted apart; not activity. */
      machine_opens: z.number().int(),
      clicks: z.number().int(),
      campaigns: z.array(z.object({ campaign_id: z.string(), first_opened_at: z.string().nullable(), first_clicked_at: z.string().nullable(), opens: z.number().int(), clicks: z.number().int() })),
    }),
    open_carts: z.array(
      z.object({
        cart_id: z.string(),
        updated_at: z.string(),
        value: z.number(),
        items: z.array(z.object({ product_id: z.string(), product_name: z.string(), quantity: z.number().int(), price: z.number() })),
      }),
    ),
  })
  .openapi('CustomerProfile');

const ErasureSchema = z
  .object({
    erasure_id: z.string(),
    customer_id: z.string(),
    anonymous_ids: z.number().int(),
    deleted: z.record(z.string(), z.number().int()),
    hooks: z.record(z.string(), z.string()),
    requested_at: z.string(),
    completed_at: z.string(),
  })
  .openapi('Erasure');

const profileRoute = createRoute({
  method: 'get',
  path: '/customers/{id}',
  summary: 'Customer profile for support: RFM, lifetime value, orders, sessions, emails, open carts',
  security: BEARER_SECURITY,
  request: { params: CustomerIdParam, query: z.object({ site: siteParam, recency_basis: recencyBasisParam }).strict() },
  responses: {
    200: { description: 'Profile', content: { 'application/json': { schema: ProfileSchema } } },
    404: { description: 'Customer never seen on this site', content: { 'application/json': { schema: z.any() } } },
    ...ERROR_RESPONSES,
  },
});

const eraseRoute = createRoute({
  method: 'delete',
  path: '/customers/{id}',
  summary: "Erase a customer (right to erasure): their events, stitched anonymous ids' events, identities, orders, sessions, raw events",
  security: BEARER_SECURITY,
  request: { params: CustomerIdParam, query: z.object({ site: siteParam }).strict() },
  responses: { 200: { description: 'Erased; rows removed per table and the audit id', content: { 'application/json': { schema: ErasureSchema } } }, ...ERROR_RESPONSES },
});

export function customerRoutes(deps: WriteRouteDeps) {
  const clearPopulation = { name: 'rfm-population-cache', run: async () => (deps.rfmPopulation.clear(), 'cleared') };
  return createRouter()
    .openapi(profileRoute, async (c) => {
      const { recency_basis } = c.req.valid('query');
      const site = c.get('site');
      const { id } = c.req.valid('param');
      const asOf = deps.now();
      const [profile, population] = await Promise.all([
        queryCustomerProfile(deps.runner, { site, customer: id, asOf, limit: PROFILE_LIST_ROWS }),
        deps.rfmPopulation.get(site, recency_basis, asOf),
      ]);
      if (!profile) throw new NotFoundError(`no customer ${id} on site ${site}`);
      return c.json(
        {
          site,
          customer_id: id,
          as_of: asOf.toISOString(),
          first_seen: profile.summary.first_seen,
          last_seen: profile.summary.last_seen,
          anonymous_ids: profile.anonymousIds.linked,
          rfm: { recency_basis, ...scoreCustomer(population, id, asOf, deps.rfmQuintileMinBuyers) },
          lifetime_value: profile.lifetime,
          orders: profile.orders,
          sessions: profile.sessions,
          emails: { opens: profile.summary.email_opens, machine_opens: profile.summary.email_machine_opens, clicks: profile.summary.email_clicks, campaigns: profile.emails },
          open_carts: profile.openCarts,
        },
        200,
      );
    })
    .openapi(eraseRoute, async (c) => {
      const site = c.get('site');
      const { id } = c.req.valid('param');
      const result = await eraseCustomer(
        { writer: deps.writer, hooks: [clearPopulation, ...deps.erasureHooks], now: deps.now },
        { site, customer: id, requestedBy: describePrincipal(c.get('principal')) },
      );
      return c.json(result, 200);
    });
}
