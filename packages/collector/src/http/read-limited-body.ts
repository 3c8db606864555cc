import { CollectorError } from './collector-error.js';

/**
 * Reads a request body but never more than `maxBytes`: a declared Content-Length over the limit is refused
 * before a single byte is read, and a body without one (chunked) is counted while it streams in and
 * abandoned as soon as it crosses the limit. Either way the client gets a 413 without the collector
 * buffering the oversized body.
 */
export async function readLimitedBody(request: Request, maxBytes: number): Promise<Uint8Array> {
  const declared = request.headers.get('content-length');
  if (declared !== null) {
    const length = Number(declared);
    if (!Number.isSafeInteger(length) || length < 0) throw new CollectorError('bad_request', 'Content-Length: not a byte count');
    if (length > maxBytes) throw tooLarge(maxBytes);
  }
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0]!;
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

function tooLarge(maxBytes: number): CollectorError {
  return new CollectorError('payload_too_large', `body: larger than the limit of ${maxBytes} bytes`);
}
