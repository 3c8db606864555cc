import { spawn } from 'node:child_process';
import { mkdtempSync, openSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createKafkaEventLog, freePort, resolveKafkaJars, startLocalKafka, waitUntil, type LocalKafka, createMemoryKeyValue } from '@spoor/infra';
import { createCollector } from './create-collector.js';
import { createCoalescingProducer } from './produce/coalescing-producer.js';
import { serveCollector } from './serve-collector.js';
import { createStaticSiteRegistry } from './sites/file-site-registry.js';
import { batch, pageView, SECRETS, SHOP } from './test-support/collector-fixture.js';
import { readRawEvents } from './test-support/read-topic.js';

/**
 * Fault drill: a private broker (never the shared one) is stopped in the middle of a load. Every request
 * must end as either 202 with all of its events in Kafka, or 503 (the client retries). The broker is then
 * started again on the same data directory to check what was acknowledged.
 */
let dir = mkdtempSync(join(tmpdir(), 'spoor-fault-kafka-'));
let kafka: LocalKafka | undefined;
let restartedPid: number | undefined;
afterAll(async () => {
  await kafka?.stop();
  if (restartedPid) await stopPid(restartedPid);
});

/**
 * Starts the stopped broker again on its own config and data (startLocalKafka would format the directory
 * with a new cluster id, which Kafka refuses for existing data).
 */
async function restartBroker(brokers: string): Promise<number> {
  const out = openSync(join(dir, 'kafka-restart.log'), 'a');
  const child = spawn(
    'java',
    ['-Xms320m', '-Xmx320m', `-Dlog4j.configuration=file:${join(dir, 'log4j.properties')}`, '-cp', `${resolveKafkaJars()}/*`, 'kafka.Kafka', join(dir, 'server.properties')],
    { detached: true, stdio: ['ignore', out, out] },
  );
  child.unref();
  const [host = '127.0.0.1', port = '0'] = brokers.split(':');
  const answers = () =>
    new Promise<boolean>((resolve) => {
      const socket = connect(Number(port), host, () => (socket.destroy(), resolve(true)));
      socket.on('error', () => resolve(false));
    });
  await waitUntil(`restarted Kafka on ${brokers}`, answers, 60_000);
  return child.pid!;
}

async function stopPid(pid: number) {
  try {
    process.kill(-pid, 'SIGTERM');
  } catch {
    return;
  }
  for (let i = 0; i < 150; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    /* gone */
  }
}

const withTimeout = <T>(p: Promise<T>, ms: number) => Promise.race([p, new Promise<undefined>((r) => setTimeout(() => r(undefined), ms))]);

describe('broker stopped mid-load', () => {
  it('every request got 202 with its events in Kafka, or 503 with Retry-After', async () => {
    const topic = 'fault-raw';
    // The machine is shared: a free port can be taken by someone else before the broker binds it, so the
    // start (broker answers and creates our topics) gets a second chance on another port and directory.
    let port = 0;
    let log: ReturnType<typeof createKafkaEventLog> | undefined;
    for (let attempt = 1; !log; attempt++) {
      port = await freePort();
      if (attempt > 1) dir = mkdtempSync(join(tmpdir(), 'spoor-fault-kafka-'));
      kafka = await startLocalKafka({ dir, port, heapMb: 320 });
      const candidate = createKafkaEventLog({ brokers: [kafka.brokers], clientId: 'fault', retries: 2, requestTimeoutMs: 3000, connectionTimeoutMs: 1000, logLevel: 'nothing' });
      try {
        await candidate.ensureTopics([
          { name: topic, partitions: 2 },
          { name: 'fault-dlq', partitions: 1 },
        ]);
        log = candidate;
      } catch (err) {
        await candidate.close();
        await kafka.stop();
        if (attempt >= 2) throw err;
      }
    }
    if (!kafka) throw new Error('no broker started');
    const broker = kafka;
    const kafkaProducer = await log.producer();
    const producer = createCoalescingProducer(kafkaProducer, { ackTimeoutMs: 4000 });
    const app = createCollector({ keyValue: createMemoryKeyValue(), producer, logReachable: () => log.ping(), sites: createStaticSiteRegistry([SHOP]), linkSecrets: SECRETS, collectorId: 'fault', topics: { raw: topic, deadLetter: 'fault-dlq' }, log: () => {} });
    const server = await serveCollector({ app, port: 0, hostname: '127.0.0.1' });

    const outcomes: Array<{ status: number; ids: string[]; retryAfter: string | null; at: number }> = [];
    let stopLoadAt = Number.POSITIVE_INFINITY;
    let stoppedAt = Number.POSITIVE_INFINITY;
    const worker = async () => {
      // Bounded: at most 400 requests per worker, and the loop ends a few seconds after the broker stopped.
      for (let i = 0; i < 400 && Date.now() < stopLoadAt; i++) {
        const events = Array.from({ length: 5 }, (_, j) => pageView({ anonymousId: `fault-${i}-${j}` }));
        const res = await fetch(`${server.url}/v1/events`, { method: 'POST', body: JSON.stringify(batch(events)) });
        await res.arrayBuffer();
        outcomes.push({ status: res.status, ids: events.map((e) => e.id), retryAfter: res.headers.get('retry-after'), at: Date.now() });
        if (res.status !== 202) await new Promise((r) => setTimeout(r, 100));
      }
    };
    const load = Promise.all(Array.from({ length: 6 }, worker));
    await new Promise((r) => setTimeout(r, 1500));
    stoppedAt = Date.now();
    await broker.stop();
    stopLoadAt = Date.now() + 6000;
    await load;
    await withTimeout(server.shutdown(), 10_000);
    await withTimeout(kafkaProducer.close(), 5000);
    await withTimeout(log.close(), 5000);

    const statuses = new Set(outcomes.map((o) => o.status));
    expect([...statuses].sort()).toEqual([202, 503]);
    for (const o of outcomes.filter((x) => x.status === 503)) expect(Number(o.retryAfter)).toBeGreaterThan(0);
    expect(outcomes.filter((o) => o.status === 503 && o.at > stoppedAt).length).toBeGreaterThan(0);
    const acknowledged = outcomes.filter((o) => o.status === 202).flatMap((o) => o.ids);
    expect(acknowledged.length).toBeGreaterThan(50);

    const brokers = broker.brokers;
    kafka = undefined;
    restartedPid = await restartBroker(brokers);
    const reader = createKafkaEventLog({ brokers: [brokers], clientId: 'fault-reader', logLevel: 'nothing' });
    const stored = await readRawEvents(reader, topic, acknowledged.length, 60_000);
    await reader.close();
    const storedIds = new Set(stored.map((m) => m.raw.eventId));
    const missing = acknowledged.filter((id) => !storedIds.has(id));
    console.log(
      `[fault drill] ${outcomes.length} requests: ${outcomes.filter((o) => o.status === 202).length} × 202 (${acknowledged.length} events, all found after restart: ${missing.length === 0}), ${outcomes.filter((o) => o.status === 503).length} × 503`,
    );
    expect(missing, `${missing.length} of ${acknowledged.length} acknowledged events missing`).toEqual([]);
  }, 240_000);
});
