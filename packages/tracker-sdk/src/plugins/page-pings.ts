import type { Plugin } from '../tracker.js';

/**
 * Engagement: a page_ping every `interval` ms while the page is visible, and one when it is hidden,
 * carrying the visible time since the previous ping and the deepest scroll position reached (percent).
 * No ping is sent for a period without visible time.
 */
export function pagePings(interval = 15_000): Plugin {
  let visibleMs = 0;
  let since = 0;
  let maxScroll = 0;
  let tracker: Parameters<NonNullable<Plugin['setup']>>[0] | undefined;
  const visible = () => document.visibilityState == 'visible';
  const scroll = () => {
    const d = document.documentElement;
    const p = Math.round(((scrollY + innerHeight) / Math.max(d.scrollHeight, 1)) * 100);
    maxScroll = Math.max(maxScroll, Math.min(100, p));
  };
  const tick = () => {
    const t = Date.now();
    if (since) visibleMs += t - since;
    since = visible() ? t : 0;
  };
  const ping = () => {
    tick();
    const ms = Math.min(visibleMs, 864e5);
    visibleMs = 0;
    if (ms > 0 && tracker) tracker.emit('page_ping', { visibleMs: ms, maxScroll });
  };
  return {
    setup(t) {
      tracker = t;
      addEventListener('scroll', scroll, { passive: true });
      document.addEventListener('visibilitychange', () => visible() && tick());
      setInterval(() => visible() && ping(), interval);
    },
    page() {
      // a new page starts its own counters
      visibleMs = 0;
      maxScroll = 0;
      since = visible() ? Date.now() : 0;
      scroll();
    },
    hide: ping,
  };
}
