import { describe, expect, it } from 'vitest';
import { deprecatedAliases, parseConfig } from '@spoor/infra';
import { DEFAULT_QUERY_LIMITS } from '../params/query-limits.js';
import { queryApiSettingsSchema } from './query-api-settings.js';

describe('query API settings', () => {
  it('shares HOST, PORT and the store settings with every service, and its limits default to the query limits', () => {
    const { config } = parseConfig(queryApiSettingsSchema, {});
    expect(config).toMatchObject({ HOST: '127.0.0.1', PORT: 8080, CLICKHOUSE_DATABASE: 'spoor', MIGRATE_ON_START: true });
    expect(config.QUERY_MAX_ROWS).toBe(DEFAULT_QUERY_LIMITS.maxRows);
    expect(config.QUERY_MAX_RANGE_DAYS).toBe(DEFAULT_QUERY_LIMITS.maxRangeDays);
    expect(config.QUERY_MAX_EXECUTION_TIME).toBe(DEFAULT_QUERY_LIMITS.maxExecutionTimeSeconds);
  });

  it('reads SPOOR_MIGRATE as the deprecated spelling of MIGRATE_ON_START', () => {
    const { config, warnings } = parseConfig(queryApiSettingsSchema, { SPOOR_MIGRATE: 'false' }, deprecatedAliases);
    expect(config.MIGRATE_ON_START).toBe(false);
    expect(warnings).toEqual(['SPOOR_MIGRATE is deprecated: use MIGRATE_ON_START']);
  });
});
