import type { QueryRunner } from '../../clickhouse/query-runner.js';
import { rangeParams, type DateRange } from '../../params/date-range.js';
import { PERSON_MAP_CTE, joinPersonMap, personOf } from '../shared/person-id.js';
import { eventTypeSql, eventTypesSql } from '@spoor/infra';

export interface OverviewQuery {
  site: string;
  range: DateRange;
  includeBots: boolean;
  /** Session-level filters ('' = any): the session's first event in the range decides. */
  channel: string;
  country: string;
  device: string;
  limit: number;
}

export interface Overview {
  totals: { visitors: number; sessions: number; page_views: number; events: number; bounce_rate: number | null; median_session_seconds: number | null };
  events_by_type: Array<{ type: string; count: number }>;
  top_pages: Array<{ path: string; page_views: number; sessions: number }>;
  entry_pages: Array<{ path: string; sessions: number }>;
  channels: Array<{ channel: string; sessions: number; visitors: number }>;
  sources: Array<{ source: string; medium: string; sessions: number; visitors: number }>;
  search_terms: Array<{ term: string; searches: number; sessions: number }>;
  countries: Array<{ country: string; sessions: number; visitors: number }>;
  devices: Array<{ device: string; sessions: number; visitors: number }>;
}

// Events in the range. No FINAL: the processor stops duplicates before insert and ReplacingMergeTree folds an
// exact redelivery at merge; FINAL made this query ~25x slower on 10M rows (docs/performance/query-api.md).
const EVENTS_CTE = `ev AS (
  SELECT event_id, type, ts, session_id, anonymous_id, customer_id, path, search_query,
         channel, source, medium, country, device_type
  FROM {db:Identifier}.events
  WHERE site_id = {site:String}
    AND ts >= {from:DateTime64(3, 'UTC')} AND ts < {to:DateTime64(3, 'UTC')}
    AND ({include_bots:Bool} OR NOT is_bot)
)`;

// Sessions as seen inside the range; attributes come from their first event there. Only visits are sessions: email
// opens and clicks carry a pseudo-session (`email:<campaign>`, shared by every recipient) and a pseudo-browser
// (`email:<customer>`), so a session without a browsing event is no visit and its "visitor" no visitor
// (docs/api-customers.md says the same of audiences).
const SESSIONS_CTE = `sess AS (
  SELECT session_id, anonymous_id, page_views, entry_page, duration,
    first_attrs.1 AS channel, first_attrs.2 AS source, first_attrs.3 AS medium, first_attrs.4 AS country, first_attrs.5 AS device
  FROM (
    SELECT session_id, any(anonymous_id) AS anonymous_id,
      -- one argMin over a tuple instead of five: the first event's attributes in one pass
      argMin((toString(channel), toString(source), toString(medium), toString(country), toString(device_type)), (ts, event_id)) AS first_attrs,
      countIf(type = ${eventTypeSql('page_view')}) AS page_views,
      argMinIf(path, (ts, event_id), type = ${eventTypeSql('page_view')}) AS entry_page,
      (toUnixTimestamp64Milli(max(ts)) - toUnixTimestamp64Milli(min(ts))) / 1000 AS duration
    FROM ev
    WHERE session_id != ''
    GROUP BY session_id
    HAVING countIf(type NOT IN ${eventTypesSql('email_open', 'email_click')}) > 0
  )
  WHERE ({channel:String} = '' OR channel = {channel:String})
    AND ({country:String} = '' OR country = {country:String})
    AND ({device:String} = '' OR device = {device:String})
)`;


const SESSION_SQL = `WITH ${PERSON_MAP_CTE}, ${EVENTS_CTE}, ${SESSIONS_CTE}
SELECT
  multiIf(grouping(channel) = 0, 'channel', grouping(source) = 0, 'source', grouping(country) = 0, 'country',
          grouping(device) = 0, 'device', grouping(entry_page) = 0, 'entry_page', 'total') AS dim,
  channel, source, medium, country, device, entry_page,
  count() AS sessions,
  -- exact distinct count of 64-bit hashes: same answer as on the strings (a collision among a site's ids is ~1e-9 likely), far cheaper
  uniqExact(cityHash64(${personOf('s')})) AS visitors,
  countIf(page_views = 1) / nullIf(countIf(page_views >= 1), 0) AS bounce_rate,
  quantileExactInclusive(0.5)(duration) AS median_duration
FROM sess AS s
${joinPersonMap('s')}
GROUP BY GROUPING SETS ((), (channel), (source, medium), (country), (device), (entry_page))
HAVING dim != 'entry_page' OR entry_page != ''
ORDER BY dim, sessions DESC, channel, source, medium, country, device, entry_page
LIMIT {limit:UInt32} BY dim
SETTINGS group_by_use_nulls = 0`;

