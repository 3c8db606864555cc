import { CollectorError } from '../http/collector-error.js';
import type { CollectorMetrics } from '../ops/collector-metrics.js';
import type { RateDecision } from './rate-limits.js';

const MESSAGES = { ip: 'too many requests from this address', site: 'too many events for this site' } as const;

/** Turns a refused rate-limit decision into the 429 (with Retry-After) and counts it. */
export function refuseIfLimited(metrics: CollectorMetrics, decision: RateDecision, limit: 'ip' | 'site'): void {
  if (decision.allowed) return;
  metrics.rateLimited.inc({ limit });
  throw new CollectorError('rate_limited', MESSAGES[limit], { retryAfterSeconds: decision.retryAfterSeconds });
}
