import { z } from '@hono/zod-openapi';
import { EVENT_TYPES, type EventType } from '@spoor/events';

/**
 * What an audience is, as JSON: either a tree of rule groups (`{ all: [...] }` / `{ any: [...] }` whose leaves are
 * conditions `{ event, op, count, within_days, where? }`) or a built-in template. Everything is bounded so a
 * definition always compiles to a query of bounded size: nesting depth, conditions, filters, list values.
 */
export const AUDIENCE_LIMITS = { maxDepth: 4, maxConditions: 20, maxChildren: 20, maxFilters: 5, maxInValues: 100, maxWithinDays: 730 } as const;

/** Event properties a condition may filter on: wire name → events column (the only identifiers that reach SQL). */
export const AUDIENCE_PROPERTIES = {
  path: { column: 'path', kind: 'string' },
  url: { column: 'url', kind: 'string' },
  host: { column: 'host', kind: 'string' },
  referrer_host: { column: 'referrer_host', kind: 'string' },
  channel: { column: 'channel', kind: 'string' },
  source: { column: 'source', kind: 'string' },
  medium: { column: 'medium', kind: 'string' },
  utm_source: { column: 'utm_source', kind: 'string' },
  utm_medium: { column: 'utm_medium', kind: 'string' },
  utm_campaign: { column: 'utm_campaign', kind: 'string' },
  country: { column: 'country', kind: 'string' },
  region: { column: 'region', kind: 'string' },
  city: { column: 'city', kind: 'string' },
  device_type: { column: 'device_type', kind: 'string' },
  browser: { column: 'browser', kind: 'string' },
  os: { column: 'os', kind: 'string' },
  product_id: { column: 'product_id', kind: 'string' },
  product_name: { column: 'product_name', kind: 'string' },
  category: { column: 'category', kind: 'string' },
  brand: { column: 'brand', kind: 'string' },
  cart_id: { column: 'cart_id', kind: 'string' },
  order_id: { column: 'order_id', kind: 'string' },
  search_query: { column: 'search_query', kind: 'string' },
  campaign_id: { column: 'campaign_id', kind: 'string' },
  custom_name: { column: 'custom_name', kind: 'string' },
  price: { column: 'price', kind: 'number' },
  revenue: { column: 'revenue', kind: 'number' },
  quantity: { column: 'quantity', kind: 'number' },
} as const satisfies Record<string, { column: string; kind: 'string' | 'number' }>;
export type AudienceProperty = keyof typeof AUDIENCE_PROPERTIES;

export const COUNT_OPS = ['>=', '>', '=', '!=', '<=', '<'] as const;
export const FILTER_OPS = ['eq', 'neq', 'contains', 'in', 'gt', 'gte', 'lt', 'lte'] as const;
/**
 * Which filter ops each kind of property takes — the whole matrix, so every (property, op) pair is either compiled
 * (audience-rules.ts) or refused with a 400 naming `value`/`op`, never half-compiled.
 */
export const OPS_BY_KIND = {
  string: ['eq', 'neq', 'contains', 'in'],
  number: ['eq', 'neq', 'gt', 'gte', 'lt', 'lte'],
} as const satisfies Record<'string' | 'number', readonly (typeof FILTER_OPS)[number][]>;

/** A number a Float64 parameter and a JS number both hold exactly enough to compare: finite, within ±2^53. */
const filterNumber = z.number().min(-Number.MAX_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER);

const propertyFilterSchema = z
  .object({
    property: z.enum(Object.keys(AUDIENCE_PROPERTIES) as [AudienceProperty, ...AudienceProperty[]]),
    op: z.enum(FILTER_OPS),
    value: z.union([z.string().max(1024), filterNumber, z.array(z.string().max(1024)).min(1).max(AUDIENCE_LIMITS.maxInValues)]),
  })
  .strict()
  .superRefine((f, ctx) => {
    const kind = AUDIENCE_PROPERTIES[f.property].kind;
    const bad = (message: string, path = 'value') => ctx.addIssue({ code: 'custom', path: [path], message });
    if (!(OPS_BY_KIND[kind] as readonly string[]).includes(f.op)) bad(`"${f.op}" does not apply to ${f.property} (${kind}); use one of ${OPS_BY_KIND[kind].join(', ')}`, 'op');
    else if (f.op === 'in') {
      if (!Array.isArray(f.value)) bad('"in" takes an array of strings');
    } else if (Array.isArray(f.value)) bad(`"${f.op}" takes a single value`);
    else if (kind === 'number' && typeof f.value !== 'number') bad(`${f.property} is numeric: give a number`);
    else if (kind === 'string' && typeof f.value !== 'string') bad(`${f.property} is text: give a string`);
  });
