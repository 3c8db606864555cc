import type { ClientEvent, EventProps, EventType } from '@spoor/events';
import { MAX_TEXT_LENGTH, MAX_URL_LENGTH, TRANSPORT_BUDGET } from './limits.js';
import { backoffDelay, isRetryable } from './backoff.js';
import { byteSize, envelope, firstBatch } from './batch.js';
import { mayTrack, type ConsentMode } from './consent.js';
import { takeLease } from './lease.js';
import { createOutbox, parseJson } from './outbox.js';
import type { Env } from './ports.js';
import { campaignKey, touchSession, type Session } from './session.js';
import { DEFAULT_STRIP_PARAMS, stripUrl } from './strip-url.js';

export interface Config {
  /** The site's public write key. */
  writeKey: string;
  /** Base URL of the collector, e.g. `https://collect.shop.example`. */
  collector: string;
  /** `opt-out` (default): track until `consent(false)`. `opt-in`: nothing stored or sent before `consent(true)`. */
  consent?: ConsentMode;
  /** Honour the browser's Do-Not-Track setting, `navigator.doNotTrack == '1'` (default false: DNT has no legal force). */
  respectDnt?: boolean;
  /** Honour Global Privacy Control, `navigator.globalPrivacyControl` (default true: a legal opt-out under CCPA). */
  respectGpc?: boolean;
  /** Keep ids, session and outbox in memory only: no cookie, no localStorage (default false). */
  cookieless?: boolean;
  /** Extra query parameters (lowercase; matched case-insensitively) to remove from URLs and referrers, added to email, token and spoor_it. */
  stripParams?: string[];
  /** Send when this many events wait (default 10). */
  batchSize?: number;
  /** Send waiting events after this many ms (default 1000). */
  flushInterval?: number;
  /** Receives every error instead of the host page (for a batch the collector refused: its HTTP status). */
  onError?: (error: unknown) => void;
}

/** A plugin is a plain object with optional hooks. */
export interface Plugin {
  /** Called once when the tracker is created. Every hook receives the tracker. */
  setup?(tracker: Tracker): void;
  /** Tracking became allowed (at creation, or when consent is granted). */
  start?(tracker: Tracker): void;
  /** A page view is about to be recorded. */
  page?(tracker: Tracker): void;
  /** The page is being hidden or left: last chance to add events before the beacon. */
  hide?(tracker: Tracker): void;
  /** Sees every event before it is queued; may change it in place, or return false to drop it. */
  event?(e: ClientEvent): boolean | void;
}

export interface Tracker {
  emit<T extends EventType>(type: T, props: EventProps<T>): void;
  page(): void;
  identify(customerId: string, traits?: Record<string, string | number | boolean | null>): void;
  reset(): void;
  consent(granted: boolean): void;
  /** Send what waits now; `beacon` uses sendBeacon (for a page that is going away). */
  flush(beacon?: boolean): void;
  /** The page is hidden or unloading: run the plugins' hide hooks, then beacon the outbox. */
  leave(): void;
  /** Reports an error to `onError`; never throws. */
  fail(error: unknown): void;
}

const K = 'spoor_';
const LEASE_MS = 10_000;
/** Send when the waiting events reach this size, well before the 64 KiB a request may carry. */
const BATCH_BYTES = 16_000;

