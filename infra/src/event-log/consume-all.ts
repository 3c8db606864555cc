import type { EventLog, LoggedMessage } from './event-log.js';

/** Reads a topic from the earliest offset with a fresh consumer group until `count` messages arrived (tests, tools). */
export async function consumeAll(log: EventLog, topic: string, count: number, groupId = `consume-all-${Date.now()}-${Math.random().toString(36).slice(2)}`): Promise<LoggedMessage[]> {
  const consumer = await log.consumer({ groupId, topics: [topic], fromBeginning: true });
  const received: LoggedMessage[] = [];
  await new Promise<void>((resolve) => {
    void consumer.run(async (batch) => {
      received.push(...batch.messages);
      if (received.length >= count) resolve();
      return 'commit';
    });
  });
  await consumer.stop();
  return received;
}
