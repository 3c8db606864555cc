import type { QueryRunner } from '../../clickhouse/query-runner.js';
import { isTemplate, type AudienceDefinition } from './audience-definition.js';
import { compileRules, type CompiledMembers } from './audience-rules.js';
import { compileTemplate } from './audience-templates.js';
import { isoTime } from '../shared/iso-time.js';
import { PERSON_MAP_CTE } from '../shared/person-id.js';
import { eventTypeSql } from '@spoor/infra';

export function compileAudience(definition: AudienceDefinition, asOf: Date): CompiledMembers {
  return isTemplate(definition) ? compileTemplate(definition, asOf) : compileRules(definition, asOf);
}

const withMembers = (m: CompiledMembers) => `WITH ${[PERSON_MAP_CTE, ...(m.ctes ?? [])].join(',\n')},\nmembers AS (${m.sql})`;

export interface AudienceSampleRow {
  person_id: string;
  customer_id: string;
  last_seen: string;
}

/** Size and the most recently seen members. */
export async function queryAudiencePreview(
  runner: QueryRunner,
  q: { site: string; definition: AudienceDefinition; asOf: Date; sampleSize: number },
): Promise<{ size: number; sample: AudienceSampleRow[] }> {
  const m = compileAudience(q.definition, q.asOf);
  const sql = `${withMembers(m)}
SELECT person_id, customer_id, ${isoTime('last_seen')} AS last_seen, count() OVER () AS size
FROM members
ORDER BY members.last_seen DESC, person_id ASC
LIMIT {sample:UInt32}`;
  const rows = await runner.rows<AudienceSampleRow & { size: number }>(sql, { ...m.params, site: q.site, sample: Math.max(q.sampleSize, 1) });
  const size = rows[0]?.size ?? 0;
  return { size, sample: rows.slice(0, q.sampleSize).map(({ size: _size, ...row }) => row) };
}

export interface AudienceMemberRow {
  person_id: string;
  customer_id: string;
  /** The latest plain email the customer identified with ('' when none). */
  email: string;
  /** The latest pre-hashed email (traits.emailSha256) when the storefront never sent it in plain. */
  email_sha256: string;
  phone: string;
}

/**
 * Members with contact details from their identify events (traits.email / emailSha256 / phone, latest non-empty
 * value each). Anonymous members have none. Ordered by person id so pages are stable.
 */
export async function queryAudienceMembers(
  runner: QueryRunner,
  q: { site: string; definition: AudienceDefinition; asOf: Date; limit: number; offset: number },
): Promise<{ total: number; members: AudienceMemberRow[] }> {
  const m = compileAudience(q.definition, q.asOf);
  const sql = `${withMembers(m)},
contacts AS (
  SELECT customer_id,
    argMaxIf(JSONExtractString(props, 'traits', 'email'), ts, JSONExtractString(props, 'traits', 'email') != '') AS email,
    argMaxIf(JSONExtractString(props, 'traits', 'emailSha256'), ts, JSONExtractString(props, 'traits', 'emailSha256') != '') AS email_sha256,
    argMaxIf(JSONExtractString(props, 'traits', 'phone'), ts, JSONExtractString(props, 'traits', 'phone') != '') AS phone
  FROM {db:Identifier}.events
  WHERE site_id = {site:String} AND type = ${eventTypeSql('identify')} AND customer_id IN (SELECT customer_id FROM members WHERE customer_id != '')
  GROUP BY customer_id
)
SELECT mb.person_id AS person_id, mb.customer_id AS customer_id, c.email AS email, c.email_sha256 AS email_sha256, c.phone AS phone,
  count() OVER () AS total
FROM members AS mb
LEFT JOIN contacts AS c ON c.customer_id = mb.customer_id
ORDER BY person_id
LIMIT {limit:UInt32} OFFSET {offset:UInt32}`;
  const rows = await runner.rows<AudienceMemberRow & { total: number }>(sql, { ...m.params, site: q.site, limit: q.limit, offset: q.offset });
  let total = rows[0]?.total;
  if (total === undefined) total = q.offset > 0 ? (await queryAudiencePreview(runner, { site: q.site, definition: q.definition, asOf: q.asOf, sampleSize: 0 })).size : 0;
  return { total, members: rows.map(({ total: _total, ...row }) => row) };
}
