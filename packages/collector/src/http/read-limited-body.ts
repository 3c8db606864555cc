import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import { CollectorError, invalidParameter } from './collector-error.js';

/**
 * Reads a request body but never more than `maxBytes`: a declared Content-Length over the limit is refused
 * before a single byte is read, and a body without one (chunked) is counted while it streams in and
 * abandoned as soon as it crosses the limit. Either way the client gets a 413 without the collector
 * buffering the oversized body. Under @hono/node-server the Node request stream is read directly (no
 * web-stream Request is built: measurably cheaper per request); elsewhere (app.request) the Request body.
 */
export async function readLimitedBody(c: Context, maxBytes: number): Promise<Uint8Array> {
  const declared = c.req.header('content-length');
  if (declared !== undefined) {
    const length = Number(declared);
    if (!Number.isSafeInteger(length) || length < 0) throw invalidParameter('Content-Length', 'Content-Length: not a byte count');
    if (length > maxBytes) throw tooLarge(maxBytes);
  }
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (incoming && typeof incoming.on === 'function' && !incoming.readableDidRead) return readIncoming(incoming, maxBytes);
  return readWebStream(c.req.raw, maxBytes);
}

function readIncoming(incoming: IncomingMessage, maxBytes: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const cleanup = () => {
      incoming.off('data', onData);
      incoming.off('end', onEnd);
      incoming.off('error', onAbort);
      incoming.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      total += chunk.byteLength;
      if (total > maxBytes) {
        cleanup();
        // Stop pulling from the socket; the 413 goes out with Connection: close.
        incoming.pause();
        reject(tooLarge(maxBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total));
    };
    const onAbort = () => {
      cleanup();
      reject(invalidParameter('body', 'body: the connection closed before the body was complete'));
    };
    const onClose = () => {
      if (!incoming.readableEnded) onAbort();
    };
    incoming.on('data', onData);
    incoming.on('end', onEnd);
    incoming.on('error', onAbort);
    incoming.on('close', onClose);
  });
}

async function readWebStream(request: Request, maxBytes: number): Promise<Uint8Array> {
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
  return new CollectorError('payload_too_large', `body: larger than the limit of ${maxBytes} bytes`, { parameter: 'body' });
}
