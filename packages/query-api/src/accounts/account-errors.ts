import { QueryApiError } from '../errors/query-api-errors.js';

/**
 * The errors of sign-in, sessions and user administration; the query API's one onError maps them like every
 * other QueryApiError.
 */

/** Wrong email, wrong password, disabled user, user without a password: one answer, so no account is revealed. */
export class InvalidCredentialsError extends QueryApiError {
  readonly status = 401;
  readonly code = 'invalid_credentials';
  constructor() {
    super('email or password is wrong');
  }
}

/** A state-changing request made with a session cookie without the matching X-CSRF-Token, or from a foreign origin. */
export class CsrfError extends QueryApiError {
  readonly status = 403;
  readonly code = 'csrf';
}

/** Too many failed sign-ins for this account or from this address: wait `retryAfterSeconds`. */
export class TooManySignInAttemptsError extends QueryApiError {
  readonly status = 429;
  readonly code = 'too_many_sign_in_attempts';
  constructor(override readonly retryAfterSeconds: number) {
    super(`too many failed sign-in attempts: try again in ${Math.max(1, Math.ceil(retryAfterSeconds))} s`);
  }
}

/** Every password-hashing slot and its queue are taken (a sign-in flood): retry shortly. */
export class PasswordHashingBusyError extends QueryApiError {
  readonly status = 503;
  readonly code = 'sign_in_busy';
  override readonly retryAfterSeconds = 1;
  constructor() {
    super('too many sign-ins at once: retry in a second');
  }
}

/** A user with this email exists already (emails are compared normalised). */
export class EmailTakenError extends QueryApiError {
  readonly status = 422;
  readonly code = 'email_taken';
  constructor() {
    super('email: a user with this email exists already');
  }
}

/** A set-up token that is unknown, used or expired: one answer for all three. */
export class InvalidSetupTokenError extends QueryApiError {
  readonly status = 400;
  readonly code = 'invalid_setup_token';
  constructor() {
    super('token: unknown, used or expired set-up token; ask an administrator for a new link');
  }
}
