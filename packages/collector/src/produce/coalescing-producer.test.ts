import { describe, expect, it } from 'vitest';
import { memoryLogProducer } from '../test-support/collector-fixture.js';
import { createCoalescingProducer, LogUnavailableError } from './coalescing-producer.js';

const msg = (key: string, size = 10) => ({ key, value: new Uint8Array(size) });

describe('coalescing producer', () => {
  it('keeps one send in flight and carries requests that arrive meanwhile in the next send', async () => {
    const log = memoryLogProducer();
    log.state.delayMs = 20;
    const producer = createCoalescingProducer(log.producer);
    const requests = Array.from({ length: 50 }, (_, i) => producer.send([{ topic: 't', messages: [msg(`k${i}`)] }]));
    await Promise.all(requests);
    expect(log.state.maxConcurrent).toBe(1);
    expect(log.state.sends).toBe(2); // the first alone, the other 49 together
    expect(log.messagesOn('t').map((m) => m.key)).toEqual(Array.from({ length: 50 }, (_, i) => `k${i}`));
  });

  it('resolves a request only after the send carrying its own messages was acknowledged', async () => {
    const log = memoryLogProducer();
    log.state.delayMs = 30;
    const producer = createCoalescingProducer(log.producer);
    const order: string[] = [];
    const first = producer.send([{ topic: 't', messages: [msg('a')] }]).then(() => order.push(`a acked with ${log.messagesOn('t').length} stored`));
    const second = producer.send([{ topic: 't', messages: [msg('b')] }]).then(() => order.push(`b acked with ${log.messagesOn('t').length} stored`));
    await Promise.all([first, second]);
    expect(order).toEqual(['a acked with 1 stored', 'b acked with 2 stored']);
  });

  it('sends each topic of a request and fails only the requests of a failed send', async () => {
    const log = memoryLogProducer();
    log.state.delayMs = 10;
    const producer = createCoalescingProducer(log.producer);
    const a = producer.send([{ topic: 'raw', messages: [msg('a')] }, { topic: 'dlq', messages: [msg('site')] }]);
    await Promise.resolve();
    log.state.failing = true;
    const b = producer.send([{ topic: 'raw', messages: [msg('b')] }]);
    const results = await Promise.allSettled([a, b]);
    // a's send had not finished when the log failed, b waited for the next send: both refused.
    for (const r of results) expect(r.status === 'rejected' && r.reason).toBeInstanceOf(LogUnavailableError);
    log.state.failing = false;
    await producer.send([{ topic: 'raw', messages: [msg('c')] }]);
    expect(log.messagesOn('raw').map((m) => m.key)).toEqual(['c']);
  });

  it('caps one send by bytes but always takes at least one request', async () => {
    const log = memoryLogProducer();
    log.state.delayMs = 5;
    const producer = createCoalescingProducer(log.producer, { maxSendBytes: 100 });
    await Promise.all([producer.send([{ topic: 't', messages: [msg('x', 500)] }]), ...Array.from({ length: 4 }, () => producer.send([{ topic: 't', messages: [msg('y', 60)] }]))]);
    expect(log.sent.map((s) => s.messages.length)).toEqual([1, 1, 1, 1, 1]);
  });

  it('times out a request whose ack does not come, refuses when too much waits, and drains', async () => {
    const log = memoryLogProducer();
    log.state.delayMs = 200;
    const producer = createCoalescingProducer(log.producer, { ackTimeoutMs: 50, maxQueuedBytes: 1000 });
    const slow = producer.send([{ topic: 't', messages: [msg('slow', 500)] }]);
    const tooMuch = producer.send([{ topic: 't', messages: [msg('big', 600)] }]);
    const [slowResult, tooMuchResult] = await Promise.allSettled([slow, tooMuch]);
    expect(tooMuchResult.status === 'rejected' && String(tooMuchResult.reason)).toMatch(/too many bytes/);
    expect(slowResult.status === 'rejected' && String(slowResult.reason)).toMatch(/within 50 ms/);
    expect(producer.queuedBytes()).toBeGreaterThan(0);
    await producer.drain();
    expect(producer.queuedBytes()).toBe(0);
  });

  it('does not send a request that already timed out (its client was told 503)', async () => {
    const log = memoryLogProducer();
    log.state.delayMs = 100;
    const producer = createCoalescingProducer(log.producer, { ackTimeoutMs: 40 });
    const first = producer.send([{ topic: 't', messages: [msg('first')] }]);
    const queued = producer.send([{ topic: 't', messages: [msg('queued')] }]);
    const [firstResult, queuedResult] = await Promise.allSettled([first, queued]);
    expect(firstResult.status === 'rejected' && firstResult.reason).toBeInstanceOf(LogUnavailableError);
    expect(queuedResult.status === 'rejected' && queuedResult.reason).toBeInstanceOf(LogUnavailableError);
    await producer.drain();
    expect(log.messagesOn('t').map((m) => m.key)).toEqual(['first']);
  });

  it('spreads keys over lanes (one send in flight per producer), keeps one key on one lane, and answers after every lane acked', async () => {
    const logs = [memoryLogProducer(), memoryLogProducer(), memoryLogProducer()];
    for (const l of logs) l.state.delayMs = 10;
    const producer = createCoalescingProducer(logs.map((l) => l.producer));
    const keys = Array.from({ length: 30 }, (_, i) => `anon-${i}`);
    await Promise.all(
      Array.from({ length: 40 }, (_, r) => producer.send([{ topic: 't', messages: keys.slice(r % 5, (r % 5) + 10).map((k) => msg(k)) }])),
    );
    for (const l of logs) expect(l.state.maxConcurrent).toBe(1);
    expect(logs.filter((l) => l.messagesOn('t').length > 0)).toHaveLength(3);
    const laneOfKey = new Map<string, number>();
    logs.forEach((l, lane) => {
      for (const m of l.messagesOn('t')) {
        expect(laneOfKey.get(m.key) ?? lane).toBe(lane);
        laneOfKey.set(m.key, lane);
      }
    });
    expect(logs.reduce((n, l) => n + l.messagesOn('t').length, 0)).toBe(400);

    logs[1]!.state.failing = true;
    const spanning = producer.send([{ topic: 't', messages: keys.map((k) => msg(k)) }]);
    await expect(spanning).rejects.toBeInstanceOf(LogUnavailableError);
    await producer.drain();
  });
});
