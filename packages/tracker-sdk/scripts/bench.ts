// `npm run bench -w @spoor/tracker-sdk`: what one tracked event costs the host page's main thread.
// The SDK path: build the event (ids, session, URL stripping), append it to the outbox (in memory here;
// localStorage in a browser), and send a batch of 10 to a transport that answers 202 at once.
// The ceiling: the least any tracker must do per event — create the same object and JSON.stringify it.
import { gzipSync } from 'node:zlib';
import { createTracker } from '../src/tracker.js';
import { memoryEnv } from '../test-support/memory-env.js';
import { buildBundle } from './build.js';

const N = 20_000;
const props = { productId: 'boots-01', name: 'Trail boots', category: 'Shoes', price: 129, currency: 'EUR', quantity: 1 };

async function sdk(): Promise<number> {
  const m = memoryEnv();
  m.state.url = 'https://shop.example/product/boots-01?utm_source=news&email=a@b.example';
  const t = createTracker({ writeKey: 'wk_bench', collector: 'https://c.example', flushInterval: 60_000 }, m.env);
  const start = performance.now();
  for (let i = 0; i < N; i++) {
    t.emit('add_to_cart', props);
    // every 10th event sends a batch; let the (immediate) answer arrive before the next batch
    if (i % 10 == 9) for (let k = 0; k < 4; k++) await Promise.resolve();
  }
  const ms = performance.now() - start;
  if (m.events().length != N) throw new Error(`bench: ${m.events().length} of ${N} events sent`);
  return (N / ms) * 1000;
}

function ceiling(): number {
  const out: string[] = [];
  const start = performance.now();
  for (let i = 0; i < N; i++) {
    out.push(JSON.stringify({ id: crypto.randomUUID(), ts: Date.now(), type: 'add_to_cart', anonymousId: 'a', sessionId: 's', url: 'https://shop.example/product/boots-01', props }));
    if (out.length == 10) out.length = 0;
  }
  return (N / (performance.now() - start)) * 1000;
}

const js = await buildBundle();
// warm-up, then the measured runs (best of 3: the machine is shared)
await sdk();
ceiling();
const sdkRate = Math.max(await sdk(), await sdk(), await sdk());
const ceilRate = Math.max(ceiling(), ceiling(), ceiling());
console.log(`dist/spoor.js: ${js.length} bytes minified, ${gzipSync(js, { level: 9 }).length} bytes gzipped (budget 3072)`);
console.log(`SDK emit → outbox → batch → 202: ${Math.round(sdkRate)} events/s (${(1e6 / sdkRate).toFixed(0)} µs per event)`);
console.log(`ceiling (build + JSON.stringify only): ${Math.round(ceilRate)} events/s`);
console.log(`ratio: ${(sdkRate / ceilRate).toFixed(2)}`);
// the tracker's flush timer would keep the process alive
process.exit(0);
