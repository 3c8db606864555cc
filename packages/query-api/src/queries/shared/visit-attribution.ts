import { VISIT_COLUMNS, VISIT_FIELD_INDEX, type VisitColumnField, type VisitField } from '@spoor/infra';
import { PERSON_MAP_CTE } from './person-id.js';

/**
 * Per-visit attribution: the one definition every query reads (issue 19).
 *
 * A visit (session) is attributed to its landing: the session's earliest event by (derived ts, event_id). Migration
 * 0350 keeps that event's channel, source, medium, UTM fields, click id, referrer host and search term as one
 * argMin state in `sessions.attribution`, so a later event of the visit — an SPA page without UTM, the purchase —
 * is credited to the landing, GA4-style. A new campaign starts a new session in the tracker, so it is a new visit.
 * The event's own columns (events.channel, events.utm_campaign, …) stay the facts of that event's page.
 *
 * The stored value is a JSON array of strings (one String state merges faster than a tuple); `visitsCte` decodes it into
 * `attribution Array(String)`, whose fields by (1-based) position are VISIT_FIELD_INDEX (infra visit-fields.ts).
 * Channel, source, medium and campaign are also copied onto every event row (migration 0430, `visitColumn`).
 */
export { VISIT_FIELD_INDEX, type VisitField } from '@spoor/infra';

/** A field of a decoded attribution array ('' when the visit has none): constants only, never input. */
export const visitField = (attribution: string, field: VisitField) => `${attribution}[${VISIT_FIELD_INDEX[field]}]`;

/** A merged `sessions.attribution` state decoded into the array `visitField` reads. */
export const DECODED_ATTRIBUTION = `JSONExtract(argMinMerge(attribution), 'Array(String)')`;

/** The channel a visit without a landing (no events seen yet) is reported under. */
export const NO_CHANNEL = '';

/**
 * CTE `<name>(session_id, anonymous_id, customer_id, started_at, is_bot, attribution)`: the site's visits, merged.
 * `where` narrows the session rows (e.g. `session_id IN (…)` or a started_at range) and is a constant SQL fragment
 * whose parameters the caller binds. Needs `{site:String}` and `{db:Identifier}`.
 */
export const visitsCte = (name: string, where = '') => `${name} AS (
  SELECT session_id, any(anonymous_id) AS anonymous_id, max(customer_id) AS customer_id, min(started_at) AS started_at,
    max(is_bot) AS is_bot, ${DECODED_ATTRIBUTION} AS attribution
  FROM {db:Identifier}.sessions
  WHERE site_id = {site:String}${where ? ` AND ${where}` : ''}
  GROUP BY session_id
)`;

/** A touch that is not Direct (nor channel-less); case-insensitive, as imported history may spell it `direct`. */
const NON_DIRECT = (tuple: string) => `lower(${visitField(tuple, 'channel')}) NOT IN ('direct', '')`;

/**
 * Scalar `visit_fix_<field>`: (hashes of session ids, values) of the site's visits still marked unsettled (migration
 * 0430: their events' visit_* columns may be stale until the processor settles them), read from sessions. Small:
 * the visits marked since the last settle (every few minutes). Needs `{site:String}` and `{db:Identifier}`.
 */
export const visitFixLookup = (field: VisitColumnField) => `(
  SELECT (groupArray(cityHash64(session_id)), groupArray(JSONExtractString(a, ${VISIT_FIELD_INDEX[field]})))
  FROM (
    SELECT session_id, argMinMerge(attribution) AS a FROM {db:Identifier}.sessions
    WHERE site_id = {site:String} AND session_id IN (SELECT session_id FROM {db:Identifier}.unsettled_visits WHERE site_id = {site:String})
    GROUP BY session_id
  )
) AS visit_fix_${field}`;

/**
 * The attribution field of the visit an events row (aliased `alias`) belongs to: its visit_* column, or for a visit
 * not settled yet the value `visitFixLookup(field)` read from sessions, so an answer never depends on settling. The
 * column's value for an unsettled visit is never read: whatever it holds, the lookup wins.
 */
export const visitColumn = (alias: string, field: VisitColumnField) =>
  `transform(cityHash64(${alias}.session_id), visit_fix_${field}.1, visit_fix_${field}.2, toString(${alias}.${VISIT_COLUMNS[field]}))`;

/** Default lookback of the multi-touch models (GA4's default for acquisition conversion events). */
export const DEFAULT_LOOKBACK_DAYS = 30;
export const MAX_LOOKBACK_DAYS = 90;

