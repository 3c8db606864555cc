import type { ClickHouseClient } from '@clickhouse/client';

/**
 * Retention of the ClickHouse data (docs/retention.md): every table holding events or data derived from them gets a
 * TTL that deletes a site's rows `retention` days after their time column. One rule per distinct retention,
 * `… WHERE site_id IN [sites]`, plus the deployment default for every other site:
 *
 *   TTL toDateTime(ts) + toIntervalDay(30) WHERE site_id IN ['shop-eu'],
 *       toDateTime(ts) + toIntervalDay(760) WHERE site_id NOT IN ['shop-eu']
 *
 * Why the table TTL and not a per-row `retention_days` column or a dictionary: ClickHouse refuses dictGet in a TTL
 * (non-deterministic), and a column would have to be carried through every materialized view and rewritten on every
 * change; a TTL rule set needs neither. `MODIFY TTL` re-evaluates existing parts (materialize_ttl_after_modify, on by
 * default), so a changed setting applies to data already stored; it is plain DDL, so `ON CLUSTER` runs it on every
 * replica. The rule set is only rewritten when the policy changed (table retention_applied).
 */

/** The deployment default when SPOOR_RETENTION_DAYS is unset: 25 months, CNIL's upper bound for audience-measurement data. */
export const DEFAULT_RETENTION_DAYS = 760;
/** Longest retention accepted: the TTL's DateTime must stay below 2106 for any event time up to 2086. */
export const MAX_RETENTION_DAYS = 7300;

/**
 * Every table with event data and the time its rows expire from. Allowlist: the SQL names only these.
 * Not here, on purpose: erasure_log (the audit trail of erasures must outlive the data), audiences (saved
 * definitions, no personal data), sites / api_keys / schema_migrations / schema_projections / retention_applied (configuration),
 * unsettled_visits (a site and session id per visit marked since the last settle, migration 0430: every settle removes
 * the marks it saw, those of expired or erased visits too, so they last minutes, not a retention period).
 */
export const RETENTION_TABLES = {
  raw_events: 'received_at',
  events: 'ts',
  events_by_visitor: 'ts',
  orders: 'ts',
  order_items: 'ts',
  identities: 'last_seen',
  sessions: 'ended_at',
  session_days: 'last_seen',
  // The day a pair was seen: expires once that whole day is past retention (never before the data it points to).
  customer_browsers: 'day + 1',
} as const satisfies Record<string, string>;

export type RetentionTable = keyof typeof RETENTION_TABLES;

export interface RetentionPolicy {
  /** Days for sites without an override; 0 keeps their data forever. */
  defaultDays: number;
  /** Site id → days (1…MAX_RETENTION_DAYS), from sites.retention_days. */
  overrides: Record<string, number>;
}

