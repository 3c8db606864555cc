/**
 * Identity stitching, shared by every query that counts people rather than browsers.
 *
 * A person is the customer with the latest identity link of the anonymous id (identities.last_seen,
 * ties broken by customer id so the answer is deterministic), else the customer id the event itself
 * carries, else the anonymous id. So a visitor who browses anonymously and logs in mid-funnel is one person.
 *
 * Usage (needs the `{site:String}` parameter):
 *   WITH ${PERSON_MAP_CTE}
 *   SELECT ${personIdOf('e')} AS person_id ... FROM {db:Identifier}.events AS e
 *   LEFT ANY JOIN person_map AS pm ON pm.anonymous_id = e.anonymous_id
 */
export const PERSON_MAP_CTE = `person_map AS (
  SELECT anonymous_id, argMax(customer_id, (last_seen, customer_id)) AS linked_customer
  FROM (
    SELECT anonymous_id, customer_id, max(last_seen) AS last_seen
    FROM {db:Identifier}.identities
    WHERE site_id = {site:String} AND customer_id != ''
    GROUP BY anonymous_id, customer_id
  )
  GROUP BY anonymous_id
)`;

/** The join that attaches `pm.linked_customer` to events aliased `alias`. */
export const joinPersonMap = (alias: string) => `LEFT ANY JOIN person_map AS pm ON pm.anonymous_id = ${alias}.anonymous_id`;

/** The customer a row belongs to, '' when anonymous. `alias` is the events table alias (a constant, never input). */
export const customerIdOf = (alias: string) => `if(pm.linked_customer != '', pm.linked_customer, ${alias}.customer_id)`;

/** The person id of a row: customer id when known, else the anonymous id. */
export const personIdOf = (alias: string) => `if(${customerIdOf(alias)} != '', ${customerIdOf(alias)}, ${alias}.anonymous_id)`;
