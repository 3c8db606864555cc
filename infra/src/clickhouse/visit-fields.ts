/**
 * Per-visit attribution, one definition for the processor, the views and every query (issue 19).
 *
 * A visit (session) is attributed to its landing: the session's earliest event by (derived ts, event_id) with a
 * channel. Migration 0350 keeps that event's channel, source, medium, UTM fields, click id, referrer host and search
 * term as one argMin state in `sessions.attribution`, a JSON array of strings whose fields by (1-based) position are:
 */
export const VISIT_FIELD_INDEX = {
  channel: 1,
  source: 2,
  medium: 3,
  utm_source: 4,
  utm_medium: 5,
  campaign: 6,
  utm_term: 7,
  utm_content: 8,
  click_id_type: 9,
  click_id: 10,
  referrer_host: 11,
  search_term: 12,
} as const;
export type VisitField = keyof typeof VISIT_FIELD_INDEX;

/**
 * The fields copied onto every event row as columns (migration 0430), so a funnel breaks down by them like by any
 * event column; settle-visits.ts writes them.
 */
export const VISIT_COLUMNS = {
  channel: 'visit_channel',
  source: 'visit_source',
  medium: 'visit_medium',
  campaign: 'visit_campaign',
} as const satisfies Partial<Record<VisitField, string>>;
export type VisitColumnField = keyof typeof VISIT_COLUMNS;
