import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { freePort, startLocalKafka, waitUntil, type LocalKafka } from '@spoor/infra';

/**
 * npm run bench -w @spoor/collector
 * Starts the collector (src/main.ts, real Kafka, Redis rate limits when REDIS_URL is set), the bare Hono
 * ceiling and the kafkajs floor (bench/kafka-floor-server.ts) as separate processes, loads each with autocannon
 * from this process (10-event batches, 50 connections) and writes docs/performance/collector.md.
 * Env: KAFKA_BROKERS (else a private broker is started), REDIS_URL, BENCH_SECONDS (default 20),
 * BENCH_CONNECTIONS (50), BENCH_COMPRESSION (snappy), BENCH_RATE_LIMITS (on), PRODUCER_LANES (1), PRODUCER_LINGER_MS (0),
 * BENCH_RATE_LIMIT_LEASES (on), BENCH_SERVER_NODE_FLAGS (node flags for both servers), BENCH_CPU_PROF (a directory: the collector runs with node --cpu-prof and writes its profile there on exit).
 */
const here = dirname(fileURLToPath(import.meta.url));
const packageDir = join(here, '..');
const repoRoot = join(packageDir, '../..');
const seconds = Number(process.env.BENCH_SECONDS ?? 20);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const compression = process.env.BENCH_COMPRESSION ?? 'snappy';
const lingerMs = process.env.PRODUCER_LINGER_MS ?? '0';
const lanes = process.env.PRODUCER_LANES ?? '1';
const rateLimits = process.env.BENCH_RATE_LIMITS ?? 'on';
/** Node flags for both servers alike (collector and ceiling), e.g. GC settings. */
const serverNodeFlags = (process.env.BENCH_SERVER_NODE_FLAGS ?? '').split(' ').filter(Boolean);
const EVENTS_PER_BATCH = 10;
const writeKey = 'wk_bench_0123456789';
const children: ChildProcess[] = [];
let kafka: LocalKafka | undefined;

function bodies(count: number): string[] {
  const now = Date.now();
  return Array.from({ length: count }, (_, b) =>
    JSON.stringify({
      writeKey,
      sentAt: now,
      events: Array.from({ length: EVENTS_PER_BATCH }, (_, i) => ({
        id: randomUUID(),
        type: i % 3 === 0 ? 'page_view' : i % 3 === 1 ? 'product_view' : 'add_to_cart',
        ts: now - 1000 + i,
        anonymousId: `anon-${b % 997}`,
        sessionId: `sess-${b % 997}`,
        url: `https://shop.example/products/${i}?utm_source=newsletter`,
        title: 'Trail running shoes — Spring collection',
        referrer: 'https://www.google.com/',
        props: i % 3 === 0 ? {} : { productId: `p-${i}`, name: 'Trail shoe', price: 89.9, currency: 'EUR', quantity: 1, category: 'shoes' },
      })),
    }),
  );
}

function start(name: string, args: string[], env: Record<string, string>, nodeArgs: string[] = []): ChildProcess {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', ...args], { cwd: packageDir, env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit'] });
  children.push(child);
  child.on('exit', (code, signal) => {
    if (code && code !== 0) console.error(`[bench] ${name} exited with ${code ?? signal}`);
  });
  return child;
}

