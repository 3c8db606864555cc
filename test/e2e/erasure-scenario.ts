import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { ClickHouseClient } from '@clickhouse/client';
import { serveCollector } from '@spoor/collector';
import { freePort, waitUntil } from '@spoor/infra';
import { composeSpoor, parseSpoorConfig, replayCommand, type ComposedSpoor, type SpoorConfig } from '@spoor/cli';
import { demoKeys } from './spoor-process.js';

/**
 * Issue 16 §1–§2 through the public pieces: `spoor start`'s composition (collector → log → processor → chDB →
 * query API), the erasure endpoint, `spoor replay` (the CLI command itself), a restart. Used by the file-log and
 * the Kafka test files (chDB allows one data directory per process, so one adapter per file).
 */
export interface Person {
  customerId: string;
  anonymousId: string;
  email: string;
  ip: string;
}

export const newPerson = (ip: string): Person => {
  const tag = randomUUID().slice(0, 8);
  return { customerId: `cust-${tag}-1004`, anonymousId: `anon-${randomUUID()}`, email: `erase.me.${tag}@example.org`, ip };
};

export interface Running {
  spoor: ComposedSpoor;
  url: string;
  env: SpoorConfig;
  stop(): Promise<void>;
}

export async function startSpoor(dataDir: string, extraEnv: Record<string, string>): Promise<Running> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // The test is the load balancer in front of the collector: loopback is trusted, X-Forwarded-For is the shopper.
  const env = parseSpoorConfig({ PORT: String(port), SPOOR_DATA_DIR: dataDir, TRUSTED_PROXIES: 'loopback', ...extraEnv }).config;
  const spoor = await composeSpoor(env, new Set(['collector', 'processor', 'query-api', 'demo']), [url]);
  const server = await serveCollector({ app: spoor.app, port, hostname: '127.0.0.1', onDrained: () => spoor.close() });
  await spoor.processor!.start();
  return { spoor, url, env, stop: () => server.shutdown() };
}

