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
  503: errorResponse('ClickHouse is unreachable or out of resources.'),
  504: errorResponse('The query exceeded the ClickHouse execution time limit.'),
} as const;
