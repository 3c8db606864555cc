export { freshClickHouseDatabase } from './clickhouse.js';
export { uniqueName } from './uniq.js';
export { obtainTestInfra, type TestInfra } from './obtain-infra.js';
