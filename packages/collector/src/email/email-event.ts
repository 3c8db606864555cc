import { randomUUID } from 'node:crypto';
import { validateEvent, type ClientEvent } from '@spoor/events';

/**
 * Email events are made by the collector, not a browser, but they are still checked against the one
 * event contract so the processor sees nothing it would not accept from the SDK.
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
}): ClientEvent | undefined {
  const result = validateEvent(
    {
      id: randomUUID(),
      type: input.type,
      ts: input.now,
      anonymousId: `email:${input.customerId}`.slice(0, 128),
      sessionId: `email:${input.campaignId}`.slice(0, 128),
      customerId: input.customerId,
      url: input.url,
      props: { campaignId: input.campaignId, customerId: input.customerId, ...input.props },
    },
    { allowServerOnlyTypes: true },
  );
  return result.ok ? result.value : undefined;
}
