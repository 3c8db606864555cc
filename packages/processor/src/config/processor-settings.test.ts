import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { ConfigurationError } from '@spoor/infra';
import { enricherOptions, parseProcessorConfig, processorSettings } from './processor-settings.js';

function badKeys(env: Record<string, string>): string[] {
  try {
    parseProcessorConfig(env);
  } catch (err) {
    if (err instanceof ConfigurationError) return err.issues.map((i) => i.key).sort();
    throw err;
  }
  throw new Error('expected a ConfigurationError');
}

describe('processor settings', () => {
  it('applies defaults and derives the enrichment settings', () => {
    const { config } = parseProcessorConfig({ KAFKA_BROKERS: '127.0.0.1:9092', GEOIP_DB: '/data/a.mmdb, /data/b.mmdb', IP_ANONYMISATION: 'drop' });
    expect(config).toMatchObject({ SPOOR_TOPIC_RAW: 'spoor.raw', SPOOR_TOPIC_PARTITIONS: 6, PROCESSOR_GROUP_ID: 'spoor-processor', UA_CACHE_SIZE: 10_000, GEOIP_DISABLED: false });
    expect(config.PROCESSOR_HEALTH_PORT).toBeUndefined();
    expect(enricherOptions(config)).toMatchObject({ geo: true, geoDatabases: ['/data/a.mmdb', '/data/b.mmdb'], ipAnonymisation: { mode: 'drop', ipv4PrefixBits: 24, ipv6PrefixBits: 48 } });
  });

  it('needs no Kafka: without KAFKA_BROKERS the file log in the data dir is used', () => {
    expect(parseProcessorConfig({}).config.KAFKA_BROKERS).toEqual([]);
  });

  it('names every variable that is wrong, at once', () => {
    expect(badKeys({ IP_ANONYMISATION: 'hash', IP_V4_PREFIX_BITS: '40', PROCESSOR_HEALTH_PORT: '70000', GEOIP_DISABLED: 'perhaps', KAFKA_BROKERS: 'k' })).toEqual([
      'GEOIP_DISABLED',
      'IP_ANONYMISATION',
      'IP_V4_PREFIX_BITS',
      'KAFKA_BROKERS',
      'PROCESSOR_HEALTH_PORT',
    ]);
  });

  it('reads the deprecated SPOOR_PROCESSOR_GROUP with a warning', () => {
    const { config, warnings } = parseProcessorConfig({ SPOOR_PROCESSOR_GROUP: 'old-group' });
    expect(config.PROCESSOR_GROUP_ID).toBe('old-group');
    expect(warnings).toEqual(['SPOOR_PROCESSOR_GROUP is deprecated: use PROCESSOR_GROUP_ID']);
  });

  it('documents every setting', () => {
    for (const [name, schema] of Object.entries(processorSettings)) expect((schema as z.ZodType).description, name).toBeTruthy();
  });
});
