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

interface Waiter {
  items: TopicMessages;
  bytes: number;
  settled: boolean;
  resolve(): void;
  reject(error: Error): void;
  timer?: NodeJS.Timeout;
}

export interface CoalescingProducer {
  /** Resolves once every message of this call was acknowledged by the log; rejects with LogUnavailableError otherwise. */
  send(items: TopicMessages): Promise<void>;
  /** Bytes accepted by send() and not yet acknowledged. */
  queuedBytes(): number;
  /** Resolves when nothing is waiting or in flight (used by graceful shutdown). */
  drain(): Promise<void>;
}

/**
 * kafkajs has no linger and an idempotent producer must not run concurrent sends. This keeps exactly one
 * send in flight: requests that arrive meanwhile queue up and leave together in the next send, so under
 * load one broker round trip carries many requests. Each request's promise settles only with the send
 * that carried its own messages.
 */
export function createCoalescingProducer(producer: EventLogProducer, options: CoalescingProducerOptions = {}): CoalescingProducer {
  const lingerMs = options.lingerMs ?? 0;
  const maxSendBytes = options.maxSendBytes ?? 768 * 1024;
  const maxQueuedBytes = options.maxQueuedBytes ?? 64 * 1024 * 1024;
  const ackTimeoutMs = options.ackTimeoutMs ?? 10_000;
  const queue: Waiter[] = [];
  let queued = 0;
  let inFlight = false;
  let lingerTimer: NodeJS.Timeout | undefined;
  let idleWaiters: Array<() => void> = [];

  function settle(waiter: Waiter, error?: Error) {
    if (waiter.settled) return;
    waiter.settled = true;
    if (waiter.timer) clearTimeout(waiter.timer);
    if (error) waiter.reject(error);
    else waiter.resolve();
  }

  function schedule() {
    if (inFlight || lingerTimer || !queue.length) return;
    if (lingerMs > 0) {
      lingerTimer = setTimeout(() => {
        lingerTimer = undefined;
        void flush();
      }, lingerMs);
    } else {
      void flush();
    }
  }

  async function flush() {
    inFlight = true;
    const batch: Waiter[] = [];
    let bytes = 0;
    while (queue.length && (batch.length === 0 || bytes + queue[0]!.bytes <= maxSendBytes)) {
      const next = queue.shift()!;
      if (next.settled) {
        // Already answered 503 (ack timeout): sending it now would only create a duplicate of a retry.
        queued -= next.bytes;
        continue;
      }
      bytes += next.bytes;
      batch.push(next);
    }
    const byTopic = new Map<string, LogMessage[]>();
    for (const waiter of batch) {
      for (const { topic, messages } of waiter.items) {
        const list = byTopic.get(topic) ?? [];
        for (const m of messages) list.push(m);
        byTopic.set(topic, list);
      }
    }
    const started = performance.now();
    const count = [...byTopic.values()].reduce((n, l) => n + l.length, 0);
    let failure: Error | undefined;
    try {
      for (const [topic, messages] of byTopic) await producer.send(topic, messages);
    } catch (err) {
      failure = new LogUnavailableError(`event log did not acknowledge: ${(err as Error).message}`);
    }
    options.onSend?.({ ms: performance.now() - started, messages: count, bytes, ok: !failure });
    queued -= bytes;
    for (const waiter of batch) settle(waiter, failure);
    inFlight = false;
    if (queue.length) schedule();
    else {
      const waiting = idleWaiters;
      idleWaiters = [];
      for (const done of waiting) done();
    }
  }

  return {
    send(items) {
      let bytes = 0;
      for (const { messages } of items) for (const m of messages) bytes += m.value.byteLength + m.key.length;
      if (bytes === 0) return Promise.resolve();
      if (queued + bytes > maxQueuedBytes) {
        return Promise.reject(new LogUnavailableError('event log is not keeping up: too many bytes waiting for acknowledgement'));
      }
      return new Promise<void>((resolve, reject) => {
        const waiter: Waiter = { items, bytes, settled: false, resolve, reject };
        // The send itself cannot be cancelled; a request that waited too long is answered 503 and may be retried
        // by the client (the processor deduplicates on the event id should the late send land after all).
        waiter.timer = setTimeout(() => settle(waiter, new LogUnavailableError(`event log did not acknowledge within ${ackTimeoutMs} ms`)), ackTimeoutMs);
        queued += bytes;
        queue.push(waiter);
        schedule();
      });
    },
    queuedBytes: () => queued,
    drain() {
      if (!inFlight && !queue.length) return Promise.resolve();
      return new Promise<void>((resolve) => idleWaiters.push(resolve));
    },
  };
}
