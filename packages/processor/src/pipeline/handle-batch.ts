import { encodeDeadLetter, encodeRawEvent, type DeadLetter } from '@spoor/events';
import { anonymiseIp, DEFAULT_IP_ANONYMISATION, type IpAnonymisation } from '../enrich/anonymise-ip.js';
import type { BatchControl, BatchOutcome, ConsumedBatch, LogMessage } from '@spoor/infra';
import { seenKey, type SeenSet } from '../dedupe/seen-set.js';
import { dropIfErased, type ErasedIds } from '../erasure/erasure-register.js';
import type { EnrichedEvent, Enricher } from '../enrich/enrich-event.js';
import type { LoadReport } from '../load/load-batch.js';
import type { EventLoader } from './event-loader.js';
import { decodeRecord, type DecodedEvent } from './decode-message.js';
import { retryWhileActive, type RetryPolicy } from './retry.js';

export interface DeadLetterSink {
  send(messages: LogMessage[]): Promise<void>;
}

export interface BatchStats {
  messages: number;
  loaded: number;
  deadLettered: number;
  /** Of deadLettered: events the store refused (split out of the batch), each with the store's reason. */
  refused: number;
  dropped: { inBatch: number; seenSet: number; erased: number };
  report: LoadReport | null;
  seenSetAvailable: boolean;
}

export interface BatchHandlerDeps {
  enrich: Enricher;
  /** Stores enriched events in every table (directly, or coalesced with other partitions' batches). */
  loader: EventLoader;
  deadLetters: DeadLetterSink;
  /** null turns the Redis fast path off (replay; or no Redis at all). */
  seenSet: SeenSet | null;
  /** The erasure register (erasure/erasure-register.ts), read once per batch; null: nobody is ever dropped. */
  erasures?: { current(): Promise<ErasedIds> } | null;
  /** IP_ANONYMISATION and its prefix bits: a dead letter keeps no more of the address than a stored row does. */
  ipAnonymisation?: IpAnonymisation;
  retry: RetryPolicy;
  heartbeatEveryMs: number;
  now?: () => number;
  onBatch?: (stats: BatchStats) => void;
  onRetry?: (error: Error, attempt: number, stage: 'load' | 'dead-letter') => void;
}

const sourceOf = (m: { topic: string; partition: number; offset: string }) => `${m.topic}/${m.partition}/${m.offset}`;
/** An event's identity: the same id sent to two sites is two events, both stored. */
const eventKey = seenKey;

/**
 * One Kafka batch: decode → validate → dedupe → enrich → load → dead-letter → mark seen, then 'commit'.
 * It never throws and never commits anything ClickHouse has not acknowledged: while the store is down it keeps
 * the group membership alive (heartbeats) and retries the same rows; if the partition is lost meanwhile it
 * returns 'retry-later' and the next owner redelivers from the last commit.
 */
