import type { QueryRunner } from '../../clickhouse/query-runner.js';
import type { QueryLimits } from '../../params/query-limits.js';
import type { BreakdownValues } from '../funnels/breakdown-values.js';

/** What every route file gets from createQueryApi. */
export interface RouteDeps {
  runner: QueryRunner;
  limits: QueryLimits;
  now: () => Date;
  /** Funnels' cache of each site's breakdown values (funnels/breakdown-values.ts). */
  breakdownValues: BreakdownValues;
  /** Buyers from which RFM scores by quintiles, below by fixed thresholds (rfm/rfm-scoring-rule.ts); /rfm and profiles share it. */
  rfmQuintileMinBuyers: number;
}
