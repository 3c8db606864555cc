-- People who sign in (issue 18): users and their role per site. Sign-in sessions are not here: they live in the
-- KeyValue port (Redis or in-process) with their expiry (packages/query-api/src/accounts/session-store.ts).
--
-- Why ReplacingMergeTree: a few rows (one per person), rare writes (an owner adding a colleague), and reads that
-- want the one current row. Every write inserts the whole row with a higher `version`; FINAL reads see only the
-- highest, so the last write wins without UPDATE mutations (which ClickHouse runs asynchronously and expensively).
-- There are no unique constraints: the email is kept unique by the writer (it looks before it inserts), which is
-- enough for an administrative action done by hand. On a cluster (`spoor migrate` with CLICKHOUSE_CLUSTER) the
-- migration mechanism creates them ON CLUSTER with the Replicated engine, so every replica sees every user; an
-- insert reaches the other replicas asynchronously (usually within a second), so a user created on one node can sign
-- in on another a moment later. docs/admin.md "Users and sign-in" says the same.
CREATE TABLE IF NOT EXISTS {{database}}.users {{on_cluster}}
(
    user_id                 String,
    email                   String,
    display_name            String,
    -- scrypt$N$r$p$salt$hash (node:crypto scrypt); '' until the user follows a set-up link.
    password_hash           String,
    owner                   Bool DEFAULT false,
    disabled                Bool DEFAULT false,
    credential_generation   UInt32 DEFAULT 0,
    -- SHA-256 of the one pending set-up token (never the token), '' when none; expiry in epoch ms.
    setup_token_hash        String DEFAULT '',
    setup_token_expires_at  UInt64 DEFAULT 0,
    created_at              DateTime64(3, 'UTC'),
    version                 UInt64
)
ENGINE = {{replicated}}ReplacingMergeTree(version)
ORDER BY user_id;

-- A user's role on one site; removing it is a newer row with removed = true (the newest row of a (user, site) wins).
CREATE TABLE IF NOT EXISTS {{database}}.user_site_roles {{on_cluster}}
(
    user_id  String,
    site_id  String,
    role     LowCardinality(String),
    removed  Bool DEFAULT false,
    version  UInt64
)
ENGINE = {{replicated}}ReplacingMergeTree(version)
ORDER BY (user_id, site_id);
