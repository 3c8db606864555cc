import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ConfigurationError, deprecatedAliases, parseConfig } from '@spoor/infra';
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

  it('SPOOR_OWNER_EMAIL: default owner@localhost, read trimmed and lower case', () => {
    expect(parseConfig(queryApiSettingsSchema, {}).config.SPOOR_OWNER_EMAIL).toBe('owner@localhost');
    expect(parseConfig(queryApiSettingsSchema, { SPOOR_OWNER_EMAIL: ' Boss@Shop.Example ' }).config.SPOOR_OWNER_EMAIL).toBe('boss@shop.example');
  });

  it('SPOOR_OWNER_EMAIL: a hostile value is a ConfigurationError naming the key, the value cut short', () => {
    const hostile = fc.oneof(
      fc.string().filter((s) => !s.includes('@')).filter((s) => s.trim() !== ''),
      fc.tuple(fc.string(), fc.constantFrom('\u0000', '\n', '\u007f', '\u2028'), fc.string()).map(([a, c, b]) => `ann${a}${c}${b}@shop.example`),
      fc.integer({ min: 255, max: 2_000_000 }).map((n) => `${'a'.repeat(n)}@shop.example`),
    );
    fc.assert(
      fc.property(hostile, (value) => {
        let error: unknown;
        try {
          parseConfig(queryApiSettingsSchema, { SPOOR_OWNER_EMAIL: value });
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(ConfigurationError);
        const { issues, message } = error as ConfigurationError;
        expect(issues.map((i) => i.key)).toEqual(['SPOOR_OWNER_EMAIL']);
        expect(message).toMatch(/SPOOR_OWNER_EMAIL=.*: an email address like owner@shop\.example/);
        expect(message.length).toBeLessThan(600);
      }),
      { numRuns: 60 },
    );
  });
});
