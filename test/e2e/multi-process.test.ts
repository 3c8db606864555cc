import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createClickHouse, createKafkaEventLog, freePort, normaliseClickHouseConfig, waitUntil } from '@spoor/infra';
import { uniqueName } from '@spoor/test-harness';
import { exited } from './spoor-process.js';

/**
 * Spoor scaled out on one machine, as an operator would run it: two `spoor collector` processes and one
 * `spoor serve --roles processor,query-api` (embedded chDB allows one process per data directory, so the processor and
 * the query API share one), over real Kafka (4 partitions) and real Redis, all three configured by one .env file.
 * Events go through both collectors; one collector is SIGTERMed mid-load and its unanswered batches go to the other
 * (as a load balancer would send them). Every acknowledged event is stored exactly once.
 */
const SPOOR_BIN = join(dirname(fileURLToPath(import.meta.url)), '../../packages/cli/bin/spoor.mjs');
// The integration harness (test/harness/global-setup.ts) provides real Kafka and Redis: KAFKA_BROKERS / REDIS_URL
// when set, else testcontainers or local processes.
const KAFKA_BROKERS = inject('kafkaBrokers');
const REDIS_URL = inject('redisUrl');
const skipReason = !KAFKA_BROKERS || !REDIS_URL ? 'needs Kafka and Redis from the integration harness' : '';
const EVENTS = 3000;
const BATCH = 50;
const ORIGIN = 'http://shop.multi-process.test';

const work = mkdtempSync(join(tmpdir(), 'spoor-multi-process-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
});

interface Spawned {
  child: ChildProcess;
  output(): string;
}

/**
 * `spoor <command> --env-file <the shared .env>` with what differs per process (data dir, port) in its environment,
 * which wins over the file. The test runner's own environment is not passed on: the file is the configuration.
 */
function spoor(args: string[], envFile: string, own: Record<string, string>): Spawned {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, ...own };
  const child = spawn(process.execPath, [SPOOR_BIN, ...args, '--env-file', envFile], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  return { child, output: () => output };
}

async function run(args: string[], envFile: string, own: Record<string, string>): Promise<string> {
  const p = spoor(args, envFile, own);
  const code = await exited(p.child);
  if (code !== 0) throw new Error(`spoor ${args.join(' ')} exited ${code}:\n${p.output()}`);
  return p.output();
}

async function ready(url: string, p: Spawned): Promise<void> {
  await waitUntil(`${url}/readyz`, async () => p.child.exitCode === null && (await fetch(`${url}/readyz`)).status === 200, 90_000, 200).catch((err) => {
    throw new Error(`${(err as Error).message}\n${p.output()}`);
  });
}

const pageView = (n: number, now: number) => ({
  id: randomUUID(),
  type: 'page_view',
  ts: now - 60_000 + n,
  anonymousId: `mp-visitor-${n % 300}`,
  sessionId: `mp-session-${n % 300}`,
  url: `${ORIGIN}/p/${n % 40}`,
});

