import type { Context } from 'hono';
import type { Site } from '../sites/site-registry.js';

/**
 * Global Privacy Control: browsers with GPC on send `Sec-GPC: 1` with every request, beacons and navigations
 * included (https://privacycg.github.io/gpc-spec/). It is a legal opt-out of sale/sharing in California (CCPA
 * regulations § 7025) and is honoured without configuration: a site turns it off only deliberately
 * (`honourGpc: false`). The header's only defined value is `1`; anything else is no signal.
 */
export function gpcHonoured(c: Context, site: Site): boolean {
  return site.honourGpc !== false && c.req.header('sec-gpc')?.trim() === '1';
}
