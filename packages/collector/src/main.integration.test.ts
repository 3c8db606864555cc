import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, inject, it } from 'vitest';
import { createKafkaEventLog, freePort, waitUntil } from '@spoor/infra';
import { uniqueName } from '@spoor/test-harness';
import { batch, pageView, SECRETS, SHOP } from './test-support/collector-fixture.js';
import { readRawEvents } from './test-support/read-topic.js';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');

describe('collector process (src/main.ts)', () => {
  it('starts from the environment, serves, and on SIGTERM drains in-flight requests and exits 0', async () => {
    const work = mkdtempSync(join(tmpdir(), 'spoor-main-'));
    const sitesFile = join(work, 'sites.json');
    writeFileSync(sitesFile, JSON.stringify({ sites: [SHOP] }));
    const port = await freePort();
    const rawTopic = uniqueName('main-raw');
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: packageDir,
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        KAFKA_BROKERS: inject('kafkaBrokers'),
        REDIS_URL: inject('redisUrl'),
        SITES_FILE: sitesFile,
        LINK_SIGNING_SECRETS: SECRETS[0],
        SPOOR_TOPIC_RAW: rawTopic,
        SPOOR_TOPIC_DLQ: `${rawTopic}-dlq`,
        SPOOR_TOPIC_PARTITIONS: '2',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const url = `http://127.0.0.1:${port}`;
    try {
      await waitUntil(`collector on ${url} (output: ${output})`, async () => (await fetch(`${url}/readyz`).catch(() => undefined))?.status === 200, 60_000);
      const sent = Array.from({ length: 30 }, (_, i) => pageView({ anonymousId: `main-${i}` }));
      const requests = sent.map((event) =>
        fetch(`${url}/v1/events`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify(batch([event])) }).then(
          (r) => r.status,
          () => -1,
        ),
      );
      // SIGTERM as soon as the first answer arrived: the other requests are then inside the collector or on their way.
      await Promise.race(requests);
      child.kill('SIGTERM');
      const statuses = await Promise.all(requests);
      expect(await exited).toBe(0);
      expect(output).toMatch(/SIGTERM: draining/);
      // Each request either completed (202, then its event must be in Kafka) or never got in (connection refused).
      for (const s of statuses) expect([202, -1]).toContain(s);
      const acceptedIds = sent.filter((_, i) => statuses[i] === 202).map((e) => e.id);
      expect(acceptedIds.length).toBeGreaterThan(0);
      console.log(`[main] SIGTERM with requests in flight: ${acceptedIds.length} × 202, ${statuses.filter((s) => s === -1).length} refused`);
      const log = createKafkaEventLog({ brokers: inject('kafkaBrokers').split(','), clientId: 'main-it' });
      const stored = await readRawEvents(log, rawTopic, acceptedIds.length, 30_000);
      await log.close();
      const storedIds = new Set(stored.map((m) => m.raw.eventId));
      expect(acceptedIds.filter((id) => !storedIds.has(id))).toEqual([]);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
