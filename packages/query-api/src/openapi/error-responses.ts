import { errorBodySchema } from '@spoor/events';

/** The shared error body (@spoor/events), named `Error` in the OpenAPI document. */
export const ErrorBodySchema = errorBodySchema.meta({
  id: 'Error',
  description: 'Every error answer of the query API and the collector. `code` is one of a fixed list (docs/api.md, Errors).',
  example: { error: { code: 'invalid_parameter', message: 'from: expected a date (2026-11-01) or an ISO 8601 date-time with offset', parameter: 'from' } },
});

const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: ErrorBodySchema } } });

/** The error responses every /api/v1 operation can give. */
export const ERROR_RESPONSES = {
  400: errorResponse('`invalid_parameter`: a parameter is missing or invalid; `error.parameter` names it.'),
  401: errorResponse('`unauthorized`: no or unknown secret API key.'),
  403: errorResponse('`forbidden`: the API key is not scoped to the requested site.'),
  413: errorResponse('`payload_too_large`: the request body is over the size limit (`error.parameter` is `body`).'),
  422: errorResponse('`query_memory_limit`: the query exceeded the per-query memory limit; narrow it.'),
  429: errorResponse('`rate_limited`: this API key already has its share of queries running and waiting, or its client address too many failed key lookups; see `Retry-After`.'),
  500: errorResponse('`internal`: a bug; the details are in the server log.'),
  503: errorResponse('`unavailable`: the site or the API is at query capacity, or ClickHouse is unreachable or out of resources; see `Retry-After`.'),
  504: errorResponse('`query_timeout`: the query exceeded the ClickHouse execution time limit; narrow it.'),
} as const;
