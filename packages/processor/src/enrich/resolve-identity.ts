import { RawEventOrigin, type ClientEvent } from '@spoor/events';

export interface IdentityLink {
  customerId: string;
  /** identify, email_open, email_click, email_link (verified landing token), event (customerId on the event). */
  source: string;
}

/**
 * Which customer(s) this event ties its anonymous id to. Email landing tokens are verified by the collector
 * (the one service holding the link secrets), which forwards `verifiedBy: "email-link"` in their place and
 * drops that marker from any client; the RawEvent carries the verdict, so a replay derives the same links. Imports
 * (origin SERVER) have no landing token to show, so the marker is never believed on them: an import archived before the
 * collector stripped such claims cannot vouch for an email link on replay either.
 */
export function resolveIdentity(event: ClientEvent, origin: RawEventOrigin = RawEventOrigin.ORIGIN_UNSPECIFIED): IdentityLink[] {
  const links: IdentityLink[] = [];
  const add = (customerId: string | undefined, source: string) => {
    if (customerId && !links.some((l) => l.customerId === customerId && l.source === source)) links.push({ customerId, source });
  };
  switch (event.type) {
    case 'identify': {
      add(event.props.customerId, 'identify');
      const traits = event.props.traits;
      if (traits?.verifiedBy === 'email-link' && origin !== RawEventOrigin.SERVER) add(event.props.customerId, 'email_link');
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
