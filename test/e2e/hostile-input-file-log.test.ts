import { describe, it } from 'vitest';
import { hostileInputThroughThePipeline } from './hostile-input-pipeline.js';

// The embedded default: the durable file log (no KAFKA_BROKERS). One file per log adapter: chDB allows one data
// directory per process, and each test file runs in its own.
describe('hostile strings and implausible times → collector → file log → processor → chDB', () => {
  it('stores every accepted event with clean strings and bounded times, then a normal event; nothing retried', async () => {
    await hostileInputThroughThePipeline({});
  }, 300_000);
});
