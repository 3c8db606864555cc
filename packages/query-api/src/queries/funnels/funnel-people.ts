import type { QueryRunner } from '../../clickhouse/query-runner.js';
import { buildFunnelUnitsSql, type FunnelSpec } from './funnel-sql.js';

export interface FunnelPerson {
  person_id: string;
  /** null when the person never identified. */
  customer_id: string | null;
  anonymous_ids: string[];
  /** Set when the funnel unit is the session. */
  session_id?: string;
  entered_at: string;
  reached_step_at: string;
  breakdown?: string;
}

export interface FunnelPeopleResult {
  step: number;
  total: number;
  people: FunnelPerson[];
}

interface PersonRow {
  unit: string;
  person_id: string;
  customer_id: string;
  anonymous_ids: string[];
  bd: string;
  entered_ms: number;
  reached_ms: number;
  total: number;
}

/** Units whose furthest step is exactly `step`: they reached it and not the next. Newest first. */
export async function queryFunnelPeople(runner: QueryRunner, spec: FunnelSpec, step: number, limit: number, offset: number): Promise<FunnelPeopleResult> {
  const units = buildFunnelUnitsSql(spec, { withPeople: true });
  const sql = `WITH ${units.sql}
SELECT unit, person_id, customer_id, anonymous_ids, bd, chain_ms[1] AS entered_ms, chain_ms[{step:UInt8}] AS reached_ms, count() OVER () AS total
FROM funnel_units
WHERE reached = {step:UInt8}
ORDER BY reached_ms DESC, unit
LIMIT {limit:UInt32} OFFSET {offset:UInt32}`;
  const rows = await runner.rows<PersonRow>(sql, { ...units.params, step, limit, offset });
  const iso = (ms: number) => new Date(Number(ms)).toISOString();
  return {
    step,
    total: rows[0]?.total ?? (offset > 0 ? await countAt(runner, units, step) : 0),
    people: rows.map((r) => ({
      person_id: r.person_id,
      customer_id: r.customer_id === '' ? null : r.customer_id,
      anonymous_ids: r.anonymous_ids,
      ...(spec.unit === 'session' ? { session_id: r.unit } : {}),
      entered_at: iso(r.entered_ms),
      reached_step_at: iso(r.reached_ms),
      ...(spec.breakdown ? { breakdown: r.bd } : {}),
    })),
  };
}

async function countAt(runner: QueryRunner, units: ReturnType<typeof buildFunnelUnitsSql>, step: number): Promise<number> {
  const rows = await runner.rows<{ total: number }>(`WITH ${units.sql} SELECT count() AS total FROM funnel_units WHERE reached = {step:UInt8}`, { ...units.params, step });
  return rows[0]?.total ?? 0;
}
