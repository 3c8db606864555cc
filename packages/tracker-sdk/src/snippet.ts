import { createApi, type SpoorApi } from './api.js';
import { createBrowserTracker, type BrowserConfig } from './browser.js';

/**
 * The `<script async>` entry. The snippet defines `window.spoor` as a function that queues its
 * arguments in `spoor.q` until this script has loaded; the queue is replayed here in order (the
 * snippet's first call is `init`) and `window.spoor` becomes the real command function. Every command runs inside try/catch:
 * an error goes to the configured onError, never into the page.
 */
const w = window as unknown as { spoor?: { q?: ArrayLike<unknown>[] } };
const queued = Array.from(w.spoor?.q || [], (a) => [...(a as unknown[])]);
// the API spreads the tracker, so it carries the tracker's fail() too
let api: (SpoorApi & { fail?(x: unknown): void }) | undefined;

const spoor = (name: unknown, ...args: unknown[]) => {
  try {
    if (name == 'init') {
      api ||= createApi(createBrowserTracker(args[0] as BrowserConfig));
    } else (api?.[name as keyof SpoorApi] as (...a: unknown[]) => void)(...args);
  } catch (x) {
    api?.fail?.(x);
  }
};
w.spoor = spoor as never;
queued.forEach((c) => spoor(...(c as [unknown])));
