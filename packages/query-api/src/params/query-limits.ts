/** Ceilings on what one request may ask of ClickHouse. Every one is configurable through createQueryApi. */
export interface QueryLimits {
  /** Longest date range a request may cover, days. */
  maxRangeDays: number;
  /** Range used when `from`/`to` are omitted, days ending now. */
  defaultRangeDays: number;
  /** Most rows any list in a response may hold. */
  maxRows: number;
  /** Rows in a list when `limit` is omitted. */
  defaultRows: number;
  /** ClickHouse max_execution_time per query, seconds. */
  maxExecutionTimeSeconds: number;
}

export const DEFAULT_QUERY_LIMITS: QueryLimits = {
  maxRangeDays: 400,
  defaultRangeDays: 30,
  maxRows: 1000,
  defaultRows: 10,
  maxExecutionTimeSeconds: 20,
};
