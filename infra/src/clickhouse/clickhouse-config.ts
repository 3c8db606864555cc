import { join, resolve } from 'node:path';
import { ConfigError } from '../config-error.js';

export interface ClickHouseConfigInput {
  /** A ClickHouse server (http[s]://user:pass@host:8123). Unset: embedded chDB. */
  url?: string | undefined;
  /** Where embedded chDB keeps its data; `<dataDir>/clickhouse`. */
  dataDir?: string | undefined;
  database?: string | undefined;
  /** Cluster name: migrations run ON CLUSTER and use Replicated engines. */
  cluster?: string | undefined;
  /** Server-side execution limit applied to queries made through this client, seconds. */
  maxExecutionTimeSeconds?: number | undefined;
}

export type ClickHouseConfig =
  | { kind: 'server'; url: string; database: string; cluster?: string; maxExecutionTimeSeconds: number }
  | { kind: 'embedded'; path: string; database: string; maxExecutionTimeSeconds: number };

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

export function normaliseClickHouseConfig(input: ClickHouseConfigInput): ClickHouseConfig {
  const database = input.database ?? 'spoor';
  if (!IDENTIFIER.test(database)) throw new ConfigError('CLICKHOUSE_DATABASE', database, 'a letter or _ followed by letters, digits or _, at most 64');
  const maxExecutionTimeSeconds = input.maxExecutionTimeSeconds ?? 30;
  if (!Number.isFinite(maxExecutionTimeSeconds) || maxExecutionTimeSeconds <= 0) {
    throw new ConfigError('CLICKHOUSE_MAX_EXECUTION_TIME', input.maxExecutionTimeSeconds, 'a positive number of seconds');
  }
  if (input.url) {
    let parsed: URL;
    try {
      parsed = new URL(input.url);
    } catch {
      throw new ConfigError('CLICKHOUSE_URL', input.url, 'an http:// or https:// URL such as http://default:@127.0.0.1:8123');
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new ConfigError('CLICKHOUSE_URL', input.url, 'an http:// or https:// URL');
    }
    if (input.cluster !== undefined && !IDENTIFIER.test(input.cluster)) {
      throw new ConfigError('CLICKHOUSE_CLUSTER', input.cluster, 'a cluster name from the server config (letters, digits, _)');
    }
    return { kind: 'server', url: input.url, database, ...(input.cluster ? { cluster: input.cluster } : {}), maxExecutionTimeSeconds };
  }
  if (input.cluster) throw new ConfigError('CLICKHOUSE_CLUSTER', input.cluster, 'only with CLICKHOUSE_URL (embedded chDB is one node)');
  const dataDir = resolve(input.dataDir ?? '.spoor');
  return { kind: 'embedded', path: join(dataDir, 'clickhouse'), database, maxExecutionTimeSeconds };
}

/** The cluster DDL and mutations run ON (CLICKHOUSE_CLUSTER); embedded chDB has none. */
export const clusterOf = (config: ClickHouseConfig): string | undefined => (config.kind === 'server' ? config.cluster : undefined);
