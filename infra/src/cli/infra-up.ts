// npm run infra:up — starts a local Kafka (KRaft, single node) and redis-server, prints the env lines to use them.
//   KAFKA_PORT (default 9092), REDIS_PORT (default 6379), SPOOR_CACHE_DIR (default ~/.cache/spoor).
import { join } from 'node:path';
import { isAlive } from '../local/process-control.js';
import { startLocalKafka } from '../local/kafka-broker.js';
import { startLocalRedis } from '../local/redis-server.js';
import { readInfraState, runDir, writeInfraState } from './infra-state.js';

const kafkaPort = Number(process.env.KAFKA_PORT ?? 9092);
const redisPort = Number(process.env.REDIS_PORT ?? 6379);
const state = readInfraState();

if (state.kafka && isAlive(state.kafka.pid)) {
  console.error(`Kafka already running (pid ${state.kafka.pid})`);
} else {
  const kafka = await startLocalKafka({ dir: join(runDir(), 'kafka'), port: kafkaPort });
  state.kafka = { pid: kafka.pid, brokers: kafka.brokers, dir: kafka.dir };
  console.error(`Kafka started (pid ${kafka.pid}), data in ${kafka.dir}`);
}
writeInfraState(state);

if (state.redis && isAlive(state.redis.pid)) {
  console.error(`redis-server already running (pid ${state.redis.pid})`);
} else {
  const dir = join(runDir(), 'redis');
  const redis = await startLocalRedis({ dir, port: redisPort });
  state.redis = { pid: redis.pid, url: redis.url, dir };
  console.error(`redis-server started (pid ${redis.pid})`);
}
writeInfraState(state);

console.log(`KAFKA_BROKERS=${state.kafka.brokers}`);
console.log(`REDIS_URL=${state.redis.url}`);
