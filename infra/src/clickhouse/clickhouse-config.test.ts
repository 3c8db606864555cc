import { describe, expect, it } from 'vitest';
import { normaliseClickHouseConfig } from './clickhouse-config.js';

describe('normaliseClickHouseConfig', () => {
  it('defaults to embedded chDB under the data dir', () => {
    expect(normaliseClickHouseConfig({ dataDir: '/var/lib/spoor' })).toEqual({ kind: 'embedded', path: '/var/lib/spoor/clickhouse', database: 'spoor', maxExecutionTimeSeconds: 30 });
  });

  it('uses a server when a URL is given', () => {
    expect(normaliseClickHouseConfig({ url: 'http://default:@127.0.0.1:8123', cluster: 'prod' })).toMatchObject({ kind: 'server', cluster: 'prod' });
  });

  it('names the key, the bad value and what is accepted', () => {
    expect(() => normaliseClickHouseConfig({ url: 'tcp://db:9000' })).toThrow('invalid CLICKHOUSE_URL: "tcp://db:9000" (accepted: an http:// or https:// URL)');
    expect(() => normaliseClickHouseConfig({ database: 'drop table' })).toThrow(/^invalid CLICKHOUSE_DATABASE: "drop table" \(accepted: a letter/);
    expect(() => normaliseClickHouseConfig({ cluster: 'c' })).toThrow(/CLICKHOUSE_CLUSTER.*only with CLICKHOUSE_URL/);
  });
});
