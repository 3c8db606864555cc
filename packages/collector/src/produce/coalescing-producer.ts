import type { EventLogProducer, LogMessage } from '@spoor/infra';

/** Messages of one request, by topic. */
export type TopicMessages = ReadonlyArray<{ topic: string; messages: LogMessage[] }>;

export interface CoalescingProducerOptions {
  /** Wait this long after the first message of an idle period before sending, to gather more (0 = send at once). */
  lingerMs?: number;
  /** Close a send at about this many value bytes (Kafka's default record batch limit is 1 MiB per partition). */
  maxSendBytes?: number;
  /** Refuse new requests while this many bytes wait; the caller answers 503 instead of queueing without end. */
  maxQueuedBytes?: number;
  /** A request still waiting for its ack after this long gets an error (the caller answers 503). */
  ackTimeoutMs?: number;
  /** Observes every send: how long it took, how many messages, whether it failed. */
  onSend?: (info: { ms: number; messages: number; bytes: number; ok: boolean }) => void;
}

export class LogUnavailableError extends Error {
  override name = 'LogUnavailableError';
}

export interface CoalescingProducer {
  /** Resolves once every message of this call was acknowledged by the log; rejects with LogUnavailableError otherwise. */
  send(items: TopicMessages): Promise<void>;
  /** Bytes accepted by send() and not yet acknowledged. */
  queuedBytes(): number;
  /** Resolves when nothing is waiting or in flight (used by graceful shutdown). */
  drain(): Promise<void>;
}

interface Waiter {
  items: Map<string, LogMessage[]>;
  bytes: number;
  settled: boolean;
  resolve(): void;
  reject(error: Error): void;
  timer?: NodeJS.Timeout;
}

interface Lane {
  queue: Waiter[];
  inFlight: boolean;
  lingerTimer?: NodeJS.Timeout;
}

/**
 * kafkajs has no linger and an idempotent producer must not run concurrent sends. Each producer given here
 * is a lane with exactly one send in flight: requests that arrive meanwhile queue up and leave together in
 * the lane's next send, so under load one broker round trip carries many requests. Messages are assigned to
 * lanes by key, so one key always travels through one producer and its order is kept; several lanes let
 * several round trips overlap. A request's promise settles only when every lane carrying its messages
 * acknowledged them (or one failed).
 */
export function createCoalescingProducer(producers: EventLogProducer | readonly EventLogProducer[], options: CoalescingProducerOptions = {}): CoalescingProducer {
  const lanesProducers = Array.isArray(producers) ? (producers as readonly EventLogProducer[]) : [producers as EventLogProducer];
  if (!lanesProducers.length) throw new Error('createCoalescingProducer needs at least one producer');
  const lingerMs = options.lingerMs ?? 0;
  const maxSendBytes = options.maxSendBytes ?? 768 * 1024;
  const maxQueuedBytes = options.maxQueuedBytes ?? 64 * 1024 * 1024;
  const ackTimeoutMs = options.ackTimeoutMs ?? 10_000;
  const lanes: Lane[] = lanesProducers.map(() => ({ queue: [], inFlight: false }));
  let queued = 0;
  let idleWaiters: Array<() => void> = [];

  function settle(waiter: Waiter, error?: Error) {
    if (waiter.settled) return;
    waiter.settled = true;
    if (waiter.timer) clearTimeout(waiter.timer);
    if (error) waiter.reject(error);
    else waiter.resolve();
  }

  function schedule(index: number) {
    const lane = lanes[index]!;
    if (lane.inFlight || lane.lingerTimer || !lane.queue.length) return;
    if (lingerMs > 0) {
      lane.lingerTimer = setTimeout(() => {
        lane.lingerTimer = undefined;
        void flush(index);
      }, lingerMs);
    } else {
      void flush(index);
    }
  }

  async function flush(index: number) {
    const lane = lanes[index]!;
    lane.inFlight = true;
    const batch: Waiter[] = [];
    let bytes = 0;
    while (lane.queue.length && (batch.length === 0 || bytes + lane.queue[0]!.bytes <= maxSendBytes)) {
      const next = lane.queue.shift()!;
      if (next.settled) {
        // Already answered 503 (ack timeout): sending it now would only duplicate the client's retry.
        queued -= next.bytes;
        continue;
      }
      bytes += next.bytes;
      batch.push(next);
    }
    const byTopic = new Map<string, LogMessage[]>();
    let count = 0;
    for (const waiter of batch) {
      for (const [topic, messages] of waiter.items) {
        const list = byTopic.get(topic) ?? [];
        for (const m of messages) list.push(m);
        byTopic.set(topic, list);
        count += messages.length;
      }
    }
    const started = performance.now();
    let failure: Error | undefined;
    try {
      for (const [topic, messages] of byTopic) await lanesProducers[index]!.send(topic, messages);
    } catch (err) {
      failure = new LogUnavailableError(`event log did not acknowledge: ${(err as Error).message}`);
    }
    if (batch.length) options.onSend?.({ ms: performance.now() - started, messages: count, bytes, ok: !failure });
    queued -= bytes;
    for (const waiter of batch) settle(waiter, failure);
    lane.inFlight = false;
    if (lane.queue.length) schedule(index);
    else if (lanes.every((l) => !l.inFlight && !l.queue.length)) {
      const waiting = idleWaiters;
      idleWaiters = [];
      for (const done of waiting) done();
    }
  }

  function enqueue(index: number, items: Map<string, LogMessage[]>, bytes: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { items, bytes, settled: false, resolve, reject };
      // The send itself cannot be cancelled; a request that waited too long is answered 503 and may be retried
      // by the client (the processor deduplicates on the event id should the late send land after all).
      waiter.timer = setTimeout(() => settle(waiter, new LogUnavailableError(`event log did not acknowledge within ${ackTimeoutMs} ms`)), ackTimeoutMs);
      queued += bytes;
      lanes[index]!.queue.push(waiter);
      schedule(index);
    });
  }

  return {
    send(items) {
      const perLane = new Map<number, { items: Map<string, LogMessage[]>; bytes: number }>();
      let total = 0;
      for (const { topic, messages } of items) {
        for (const m of messages) {
          const index = lanes.length === 1 ? 0 : laneOf(m.key, lanes.length);
          const lane = perLane.get(index) ?? { items: new Map<string, LogMessage[]>(), bytes: 0 };
          const list = lane.items.get(topic) ?? [];
          list.push(m);
          lane.items.set(topic, list);
          const size = m.value.byteLength + m.key.length;
          lane.bytes += size;
          total += size;
          perLane.set(index, lane);
        }
      }
      if (total === 0) return Promise.resolve();
      if (queued + total > maxQueuedBytes) {
        return Promise.reject(new LogUnavailableError('event log is not keeping up: too many bytes waiting for acknowledgement'));
      }
      const sends = [...perLane].map(([index, lane]) => enqueue(index, lane.items, lane.bytes));
      if (sends.length === 1) return sends[0]!;
      // Every lane must acknowledge; the first failure answers the request (the others still settle on their own).
      return Promise.all(sends).then(() => undefined);
    },
    queuedBytes: () => queued,
    drain() {
      if (lanes.every((l) => !l.inFlight && !l.queue.length)) return Promise.resolve();
      return new Promise<void>((resolve) => idleWaiters.push(resolve));
    },
  };
}

/** FNV-1a of the key: stable, cheap, and spreads anonymous ids evenly over the lanes. */
function laneOf(key: string, lanes: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % lanes;
}
