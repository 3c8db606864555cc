import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createStoreScheduler, type StoreLane, type StoreScheduler } from './store-scheduler.js';

/** A task that starts when the scheduler calls it and finishes when the test says so. */
function fakeTasks(scheduler: StoreScheduler) {
  const started: string[] = [];
  const finishers = new Map<string, () => void>();
  const results: Array<Promise<string>> = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const submit = (lane: StoreLane, name: string) => {
    const p = scheduler.run(lane, () => {
      started.push(name);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      return new Promise<string>((resolve) =>
        finishers.set(name, () => {
          inFlight--;
          resolve(name);
        }),
      );
    });
    results.push(p);
    return p;
  };
  const finish = async (name: string) => {
    const f = finishers.get(name);
    if (!f) throw new Error(`${name} has not started (started: ${started.join(', ')})`);
    f();
    // Let the scheduler's .finally() run and start the next task.
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };
  return { started, submit, finish, maxInFlight: () => maxInFlight };
}

afterEach(() => vi.useRealTimers());

describe('store scheduler', () => {
  it('runs one task at a time; a load submitted behind queued reads runs right after the running one', async () => {
    const t = fakeTasks(createStoreScheduler({ loadGraceMs: 0, now: () => 0 }));
    for (const name of ['read1', 'read2', 'read3', 'read4']) void t.submit('analytics', name);
    expect(t.started).toEqual(['read1']);
    void t.submit('load', 'load1');
    await t.finish('read1');
    expect(t.started).toEqual(['read1', 'load1']);
    await t.finish('load1');
    await t.finish('read2');
    await t.finish('read3');
    await t.finish('read4');
    expect(t.started).toEqual(['read1', 'load1', 'read2', 'read3', 'read4']);
    expect(t.maxInFlight()).toBe(1);
  });

  it('orders lanes load > default > analytics, FIFO within a lane', async () => {
    const t = fakeTasks(createStoreScheduler({ loadGraceMs: 0, now: () => 0 }));
    void t.submit('analytics', 'first');
    void t.submit('analytics', 'a1');
    void t.submit('default', 'd1');
    void t.submit('load', 'l1');
    void t.submit('analytics', 'a2');
    void t.submit('load', 'l2');
    void t.submit('default', 'd2');
    for (const name of ['first', 'l1', 'l2', 'd1', 'd2', 'a1', 'a2']) await t.finish(name);
    expect(t.started).toEqual(['first', 'l1', 'l2', 'd1', 'd2', 'a1', 'a2']);
  });

  it('a failing or throwing task rejects its own caller only, and the queue goes on', async () => {
    const scheduler = createStoreScheduler({ loadGraceMs: 0, now: () => 0 });
    const bad = scheduler.run('analytics', async () => {
      throw new Error('Code: 159. Timeout exceeded');
    });
    const sync = scheduler.run('analytics', () => {
      throw new Error('thrown before a promise');
    });
    const good = scheduler.run('load', async () => 'loaded');
    await expect(bad).rejects.toThrow('Timeout exceeded');
    await expect(sync).rejects.toThrow('thrown before a promise');
    await expect(good).resolves.toBe('loaded');
    expect(scheduler.stats()).toMatchObject({ running: undefined, queued: { load: 0, default: 0, analytics: 0 } });
    expect(scheduler.stats().totals).toMatchObject({ load: { count: 1 }, analytics: { count: 2 }, default: { count: 0 } });
  });

  it("after a load, other lanes wait the grace period for the loader's next statement", async () => {
    vi.useFakeTimers();
    const t = fakeTasks(createStoreScheduler({ loadGraceMs: 20, now: () => Date.now() }));
    void t.submit('load', 'check');
    void t.submit('analytics', 'funnel');
    await t.finish('check');
    expect(t.started).toEqual(['check']); // the funnel is held...
    void t.submit('load', 'insert'); // ...so the batch's insert, a moment later, goes first
    expect(t.started).toEqual(['check', 'insert']);
    await t.finish('insert');
    await vi.advanceTimersByTimeAsync(19);
    expect(t.started).toEqual(['check', 'insert']);
    await vi.advanceTimersByTimeAsync(2);
    expect(t.started).toEqual(['check', 'insert', 'funnel']);
    await t.finish('funnel');
  });

  it('loads cannot hold the store forever: after maxLoadBurstMs of back-to-back loads, a read that waited maxWaitMs goes, then loads again', async () => {
    let clock = 0;
    const t = fakeTasks(createStoreScheduler({ loadGraceMs: 0, maxWaitMs: 1_000, maxLoadBurstMs: 300, now: () => clock }));
    void t.submit('load', 'l0');
    void t.submit('analytics', 'funnel');
    void t.submit('load', 'l1');
    clock = 500; // the burst is over, but the funnel has waited only 500 ms
    await t.finish('l0');
    expect(t.started.at(-1)).toBe('l1');
    void t.submit('load', 'l2');
    void t.submit('load', 'l3');
    clock = 1_000; // now the funnel has waited its 1,000 ms
    await t.finish('l1');
    expect(t.started.at(-1)).toBe('funnel');
    void t.submit('default', 'lookup');
    clock = 5_000;
    await t.finish('funnel');
    expect(t.started.at(-1)).toBe('l2'); // right after another lane's statement a load always goes, however starved the lookup
    await t.finish('l2');
    expect(t.started.at(-1)).toBe('l3'); // a new burst has just begun
    await t.finish('l3');
    await t.finish('lookup');
    expect(t.started).toEqual(['l0', 'l1', 'funnel', 'l2', 'l3', 'lookup']);
  });

  it('among statements that waited maxWaitMs the longest-waiting goes first, so lookups and analyst queries cannot starve each other', async () => {
    let clock = 0;
    const t = fakeTasks(createStoreScheduler({ loadGraceMs: 0, maxWaitMs: 1_000, now: () => clock }));
    void t.submit('analytics', 'funnel1');
    void t.submit('analytics', 'funnel2');
    clock = 200;
    void t.submit('default', 'lookup1');
    clock = 1_500; // funnel2 waited 1,500 ms, lookup1 1,300 ms
    void t.submit('default', 'lookup2');
    await t.finish('funnel1');
    expect(t.started.at(-1)).toBe('funnel2');
    await t.finish('funnel2');
    await t.finish('lookup1');
    await t.finish('lookup2');
    expect(t.started).toEqual(['funnel1', 'funnel2', 'lookup1', 'lookup2']);
  });

  it('for any submission order: one in flight, every task runs once, and no load waits behind more than one other-lane task', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ lane: fc.constantFrom<StoreLane>('load', 'default', 'analytics'), finishFirst: fc.nat(3) }), { minLength: 1, maxLength: 30 }),
        async (steps) => {
          const t = fakeTasks(createStoreScheduler({ loadGraceMs: 0, now: () => 0 }));
          const lanes = new Map<string, StoreLane>();
          const submittedAt = new Map<string, number>();
          const finished: string[] = [];
          const finishOldest = async () => {
            const next = t.started.find((n) => !finished.includes(n));
            if (next) {
              finished.push(next);
              await t.finish(next);
            }
          };
          for (const [i, step] of steps.entries()) {
            for (let k = 0; k < step.finishFirst; k++) await finishOldest();
            const name = `${step.lane}-${i}`;
            lanes.set(name, step.lane);
            submittedAt.set(name, finished.length);
            void t.submit(step.lane, name);
          }
          while (finished.length < steps.length) await finishOldest();
          expect(t.maxInFlight()).toBe(1);
          expect(new Set(t.started).size).toBe(steps.length);
          // Other-lane tasks started after a load was submitted and before it started: at most the one then running.
          for (const [name, lane] of lanes) {
            if (lane !== 'load') continue;
            const startedAt = t.started.indexOf(name);
            const between = t.started.slice(submittedAt.get(name), startedAt).filter((n) => lanes.get(n) !== 'load');
            expect(between.length).toBeLessThanOrEqual(1);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
