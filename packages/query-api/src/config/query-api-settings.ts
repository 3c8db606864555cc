import { z } from 'zod';
import { integer, sharedSettings } from '@spoor/infra';
import { DEFAULT_QUERY_LIMITS } from '../params/query-limits.js';
import { DEFAULT_OWNER_EMAIL } from '../accounts/ensure-first-owner.js';
import { MAX_EMAIL_LENGTH, normaliseEmail } from '../accounts/user-fields.js';

/** The first owner's address, by the accounts' own rule (user-fields.ts) so the setting and the store never disagree. */
const ownerEmail = () =>
  z
    .string()
    .default(DEFAULT_OWNER_EMAIL)
    .transform((value, ctx) => {
      try {
        return normaliseEmail(value, 'SPOOR_OWNER_EMAIL');
      } catch {
        ctx.addIssue({ code: 'custom', message: `an email address like owner@shop.example (at most ${MAX_EMAIL_LENGTH} characters, no control characters)` });
        return z.NEVER;
      }
    });

/**
 * The query API's settings: the shared vocabulary plus its query ceilings. `src/main.ts`, `spoor start` and
 * `spoor query-api` parse exactly this. docs/configuration.md is the table (configuration-doc.test.ts keeps it in step).
 */
export const queryApiSettings = {
  ...sharedSettings,
  QUERY_MAX_EXECUTION_TIME: integer(DEFAULT_QUERY_LIMITS.maxExecutionTimeSeconds, 1, 3600).describe('Seconds one query may run in ClickHouse; past it 504 query_timeout.'),
  QUERY_MAX_RANGE_DAYS: integer(DEFAULT_QUERY_LIMITS.maxRangeDays, 1, 36_500).describe('Longest date range one request may cover, days.'),
  SPOOR_OWNER_EMAIL: ownerEmail().describe('Email of the instance owner created on the first start of the query API (set-up link printed once; docs/admin.md).'),
  QUERY_MAX_ROWS: integer(DEFAULT_QUERY_LIMITS.maxRows, 1, 1_000_000).describe('Most rows any list in a response may hold.'),
} as const;

export const queryApiSettingsSchema = z.object(queryApiSettings);
export type QueryApiConfig = z.infer<typeof queryApiSettingsSchema>;
