import { TIME_BOUNDS } from '@spoor/events';

/** Why the stored time is not the time the event stated (`events.ts_adjusted`); empty when it is. */
export type TimeAdjustment = '' | 'future' | 'too_old' | 'unreadable';

export interface DerivedTime {
  /** Collector-clock time of the event: received − (sent − device), within [received − max backdate, received + tolerance]. */
  ts: number;
  /** How far the device clock ran ahead of the collector's (plus transit time): sent − received. */
  clockSkewMs: number;
  /** The event claimed a time more than the tolerance after its receipt (it is then stored at the receipt time). */
  inFuture: boolean;
  /** Set when the claimed time was implausible and `ts` is the receipt time instead. */
  adjusted: TimeAdjustment;
}

/** How far past its own arrival an event may claim to be before it is stored at its arrival instead. */
export const DEFAULT_FUTURE_TOLERANCE_MS = TIME_BOUNDS.futureToleranceMs;

export interface TimeBounds {
  futureToleranceMs?: number;
  maxBrowserBackdateMs?: number;
  maxImportBackdateMs?: number;
}

/**
 * Device clocks are wrong by minutes to years; the gap between the device's "sent" and the collector's
 * "received" measures that error for the whole batch, so it is subtracted from every event time in it.
 * Events without device times (server-made: email pixels) take the collector's time. A trusted server import
 * (`/v1/import`, origin SERVER: a backfill of past events) states the true time, which is kept as it is.
 *
 * The result is never outside [received − max backdate, received + future tolerance] (docs/processor.md "Derived
 * time"): a browser event may be as old as the SDK's outbox keeps events, an import as old as a backfill may reach.
 * A time outside — a hostile `sentAt`, a device clock reset between the event and its sending, arithmetic beyond what
 * a date holds — is replaced by the receipt time, the collector's own clock, and `adjusted` says why; the claimed
 * device time stays in `device_ts` and the raw archive.
 */
export function deriveTimestamp(
  deviceTs: number,
  sentAt: number,
  receivedAt: number,
  futureToleranceMs: number = DEFAULT_FUTURE_TOLERANCE_MS,
  trustedServerClock = false,
  bounds: TimeBounds = {},
): DerivedTime {
  if (!(deviceTs > 0) || !(sentAt > 0)) return { ts: receivedAt, clockSkewMs: 0, inFuture: false, adjusted: '' };
  const clockSkewMs = trustedServerClock ? 0 : sentAt - receivedAt;
  const claimed = deviceTs - clockSkewMs;
  if (!Number.isSafeInteger(claimed) || !Number.isSafeInteger(clockSkewMs)) {
    return { ts: receivedAt, clockSkewMs: 0, inFuture: false, adjusted: 'unreadable' };
  }
  if (claimed > receivedAt + futureToleranceMs) return { ts: receivedAt, clockSkewMs, inFuture: true, adjusted: 'future' };
  const maxBackdate = trustedServerClock
    ? (bounds.maxImportBackdateMs ?? TIME_BOUNDS.maxImportBackdateMs)
    : (bounds.maxBrowserBackdateMs ?? TIME_BOUNDS.maxBrowserBackdateMs);
  if (claimed < receivedAt - maxBackdate) return { ts: receivedAt, clockSkewMs, inFuture: false, adjusted: 'too_old' };
  return { ts: claimed, clockSkewMs, inFuture: false, adjusted: '' };
}
