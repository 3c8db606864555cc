import type { QueryRunner } from '../../clickhouse/query-runner.js';
import type { BreakdownValues } from './breakdown-values.js';
import { withVisitSettlement } from './visit-settlement.js';
import { breakdownIndexFits, readsVisitAttribution, buildFunnelUnitsSql, type FunnelSpec } from './funnel-sql.js';

export interface FunnelStepResult {
  step: number;
  count: number;
  conversion_from_start: number | null;
  conversion_from_previous: number | null;
  dropped_off: number;
  median_seconds_from_previous: number | null;
  median_seconds_from_start: number | null;
}

export interface FunnelResult {
  steps: FunnelStepResult[];
  breakdown: Array<{ value: string; steps: FunnelStepResult[] }>;
}

interface AggregateRow {
  is_total: number;
  bd: string;
  counts: number[];
  from_prev: Array<number | null>;
  from_start: Array<number | null>;
  /** Units whose breakdown value was missing from the list they were indexed against. */
  unlisted: number | string;
}

/** Per step: units that reached it, and median seconds from the previous step / from entry (over those units). */
function aggregateSql(spec: FunnelSpec, unitsSql: string): string {
  const n = spec.steps.length;
  const ks = Array.from({ length: n }, (_, i) => i + 1);
  const counts = ks.map((k) => `countIf(reached >= ${k})`).join(', ');
  const median = (expr: string, k: number) => `if(countIf(reached >= ${k}) = 0, NULL, quantileExactInclusiveIf(0.5)(${expr}, reached >= ${k}) / 1000)`;
  const fromPrev = ks.map((k) => (k === 1 ? 'NULL' : median(`toFloat64(chain_ms[${k}] - chain_ms[${k - 1}])`, k))).join(', ');
  const fromStart = ks.map((k) => (k === 1 ? 'NULL' : median(`toFloat64(chain_ms[${k}] - chain_ms[1])`, k))).join(', ');
  const grouping = spec.breakdown ? 'GROUP BY GROUPING SETS ((), (bd))' : '';
  return `WITH ${unitsSql}
SELECT ${spec.breakdown ? 'grouping(bd) = 1' : '1'} AS is_total, ${spec.breakdown ? 'bd' : "''"} AS bd,
  [${counts}] AS counts, [${fromPrev}] AS from_prev, [${fromStart}] AS from_start, countIf(bd_index = 0) AS unlisted
FROM funnel_units
${grouping}
ORDER BY is_total DESC, counts[1] DESC, bd
LIMIT {bd_limit:UInt32}
SETTINGS group_by_use_nulls = 0`;
}

function toSteps(row: AggregateRow | undefined, n: number): FunnelStepResult[] {
  const counts = row?.counts ?? new Array<number>(n).fill(0);
  const ratio = (a: number, b: number | undefined) => (b ? a / b : null);
  return counts.map((count, i) => ({
    step: i + 1,
    count,
    conversion_from_start: ratio(count, counts[0]),
    conversion_from_previous: i === 0 ? null : ratio(count, counts[i - 1]),
    dropped_off: i === 0 ? 0 : (counts[i - 1] ?? 0) - count,
    median_seconds_from_previous: row?.from_prev[i] ?? null,
    median_seconds_from_start: row?.from_start[i] ?? null,
  }));
}

export async function queryFunnel(runner: QueryRunner, spec: FunnelSpec, breakdownLimit: number, breakdownValues?: BreakdownValues): Promise<FunnelResult> {
  return readsVisitAttribution(spec) ? withVisitSettlement(runner, spec.site, (visitsSettled) => runFunnel(runner, spec, breakdownLimit, breakdownValues, visitsSettled)) : runFunnel(runner, spec, breakdownLimit, breakdownValues, false);
}

async function runFunnel(runner: QueryRunner, spec: FunnelSpec, breakdownLimit: number, breakdownValues: BreakdownValues | undefined, visitsSettled: boolean): Promise<FunnelResult> {
  const n = spec.steps.length;
  let values = spec.breakdown && breakdownValues ? await breakdownValues.get(spec.site, spec.breakdown) : undefined;
  // At most three runs: the cached value list, a refreshed one if a value was missing from it, and per-unit
  // strings if a value arrived between the refresh and the run (or the list does not fit).
  for (let attempt = 1; ; attempt++) {
    const indexed = values !== undefined && breakdownIndexFits(spec, values.length) ? values : undefined;
    const units = buildFunnelUnitsSql(spec, { breakdownValues: indexed, visitsSettled });
    // +1: the totals row travels with the breakdown rows.
    const rows = await runner.rows<AggregateRow>(aggregateSql(spec, units.sql), { ...units.params, bd_limit: breakdownLimit + 1 });
    const total = rows.find((r) => Number(r.is_total) === 1);
    if (indexed && Number(total?.unlisted ?? 0) > 0) {
      values = attempt === 1 ? await breakdownValues!.refresh(spec.site, spec.breakdown!) : undefined;
      continue;
    }
    return {
      steps: toSteps(total, n),
      breakdown: spec.breakdown ? rows.filter((r) => Number(r.is_total) !== 1).map((r) => ({ value: r.bd, steps: toSteps(r, n) })) : [],
    };
  }
}
