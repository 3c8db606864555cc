import { z } from '@hono/zod-openapi';

/** The site a request reads. Required on every /api/v1 request; the API key must be scoped to it. */
export const siteParam = z
  .string()
  .min(1)
  .max(128)
  .openapi({ description: 'Site id the API key is scoped to.', example: 'shop-1' });
