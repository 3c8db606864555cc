import { z } from 'zod';
import { integer, sharedSettings } from '@spoor/infra';
import { DEFAULT_QUERY_LIMITS } from '../params/query-limits.js';

/**
 * The query API's settings: the shared vocabulary plus its query ceilings. `src/main.ts`, `spoor start` and
 * `spoor query-api` parse exactly this. docs/configuration.md is the table (configuration-doc.test.ts keeps it in step).
 */
export const queryApiSettings = {
  ...sharedSettings,
  QUERY_MAX_EXECUTION_TIME: integer(DEFAULT_QUERY_LIMITS.maxExecutionTimeSeconds, 1, 3600).describe('Seconds one query may run in ClickHouse; past it 504 query_timeout.'),
  QUERY_MAX_RANGE_DAYS: integer(DEFAULT_QUERY_LIMITS.maxRangeDays, 1, 36_500).describe('Longest date range one request may cover, days.'),
  QUERY_MAX_ROWS: integer(DEFAULT_QUERY_LIMITS.maxRows, 1, 1_000_000).describe('Most rows any list in a response may hold.'),
} as const;

export const queryApiSettingsSchema = z.object(queryApiSettings);
export type QueryApiConfig = z.infer<typeof queryApiSettingsSchema>;
