import { describe, expect, it } from 'vitest';
import { mayTrack, privacySignal } from './consent.js';

describe('mayTrack', () => {
  it('opt-in tracks only after consent was granted', () => {
    expect(mayTrack('opt-in', null, false)).toBe(false);
    expect(mayTrack('opt-in', '0', false)).toBe(false);
    expect(mayTrack('opt-in', '1', false)).toBe(true);
  });
  it('opt-out (the default) tracks until declined', () => {
    expect(mayTrack(undefined, null, false)).toBe(true);
    expect(mayTrack('opt-out', '0', false)).toBe(false);
  });
  it('a honoured privacy signal blocks even granted consent', () => {
    expect(mayTrack('opt-out', '1', true)).toBe(false);
  });
});

describe('privacySignal', () => {
  it('honours DNT only when configured', () => {
    expect(privacySignal({ doNotTrack: '1' }, false, false)).toBe(false);
    expect(privacySignal({ doNotTrack: '1' })).toBe(false);
    expect(privacySignal({ doNotTrack: '1' }, true, false)).toBe(true);
  });

  it('honours GPC by default; only an explicit respectGpc: false turns it off', () => {
    expect(privacySignal({ globalPrivacyControl: true })).toBe(true);
    expect(privacySignal({ globalPrivacyControl: true }, undefined, undefined)).toBe(true);
    expect(privacySignal({ globalPrivacyControl: true }, false, true)).toBe(true);
    expect(privacySignal({ globalPrivacyControl: true }, false, false)).toBe(false);
    expect(privacySignal({ doNotTrack: '0', globalPrivacyControl: false }, true, true)).toBe(false);
    expect(privacySignal({})).toBe(false);
  });
});