describe.skipIf(!!skipReason)('two collectors and a processor + query API process, one .env', () => {
  it(`counts every acknowledged event exactly once after a collector is SIGTERMed mid-load${skipReason ? ` (skipped: ${skipReason})` : ''}`, async () => {
    const started = Date.now();
    const site = uniqueName('mp-site').replace(/[^a-z0-9-]/g, '-');
    const topics = { raw: uniqueName('mp-raw'), dlq: uniqueName('mp-dlq') };
    const group = uniqueName('mp-processor');
    const log = createKafkaEventLog({ brokers: KAFKA_BROKERS.split(','), clientId: uniqueName('mp-test') });
    await log.ensureTopics([{ name: topics.raw, partitions: 4 }, { name: topics.dlq, partitions: 1 }]);
    await log.close();

    const envFile = join(work, 'spoor.env');
    writeFileSync(
      envFile,
      [
        `KAFKA_BROKERS=${KAFKA_BROKERS}`,
        `REDIS_URL=${REDIS_URL}`,
        `SPOOR_TOPIC_RAW=${topics.raw}`,
        `SPOOR_TOPIC_DLQ=${topics.dlq}`,
        'SPOOR_TOPIC_PARTITIONS=4',
        `PROCESSOR_GROUP_ID=${group}`,
        'GEOIP_DISABLED=true',
        'HOST=127.0.0.1',
        '',
      ].join('\n'),
    );
    const dirs = { app: join(work, 'app'), a: join(work, 'collector-a'), b: join(work, 'collector-b') };
    const ports = { app: await freePort(), a: await freePort(), b: await freePort() };

    // Each process has its own chDB (one process per data dir): the site is registered in each. The collectors' write
    // keys therefore differ; the site id, and so every event's identity, is the same.
    const keysIn = async (dir: string) =>
      JSON.parse((await run(['keys', 'create', '--site', site, '--origin', ORIGIN], envFile, { SPOOR_DATA_DIR: dir })).match(/\{[\s\S]*\}/)![0]) as { writeKey: string; apiKey: string };
    const [appKeys, aKeys, bKeys] = await Promise.all([keysIn(dirs.app), keysIn(dirs.a), keysIn(dirs.b)]);

    const app = spoor(['serve', '--roles', 'processor,query-api'], envFile, { SPOOR_DATA_DIR: dirs.app, PORT: String(ports.app) });
    const a = spoor(['collector'], envFile, { SPOOR_DATA_DIR: dirs.a, PORT: String(ports.a) });
    const b = spoor(['collector'], envFile, { SPOOR_DATA_DIR: dirs.b, PORT: String(ports.b) });
    const urls = { app: `http://127.0.0.1:${ports.app}`, a: `http://127.0.0.1:${ports.a}`, b: `http://127.0.0.1:${ports.b}` };
    await Promise.all([ready(urls.app, app), ready(urls.a, a), ready(urls.b, b)]);

    const now = Date.now();
    const events = Array.from({ length: EVENTS }, (_, n) => pageView(n, now));
    const batches: (typeof events)[] = [];
    for (let i = 0; i < events.length; i += BATCH) batches.push(events.slice(i, i + BATCH));
    const acknowledged = new Set<string>();
    const acknowledgedBy = new Map<string, number>();
    let aStopped: Promise<number | null> | undefined;
    const collectors = [
      { url: urls.a, writeKey: aKeys.writeKey, up: () => aStopped === undefined },
      { url: urls.b, writeKey: bKeys.writeKey, up: () => true },
    ];
    /** One batch until a collector acknowledges it: round robin while both run, then B alone; refused or unanswered: the other. */
    const deliver = async (batch: typeof events, index: number) => {
      for (let attempt = 0; attempt < 200; attempt++) {
        const up = collectors.filter((c) => c.up());
        const target = up[(index + attempt) % up.length]!;
        try {
          const res = await fetch(`${target.url}/v1/events`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', origin: ORIGIN },
            body: JSON.stringify({ writeKey: target.writeKey, sentAt: Date.now(), events: batch }),
            signal: AbortSignal.timeout(20_000),
          });
          if (res.status === 202) {
            const answer = (await res.json()) as { accepted: number; rejected: unknown[] };
            expect(answer).toEqual({ accepted: batch.length, rejected: [] });
            for (const e of batch) acknowledged.add(e.id);
            acknowledgedBy.set(target.url, (acknowledgedBy.get(target.url) ?? 0) + batch.length);
            if (!aStopped && acknowledged.size >= EVENTS / 3) {
              // Mid-load, with requests in flight at both collectors.
              a.child.kill('SIGTERM');
              aStopped = exited(a.child);
            }
            return;
          }
          const body = await res.text();
          if (res.status !== 429 && res.status !== 503) throw new Error(`collector ${target.url} answered ${res.status}: ${body}`);
          if (res.status === 429) await new Promise((r) => setTimeout(r, 100));
        } catch (err) {
          if ((err as Error).message.startsWith('collector ')) throw err;
          // Connection refused or reset: that collector is going away; the next attempt goes to the other.
        }
      }
      throw new Error(`batch ${index} was never acknowledged`);
    };
    let next = 0;
    await Promise.all(
      Array.from({ length: 6 }, async () => {
        while (next < batches.length) {
          const index = next++;
          await deliver(batches[index]!, index);
        }
      }),
    );
    console.log(`[multi-process] all up and ${EVENTS} events acknowledged after ${Date.now() - started} ms (${JSON.stringify(Object.fromEntries(acknowledgedBy))})`);
    expect(aStopped, 'collector A was stopped mid-load').toBeDefined();
    expect(await aStopped).toBe(0);
    expect(acknowledged.size).toBe(EVENTS);
    expect(acknowledgedBy.get(urls.a), 'collector A took part').toBeGreaterThan(0);
    expect(acknowledgedBy.get(urls.b), 'collector B took part').toBeGreaterThan(0);

    // The processor has read the raw topic to its end (its group's committed offsets are the topic's end offsets) …
    const admin = new Kafka({ brokers: KAFKA_BROKERS.split(','), clientId: uniqueName('mp-admin'), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      const ends = await admin.fetchTopicOffsets(topics.raw);
      expect(ends).toHaveLength(4);
      let committed: Array<{ partition: number; offset: string }> = [];
      await waitUntil(
        'the processor group committed the end of every partition',
        async () => {
          committed = (await admin.fetchOffsets({ groupId: group, topics: [topics.raw] }))[0]!.partitions;
          return ends.every((end) => committed.find((p) => p.partition === end.partition)?.offset === end.offset);
        },
        60_000,
        200,
      ).catch((err) => {
        throw new Error(`${(err as Error).message}: ends ${JSON.stringify(ends)}, committed ${JSON.stringify(committed)}\n${app.output()}`);
      });
    } finally {
      await admin.disconnect();
    }
    // … and the query API of the same process counts every acknowledged event once.
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    const overview = await fetch(`${urls.app}/api/v1/overview?site=${site}&from=${day(now - 86_400_000)}&to=${day(now + 86_400_000)}&include_bots=true`, {
      headers: { authorization: `Bearer ${appKeys.apiKey}` },
    });
    expect(overview.status).toBe(200);
    expect(((await overview.json()) as { totals: { events: number } }).totals.events).toBe(EVENTS);

    for (const p of [app, b]) p.child.kill('SIGTERM');
    expect(await exited(app.child)).toBe(0);
    expect(await exited(b.child)).toBe(0);
    // Event by event, in the store the processor wrote (its process is gone: its chDB directory is free to open).
    const client = createClickHouse(normaliseClickHouseConfig({ dataDir: dirs.app }));
    try {
      const rows = await (await client.query({ query: 'SELECT toString(event_id) AS id, count() AS n FROM spoor.events WHERE site_id = {site:String} GROUP BY id', query_params: { site }, format: 'JSONEachRow' })).json<{ id: string; n: number }>();
      const stored = new Map(rows.map((r) => [r.id, Number(r.n)]));
      expect([...acknowledged].filter((id) => stored.get(id) !== 1)).toEqual([]);
      expect(stored.size).toBe(EVENTS);
    } finally {
      await client.close();
    }
  }, 180_000);
});
