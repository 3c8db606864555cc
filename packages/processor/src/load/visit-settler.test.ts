import { describe, expect, it } from 'vitest';
import { createMemoryKeyValue } from '@spoor/infra';
import { leasedSettle, startVisitSettler } from './visit-settler.js';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('startVisitSettler', () => {
  it('settles at once, then again after each round ends, never two at a time; stop waits for the running round', async () => {
    let running = 0;
    let overlapped = false;
    let rounds = 0;
    const settled: number[] = [];
    const settler = startVisitSettler({
      everyMs: 5,
      settle: async () => {
        running++;
        overlapped ||= running > 1;
        await tick(15);
        running--;
        return { visits: ++rounds };
      },
      onSettled: (r) => settled.push(r.visits),
    });
    expect(rounds).toBe(0);
    expect(running, 'the first round starts at once').toBe(1);
    while (rounds < 3) await tick(5);
    await settler.stop();
    const after = rounds;
    expect(running).toBe(0);
    await tick(40);
    expect(rounds, 'nothing runs after stop').toBe(after);
    expect(overlapped).toBe(false);
    expect(settled).toEqual([...Array(after).keys()].map((i) => i + 1));
  });

  it('reports a failed round and tries again next time', async () => {
    const errors: string[] = [];
    let calls = 0;
    const settler = startVisitSettler({
      everyMs: 1,
      settle: async () => {
        calls++;
        if (calls === 1) throw new Error('ClickHouse unavailable');
        return { visits: 0 };
      },
      onError: (e) => errors.push(e.message),
    });
    while (calls < 2) await tick(2);
    await settler.stop();
    expect(errors).toEqual(['ClickHouse unavailable']);
  });

  it('behind a shared lease, processors settle one at a time; the lease is released after, and only by its holder', async () => {
    const keyValue = createMemoryKeyValue();
    let running = 0;
    let most = 0;
    const settle = async () => {
      running++;
      most = Math.max(most, running);
      await tick(10);
      running--;
      return { visits: 3 };
    };
    const a = leasedSettle(keyValue, 'lease', settle);
    const b = leasedSettle(keyValue, 'lease', settle);
    const results = await Promise.all([a(), b(), a()]);
    expect(results.map((r) => r.visits).sort()).toEqual([0, 0, 3]);
    expect(most).toBe(1);
    expect(await keyValue.get('lease')).toBeNull();
    expect((await a()).visits, 'free again').toBe(3);

    // A lease that expired during a long settle and was taken by another processor stays theirs.
    const slow = leasedSettle(keyValue, 'short', async () => {
      await tick(30);
      return { visits: 1 };
    }, 10);
    const done = slow();
    await tick(20);
    await keyValue.set('short', 'someone-else', 60_000);
    await done;
    expect(await keyValue.get('short')).toBe('someone-else');
  });
});
