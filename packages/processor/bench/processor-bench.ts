/**
 * npm run bench -w @spoor/processor
 * Events/s from Kafka through decode + enrich + load (embedded chDB) with the UA cache on and off, beside a
 * decode-only consumer in the same run, and event → queryable lag at a steady 5k events/s.
 * Writes docs/performance/processor.md. Uses KAFKA_BROKERS when set, else starts a local Kafka.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeRawEvent } from '@spoor/events';
import { createClickHouse, createKafkaEventLog, createMemoryKeyValue, migrate, normaliseClickHouseConfig, startLocalKafka, type EventLog } from '@spoor/infra';
import { createProcessor } from '../src/create-processor.js';
import { loadEnricher } from '../src/enrich/load-enricher.js';
import { createClickHouseEventStore } from '../src/load/clickhouse-event-store.js';
import type { EventStore } from '../src/load/event-store.js';
import { COLUMN_NAMES } from '../src/load/table-columns.js';
import { decodeRecord } from '../src/pipeline/decode-message.js';
import { syntheticRawEvent } from '../src/testing/synthetic-events.js';
import { EVENTS_PER_RECORD, fillTopic, type RecordFormat } from './fill-topic.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 200_000);
const LAG_SECONDS = Number(process.env.BENCH_LAG_SECONDS ?? 20);
const LAG_RATE = 5_000;
const RECORDS: RecordFormat = process.env.BENCH_RECORDS === 'single' ? 'single' : 'batch';
const run = Date.now().toString(36);

const kafka = process.env.KAFKA_BROKERS ? null : await startLocalKafka({ dir: mkdtempSync(join(tmpdir(), 'spoor-bench-kafka-')) });
const brokers = process.env.KAFKA_BROKERS ?? kafka!.brokers;
const log: EventLog = createKafkaEventLog({ brokers: brokers.split(','), clientId: `bench-${run}` });
const clickhouse = createClickHouse(normaliseClickHouseConfig({ dataDir: mkdtempSync(join(tmpdir(), 'spoor-bench-chdb-')) }));
const loadBefore = loadavg()[0]!;

interface Rate {
  /** events ÷ time from start() (group join included) to the last event handled */
  fromStart: number;
  /** events ÷ time from the first batch to the last (how the decode-only consumer is measured) */
  fromFirstBatch: number;
  /** process CPU (all threads: JavaScript, kafkajs, embedded chDB) per event, µs — robust to a busy machine */
  cpuMicrosPerEvent: number;
  /** events per partition batch handed to the handler (loads coalesce up to four of them) */
  eventsPerBatch?: number;
}

async function decodeOnly(topic: string): Promise<Rate> {
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  const consumer = await log.consumer({ groupId: `bench-decode-${run}`, topics: [topic], fromBeginning: true, maxWaitTimeMs: 100, partitionsConsumedConcurrently: 2 });
  let seen = 0;
  let first = 0;
  let last = 0;
  await consumer.run(async (batch) => {
    if (!first) first = performance.now();
    for (const m of batch.messages) for (const { result } of decodeRecord(m.value, m.headers)) if (result.kind === 'ok') seen++;
    last = performance.now();
    return 'commit';
  });
  while (seen < EVENTS) await new Promise((r) => setTimeout(r, 50));
  const cpu = process.cpuUsage(cpu0);
  await consumer.stop();
  return { fromStart: seen / ((last - started) / 1000), fromFirstBatch: seen / ((last - first) / 1000), cpuMicrosPerEvent: (cpu.user + cpu.system) / seen };
}

interface PipelineOptions {
  uaCacheSize: number;
  database: string;
  /** false: inserts through @clickhouse/client instead of chDB's raw insert (the previous path, for the A/B). */
  rawInsert?: boolean;
  store?: (inner: EventStore) => EventStore;
  onBatch?: () => void;
  coalesce?: boolean;
  coalesceGroup?: number;
  maxBytesPerPartition?: number;
}

