import type { ClickHouseClient } from '@clickhouse/client';
import type { StoreLane, StoreScheduler, StoreSchedulerStats } from './store-scheduler.js';

/** Makes the client of one lane over the shared embedded connection, its embedded insert included (createClickHouse knows how). */
export type LaneFactory = (lane: StoreLane) => ClickHouseClient;

const factories = new WeakMap<ClickHouseClient, { make: LaneFactory; made: Map<StoreLane, ClickHouseClient>; scheduler: StoreScheduler }>();

export function registerLanes(client: ClickHouseClient, make: LaneFactory, scheduler: StoreScheduler): void {
  factories.set(client, { make, made: new Map([['default', client]]), scheduler });
}

/** What the embedded scheduler has done so far (waits and run times per lane); undefined for a ClickHouse server. */
export function clickhouseSchedulerStats(client: ClickHouseClient): StoreSchedulerStats | undefined {
  return factories.get(client)?.scheduler.stats();
}

/**
 * The client whose statements run in `lane` of the embedded scheduler (store-scheduler.ts): the processor loads
 * through 'load', the query API through 'analytics'. Against a ClickHouse server there is no scheduler — the server
 * runs statements concurrently — and this returns the client itself. A lane client of a lane client is the same lane
 * client; all share one connection, so close only the client createClickHouse returned.
 */
export function clickhouseLane(client: ClickHouseClient, lane: StoreLane): ClickHouseClient {
  const entry = factories.get(client);
  if (!entry) return client;
  let made = entry.made.get(lane);
  if (!made) {
    made = entry.make(lane);
    entry.made.set(lane, made);
    factories.set(made, entry);
  }
  return made;
}
