import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { decodeDeadLetter, decodeRawEvent, encodeRawEvent, type RawEvent } from '@spoor/events';
import { consumeAll, createClickHouse, createFileEventLog, createKafkaEventLog, freePort, normaliseClickHouseConfig, waitUntil } from '@spoor/infra';
import { uniqueName } from '@spoor/test-harness';
import { syntheticRawEvent } from './testing/synthetic-events.js';

/**
 * The production entry point (`npm start -w @spoor/processor`, src/main.ts) as a child process, configured only by the
 * variables docs/processor.md documents: they must take effect — topic names, consumer group, IP anonymisation (in the
 * tables and in dead letters), the health port — and a bad value must stop it with one line naming the setting.
 */
const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const dirs: string[] = [];
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function startMain(env: Record<string, string>, args: string[] = []) {
  // Only what the test sets: the runner's own KAFKA_BROKERS/REDIS_URL/… must not configure the child by accident.
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

// Event ids follow from the salt: a fresh one per run, since the seen-set in the shared Redis remembers earlier runs' ids.
const SALT = Math.floor(Math.random() * 1_000_000_000);
const eventWith = (n: number, change: Record<string, unknown>, raw: Partial<RawEvent> = {}): RawEvent => {
  const base = syntheticRawEvent(n, { salt: SALT });
  return { ...base, ...raw, eventJson: JSON.stringify({ ...JSON.parse(base.eventJson), ...change }) };
};

describe('the processor main (src/main.ts) with the documented variables', () => {
  it('consumes the configured topic as the configured group, anonymises as configured (rows and dead letters), serves /readyz on the health port', async () => {
    const brokers = inject('kafkaBrokers');
    const topics = { raw: uniqueName('main-raw'), dlq: uniqueName('main-dlq') };
    const group = uniqueName('main-group');
    const log = createKafkaEventLog({ brokers: brokers.split(','), clientId: uniqueName('main-test') });
    try {
      // Written before the processor starts: a new group reads from the earliest offset.
      await log.ensureTopics([{ name: topics.raw, partitions: 2 }, { name: topics.dlq, partitions: 1 }]);
      const good = Array.from({ length: 40 }, (_, n) => syntheticRawEvent(n, { salt: SALT }));
      const invalid = eventWith(99, { url: '' }, { clientIp: '198.51.100.23' });
      const producer = await log.producer();
      await producer.send(topics.raw, [...good, invalid].map((e) => ({ key: e.anonymousId, value: encodeRawEvent(e) })));
      await producer.close();

      const dataDir = mkdtempSync(join(tmpdir(), 'spoor-processor-main-'));
      dirs.push(dataDir);
      const healthPort = await freePort();
      // Names shared with the other services in a .env file (--env-file); the rest in the environment.
      const envFile = join(dataDir, 'shared.env');
      writeFileSync(envFile, `SPOOR_TOPIC_RAW=${topics.raw}\nSPOOR_TOPIC_DLQ=${topics.dlq}\nPROCESSOR_GROUP_ID=${group}\n`);
      const main = startMain({
        KAFKA_BROKERS: brokers,
        REDIS_URL: inject('redisUrl'),
        SPOOR_DATA_DIR: dataDir,
        PROCESSOR_HEALTH_PORT: String(healthPort),
        IP_ANONYMISATION: 'drop',
        GEOIP_DISABLED: 'true',
        PROCESSOR_MAX_WAIT_MS: '100',
      }, ['--env-file', envFile]);
      type Health = { ready: boolean; processor: { loaded: number; dead_lettered: number } };
      let health: Health | undefined;
      await waitUntil(
        'the processor main loaded the events and dead-lettered the invalid one',
        async () => {
          if (main.child.exitCode !== null) throw new Error('exited');
          health = (await (await fetch(`http://127.0.0.1:${healthPort}/readyz`)).json()) as Health;
          return health.processor.loaded >= good.length && health.processor.dead_lettered >= 1;
        },
        90_000,
        200,
      ).catch((err) => {
        throw new Error(`${(err as Error).message} (last health ${JSON.stringify(health)})\n${main.output()}`);
      });
      expect(health!.ready).toBe(true);
      expect(main.output()).toContain(`consuming ${topics.raw} as group ${group}`);

      // The configured group is the one that committed, up to the end of the topic.
      const admin = new Kafka({ brokers: brokers.split(','), clientId: uniqueName('main-admin'), logLevel: logLevel.NOTHING }).admin();
      await admin.connect();
      try {
        const ends = await admin.fetchTopicOffsets(topics.raw);
        await waitUntil(
          `group ${group} committed the end of ${topics.raw}`,
          async () => {
            const [committed] = await admin.fetchOffsets({ groupId: group, topics: [topics.raw] });
            return ends.every((end) => committed!.partitions.find((p) => p.partition === end.partition)?.offset === end.offset);
          },
          30_000,
          200,
        );
      } finally {
        await admin.disconnect();
      }

      // The configured dead-letter topic holds the invalid event, with no address (IP_ANONYMISATION=drop).
      const [letter] = (await consumeAll(log, topics.dlq, 1, { timeoutMs: 30_000 })).map((m) => decodeDeadLetter(m.value));
      expect(letter?.ok && letter.value.stage).toBe('processor.validate');
      const original = letter?.ok ? decodeRawEvent(letter.value.original) : undefined;
      expect(original?.ok && [original.value.eventId, original.value.clientIp]).toEqual([invalid.eventId, '']);
      expect(Buffer.from(letter!.ok ? letter!.value.original : new Uint8Array()).toString('latin1')).not.toContain('198.51.100');

      main.child.kill('SIGTERM');
      expect(await main.exited).toBe(0);
      // The store it wrote (chDB in SPOOR_DATA_DIR; the process is gone, so the directory is free to open).
      const client = createClickHouse(normaliseClickHouseConfig({ dataDir }));
      try {
        const [row] = await (await client.query({ query: "SELECT count() AS n, uniqExact(event_id) AS u, countIf(ip_anonymized != '') AS with_ip FROM spoor.events", format: 'JSONEachRow' })).json<{ n: number; u: number; with_ip: number }>();
        expect([Number(row!.n), Number(row!.u), Number(row!.with_ip)]).toEqual([good.length, good.length, 0]);
      } finally {
        await client.close();
      }
    } finally {
      await log.close();
    }
  }, 150_000);

  it('without KAFKA_BROKERS consumes the durable file log in SPOOR_DATA_DIR, as spoor does', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'spoor-processor-main-file-'));
    dirs.push(dataDir);
    // Written by another process before the processor starts (the file log has one owner at a time).
    const fileLog = createFileEventLog({ dir: join(dataDir, 'log') });
    const events = Array.from({ length: 25 }, (_, n) => syntheticRawEvent(n, { salt: SALT + 1 }));
    await fileLog.ensureTopics([{ name: 'spoor.raw', partitions: 1 }, { name: 'spoor.dlq', partitions: 1 }]);
    const producer = await fileLog.producer();
    await producer.send('spoor.raw', events.map((e) => ({ key: e.anonymousId, value: encodeRawEvent(e) })));
    await producer.close();
    await fileLog.close();

    const healthPort = await freePort();
    const main = startMain({ SPOOR_DATA_DIR: dataDir, PROCESSOR_HEALTH_PORT: String(healthPort), GEOIP_DISABLED: 'true', PROCESSOR_MAX_WAIT_MS: '100' });
    await waitUntil(
      'the processor main loaded the file log',
      async () => {
        if (main.child.exitCode !== null) throw new Error('exited');
        const health = (await (await fetch(`http://127.0.0.1:${healthPort}/readyz`)).json()) as { processor: { loaded: number } };
        return health.processor.loaded >= events.length;
      },
      60_000,
      200,
    ).catch((err) => {
      throw new Error(`${(err as Error).message}\n${main.output()}`);
    });
    expect(main.output()).toContain(`file log at ${join(dataDir, 'log')}`);
    main.child.kill('SIGTERM');
    expect(await main.exited).toBe(0);
    const client = createClickHouse(normaliseClickHouseConfig({ dataDir }));
    try {
      const [row] = await (await client.query({ query: 'SELECT count() AS n, uniqExact(event_id) AS u FROM spoor.events', format: 'JSONEachRow' })).json<{ n: number; u: number }>();
      expect([Number(row!.n), Number(row!.u)]).toEqual([events.length, events.length]);
    } finally {
      await client.close();
    }
  }, 90_000);

  it('refuses bad settings with one line per key and exit code 1, no stack', async () => {
    const main = startMain({ IP_ANONYMISATION: 'hash', PROCESSOR_MAX_WAIT_MS: 'soon', KAFKA_BROKERS: 'localhost' });
    expect(await main.exited).toBe(1);
    const lines = main.output().trim().split('\n');
    expect(lines.every((l) => l.startsWith('processor: '))).toBe(true);
    expect(lines.map((l) => l.slice('processor: '.length).split('=')[0]).sort()).toEqual(['IP_ANONYMISATION', 'KAFKA_BROKERS', 'PROCESSOR_MAX_WAIT_MS']);
    expect(main.output()).not.toMatch(/\bat .*\.ts:\d+/);
  });
});
