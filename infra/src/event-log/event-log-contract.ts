import { afterEach, describe, expect, it } from 'vitest';
import type { BatchControl, BatchOutcome, EventLog, EventLogConsumer, LoggedMessage, LogMessage } from './event-log.js';

export interface EventLogContractTarget {
  /** A log for one test; the suite closes it after the test. */
  open(): Promise<EventLog> | EventLog;
  /** A topic or group name no other test or run uses (Kafka is shared by every test file and engineer). */
  uniqueName(label: string): string;
}

type Handler = (messages: LoggedMessage[], control: BatchControl) => Promise<BatchOutcome> | BatchOutcome;

const message = (i: number): LogMessage => ({ key: `k${i % 3}`, value: Buffer.from(`value-${i}`) });

/**
 * What every EventLog adapter promises (event-log.ts), run against each (file-event-log.test.ts,
 * kafka-event-log.integration.test.ts) so the embedded default and Kafka cannot drift apart. Topics have one
 * partition here, so order and offsets are the log's. `skip` names why a run cannot happen (no Kafka configured): the
 * suite is then reported as skipped with that reason, never passed.
 */
export function describeEventLogContract(adapter: string, target: EventLogContractTarget | { skip: string }): void {
  const title = 'skip' in target ? `EventLog contract: ${adapter} (skipped: ${target.skip})` : `EventLog contract: ${adapter}`;
  describe.skipIf('skip' in target)(title, () => {
    const t = target as EventLogContractTarget;
    const logs: EventLog[] = [];
    const consumers: EventLogConsumer[] = [];
    afterEach(async () => {
      await Promise.allSettled(consumers.splice(0).map((c) => c.stop()));
      await Promise.allSettled(logs.splice(0).map((l) => l.close()));
    });
    const open = async () => {
      const log = await t.open();
      logs.push(log);
      return log;
    };
    const topicWith = async (log: EventLog, messages: LogMessage[]) => {
      const topic = t.uniqueName('contract');
      await log.ensureTopics([{ name: topic, partitions: 1 }]);
      const producer = await log.producer();
      await producer.send(topic, messages);
      await producer.close();
      return topic;
    };
    /** Runs a consumer of `group` until `enough` says so; returns every message handed to a batch answered 'commit'. */
    const consumeUntil = async (log: EventLog, topic: string, groupId: string, enough: (committed: LoggedMessage[]) => boolean, handler: Handler = () => 'commit') => {
      const consumer = await log.consumer({ groupId, topics: [topic], fromBeginning: true, maxWaitTimeMs: 200 });
      consumers.push(consumer);
      const committed: LoggedMessage[] = [];
      await new Promise<void>((resolve) => {
        void consumer.run(async (batch, control) => {
          const outcome = await handler(batch.messages, control);
          if (outcome === 'commit') committed.push(...batch.messages);
          // Stopped as soon as the handler decided, before it returned: as the processor stops after its last write.
          if (enough(committed)) resolve();
          return outcome;
        });
      });
      await consumer.stop();
      return committed;
    };

    it('hands back what was sent, in order, with keys, values, decimal offsets and broker times', async () => {
      const log = await open();
      const topic = await topicWith(log, [0, 1, 2, 3, 4].map(message));
      const got = await consumeUntil(log, topic, t.uniqueName('g'), (c) => c.length >= 5);
      expect(got.map((m) => [m.topic, m.partition, m.offset, m.key, m.value.toString()])).toEqual(
        [0, 1, 2, 3, 4].map((i) => [topic, 0, String(i), `k${i % 3}`, `value-${i}`]),
      );
      for (const m of got) expect(m.timestamp).toBeGreaterThan(0);
    });

    it('carries headers; records without headers, or with none, arrive without them', async () => {
      const log = await open();
      const topic = await topicWith(log, [
        { key: 'a', value: Buffer.from('with'), headers: { 'spoor-value': 'raw-event-batch.v1', note: 'Grüße' } },
        { key: 'b', value: Buffer.from('without') },
        { key: 'c', value: Buffer.from('empty headers'), headers: {} },
      ]);
      const got = await consumeUntil(log, topic, t.uniqueName('g'), (c) => c.length >= 3);
      expect(got.map((m) => [m.key, m.value.toString(), m.headers])).toEqual([
        ['a', 'with', { 'spoor-value': 'raw-event-batch.v1', note: 'Grüße' }],
        ['b', 'without', undefined],
        ['c', 'empty headers', undefined],
      ]);
    });

    it('a group resumes after what it committed: a later consumer gets only newer records', async () => {
      const log = await open();
      const topic = await topicWith(log, [0, 1, 2].map(message));
      const group = t.uniqueName('g');
      expect((await consumeUntil(log, topic, group, (c) => c.length >= 3)).map((m) => m.offset)).toEqual(['0', '1', '2']);
      const producer = await log.producer();
      await producer.send(topic, [3, 4].map(message));
      await producer.close();
      const rest = await consumeUntil(log, topic, group, (c) => c.length >= 2);
      expect(rest.map((m) => [m.offset, m.value.toString()])).toEqual([['3', 'value-3'], ['4', 'value-4']]);
    });

    it('commits nothing for a batch answered retry-later: the group gets it again', async () => {
      const log = await open();
      const topic = await topicWith(log, [0, 1, 2].map(message));
      const group = t.uniqueName('g');
      const refused = await consumeUntil(log, topic, group, () => true, () => 'retry-later');
      expect(refused).toEqual([]);
      const again = await consumeUntil(log, topic, group, (c) => c.length >= 3);
      expect(again.map((m) => m.offset)).toEqual(['0', '1', '2']);
    });

    // stop() while a batch is being handled (the processor writing it): the consumer reports itself inactive, waits
    // for the handler, and commits only what the handler answered once its write was done.
    for (const outcome of ['retry-later', 'commit'] as const) {
      it(`stop() during a batch waits for its handler and commits only after it answered (${outcome})`, async () => {
        const log = await open();
        const topic = await topicWith(log, [0, 1, 2].map(message));
        const group = t.uniqueName('g');
        const consumer = await log.consumer({ groupId: group, topics: [topic], fromBeginning: true, maxWaitTimeMs: 200 });
        consumers.push(consumer);
        const order: string[] = [];
        let finish!: (answer: BatchOutcome) => void;
        const handling = new Promise<{ control: BatchControl; first: LoggedMessage[] }>((inFlight) => {
          void consumer.run(async (batch, control) => {
            if (order.includes('handler entered')) return 'retry-later'; // only the first batch is watched
            order.push('handler entered');
            inFlight({ control, first: batch.messages });
            const answer = await new Promise<BatchOutcome>((r) => (finish = r));
            order.push(`handler answered ${answer}`);
            return answer;
          });
        });
        const { control, first } = await handling;
        expect(control.isActive()).toBe(true);
        const stopped = consumer.stop().then(() => order.push('stop resolved'));
        expect(control.isActive(), 'inactive once stopping').toBe(false);
        finish(outcome);
        await stopped;
        expect(order).toEqual(['handler entered', `handler answered ${outcome}`, 'stop resolved']);

        // A marker after the batch shows where the group resumes without waiting for an absence.
        const producer = await log.producer();
        await producer.send(topic, [{ key: 'm', value: Buffer.from('marker') }]);
        await producer.close();
        const next = await consumeUntil(log, topic, group, (c) => c.some((m) => m.value.toString() === 'marker'));
        const firstEnd = Number(first.at(-1)!.offset) + 1;
        const resumedAt = outcome === 'commit' ? firstEnd : Number(first[0]!.offset);
        expect(next.map((m) => m.offset)).toEqual(Array.from({ length: 4 - resumedAt }, (_, i) => String(resumedAt + i)));
      });
    }

    it('answers ping while it is up', async () => {
      expect(await (await open()).ping()).toBe(true);
    });
  });
}
