import type { QueryRunner } from '../../clickhouse/query-runner.js';
import { asOfParams } from '../../params/as-of-param.js';
import { RFM_BASE_CTES, type RecencyBasis } from './rfm.js';
import { buildRfmPopulation, type RfmCustomerValues, type RfmPopulation } from './rfm-scoring.js';

/** Every customer /rfm lists with include=all, with the values it scores, from the same CTEs. */
const POPULATION_SQL = `
WITH ${RFM_BASE_CTES}
SELECT customer_id, frequency, monetary, toString(monetary_units) AS monetary_units,
  if({basis:String} = 'purchase' AND frequency = 0, NULL, toUnixTimestamp64Milli(if({basis:String} = 'activity', last_activity, assumeNotNull(last_purchase)))) AS last_ms
FROM base`;

/**
 * The first row time at or after as_of that the population's statement could count (events or orders of the site):
 * the population read at as_of stays exact for every later as_of up to that moment, if no data changed.
 */
const NEXT_ROW_SQL = `
SELECT
  (SELECT toUnixTimestamp64Milli(minOrNull(ts)) FROM {db:Identifier}.events WHERE site_id = {site:String} AND ts >= {as_of:DateTime64(3, 'UTC')}) AS events_ms,
  (SELECT toUnixTimestamp64Milli(minOrNull(ts)) FROM {db:Identifier}.orders WHERE site_id = {site:String} AND ts >= {as_of:DateTime64(3, 'UTC')}) AS orders_ms`;

/**
 * The data version of the tables the population reads: per table and partition the highest block number (every
 * insert takes a new one), the data version (every mutation, erasure included, raises it), rows and parts (a TTL or
 * delete merge lowers the rows). Any change that could change an RFM answer changes this string; a plain merge may
 * change it too, which only costs a recomputation. Read from system.parts: a few hundred rows, no table scan.
 */
const DATA_VERSION_SQL = `
SELECT toString(cityHash64(arraySort(groupArray((table, partition_id, max_block, data_version, rows, parts))))) AS version
FROM (
  SELECT table, partition_id, max(max_block_number) AS max_block, max(data_version) AS data_version, sum(rows) AS rows, count() AS parts
  FROM system.parts
  WHERE database = {database:String} AND table IN ('events', 'orders', 'identities') AND active
  GROUP BY table, partition_id
)`;

interface Entry {
  version: string;
  /** The as_of the population was read at, and the first later row time: valid for as_of in [fromMs, untilMs]. */
  fromMs: number;
  untilMs: number;
  population: Promise<RfmPopulation>;
}

export interface RfmPopulationCacheOptions {
  /** The database name (system.parts is filtered by it). */
  database: string;
  maxSites?: number;
}

type PopulationRow = Omit<RfmCustomerValues, 'monetary_units'> & { customer_id: string; monetary_units: string };

function toPopulation(rows: PopulationRow[]): RfmPopulation {
  return buildRfmPopulation(rows.map(({ customer_id, monetary_units, ...values }) => [customer_id, { ...values, monetary_units: BigInt(monetary_units) }]));
}

/**
 * The population a customer profile is scored in, per (site, basis). Reading it scans the site (~1 s at 100k
 * customers), a profile must answer in ~50 ms, and the profile must agree with GET /rfm at all times: so an entry is
 * reused only while the tables' data version is unchanged and as_of has not passed a row the entry left out; else it
 * is read again (the version check is one read of system.parts per profile).
 */
export function createRfmPopulationCache(runner: QueryRunner, options: RfmPopulationCacheOptions) {
  const maxSites = options.maxSites ?? 64;
  const entries = new Map<string, Entry>();
  async function readPopulation(site: string, basis: RecencyBasis, asOf: Date, validUntil: (ms: number) => void): Promise<RfmPopulation> {
    const params = { site, basis, ...asOfParams(asOf) };
    const [rows, [next]] = await Promise.all([
      runner.rows<PopulationRow>(POPULATION_SQL, params),
      runner.rows<{ events_ms: number | null; orders_ms: number | null }>(NEXT_ROW_SQL, params),
    ]);
    validUntil(Math.min(next?.events_ms ?? Number.POSITIVE_INFINITY, next?.orders_ms ?? Number.POSITIVE_INFINITY));
    return toPopulation(rows);
  }
  return {
    async get(site: string, basis: RecencyBasis, asOf: Date): Promise<RfmPopulation> {
      const key = JSON.stringify([site, basis]);
      // The version first: data written after it is read makes the stored version stale, never the population.
      const [{ version } = { version: '' }] = await runner.rows<{ version: string }>(DATA_VERSION_SQL, { database: options.database });
      const asOfMs = asOf.getTime();
      const entry = entries.get(key);
      if (entry && entry.version === version && entry.fromMs <= asOfMs) {
        // Also while its read is still running: concurrent profiles share one read instead of each starting their own.
        const population = await entry.population.catch(() => undefined);
        if (population && asOfMs <= entry.untilMs) return population;
      }
      const fresh: Entry = { version, fromMs: asOfMs, untilMs: asOfMs, population: readPopulation(site, basis, asOf, (untilMs) => (fresh.untilMs = untilMs)) };
      fresh.population.catch(() => {
        if (entries.get(key) === fresh) entries.delete(key);
      });
      entries.delete(key);
      entries.set(key, fresh);
      if (entries.size > maxSites) entries.delete(entries.keys().next().value as string);
      return fresh.population;
    },
    clear(): void {
      entries.clear();
    },
  };
}

export type RfmPopulationCache = ReturnType<typeof createRfmPopulationCache>;
