/**
 * Identity stitching, shared by every query that counts people rather than browsers.
 *
 * A person is the customer with the latest identity link of the anonymous id (identities.last_seen, ties
 * broken by customer id so the answer is deterministic), else the anonymous id. So a visitor who browses
 * anonymously and logs in mid-funnel is one person, and two devices linked to one customer are one person.
 * For display, `customerOf` also falls back to a customer id carried by the rows themselves.
 *
 * Resolve per anonymous id, after grouping (cheaper than joining every event row):
 *   WITH ${PERSON_MAP_CTE}, per_anon AS (SELECT anonymous_id, max(customer_id) AS seen_customer, … GROUP BY anonymous_id)
 *   SELECT ${personOf('g')} AS person_id, … FROM per_anon AS g ${joinPersonMap('g')}
 * Needs the `{site:String}` and `{db:Identifier}` parameters.
 */
// One aggregation over the raw identity rows: rows of one (anonymous id, customer) pair not yet folded by a merge carry
// older last_seen values, and the maximum (last_seen, customer_id) over all rows is the same as over the folded rows,
// so argMax needs no inner GROUP BY to fold them first (half the cost of the map).
export const PERSON_MAP_CTE = `person_map AS (
  SELECT anonymous_id, argMax(customer_id, (last_seen, customer_id)) AS linked_customer
  FROM {db:Identifier}.identities
  WHERE site_id = {site:String} AND customer_id != ''
  GROUP BY anonymous_id
)`;

/** Attaches `pm.linked_customer` ('' when none) to rows aliased `alias` that have an `anonymous_id` column. */
export const joinPersonMap = (alias: string) => `LEFT ANY JOIN person_map AS pm ON pm.anonymous_id = ${alias}.anonymous_id`;

/** The customer of a row, '' when anonymous. `seenCustomer` is the customer id on the row's own events. */
export const customerOf = (alias: string, seenCustomer: string) => `if(pm.linked_customer != '', pm.linked_customer, ${alias}.${seenCustomer})`;

/**
 * The person id: the linked customer, else (with `seenCustomer`) the customer id the rows carry themselves, else
 * the anonymous id. `alias` and `seenCustomer` are constants, never input.
 */
export const personOf = (alias: string, seenCustomer?: string) =>
  seenCustomer
    ? `if(${customerOf(alias, seenCustomer)} != '', ${customerOf(alias, seenCustomer)}, ${alias}.anonymous_id)`
    : `if(pm.linked_customer != '', pm.linked_customer, ${alias}.anonymous_id)`;

/**
 * The same mapping as constant arrays, for resolving people on raw event rows without a join: after
 * `WITH ${PERSON_MAP_CTE}, ${PERSON_LOOKUP}`, `linkedCustomerOf('e.anonymous_id')` is the linked customer or ''.
 * `transform` hashes the arrays once per query, so a 10M-row scan pays a lookup, not a join and a regroup.
 */
export const PERSON_LOOKUP = `(SELECT (groupArray(anonymous_id), groupArray(linked_customer)) FROM person_map) AS person_lookup`;

export const linkedCustomerOf = (anonymousId: string) => `transform(${anonymousId}, person_lookup.1, person_lookup.2, '')`;

/**
 * The same mapping on 64-bit hashes, for queries that only group people: after `WITH ${PERSON_MAP_CTE},
 * ${PERSON_HASH_LOOKUP}`, `transform(cityHash64(anonymous_id), person_hash_lookup.1, person_hash_lookup.2,
 * cityHash64(anonymous_id))` is the person's key. A numeric lookup and no string per row: ~45 ms less per 2.8M rows.
 */
export const PERSON_HASH_LOOKUP = `(SELECT (groupArray(cityHash64(anonymous_id)), groupArray(cityHash64(linked_customer))) FROM person_map) AS person_hash_lookup`;
