/**
 * The materialized views of the warehouse, each defined once: its target table, its source table and its SELECT.
 * migrate() brings every view to this definition after the numbered migrations (sync-projections.ts), and the
 * processor's repair of views an interrupted insert missed (repairProjectionsSql) runs the same SELECT narrowed to
 * the events being repaired, so a view and its repair can never disagree. The numbered migrations that created and
 * altered these views stay as history; this file is authoritative. To change a view: edit it here (plus a numbered
 * migration for any new target column and its backfill); a new view needs its target table in a migration and its
 * entry here.
 */

import { eventTypeSql, eventTypesSql } from './event-type-sql.js';

/** A view's SELECT reads its source as `src`, so conditions added to it (repair, filters) name source columns unambiguously. */
export const SOURCE_ALIAS = 'src';

export interface Projection {
  /** The materialized view. */
  view: string;
  /** The table the view writes to. */
  target: string;
  /** The table whose inserts feed the view. */
  source: 'events' | 'orders' | 'identities';
  /** Target column → expression over the source (read as `src`), in the SELECT's order. */
  columns: ReadonlyArray<readonly [column: string, expression: string]>;
  /** The view's own condition on source rows. */
  where?: string;
  groupBy?: string;
  distinct?: boolean;
  /**
   * What feeding the same source rows twice does to the target: 'fold' (aggregate states or whole-row keys that
   * merge, so it is harmless) or 'copy' (rows kept as inserted, so a repair feeds only rows the target lacks by `key`).
   */
  repeats: { kind: 'fold' } | { kind: 'copy'; key: readonly string[] };
}

const argMinByTime = (expression: string) => `argMinState(${expression}, (src.ts, src.event_id))`;

/** The landing's attribution fields, in the order of the JSON array in sessions.attribution (migration 0350). */
const ATTRIBUTION_FIELDS = [
  'toString(src.channel)', 'toString(src.source)', 'toString(src.medium)', 'toString(src.utm_source)', 'toString(src.utm_medium)',
  'toString(src.utm_campaign)', 'src.utm_term', 'src.utm_content', 'toString(src.click_id_type)', 'src.click_id',
  'toString(src.referrer_host)', 'src.search_term',
];

const browserPairs = (view: string, source: 'events' | 'orders' | 'identities', time: string): Projection => ({
  view,
  target: 'customer_browsers',
  source,
  columns: [['site_id', 'src.site_id'], ['customer_id', 'src.customer_id'], ['anonymous_id', 'src.anonymous_id'], ['day', `toDate(src.${time})`]],
  where: `src.customer_id != ''`,
  distinct: true,
  repeats: { kind: 'fold' },
});

const EVENTS_BY_VISITOR_COLUMNS = [
  'site_id', 'anonymous_id', 'ts', 'event_id', 'type', 'session_id', 'customer_id', 'is_bot', 'machine_open', 'channel', 'source', 'path',
  'campaign_id', 'cart_id', 'product_id', 'product_name', 'price', 'quantity',
] as const;

