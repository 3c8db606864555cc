-- Orders, one row per (site, order_id): a reloaded thank-you page that sends the purchase twice
-- (two event ids, same order) still counts one order.
CREATE TABLE IF NOT EXISTS {{database}}.orders {{on_cluster}}
(
    site_id       LowCardinality(String),
    order_id      String,
    event_id      UUID,
    ts            DateTime64(3, 'UTC'),
    anonymous_id  String,
    session_id    String,
    customer_id   String,
    revenue       Decimal(18, 4),
    tax           Decimal(18, 4),
    shipping      Decimal(18, 4),
    currency      LowCardinality(String),
    coupon        String,
    items_count   UInt32,
    channel       LowCardinality(String),
    inserted_at   DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = {{replicated}}ReplacingMergeTree(inserted_at)
ORDER BY (site_id, order_id);

CREATE TABLE IF NOT EXISTS {{database}}.order_items {{on_cluster}}
(
    site_id       LowCardinality(String),
    order_id      String,
    line          UInt16,
    ts            DateTime64(3, 'UTC'),
    customer_id   String,
    anonymous_id  String,
    product_id    String,
    product_name  String,
    category      LowCardinality(String),
    brand         LowCardinality(String),
    price         Decimal(18, 4),
    quantity      UInt32,
    inserted_at   DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = {{replicated}}ReplacingMergeTree(inserted_at)
ORDER BY (site_id, order_id, line)
