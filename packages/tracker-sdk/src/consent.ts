/**
 * Consent: in `opt-in` mode nothing is stored or sent until the visitor granted consent; in `opt-out`
 * mode tracking runs until the visitor declines. A browser privacy signal that the site chose to honour
 * (Do-Not-Track, Global Privacy Control) blocks tracking in either mode. `stored` is the recorded
 * decision: '1' granted, '0' declined, null none yet.
 */
export type ConsentMode = 'opt-in' | 'opt-out';

export function mayTrack(mode: ConsentMode | undefined, stored: string | null, blocked: boolean): boolean {
  return !blocked && (stored == '1' || (mode != 'opt-in' && stored != '0'));
}

/**
 * Whether the navigator carries a privacy signal the configuration says to honour. Global Privacy Control is a legal
 * opt-out (CCPA) and is honoured unless `gpc` is false; Do-Not-Track has no legal force and was abandoned by its own
 * standard, so it is honoured only when `dnt` is true (see docs/tracker.md).
 */
export function privacySignal(nav: { doNotTrack?: string | null; globalPrivacyControl?: boolean }, dnt?: boolean, gpc?: boolean): boolean {
  return !!((dnt && nav.doNotTrack == '1') || (gpc !== false && nav.globalPrivacyControl));
}
