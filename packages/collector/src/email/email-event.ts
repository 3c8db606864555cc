import { randomUUID } from 'node:crypto';
import { LIMITS, validateEvent, type ClientEvent, type Validation } from '@spoor/events';

/**
 * Email events are made by the collector, not a browser, but they are still checked against the one
 * event contract (string policy included: the token's ids and the URL) so the processor sees nothing it would not
 * accept from the SDK. Returns the contract's verdict, which names the field when it refuses.
 * An email recipient has no browser anonymous id yet: `email:<customerId>` keeps one customer's email
 * events together (the Kafka key) until identity stitching links it to their visitor id.
 */
export function emailEvent(input: {
  type: 'email_open' | 'email_click';
  customerId: string;
  campaignId: string;
  url: string;
  now: number;
  props: Record<string, unknown>;
}): Validation<ClientEvent> {
  return validateEvent(
    {
      id: randomUUID(),
      type: input.type,
      ts: input.now,
      anonymousId: boundedId(`email:${input.customerId}`),
      sessionId: boundedId(`email:${input.campaignId}`),
      customerId: input.customerId,
      url: input.url,
      props: { campaignId: input.campaignId, customerId: input.customerId, ...input.props },
    },
    { allowServerOnlyTypes: true },
  );
}

/** Cut to the identifier length on a code point boundary: half a surrogate pair would make the id ill-formed. */
function boundedId(value: string): string {
  if (value.length <= LIMITS.maxIdLength) return value;
  const cut = value.slice(0, LIMITS.maxIdLength);
  const last = cut.charCodeAt(cut.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut;
}
