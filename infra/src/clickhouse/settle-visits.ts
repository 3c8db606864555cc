import { randomUUID } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import { VISIT_COLUMNS, VISIT_FIELD_INDEX, type VisitColumnField } from './visit-fields.js';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

export interface SettleVisitsOptions {
  database: string;
  /** ALTER … ON CLUSTER (a replicated server cluster), as migrate() does. */
  cluster?: string | undefined;
  /**
   * Settle in chunks of this many visits per mutation, as on a cluster (default there 2,000): each is an ALTER UPDATE
   * whose ids are stored in the mutation's text, which goes through (Zoo)Keeper, whose default node limit is 1 MB.
   * Unset and alone: one pass through a Join table.
   */
  visitsPerMutation?: number | undefined;
}

export interface SettleReport {
  /** Visits whose columns were written (and whose marks were removed). */
  visits: number;
  mutations: number;
}

const FIELDS = Object.keys(VISIT_COLUMNS) as VisitColumnField[];

/**
 * Copies each marked visit's attribution from `sessions.attribution` into the events' visit_* columns (migration 0430)
 * and removes the marks it applied.
 *
 * 1. T = the server's clock. Only marks older than T are settled; a visit marked again at or after T (a batch stored
 *    meanwhile, perhaps its real landing) keeps its newer mark for the next settle.
 * 2. The marked visits' merged attribution is read from sessions. Every mark is made after its events and their
 *    sessions row were stored (load-batch.ts), so what is read includes them.
 * 3. One ALTER UPDATE writes it onto their events. A mutation rewrites the columns of every part holding a matching
 *    row, so one pass over all marked visits is what makes it cheap (1.1M visits of 10M events: one pass, where
 *    passes of 50,000 visits took ~30 s each). Alone (chDB or one server) the values go into a Join-engine table read
 *    by joinGet; on a cluster that table would exist on one replica only, so the values travel as bound array
 *    parameters (transform) in chunks, their text small enough for (Zoo)Keeper. Never as SQL text.
 *    The mutation also rewrites rows inserted after step 2 that belong to those visits: they are marked after T.
 * 4. ALTER DELETE of the marks older than T.
 *
 * Run it from one process at a time (the processor's timer under a lease, or replay's end): two overlapping settles
 * could apply an older read of a visit after a newer one removed its mark (each has its own Join table, so they never
 * break each other's mutation). Returns what it did; throws on a ClickHouse error, after
 * which the marks are still there and the next settle repeats the work (every step is idempotent).
 */
export async function settleVisits(client: ClickHouseClient, options: SettleVisitsOptions): Promise<SettleReport> {
  const { database, cluster } = options;
  if (!IDENTIFIER.test(database) || (cluster !== undefined && !IDENTIFIER.test(cluster))) throw new Error('settleVisits: database and cluster must be identifiers');
  const perMutation = options.visitsPerMutation ?? 2_000;
  if (!Number.isInteger(perMutation) || perMutation < 1) throw new Error(`settleVisits: visitsPerMutation must be a positive integer, got ${perMutation}`);
  const rows = async <T>(query: string, query_params: Record<string, unknown>) => (await client.query({ query, query_params, format: 'JSONEachRow' })).json<T>();
  const [now] = await rows<{ t: string }>('SELECT toString(now64(6)) AS t', {});
  const t = now!.t;
  const inChunks = cluster !== undefined || options.visitsPerMutation !== undefined;
  const report = inChunks ? await settleInChunks(client, database, cluster ? ` ON CLUSTER ${cluster}` : '', t, perMutation) : await settleThroughJoin(client, database, t);
  if (report.visits) {
    await client.command({
      query: `ALTER TABLE ${database}.unsettled_visits${cluster ? ` ON CLUSTER ${cluster}` : ''} DELETE WHERE marked_at < {t:DateTime64(6, 'UTC')}`,
      query_params: { t },
      clickhouse_settings: SYNC,
    });
  }
  return report;
}

const SYNC = { mutations_sync: '2', alter_sync: '2' } as const;
const MARKED = (database: string) => `(site_id, session_id) IN (SELECT site_id, session_id FROM ${database}.unsettled_visits WHERE marked_at < {t:DateTime64(6, 'UTC')})`;
const ATTRIBUTION_OF_MARKED = (database: string) => `SELECT site_id, session_id, ${FIELDS.map((f) => `JSONExtractString(a, ${VISIT_FIELD_INDEX[f]}) AS ${f}`).join(', ')}
  FROM (SELECT site_id, session_id, argMinMerge(attribution) AS a FROM ${database}.sessions WHERE ${MARKED(database)} GROUP BY site_id, session_id)`;

