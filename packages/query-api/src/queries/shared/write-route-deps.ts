import type { StoreWriter } from '../../clickhouse/store-writer.js';
import type { ErasureHook } from '../../erasure/erasure-hook.js';
import type { RfmPopulationCache } from '../rfm/rfm-population.js';
import type { RouteDeps } from './route-deps.js';

/** What the route files that write (audiences, erasure) or cache (profiles) get beyond RouteDeps. */
export interface WriteRouteDeps extends RouteDeps {
  writer: StoreWriter;
  rfmPopulation: RfmPopulationCache;
  erasureHooks: ErasureHook[];
}