// Event lists honour the session filters; without filters the session pass is skipped altogether.
// Three small queries rather than one GROUPING SETS: each computes only its own aggregates (uniqExact of
// sessions is paid only for page views and searches, not for every event).
const eventSql = (filtered: boolean, select: string) => `WITH ${EVENTS_CTE}${filtered ? `, ${SESSIONS_CTE}` : ''}
${select.replace('FROM ev', `FROM ev ${filtered ? 'WHERE session_id IN (SELECT session_id FROM sess)' : 'WHERE 1'}`)}`;

const TYPES_SELECT = `SELECT toString(type) AS key, count() AS count, 0 AS sessions FROM ev GROUP BY key ORDER BY count DESC, key`;
const PAGES_SELECT = `SELECT path AS key, count() AS count, uniqExact(session_id) AS sessions FROM ev AND type = ${eventTypeSql('page_view')}
GROUP BY key ORDER BY count DESC, key LIMIT {limit:UInt32}`;
const TERMS_SELECT = `SELECT search_query AS key, count() AS count, uniqExact(session_id) AS sessions FROM ev AND type = ${eventTypeSql('search')} AND search_query != ''
GROUP BY key ORDER BY count DESC, key LIMIT {limit:UInt32}`;

interface SessionRow {
  dim: string;
  channel: string;
  source: string;
  medium: string;
  country: string;
  device: string;
  entry_page: string;
  sessions: number;
  visitors: number;
  bounce_rate: number | null;
  median_duration: number | null;
}
interface EventRow {
  key: string;
  count: number;
  sessions: number;
}

export async function queryOverview(runner: QueryRunner, q: OverviewQuery): Promise<Overview> {
  const params = { site: q.site, include_bots: q.includeBots, channel: q.channel, country: q.country, device: q.device, ...rangeParams(q.range) };
  const filtered = q.channel !== '' || q.country !== '' || q.device !== '';
  const [sessionRows, typeRows, pageRows, termRows] = await Promise.all([
    runner.rows<SessionRow>(SESSION_SQL, { ...params, limit: q.limit }),
    runner.rows<EventRow>(eventSql(filtered, TYPES_SELECT), params),
    runner.rows<EventRow>(eventSql(filtered, PAGES_SELECT), { ...params, limit: q.limit }),
    runner.rows<EventRow>(eventSql(filtered, TERMS_SELECT), { ...params, limit: q.limit }),
  ]);
  const by = (dim: string) => sessionRows.filter((r) => r.dim === dim);
  const total = by('total')[0];
  const pageViews = typeRows.find((r) => r.key === 'page_view')?.count ?? 0;
  const sessions = total?.sessions ?? 0;
  return {
    totals: {
      visitors: total?.visitors ?? 0,
      sessions,
      page_views: pageViews,
      events: typeRows.reduce((sum, r) => sum + r.count, 0),
      bounce_rate: sessions > 0 ? (total?.bounce_rate ?? null) : null,
      median_session_seconds: sessions > 0 ? (total?.median_duration ?? null) : null,
    },
    events_by_type: typeRows.map((r) => ({ type: r.key, count: r.count })),
    top_pages: pageRows.map((r) => ({ path: r.key, page_views: r.count, sessions: r.sessions })),
    entry_pages: by('entry_page').map((r) => ({ path: r.entry_page, sessions: r.sessions })),
    channels: by('channel').map((r) => ({ channel: r.channel, sessions: r.sessions, visitors: r.visitors })),
    sources: by('source').map((r) => ({ source: r.source, medium: r.medium, sessions: r.sessions, visitors: r.visitors })),
    search_terms: termRows.map((r) => ({ term: r.key, searches: r.count, sessions: r.sessions })),
    countries: by('country').map((r) => ({ country: r.country, sessions: r.sessions, visitors: r.visitors })),
    devices: by('device').map((r) => ({ device: r.device, sessions: r.sessions, visitors: r.visitors })),
  };
}
