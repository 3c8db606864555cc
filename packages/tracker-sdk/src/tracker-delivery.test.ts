import { describe, expect, it, vi } from 'vitest';
import { memoryStore } from './adapters/memory-store.js';
import { createTracker } from './tracker.js';
import { memoryEnv } from '../test-support/memory-env.js';
import { TEST_CONFIG, useFixedClock } from '../test-support/tracker-unit-setup.js';

const cfg = TEST_CONFIG;

useFixedClock();

describe('batching', () => {
  it('sends the wire envelope to /v1/events?key= after the flush interval', async () => {
    const m = memoryEnv();
    const t = createTracker(cfg, m.env);
    t.page();
    t.emit('search', { query: 'boots' });
    expect(m.sent).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1000);
    expect(m.sent).toHaveLength(1);
    const req = m.sent[0]!;
    expect(req.url).toBe('https://c.example/v1/events?key=wk_test');
    expect(req.body.writeKey).toBe('wk_test');
    expect(req.body.sentAt).toBe(Date.now());
    expect(req.body.events.map((e) => e.type)).toEqual(['page_view', 'search']);
    expect(req.keepalive).toBe(true);
  });

  it('sends at once when the count threshold is reached', async () => {
    const m = memoryEnv();
    const t = createTracker({ ...cfg, batchSize: 3 }, m.env);
    for (let i = 0; i < 3; i++) t.emit('search', { query: 'q' + i });
    await vi.advanceTimersByTimeAsync(0);
    expect(m.sent).toHaveLength(1);
    expect(m.sent[0]!.body.events).toHaveLength(3);
  });

  it('sends at once when the byte threshold is reached', async () => {
    const m = memoryEnv();
    const t = createTracker(cfg, m.env);
    t.emit('search', { query: 'x'.repeat(9000) });
    await vi.advanceTimersByTimeAsync(0);
    expect(m.sent).toHaveLength(0);
    t.emit('search', { query: 'y'.repeat(9000) });
    await vi.advanceTimersByTimeAsync(0);
    expect(m.sent).toHaveLength(1);
  });

  it('splits a large backlog into requests under the 64 KiB transport budget', async () => {
    const m = memoryEnv();
    m.state.online = false;
    const t = createTracker({ ...cfg, batchSize: 1000 }, m.env);
    for (let i = 0; i < 100; i++) t.emit('search', { query: 'q'.repeat(1000) });
    m.state.online = true;
    t.flush();
    await vi.advanceTimersByTimeAsync(1000);
    expect(m.sent.length).toBeGreaterThan(1);
    for (const r of m.sent) expect(new Blob([r.raw]).size).toBeLessThanOrEqual(64 * 1024);
    expect(m.events()).toHaveLength(100);
    expect(new Set(m.events().map((e) => e.id)).size).toBe(100);
  });
});

