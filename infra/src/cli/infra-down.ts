// npm run infra:down — stops what infra:up started (data stays in $SPOOR_CACHE_DIR/run).
import { stopProcess } from '../local/process-control.js';
import { readInfraState, writeInfraState } from './infra-state.js';

const state = readInfraState();
if (state.kafka) {
  await stopProcess(state.kafka.pid, 20000);
  console.log(`Kafka stopped (pid ${state.kafka.pid})`);
}
if (state.redis) {
  await stopProcess(state.redis.pid, 5000);
  console.log(`redis-server stopped (pid ${state.redis.pid})`);
}
if (!state.kafka && !state.redis) console.log('nothing running');
writeInfraState({});
