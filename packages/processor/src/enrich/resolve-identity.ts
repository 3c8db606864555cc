import { verifyLinkToken, type ClientEvent } from '@spoor/events';

export interface IdentityLink {
  customerId: string;
  /** identify, email_open, email_click, email_link (verified landing token), event (customerId on the event). */
  source: string;
}

export interface IdentityOptions {
  /** Shared with the collector (SPOOR_LINK_SECRET); without it landing tokens are ignored. */
  linkSecret?: string;
}

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
      const token = event.props.traits?.identityToken;
      if (token !== undefined && options.linkSecret) {
        const verified = await verifyLinkToken(token, options.linkSecret, receivedAt);
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