/** A visit, a login with the email in traits, a purchase; and an invalid event (to the dead-letter topic). */
export async function shop_as(run: Running, dataDir: string, person: Person): Promise<void> {
  const { writeKey } = demoKeys(dataDir);
  const sessionId = `sess-${randomUUID()}`;
  const ts = Date.now() - 60_000;
  const base = { anonymousId: person.anonymousId, sessionId, url: `${run.url}/product/tent-02` };
  const events = [
    { ...base, id: randomUUID(), type: 'page_view', ts },
    { ...base, id: randomUUID(), type: 'identify', ts: ts + 1000, customerId: person.customerId, props: { customerId: person.customerId, traits: { email: person.email } } },
    {
      ...base,
      id: randomUUID(),
      type: 'purchase',
      ts: ts + 2000,
      customerId: person.customerId,
      props: { orderId: `order-${randomUUID()}`, revenue: 120, currency: 'EUR', items: [{ productId: 'tent-02', price: 120, quantity: 1 }] },
    },
    // Refused by the collector (no such type): dead-lettered with its bytes, which name the person.
    { ...base, id: randomUUID(), type: 'not_a_type', ts, customerId: person.customerId, props: { email: person.email } },
  ];
  const res = await fetch(`${run.url}/v1/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': person.ip, origin: run.url },
    body: JSON.stringify({ writeKey, sentAt: Date.now(), events }),
  });
  expect(res.status, await res.clone().text()).toBe(202);
  expect(((await res.json()) as { accepted: number }).accepted).toBe(3);
}

export async function profileStatus(run: Running, dataDir: string, customerId: string): Promise<number> {
  const { apiKey, siteId } = demoKeys(dataDir);
  const res = await fetch(`${run.url}/api/v1/customers/${encodeURIComponent(customerId)}?site=${siteId}`, { headers: { authorization: `Bearer ${apiKey}` } });
  await res.arrayBuffer();
  return res.status;
}

export async function erase(run: Running, dataDir: string, customerId: string): Promise<{ hooks: Record<string, string>; deleted: Record<string, number> }> {
  const { apiKey, siteId } = demoKeys(dataDir);
  const res = await fetch(`${run.url}/api/v1/customers/${encodeURIComponent(customerId)}?site=${siteId}`, { method: 'DELETE', headers: { authorization: `Bearer ${apiKey}` } });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as { hooks: Record<string, string>; deleted: Record<string, number> };
}

/** `spoor replay --source <source>` in this process, as the CLI runs it (the server is stopped first, as its usage says). */
export async function replay(env: SpoorConfig, source: 'archive' | 'log'): Promise<void> {
  const log = console.log;
  console.log = () => undefined; // the command prints its report and progress bar
  try {
    expect(await replayCommand.run(['--source', source], env)).toBe(0);
  } finally {
    console.log = log;
  }
}

/** Rows anywhere in ClickHouse (every table of the database) that hold one of the needles in any String column. */
export async function rowsMentioning(client: ClickHouseClient, database: string, needles: string[]): Promise<Record<string, number>> {
  const tables = await (
    await client.query({ query: `SELECT name FROM system.tables WHERE database = {db:String} AND engine LIKE '%MergeTree%'`, query_params: { db: database }, format: 'JSONEachRow' })
  ).json<{ name: string }>();
  const found: Record<string, number> = {};
  for (const { name } of tables) {
    const columns = await (
      await client.query({
        query: `SELECT name FROM system.columns WHERE database = {db:String} AND table = {t:String} AND type LIKE '%String%' AND type NOT LIKE 'AggregateFunction%'`,
        query_params: { db: database, t: name },
        format: 'JSONEachRow',
      })
    ).json<{ name: string }>();
    if (!columns.length) continue;
    // Every text column searched (Map and Array columns as their text form).
    const params = Object.fromEntries(columns.map((c, i) => [`c${i}`, c.name]));
    const where = columns.map((_, i) => `multiSearchAny(toString({c${i}:Identifier}), {needles:Array(String)})`).join(' OR ');
    const [row] = await (
      await client.query({ query: `SELECT count() AS n FROM {db:Identifier}.{t:Identifier} WHERE ${where}`, query_params: { db: database, t: name, needles, ...params }, format: 'JSONEachRow' })
    ).json<{ n: number }>();
    if (row && row.n > 0) found[name] = row.n;
  }
  return found;
}

/** Every file under `dir` whose bytes contain one of the needles (as UTF-8), with the needles it contains. */
export function filesMentioning(dir: string, needles: string[]): string[] {
  const hits: string[] = [];
  const walk = (path: string) => {
    for (const name of readdirSync(path)) {
      const full = join(path, name);
      const stat = statSync(full, { throwIfNoEntry: false });
      if (!stat) continue;
      if (stat.isDirectory()) walk(full);
      else if (stat.isFile()) {
        const bytes = readFileSync(full);
        const inside = needles.filter((n) => bytes.includes(Buffer.from(n, 'utf8')));
        if (inside.length) hits.push(`${full}: ${inside.join(', ')}`);
      }
    }
  };
  walk(dir);
  return hits;
}

/**
 * Test-only: ClickHouse keeps the parts a mutation replaced for `old_parts_lifetime` (8 min by default, documented in
 * docs/api-customers.md) before deleting them. The test shortens it so it can watch the bytes go.
 */
export async function shortenOldPartsLifetime(client: ClickHouseClient, database: string): Promise<void> {
  const tables = await (
    await client.query({ query: `SELECT name FROM system.tables WHERE database = {db:String} AND engine LIKE '%MergeTree%'`, query_params: { db: database }, format: 'JSONEachRow' })
  ).json<{ name: string }>();
  for (const { name } of tables) {
    await client.command({ query: `ALTER TABLE {db:Identifier}.{t:Identifier} MODIFY SETTING old_parts_lifetime = 1`, query_params: { db: database, t: name } });
  }
}

export async function optimizeAll(client: ClickHouseClient, database: string): Promise<void> {
  const tables = await (
    await client.query({ query: `SELECT name FROM system.tables WHERE database = {db:String} AND engine LIKE '%MergeTree%'`, query_params: { db: database }, format: 'JSONEachRow' })
  ).json<{ name: string }>();
  for (const { name } of tables) await client.command({ query: `OPTIMIZE TABLE {db:Identifier}.{t:Identifier} FINAL`, query_params: { db: database, t: name } });
}

export async function waitForProfile(run: Running, dataDir: string, customerId: string): Promise<void> {
  await waitUntil(`profile of ${customerId}`, async () => (await profileStatus(run, dataDir, customerId)) === 200, 60_000, 250);
}

export const mode = (path: string) => statSync(path).mode & 0o777;
