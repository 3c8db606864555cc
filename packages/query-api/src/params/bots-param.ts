import { z } from '@hono/zod-openapi';

/** Bots are excluded unless asked for: `include_bots=true`. Query strings carry text, so parse 'true'/'false' strictly. */
export const includeBotsParam = z
  .enum(['true', 'false'])
  .optional()
  .transform((v) => v === 'true')
  .openapi({ description: 'Include traffic flagged as bots (default false).', example: 'false' });
