import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createKafkaEventLog } from '../event-log/kafka-event-log.js';
import { consumeAll } from '../event-log/consume-all.js';
import { startLocalKafka, type LocalKafka } from './kafka-broker.js';

// `npm run infra:up` after `npm run infra:down` restarts the broker on the data dir it left behind: the storage
// format step must reuse that dir's cluster id, and what was produced before the stop must still be there.
const dir = mkdtempSync(join(tmpdir(), 'spoor-kafka-restart-'));
let kafka: LocalKafka | undefined;
afterAll(async () => {
  await kafka?.stop();
  rmSync(dir, { recursive: true, force: true });
});

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
    const reader = createKafkaEventLog({ brokers: [kafka.brokers], clientId: 'spoor-restart-test' });
    const messages = await consumeAll(reader, 'kept', 1);
    await reader.close();
    expect(messages.map((m) => Buffer.from(m.value).toString())).toEqual(['before the restart']);
  }, 180_000);
});