export interface ApplyRetentionOptions {
  database: string;
  cluster?: string | undefined;
  /** SPOOR_RETENTION_DAYS: 0 = keep forever, else 1…MAX_RETENTION_DAYS. */
  defaultDays: number;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

export function assertRetentionDays(days: number, what: string, allowZero: boolean): void {
  if (!Number.isInteger(days) || days < (allowZero ? 0 : 1) || days > MAX_RETENTION_DAYS) {
    throw new RangeError(`${what} must be an integer from ${allowZero ? 0 : 1} to ${MAX_RETENTION_DAYS} days, got ${days}`);
  }
}

/** The TTL clause and its parameters for one table, or undefined when nothing expires (no TTL at all). */
export function retentionTtl(table: RetentionTable, policy: RetentionPolicy): { ttl: string; params: Record<string, unknown> } | undefined {
  const column = RETENTION_TABLES[table];
  const bySpan = new Map<number, string[]>();
  for (const [site, days] of Object.entries(policy.overrides).sort(([a], [b]) => (a < b ? -1 : 1))) bySpan.set(days, [...(bySpan.get(days) ?? []), site]);
  const rules: string[] = [];
  const params: Record<string, unknown> = {};
  [...bySpan.entries()]
    .sort(([a], [b]) => a - b)
    .forEach(([days, sites], i) => {
      rules.push(`toDateTime(${column}) + toIntervalDay({days_${i}:UInt16}) WHERE site_id IN {sites_${i}:Array(String)}`);
      params[`days_${i}`] = days;
      params[`sites_${i}`] = sites;
    });
  if (policy.defaultDays > 0) {
    const overridden = Object.keys(policy.overrides);
    rules.push(`toDateTime(${column}) + toIntervalDay({default_days:UInt16})${overridden.length ? ' WHERE site_id NOT IN {overridden:Array(String)}' : ''}`);
    params.default_days = policy.defaultDays;
    if (overridden.length) params.overridden = overridden.sort();
  }
  return rules.length ? { ttl: rules.join(', '), params } : undefined;
}

async function rows<T>(client: ClickHouseClient, query: string, query_params: Record<string, unknown>): Promise<T[]> {
  return (await client.query({ query, query_params, format: 'JSONEachRow' })).json<T>();
}

export async function readRetentionPolicy(client: ClickHouseClient, database: string, defaultDays: number): Promise<RetentionPolicy> {
  const sites = await rows<{ site_id: string; retention_days: number }>(
    client,
    'SELECT site_id, retention_days FROM {db:Identifier}.sites FINAL WHERE retention_days > 0 ORDER BY site_id',
    { db: database },
  );
  return { defaultDays, overrides: Object.fromEntries(sites.map((s) => [s.site_id, Math.min(Number(s.retention_days), MAX_RETENTION_DAYS)])) };
}

/**
 * Writes every retention table's TTL for the current policy (sites' overrides + `defaultDays`) where it differs from
 * the one last applied, and waits until existing parts were re-evaluated (rows past their retention deleted).
 * Returns the tables rewritten. Run after migrate() by every entry point that owns the schema, and after a site's
 * retention changed (spoor retention set).
 */
export async function applyRetention(client: ClickHouseClient, options: ApplyRetentionOptions): Promise<{ policy: RetentionPolicy; rewritten: RetentionTable[] }> {
  const { database, cluster } = options;
  if (!IDENTIFIER.test(database) || (cluster !== undefined && !IDENTIFIER.test(cluster))) throw new Error('applyRetention: database and cluster must be identifiers');
  assertRetentionDays(options.defaultDays, 'SPOOR_RETENTION_DAYS', true);
  const policy = await readRetentionPolicy(client, database, options.defaultDays);
  const applied = new Map(
    (await rows<{ table_name: string; policy: string }>(client, 'SELECT table_name, policy FROM {db:Identifier}.retention_applied FINAL', { db: database })).map((r) => [
      r.table_name,
      r.policy,
    ]),
  );
  const onCluster = cluster ? ` ON CLUSTER ${cluster}` : '';
  const rewritten: RetentionTable[] = [];
  for (const table of Object.keys(RETENTION_TABLES) as RetentionTable[]) {
    const ttl = retentionTtl(table, policy);
    const wanted = JSON.stringify(ttl ?? null);
    if (applied.get(table) === wanted) continue;
    // Synchronous on every replica: the caller's "applied" means the expired rows are gone.
    const clickhouse_settings = { mutations_sync: '2', alter_sync: '2' } as const;
    if (ttl) {
      await client.command({ query: `ALTER TABLE {db:Identifier}.${table}${onCluster} MODIFY TTL ${ttl.ttl}`, query_params: { db: database, ...ttl.params }, clickhouse_settings });
    } else {
      const [current] = await rows<{ has_ttl: number }>(client, "SELECT position(engine_full, ' TTL ') > 0 AS has_ttl FROM system.tables WHERE database = {db:String} AND name = {table:String}", {
        db: database,
        table,
      });
      if (current?.has_ttl) await client.command({ query: `ALTER TABLE {db:Identifier}.${table}${onCluster} REMOVE TTL`, query_params: { db: database }, clickhouse_settings });
    }
    await client.insert({ table: `${database}.retention_applied`, values: [{ table_name: table, policy: wanted }], format: 'JSONEachRow' });
    rewritten.push(table);
  }
  return { policy, rewritten };
}

/**
 * The deployment default the tables' TTL was last written with (undefined: never applied), so a command run from
 * another shell (`spoor retention set`) keeps the default the services were started with instead of its own env.
 */
export async function appliedDefaultDays(client: ClickHouseClient, database: string): Promise<number | undefined> {
  const [row] = await rows<{ policy: string }>(client, "SELECT policy FROM {db:Identifier}.retention_applied FINAL WHERE table_name = 'events'", { db: database });
  if (!row) return undefined;
  const applied = JSON.parse(row.policy) as { params: Record<string, unknown> } | null;
  return typeof applied?.params.default_days === 'number' ? applied.params.default_days : 0;
}

/**
 * Sets one site's retention (0 = back to the deployment default). The newest sites row wins (ReplacingMergeTree), so
 * the row is copied whole with only retention_days and updated_at replaced: columns other settings add stay as they are.
 */
export async function setSiteRetention(client: ClickHouseClient, database: string, site: string, days: number): Promise<void> {
  assertRetentionDays(days, 'retention', true);
  const [exists] = await rows<{ n: number }>(client, 'SELECT count() AS n FROM {db:Identifier}.sites FINAL WHERE site_id = {site:String}', { db: database, site });
  if (!exists?.n) throw new Error(`no site ${JSON.stringify(site)}: create it first (spoor keys create --site …)`);
  await client.command({
    query: `INSERT INTO {db:Identifier}.sites
      SELECT * REPLACE ({days:UInt16} AS retention_days, greatest(now64(3), updated_at + toIntervalMillisecond(1)) AS updated_at)
      FROM {db:Identifier}.sites FINAL WHERE site_id = {site:String}`,
    query_params: { db: database, site, days },
  });
}
