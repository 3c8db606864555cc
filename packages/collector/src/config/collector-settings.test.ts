import { describe, expect, it } from 'vitest';
import { ConfigurationError, deprecatedAliases, parseConfig } from '@spoor/infra';
import { collectorSettingsSchema } from './collector-settings.js';

const parse = (env: Record<string, string>) => parseConfig(collectorSettingsSchema, env, deprecatedAliases);

describe('collector settings', () => {
  it('applies the documented defaults and splits lists', () => {
    const { config } = parse({ KAFKA_BROKERS: 'a:9092, b:9092', TRUSTED_PROXIES: 'loopback,10.0.0.0/8' });
    expect(config).toMatchObject({
      HOST: '127.0.0.1',
      PORT: 8080,
      KAFKA_BROKERS: ['a:9092', 'b:9092'],
      TRUSTED_PROXIES: ['loopback', '10.0.0.0/8'],
      RATE_LIMITS: true,
      RATE_LIMIT_IP_PER_SECOND: 50,
      RATE_LIMIT_IP_BURST: 500,
      RATE_LIMIT_SITE_EVENTS_PER_SECOND: 5000,
      RATE_LIMIT_SITE_EVENTS_BURST: 50_000,
      SPOOR_TOPIC_RAW: 'spoor.raw',
      SPOOR_TOPIC_PARTITIONS: 6,
      KAFKA_COMPRESSION: 'snappy',
      LINK_SIGNING_SECRETS: [],
    });
  });

  it('needs no Kafka: unset KAFKA_BROKERS is the file log', () => {
    expect(parse({}).config.KAFKA_BROKERS).toEqual([]);
  });

  it('names every bad key at once', () => {
    try {
      parse({ PORT: 'eighty', RATE_LIMIT_IP_PER_SECOND: '0', RATE_LIMITS: 'sometimes' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigurationError);
      expect((err as ConfigurationError).issues.map((i) => i.key).sort()).toEqual(['PORT', 'RATE_LIMITS', 'RATE_LIMIT_IP_PER_SECOND']);
    }
  });

  it('reads the collector\'s old topic and data dir names as deprecated aliases', () => {
    const { config, warnings } = parse({ SPOOR_RAW_TOPIC: 'shop.raw', KAFKA_TOPIC_PARTITIONS: '12', CLICKHOUSE_DATA_DIR: '/tmp/x', SPOOR_LINK_SECRET: 'k'.repeat(32) });
    expect(config).toMatchObject({ SPOOR_TOPIC_RAW: 'shop.raw', SPOOR_TOPIC_PARTITIONS: 12, SPOOR_DATA_DIR: '/tmp/x', LINK_SIGNING_SECRETS: ['k'.repeat(32)] });
    expect(warnings).toHaveLength(4);
  });
});
