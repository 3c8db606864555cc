import { verifyLinkToken, type ClientEvent } from '@spoor/events';

export interface IdentityLink {
  customerId: string;
  /** identify, email_open, email_click, email_link (verified landing token), event (customerId on the event). */
  source: string;
}

export interface IdentityOptions {
  /** Shared with the collector (SPOOR_LINK_SECRET / LINK_SIGNING_SECRETS); without them landing tokens are ignored. */
  linkSecrets?: readonly string[];
}

/** Where an identify may carry an email landing token: ours (`identityToken`) and the collector's parameter name. */
const TOKEN_TRAITS = ['identityToken', 'spoor_it'] as const;

/**
 * Which customer(s) this event ties its anonymous id to. A landing token is checked against the time the
 * collector received the event, so a replay months later derives the same links.
 */
export async function resolveIdentity(event: ClientEvent, siteId: string, receivedAt: number, options: IdentityOptions): Promise<IdentityLink[]> {
  const links: IdentityLink[] = [];
  const add = (customerId: string | undefined, source: string) => {
    if (customerId && !links.some((l) => l.customerId === customerId && l.source === source)) links.push({ customerId, source });
  };
  switch (event.type) {
    case 'identify': {
      add(event.props.customerId, 'identify');
      const traits = event.props.traits;
      // The collector verifies a landing token itself, then replaces it with this marker.
      if (traits?.verifiedBy === 'email-link') add(event.props.customerId, 'email_link');
      for (const name of TOKEN_TRAITS) {
        const token = traits?.[name];
        if (token === undefined || !options.linkSecrets?.length) continue;
        const verified = await verifyLinkToken(token, options.linkSecrets, receivedAt);
        if (verified.ok && verified.claims.siteId === siteId) add(verified.claims.customerId, 'email_link');
      }
      break;
    }
    case 'email_open':
    case 'email_click':
      add(event.props.customerId, event.type);
      break;
    default:
      break;
  }
  add(event.customerId, 'event');
  return links;
}
