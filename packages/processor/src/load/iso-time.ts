/**
 * Epoch milliseconds → ISO 8601 text ("2026-11-22T10:18:03.042Z"), as ClickHouse reads DateTime64(3).
 * Rows carry 6–7 timestamps per event, mostly within the same few seconds; formatting each with
 * `new Date(ms).toISOString()` was a measurable share of row building (and of the garbage). The text up to the
 * second is kept per second in a small direct-mapped table, and only the milliseconds are appended.
 */
const SLOTS = 64;
const seconds = new Float64Array(SLOTS).fill(Number.NaN);
const prefixes: string[] = new Array<string>(SLOTS).fill('');

export function isoTime(ms: number): string {
  if (!Number.isSafeInteger(ms) || ms < 0) return new Date(ms).toISOString();
  const second = Math.floor(ms / 1000);
  const slot = second & (SLOTS - 1);
  if (seconds[slot] !== second) {
    const text = new Date(second * 1000).toISOString();
    // Years past 9999 format as "+010000-…": leave those to Date entirely.
    if (text.length !== 24) return new Date(ms).toISOString();
    seconds[slot] = second;
    prefixes[slot] = text.slice(0, 19);
  }
  const millis = ms - second * 1000;
  return `${prefixes[slot]}.${millis < 10 ? '00' : millis < 100 ? '0' : ''}${millis}Z`;
}
