/**
 * Ports: everything the platform-free core needs from its surroundings. The browser entry wires
 * localStorage / cookies / fetch / sendBeacon; unit tests wire the in-memory adapters.
 */

/** A string key-value store (localStorage, a first-party cookie, or memory). Never throws. */
export interface Store {
  get(key: string): string | null;
  set(key: string, value: string): void;
  del(key: string): void;
}

/** What came back from the collector; status 0 means the request never got an answer (network error). */
export interface Reply {
  status: number;
  /** Retry-After in milliseconds when the collector sent one. */
  retryAfter?: number;
}

export interface Transport {
  /** POST the body as JSON; `keepalive` lets it outlive the page (bodies up to 64 KiB). */
  post(url: string, body: string, keepalive: boolean): Promise<Reply>;
  /** Queue the body with navigator.sendBeacon (text/plain); false when the browser refused it. */
  beacon(url: string, body: string): boolean;
}

/** The page the events describe. */
export interface PageContext {
  url(): string;
  title(): string;
  referrer(): string;
}

export interface Env {
  /** Identity, session and consent records. */
  store: Store;
  /** The outbox of events not yet acknowledged. */
  outbox: Store;
  transport: Transport;
  page: PageContext;
  now(): number;
  uuid(): string;
  /** False while the device knows it is offline; the entry calls `flush()` when it comes back. */
  online(): boolean;
  /** True when a configured privacy signal (Do-Not-Track, Global Privacy Control) forbids tracking. */
  blocked(): boolean;
}
