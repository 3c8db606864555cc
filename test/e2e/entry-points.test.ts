import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { randomInt, randomUUID } from 'node:crypto';
import { decodeRawEvent, rawEventsOfRecord, type RawEvent } from '@spoor/events';
import { consumeAll, createKafkaEventLog, freePort, waitUntil, type EventLog } from '@spoor/infra';
import { uniqueName } from '@spoor/test-harness';

/*
 * Issue 17: every real entry point — `spoor start`, `spoor collector`, `spoor query-api` and the package mains of the
 * collector and the query API — started as a child process with the documented variables (some from --env-file),
 * and each variable checked by what it does: RATE_LIMIT_* → 429, TRUSTED_PROXIES → the forwarded address is the
 * client (it has its own rate budget, and its anonymised form is in the produced event), SPOOR_TOPIC_RAW → the
 * record is on that topic, a bad setting or a port in use → one line naming the setting and exit 1.
 * (The processor's entry points and IP anonymisation in dead letters: packages/processor tests.)
 */
const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const SPOOR = ['packages/cli/bin/spoor.mjs'];
const COLLECTOR_MAIN = ['--import', 'tsx', 'packages/collector/src/main.ts'];
const QUERY_API_MAIN = ['--import', 'tsx', 'packages/query-api/src/main.ts'];
const SECRET = 'entry-points-link-secret-0123456789abcdef';

const SHOP = { siteId: 'shop', name: 'Shop', writeKey: 'wk_entry_points_0123', allowedOrigins: ['https://shop.example'], allowedRedirectHosts: ['shop.example'] };
const pageView = (anonymousId: string) => ({ id: randomUUID(), type: 'page_view', ts: Date.now() - 1000, anonymousId, sessionId: 'sess-1', url: 'https://shop.example/' });
const batch = (events: unknown[]) => ({ writeKey: SHOP.writeKey, sentAt: Date.now(), events });

/** The RawEvents of the first `count` records of a topic (a record may carry several events). */
async function readRawEvents(log: EventLog, topic: string, count: number): Promise<RawEvent[]> {
  const records = await consumeAll(log, topic, count, { timeoutMs: 30_000, groupId: uniqueName('entry-read') });
  return records.flatMap((m) => {
    const split = rawEventsOfRecord(m.value, m.headers);
    if (!split.ok) throw new Error(split.error);
    return split.value.map((bytes) => {
      const decoded = decodeRawEvent(bytes);
      if (!decoded.ok) throw new Error(decoded.error);
      return decoded.value;
    });
  });
}

const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
});

interface Started {
  child: ChildProcess;
  url: string;
  output(): string;
  exited: Promise<number | null>;
}

/** An entry point with only the given variables (none of the developer's Spoor/Kafka/Redis/ClickHouse ones). */
function start(args: string[], env: Record<string, string>, port = 0): Started {
  const base: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!/^(SPOOR_|KAFKA_|REDIS_|CLICKHOUSE_|RATE_LIMIT|TRUSTED_|IP_|PORT$|HOST$|QUERY_|DEBUG$)/.test(name)) base[name] = value;
  const child = spawn(process.execPath, args, { cwd: root, env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, url: `http://127.0.0.1:${port}`, output: () => output, exited };
}

/** Started and answering; `portInFile`: PORT comes from the --env-file (the process environment leaves it unset). */
async function startServing(args: string[], env: Record<string, string>, health = '/healthz', portInFile?: number): Promise<Started> {
  const port = portInFile ?? (await freePort());
  const started = start(args, portInFile ? env : { PORT: String(port), ...env }, port);
  await waitUntil(`${args.join(' ')} on ${started.url}`, async () => {
    if (started.child.exitCode !== null) throw new Error(`exited ${started.child.exitCode}:\n${started.output()}`);
    return (await fetch(`${started.url}${health}`).catch(() => undefined))?.ok === true;
  }, 90_000, 200);
  return started;
}

async function stop(started: Started): Promise<void> {
  started.child.kill('SIGTERM');
  expect(await started.exited).toBe(0);
}

function work(): { dir: string; sitesFile: string } {
  const dir = mkdtempSync(join(tmpdir(), 'spoor-entry-'));
  const sitesFile = join(dir, 'sites.json');
  writeFileSync(sitesFile, JSON.stringify({ sites: [SHOP] }));
  return { dir, sitesFile };
}

function envFile(dir: string, values: Record<string, string>): string {
  const file = join(dir, 'spoor.env');
  writeFileSync(file, `# one file for every service\n${Object.entries(values).map(([k, v]) => `${k}=${v}`).join('\n')}\n`);
  return file;
}

