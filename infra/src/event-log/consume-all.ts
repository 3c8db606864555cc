import type { EventLog, LoggedMessage } from './event-log.js';

export interface ConsumeAllOptions {
  /** Resolve with what arrived so far after this long (default 30 s). */
  timeoutMs?: number;
  /** How many items one message counts for (default 1; e.g. the events a RawEventBatch record carries). */
  weigh?: (message: LoggedMessage) => number;
  groupId?: string;
}

/** Reads a topic from the earliest offset with a fresh consumer group until `count` items arrived or the timeout passed (tests, tools). */
export async function consumeAll(log: EventLog, topic: string, count: number, options: ConsumeAllOptions = {}): Promise<LoggedMessage[]> {
  const received: LoggedMessage[] = [];
  if (count <= 0) return received;
  const { timeoutMs = 30_000, weigh = () => 1, groupId = `consume-all-${Date.now()}-${Math.random().toString(36).slice(2)}` } = options;
  const consumer = await log.consumer({ groupId, topics: [topic], fromBeginning: true });
  let weight = 0;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    void consumer.run(async (batch) => {
      received.push(...batch.messages);
      for (const m of batch.messages) weight += weigh(m);
      if (weight >= count) {
        clearTimeout(timer);
        resolve();
      }
      return 'commit';
    });
  });
  await consumer.stop();
  return received;
}
