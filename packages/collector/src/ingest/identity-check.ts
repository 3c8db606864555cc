import type { ClientEvent } from '@spoor/events';
import { IDENTITY_TOKEN_PARAM, verifyIdentityToken } from '../email/link-token.js';

/**
 * An `identify` that carries the identity token from an email click (`props.traits.spoor_it`) is only
 * accepted when the token is genuine, unexpired, for this site and for the same customer id. The token is
 * then replaced by `verifiedBy: "email-link"` so a bearer credential is never stored.
 * Returns an error message, or undefined when the event may pass (possibly rewritten in place).
 */
export function checkIdentityToken(event: ClientEvent, siteId: string, secrets: readonly string[], now: number): string | undefined {
  if (event.type !== 'identify') return undefined;
  const traits = event.props.traits;
  // Only this function may vouch for an email link; a client-sent claim is dropped, not trusted.
  if (traits && 'verifiedBy' in traits) delete traits.verifiedBy;
  const token = traits?.[IDENTITY_TOKEN_PARAM];
  if (traits === undefined || token === undefined) return undefined;
  const field = `props.traits.${IDENTITY_TOKEN_PARAM}`;
  if (typeof token !== 'string') return `${field}: must be the token string from the landing URL`;
  const identity = verifyIdentityToken(token, secrets, now);
  if (!identity) return `${field}: identity token is invalid or expired`;
  if (identity.siteId !== siteId) return `${field}: identity token belongs to another site`;
  if (identity.customerId !== event.props.customerId) return `${field}: identity token is for another customer than props.customerId`;
  delete traits[IDENTITY_TOKEN_PARAM];
  traits.verifiedBy = 'email-link';
  return undefined;
}
