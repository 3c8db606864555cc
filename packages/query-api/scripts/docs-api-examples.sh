#!/usr/bin/env bash
# Regenerates docs/api.md: seeds a fixed shop into a fresh chDB dir, starts the real server (src/main.ts),
# runs each documented curl against it and pastes the real responses.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA="$(mktemp -d)"
PORT="${PORT:-8799}"
npx --no-install tsx scripts/seed-docs-fixture.ts "$DATA"
SPOOR_DATA_DIR="$DATA" PORT="$PORT" npx --no-install tsx src/main.ts > "$DATA/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$DATA"' EXIT
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.5; done

BASE="http://127.0.0.1:$PORT"
OUT=../../docs/api.md
example() { # title, description, curl args…
  local title="$1" desc="$2"; shift 2
  local shown="curl -s" arg
  for arg in "$@"; do
    arg="${arg//$BASE/http://localhost:8790}"
    if [[ "$arg" =~ ^[A-Za-z0-9_./:=-]+$ ]]; then shown+=" $arg"; else shown+=" '$arg'"; fi
  done
  { echo "### $title"; echo; echo "$desc"; echo; echo '```sh'; echo "$shown"; echo '```'; echo; echo '```json';
    curl -s -w '\n' "$@" | jq .; echo '```'; echo; } >> "$OUT"
}
AUTH=(-H 'Authorization: Bearer sk_demo_shop1')
JSON=(-H 'content-type: application/json')

cat > "$OUT" <<'MD'
# Spoor query API

This page: the analysts' endpoints (overview, funnels, attribution and revenue by channel, exits, abandoned carts). Marketing, support and privacy endpoints
(RFM, audiences and exports, customer profiles, ABC, erasure) are in [api-customers.md](api-customers.md).
`npm start` serves all of them under `/api/v1` on one port with the rest of Spoor; alone, the service runs as
`npx spoor query-api` or `npm start -w @spoor/query-api`.

Analytics over the Spoor ClickHouse tables, served by `packages/query-api` (`npm start -w @spoor/query-api`,
env: `PORT` (8790), `CLICKHOUSE_URL` or `SPOOR_DATA_DIR` (embedded chDB), `CLICKHOUSE_DATABASE`, `QUERY_MAX_EXECUTION_TIME` (20 s),
`QUERY_MAX_RANGE_DAYS` (400), `QUERY_MAX_ROWS` (1000)). The OpenAPI document, generated from the same zod schemas that
validate requests, is at `GET /openapi.json`.

## Conventions
- **Auth**: a secret API key as `Authorization: Bearer <key>` (only its SHA-256 is stored, table `api_keys`). Keys are scoped
  to sites. Unknown/revoked key → 401; a site outside the key's scope → 403. The public write key of a site is not an API
  key (401). Failed key lookups are rate limited per client address (20 at once, 2 more per second; the socket's peer
  address — `X-Forwarded-For` is not believed unless the embedding passes a `clientAddress` that trusts a proxy): past
  that, every request from the address is 429 `rate_limited` with `Retry-After`, and its keys are not looked up.
- **Site**: every request names exactly one `site`: in the JSON body for POST, in the query string for GET and DELETE.
  It is resolved and checked once, before any route, and is the only site a route can read. Naming it again elsewhere
  (the query string of a POST, a repeated `?site=`, a `site` in a DELETE's body) is allowed only with the identical
  string; any difference — another site, other case, whitespace, look-alike characters — is 400 `site`.
- **Dates**: `from` (inclusive) and `to`: a date (`2026-11-01`, UTC day; as `to` it includes the whole day) or an ISO date-time
  with offset (`2026-11-01T10:00:00Z`, `…+01:00`; as `to`, exclusive). Default: the last 30 days. Longest range: 400 days
  (configurable). Every date (`from`, `to`, `as_of`) lies between 1970-01-01 and 2200-12-31 UTC and is a real calendar
  day (`2026-02-31` is refused); outside is 400 naming it.
- **Limits**: lists hold `limit` rows (default 10, at most 1000); each ClickHouse query runs with `max_execution_time`.
  Request bodies: at most 128 KiB (`maxBodyBytes` of `createQueryApi`), else 413 `payload_too_large` before the body is
  read. Funnels take 2–10 steps (11 is 400 `steps`).
- **Input**: unknown query parameters and body fields are 400 naming them (`colour`, `steps.0.colour`); a repeated
  parameter (other than an identical `site`) is 400. Text anywhere (parameters, path ids, body strings and keys) must be well-formed Unicode without NUL
  (a lone surrogate or U+0000 is 400 naming the field); JSON numbers must be finite and within ±2^53 (`1e308` is 400);
  JSON bodies nest at most 32 levels, and a key named twice in one object is 400 naming it. Unknown paths under `/api/` are a JSON 404 (also under `spoor start`, whose demo
  shop never answers `/api/*`, `/v1/*`, `/openapi.json`, `/healthz`, `/readyz` or `/metrics`).
- **Bots** (`is_bot`) are excluded unless `include_bots=true` (`"include_bots": true` in bodies).
- **People**: a visitor is identity-stitched: the customer with the latest identity link of the anonymous id (table
  `identities`), else the anonymous id. Two devices of one customer are one visitor. A shown `customer_id` also falls back
  to a customer id carried by the events themselves.
- **Sessions are visits**: the overview's `sessions`, `visitors`, bounce rate, session length and session filters
  count sessions with at least one browsing event. Email opens and clicks carry a pseudo-session `email:<campaign>` and
  a pseudo-browser `email:<customer>`; they count in `events` and `events_by_type` (unfiltered) but are no session and
  no visitor. Exits count sessions with page views, so they never see them either.
- **Errors**: `{"error": {"code", "message", "parameter"?}}`, the same body as the collector's (`errorBodySchema` of
  `@spoor/events`): 400 `invalid_parameter` names the parameter (dotted path in bodies, e.g. `steps.1.type`), 401
  `unauthorized`, 403 `forbidden`, 404 `not_found`, 413 `payload_too_large`, 422 `query_memory_limit`, 429
  `rate_limited`, 503 `unavailable` (429 and 503 with `Retry-After`), 504 `query_timeout`; the full list is in the
  Errors section of docs/api.md.
  Client input never causes a 500. All SQL uses ClickHouse `{name:Type}` parameters; column names come from allowlists.

