import { OpenAPIHono } from '@hono/zod-openapi';
import type { QueryApiEnv } from '../../auth/query-api-env.js';
import { throwOnInvalid } from '../../errors/validation-hook.js';

/** A router for one query family: zod validation failures become 400s naming the parameter. */
export function createRouter(): OpenAPIHono<QueryApiEnv> {
  return new OpenAPIHono<QueryApiEnv>({ defaultHook: (result) => throwOnInvalid(result) });
}

/** Declared on every /api/v1 operation in the OpenAPI document. */
export const BEARER_SECURITY = [{ bearerAuth: [] }];
