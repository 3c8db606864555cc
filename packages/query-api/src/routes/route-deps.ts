import type { QueryRunner } from '../clickhouse/query-runner.js';
import type { QueryLimits } from '../params/query-limits.js';

/** What every route file gets from createQueryApi. */
export interface RouteDeps {
  runner: QueryRunner;
  limits: QueryLimits;
  now: () => Date;
}
