import { memoryStore } from './adapters/memory-store.js';
import { fetchTransport } from './adapters/fetch-transport.js';
import { uuid } from './adapters/uuid.js';
import { cookieStore, localStore } from './adapters/web-storage.js';
import { privacySignal } from './consent.js';
import { identityToken } from './plugins/identity-token.js';
import { pagePings } from './plugins/page-pings.js';
import { pageViews } from './plugins/page-views.js';
import type { Env } from './ports.js';
import { createTracker, type Config, type Plugin, type Tracker } from './tracker.js';

export interface BrowserConfig extends Config {
  /** page_view on load and on SPA navigations (default true). */
  autoPageview?: boolean;
  /** Count fragment (#…) changes as navigations (default false). */
  hash?: boolean;
  /** page_ping period in ms; 0 disables engagement pings (default 15000). */
  pingInterval?: number;
  /** Extra plugins, run after the built-in ones. */
  plugins?: Plugin[];
}

/** Wires the browser adapters, plugins and page lifecycle to the core. */
export function createBrowserTracker(cfg: BrowserConfig): Tracker {
  const nav = navigator as Navigator & { globalPrivacyControl?: boolean };
  const persistent = !cfg.cookieless;
  const env: Env = {
    store: persistent ? localStore(cookieStore) : memoryStore(),
    outbox: persistent ? localStore() : memoryStore(),
    transport: fetchTransport(),
    page: { url: () => location.href, title: () => document.title, referrer: () => document.referrer },
    now: Date.now,
    uuid,
    online: () => nav.onLine,
    blocked: () => privacySignal(nav, cfg.respectDnt, cfg.respectGpc),
  };
  const plugins: Plugin[] = [identityToken()];
  if (cfg.autoPageview !== false) plugins.push(pageViews(cfg.hash));
  if (cfg.pingInterval !== 0) plugins.push(pagePings(cfg.pingInterval));
  const t = createTracker(cfg, env, plugins.concat(cfg.plugins || []));
  addEventListener('pagehide', t.leave);
  document.addEventListener('visibilitychange', () => document.visibilityState == 'hidden' && t.leave());
  addEventListener('online', () => t.flush());
  return t;
}