## Funnel semantics
- A unit (visitor or session) **enters** when it does step 1 inside `[from, to)`; later steps may fall after `to`.
- Email opens and clicks belong to no visit: their session is the campaign's pseudo-session `email:<campaign>`, shared
  by every recipient. With `unit: "session"` a funnel whose first step is `email_open` or `email_click` therefore counts
  one unit per campaign and never reaches a browsing step; use `unit: "visitor"` for funnels with email steps.
- Each later step happens at or after the previous one (equal timestamps count as in order; one event never fills two
  steps) and within `window_seconds` of the entry (inclusive). A step's own `window_seconds` tightens this for that step,
  still measured from the entry.
- `non_strict` (default): other events may happen in between. `strict`: the unit's next event after a step (page_ping
  heartbeats ignored) must be the next step, else that attempt ends.
- Each unit counts once, with its furthest attempt (if several reach that step: the one with the latest entry). Medians are
  over the units that reached the step, from that attempt's first completion of each step. Breakdown values are those of
  the entry event; when several step-1 events share the entry's millisecond, the smallest value (byte order) wins, in
  `/funnels` and `/funnels/people` alike. For `channel`, `source`, `medium` and `campaign` the entry event's value is
  the **attribution of the visit it belongs to** (see Attribution below), not that of its own page: a shopper who
  lands from a newsletter and enters the funnel on a product page reached through the single-page app (no UTM on it)
  is counted under `Email` / `newsletter` / the campaign; when simultaneous step-1 events of different visits share
  the entry's millisecond, the visit with the smallest session id gives the value. A step's `channel` filter likewise
  compares the visit's channel. `device` and `country` are the entry event's own.
- `/funnels/people` lists units whose furthest step is exactly `step` (reached it, not the next): the abandonment list.

## Attribution
- **A visit's attribution is that of its landing**, GA4-style: the session's earliest event by (time, event id) that
  has a channel gives the visit its channel, source, medium, campaign (UTM source/medium/campaign/term/content, click
  id), referrer host and search term. Every later event of the visit — SPA pages without campaign parameters, the
  purchase — belongs to that visit's attribution, while the event rows keep their own page's facts (an internal SPA
  page is `Direct` on its own). A new campaign or a new referrer starts a new session in the tracker, so a new visit.
  One definition (`sessions.attribution`, migration 0350) serves funnels, orders and revenue.
- **Orders** are credited by one of three models (`model` of `GET /revenue`; the customer profile shows all three):
  `visit` — the visit the order was placed in; `last_non_direct` — the person's latest visit that started within the
  lookback window (default 30 days, `lookback_days` 1–90) at or before the order and was not `Direct`, else the
  order's own visit (GA4's "last non-direct click"); `first_touch` — the person's earliest visit within the same
  window. People are identity-stitched as everywhere (two devices of one customer are one person); bot visits are
  never touches.
