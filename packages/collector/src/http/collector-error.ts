/**
 * Every failure the collector answers on purpose. Routes throw these; one onError maps them to HTTP,
 * so a status code is decided in exactly one place and anything else is a genuine 500 (our bug).
 */
export type CollectorErrorCode =
  | 'bad_request'
  | 'unknown_write_key'
  | 'unknown_api_key'
  | 'site_not_allowed'
  | 'origin_not_allowed'
  | 'payload_too_large'
  | 'too_many_events'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'log_unavailable'
  | 'sites_unavailable'
  | 'shutting_down';

const STATUS: Record<CollectorErrorCode, 400 | 401 | 403 | 413 | 415 | 429 | 503> = {
  bad_request: 400,
  unknown_write_key: 401,
  unknown_api_key: 401,
  site_not_allowed: 403,
  origin_not_allowed: 403,
  payload_too_large: 413,
  too_many_events: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  log_unavailable: 503,
  sites_unavailable: 503,
  shutting_down: 503,
};

export class CollectorError extends Error {
  readonly status: 400 | 401 | 403 | 413 | 415 | 429 | 503;

  constructor(
    readonly code: CollectorErrorCode,
    message: string,
    /** Seconds the client should wait before retrying (Retry-After); only for 429 and 503. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'CollectorError';
    this.status = STATUS[code];
  }
}
