import type { ClientEvent } from '@spoor/events';
import { describe, expect, it } from 'vitest';
import { memoryStore } from './adapters/memory-store.js';
import { createOutbox } from './outbox.js';

const T0 = 1_763_800_000_000;
const ev = (id: string, ts = T0, pad = ''): ClientEvent =>
  ({ id, ts, type: 'page_view', anonymousId: 'a', sessionId: 's', url: 'https://s.example/' + pad, props: {} });

describe('outbox', () => {
  it('persists events in the store so a new page (a new outbox over the same store) sees them', () => {
    const store = memoryStore();
    createOutbox(store, 'o', 1e5, 1e9, () => T0).add(ev('1'));
    const again = createOutbox(store, 'o', 1e5, 1e9, () => T0);
    expect(again.all().map((e) => e.id)).toEqual(['1']);
    again.drop(['1']);
    expect(store.get('o')).toBeNull();
  });

  it('drops events older than the age cap', () => {
    let now = T0;
    const box = createOutbox(memoryStore(), 'o', 1e5, 60_000, () => now);
    box.add(ev('old', T0));
    box.add(ev('new', T0 + 30_000));
    now = T0 + 60_000;
    expect(box.all().map((e) => e.id)).toEqual(['new']);
  });

  it('drops the oldest events first when over the byte cap', () => {
    const store = memoryStore();
    const box = createOutbox(store, 'o', 1000, 1e9, () => T0);
    for (let i = 0; i < 10; i++) box.add(ev(String(i), T0, 'x'.repeat(100)));
    const ids = box.all().map((e) => e.id);
    expect(ids.at(-1)).toBe('9');
    expect(ids[0]).not.toBe('0');
    expect(store.get('o')!.length).toBeLessThanOrEqual(1000);
  });

  it('survives a corrupt stored value', () => {
    const store = memoryStore();
    store.set('o', '{not json');
    const box = createOutbox(store, 'o', 1e5, 1e9, () => T0);
    expect(box.all()).toEqual([]);
    expect(box.add(ev('1')).length).toBe(1);
  });
});
