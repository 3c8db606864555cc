import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeDeadLetter, decodeRawEvent, encodeRawEvent, type RawEvent } from '@spoor/events';
import { consumeAll, createFileEventLog, waitUntil } from '@spoor/infra';
import { assembleProcessor } from './assemble-processor.js';
import { parseProcessorConfig } from './config/processor-settings.js';
import { createMemoryEventStore } from './testing/memory-event-store.js';
import { syntheticRawEvent } from './testing/synthetic-events.js';

const POISON = 'refused \u2620 title';
const closers: Array<() => Promise<unknown> | void> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

function eventWith(n: number, change: Record<string, unknown>, raw: Partial<RawEvent> = {}): RawEvent {
  const base = syntheticRawEvent(n, { salt: 61 });
  return { ...base, ...raw, eventJson: JSON.stringify({ ...JSON.parse(base.eventJson), ...change }) };
}

/** A processor assembled from settings alone over the real file log and an in-memory store; returns its dead letters. */
async function deadLettersUnder(env: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'spoor-assemble-'));
  closers.push(() => rmSync(dir, { recursive: true, force: true }));
  const { config } = parseProcessorConfig({ ...env, GEOIP_DISABLED: 'true', SPOOR_TOPIC_RAW: 'shop.raw', SPOOR_TOPIC_DLQ: 'shop.dlq', PROCESSOR_GROUP_ID: 'shop-processor' });
  const log = createFileEventLog({ dir });
  closers.push(() => log.close());
  await log.ensureTopics([{ name: 'shop.raw', partitions: 1 }, { name: 'shop.dlq', partitions: 1 }]);
  const store = createMemoryEventStore();
  store.refuseRows((table, row) => table === 'events' && Object.values(row).some((v) => typeof v === 'string' && v.includes(POISON)));
  const addresses = ['83.0.12.34', '2a02:8108:1234:5678:9abc:def0:1234:5678'];
  const events = [
    syntheticRawEvent(1, { salt: 61 }),
    // Invalid (dead-lettered at validation) and refused by the store (dead-lettered at load), from both address families.
    eventWith(2, { url: '' }, { clientIp: addresses[0]! }),
    eventWith(3, { title: POISON }, { clientIp: addresses[1]! }),
    eventWith(4, { title: POISON }, { clientIp: addresses[0]! }),
  ];
  const producer = await log.producer();
  await producer.send('shop.raw', events.map((e) => ({ key: e.anonymousId, value: encodeRawEvent(e) })));
  await producer.close();
  const processor = await assembleProcessor(config, { eventLog: log, store, keyValue: null });
  closers.push(() => processor.stop());
  await processor.start();
  await waitUntil('three dead letters and one stored event', async () => processor.totals().deadLettered === 3 && store.rows('events').length === 1, 20_000, 20);
  const letters = (await consumeAll(log, 'shop.dlq', 3)).map((m) => decodeDeadLetter(m.value));
  return { letters, addresses, store };
}

describe('assembleProcessor', () => {
  it('IP_ANONYMISATION=drop: no dead letter holds any part of an address', async () => {
    const { letters, addresses, store } = await deadLettersUnder({ IP_ANONYMISATION: 'drop' });
    expect(letters.map((l) => l.ok && l.value.stage).sort()).toEqual(['processor.load', 'processor.load', 'processor.validate']);
    for (const letter of letters) {
      const original = letter.ok ? decodeRawEvent(letter.value.original) : undefined;
      expect(original?.ok && original.value.clientIp).toBe('');
      const bytes = Buffer.from(letter.ok ? letter.value.original : new Uint8Array()).toString('latin1');
      for (const address of addresses) expect(bytes).not.toContain(address.split(/[.:]/).slice(0, 2).join(address.includes(':') ? ':' : '.'));
    }
    expect(store.rows('events')[0]!.ip_anonymized).toBe('');
  });

  it('the configured prefix bits reach dead letters too', async () => {
    const { letters } = await deadLettersUnder({ IP_V4_PREFIX_BITS: '16', IP_V6_PREFIX_BITS: '32' });
    const ips = letters.map((l) => (l.ok ? decodeRawEvent(l.value.original) : undefined)).map((r) => (r?.ok ? r.value.clientIp : undefined));
    expect(ips.sort()).toEqual(['2a02:8108::', '83.0.0.0', '83.0.0.0']);
  });
});
