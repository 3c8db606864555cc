import { describe, expect, it } from 'vitest';
import { campaignKey, touchSession } from './session.js';

let n = 0;
const uuid = () => `s${++n}`;
const MIN = 60_000;

describe('campaignKey', () => {
  it('is empty without campaign parameters', () => {
    expect(campaignKey('https://s.example/p?q=1')).toBe('');
  });
  it('changes with UTM values and click ids', () => {
    const a = campaignKey('https://s.example/?utm_source=news&utm_campaign=nov');
    const b = campaignKey('https://s.example/?utm_source=news&utm_campaign=dec');
    const c = campaignKey('https://s.example/?gclid=abc');
    expect(a).not.toBe('');
    expect(new Set([a, b, c]).size).toBe(3);
  });
});

describe('touchSession', () => {
  it('starts visit 1, keeps the session while active, and starts visit 2 after 30 idle minutes', () => {
    const t0 = 1_763_800_000_000;
    const s1 = touchSession(null, t0, '', uuid, 30 * MIN);
    expect(s1).toMatchObject({ v: 1, t: t0 });
    const s2 = touchSession(s1, t0 + 29 * MIN, '', uuid, 30 * MIN);
    expect(s2.i).toBe(s1.i);
    const s3 = touchSession(s2, t0 + 29 * MIN + 30 * MIN, '', uuid, 30 * MIN);
    expect(s3.i).toBe(s1.i);
    const s4 = touchSession(s3, s3.t + 30 * MIN + 1, '', uuid, 30 * MIN);
    expect(s4.i).not.toBe(s1.i);
    expect(s4.v).toBe(2);
  });

  it('starts a new session when a different campaign arrives, not when the campaign disappears', () => {
    const t0 = 1_763_800_000_000;
    const s1 = touchSession(null, t0, 'news', uuid, 30 * MIN);
    expect(touchSession(s1, t0 + MIN, '', uuid, 30 * MIN).i).toBe(s1.i);
    expect(touchSession(s1, t0 + MIN, 'news', uuid, 30 * MIN).i).toBe(s1.i);
    const s2 = touchSession(s1, t0 + MIN, 'ads', uuid, 30 * MIN);
    expect(s2.i).not.toBe(s1.i);
    expect(s2).toMatchObject({ v: 2, c: 'ads' });
  });
});
