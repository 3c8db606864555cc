import { z } from '@hono/zod-openapi';

/** `offset` for paging long lists (RFM customers, audience members). */
export const offsetParam = z.coerce
  .number()
  .int()
  .min(0)
  .max(10_000_000)
  .optional()
  .default(0)
  .openapi({ description: 'Rows to skip (paging), default 0.', example: 0 });
