import type { QueryRunner } from '../clickhouse/query-runner.js';
import { rangeParams, type DateRange } from '../params/date-range.js';

export interface OverviewQuery {
  site: string;
  range: DateRange;
  includeBots: boolean;
}

export interface OverviewTotals {
  visitors: number;
  sessions: number;
  page_views: number;
  events: number;
}

const TOTALS_SQL = `
SELECT
  uniqExact(anonymous_id) AS visitors,
  uniqExact(session_id) AS sessions,
  countIf(type = 'page_view') AS page_views,
  count() AS events
FROM {db:Identifier}.events FINAL
WHERE site_id = {site:String}
  AND ts >= {from:DateTime64(3, 'UTC')} AND ts < {to:DateTime64(3, 'UTC')}
  AND ({include_bots:Bool} OR NOT is_bot)`;

export async function queryOverviewTotals(runner: QueryRunner, q: OverviewQuery): Promise<OverviewTotals> {
  const [row] = await runner.rows<OverviewTotals>(TOTALS_SQL, { site: q.site, include_bots: q.includeBots, ...rangeParams(q.range) });
  return row ?? { visitors: 0, sessions: 0, page_views: 0, events: 0 };
}
