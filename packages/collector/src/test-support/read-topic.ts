import { uniqueName } from '@spoor/test-harness';
import type { EventLog, LoggedMessage } from '@spoor/infra';

/** Reads a topic from the beginning with a fresh group until `count` messages arrived or `timeoutMs` passed. */
export async function readTopic(log: EventLog, topic: string, count: number, timeoutMs = 30_000): Promise<LoggedMessage[]> {
  const consumer = await log.consumer({ groupId: uniqueName('read'), topics: [topic], fromBeginning: true });
  const received: LoggedMessage[] = [];
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    if (count === 0) {
      clearTimeout(timer);
      resolve();
      return;
    }
    void consumer.run(async (batch) => {
      received.push(...batch.messages);
      if (received.length >= count) {
        clearTimeout(timer);
        resolve();
      }
      return 'commit';
    });
  });
  await consumer.stop();
  return received;
}