export function createBatchHandler(deps: BatchHandlerDeps) {
  const now = deps.now ?? Date.now;
  const ipOptions = deps.ipAnonymisation ?? DEFAULT_IP_ANONYMISATION;
  const anonymised = (ip: string) => anonymiseIp(ip, ipOptions);
  return async function handleBatch(batch: ConsumedBatch, control: BatchControl): Promise<BatchOutcome> {
    let lost = false;
    const isActive = () => !lost && control.isActive();
    const beat = setInterval(() => {
      control.heartbeat().catch(() => {
        // A rebalance is under way: this batch may belong to somebody else now.
        lost = true;
      });
    }, deps.heartbeatEveryMs);
    try {
      // Erasure register: read before anything is decided, so no event of a person erased before this batch is stored.
      let erased: ErasedIds | null = null;
      if (deps.erasures) {
        const read = await retryWhileActive(() => deps.erasures!.current(), { policy: deps.retry, isActive, onError: (e, n) => deps.onRetry?.(e, n, 'load') });
        if (!read.done) return 'retry-later';
        erased = read.value;
      }
      let droppedErased = 0;

      const letters: LogMessage[] = [];
      const decoded: Array<DecodedEvent & { source: string }> = [];
      const inBatch = new Set<string>();
      let droppedInBatch = 0;
      for (const message of batch.messages) {
        // A record is one RawEvent or a RawEventBatch: each event gets its own result (and source, `…#part`).
        for (const { result, original: bytes, part } of decodeRecord(message.value, message.headers)) {
          const source = part === undefined ? sourceOf(message) : `${sourceOf(message)}#${part}`;
          if (result.kind === 'ok' && erased && dropIfErased(result.value, erased).kind === 'drop') {
            droppedErased++;
          } else if (result.kind === 'ok') {
            const id = eventKey(result.value.raw.siteId, result.value.event.id);
            if (inBatch.has(id)) droppedInBatch++;
            else {
              inBatch.add(id);
              decoded.push({ ...result.value, source });
            }
          } else if (result.kind === 'dlq') {
            // An event we could decode goes to the DLQ with its client address anonymised: the full address is
            // stored nowhere, not even among the failures. Undecodable bytes are kept as they came.
            const original = result.raw ? encodeRawEvent({ ...result.raw, clientIp: anonymised(result.raw.clientIp) }) : bytes;
            const letter: DeadLetter = { original, reason: result.reason, stage: result.stage, failedAt: now(), siteId: result.raw?.siteId ?? '', source };
            letters.push({ key: letter.source, value: encodeDeadLetter(letter) });
          }
        }
      }

      let fresh = decoded;
      let seenSetAvailable = false;
      if (deps.seenSet && decoded.length) {
        const { unseen, available } = await deps.seenSet.unseen(decoded.map((d) => ({ siteId: d.raw.siteId, eventId: d.event.id })));
        seenSetAvailable = available;
        fresh = decoded.filter((d) => unseen.has(eventKey(d.raw.siteId, d.event.id)));
      }

      const enriched: EnrichedEvent[] = [];
      for (const d of fresh) {
        try {
          enriched.push(await deps.enrich(d));
        } catch (err) {
          // Enrichment is pure and should not throw; if a bug makes it, that one event is dead-lettered instead of
          // failing the batch forever (a crash loop on the same offset).
          const letter: DeadLetter = { original: encodeRawEvent({ ...d.raw, clientIp: anonymised(d.raw.clientIp) }), reason: `enrichment failed: ${(err as Error).message}`, stage: 'processor.enrich', failedAt: now(), siteId: d.raw.siteId, source: d.source };
          letters.push({ key: letter.source, value: encodeDeadLetter(letter) });
        }
      }

      const { stored, report, refused } = enriched.length ? await deps.loader.load(enriched, isActive) : { stored: true, report: null, refused: [] };
      if (!stored) return 'retry-later';
      const refusedKeys = new Set<string>();
      if (refused.length) {
        const sources = new Map(fresh.map((d) => [eventKey(d.raw.siteId, d.event.id), d.source]));
        for (const { event, reason } of refused) {
          const key = eventKey(event.raw.siteId, event.event.id);
          refusedKeys.add(key);
          // The store refused the row: the event goes to the DLQ as it came (address anonymised), with the store's
          // reason and its source offset, and the batch commits; the rest of the batch is stored.
          const letter: DeadLetter = { original: encodeRawEvent({ ...event.raw, clientIp: anonymised(event.raw.clientIp) }), reason, stage: 'processor.load', failedAt: now(), siteId: event.raw.siteId, source: sources.get(key) ?? '' };
          letters.push({ key: letter.source, value: encodeDeadLetter(letter) });
        }
      }

      if (letters.length) {
        const sent = await retryWhileActive(() => deps.deadLetters.send(letters), { policy: deps.retry, isActive, onError: (e, n) => deps.onRetry?.(e, n, 'dead-letter') });
        if (!sent.done) return 'retry-later';
      }

      const loaded = refusedKeys.size ? enriched.filter((e) => !refusedKeys.has(eventKey(e.raw.siteId, e.event.id))) : enriched;
      if (deps.seenSet && loaded.length) await deps.seenSet.markSeen(loaded.map((e) => ({ siteId: e.raw.siteId, eventId: e.event.id })));
      deps.onBatch?.({
        messages: batch.messages.length,
        loaded: loaded.length,
        deadLettered: letters.length,
        refused: refused.length,
        dropped: { inBatch: droppedInBatch, seenSet: decoded.length - fresh.length, erased: droppedErased },
        report,
        seenSetAvailable,
      });
      // Everything is stored: committing is safe even if the partition moved meanwhile (the adapter skips a stale commit).
      return 'commit';
    } finally {
      clearInterval(beat);
    }
  };
}