export function createTracker(cfg: Config, env: Env, plugins: Plugin[] = []): Tracker {
  const { store, transport, page: pg, now, uuid } = env;
  const strip = DEFAULT_STRIP_PARAMS.concat(cfg.stripParams || []);
  const clean = (u: string) => stripUrl(u, strip).slice(0, MAX_URL_LENGTH);
  const endpoint = cfg.collector.replace(/\/+$/, '') + '/v1/events?key=' + encodeURIComponent(cfg.writeKey);
  // capped at 200 000 characters (localStorage holds about 5 million) and 7 days
  const box = createOutbox(env.outbox, K + 'o', 2e5, 6048e5, now);
  const tab = uuid();
  const lease = (ms: number, t = now()) => takeLease(env.outbox, K + 'l', tab, t, ms);
  const release = () => lease(0, 0);
  let on = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  // when the timer fires; 0: no timer
  let timerAt = 0;
  let attempt = 0;
  let until = 0;
  // ids of the events in the request now in flight (none: no request in flight)
  let flying: string[] = [];
  // the events this tab recorded and the collector has not acknowledged: only this tab sends them while it lives
  // (pruned as they are delivered, so a long-lived tab does not accumulate them). Kept here, not only in the outbox:
  // two tabs rewriting the shared outbox at once can each drop the other's latest event from it (localStorage has
  // no compare-and-set), and the tab that recorded it still sends it
  const mine = new Map<string, ClientEvent>();
  let ref: string | undefined;
  let last: string | undefined;

  const fail = (x: unknown) => {
    try {
      cfg.onError?.(x);
    } catch {
      // the host's error handler must not break tracking either
    }
  };
  // a failing plugin is reported and skipped, it never stops the tracker or the other plugins
  const each = (hook: 'setup' | 'start' | 'page' | 'hide') =>
    plugins.forEach((p) => {
      try {
        p[hook]?.(tracker);
      } catch (x) {
        fail(x);
      }
    });
  const forget = () => ['u', 'a', 's'].forEach((k) => store.del(K + k));
  const interval = cfg.flushInterval || 1e3;
  // events of another tab (or an earlier page) older than this are orphans: that tab would have sent them
  const orphanAge = interval + LEASE_MS;
  // one timer, for the earliest moment anything asked to send
  const later = (ms: number, at = now() + ms) => {
    if (!timerAt || at < timerAt) {
      clearTimeout(timer);
      timerAt = at;
      timer = setTimeout(() => ((timerAt = 0), send()), ms);
    }
  };
  const ids = (list: ClientEvent[]) => list.map((e) => e.id);
  const drop = (sent: string[]) => {
    box.drop(sent);
    sent.forEach((id) => mine.delete(id));
  };
  // the envelope around the events: the same size for every sentAt of this century
  const overhead = byteSize(envelope(cfg.writeKey, now(), []));

  function send(beacon?: boolean): void {
    try {
      if (!on || (!beacon && flying[0]) || !env.online()) return;
      // a beacon is the page's last chance, it does not wait for a backoff
      const wait = beacon ? 0 : until - now();
      if (wait > 0) return later(wait);
      // Tabs share the outbox but not its events: each tab sends those it recorded, so two tabs never
      // send the same event at once (localStorage is not a lock across processes). Orphans are adopted
      // by the one tab that holds the send lease; should two tabs still both send one, the processor
      // drops the copy by its event id.
      const adopt = !lease(LEASE_MS);
      // a fetch sends the first batch and continues when it is answered; a beacon sends them all now
      for (
        let list = [...mine.values(), ...box.all().filter((e) => !mine.has(e.id) && adopt && now() - e.ts >= orphanAge)].filter((e) => !flying.includes(e.id)), n;
        (n = firstBatch(list, overhead));
        list = list.slice(n)
      ) {
        const b = list.slice(0, n);
        const body = envelope(cfg.writeKey, now(), b);
        const fits = byteSize(body) <= TRANSPORT_BUDGET;
        if (!beacon) {
          flying = ids(b);
          return void transport.post(endpoint, body, fits).then(
            (r) => done(r.status, r.retryAfter),
            (x) => (fail(x), done(0)),
          );
        }
        // a lone oversized event stays in the outbox for the next page's fetch
        if (fits && transport.beacon(endpoint, body)) drop(ids(b));
      }
      release();
    } catch (x) {
      flying = [];
      fail(x);
    }
  }

  function done(s: number, retryAfter?: number): void {
    const sent = flying;
    flying = [];
    if ((s > 199 && s < 300) || !isRetryable(s)) {
      // 2xx: stored, except the events its `rejected` list names, which are permanently invalid (the
      // collector keeps them in its dead-letter topic); another 4xx: the batch can never be delivered
      drop(sent);
      attempt = 0;
      if (s > 299) fail(s);
      release();
      // the rest follows after the batching interval, not in a burst of small requests
      later(interval);
    } else {
      const d = backoffDelay(attempt++, Math.random(), retryAfter);
      until = now() + d;
      // keep the lease through the wait so other tabs honour the backoff too
      lease(d + LEASE_MS);
      later(d);
    }
  }

  function emit<T extends EventType>(type: T, props: EventProps<T>): void {
    if (on)
      try {
        build(type, props);
      } catch (x) {
        // e.g. props that JSON cannot represent: reported, never thrown into the page
        fail(x);
      }
  }

  function build(type: EventType, props: unknown): void {
    const t = now();
    const href = pg.url();
    const s = touchSession(parseJson<Session>(store.get(K + 's')), t, campaignKey(href), uuid);
    store.set(K + 's', JSON.stringify(s));
    let anonymousId = store.get(K + 'a');
    if (!anonymousId) store.set(K + 'a', (anonymousId = uuid()));
    // empty optional fields are undefined, which JSON leaves out
    const e = {
      id: uuid(),
      ts: t,
      type,
      anonymousId,
      sessionId: s.i,
      visitNumber: s.v,
      customerId: store.get(K + 'u') || undefined,
      url: clean(href),
      referrer: clean(ref ?? pg.referrer()) || undefined,
      title: pg.title().slice(0, MAX_TEXT_LENGTH) || undefined,
      props,
    } as ClientEvent;
    if (plugins.some((p) => p.event?.(e) === false)) return;
    mine.set(e.id, e);
    const list = box.add(e);
    if (list.length >= (cfg.batchSize || 10) || JSON.stringify(list).length >= BATCH_BYTES) send();
    else later(interval);
  }

  const tracker: Tracker = {
    emit,
    fail,
    page() {
      // a page seen before consent is no referrer of the page counted after it
      if (!on) return;
      // inside a single-page app the previous page is the referrer
      if (last) ref = last;
      last = pg.url();
      each('page');
      emit('page_view', {});
    },
    identify(customerId, traits) {
      if (!on || !customerId) return;
      store.set(K + 'u', customerId);
      emit('identify', { customerId, traits });
    },
    reset: forget,
    consent(granted) {
      store.set(K + 'c', granted ? '1' : '0');
      if (granted) return start();
      on = false;
      forget();
      env.outbox.del(K + 'o');
      mine.clear();
    },
    flush(beacon) {
      until = 0;
      send(beacon);
    },
    leave() {
      each('hide');
      send(true);
    },
  };

  function start() {
    if (on || !mayTrack(cfg.consent, store.get(K + 'c'), env.blocked())) return;
    on = true;
    each('start');
    // events an earlier page or a closed tab left behind are orphans once old enough
    later(orphanAge);
  }

  each('setup');
  start();
  return tracker;
}
