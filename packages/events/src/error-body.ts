import { z } from 'zod';

/**
 * Every error code the collector and the query API answer with, its HTTP status, and what a client does about it.
 * One list for both services, so a client (the tracker, a dashboard, a script) handles `unauthorized` or
 * `rate_limited` the same way whichever service said it; a new code is added here and to docs/api.md and
 * docs/collector.md, never invented in a handler.
 */
export const ERROR_CODES = {
  invalid_parameter: { status: 400, meaning: 'A parameter, header or body field is missing or wrong; `parameter` names it.' },
  invalid_setup_token: { status: 400, meaning: 'A user set-up link that is unknown, used or expired: ask an administrator for a new one.' },
  unauthorized: { status: 401, meaning: 'No credential, or an unknown or revoked one (API key, write key, session).' },
  invalid_credentials: { status: 401, meaning: 'Sign-in refused: wrong email or password (one answer for every reason, so no account is revealed).' },
  forbidden: { status: 403, meaning: 'The credential is valid but may not do this (another site, a missing permission), or the Origin is not allowed.' },
  csrf: { status: 403, meaning: 'A state-changing request with a session cookie but without the matching X-CSRF-Token, or from a foreign origin.' },
  not_found: { status: 404, meaning: 'No such endpoint or resource.' },
  conflict: { status: 409, meaning: 'The thing to create exists already; creating never overwrites.' },
  payload_too_large: { status: 413, meaning: 'The body (or the number of events in a batch) is over the limit; `parameter` names which.' },
  unsupported_media_type: { status: 415, meaning: 'The Content-Type is not one the endpoint reads.' },
  email_taken: { status: 422, meaning: 'A user with this email exists already.' },
  query_memory_limit: { status: 422, meaning: 'The query hit its memory limit; the same question fails again, narrow it.' },
  rate_limited: { status: 429, meaning: 'Too many requests, events, concurrent queries or failed key lookups; wait `Retry-After` seconds.' },
  too_many_sign_in_attempts: { status: 429, meaning: 'Too many failed sign-ins for the account or from the address; wait `Retry-After` seconds.' },
  internal: { status: 500, meaning: 'A bug on our side; details are in the server log, not in the answer.' },
  unavailable: { status: 503, meaning: 'A dependency (event log, ClickHouse, site registry) is unreachable, at capacity or shutting down; retry after `Retry-After` seconds.' },
  sign_in_busy: { status: 503, meaning: 'Every password-hashing slot is taken (a sign-in flood); retry after `Retry-After` seconds.' },
  query_timeout: { status: 504, meaning: 'The query ran past its execution time limit; narrow the range or the question.' },
} as const satisfies Record<string, { status: number; meaning: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export const errorCodeSchema = z.enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]);

/**
 * The one body of every 4xx/5xx answer of both services: `{ "error": { "code", "message", "parameter"? } }`.
 * `message` is for people ("from: expected a date…"); `code` is for programs; `parameter` names the offending
 * input (query parameter, dotted JSON path such as `steps.1.path`, or header name) when there is one.
 */
export const errorBodySchema = z
  .object({
    error: z
      .object({
        code: errorCodeSchema,
        message: z.string().min(1),
        parameter: z.string().min(1).optional(),
      })
      .strict()
      // A client fixes a 400 by changing one input: the answer always says which.
      .refine((e) => e.code !== 'invalid_parameter' || e.parameter !== undefined, { message: 'invalid_parameter names its parameter', path: ['parameter'] }),
  })
  .strict();

export type ErrorBody = z.infer<typeof errorBodySchema>;

/** Builds a body of the shape above; `parameter` is left out, not set to undefined, when there is none. */
export function errorBody(code: ErrorCode, message: string, parameter?: string): ErrorBody {
  return { error: parameter === undefined ? { code, message } : { code, message, parameter } };
}
