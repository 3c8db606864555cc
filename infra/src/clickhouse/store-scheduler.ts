/**
 * Orders the work sent to embedded chDB. chDB executes one statement at a time per connection (measured: two
 * queries, or a query and a raw insert, submitted together finish one after the other), and in an order of its own
 * (six queued statements finished as 0, 4, 5, 3, 1, 2). Every queued statement also holds one of libuv's four pool
 * threads while it waits, so with four queued the process's file-system calls (the file log's fsync before a 2xx)
 * wait too. chdb-node additionally chains every parameterised statement through one process-wide FIFO.
 *
 * So this keeps at most one statement in flight and chooses the next itself: the processor's loads first, then the
 * service's own small lookups, then analyst queries — FIFO within a lane. A load never waits for more than the one
 * statement of another lane already running. Loads cannot starve the others either: once loads have held the store
 * for `maxLoadBurstMs` while another lane's statement has waited `maxWaitMs`, that one statement goes next; among
 * statements that waited `maxWaitMs`, the longest-waiting goes first, so lookups and analyst queries cannot starve
 * each other.
 * docs/processor.md says how it works and how a server differs; docs/performance.md has the measurements.
 */
export type StoreLane = 'load' | 'default' | 'analytics';

export interface StoreSchedulerOptions {
  /**
   * After a load finishes, other lanes wait this long for the loader's next statement: one batch is several
   * statements in a row (existence check, insert, the next table), and without the pause an analyst query would
   * slip into every gap.
   */
  loadGraceMs?: number;
  /** A statement of another lane that has waited this long may go before pending loads (the longest-waiting first)… */
  maxWaitMs?: number;
  /** …once loads have run back to back this long: a steady stream of batches cannot hold a lookup for seconds. */
  maxLoadBurstMs?: number;
  now?: () => number;
}

export interface LaneTotals {
  /** Statements run. */
  count: number;
  /** Longest and summed wait for a turn, ms. */
  maxWaitMs: number;
  totalWaitMs: number;
  /** Longest and summed time running, ms. */
  maxRunMs: number;
  totalRunMs: number;
}

export interface StoreSchedulerStats {
  running: StoreLane | undefined;
  queued: Record<StoreLane, number>;
  /** Since the scheduler was made (the benchmark reports them). */
  totals: Record<StoreLane, LaneTotals>;
}

export interface StoreScheduler {
  run<T>(lane: StoreLane, task: () => Promise<T>): Promise<T>;
  stats(): StoreSchedulerStats;
}

interface Entry {
  lane: StoreLane;
  enqueuedAt: number;
  start: () => void;
}

export function createStoreScheduler({ loadGraceMs = 40, maxWaitMs = 250, maxLoadBurstMs = 250, now = Date.now }: StoreSchedulerOptions = {}): StoreScheduler {
  const queues: Record<StoreLane, Entry[]> = { load: [], default: [], analytics: [] };
  let running: StoreLane | undefined;
  let holdUntil = 0;
  let holdTimer: ReturnType<typeof setTimeout> | undefined;
  const zero = (): LaneTotals => ({ count: 0, maxWaitMs: 0, totalWaitMs: 0, maxRunMs: 0, totalRunMs: 0 });
  const totals: Record<StoreLane, LaneTotals> = { load: zero(), default: zero(), analytics: zero() };

  // When the current run of back-to-back loads began; undefined after another lane's statement.
  let loadBurstStart: number | undefined;

  const pick = (): Entry | undefined => {
    const t = now();
    const waited = (lane: StoreLane) => {
      const head = queues[lane][0];
      return head !== undefined && t - head.enqueuedAt >= maxWaitMs;
    };
    const other = () => queues.default.shift() ?? queues.analytics.shift();
    // Of the lookups and analyst statements that waited maxWaitMs, the one that waited longest (so neither lane starves
    // the other: the query API's own limits keep the analyst lane short).
    const starvedOther = () => {
      const d = waited('default') ? queues.default[0]! : undefined;
      const a = waited('analytics') ? queues.analytics[0]! : undefined;
      if (d && (!a || d.enqueuedAt <= a.enqueuedAt)) return queues.default.shift();
      return a ? queues.analytics.shift() : undefined;
    };
    const burstOver = loadBurstStart !== undefined && t - loadBurstStart >= maxLoadBurstMs;
    if (queues.load.length) {
      // Right after another lane's statement, a pending load always goes: at most one statement ahead of any load.
      if (loadBurstStart === undefined || !burstOver) return queues.load.shift();
      return starvedOther() ?? queues.load.shift();
    }
    if (t < holdUntil) {
      const starved = burstOver ? starvedOther() : undefined;
      if (starved) return starved;
      if ((queues.default.length || queues.analytics.length) && !holdTimer) {
        holdTimer = setTimeout(() => {
          holdTimer = undefined;
          dispatch();
        }, holdUntil - t);
      }
      return undefined;
    }
    return starvedOther() ?? other();
  };

  const dispatch = () => {
    if (running) return;
    const next = pick();
    if (!next) return;
    running = next.lane;
    if (next.lane !== 'load') loadBurstStart = undefined;
    else if (loadBurstStart === undefined) loadBurstStart = now();
    next.start();
  };

  return {
    run<T>(lane: StoreLane, task: () => Promise<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const entry: Entry = {
          lane,
          enqueuedAt: now(),
          start: () => {
            const startedAt = now();
            const t = totals[lane];
            t.count++;
            t.maxWaitMs = Math.max(t.maxWaitMs, startedAt - entry.enqueuedAt);
            t.totalWaitMs += startedAt - entry.enqueuedAt;
            let settled: Promise<T>;
            try {
              settled = task();
            } catch (err) {
              settled = Promise.reject(err instanceof Error ? err : new Error(String(err)));
            }
            settled.then(resolve, reject).finally(() => {
              const ran = now() - startedAt;
              t.maxRunMs = Math.max(t.maxRunMs, ran);
              t.totalRunMs += ran;
              running = undefined;
              if (lane === 'load') holdUntil = now() + loadGraceMs;
              dispatch();
            });
          },
        };
        queues[lane].push(entry);
        // A load arriving during the grace pause needs no timer: dispatch picks it now.
        dispatch();
      });
    },
    stats() {
      return {
        running,
        queued: { load: queues.load.length, default: queues.default.length, analytics: queues.analytics.length },
        totals: { load: { ...totals.load }, default: { ...totals.default }, analytics: { ...totals.analytics } },
      };
    },
  };
}