/** CPU seconds (user + system) a child process has used so far, from /proc (Linux). */
function cpuSeconds(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

async function healthy(url: string) {
  await waitUntil(url, async () => (await fetch(url).catch(() => undefined))?.ok === true, 60_000);
}

interface Measured {
  name: string;
  requestsPerSecond: number;
  eventsPerSecond: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  non2xx: number;
  errors: number;
  total2xx: number;
  /** Server CPU (ms) per 1000 events answered 2xx: what each event costs, independent of what else runs. */
  cpuMsPer1000Events: number;
}

async function load(name: string, url: string, payloads: string[], duration: number, pid?: number): Promise<Measured> {
  let next = 0;
  const cpuBefore = cpuSeconds(pid);
  const result = await autocannon({
    url: `${url}/v1/events`,
    connections,
    duration,
    method: 'POST',
    headers: { 'content-type': 'text/plain;charset=UTF-8' },
    requests: [{ setupRequest: (req) => ({ ...req, body: payloads[next++ % payloads.length] }) }],
  });
  const ok = result['2xx'];
  const cpu = cpuSeconds(pid) - cpuBefore;
  return {
    cpuMsPer1000Events: (cpu * 1000 * 1000) / Math.max(1, ok * EVENTS_PER_BATCH),
    name,
    requestsPerSecond: ok / duration,
    eventsPerSecond: (ok * EVENTS_PER_BATCH) / duration,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    total2xx: ok,
  };
}

async function main() {
  let brokers = process.env.KAFKA_BROKERS;
  if (!brokers) {
    kafka = await startLocalKafka({ dir: mkdtempSync(join(tmpdir(), 'spoor-bench-kafka-')) });
    brokers = kafka.brokers;
  }
  const work = mkdtempSync(join(tmpdir(), 'spoor-bench-'));
  const sitesFile = join(work, 'sites.json');
  writeFileSync(sitesFile, JSON.stringify({ sites: [{ siteId: 'bench', writeKey, allowedOrigins: ['*'], allowedRedirectHosts: ['shop.example'] }] }));
  const rawTopic = `bench-raw-${Date.now().toString(36)}`;
  const [collectorPort, ceilingPort, floorPort] = [await freePort(), await freePort(), await freePort()];
  const collectorProcess = start('collector', ['src/main.ts'], {
    PORT: String(collectorPort),
    HOST: '127.0.0.1',
    KAFKA_BROKERS: brokers,
    KAFKA_COMPRESSION: compression,
    SPOOR_TOPIC_RAW: rawTopic,
    SPOOR_TOPIC_DLQ: `${rawTopic}-dlq`,
    SITES_FILE: sitesFile,
    LINK_SIGNING_SECRETS: 'bench-secret-0123456789abcdefghijklmnopqrstuvwxyz',
    RATE_LIMIT_IP_PER_SECOND: '10000000',
    RATE_LIMIT_SITE_EVENTS_PER_SECOND: '100000000',
    PRODUCER_LINGER_MS: lingerMs,
    PRODUCER_LANES: lanes,
    RATE_LIMITS: rateLimits,
    RATE_LIMIT_LEASES: process.env.BENCH_RATE_LIMIT_LEASES ?? 'on',
    ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
  }, [...serverNodeFlags, ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [])]);
  const ceilingProcess = start('ceiling', ['bench/bare-hono-server.ts'], { PORT: String(ceilingPort) }, serverNodeFlags);
  const floorProcess = start(
    'kafkajs floor',
    ['bench/kafka-floor-server.ts'],
    { PORT: String(floorPort), KAFKA_BROKERS: brokers, KAFKA_COMPRESSION: compression, FLOOR_TOPIC: `${rawTopic}-floor` },
    serverNodeFlags,
  );
  const collectorUrl = `http://127.0.0.1:${collectorPort}`;
  const ceilingUrl = `http://127.0.0.1:${ceilingPort}`;
  const floorUrl = `http://127.0.0.1:${floorPort}`;
  await healthy(`${collectorUrl}/readyz`);
  await healthy(`${ceilingUrl}/healthz`);
  await healthy(`${floorUrl}/healthz`);

  const payloads = bodies(2000);
  // Warm-up: JIT, Kafka connections and producer id, Redis scripts.
  await load('warm-up ceiling', ceilingUrl, payloads, 3);
  await load('warm-up collector', collectorUrl, payloads, 3);
  await load('warm-up floor', floorUrl, payloads, 3);
  const ceiling = await load('bare Hono (ceiling)', ceilingUrl, payloads, seconds, ceilingProcess.pid);
  const floor = await load('kafkajs floor: parse + one acked record per request', floorUrl, payloads, seconds, floorProcess.pid);
  const collector = await load('collector', collectorUrl, payloads, seconds, collectorProcess.pid);
  const metrics = await (await fetch(`${collectorUrl}/metrics`)).text();
  const accepted = Number(/spoor_collector_events_total\{outcome="accepted",reason=""\} (\d+)/.exec(metrics)?.[1] ?? 0);
  const sends = Number(/spoor_collector_produce_batch_messages_count (\d+)/.exec(metrics)?.[1] ?? 0);
  const ratio = collector.eventsPerSecond / ceiling.eventsPerSecond;

  const row = (m: Measured) =>
    `| ${m.name} | ${Math.round(m.eventsPerSecond).toLocaleString('en')} | ${Math.round(m.requestsPerSecond).toLocaleString('en')} | ${m.p50} | ${m.p90} | ${m.p99} | ${m.max} | ${m.non2xx} | ${m.errors} | ${m.cpuMsPer1000Events.toFixed(1)} |`;
  const report = [
    '# Collector performance',
    '',
    `Measured ${new Date().toISOString()} on this machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), shared with the Kafka broker,`,
    `${process.env.REDIS_URL ? 'Redis' : 'no Redis (in-process rate limits)'} and the load generator; Node ${process.version}.`,
    '',
    'Command: `npm run bench -w @spoor/collector`' + (process.env.KAFKA_BROKERS ? ` with KAFKA_BROKERS=${process.env.KAFKA_BROKERS}` : ' (private broker started by the bench)') + (process.env.REDIS_URL ? ` and REDIS_URL=${process.env.REDIS_URL}` : '') + '.',
    '',
    `Load: autocannon in the bench process; collector, ceiling and kafkajs floor each run in their own Node process. ${connections} connections,`,
    `${EVENTS_PER_BATCH}-event batches (page_view / product_view / add_to_cart, ~${Math.round(payloads[0]!.length / 100) / 10} KB per body, text/plain as sendBeacon sends), ${seconds} s each after a 3 s warm-up, same run.`,
    `Collector: src/main.ts as deployed — validation, protobuf RawEvents (one RawEventBatch record per request and visitor), Kafka idempotent producer with acks=all and ${compression} compression,`,
    `coalescing producer (${lanes} producer lanes, linger ${lingerMs} ms), ${rateLimits === 'off' ? 'rate limits off' : `per-IP and per-site rate limits${process.env.REDIS_URL ? ' in Redis' : ''} (leases ${process.env.BENCH_RATE_LIMIT_LEASES ?? 'on'}; limits set high enough not to refuse)`}, metrics.`,
    'Every 202 was answered only after the broker acknowledged the events.',
    '',
    '| target | events/s | requests/s | p50 ms | p90 ms | p99 ms | max ms | non-2xx | errors | server CPU ms / 1000 events |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    row(ceiling),
    row(floor),
    row(collector),
    '',
    `**Ratio collector / ceiling: ${ratio.toFixed(2)}** (target ≥ 0.5). **Collector p99: ${collector.p99} ms** (target ≤ 25 ms).`,
    `CPU cost ratio (ceiling CPU per event / collector CPU per event, less sensitive to other load on the machine): ${(ceiling.cpuMsPer1000Events / collector.cpuMsPer1000Events).toFixed(2)}.`,
    `kafkajs floor / ceiling: ${(floor.eventsPerSecond / ceiling.eventsPerSecond).toFixed(2)} (p99 ${floor.p99} ms): the least any collector on kafkajs does here — parse the batch, produce it as one record with acks=all through the same idempotent producer and coalescer, answer after the ack (bench/kafka-floor-server.ts). Collector / floor: ${(collector.eventsPerSecond / floor.eventsPerSecond).toFixed(2)}.`,
    `Machine load average when the run ended: ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')} (2 cores).`,
    '',
    `Events the collector counted as accepted: ${accepted.toLocaleString('en')} (warm-up included); Kafka sends: ${sends.toLocaleString('en')}`,
    `(${sends ? Math.round(accepted / sends) : 0} events per send on average: the coalescer at work).`,
    '',
  ].join('\n');
  const out = join(repoRoot, 'docs/performance/collector.md');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${report}\n${readFileSync(join(here, 'performance-notes.md'), 'utf8')}`);
  console.log(report);
}

async function cleanup() {
  for (const child of children) child.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 500));
  await kafka?.stop();
}

main()
  .then(cleanup, async (err) => {
    console.error(err);
    await cleanup();
    process.exitCode = 1;
  })
  .finally(() => setTimeout(() => process.exit(), 1000).unref());
