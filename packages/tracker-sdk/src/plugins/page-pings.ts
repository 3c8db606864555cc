import type { Plugin, Tracker } from '../tracker.js';

/**
 * Engagement: a page_ping after every `interval` ms of visible time, and one when the page is
 * hidden, carrying the visible time since the previous ping (counted in whole seconds by a 1 s tick
 * that only counts while the page is visible) and the deepest scroll position reached (percent).
 */
export function pagePings(interval = 15_000): Plugin {
  let visibleMs = 0;
  let maxScroll = 0;
  let t: Tracker;
  const scroll = () => {
    const p = Math.round(((scrollY + innerHeight) / document.documentElement.scrollHeight) * 100);
    maxScroll = Math.max(maxScroll, Math.min(100, p || 0));
  };
  const ping = () => {
    if (visibleMs) t.emit('page_ping', { visibleMs, maxScroll });
    visibleMs = 0;
  };
  return {
    setup(tracker) {
      t = tracker;
      // never calls preventDefault, so the browser need not be told it is passive
      addEventListener('scroll', scroll);
      setInterval(() => document.visibilityState == 'visible' && (visibleMs += 1e3) >= interval && ping(), 1e3);
    },
    page() {
      // a new page starts its own counters
      visibleMs = maxScroll = 0;
      scroll();
    },
    hide: ping,
  };
}