/**
 * CTEs ending in `order_touches(order_id, ts, revenue, currency, items_count, session_id, visit, first_touch,
 * last_non_direct)` for the orders `orders_in` selects (a CTE the caller defines before: order rows with order_id, ts,
 * revenue, currency, items_count, anonymous_id, customer_id, session_id).
 *
 * - visit: the attribution of the order's own visit (its session).
 * - first_touch: the person's earliest visit that started within `{lookback_days}` days before the order.
 * - last_non_direct: the person's latest visit started within the lookback, at or before the order, whose channel is not
 *   Direct (GA4's "last non-direct click"); when every visit in the window was Direct, the order's own visit.
 * A person is stitched as everywhere else (person-id.ts): the linked customer, else the customer id the rows carry,
 * else the anonymous id. `candidateVisits` narrows the sessions read as touches (a superset of every order's
 * lookback visits: a day range of session_days, or the customer's browsers); a constant fragment whose parameters
 * the caller binds. Needs `{site}`, `{db}` and `{lookback_days:UInt16}`.
 */
export const orderTouchesCtes = (candidateVisits: string) => `${PERSON_MAP_CTE},
order_people AS (
  SELECT o.*, if(pm.linked_customer != '', pm.linked_customer, if(o.customer_id != '', o.customer_id, o.anonymous_id)) AS person_id
  FROM orders_in AS o LEFT ANY JOIN person_map AS pm ON pm.anonymous_id = o.anonymous_id
),
${visitsCte('window_visits', candidateVisits)},
person_visits AS (
  SELECT v.session_id AS session_id, v.started_at AS started_at, v.attribution AS attribution,
    if(pm.linked_customer != '', pm.linked_customer, if(v.customer_id != '', v.customer_id, v.anonymous_id)) AS person_id
  FROM window_visits AS v LEFT ANY JOIN person_map AS pm ON pm.anonymous_id = v.anonymous_id
  WHERE NOT v.is_bot AND person_id IN (SELECT person_id FROM order_people)
),
touches AS (
  SELECT op.order_id AS order_id,
    argMin(pv.attribution, (pv.started_at, pv.session_id)) AS first_touch,
    argMaxIf(pv.attribution, (pv.started_at, pv.session_id), ${NON_DIRECT('pv.attribution')}) AS last_nd,
    countIf(${NON_DIRECT('pv.attribution')}) AS non_direct
  FROM order_people AS op INNER JOIN person_visits AS pv ON pv.person_id = op.person_id
  WHERE pv.started_at <= op.ts AND pv.started_at >= op.ts - toIntervalDay({lookback_days:UInt16})
  GROUP BY op.order_id
),
${visitsCte('order_visits', 'session_id IN (SELECT session_id FROM orders_in)')},
order_touches AS (
  SELECT op.order_id AS order_id, op.ts AS ts, op.revenue AS revenue, op.currency AS currency, op.items_count AS items_count,
    op.session_id AS session_id, ov.attribution AS visit,
    if(t.order_id = '', ov.attribution, t.first_touch) AS first_touch,
    if(t.non_direct > 0, t.last_nd, ov.attribution) AS last_non_direct
  FROM order_people AS op
  LEFT ANY JOIN order_visits AS ov ON ov.session_id = op.session_id
  LEFT ANY JOIN touches AS t ON t.order_id = op.order_id
)`;

/** Session ids of non-bot visits in session_days between `{visits_from}` and `{visits_to}` (DateTime64 parameters). */
export const VISITS_BY_DAY = `session_id IN (SELECT session_id FROM {db:Identifier}.session_days WHERE site_id = {site:String} AND day >= toDate32({visits_from:DateTime64(3, 'UTC')}) AND day <= toDate32({visits_to:DateTime64(3, 'UTC')}) AND visit = 1)`;

/** An attribution tuple as the API shows it (the fields a marketer reads; click ids stay in the tables). */
export const attributionJson = (tuple: string) =>
  `tuple(${visitField(tuple, 'channel')}, ${visitField(tuple, 'source')}, ${visitField(tuple, 'medium')}, ${visitField(tuple, 'campaign')})`;
export interface Attribution {
  channel: string;
  source: string;
  medium: string;
  campaign: string;
}
export const toAttribution = ([channel, source, medium, campaign]: [string, string, string, string]): Attribution => ({ channel, source, medium, campaign });
