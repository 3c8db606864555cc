import type { ClickHouseClient } from '@clickhouse/client';
import { settleVisits } from '@spoor/infra';
import { hashApiKey } from '../auth/api-key-store.js';

/** An events row: only what a test cares about; the rest gets neutral defaults. */
export interface FixtureEvent {
  type: string;
  /** 'YYYY-MM-DD HH:MM:SS[.mmm]' UTC, or ISO 8601. */
  ts: string;
  anonymous_id: string;
  session_id?: string;
  site_id?: string;
  event_id?: string;
  [column: string]: unknown;
}

export interface FixtureIdentity {
  anonymous_id: string;
  customer_id: string;
  first_seen: string;
  last_seen?: string;
  site_id?: string;
}

export interface FixtureOrder {
  order_id: string;
  ts: string;
  anonymous_id?: string;
  customer_id?: string;
  session_id?: string;
  revenue?: number;
  site_id?: string;
  [column: string]: unknown;
}

export interface FixtureApiKey {
  key: string;
  siteIds: string[];
  keyId?: string;
  revoked?: boolean;
  /** Stored scopes (migration 0400); absent: a key from before scopes (the legacy scopes). */
  scopes?: string[];
}

export interface Fixture {
  events?: FixtureEvent[];
  identities?: FixtureIdentity[];
  orders?: FixtureOrder[];
  orderItems?: Array<{ order_id: string; line: number; ts: string; [column: string]: unknown }>;
  apiKeys?: FixtureApiKey[];
  sites?: Array<{ site_id: string; write_key: string; name?: string }>;
}

export const FIXTURE_SITE = 'shop-1';

let counter = 0;
/** Distinct, valid UUIDs in insertion order (stable ordering when timestamps tie). */
export function fixtureUuid(n = ++counter): string {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

export interface LoadFixtureOptions {
  /**
   * true (default): the events' visits are settled, their visit_* columns filled (migration 0430), as the processor's
   * timer leaves them; false: only marked unsettled, as just after a load, so queries read them from sessions.
   */
  settleVisits?: boolean;
}

/**
 * Loads a small hand-written dataset straight into the tables the processor fills (events, identities,
 * orders, order_items) plus api_keys/sites, so query tests state their expected answers by hand.
 * The sessions projection fills itself through sessions_mv; the events' visits are marked (and settled) as the
 * processor's loader marks them.
 */
export async function loadFixture(client: ClickHouseClient, database: string, fixture: Fixture, options: LoadFixtureOptions = {}): Promise<void> {
  const insert = async (table: string, values: Array<Record<string, unknown>>) => {
    if (values.length > 0) await client.insert({ table: `${database}.${table}`, values, format: 'JSONEachRow' });
  };
  await insert(
    'events',
    (fixture.events ?? []).map((e) => ({
      site_id: FIXTURE_SITE,
      event_id: fixtureUuid(),
      session_id: `${e.anonymous_id}-s1`,
      device_ts: e.ts,
      received_at: e.ts,
      ...e,
    })),
  );
  const visits = new Map<string, { site_id: string; session_id: string }>();
  for (const e of fixture.events ?? []) {
    const visit = { site_id: String(e.site_id ?? FIXTURE_SITE), session_id: String(e.session_id ?? `${e.anonymous_id}-s1`) };
    if (visit.session_id) visits.set(JSON.stringify(visit), visit);
  }
  await insert('unsettled_visits', [...visits.values()]);
  if (visits.size && (options.settleVisits ?? true)) await settleVisits(client, { database });
  await insert(
    'identities',
    (fixture.identities ?? []).map((i) => ({ site_id: FIXTURE_SITE, last_seen: i.first_seen, sources: ['identify'], ...i })),
  );
  await insert('orders', (fixture.orders ?? []).map((o) => ({ site_id: FIXTURE_SITE, event_id: fixtureUuid(), ...o })));
  await insert('order_items', (fixture.orderItems ?? []).map((i) => ({ site_id: FIXTURE_SITE, ...i })));
  await insert(
    'api_keys',
    (fixture.apiKeys ?? []).map((k, i) => ({
      key_id: k.keyId ?? `key-${i + 1}-${k.siteIds.join('+')}`,
      key_sha256: hashApiKey(k.key),
      site_ids: k.siteIds,
      name: 'fixture',
      revoked: k.revoked ?? false,
      scopes: k.scopes ?? [],
    })),
  );
  await insert('sites', (fixture.sites ?? []).map((s) => ({ name: s.site_id, allowed_origins: [], allowed_redirect_hosts: [], ...s })));
}
