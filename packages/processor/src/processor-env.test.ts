import { describe, expect, it } from 'vitest';
import { enricherOptionsFromEnv, parseProcessorEnv } from './processor-env.js';

describe('processor environment', () => {
  it('applies defaults and derives the enrichment settings', () => {
    const env = parseProcessorEnv({ KAFKA_BROKERS: '127.0.0.1:9092', GEOIP_DB: '/data/a.mmdb, /data/b.mmdb', IP_ANONYMISATION: 'drop' });
    expect(env).toMatchObject({ SPOOR_TOPIC_RAW: 'spoor.raw', PROCESSOR_GROUP_ID: 'spoor-processor', UA_CACHE_SIZE: 10_000 });
    expect(enricherOptionsFromEnv(env)).toMatchObject({ geo: true, geoDatabases: ['/data/a.mmdb', '/data/b.mmdb'], ipAnonymisation: { mode: 'drop', ipv4PrefixBits: 24, ipv6PrefixBits: 48 } });
  });

  it('names the variable that is missing or wrong', () => {
    expect(() => parseProcessorEnv({})).toThrow(/KAFKA_BROKERS/);
    expect(() => parseProcessorEnv({ KAFKA_BROKERS: 'k:9092', IP_ANONYMISATION: 'hash' })).toThrow(/IP_ANONYMISATION/);
    expect(() => parseProcessorEnv({ KAFKA_BROKERS: 'k:9092', IP_V4_PREFIX_BITS: '40' })).toThrow(/IP_V4_PREFIX_BITS/);
  });
});
