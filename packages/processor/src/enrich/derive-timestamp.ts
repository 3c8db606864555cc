export interface DerivedTime {
  /** Collector-clock time of the event: received − (sent − device). */
  ts: number;
  /** How far the device clock ran ahead of the collector's (plus transit time): sent − received. */
  clockSkewMs: number;
  inFuture: boolean;
}

/** How far past its own arrival an event may claim to be before it is flagged (not dropped). */
export const DEFAULT_FUTURE_TOLERANCE_MS = 60_000;

/**
 * Device clocks are wrong by minutes to years; the gap between the device's "sent" and the collector's
 * "received" measures that error for the whole batch, so it is subtracted from every event time in it.
 * Events without device times (server-made: email pixels) take the collector's time. A trusted server import
 * (`/v1/import`, origin SERVER: a backfill of past events) states the true time, which is kept as it is.
 */
export function deriveTimestamp(
  deviceTs: number,
  sentAt: number,
  receivedAt: number,
  futureToleranceMs = DEFAULT_FUTURE_TOLERANCE_MS,
  trustedServerClock = false,
): DerivedTime {
  if (!(deviceTs > 0) || !(sentAt > 0)) return { ts: receivedAt, clockSkewMs: 0, inFuture: false };
  if (trustedServerClock) return { ts: deviceTs, clockSkewMs: 0, inFuture: deviceTs > receivedAt + futureToleranceMs };
  const clockSkewMs = sentAt - receivedAt;
  const ts = deviceTs - clockSkewMs;
  return { ts, clockSkewMs, inFuture: ts > receivedAt + futureToleranceMs };
}
