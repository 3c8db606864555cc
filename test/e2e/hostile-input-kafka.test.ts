import { describe, inject, it } from 'vitest';
import { hostileInputThroughThePipeline } from './hostile-input-pipeline.js';

describe('hostile strings and implausible times → collector → Kafka → processor → chDB', () => {
  it('stores every accepted event with clean strings and bounded times, then a normal event; nothing retried', async () => {
    await hostileInputThroughThePipeline({ kafkaBrokers: inject('kafkaBrokers'), redisUrl: inject('redisUrl') });
  }, 300_000);
});