- `GET /revenue` answers, per attribution value (`by=channel|source|medium|campaign|email_campaign`): orders placed in
  `[from, to)` credited to it, their revenue (summed as stored, one currency per shop assumed), `visits` — non-bot
  visits that started in the range with that value —, `conversion_rate` = orders / visits (null without visits; with
  the multi-touch models an order's credited visit may lie before `from`, so it can exceed 1) and `aov` = revenue /
  orders. `email_campaign` lists only `Email` visits, by campaign. Orders count once however often their purchase was
  sent (orders FINAL).

## Exits and carts
- Exit page = the last page view of a session in the range, entry page = the first (equal timestamps: event id decides).
  `exit_rate` = exits / page views of that page; sessions without page views are not counted.
- A cart is its `cart_id`, or the browser's cart when the shop sends none. Items are net quantities (adds − removes) at the
  latest price. A purchase closes a cart when it names the cart, or names none and comes from the same anonymous id, at
  most `hours` after the cart's last change (inclusive). Carts whose window has not yet passed are not listed. Each cart
  is listed once however many visits it spans; adds up to 30 days before `from` are read.

## Examples
These ran against `src/main.ts` on the fixed shop of `scripts/seed-docs-fixture.ts`; the responses are pasted unedited
(`bash packages/query-api/scripts/docs-api-examples.sh` regenerates this file).

MD

example 'GET /api/v1/overview' 'The first dashboard screen for a date range.' \
  "${AUTH[@]}" "$BASE/api/v1/overview?site=shop-1&from=2026-11-01&to=2026-11-05&limit=3"
example 'GET /api/v1/overview (filtered)' 'Only sessions that arrived from Germany on mobile.' \
  "${AUTH[@]}" "$BASE/api/v1/overview?site=shop-1&from=2026-11-01&to=2026-11-05&country=DE&device=mobile&limit=2"
example 'POST /api/v1/funnels' 'Product page → cart → checkout → purchase, visitors (Dan carts on his phone and checks out on his laptop: one person), broken down by channel.' \
  "${AUTH[@]}" "${JSON[@]}" -X POST "$BASE/api/v1/funnels" -d '{"site":"shop-1","from":"2026-11-01","to":"2026-11-05","window_seconds":172800,"breakdown":"channel","steps":[{"type":"page_view","path":"/products/*"},{"type":"add_to_cart"},{"type":"checkout_start"},{"type":"purchase"}]}'
example 'POST /api/v1/funnels (sessions, strict)' 'The same funnel per session in strict order.' \
  "${AUTH[@]}" "${JSON[@]}" -X POST "$BASE/api/v1/funnels" -d '{"site":"shop-1","from":"2026-11-01","to":"2026-11-05","unit":"session","order":"strict","steps":[{"type":"page_view","path":"/products/*"},{"type":"add_to_cart"},{"type":"checkout_start"},{"type":"purchase"}]}'
example 'POST /api/v1/funnels/people' 'Who started checkout but did not buy (reached step 3, not 4).' \
  "${AUTH[@]}" "${JSON[@]}" -X POST "$BASE/api/v1/funnels/people" -d '{"site":"shop-1","from":"2026-11-01","to":"2026-11-05","window_seconds":172800,"step":3,"steps":[{"type":"page_view","path":"/products/*"},{"type":"add_to_cart"},{"type":"checkout_start"},{"type":"purchase"}]}'
example 'GET /api/v1/exits' 'Exit and entry pages.' \
  "${AUTH[@]}" "$BASE/api/v1/exits?site=shop-1&from=2026-11-01&to=2026-11-05&limit=3"
example 'GET /api/v1/exits (cart abandoners, by channel)' 'Where sessions that added to cart without purchasing left, per channel.' \
  "${AUTH[@]}" "$BASE/api/v1/exits?site=shop-1&from=2026-11-01&to=2026-11-05&cart_without_purchase=true&by=channel"
example 'GET /api/v1/revenue' 'Orders, revenue, conversion rate and average order value per channel, each order credited to the visit it was placed in (Anna landed from the newsletter).' \
  "${AUTH[@]}" "$BASE/api/v1/revenue?site=shop-1&from=2026-11-01&to=2026-11-05&by=channel&model=visit&limit=3"
example 'GET /api/v1/carts/abandoned' 'Carts with items and no purchase within 24 hours, once per cart.' \
  "${AUTH[@]}" "$BASE/api/v1/carts/abandoned?site=shop-1&from=2026-11-01&to=2026-11-05&hours=24"
example 'Errors' 'A bad parameter is named; a site outside the key scope is 403; an unknown key is 401.' \
  "${AUTH[@]}" "${JSON[@]}" -X POST "$BASE/api/v1/funnels" -d '{"site":"shop-1","steps":[{"type":"page_view"},{"type":"teleport"}]}'
example 'Errors (403)' '' "${AUTH[@]}" "$BASE/api/v1/overview?site=shop-2"
example 'Errors (401)' '' -H 'Authorization: Bearer wk_public_shop1' "$BASE/api/v1/overview?site=shop-1"
echo "wrote $OUT"