// Column expressions read source columns through `src.`: a bare name would resolve to the alias of the same name in
// this SELECT where one exists (channel, source, … are aggregate states in sessions: aggregate inside aggregate).
export const PROJECTIONS: readonly Projection[] = [
  {
    // Sessions (0005, attribution since 0350): every aggregate is idempotent (min/max/argMin/argMax over a total
    // order, uniqExact of event ids), so a duplicate insert never double counts.
    view: 'sessions_mv',
    target: 'sessions',
    source: 'events',
    columns: [
      ['site_id', 'src.site_id'],
      ['session_id', 'src.session_id'],
      ['anonymous_id', 'any(src.anonymous_id)'],
      ['customer_id', 'max(src.customer_id)'],
      ['started_at', 'min(src.ts)'],
      ['ended_at', 'max(src.ts)'],
      ['entry_page', `argMinStateIf(src.path, (src.ts, src.event_id), src.type = ${eventTypeSql('page_view')})`],
      ['exit_page', `argMaxStateIf(src.path, (src.ts, src.event_id), src.type = ${eventTypeSql('page_view')})`],
      ['page_views', `uniqExactStateIf(src.event_id, src.type = ${eventTypeSql('page_view')})`],
      ['events', 'uniqExactState(src.event_id)'],
      ['has_cart', `max(src.type = ${eventTypeSql('add_to_cart')})`],
      ['has_checkout', `max(src.type = ${eventTypeSql('checkout_start')})`],
      ['has_purchase', `max(src.type = ${eventTypeSql('purchase')})`],
      ['is_bot', 'max(src.is_bot)'],
      ['channel', argMinByTime('toString(src.channel)')],
      ['source', argMinByTime('toString(src.source)')],
      ['medium', argMinByTime('toString(src.medium)')],
      ['utm_campaign', argMinByTime('toString(src.utm_campaign)')],
      ['country', argMinByTime('toString(src.country)')],
      ['device_type', argMinByTime('toString(src.device_type)')],
      // The landing: the earliest event with a channel (rows without page context have none and cannot be one).
      ['attribution', `argMinStateIf(toJSONString([${ATTRIBUTION_FIELDS.join(', ')}]), (src.ts, src.event_id), src.channel != '')`],
    ],
    groupBy: 'src.site_id, src.session_id',
    repeats: { kind: 'fold' },
  },
  {
    // Session days (0270): one row per (site, day, browser, customer, session) with a non-bot event; max() folds.
    view: 'session_days_mv',
    target: 'session_days',
    source: 'events',
    columns: [
      ['site_id', 'src.site_id'],
      ['day', 'toDate(src.ts)'],
      ['anonymous_id', 'src.anonymous_id'],
      ['customer_id', 'src.customer_id'],
      ['session_id', 'src.session_id'],
      ['visit', `max(src.type NOT IN ${eventTypesSql('email_open', 'email_click')})`],
      ['last_seen', 'max(src.ts)'],
    ],
    where: 'NOT src.is_bot',
    groupBy: 'src.site_id, toDate(src.ts), src.anonymous_id, src.customer_id, src.session_id',
    repeats: { kind: 'fold' },
  },
  // (customer, browser) pairs per day seen (0271, day since 0310): whole-row ReplacingMergeTree keys fold.
  browserPairs('customer_browsers_events_mv', 'events', 'ts'),
  browserPairs('customer_browsers_orders_mv', 'orders', 'ts'),
  browserPairs('customer_browsers_identities_mv', 'identities', 'last_seen'),
  {
    // A narrow copy of events sorted by visitor (0271): rows, not aggregates.
    view: 'events_by_visitor_mv',
    target: 'events_by_visitor',
    source: 'events',
    columns: EVENTS_BY_VISITOR_COLUMNS.map((c) => [c, `src.${c}`] as const),
    repeats: { kind: 'copy', key: ['site_id', 'event_id'] },
  },
];

/** The view's SELECT over `<database>.<source> AS src`, with `narrow` (a condition on src) added to its own when given. */
export function projectionSelect(projection: Projection, database: string, narrow?: string): string {
  const conditions = [projection.where, narrow].filter((c): c is string => Boolean(c));
  return [
    `SELECT ${projection.distinct ? 'DISTINCT ' : ''}${projection.columns.map(([column, expression]) => `${expression} AS ${column}`).join(',\n       ')}`,
    `FROM ${database}.${projection.source} AS ${SOURCE_ALIAS}`,
    conditions.length ? `WHERE ${conditions.map((c) => `(${c})`).join(' AND ')}` : '',
    projection.groupBy ? `GROUP BY ${projection.groupBy}` : '',
  ]
    .filter(Boolean)
    .join('\n');
}

/**
 * Which views a repair of `events` rows re-feeds: every view on events, and the orders view (an order row names its
 * purchase event, so it is narrowed by event like the rest; its pairs fold). The identities view cannot be narrowed by
 * event and needs no repair for what the processor loads: every (customer, browser, day) pair it writes for a link is
 * also written by customer_browsers_events_mv from the event that carried the link (same site, customer, browser and
 * day), and that view is repaired. (A retried identities insert does not feed it: same dedup token, dropped block.)
 * clickhouse-event-store.integration.test.ts drops every view, repairs, and compares each target's rows.
 */
export const REPAIRED_PROJECTIONS: readonly Projection[] = PROJECTIONS.filter((p) => p.source !== 'identities');

/**
 * INSERT … SELECT statements that feed every repaired view again for the events named by the query parameters
 * `{sites:Array(String)}` and `{keys:Array(UUID)}` (their site and event ids): the views' own SELECTs, narrowed.
 * 'copy' targets get only the rows they lack, so running them twice adds nothing anywhere.
 */
export function repairProjectionsSql(database: string): string[] {
  const byEvent = (alias: string) => `${alias}.site_id IN {sites:Array(String)} AND ${alias}.event_id IN {keys:Array(UUID)}`;
  return REPAIRED_PROJECTIONS.map((p) => {
    let narrow = byEvent(SOURCE_ALIAS);
    if (p.repeats.kind === 'copy') {
      const key = p.repeats.key;
      narrow += ` AND (${key.map((c) => `${SOURCE_ALIAS}.${c}`).join(', ')}) NOT IN (SELECT ${key.join(', ')} FROM ${database}.${p.target} AS held WHERE ${byEvent('held')})`;
    }
    return `INSERT INTO ${database}.${p.target} (${p.columns.map(([column]) => column).join(', ')})\n${projectionSelect(p, database, narrow)}`;
  });
}
