import { describe, expect, it, vi } from 'vitest';
import { createApi } from './api.js';
import { createTracker } from './tracker.js';
import { memoryEnv } from '../test-support/memory-env.js';
import { TEST_CONFIG, useFixedClock } from '../test-support/tracker-unit-setup.js';

const cfg = TEST_CONFIG;

useFixedClock();

describe('privacy', () => {
  it('opt-in: nothing stored or sent before consent; the current page is counted once granted', async () => {
    const m = memoryEnv();
    m.state.referrer = 'https://search.example/';
    const pageOnStart = { start: () => t.page() };
    const t = createTracker({ ...cfg, consent: 'opt-in' }, m.env, [pageOnStart]);
    t.page();
    t.emit('search', { query: 'a' });
    t.identify('c1');
    await vi.advanceTimersByTimeAsync(5000);
    expect(m.sent).toHaveLength(0);
    for (const k of ['a', 's', 'u', 'c']) expect(m.env.store.get('spoor_' + k)).toBeNull();
    expect(m.env.outbox.get('spoor_o')).toBeNull();
    t.consent(true);
    await vi.advanceTimersByTimeAsync(1000);
    expect(m.events().map((e) => e.type)).toEqual(['page_view']);
    expect(m.events()[0]!.referrer).toBe('https://search.example/');
    expect(m.env.store.get('spoor_c')).toBe('1');
  });

  it('opt-out: declining stops tracking and deletes ids, session and outbox', async () => {
    const m = memoryEnv();
    m.state.online = false;
    const t = createTracker(cfg, m.env);
    t.emit('search', { query: 'a' });
    t.identify('c1');
    t.consent(false);
    t.emit('search', { query: 'b' });
    m.state.online = true;
    t.flush();
    await vi.advanceTimersByTimeAsync(5000);
    expect(m.sent).toHaveLength(0);
    for (const k of ['a', 's', 'u']) expect(m.env.store.get('spoor_' + k)).toBeNull();
    expect(m.env.outbox.get('spoor_o')).toBeNull();
    // the decision is remembered by the next page load
    expect(createTracker(cfg, memoryEnv({}, { store: m.env.store }).env)).toBeDefined();
    const again = memoryEnv({}, { store: m.env.store });
    createTracker(cfg, again.env).emit('search', { query: 'c' });
    await vi.advanceTimersByTimeAsync(5000);
    expect(again.sent).toHaveLength(0);
  });

  it('a honoured privacy signal (GPC / DNT) sends nothing, even with consent', async () => {
    const m = memoryEnv();
    m.state.blocked = true;
    const t = createTracker(cfg, m.env);
    t.page();
    t.consent(true);
    t.emit('search', { query: 'a' });
    await vi.advanceTimersByTimeAsync(5000);
    expect(m.sent).toHaveLength(0);
    expect(m.env.outbox.get('spoor_o')).toBeNull();
  });
});

describe('robustness', () => {
  it('a throwing onError and a throwing plugin never reach the caller', async () => {
    const m = memoryEnv();
    m.state.reply = () => ({ status: 400 });
    const t = createTracker(
      {
        ...cfg,
        onError: () => {
          throw new Error('host bug');
        },
      },
      m.env,
    );
    const api = createApi(t);
    expect(() => api.search('x')).not.toThrow();
    await vi.advanceTimersByTimeAsync(2000);
    expect(m.sent).toHaveLength(1);
  });

  it('a plugin can change or drop events', async () => {
    const m = memoryEnv();
    const t = createTracker(cfg, m.env, [{ event: (e) => e.type != 'search' && void (e.title = 'changed') }]);
    t.emit('search', { query: 'a' });
    t.page();
    await vi.advanceTimersByTimeAsync(1000);
    expect(m.events().map((e) => [e.type, e.title])).toEqual([['page_view', 'changed']]);
  });
});
