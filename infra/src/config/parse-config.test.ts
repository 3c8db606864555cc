import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { ConfigurationError, parseConfig } from './parse-config.js';
import { deprecatedAliases, sharedSettings, sharedSettingsSchema } from './shared-settings.js';

function issuesOf(fn: () => unknown) {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigurationError) return err.issues;
    throw err;
  }
  throw new Error('expected a ConfigurationError');
}

describe('parseConfig', () => {
  it('gives every default when nothing is set', () => {
    const { config, warnings } = parseConfig(sharedSettingsSchema, {});
    expect(config).toMatchObject({ HOST: '127.0.0.1', PORT: 8080, SPOOR_TOPIC_RAW: 'spoor.raw', SPOOR_TOPIC_PARTITIONS: 6, KAFKA_BROKERS: [], MIGRATE_ON_START: true });
    expect(warnings).toEqual([]);
  });

  it('reports every bad key at once with its value and what is accepted', () => {
    const issues = issuesOf(() => parseConfig(sharedSettingsSchema, { PORT: '99999', KAFKA_BROKERS: 'localhost', IP_ANONYMISATION: 'hash', MIGRATE_ON_START: 'maybe' }));
    expect(issues.map((i) => i.key).sort()).toEqual(['IP_ANONYMISATION', 'KAFKA_BROKERS', 'MIGRATE_ON_START', 'PORT']);
    expect(issues.find((i) => i.key === 'PORT')).toEqual({ key: 'PORT', value: '99999', accepted: 'a whole number from 0 to 65535' });
    expect(issues.find((i) => i.key === 'KAFKA_BROKERS')!.accepted).toContain('host:port');
  });

  it('reads a deprecated alias with a warning, and refuses one that contradicts the new name', () => {
    const { config, warnings } = parseConfig(sharedSettingsSchema, { SPOOR_RAW_TOPIC: 'shop.raw' }, deprecatedAliases);
    expect(config.SPOOR_TOPIC_RAW).toBe('shop.raw');
    expect(warnings).toEqual(['SPOOR_RAW_TOPIC is deprecated: use SPOOR_TOPIC_RAW']);
    const issues = issuesOf(() => parseConfig(sharedSettingsSchema, { SPOOR_RAW_TOPIC: 'a', SPOOR_TOPIC_RAW: 'b' }, deprecatedAliases));
    expect(issues[0]!.key).toBe('SPOOR_RAW_TOPIC');
  });

  it('treats an empty value as unset', () => {
    expect(parseConfig(sharedSettingsSchema, { REDIS_URL: '', PORT: '' }).config).toMatchObject({ REDIS_URL: undefined, PORT: 8080 });
  });

  it('documents every setting', () => {
    for (const [name, schema] of Object.entries(sharedSettings)) expect((schema as z.ZodType).description, name).toBeTruthy();
  });
});