async function settleThroughJoin(client: ClickHouseClient, database: string, t: string): Promise<SettleReport> {
  const rows = async <T>(query: string, query_params: Record<string, unknown>) => (await client.query({ query, query_params, format: 'JSONEachRow' })).json<T>();
  const [marked] = await rows<{ n: string }>(`SELECT uniqExact(site_id, session_id) AS n FROM ${database}.unsettled_visits WHERE marked_at < {t:DateTime64(6, 'UTC')}`, { t });
  const visits = Number(marked?.n ?? 0);
  if (!visits) return { visits: 0, mutations: 0 };
  await dropAbandonedJoins(client, database);
  // A table of this settle's own: another settler (misconfigured, or replay beside a processor) has its own.
  const name = `settle_visits_join_${randomUUID().replaceAll('-', '')}`;
  const join = `${database}.${name}`;
  try {
    await client.command({
      query: `CREATE TABLE ${join} (site_id LowCardinality(String), session_id String, ${FIELDS.map((f) => `${f} String`).join(', ')}) ENGINE = Join(ANY, LEFT, site_id, session_id)`,
    });
    await client.command({ query: `INSERT INTO ${join} ${ATTRIBUTION_OF_MARKED(database)}`, query_params: { t } });
    // A marked visit without a sessions row (erased meanwhile) gets '' from joinGet: it has no events left to show it.
    const assignments = FIELDS.map((f) => `${VISIT_COLUMNS[f]} = joinGet('${join}', '${f}', site_id, session_id)`);
    // Asynchronous, then awaited by polling: on embedded chDB a synchronous ALTER would hold the one statement slot
    // (store-scheduler.ts), and the loader behind it, for the whole rewrite (seconds on 10M events); the mutation
    // itself runs in ClickHouse's background pool, reading the Join table, which is dropped only once it is done.
    await client.command({
      query: `ALTER TABLE ${database}.events UPDATE ${assignments.join(', ')} WHERE ${MARKED(database)}`,
      query_params: { t },
      // joinGet reads another table, which a replicated mutation could not repeat identically: not run on a cluster.
      clickhouse_settings: { mutations_sync: '0', allow_nondeterministic_mutations: 1 },
    });
    await mutationDone(client, database, name);
  } finally {
    await dropJoin(client, database, name);
  }
  return { visits, mutations: 1 };
}

/**
 * Drops a settle's Join table, first killing any mutation still reading it: a mutation whose Join table is gone would
 * fail for ever, and the mutations of a table run in order, so it would hold back every later one (erasures included).
 */
async function dropJoin(client: ClickHouseClient, database: string, name: string): Promise<void> {
  await client.command({ query: `KILL MUTATION WHERE database = {db:String} AND table = 'events' AND position(command, {name:String}) > 0 SYNC`, query_params: { db: database, name } });
  await client.command({ query: `DROP TABLE IF EXISTS ${database}.${name}` });
}

/** Join tables of settles that died with their process an hour or more ago. */
async function dropAbandonedJoins(client: ClickHouseClient, database: string): Promise<void> {
  const stale = await (
    await client.query({
      query: `SELECT name FROM system.tables WHERE database = {db:String} AND startsWith(name, 'settle_visits_join_') AND metadata_modification_time < now() - INTERVAL 1 HOUR`,
      query_params: { db: database },
      format: 'JSONEachRow',
    })
  ).json<{ name: string }>();
  for (const { name } of stale) if (IDENTIFIER.test(name)) await dropJoin(client, database, name);
}

/** Waits for the mutation of `events` that reads the Join table `name`; throws if it failed or was killed. */
async function mutationDone(client: ClickHouseClient, database: string, name: string): Promise<void> {
  for (let wait = 20; ; wait = Math.min(wait * 2, 500)) {
    const [state] = await (
      await client.query({
        query: `SELECT is_done, latest_fail_reason FROM system.mutations WHERE database = {db:String} AND table = 'events' AND position(command, {name:String}) > 0`,
        query_params: { db: database, name },
        format: 'JSONEachRow',
      })
    ).json<{ is_done: number | boolean; latest_fail_reason: string }>();
    if (!state) throw new Error('settleVisits: the mutation of events is gone (killed); its marks stay for the next settle');
    if (Number(state.is_done)) return;
    if (state.latest_fail_reason) throw new Error(`settleVisits: the mutation of events failed: ${state.latest_fail_reason}`);
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

async function settleInChunks(client: ClickHouseClient, database: string, onCluster: string, t: string, perMutation: number): Promise<SettleReport> {
  const rows = async <T>(query: string, query_params: Record<string, unknown>) => (await client.query({ query, query_params, format: 'JSONEachRow' })).json<T>();
  let visits = 0;
  let mutations = 0;
  let after = { site: '', session: '' };
  for (;;) {
    const marks = await rows<{ site_id: string; session_id: string }>(
      `SELECT DISTINCT site_id, session_id FROM ${database}.unsettled_visits
       WHERE marked_at < {t:DateTime64(6, 'UTC')} AND (site_id, session_id) > ({site:String}, {session:String})
       ORDER BY site_id, session_id LIMIT {limit:UInt32}`,
      { t, site: after.site, session: after.session, limit: perMutation },
    );
    if (!marks.length) break;
    const last = marks[marks.length - 1]!;
    after = { site: last.site_id, session: last.session_id };
    const bySite = new Map<string, string[]>();
    for (const m of marks) bySite.set(m.site_id, [...(bySite.get(m.site_id) ?? []), m.session_id]);
    for (const [site, ids] of bySite) {
      const found = await rows<{ session_id: string } & Record<VisitColumnField, string>>(
        `SELECT session_id, ${FIELDS.map((f) => `JSONExtractString(argMinMerge(attribution), ${VISIT_FIELD_INDEX[f]}) AS ${f}`).join(', ')}
         FROM ${database}.sessions WHERE site_id = {site:String} AND session_id IN {ids:Array(String)} GROUP BY session_id`,
        { site, ids },
      );
      visits += ids.length;
      if (!found.length) continue; // erased or expired meanwhile: nothing left to write
      const params: Record<string, unknown> = { site, ids: found.map((r) => r.session_id) };
      for (const f of FIELDS) params[f] = found.map((r) => r[f]);
      const assignments = FIELDS.map((f) => `${VISIT_COLUMNS[f]} = transform(session_id, {ids:Array(String)}, {${f}:Array(String)}, ${VISIT_COLUMNS[f]})`);
      await client.command({
        query: `ALTER TABLE ${database}.events${onCluster} UPDATE ${assignments.join(', ')} WHERE site_id = {site:String} AND session_id IN {ids:Array(String)}`,
        query_params: params,
        clickhouse_settings: SYNC,
      });
      mutations++;
    }
  }
  return { visits, mutations };
}
