import { validateEnvelope, validateEvent, type ClientEvent } from '@spoor/events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request that reached the receiver. */
export interface Received {
  at: number;
  contentType: string;
  /** Sec-Fetch-Mode: `no-cors` for navigator.sendBeacon with a text/plain body, `cors` for fetch. */
  mode: string;
  /** Indexes the receiver reported as invalid (contract violations). */
  rejected: { index: number; error: string }[];
  /** The `key` query parameter. */
  key: string | null;
  status: number;
  body: { writeKey?: string; sentAt: number; events: ClientEvent[] };
}

/** How to answer the next request: a status (and Retry-After seconds), or `drop` to cut the connection. */
export type Answer = { status: number; retryAfter?: number } | 'drop';

export interface Receiver {
  /** Collector base URL for the SDK's `collector` option. */
  url: string;
  requests: Received[];
  /** Events of the requests answered 2xx, in arrival order. */
  accepted(): ClientEvent[];
  /** Every event that arrived, whatever the answer (duplicates included). */
  arrived(): ClientEvent[];
  /** Answers for the next requests, used in order; afterwards requests get 202. */
  answers: Answer[];
  close(): Promise<void>;
}

/**
 * A stand-in for the collector's `POST /v1/events` (until the real collector is on main): it speaks
 * the same contract (CORS simple requests, text/plain or JSON bodies, `key` query parameter, 202 with
 * `{accepted, rejected}`), validates every event with @spoor/events, and can be told to fail.
 */
export async function startReceiver(): Promise<Receiver> {
  const requests: Received[] = [];
  const answers: Answer[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    res.setHeader('access-control-allow-origin', req.headers.origin ?? '*');
    res.setHeader('access-control-allow-credentials', 'true');
    res.setHeader('access-control-expose-headers', 'Retry-After');
    if (req.method == 'OPTIONS') {
      res.writeHead(204, { 'access-control-allow-methods': 'POST', 'access-control-allow-headers': 'content-type' }).end();
      return;
    }
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.method != 'POST' || url.pathname != '/v1/events') {
      res.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const answer = answers.shift() ?? { status: 202 };
      if (answer == 'drop') {
        req.socket.destroy();
        return;
      }
      let body: Received['body'];
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"malformed JSON"}');
        return;
      }
      const received: Received = {
        at: Date.now(),
        contentType: req.headers['content-type'] ?? '',
        mode: String(req.headers['sec-fetch-mode'] ?? ''),
        rejected: [],
        key: url.searchParams.get('key'),
        status: answer.status,
        body,
      };
      requests.push(received);
      if (answer.status != 202) {
        res.writeHead(answer.status, answer.retryAfter != null ? { 'retry-after': String(answer.retryAfter) } : {}).end();
        return;
      }
      const envelope = validateEnvelope(body);
      if (!envelope.ok) {
        res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: envelope.error }));
        return;
      }
      const rejected = (received.rejected = envelope.value.events.flatMap((e, index) => {
        const v = validateEvent(e);
        return v.ok ? [] : [{ index, error: v.error }];
      }));
      res.writeHead(202, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ accepted: envelope.value.events.length - rejected.length, rejected }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    answers,
    accepted: () => requests.filter((r) => r.status >= 200 && r.status < 300).flatMap((r) => r.body.events),
    arrived: () => requests.flatMap((r) => r.body.events),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
