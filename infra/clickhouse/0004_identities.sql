-- The identity graph: which anonymous ids belong to which customer, and when the link was seen.
-- min/max are idempotent, so re-inserting the same link (redelivery, replay) changes nothing.
-- A visitor's person id in queries is the customer with the latest link, else the anonymous id.
CREATE TABLE IF NOT EXISTS {{database}}.identities {{on_cluster}}
(
    site_id       LowCardinality(String),
    anonymous_id  String,
    customer_id   String,
    first_seen    SimpleAggregateFunction(min, DateTime64(3, 'UTC')),
    last_seen     SimpleAggregateFunction(max, DateTime64(3, 'UTC')),
    sources       SimpleAggregateFunction(groupUniqArrayArray, Array(String))
)
ENGINE = {{replicated}}AggregatingMergeTree
ORDER BY (site_id, anonymous_id, customer_id)
