import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { PayloadTooLargeError } from '../errors/query-api-errors.js';

export const DEFAULT_MAX_BODY_BYTES = 128 * 1024;

/**
 * Refuses a body over `maxBytes` with 413 before anything reads it: by its Content-Length at once, or while streaming
 * when it has none (a 100 MB funnel is never parsed). 128 KiB holds the largest valid body many times over.
 */
export function limitRequestBody({ maxBytes = DEFAULT_MAX_BODY_BYTES }: { maxBytes?: number } = {}): MiddlewareHandler {
  return bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new PayloadTooLargeError(`request body larger than ${maxBytes} bytes`);
    },
  });
}
