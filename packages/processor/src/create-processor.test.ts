import { describe, expect, it } from 'vitest';
import { encodeRawEvent } from '@spoor/events';
import type { BatchControl, BatchOutcome, ConsumedBatch, EventLog, EventLogConsumer, LogMessage } from '@spoor/infra';
import { createProcessor } from './create-processor.js';
import { createEnricher } from './enrich/enrich-event.js';
import { NO_GEO } from './enrich/geo-lookup.js';
import { createUserAgentParser } from './enrich/parse-user-agent.js';
import { loadReferrerDataset } from './enrich/referrer-dataset.js';
import { createMemoryEventStore } from './testing/memory-event-store.js';
import { syntheticRawEvent } from './testing/synthetic-events.js';

/** An in-memory EventLog (our own port) that hands batches to the handler on demand and can crash for good. */
function memoryLog() {
  let handler: ((batch: ConsumedBatch, control: BatchControl) => Promise<BatchOutcome>) | undefined;
  let fatal: ((e: Error) => void) | undefined;
  const committed: string[] = [];
  const sent: LogMessage[] = [];
  const consumer: EventLogConsumer = {
    async run(h) {
      handler = h;
    },
    async stop() {},
    onFatal(listener) {
      fatal = listener;
    },
  };
  const log: EventLog = {
    producer: async () => ({ send: async (_t, m) => void sent.push(...m), close: async () => {} }),
    consumer: async () => consumer,
    ensureTopics: async () => {},
    ping: async () => true,
    close: async () => {},
  };
  return {
    log,
    committed,
    async deliver(values: Uint8Array[], offset = 0, isActive: () => boolean = () => true) {
      const batch: ConsumedBatch = { topic: 'spoor.raw', partition: 0, messages: values.map((value, i) => ({ topic: 'spoor.raw', partition: 0, offset: String(offset + i), key: null, value: Buffer.from(value), timestamp: 0 })) };
      const outcome = await handler!(batch, { heartbeat: async () => {}, isActive });
      if (outcome === 'commit') committed.push(batch.messages[batch.messages.length - 1]!.offset);
      return outcome;
    },
    crash: (e: Error) => fatal?.(e),
  };
}

const enrich = createEnricher({ geo: () => NO_GEO, userAgent: createUserAgentParser(), referrers: loadReferrerDataset() });

describe('createProcessor', () => {
  it('commits after the store took the batch, and reports readiness and totals', async () => {
    const memory = memoryLog();
    const store = createMemoryEventStore();
    const processor = createProcessor({ log: memory.log, store, enrich, retry: { initialDelayMs: 1, maxDelayMs: 1 } });
    expect(processor.ready()).toBe(false);
    await processor.start();
    expect(processor.ready()).toBe(true);
    expect(await memory.deliver([0, 1, 2].map((n) => encodeRawEvent(syntheticRawEvent(n, { salt: 21 }))))).toBe('commit');
    expect(memory.committed).toEqual(['2']);
    expect(processor.totals()).toMatchObject({ batches: 1, messages: 3, loaded: 3, deadLettered: 0 });
    await processor.stop();
  });

  it('is not ready while a batch is stuck retrying past the window, and ready again after', async () => {
    const memory = memoryLog();
    const store = createMemoryEventStore();
    let clock = 0;
    const processor = createProcessor({ log: memory.log, store, enrich, retry: { initialDelayMs: 5, maxDelayMs: 5 }, readinessWindowMs: 1000, now: () => clock });
    await processor.start();
    store.failNext(20);
    const delivering = memory.deliver([encodeRawEvent(syntheticRawEvent(1, { salt: 22 }))]);
    await new Promise((r) => setTimeout(r, 20));
    clock = 5000;
    expect(processor.ready()).toBe(false);
    expect(await delivering).toBe('commit');
    expect(processor.ready()).toBe(true);
    expect(processor.totals().retries).toBeGreaterThan(0);
    await processor.stop();
  });

  it('is not ready once a load has been failing past the bound; health() shows codes and counts, never the error text', async () => {
    const memory = memoryLog();
    const store = createMemoryEventStore();
    let clock = 0;
    const processor = createProcessor({ log: memory.log, store, enrich, retry: { initialDelayMs: 2, maxDelayMs: 2 }, failingReadinessMs: 30_000, now: () => clock });
    await processor.start();
    store.failNext(1_000_000, () => Object.assign(new Error('Code: 241. DB::Exception: Memory limit exceeded while inserting ["secret row"]'), { code: '241' }));
    let active = true;
    const delivering = memory.deliver([encodeRawEvent(syntheticRawEvent(1, { salt: 23 }))], 0, () => active);
    // The first failed attempt starts the failing clock (at 0).
    for (let i = 0; i < 2000 && processor.totals().retries === 0; i++) await new Promise((r) => setTimeout(r, 5));
    expect(processor.totals().retries).toBeGreaterThan(0);
    clock = 29_000;
    expect(processor.ready()).toBe(true);
    clock = 31_000;
    expect(processor.ready()).toBe(false);
    const health = processor.health();
    expect(health).toMatchObject({ ready: false, last_error_code: 'store_unavailable', refused: 0 });
    expect(health.failing_for_ms).toBe(31_000);
    expect(health.retries).toBeGreaterThan(0);
    expect(JSON.stringify(health)).not.toMatch(/secret|Memory limit/);
    active = false;
    expect(await delivering).toBe('retry-later');
    expect(processor.health()).toMatchObject({ ready: true, failing_for_ms: 0 });
    await processor.stop();
  });

  it('hands a consumer crash to onFatal and stops being ready', async () => {
    const memory = memoryLog();
    const crashes: string[] = [];
    const processor = createProcessor({ log: memory.log, store: createMemoryEventStore(), enrich, onFatal: (e) => crashes.push(e.message) });
    await processor.start();
    memory.crash(new Error('could not rejoin the group'));
    expect(crashes).toEqual(['could not rejoin the group']);
    expect(processor.ready()).toBe(false);
    await processor.stop();
  });
});