async function fullPipeline(topic: string, { uaCacheSize, database, rawInsert, store, onBatch, coalesce, coalesceGroup, maxBytesPerPartition }: PipelineOptions) {
  await migrate(clickhouse, { database });
  const inner = createClickHouseEventStore(clickhouse, database, { rawInsert });
  let first = 0;
  // The first batch's arrival, seen where the processor's handler gets it: the same start the decode-only consumer uses.
  const timedLog: EventLog = {
    ...log,
    async consumer(options) {
      const consumer = await log.consumer(options);
      return {
        ...consumer,
        run: (handle) =>
          consumer.run((batch, control) => {
            if (!first) first = performance.now();
            return handle(batch, control);
          }),
      };
    },
  };
  const processor = createProcessor({
    log: timedLog,
    store: store ? store(inner) : inner,
    enrich: await loadEnricher({ userAgentCacheSize: uaCacheSize }),
    keyValue: createMemoryKeyValue(),
    groupId: `bench-${database}-${run}`,
    topics: { raw: topic, deadLetter: `${topic}-dlq` },
    fetch: { maxWaitMs: 100, maxBytesPerPartition },
    coalesce,
    coalesceGroup,
    onBatch,
  });
  let last = 0;
  let loaded = 0;
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  const ticker = setInterval(() => {
    const t = processor.totals();
    if (t.loaded > loaded) {
      loaded = t.loaded;
      last = performance.now();
    }
  }, 20);
  await processor.start();
  return {
    processor,
    async until(count: number) {
      while (processor.totals().loaded < count) await new Promise((r) => setTimeout(r, 20));
      clearInterval(ticker);
      last = performance.now();
      const cpu = process.cpuUsage(cpu0);
      const totals = processor.totals();
      const rate: Rate = { fromStart: count / ((last - started) / 1000), fromFirstBatch: count / ((last - first) / 1000), cpuMicrosPerEvent: (cpu.user + cpu.system) / count, eventsPerBatch: totals.loaded / Math.max(1, totals.batches) };
      return { rate, totals };
    },
  };
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
console.log(`[bench] ${EVENTS} events, Kafka ${brokers}, load average ${loadBefore.toFixed(1)}`);
const topic = `bench-raw-${run}`;
const produceRate = await fillTopic(log, topic, EVENTS, 1, RECORDS);
console.log(`[bench] produced at ${fmt(produceRate)} ev/s`);
const describe = (r: Rate) =>
  `${fmt(r.fromFirstBatch)} ev/s from the first batch, ${fmt(r.fromStart)} ev/s from start(), ${r.cpuMicrosPerEvent.toFixed(1)} µs CPU/event` +
  (r.eventsPerBatch ? `, ${fmt(r.eventsPerBatch)} events per partition batch` : '');
const decodeRate = await decodeOnly(topic);
console.log(`[bench] decode-only consumer: ${describe(decodeRate)}`);
async function measure(label: string, options: PipelineOptions): Promise<Rate> {
  const pipeline = await fullPipeline(topic, options);
  const { rate } = await pipeline.until(EVENTS);
  await pipeline.processor.stop();
  console.log(`[bench] ${label}: ${describe(rate)}`);
  return rate;
}
const cachedResult = await measure('decode+enrich+load, UA cache on', { uaCacheSize: 10_000, database: `bench_cache_${run}` });
const uncachedResult = await measure('decode+enrich+load, UA cache off', { uaCacheSize: 0, database: `bench_nocache_${run}` });
if (process.env.BENCH_EXPERIMENTS === 'throughput') {
  // Ad-hoc A/B while tuning (not in the report): BENCH_EXPERIMENTS=throughput.
  await measure('experiment: coalescing pairs of partitions', { uaCacheSize: 10_000, database: `bench_pairs_${run}`, coalesceGroup: 2 });
  await measure('experiment: no coalescing', { uaCacheSize: 10_000, database: `bench_nocoalesce_${run}`, coalesce: false });
  await measure('experiment: UA cache on again (drift check)', { uaCacheSize: 10_000, database: `bench_cache2_${run}` });
}
const clientPathResult = await measure('decode+enrich+load, UA cache on, inserts via @clickhouse/client', { uaCacheSize: 10_000, database: `bench_client_${run}`, rawInsert: false });

// Lag: a steady 5k ev/s; an event is queryable once every table acknowledged its batch.
const RECEIVED_AT = COLUMN_NAMES.raw_events.indexOf('received_at');
async function measureLag(name: string, rawInsert?: boolean) {
  const lagTopic = `bench-lag-${name}-${run}`;
  await log.ensureTopics([{ name: lagTopic, partitions: 4 }, { name: `${lagTopic}-dlq`, partitions: 1 }]);
  const lags: number[] = [];
  let pending: number[] = [];
  const lagRun = await fullPipeline(lagTopic, {
    uaCacheSize: 10_000,
    database: `bench_lag_${name}_${run}`,
    rawInsert,
    store: (inner) => ({
      existingKeys: (t, r) => inner.existingKeys(t, r),
      repairProjections: (r) => inner.repairProjections(r),
      markUnsettledVisits: (v) => inner.markUnsettledVisits(v),
      ping: () => inner.ping(),
      retractOrders: (refused) => inner.retractOrders(refused),
      async insert(table, rows, token) {
        await inner.insert(table, rows, token);
        if (table === 'raw_events') for (const row of rows) pending.push(Date.parse(String(row[RECEIVED_AT])));
      },
    }),
    // A batch is queryable when every table acknowledged it, which is when the handler reports it.
    onBatch: () => {
      const now = Date.now();
      for (const receivedAt of pending) lags.push(now - receivedAt);
      pending = [];
    },
  });
  const producer = await log.producer();
  const total = LAG_RATE * LAG_SECONDS;
  const tickMs = 50;
  const perTick = (LAG_RATE * tickMs) / 1000;
  const lagStart = Date.now();
  for (let sent = 0; sent < total; sent += perTick) {
    const chunk = [];
    for (let n = sent; n < sent + perTick; n++) {
      const raw = syntheticRawEvent(n, { salt: 7 });
      const now = Date.now();
      chunk.push({ key: raw.anonymousId, value: encodeRawEvent({ ...raw, receivedAt: now, sentAt: now, deviceTs: now - 100 }) });
    }
    await producer.send(lagTopic, chunk);
    const next = lagStart + ((sent + perTick) / perTick) * tickMs;
    await new Promise((r) => setTimeout(r, Math.max(0, next - Date.now())));
  }
  const achievedRate = total / ((Date.now() - lagStart) / 1000);
  await producer.close();
  await lagRun.until(total);
  await lagRun.processor.stop();
  lags.sort((a, b) => a - b);
  const pct = (p: number) => lags[Math.min(lags.length - 1, Math.floor((p / 100) * lags.length))] ?? NaN;
  console.log(`[bench] lag (${name}) at ${fmt(achievedRate)} ev/s: p50 ${pct(50)} ms, p95 ${pct(95)} ms, p99 ${pct(99)} ms (${lags.length} events)`);
  return { achievedRate, pct };
}
if (process.env.BENCH_EXPERIMENTS === 'lag') await measureLag('client_path', false);
const { achievedRate, pct } = await measureLag('default');
if (process.env.BENCH_EXPERIMENTS === 'lag') await measureLag('client_path_again', false);
const loadAfter = loadavg()[0]!;

const doc = `# Processor performance

Measured by \`npm run bench -w @spoor/processor\` (packages/processor/bench/processor-bench.ts), ${new Date().toISOString().slice(0, 16)}Z.
Machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), shared with the broker and whatever else runs (1-minute load average
${loadBefore.toFixed(1)} at the start and ${loadAfter.toFixed(1)} at the end of this run: above ~1.5 absolute numbers are pessimistic); the ratios inside one
run are the meaningful part. Kafka: ${process.env.KAFKA_BROKERS ? 'the shared dev broker' : 'a local single-node broker'} (3.9, KRaft); ClickHouse: embedded chDB in the
same process as the processor (it competes with enrichment for the same 2 cores); Redis replaced by the in-memory KeyValue.
${EVENTS.toLocaleString('en-US')} synthetic events (realistic mix: page views, product views, carts, pings, identifies, 1 in 20 a purchase;
9 real UA strings; 8 real referrers), 4 partitions, topic pre-filled, each consumer a fresh group from the earliest offset.
Kafka records: ${RECORDS === 'batch' ? `as the collector writes them, one RawEventBatch per visitor request (${EVENTS_PER_RECORD} events per record)` : 'one RawEvent per record (BENCH_RECORDS=single)'}; the lag run sends one event per record.

| pipeline | events/s (first batch → last) | vs decode-only | events/s (from start()) | CPU µs/event (all threads) | target |
|---|---:|---:|---:|---:|---|
${(
  [
    ['decode-only consumer (kafkajs fetch + protobuf + zod validate)', decodeRate, 'ceiling'],
    ['decode + enrich + load, UA cache on', cachedResult, '≥ 50,000 and ≥ 0.5'],
    ['decode + enrich + load, UA cache off', uncachedResult, '—'],
    ['decode + enrich + load, UA cache on, inserts through @clickhouse/client (the previous path: A/B)', clientPathResult, '—'],
  ] satisfies Array<[string, Rate, string]>
)
  .map(([label, rate, target]) => {
    return `| ${label} | ${fmt(rate.fromFirstBatch)} | ${(rate.fromFirstBatch / decodeRate.fromFirstBatch).toFixed(2)} | ${fmt(rate.fromStart)} | ${rate.cpuMicrosPerEvent.toFixed(1)} | ${target} |`;
  })
  .join('\n')}

"Load" means every insert of each batch acknowledged (raw_events, events, orders, order_items, identities; sessions by its
materialized view) after the existence checks, and offsets committed. "First batch → last" is how the decode-only consumer
is measured (the ratio compares like with like); "from start()" adds the consumer group join.
CPU per event is the whole process (JavaScript, kafkajs, and chDB's threads, which run in this process) divided by the
events: it depends far less than the rates on what else the machine runs (contention still inflates it somewhat).

Event → queryable lag at a steady ${LAG_RATE.toLocaleString('en-US')} events/s for ${LAG_SECONDS} s (achieved ${fmt(achievedRate)} ev/s), measured per event as
the time from its receivedAt (set when produced) until every table acknowledged its batch:

| p50 | p95 | p99 | target |
|---:|---:|---:|---|
| ${pct(50)} ms | ${pct(95)} ms | ${pct(99)} ms | p95 ≤ 2,000 ms |

Produce rate while pre-filling (idempotent producer, acks=all): ${fmt(produceRate)} ev/s.

## Why the throughput target cannot be met on this machine (measured 2026-11-22 on the idle machine)

- The target is ≥ 50,000 events/s and ≥ 0.5 of the decode-only consumer (129,120 events/s in the idle run of 14:25Z,
  so ≥ 64,560 events/s). Two cores run everything, the broker serving the fetches included: at most 2 s of CPU per
  second / 64,560 ≈ 31 µs of CPU per event for the whole pipeline (40 µs for 50,000 events/s).
- \`BATCH=30000 BATCHES=4 VARIANTS=raw npx tsx packages/processor/bench/pipeline-cost.ts\` (load average 1.1): decode
  10.1, enrich 8.5, rows 7.3, **load 46.8 µs of CPU per event**. The load alone — the inserts chDB must do for the
  tables the issue names (raw archive, events with the sessions view, orders, order items, identities) and the encoding
  of their rows — is above both budgets before one event is decoded. By wall time per event: insert into events 24.2
  µs, into raw_events 12.6 µs.
- So no arrangement of the JavaScript (worker threads, other batch sizes, fewer copies) reaches the target while
  ClickHouse runs inside the processor on the same 2 cores; its parse, view and merge work has to move to a ClickHouse
  server on its own cores (\`CLICKHOUSE_URL\`, supported, and the production setting). No ClickHouse server can run on
  this machine (only chDB), so the target cannot be shown met here. The lag target is met (p95 233 ms at 5,000 events/s).

## Where the time goes

Measured on 2026-11-22 on the same 2 cores while three other engineers ran builds and tests (load average 7–10: wall
times there are inflated, CPU per event is the reliable figure). Tools: \`npx tsx packages/processor/bench/pipeline-cost.ts\`
(decode → enrich → rows → loadBatch into embedded chDB without Kafka, 6 × 10,000 events, wall and process CPU per stage
and per store operation; \`VARIANTS=client,raw,raw-nomv,raw-nomerge,raw-zstd1,raw-lz4\`, \`BATCH\`, \`BATCHES\`), the
bench above under \`node --cpu-prof\`, and one-off chDB probes (Null-engine copies of \`events\`, single-row inserts).

**Per stage, CPU µs/event**, main (7fffc01, before this work) and this branch back to back, twice each, same
pipeline-cost script (3 loads of 20,000 events into embedded chDB, load average ~8.5):

| stage | main | this branch | what changed |
|---|---:|---:|---|
| decode (protobuf + JSON.parse + zod) | 11.8 / 13.9 | 11.3 / 12.2 | not this package's code (decode-message.ts) |
| enrich | 15.0 / 17.4 | 12.3 / 11.2 | page-URL (host, path, campaign) and referrer-classification LRU caches |
| build rows | 11.7 / 11.2 | 7.9 / 7.3 | positional rows straight in insert column order; ISO timestamps formatted once per second |
| load (checks + encoding + chDB + its merges) | 63.0 / 65.4 | 44.0 / 49.4 | chDB raw insert of bytes we encode; no \`events\` existence check for new ids |
| **total** | **101.5 / 107.9** | **75.5 / 80.1** | −25% CPU per event |

**Load, in detail.** chDB runs in this process, on the same two cores:
- *Client path vs raw insert.* Through \`@clickhouse/client\` an \`events\` row cost ~33 µs CPU (the client's per-row
  JSON encoding into a stream, the chDB connection turning the stream into a string and prepending the statement and
  session SETs, then chDB's parse); handing chDB the bytes (\`embeddedInsert\`) costs ~19 µs, of which ~6.5 µs is our
  \`JSON.stringify\`. \`raw_events\`: 11.5 → 6 µs. The A/B row in the table above is the same comparison end to end.
- *Format.* TabSeparated is not cheaper for chDB to parse than JSONCompactEachRow (12–13 ms per 1,000 rows into a Null
  copy of \`events\` either way) and costs more to encode in JavaScript (escaping per value vs one native
  \`JSON.stringify\`); chDB's raw insert takes text formats only (no RowBinary/Native), and the client path turns the body
  into a JS string, so binary formats are out for embedded chDB. \`input_format_parallel_parsing = 1\`: no gain.
- *What a row costs inside chDB* (~13–16 µs for \`events\`; single measurements vary ±20% on this machine): parsing
  ~12 µs (into a Null-engine copy), of which ~5 µs is the 25 \`LowCardinality\` columns (the same rows into a copy with \`String\` columns parse in 7.7 instead of 12.8 ms per 1,000); the \`sessions\`
  materialized view ~4 µs; background merges of the parts ~4 µs (with merges stopped); the three bloom-filter indexes and
  the ZSTD level of \`raw_events\`/\`props\` (ZSTD(1), LZ4 vs ZSTD(3)): not measurable above the noise. So no schema change
  pays here: the indexes serve the query API's lookups by customer/anonymous id, dropping ZSTD would only cost disk, and
  turning \`LowCardinality\` into \`String\` (~5 µs/event) would make every dashboard GROUP BY slower and rewrite stored
  data; \`sessions\` semantics must not change. No migration was added.
- *Fixed cost per insert* is large: a one-row insert into \`events\` costs ~15 ms CPU (~8 ms without the sessions view),
  into \`raw_events\`/\`orders\` ~3.5 ms, a query (existence check) ~2–2.5 ms; \`log_queries = 0\`, \`async_insert = 0\`:
  no change. Load CPU per event by load size: 113 µs at 1,000 events, 81 at 2,500, 50–55 at 10,000, 44 at 20,000, 47–51
  at 30,000 — so coalescing the partitions' batches into one load (on by default), large fetches (4 MB per partition:
  ~5,500 events per partition batch in this bench) and one load per coalesced fetch (the default load size is now 30,000
  events, was 10,000) matter. Overlapping JavaScript with chDB by coalescing fewer partitions per load
  (\`coalesceGroup: 2\` of 4, or no coalescing: one partition's inserts run while the next is enriched, for 2× or 4× the
  inserts): 7,936 and 7,527 events/s vs 6,234 and 7,506 for the default in the same run (86.6 / 93.0 vs 92.2 / 91.0 µs
  CPU per event) — within this machine's noise, so the default stays; worth re-measuring on idle cores.
- *Lag A/B* (\`BENCH_EXPERIMENTS=lag\`, 5,000 events/s for 15 s, load average ~7): p95 709 and 1,827 ms through
  \`@clickhouse/client\` before and after 1,309 ms with the raw insert — noise again; nothing here lengthens a load's
  critical path by more than one small insert (\`raw_events\` is now written before \`events\` instead of beside it).
- *Existence checks.* \`raw_events\` by its primary key: ~2.5–3 µs/event; \`events\` (bloom filter on \`event_id\`, the id is
  last in the sort key): 3–10 µs/event. \`events\` is now written after \`raw_events\` and checked only for ids
  \`raw_events\` already held (docs/processor.md, "Why nothing is counted twice"), so a batch of new events skips that query.
- *JavaScript around the load*: encoding (~10 µs/event for all tables), the dedup token hash (sorted keys, sha256),
  and garbage collection (~13% of the profile; \`--max-semi-space-size=64\`: no measurable change).
- *Redis seen-set* (not in this bench, which uses the in-memory KeyValue): against a local Redis, \`unseen\` +
  \`markSeen\` for 10,000 ids cost ~16 µs of processor CPU and ~25 µs of wall time per event, more than the
  \`raw_events\` check it can save; leave \`REDIS_URL\` unset for the processor when throughput matters (docs/processor.md).

**What bounds throughput here.** Per event the pipeline now needs roughly 11–14 µs (kafkajs fetch + decode) + 8
(enrich) + 5 (rows) + 45–50 (load, most of it chDB's native work) ≈ 75–80 µs of CPU by stage, ~90 µs in the bench table
(which also counts the batch handler, the in-memory seen-set, garbage collection and chDB's background merges), plus the
Kafka broker's share on the same machine. Two cores give at most ~2 × 10⁶ / 90 ≈ 22,000 events/s even with perfect
overlap, and the overlap is partial:
kafkajs fetches a partition's next batch only after the handler of the previous one returned, and a handler returns only
after ClickHouse acknowledged the batch (the exactly-once rule), so chDB's work and the JavaScript of the next batch
cannot run side by side except across partitions. **The target (≥ 50,000 events/s, ≥ 0.5 of decode-only) is not reachable
with ClickHouse embedded in the processor on 2 cores**: 50,000 events/s leaves 40 µs of CPU per event on both cores
together, and the load alone (inserts, view, checks, encoding) takes ~45. With a ClickHouse server (\`CLICKHOUSE_URL\`) on its own cores, the parse,
view and merge work leaves the process and the processor's own cost is ~40 µs/event of JavaScript (decode, enrich, rows,
the client's encoding); more throughput then comes from more processor processes in the group (one per few partitions).
`;
const out = join(dirname(fileURLToPath(import.meta.url)), '../../../docs/performance/processor.md');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, doc);
console.log(`[bench] wrote ${out}`);
await log.close();
await kafka?.stop();
process.exit(0);
