import { randomUUID } from 'node:crypto';
import type { KeyValue } from '@spoor/infra';

export interface VisitSettlerOptions {
  /** One settle (infra settleVisits through the store); resolves with how many visits it wrote. */
  settle: () => Promise<{ visits: number }>;
  everyMs: number;
  onError?: (error: Error) => void;
  onSettled?: (report: { visits: number; ms: number }) => void;
}

/**
 * Runs `settle` at once and then every `everyMs` after the previous one ended (never two at a time: overlapping
 * settles could apply an older read of a visit after a newer one). A failure is reported and the next round retries:
 * the marks stay until a settle succeeds, and queries read unsettled visits from sessions meanwhile.
 */
export function startVisitSettler(options: VisitSettlerOptions): { stop(): Promise<void> } {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const round = async () => {
    const started = performance.now();
    try {
      const report = await options.settle();
      options.onSettled?.({ visits: report.visits, ms: performance.now() - started });
    } catch (err) {
      options.onError?.(err instanceof Error ? err : new Error(String(err)));
    }
    if (!stopped) {
      timer = setTimeout(() => {
        running = round();
      }, options.everyMs);
    }
  };
  running = round();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

/** Longest a settle may hold the lease; settling 1.1M visits of 10M events took 14 s (docs/performance.md). */
export const SETTLE_LEASE_MS = 10 * 60_000;

/**
 * `settle` behind a lease in the shared KeyValue store (Redis in a deployment): processors that share it settle one at a
 * time, whichever holds the lease; the others skip that round ({ visits: 0 }). The lease is released when the settle
 * ends and expires after `leaseMs` if its holder died. Processors that share no store (in-process memory each) are not
 * kept apart: run one of them with settling on (docs/processor.md).
 */
export function leasedSettle(keyValue: KeyValue, key: string, settle: () => Promise<{ visits: number }>, leaseMs = SETTLE_LEASE_MS): () => Promise<{ visits: number }> {
  return async () => {
    const holder = randomUUID();
    const [acquired] = await keyValue.setManyIfAbsent([key], holder, leaseMs);
    if (!acquired) return { visits: 0 };
    try {
      return await settle();
    } finally {
      // Only our own lease: one that expired during a very long settle may be another processor's by now.
      if ((await keyValue.get(key)) === holder) await keyValue.delete([key]);
    }
  };
}