const randomAddress = () => `203.0.113.${randomInt(1, 255)}`;
const otherAddress = () => `198.51.100.${randomInt(1, 255)}`;

function send(url: string, forwardedFor: string, anonymousId = uniqueName('anon')) {
  const event = pageView(anonymousId);
  return fetch(`${url}/v1/events`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain', origin: 'https://shop.example', 'x-forwarded-for': forwardedFor },
    body: JSON.stringify(batch([event])),
  }).then(async (res) => ({ status: res.status, id: event.id, body: await res.text() }));
}

/** A tiny per-address budget: one address is refused (429) within a few requests; another address is not. */
async function expectRateLimitedPerForwardedAddress(url: string): Promise<void> {
  const limited = randomAddress();
  const statuses: number[] = [];
  for (let i = 0; i < 30 && !statuses.includes(429); i++) statuses.push((await send(url, limited)).status);
  expect(statuses).toContain(429);
  expect(statuses[0]).toBe(202);
  // Behind the trusted proxy (the test, on loopback) each forwarded address is its own client.
  expect((await send(url, otherAddress())).status).toBe(202);
}

const RATE = { RATE_LIMIT_IP_PER_SECOND: '1', RATE_LIMIT_IP_BURST: '2' };

describe('entry points honour the documented settings', () => {
  it('the collector package main: SPOOR_TOPIC_RAW, TRUSTED_PROXIES, IP_V4_PREFIX_BITS and RATE_LIMIT_*', async () => {
    const { sitesFile } = work();
    const raw = uniqueName('entry-raw');
    const collector = await startServing(COLLECTOR_MAIN, {
      KAFKA_BROKERS: inject('kafkaBrokers'),
      SPOOR_TOPIC_RAW: raw,
      SPOOR_TOPIC_DLQ: `${raw}-dlq`,
      SITES_FILE: sitesFile,
      LINK_SIGNING_SECRETS: SECRET,
      TRUSTED_PROXIES: 'loopback',
      IP_V4_PREFIX_BITS: '16',
      ...RATE,
    }, '/readyz');
    const forwarded = randomAddress();
    const first = await send(collector.url, forwarded);
    expect(first.status, first.body).toBe(202);
    const log = createKafkaEventLog({ brokers: inject('kafkaBrokers').split(','), clientId: 'entry-points' });
    try {
      const [record] = await readRawEvents(log, raw, 1);
      expect(record!.eventId).toBe(first.id);
      // The forwarded address, not the proxy's, truncated to the configured /16.
      expect(record!.clientIp).toBe('203.0.0.0');
    } finally {
      await log.close();
    }
    await expectRateLimitedPerForwardedAddress(collector.url);
    await stop(collector);
  });

  it('`spoor collector --env-file`: the same settings from one shared file, rate limits in Redis, /v1/import', async () => {
    const { dir, sitesFile } = work();
    const raw = uniqueName('entry-spoor-raw');
    const file = envFile(dir, {
      KAFKA_BROKERS: inject('kafkaBrokers'),
      REDIS_URL: inject('redisUrl'),
      RATE_LIMIT_LEASES: 'off',
      SPOOR_TOPIC_RAW: raw,
      SPOOR_TOPIC_DLQ: `${raw}-dlq`,
      SPOOR_DATA_DIR: join(dir, 'data'),
      SITES_FILE: sitesFile,
      TRUSTED_PROXIES: 'loopback',
      ...RATE,
    });
    const collector = await startServing([...SPOOR, 'collector', '--env-file', file], {});
    const first = await send(collector.url, randomAddress());
    expect(first.status, first.body).toBe(202);
    const log = createKafkaEventLog({ brokers: inject('kafkaBrokers').split(','), clientId: 'entry-points' });
    try {
      const [record] = await readRawEvents(log, raw, 1);
      expect(record!.eventId).toBe(first.id);
      expect(record!.clientIp).toMatch(/^203\.0\.113\.0$/);
    } finally {
      await log.close();
    }
    await expectRateLimitedPerForwardedAddress(collector.url);
    // /v1/import exists (a 404 would mean the route is missing) and checks keys in the store.
    const imported = await fetch(`${collector.url}/v1/import?site=shop`, { method: 'POST', headers: { authorization: 'Bearer sk_not_a_key', 'content-type': 'application/json' }, body: '{}' });
    expect(imported.status).toBe(401);
    await stop(collector);
  });

  it('`spoor start --env-file` on the embedded defaults: rate limits and trusted proxies, /v1/import, the query API', async () => {
    const { dir, sitesFile } = work();
    const file = envFile(dir, { SPOOR_DATA_DIR: join(dir, 'data'), SITES_FILE: sitesFile, TRUSTED_PROXIES: 'loopback', ...RATE });
    const spoor = await startServing([...SPOOR, 'start', '--env-file', file], {});
    await expectRateLimitedPerForwardedAddress(spoor.url);
    const imported = await fetch(`${spoor.url}/v1/import?site=shop`, { method: 'POST', headers: { authorization: 'Bearer sk_not_a_key' }, body: '{}' });
    expect(imported.status).toBe(401);
    expect((await fetch(`${spoor.url}/api/v1/overview?site=shop`)).status).toBe(401);
    await stop(spoor);
  });

  it('the query API package main and `spoor query-api` read PORT from --env-file and serve the assembled API', async () => {
    const [one, two] = [work(), work()];
    const [portOne, portTwo] = [await freePort(), await freePort()];
    const [main, role] = await Promise.all([
      startServing([...QUERY_API_MAIN, '--env-file', envFile(one.dir, { PORT: String(portOne), SPOOR_DATA_DIR: join(one.dir, 'data') })], {}, '/healthz', portOne),
      startServing([...SPOOR, 'query-api', '--env-file', envFile(two.dir, { PORT: String(portTwo), SPOOR_DATA_DIR: join(two.dir, 'data') })], {}, '/healthz', portTwo),
    ]);
    for (const api of [main, role]) {
      const answer = await fetch(`${api.url}/api/v1/overview?site=shop`);
      expect(answer.status).toBe(401);
      expect(((await answer.json()) as { error: { code: string } }).error.code).toBeTruthy();
    }
    await Promise.all([stop(main), stop(role)]);
  });

  it('the query API package main: SPOOR_OWNER_EMAIL is the first owner, its set-up link printed on the first start only', async () => {
    const { dir } = work();
    const env = { SPOOR_DATA_DIR: join(dir, 'data'), SPOOR_OWNER_EMAIL: 'boss@shop.example' };
    const first = await startServing(QUERY_API_MAIN, env);
    await stop(first);
    expect(first.output()).toContain('created the instance owner boss@shop.example');
    expect(first.output().match(/\/app\/setup#token=/g)).toHaveLength(1);
    const second = await startServing(QUERY_API_MAIN, env);
    await stop(second);
    expect(second.output()).not.toMatch(/instance owner|\/app\/setup#token=/);
  });

  it('a bad setting: one line naming it and exit 1, under every entry point', async () => {
    const bad = { KAFKA_BROKERS: 'localhost', PORT: '99999' };
    const runs = [[...SPOOR, 'start'], [...SPOOR, 'collector'], [...SPOOR, 'query-api'], COLLECTOR_MAIN, QUERY_API_MAIN].map((args) => start(args, bad));
    for (const run of runs) {
      expect(await run.exited).toBe(1);
      const lines = run.output().trim().split('\n');
      expect(lines.sort()).toEqual([expect.stringMatching(/KAFKA_BROKERS=localhost: comma-separated host:port pairs/), expect.stringMatching(/PORT=99999: a whole number from 0 to 65535/)].sort());
      expect(run.output()).not.toMatch(/\n\s+at /);
    }
  });

  it('Kafka unreachable at start: a last line naming KAFKA_BROKERS and exit 1', async () => {
    const { dir, sitesFile } = work();
    // Port 1 on loopback: nothing listens, the connection is refused at once.
    const run = start(COLLECTOR_MAIN, { KAFKA_BROKERS: '127.0.0.1:1', SITES_FILE: sitesFile, SPOOR_DATA_DIR: join(dir, 'data'), LINK_SIGNING_SECRETS: SECRET });
    expect(await run.exited).toBe(1);
    expect(run.output().trim().split('\n').at(-1)).toMatch(/^collector: KAFKA_BROKERS=127\.0\.0\.1:1: Kafka unreachable/);
    expect(run.output()).not.toMatch(/\n\s+at /);
  });

  it('a port in use: one line naming PORT and exit 1', async () => {
    const taken: Server = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = String((taken.address() as { port: number }).port);
    try {
      const { dir, sitesFile } = work();
      const runs = [
        start(COLLECTOR_MAIN, { PORT: port, SITES_FILE: sitesFile, SPOOR_DATA_DIR: join(dir, 'main'), LINK_SIGNING_SECRETS: SECRET }),
        start([...SPOOR, 'query-api'], { PORT: port, SPOOR_DATA_DIR: join(dir, 'spoor') }),
      ];
      for (const run of runs) {
        expect(await run.exited).toBe(1);
        expect(run.output().trim().split('\n').at(-1)).toMatch(new RegExp(`: PORT=${port}: already in use$`));
      }
    } finally {
      taken.close();
    }
  });
});
