import { describe, expect, it } from 'vitest';
import { isoTime } from './iso-time.js';

describe('isoTime', () => {
  it('formats exactly like Date#toISOString, whatever order seconds come in', () => {
    const samples = [0, 1, 999, 1000, 1_763_800_000_000, 1_763_800_000_007, 1_763_800_000_042, 1_763_800_000_999, 1_763_800_001_000, 253_402_300_799_999];
    for (let n = 0; n < 2000; n++) samples.push(1_763_800_000_000 + ((n * 7919) % 200_000) * 37);
    for (const ms of [...samples, ...samples.reverse()]) expect(isoTime(ms)).toBe(new Date(ms).toISOString());
  });

  it('falls back to Date for what the table does not handle (before 1970, past 9999), and throws where Date throws', () => {
    for (const ms of [-1, -86_400_001, 253_402_300_800_000]) expect(isoTime(ms)).toBe(new Date(ms).toISOString());
    expect(() => isoTime(Number.NaN)).toThrow(RangeError);
  });
});
