import type { QueryRunner } from '../../clickhouse/query-runner.js';
import { rangeParams, type DateRange } from '../../params/date-range.js';
import { eventTypeSql } from '@spoor/infra';

export interface ExitsQuery {
  site: string;
  range: DateRange;
  includeBots: boolean;
  /** '' = any: the session's first event in the range decides. */
  channel: string;
  /** Only sessions that added to cart and did not purchase (where cart abandoners leave). */
  cartWithoutPurchase: boolean;
  byChannel: boolean;
  limit: number;
}

export interface ExitsResult {
  sessions: number;
  exit_pages: Array<{ channel?: string; path: string; exits: number; page_views: number; exit_rate: number }>;
  entry_pages: Array<{ channel?: string; path: string; entries: number; page_views: number; bounces: number; bounce_rate: number }>;
}

// One pass: per session, its page-view paths, entry and exit (first/last page view; equal timestamps are
// ordered by event id), then one row per (page, role) through ARRAY JOIN, summed per page.
const EXITS_SQL = `
WITH sess AS (
  SELECT session_id,
    toString(argMin(channel, (ts, event_id))) AS channel,
    argMinIf(path, (ts, event_id), type = ${eventTypeSql('page_view')}) AS entry_page,
    argMaxIf(path, (ts, event_id), type = ${eventTypeSql('page_view')}) AS exit_page,
    groupArrayIf(path, type = ${eventTypeSql('page_view')}) AS pv_paths,
    max(type = ${eventTypeSql('add_to_cart')}) AS carted,
    max(type = ${eventTypeSql('purchase')}) AS purchased
  FROM {db:Identifier}.events
  WHERE site_id = {site:String}
    AND ts >= {from:DateTime64(3, 'UTC')} AND ts < {to:DateTime64(3, 'UTC')}
    AND ({include_bots:Bool} OR NOT is_bot)
    AND session_id != ''
  GROUP BY session_id
  HAVING length(pv_paths) > 0
     AND ({channel:String} = '' OR channel = {channel:String})
     AND (NOT {cart_without_purchase:Bool} OR (carted AND NOT purchased))
),
pages AS (
  SELECT ch, item.1 AS path, sum(item.2) AS page_views, sum(item.3) AS exits, sum(item.4) AS entries, sum(item.5) AS bounces
  FROM (
    SELECT if({by_channel:Bool}, channel, '') AS ch,
      arrayConcat(arrayMap(p -> (p, 1, 0, 0, 0), pv_paths), [(exit_page, 0, 1, 0, 0), (entry_page, 0, 0, 1, toUInt8(length(pv_paths) = 1))]) AS items
    FROM sess
  )
  ARRAY JOIN items AS item
  GROUP BY ch, path
)
SELECT * FROM (
  SELECT ch, path, page_views, exits, entries, bounces,
    -- every session has exactly one exit page
    sum(exits) OVER () AS sessions,
    row_number() OVER (PARTITION BY ch ORDER BY exits DESC, path) AS exit_rank,
    row_number() OVER (PARTITION BY ch ORDER BY entries DESC, path) AS entry_rank
  FROM pages
)
WHERE (exits > 0 AND exit_rank <= {limit:UInt32}) OR (entries > 0 AND entry_rank <= {limit:UInt32})
ORDER BY ch, path`;

interface PageRow {
  ch: string;
  path: string;
  page_views: number;
  exits: number;
  entries: number;
  bounces: number;
  sessions: number;
  exit_rank: number;
  entry_rank: number;
}

export async function queryExits(runner: QueryRunner, q: ExitsQuery): Promise<ExitsResult> {
  const rows = await runner.rows<PageRow>(EXITS_SQL, {
    site: q.site,
    include_bots: q.includeBots,
    channel: q.channel,
    cart_without_purchase: q.cartWithoutPurchase,
    by_channel: q.byChannel,
    limit: q.limit,
    ...rangeParams(q.range),
  });
  const channel = (r: PageRow) => (q.byChannel ? { channel: r.ch } : {});
  const byRank = (rank: (r: PageRow) => number) => (a: PageRow, b: PageRow) => (a.ch < b.ch ? -1 : a.ch > b.ch ? 1 : rank(a) - rank(b));
  return {
    sessions: rows[0]?.sessions ?? 0,
    exit_pages: rows
      .filter((r) => r.exits > 0 && r.exit_rank <= q.limit)
      .sort(byRank((r) => r.exit_rank))
      .map((r) => ({ ...channel(r), path: r.path, exits: r.exits, page_views: r.page_views, exit_rate: r.exits / r.page_views })),
    entry_pages: rows
      .filter((r) => r.entries > 0 && r.entry_rank <= q.limit)
      .sort(byRank((r) => r.entry_rank))
      .map((r) => ({ ...channel(r), path: r.path, entries: r.entries, page_views: r.page_views, bounces: r.bounces, bounce_rate: r.bounces / r.entries })),
  };
}
