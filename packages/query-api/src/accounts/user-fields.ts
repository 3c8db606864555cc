import { BadParameterError } from '../errors/query-api-errors.js';
import { malformedTextReason } from '../params/well-formed-text.js';

/**
 * The rules for what people type into sign-in and user forms. Each failure is a 400 naming the field; nothing
 * unbounded reaches scrypt or the store.
 */

export const MAX_EMAIL_LENGTH = 254;
export const MIN_PASSWORD_LENGTH = 10;
/** scrypt's cost does not grow with the input, but a megabyte password is still only an attack: refuse it. */
export const MAX_PASSWORD_LENGTH = 1024;
export const MAX_DISPLAY_NAME_LENGTH = 100;

// Controls (C0, DEL, C1) and the line/paragraph separators never belong in an email or a name shown in a table.
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/u;
// Deliberately plain: one @, no spaces, a dot in the domain or `localhost` (the first owner's default).
const EMAIL_SHAPE = /^[^\s@]+@(?:[^\s@.]+\.)+[^\s@.]+$|^[^\s@]+@localhost$/u;

function text(field: string, value: unknown): string {
  if (typeof value !== 'string') throw new BadParameterError(field, 'expected a string');
  const reason = malformedTextReason(value);
  if (reason) throw new BadParameterError(field, reason);
  return value;
}

/** Trimmed, NFC, lower case: `Ann@Shop.Example ` and `ann@shop.example` are one account. */
export function normaliseEmail(value: unknown, field = 'email'): string {
  const raw = text(field, value);
  if (raw.length > MAX_EMAIL_LENGTH * 4) throw new BadParameterError(field, `longer than ${MAX_EMAIL_LENGTH} characters`);
  const email = raw.trim().normalize('NFC').toLowerCase();
  if (email.length === 0) throw new BadParameterError(field, 'must not be empty');
  if (email.length > MAX_EMAIL_LENGTH) throw new BadParameterError(field, `longer than ${MAX_EMAIL_LENGTH} characters`);
  if (CONTROL.test(email)) throw new BadParameterError(field, 'contains a control character');
  if (!EMAIL_SHAPE.test(email)) throw new BadParameterError(field, 'expected an email address like ann@shop.example');
  return email;
}

/**
 * A password as given (NFC-normalised so the same characters typed on two keyboards match). On sign-in only the
 * bounds are checked (`forSignIn`): an old password shorter than today's minimum must still be refusable by a
 * wrong-password answer, not a 400 that says something about the account.
 */
export function checkPassword(value: unknown, field = 'password', { forSignIn = false } = {}): string {
  const raw = text(field, value);
  if (raw.length > MAX_PASSWORD_LENGTH) throw new BadParameterError(field, `longer than ${MAX_PASSWORD_LENGTH} characters`);
  const password = raw.normalize('NFC');
  if (forSignIn) {
    if (password.length === 0) throw new BadParameterError(field, 'must not be empty');
    return password;
  }
  if ([...password].length < MIN_PASSWORD_LENGTH) throw new BadParameterError(field, `shorter than ${MIN_PASSWORD_LENGTH} characters`);
  return password;
}

export function checkDisplayName(value: unknown, field = 'display_name'): string {
  const raw = text(field, value);
  if (raw.length > MAX_DISPLAY_NAME_LENGTH * 4) throw new BadParameterError(field, `longer than ${MAX_DISPLAY_NAME_LENGTH} characters`);
  const name = raw.trim().normalize('NFC');
  if (name.length === 0) throw new BadParameterError(field, 'must not be empty');
  if (name.length > MAX_DISPLAY_NAME_LENGTH) throw new BadParameterError(field, `longer than ${MAX_DISPLAY_NAME_LENGTH} characters`);
  if (CONTROL.test(name)) throw new BadParameterError(field, 'contains a control character');
  return name;
}
