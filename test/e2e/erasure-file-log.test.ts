import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { waitUntil } from '@spoor/infra';
import { demoKeys } from './spoor-process.js';
import {
  erase,
  filesMentioning,
  mode,
  newPerson,
  optimizeAll,
  profileStatus,
  replay,
  rowsMentioning,
  shop_as,
  shortenOldPartsLifetime,
  startSpoor,
  waitForProfile,
  type Running,
} from './erasure-scenario.js';

const dataDir = mkdtempSync(join(tmpdir(), 'spoor-erasure-'));
let running: Running | undefined;
afterAll(async () => {
  await running?.stop().catch(() => undefined);
  rmSync(dataDir, { recursive: true, force: true });
});

describe('erasure on the embedded defaults (file log, chDB)', () => {
  it('lasts through replay from the archive and from the log and a restart; nothing of the person stays readable in the data dir', async () => {
    const erased = newPerson('198.51.100.77');
    const kept = newPerson('203.0.113.45');
    running = await startSpoor(dataDir, {});
    const { client, database } = running.spoor.clickhouse;
    await shortenOldPartsLifetime(client, database);
    await shop_as(running, dataDir, erased);
    await shop_as(running, dataDir, kept);
    await waitForProfile(running, dataDir, erased.customerId);
    await waitForProfile(running, dataDir, kept.customerId);

    // §2: the full address was never written, not even to the fsynced log; its /24 was.
    expect(filesMentioning(dataDir, [erased.ip, kept.ip])).toEqual([]);
    expect(filesMentioning(join(dataDir, 'log'), ['203.0.113.0']).length).toBeGreaterThan(0);
    const needles = [erased.customerId, erased.anonymousId, erased.email];
    expect(filesMentioning(join(dataDir, 'log'), needles).length).toBeGreaterThan(0);

    const result = await erase(running, dataDir, erased.customerId);
    expect(result.deleted.raw_events).toBeGreaterThan(0);
    expect(result.hooks['event-log']).toMatch(/^ok: .*[1-9]\d* records removed.*[1-9]\d* removed$/);
    expect(await profileStatus(running, dataDir, erased.customerId)).toBe(404);

    await running.stop();
    const env = running.env;
    running = undefined;
    await replay(env, 'archive');
    await replay(env, 'log');

    running = await startSpoor(dataDir, {});
    expect(await profileStatus(running, dataDir, erased.customerId)).toBe(404);
    expect(await profileStatus(running, dataDir, kept.customerId)).toBe(200);
    // The processor read the log from where it was and found nothing of the person to load.
    expect(await rowsMentioning(running.spoor.clickhouse.client, database, needles)).toEqual({});
    expect(Object.keys(await rowsMentioning(running.spoor.clickhouse.client, database, [kept.customerId]))).toContain('raw_events');

    // The audit entry is the only trace, and it names the customer by hash.
    const audit = await (
      await running.spoor.clickhouse.client.query({ query: `SELECT customer_sha256 FROM {db:Identifier}.erasure_log`, query_params: { db: database }, format: 'JSONEachRow' })
    ).json<{ customer_sha256: string }>();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.customer_sha256).toMatch(/^[0-9a-f]{64}$/);

    // Parts the mutations replaced are deleted by ClickHouse after old_parts_lifetime (shortened above).
    await optimizeAll(running.spoor.clickhouse.client, database);
    await waitUntil('no file in the data dir mentions the erased person', async () => filesMentioning(dataDir, needles).length === 0, 150_000, 1000).catch(() => {
      throw new Error(`still mentioned:\n${filesMentioning(dataDir, needles).join('\n')}`);
    });
    expect(filesMentioning(dataDir, [erased.ip, kept.ip])).toEqual([]);

    // §2: personal data is the owner's only.
    const { siteId } = demoKeys(dataDir);
    expect(siteId).toBeTruthy();
    expect(mode(dataDir)).toBe(0o700);
    expect(mode(join(dataDir, 'clickhouse'))).toBe(0o700);
    expect(mode(join(dataDir, 'log'))).toBe(0o700);
    expect(mode(join(dataDir, 'demo-keys.json'))).toBe(0o600);
    expect(mode(join(dataDir, 'link-secret'))).toBe(0o600);
    for (const topic of readdirSync(join(dataDir, 'log'), { withFileTypes: true }).filter((d) => d.isDirectory())) {
      const dir = join(dataDir, 'log', topic.name);
      expect(mode(dir)).toBe(0o700);
      for (const file of readdirSync(dir)) expect([file, mode(join(dir, file))]).toEqual([file, 0o600]);
    }
  });
});
