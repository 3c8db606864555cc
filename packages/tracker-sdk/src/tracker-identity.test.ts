import { describe, expect, it, vi } from 'vitest';
import { createTracker } from './tracker.js';
import { memoryEnv } from '../test-support/memory-env.js';
import { TEST_CONFIG, useFixedClock } from '../test-support/tracker-unit-setup.js';

const cfg = TEST_CONFIG;

useFixedClock();

describe('identity and sessions', () => {
  it('keeps the anonymous id and session across events, links the customer on identify, forgets it on reset', async () => {
    const m = memoryEnv();
    const t = createTracker(cfg, m.env);
    t.page();
    t.identify('cust-7', { plan: 'gold' });
    t.emit('search', { query: 'a' });
    t.reset();
    t.emit('search', { query: 'b' });
    await vi.advanceTimersByTimeAsync(1000);
    const [pv, id, s1, s2] = m.events();
    expect(pv!.customerId).toBeUndefined();
    expect(id).toMatchObject({ type: 'identify', customerId: 'cust-7', props: { customerId: 'cust-7', traits: { plan: 'gold' } } });
    expect(s1!.customerId).toBe('cust-7');
    expect(s1!.anonymousId).toBe(pv!.anonymousId);
    expect(s1!.sessionId).toBe(pv!.sessionId);
    expect(s2!.customerId).toBeUndefined();
    expect(s2!.anonymousId).not.toBe(pv!.anonymousId);
    expect(s2!.visitNumber).toBe(1);
  });

  it('counts visits: a new session after 30 minutes of inactivity', async () => {
    const m = memoryEnv();
    const t = createTracker(cfg, m.env);
    t.emit('search', { query: 'a' });
    await vi.advanceTimersByTimeAsync(31 * 60_000);
    t.emit('search', { query: 'b' });
    await vi.advanceTimersByTimeAsync(1000);
    const [a, b] = m.events();
    expect(b!.sessionId).not.toBe(a!.sessionId);
    expect([a!.visitNumber, b!.visitNumber]).toEqual([1, 2]);
  });

  it('starts a new session when the visitor returns through another campaign', async () => {
    const m = memoryEnv();
    const t = createTracker(cfg, m.env);
    m.state.url = 'https://shop.example/?utm_source=news&utm_campaign=a';
    t.page();
    m.state.url = 'https://shop.example/p/1';
    t.page();
    m.state.url = 'https://shop.example/?utm_source=news&utm_campaign=b';
    t.page();
    await vi.advanceTimersByTimeAsync(1000);
    const [a, b, c] = m.events();
    expect(b!.sessionId).toBe(a!.sessionId);
    expect(c!.sessionId).not.toBe(a!.sessionId);
  });

  it('uses the previous page as referrer inside a single-page app and strips private parameters', async () => {
    const m = memoryEnv();
    m.state.referrer = 'https://mail.example/inbox?email=a@b.c';
    m.state.url = 'https://shop.example/?token=secret&q=1';
    const t = createTracker({ ...cfg, stripParams: ['q'] }, m.env);
    t.page();
    m.state.url = 'https://shop.example/cart';
    t.page();
    await vi.advanceTimersByTimeAsync(1000);
    const [a, b] = m.events();
    expect(a).toMatchObject({ url: 'https://shop.example/', referrer: 'https://mail.example/inbox' });
    expect(b).toMatchObject({ url: 'https://shop.example/cart', referrer: 'https://shop.example/' });
  });
});
