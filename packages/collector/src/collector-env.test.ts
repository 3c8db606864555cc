import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCollectorEnv } from './collector-env.js';

const secret = 'x'.repeat(32);

describe('collector env', () => {
  it('applies defaults and splits lists', () => {
    const env = parseCollectorEnv({ KAFKA_BROKERS: 'a:9092, b:9092', LINK_SIGNING_SECRETS: `${secret},${'y'.repeat(40)}`, TRUSTED_PROXIES: 'loopback,10.0.0.0/8' });
    expect(env).toMatchObject({ PORT: 8080, KAFKA_BROKERS: ['a:9092', 'b:9092'], TRUSTED_PROXIES: ['loopback', '10.0.0.0/8'], RATE_LIMITS: true, KAFKA_COMPRESSION: 'snappy' });
    expect(env.linkSecrets).toHaveLength(2);
  });
  it('names what is missing or wrong', () => {
    expect(() => parseCollectorEnv({ LINK_SIGNING_SECRETS: secret })).toThrow(/KAFKA_BROKERS: required/);
    expect(() => parseCollectorEnv({ KAFKA_BROKERS: 'a:1' })).toThrow(/LINK_SIGNING_SECRETS: required/);
    expect(() => parseCollectorEnv({ KAFKA_BROKERS: 'a:1', LINK_SIGNING_SECRETS: 'short' })).toThrow(/at least 32/);
    expect(() => parseCollectorEnv({ KAFKA_BROKERS: 'a:1', LINK_SIGNING_SECRETS: secret, PORT: 'eighty' })).toThrow(/^collector configuration: PORT/);
  });
  it('reads secrets from a file only its owner can read', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'spoor-secret-')), 'link-secrets');
    writeFileSync(file, `${secret}\n${'z'.repeat(40)}\n`);
    chmodSync(file, 0o644);
    expect(() => parseCollectorEnv({ KAFKA_BROKERS: 'a:1', LINK_SIGNING_SECRET_FILE: file })).toThrow(/LINK_SIGNING_SECRET_FILE: readable by others: chmod 600/);
    chmodSync(file, 0o600);
    expect(parseCollectorEnv({ KAFKA_BROKERS: 'a:1', LINK_SIGNING_SECRET_FILE: file }).linkSecrets).toEqual([secret, 'z'.repeat(40)]);
  });
});
