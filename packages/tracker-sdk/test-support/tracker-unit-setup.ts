import { afterEach, beforeEach, vi } from 'vitest';
import type { Config } from '../src/tracker.js';

/** The site every unit test of the tracker runs as. */
export const TEST_CONFIG: Config = { writeKey: 'wk_test', collector: 'https://c.example/' };

/** Fake timers fixed at one instant for every test of the calling file, so ids, sessions and flushes are deterministic. */
export function useFixedClock(at = '2026-11-22T10:00:00Z'): void {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date(at));
  });
  afterEach(() => vi.useRealTimers());
}
