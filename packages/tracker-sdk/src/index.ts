/** ESM entry for bundlers. The `<script async>` build is `dist/spoor.js` (src/snippet.ts). */
export { createApi, type SpoorApi } from './api.js';
export { createBrowserTracker, type BrowserConfig } from './browser.js';
export { guard } from './guard.js';
export { createTracker, type Config, type Plugin, type Tracker } from './tracker.js';
export type { Env, PageContext, Reply, Store, Transport } from './ports.js';
export { memoryStore } from './adapters/memory-store.js';
export { cookieStore, localStore } from './adapters/web-storage.js';
export { fetchTransport } from './adapters/fetch-transport.js';
export { uuid } from './adapters/uuid.js';
export { pageViews } from './plugins/page-views.js';
export { pagePings } from './plugins/page-pings.js';
export { identityToken } from './plugins/identity-token.js';
export { stripUrl, DEFAULT_STRIP_PARAMS } from './strip-url.js';
export { backoffDelay, parseRetryAfter, isRetryable } from './backoff.js';
export { mayTrack, privacySignal, type ConsentMode } from './consent.js';

import { createApi, type SpoorApi } from './api.js';
import { createBrowserTracker, type BrowserConfig } from './browser.js';
import { guard } from './guard.js';

/**
 * The browser tracker for bundlers: the same API as `window.spoor`, every call guarded against
 * throwing. Should the tracker not start (e.g. no secure context), the error goes to `onError` and
 * every call does nothing.
 */
export function spoor(config: BrowserConfig): SpoorApi {
  try {
    const t = createBrowserTracker(config);
    return guard(createApi(t), t.fail);
  } catch (x) {
    config.onError?.(x);
    return new Proxy({} as SpoorApi, { get: () => () => {} });
  }
}
