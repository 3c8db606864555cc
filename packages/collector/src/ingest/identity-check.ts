import type { ClientEvent } from '@spoor/events';
import type { KeyValue } from '@spoor/infra';
import { CollectorError } from '../http/collector-error.js';
import { IDENTITY_TOKEN_PARAM, verifyIdentityToken, type LinkKeys } from '../email/link-token.js';
import type { CheckedEvent } from './parse-batch.js';

const FIELD = `props.traits.${IDENTITY_TOKEN_PARAM}`;

/** A verified identity token waiting to be bound to the anonymous id that presented it. */
export interface PendingBinding {
  tokenId: string;
  expiresAt: number;
}

/**
 * An `identify` that carries the identity token from an email click (`props.traits.spoor_it`) is only
 * accepted when the token is genuine, unexpired, for this site and for the same customer id. The token is
 * then replaced by `verifiedBy: "email-link"` so a bearer credential is never stored. A token with an id is
 * noted in `pending`: bindIdentityTokens() then lets only the first anonymous id that presents it pass.
 * Returns an error message, or undefined when the event may pass (possibly rewritten in place).
 */
export function checkIdentityToken(
  event: ClientEvent,
  siteId: string,
  keys: LinkKeys,
  now: number,
  pending?: Map<ClientEvent, PendingBinding>,
): string | undefined {
  if (event.type !== 'identify') return undefined;
  const traits = event.props.traits;
  // Only this function may vouch for an email link; a client-sent claim is dropped, not trusted.
  if (traits && 'verifiedBy' in traits) delete traits.verifiedBy;
  const token = traits?.[IDENTITY_TOKEN_PARAM];
  if (traits === undefined || token === undefined) return undefined;
  if (typeof token !== 'string') return `${FIELD}: must be the token string from the landing URL`;
  const identity = verifyIdentityToken(token, keys, now);
  if (!identity) return `${FIELD}: identity token is invalid or expired`;
  if (identity.siteId !== siteId) return `${FIELD}: identity token belongs to another site`;
  if (identity.customerId !== event.props.customerId) return `${FIELD}: identity token is for another customer than props.customerId`;
  delete traits[IDENTITY_TOKEN_PARAM];
  traits.verifiedBy = 'email-link';
  if (identity.tokenId) pending?.set(event, { tokenId: identity.tokenId, expiresAt: identity.expiresAt });
  return undefined;
}

/** Removes every verification claim a client sent (import has no token to show, so it can vouch for nothing). */
export function dropVerificationClaims(event: ClientEvent): undefined {
  if (event.type !== 'identify') return undefined;
  const traits = event.props.traits;
  if (traits && 'verifiedBy' in traits) delete traits.verifiedBy;
  if (traits && IDENTITY_TOKEN_PARAM in traits) delete traits[IDENTITY_TOKEN_PARAM];
  return undefined;
}

/**
 * One token, one browser: the first anonymous id that presents a token is bound to it (SET NX in the KeyValue, for the
 * token's remaining life); the same anonymous id may present it again (a reload), any other is refused, so a forwarded
 * or shared link cannot stitch a second device to the customer. The state is only as shared as the KeyValue: Redis
 * across collector instances, in-process memory otherwise (see docs/collector.md).
 */
export async function bindIdentityTokens(
  checked: CheckedEvent[],
  pending: Map<ClientEvent, PendingBinding>,
  siteId: string,
  bindings: KeyValue,
  now: number,
): Promise<CheckedEvent[]> {
  if (!pending.size) return checked;
  return Promise.all(
    checked.map(async (item) => {
      const binding = item.ok ? pending.get(item.event) : undefined;
      if (!item.ok || !binding) return item;
      const key = `identity-token:${siteId}:${binding.tokenId}`;
      let holder: string | null;
      try {
        const [fresh] = await bindings.setManyIfAbsent([key], item.event.anonymousId, Math.max(1_000, binding.expiresAt - now));
        holder = fresh ? item.event.anonymousId : await bindings.get(key);
      } catch {
        throw new CollectorError('unavailable', 'identity token state unavailable: retry later', { retryAfterSeconds: 5 });
      }
      if (holder === null || holder === item.event.anonymousId) return item;
      // The dead letter keeps what the client sent, never the collector's verdict.
      if (item.event.type === 'identify') delete item.event.props.traits?.verifiedBy;
      return { index: item.index, ok: false as const, error: `${FIELD}: identity token was already used by another browser`, original: item.event };
    }),
  );
}
