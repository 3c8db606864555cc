import { z } from '@hono/zod-openapi';

export const ErrorBodySchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'bad_parameter' }),
      message: z.string().openapi({ example: 'from: expected a date (2026-11-01) or an ISO 8601 date-time with offset' }),
      parameter: z.string().optional().openapi({ example: 'from' }),
    }),
  })
  .openapi('Error');

const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: ErrorBodySchema } } });

/** The error responses every /api/v1 operation can give. */
export const ERROR_RESPONSES = {
  400: errorResponse('A parameter is missing or invalid; `error.parameter` names it.'),
  401: errorResponse('No or unknown secret API key.'),
  403: errorResponse('The API key is not scoped to the requested site.'),
  422: errorResponse('The query exceeded the per-query memory limit (`query_memory_limit`): narrow it.'),
  429: errorResponse('This API key already has its share of queries running and waiting (`too_many_queries`), or its client address too many failed key lookups (`too_many_failed_keys`); see `Retry-After`.'),
  503: errorResponse('The site or the API is at query capacity (`query_capacity`), or ClickHouse is unreachable or out of resources (`store_unavailable`); see `Retry-After`.'),
  504: errorResponse('The query exceeded the ClickHouse execution time limit (`query_timeout`).'),
} as const;
