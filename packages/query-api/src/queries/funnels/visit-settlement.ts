import type { QueryRunner } from '../../clickhouse/query-runner.js';

const MARKS_SQL = `SELECT count() AS n, toString(now64(6)) AS t FROM {db:Identifier}.unsettled_visits WHERE site_id = {site:String}`;
const NEW_MARKS_SQL = `SELECT count() AS n FROM {db:Identifier}.unsettled_visits WHERE site_id = {site:String} AND marked_at >= {since:DateTime64(6, 'UTC')}`;

/**
 * Runs `query` without the lookup of unsettled visits when the site has none, and proves afterwards that none
 * appeared; otherwise (or then, again) with it. Marks are made after their events are stored (processor load-batch.ts),
 * so events the query could read whose marks were missing at the first look have marks stamped after it: the second
 * look finds them and the query runs again with the lookup. The answer is the lookup's, never a stale column's.
 * Two reads of a small table by primary key, against ~200 ms the lookup costs a 10M-event funnel (docs/performance.md).
 */
export async function withVisitSettlement<T>(runner: QueryRunner, site: string, query: (visitsSettled: boolean) => Promise<T>): Promise<T> {
  const [marks] = await runner.rows<{ n: number | string; t: string }>(MARKS_SQL, { site });
  if (Number(marks?.n ?? 0) > 0 || !marks) return query(false);
  const answer = await query(true);
  const [fresh] = await runner.rows<{ n: number | string }>(NEW_MARKS_SQL, { site, since: marks.t });
  return Number(fresh?.n ?? 0) > 0 ? query(false) : answer;
}
