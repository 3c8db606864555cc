import type { Plugin, Tracker } from '../tracker.js';

/**
 * page_view on load and on single-page-app navigations: history.pushState / replaceState, popstate,
 * and, with `hash`, fragment changes. A navigation that leaves the path and query unchanged (for
 * example a replaceState that only updates state) is not a new page.
 */
export function pageViews(hash?: boolean): Plugin {
  let seen = '';
  let t: Tracker;
  // the address without its fragment, unless fragments count
  const key = (h = location.href) => (hash ? h : h.split('#')[0]!);
  const page = () => ((seen = key()), t.page());
  const check = () => key() != seen && page();
  return {
    setup(tracker) {
      t = tracker;
      const h = history as unknown as Record<string, (...a: unknown[]) => unknown>;
      ['pushState', 'replaceState'].forEach((m) => {
        const orig = h[m]!;
        h[m] = function (this: unknown, ...a: unknown[]) {
          const r = orig.apply(this, a);
          // the tracker never throws, so neither does the host's navigation
          check();
          return r;
        };
      });
      addEventListener('popstate', check);
      if (hash) addEventListener('hashchange', check);
    },
    start: page,
  };
}