export type PropertyFilter = z.infer<typeof propertyFilterSchema>;

export const conditionSchema = z
  .object({
    event: z.enum(['visit', ...EVENT_TYPES] as ['visit', ...EventType[]]).openapi({ description: 'An event type, or "visit" to count sessions.' }),
    op: z.enum(COUNT_OPS),
    count: z.number().int().min(0).max(1_000_000),
    within_days: z.number().int().min(1).max(AUDIENCE_LIMITS.maxWithinDays),
    where: z.array(propertyFilterSchema).max(AUDIENCE_LIMITS.maxFilters).optional(),
  })
  .strict()
  .openapi('AudienceCondition');
export type AudienceCondition = z.infer<typeof conditionSchema>;

export type AudienceGroup = { all: AudienceNode[] } | { any: AudienceNode[] };
export type AudienceNode = AudienceCondition | AudienceGroup;

/**
 * Groups are spelled out level by level rather than with z.lazy: the depth bound is then part of the schema
 * itself, and the OpenAPI generator (which cannot follow recursive schemas) documents every level.
 */
function groupSchemaAt(depth: number): z.ZodType<AudienceGroup> {
  const child = depth >= AUDIENCE_LIMITS.maxDepth ? conditionSchema : z.union([conditionSchema, groupSchemaAt(depth + 1)]);
  const children = z.array(child).min(1).max(AUDIENCE_LIMITS.maxChildren);
  const group = z.union([z.object({ all: children }).strict(), z.object({ any: children }).strict()]).openapi(`AudienceGroupLevel${depth}`);
  return group;
}
const groupSchema = groupSchemaAt(1);

export const templateSchema = z.discriminatedUnion('template', [
  z.object({ template: z.literal('abandoned_cart'), hours: z.number().int().min(1).max(720).default(24), lookback_days: z.number().int().min(1).max(90).default(7) }).strict(),
  z
    .object({
      template: z.literal('replenishment_due'),
      within_days: z.number().int().min(1).max(365).default(7),
      min_purchases: z.number().int().min(2).max(100).default(2),
      product_id: z.string().min(1).max(128).optional(),
    })
    .strict(),
  z.object({ template: z.literal('lapsed_vip'), top_percent: z.number().min(0.1).max(50).default(20), lapsed_days: z.number().int().min(1).max(730).default(90) }).strict(),
]);
export type AudienceTemplate = z.infer<typeof templateSchema>;
export type AudienceDefinition = AudienceGroup | AudienceTemplate;

const isGroup = (n: AudienceNode): n is AudienceGroup => 'all' in n || 'any' in n;
export const groupChildren = (g: AudienceGroup): AudienceNode[] => ('all' in g ? g.all : g.any);
export const isTemplate = (d: AudienceDefinition): d is AudienceTemplate => 'template' in d;

/** The bound the schema cannot express: conditions in the whole tree. */
function checkConditionCount(root: AudienceGroup, ctx: z.RefinementCtx): void {
  const count = (node: AudienceNode): number => (isGroup(node) ? groupChildren(node).reduce((n, c) => n + count(c), 0) : 1);
  if (count(root) > AUDIENCE_LIMITS.maxConditions) ctx.addIssue({ code: 'custom', path: [], message: `at most ${AUDIENCE_LIMITS.maxConditions} conditions in all` });
}

export const audienceDefinitionSchema: z.ZodType<AudienceDefinition> = z
  .union([templateSchema, groupSchema.superRefine(checkConditionCount)])
  .openapi({
    description:
      'Rules `{ "all"|"any": [condition | group, …] }` (conditions `{ event, op, count, within_days, where? }`, groups nest ≤ 4 deep, ≤ 20 conditions) or a template `{ "template": "abandoned_cart" | "replenishment_due" | "lapsed_vip", … }`.',
    example: { all: [{ event: 'visit', op: '>=', count: 2, within_days: 30 }, { event: 'email_open', op: '>=', count: 2, within_days: 30 }] },
  });