describe('delivery', () => {
  it('retries with backoff, honours Retry-After, and keeps the event ids', async () => {
    const m = memoryEnv();
    let answer = { status: 503, retryAfter: 30_000 };
    m.state.reply = () => answer;
    const t = createTracker(cfg, m.env);
    t.emit('search', { query: 'a' });
    await vi.advanceTimersByTimeAsync(1000);
    expect(m.sent).toHaveLength(1);
    // new events do not bypass the server's Retry-After
    for (let i = 0; i < 12; i++) t.emit('search', { query: 'b' + i });
    await vi.advanceTimersByTimeAsync(29_000);
    expect(m.sent).toHaveLength(1);
    answer = { status: 202, retryAfter: 0 };
    await vi.advanceTimersByTimeAsync(1000);
    expect(m.sent.length).toBeGreaterThanOrEqual(2);
    const firstTry = m.sent[0]!.body.events[0]!.id;
    expect(m.sent[1]!.body.events[0]!.id).toBe(firstTry);
    await vi.advanceTimersByTimeAsync(5000);
    // every event acknowledged exactly once after the retry
    const acked = m.sent.slice(1).flatMap((r) => r.body.events.map((e) => e.id));
    expect(new Set(acked).size).toBe(acked.length);
    expect(acked).toHaveLength(13);
  });

  it('backs off exponentially on network errors', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(1);
    const m = memoryEnv();
    m.state.reply = () => ({ status: 0 });
    const t = createTracker(cfg, m.env);
    t.emit('search', { query: 'a' });
    await vi.advanceTimersByTimeAsync(1000); // 1st try
    await vi.advanceTimersByTimeAsync(1000); // +1 s
    await vi.advanceTimersByTimeAsync(2000); // +2 s
    await vi.advanceTimersByTimeAsync(3999);
    expect(m.sent).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(1); // +4 s
    expect(m.sent).toHaveLength(4);
    expect(new Set(m.sent.map((r) => r.body.events[0]!.id)).size).toBe(1);
    vi.mocked(Math.random).mockRestore();
  });

  it('drops a batch on a non-retryable 4xx and reports it', async () => {
    const onError = vi.fn();
    const m = memoryEnv();
    m.state.reply = () => ({ status: 400 });
    const t = createTracker({ ...cfg, onError }, m.env);
    t.emit('search', { query: 'a' });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(m.sent).toHaveLength(1);
    expect(onError).toHaveBeenCalledWith(400);
    expect(m.env.outbox.get('spoor_o')).toBeNull();
  });

  it('on a 202 drops the whole batch: the events it rejected are permanently invalid and never resent', async () => {
    const m = memoryEnv();
    m.state.reply = () => ({ status: 202 });
    const t = createTracker(cfg, m.env);
    t.emit('product_view', { productId: 'p', price: '1' as unknown as number });
    t.emit('search', { query: 'ok' });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(m.sent).toHaveLength(1);
    expect(m.env.outbox.get('spoor_o')).toBeNull();
  });

  it('waits while offline and sends everything once back online', async () => {
    const m = memoryEnv();
    m.state.online = false;
    const t = createTracker(cfg, m.env);
    t.emit('search', { query: 'a' });
    t.emit('search', { query: 'b' });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(m.sent).toHaveLength(0);
    m.state.online = true;
    t.flush();
    await vi.advanceTimersByTimeAsync(0);
    expect(m.events().map((e) => e.type)).toEqual(['search', 'search']);
  });

  it('an event left by a closed tab is adopted by another tab once it is an orphan', async () => {
    const store = memoryStore();
    const outbox = memoryStore();
    const a = memoryEnv({}, { store, outbox });
    a.state.online = false;
    const b = memoryEnv({}, { store, outbox });
    const tb = createTracker(cfg, b.env);
    createTracker(cfg, a.env).emit('search', { query: 'from a' });
    tb.emit('search', { query: 'from b' });
    await vi.advanceTimersByTimeAsync(1000);
    expect(b.events().map((e) => e.props)).toEqual([{ query: 'from b' }]);
    // A never comes back online (its tab was closed); after flushInterval + 10 s the event is an orphan
    tb.emit('search', { query: 'later' });
    await vi.advanceTimersByTimeAsync(12_000);
    tb.flush();
    await vi.advanceTimersByTimeAsync(1000);
    expect(b.events().map((e) => e.props)).toEqual(expect.arrayContaining([{ query: 'from a' }, { query: 'later' }]));
    expect(b.events()).toHaveLength(3);
  });

  it("an event another tab's outbox write erased still reaches the collector from the tab that recorded it", async () => {
    const outbox = memoryStore();
    const a = memoryEnv({}, { outbox });
    const ta = createTracker(cfg, a.env);
    ta.emit('search', { query: 'first' });
    const before = outbox.get('spoor_o');
    ta.emit('search', { query: 'second' });
    // another tab read the outbox before 'second' was added and writes its own change after it (localStorage has no
    // compare-and-set across tabs): 'second' is gone from the shared outbox
    outbox.set('spoor_o', before!);
    await vi.advanceTimersByTimeAsync(1000);
    expect(a.events().map((e) => e.props)).toEqual([{ query: 'first' }, { query: 'second' }]);
    // and the same on a beacon when the tab closes before its next send
    ta.emit('search', { query: 'third' });
    outbox.del('spoor_o');
    ta.leave();
    expect(a.events().map((e) => e.props)).toEqual([{ query: 'first' }, { query: 'second' }, { query: 'third' }]);
  });

  it('keeps the outbox across page loads: a new tracker over the same stores sends what was left', async () => {
    const store = memoryStore();
    const outbox = memoryStore();
    const a = memoryEnv({}, { store, outbox });
    a.state.reply = () => ({ status: 0 });
    createTracker(cfg, a.env).emit('search', { query: 'left behind' });
    await vi.advanceTimersByTimeAsync(1000);
    const id = a.sent[0]!.body.events[0]!.id;
    // the page is gone before the retry (an offline tracker stands in for it: it sends nothing more);
    // the next page load sends the event with the same id
    a.state.online = false;
    const b = memoryEnv({}, { store, outbox });
    createTracker(cfg, b.env);
    // the first page's send lease outlives it by up to its backoff plus 10 s
    await vi.advanceTimersByTimeAsync(15_000);
    expect(b.events().map((e) => e.id)).toContain(id);
  });

  it('beacons the outbox when the page is left, and does not send it again afterwards', async () => {
    const m = memoryEnv();
    const t = createTracker(cfg, m.env);
    t.page();
    t.emit('add_to_cart', { productId: 'p1', price: 10, quantity: 1 });
    t.leave();
    expect(m.sent).toHaveLength(1);
    expect(m.sent[0]!.beacon).toBe(true);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(m.sent).toHaveLength(1);
  });

  it('keeps events the browser refused to beacon for the next send', async () => {
    const m = memoryEnv();
    m.state.beaconAccepts = false;
    const t = createTracker(cfg, m.env);
    t.emit('search', { query: 'a' });
    t.leave();
    await vi.advanceTimersByTimeAsync(1000);
    expect(m.sent.map((r) => r.beacon)).toEqual([false]);
  });

  it('two tabs sharing the outbox never send the same event twice concurrently', async () => {
    const store = memoryStore();
    const outbox = memoryStore();
    const a = memoryEnv({}, { store, outbox });
    const b = memoryEnv({}, { store, outbox });
    let release: () => void = () => {};
    let calls = 0;
    a.state.reply = () => (calls++ ? { status: 202 } : new Promise((r) => (release = () => r({ status: 202 }))));
    const ta = createTracker(cfg, a.env);
    const tb = createTracker(cfg, b.env);
    ta.emit('search', { query: 'from a' });
    await vi.advanceTimersByTimeAsync(1000); // A's request hangs
    tb.emit('search', { query: 'from b' });
    tb.flush();
    await vi.advanceTimersByTimeAsync(1000);
    // B sends its own event, never the one A has in flight
    expect(b.events().map((e) => e.props)).toEqual([{ query: 'from b' }]);
    release();
    await vi.advanceTimersByTimeAsync(0);
    await vi.advanceTimersByTimeAsync(11_000);
    const all = [...a.events(), ...b.events()].map((e) => e.props);
    expect(all).toEqual(expect.arrayContaining([{ query: 'from a' }, { query: 'from b' }]));
    expect(all).toHaveLength(2);
  });
});
