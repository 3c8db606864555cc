import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { waitUntil } from '@spoor/infra';
import { uniqueName } from '@spoor/test-harness';
import {
  erase,
  filesMentioning,
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

const dataDir = mkdtempSync(join(tmpdir(), 'spoor-erasure-kafka-'));
let running: Running | undefined;
afterAll(async () => {
  await running?.stop().catch(() => undefined);
  rmSync(dataDir, { recursive: true, force: true });
});

describe('erasure with Kafka (records cannot be deleted from a topic)', () => {
  it('the erasure register drops the person at consume time and in replay from the topic; a restart brings nothing back', async () => {
    const kafkaEnv = {
      KAFKA_BROKERS: inject('kafkaBrokers'),
      REDIS_URL: inject('redisUrl'),
      SPOOR_TOPIC_RAW: uniqueName('erasure-raw'),
      SPOOR_TOPIC_DLQ: uniqueName('erasure-dlq'),
      PROCESSOR_GROUP_ID: uniqueName('erasure-processor'),
    };
    const erased = newPerson('198.51.100.77');
    const kept = newPerson('203.0.113.45');
    running = await startSpoor(dataDir, kafkaEnv);
    const { client, database } = running.spoor.clickhouse;
    await shortenOldPartsLifetime(client, database);
    await shop_as(running, dataDir, erased);
    await shop_as(running, dataDir, kept);
    await waitForProfile(running, dataDir, erased.customerId);
    await waitForProfile(running, dataDir, kept.customerId);

    const result = await erase(running, dataDir, erased.customerId);
    expect(result.hooks['event-log']).toMatch(/erasure register drops them/);
    expect(await profileStatus(running, dataDir, erased.customerId)).toBe(404);

    // The same browser goes on sending (a tab left open): from the moment of erasure nothing of it is stored.
    const droppedBefore = running.spoor.processor!.totals().droppedErased;
    await shop_as(running, dataDir, erased);
    await waitUntil('the late events are consumed and dropped', async () => running!.spoor.processor!.totals().droppedErased >= droppedBefore + 3, 60_000, 250);
    expect(await profileStatus(running, dataDir, erased.customerId)).toBe(404);

    await running.stop();
    const env = running.env;
    running = undefined;
    await replay(env, 'archive');
    // The raw topic still holds every record of the person (Kafka deletes by retention only): the register drops them.
    await replay(env, 'log');

    running = await startSpoor(dataDir, kafkaEnv);
    expect(await profileStatus(running, dataDir, erased.customerId)).toBe(404);
    expect(await profileStatus(running, dataDir, kept.customerId)).toBe(200);
    const needles = [erased.customerId, erased.anonymousId, erased.email];
    expect(await rowsMentioning(running.spoor.clickhouse.client, database, needles)).toEqual({});
    expect(Object.keys(await rowsMentioning(running.spoor.clickhouse.client, database, [kept.customerId]))).toContain('raw_events');

    await optimizeAll(running.spoor.clickhouse.client, database);
    await waitUntil('no file in the data dir mentions the erased person', async () => filesMentioning(dataDir, needles).length === 0, 150_000, 1000).catch(() => {
      throw new Error(`still mentioned:\n${filesMentioning(dataDir, needles).join('\n')}`);
    });
    expect(filesMentioning(dataDir, [erased.ip, kept.ip])).toEqual([]);
  });
});
