import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createKafkaEventLog } from '../event-log/kafka-event-log.js';
import type { LoggedMessage } from '../event-log/event-log.js';
import { startLocalKafka, type LocalKafka } from './kafka-broker.js';

// `npm run infra:up` after `npm run infra:down` restarts the broker on the data dir it left behind: the storage
// format step must reuse that dir's cluster id, and what was produced before the stop must still be there.
const dir = mkdtempSync(join(tmpdir(), 'spoor-kafka-restart-'));
let kafka: LocalKafka | undefined;
afterAll(async () => {
  await kafka?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function readAll(brokers: string, topic: string, expected: number): Promise<LoggedMessage[]> {
  const log = createKafkaEventLog({ brokers: [brokers], clientId: 'spoor-restart-test' });
  const consumer = await log.consumer({ groupId: `g-${Date.now()}`, topics: [topic], fromBeginning: true });
  const received: LoggedMessage[] = [];
  await new Promise<void>((resolve) => {
    void consumer.run(async (batch) => {
      received.push(...batch.messages);
      if (received.length >= expected) resolve();
      return 'commit';
    });
  });
  await consumer.stop();
  await log.close();
  return received;
}

describe('local Kafka broker', () => {
  it('restarts on its existing data dir and keeps what was produced before the stop', async () => {
    kafka = await startLocalKafka({ dir, partitions: 1 });
    const log = createKafkaEventLog({ brokers: [kafka.brokers], clientId: 'spoor-restart-test' });
    await log.ensureTopics([{ name: 'kept', partitions: 1 }]);
    const producer = await log.producer();
    await producer.send('kept', [{ key: 'a', value: Buffer.from('before the restart') }]);
    await producer.close();
    await log.close();
    await kafka.stop();

    kafka = await startLocalKafka({ dir, partitions: 1 });
    const messages = await readAll(kafka.brokers, 'kept', 1);
    expect(messages.map((m) => Buffer.from(m.value).toString())).toEqual(['before the restart']);
  }, 180_000);
});
