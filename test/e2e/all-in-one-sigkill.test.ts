import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createClickHouse, freePort, normaliseClickHouseConfig } from '@spoor/infra';
import { deliverTraffic, generateTraffic } from '@spoor/cli';
import { demoKeys, exited, startSpoor, waitForProcessorQuiet, type SpoorProcess } from './spoor-process.js';

const dataDir = mkdtempSync(join(tmpdir(), 'spoor-sigkill-'));
const running: SpoorProcess[] = [];
afterAll(() => {
  for (const p of running) if (p.child.exitCode === null) p.child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

describe('spoor start on the embedded defaults, SIGKILLed during spoor demo', () => {
  it('loses no acknowledged event and counts none twice', async () => {
    const port = await freePort();
    const first = await startSpoor(dataDir, port);
    running.push(first);
    const { apiKey, siteId } = demoKeys(dataDir);
    const traffic = generateTraffic({ visitors: 400, days: 7, seed: 20261122, endAt: Date.now() - 60_000, origin: first.url });
    const acknowledgedBeforeKill = new Set<string>();
    let killed = false;
    let restarted: Promise<SpoorProcess> | undefined;

    const report = await deliverTraffic({
      url: first.url,
      siteId,
      apiKey,
      events: traffic.events,
      batchSize: 100,
      concurrency: 4,
      attempts: 40,
      onAcknowledged: (batch) => {
        if (killed) return;
        for (const e of batch) acknowledgedBeforeKill.add(e.id);
        if (acknowledgedBeforeKill.size >= 3000) {
          // Mid-stream, with requests in flight: no shutdown, no flush.
          killed = true;
          first.child.kill('SIGKILL');
          restarted = exited(first.child).then(() => startSpoor(dataDir, port));
        }
      },
    });
    expect(killed).toBe(true);
    const second = await restarted!;
    running.push(second);
    expect(report.accepted).toBe(traffic.events.length);
    await waitForProcessorQuiet(second, 3_000, 120_000);
    second.child.kill('SIGTERM');
    expect(await exited(second.child)).toBe(0);

    // The server is gone; read its chDB directory directly.
    const client = createClickHouse(normaliseClickHouseConfig({ dataDir }));
    const count = async (table: string) =>
      (await (await client.query({ query: `SELECT count() AS n, uniqExact(event_id) AS u FROM spoor.${table}`, format: 'JSONEachRow' })).json<{ n: number; u: number }>())[0]!;
    const stored = new Set(
      (await (await client.query({ query: 'SELECT toString(event_id) AS id FROM spoor.events', format: 'JSONEachRow' })).json<{ id: string }>()).map((r) => r.id),
    );
    const events = await count('events');
    const raw = await count('raw_events');
    await client.close();

    expect(events).toEqual({ n: traffic.events.length, u: traffic.events.length });
    expect(raw).toEqual({ n: traffic.events.length, u: traffic.events.length });
    const lost = [...acknowledgedBeforeKill].filter((id) => !stored.has(id));
    expect(lost).toEqual([]);
  });
});
