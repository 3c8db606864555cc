/**
 * Sessions: a new one after `timeout` ms without activity, or when the visitor arrives through a
 * different campaign (UTM parameters or an ad click id) than the one that started the current session.
 * Stored as a short JSON record shared by all tabs of the site.
 */
export interface Session {
  /** session id */
  i: string;
  /** last activity, epoch ms */
  t: number;
  /** visit number: 1 for the visitor's first session */
  v: number;
  /** campaign key of the landing URL that started the session ('' for none) */
  c: string;
}

/**
 * The campaign a URL carries, as one comparable string: its utm_* parameters and ad click ids
 * (gclid, fbclid, msclkid, …); '' when it carries none.
 */
export function campaignKey(url: string): string {
  return [...new URL(url).searchParams].filter(([k]) => /^utm_|clid$/.test(k)).join();
}

/** A new session starts after 30 minutes without an event. */
export const SESSION_TIMEOUT = 18e5;

/** The session an event at `now` on a page with campaign `camp` belongs to. */
export function touchSession(prev: Session | null | undefined, now: number, camp: string, uuid: () => string, timeout = SESSION_TIMEOUT): Session {
  if (!prev || now - prev.t > timeout || (camp && camp != prev.c)) {
    return { i: uuid(), t: now, v: (prev?.v || 0) + 1, c: camp };
  }
  return { ...prev, t: now };
}
