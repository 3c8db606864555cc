import type { DemoEvent } from './generate-traffic.js';

export interface DeliveryOptions {
  /** Base URL of a running Spoor (its collector routes). */
  url: string;
  siteId: string;
  /** Secret API key allowed to write to the site (POST /v1/import). */
  apiKey: string;
  events: readonly DemoEvent[];
  batchSize?: number;
  concurrency?: number;
  /** Attempts per batch before giving up; a restarting server answers after a while. */
  attempts?: number;
  /** Called with each batch the collector acknowledged (202). */
  onAcknowledged?: (batch: readonly DemoEvent[], accepted: number) => void;
  fetch?: typeof fetch;
}

export interface DeliveryReport {
  accepted: number;
  rejected: Array<{ eventId: string; error: string }>;
}

export class DeliveryError extends Error {}

/**
 * Sends events through the real collector's import endpoint in batches, a few requests at a time. A batch is
 * retried with backoff on network errors, 429 and 5xx (honouring Retry-After): the event ids stay the same, so a
 * batch that was stored but whose answer got lost is deduplicated downstream, never counted twice.
 */
export async function deliverTraffic(options: DeliveryOptions): Promise<DeliveryReport> {
  const batchSize = options.batchSize ?? 200;
  const batches: DemoEvent[][] = [];
  for (let i = 0; i < options.events.length; i += batchSize) batches.push(options.events.slice(i, i + batchSize));
  const report: DeliveryReport = { accepted: 0, rejected: [] };
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      const batch = batches[next++]!;
      const answer = await sendWithRetry(options, batch);
      report.accepted += answer.accepted;
      for (const r of answer.rejected) report.rejected.push({ eventId: batch[r.index]?.id ?? '?', error: r.error });
      options.onAcknowledged?.(batch, answer.accepted);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 4 }, worker));
  return report;
}

type Answer = { accepted: number; rejected: Array<{ index: number; error: string }> };

async function sendWithRetry(options: DeliveryOptions, batch: readonly DemoEvent[]): Promise<Answer> {
  const doFetch = options.fetch ?? fetch;
  const attempts = options.attempts ?? 12;
  let lastProblem = '';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    let waitMs = Math.min(200 * 2 ** attempt, 10_000);
    try {
      const res = await doFetch(`${options.url}/v1/import?site=${encodeURIComponent(options.siteId)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${options.apiKey}` },
        body: JSON.stringify({ sentAt: Date.now(), events: batch }),
        signal: AbortSignal.timeout(30_000),
      });
      if (res.status === 202) return (await res.json()) as Answer;
      const text = await res.text();
      lastProblem = `${res.status} ${text.slice(0, 300)}`;
      if (res.status !== 429 && res.status < 500) throw new DeliveryError(`the collector refused the demo traffic: ${lastProblem}`);
      const retryAfter = Number(res.headers.get('retry-after'));
      if (retryAfter > 0) waitMs = retryAfter * 1000;
    } catch (err) {
      if (err instanceof DeliveryError) throw err;
      lastProblem = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, waitMs));
  }
  throw new DeliveryError(`gave up on a batch after ${attempts} attempts: ${lastProblem}`);
}
