import { uniqueName } from '@spoor/test-harness';
import { decodeRawEvent, rawEventsOfRecord, type RawEvent } from '@spoor/events';
import { consumeAll, type EventLog, type LogHeaders, type LoggedMessage } from '@spoor/infra';

/** Reads a topic from the beginning with a fresh group until `count` messages arrived or `timeoutMs` passed. */
export async function readTopic(log: EventLog, topic: string, count: number, timeoutMs = 30_000): Promise<LoggedMessage[]> {
  return consumeAll(log, topic, count, { timeoutMs, groupId: uniqueName('read') });
}

/** Reads the raw topic until `count` RawEvents arrived (a record may carry several) or `timeoutMs` passed. */
export async function readRawEvents(log: EventLog, topic: string, count: number, timeoutMs = 30_000): Promise<Array<{ key: string | null; raw: RawEvent }>> {
  return rawEventsIn(await consumeAll(log, topic, count, { timeoutMs, groupId: uniqueName('read'), weigh: (m) => rawEventsIn([m]).length }));
}

/** The RawEvents a list of raw-topic records carries, each with its record's key, in order; throws on anything undecodable. */
export function rawEventsIn(messages: ReadonlyArray<{ key: string | null; value: Uint8Array; headers?: LogHeaders }>): Array<{ key: string | null; raw: RawEvent }> {
  return messages.flatMap((m) => {
    const split = rawEventsOfRecord(m.value, m.headers);
    if (!split.ok) throw new Error(split.error);
    return split.value.map((bytes) => {
      const decoded = decodeRawEvent(bytes);
      if (!decoded.ok) throw new Error(decoded.error);
      return { key: m.key, raw: decoded.value };
    });
  });
}
