import type { Attribution } from '../shared/visit-attribution.js';
import type { CustomerAnonymousIds } from './customer-events-filter.js';

/**
 * The parts a customer profile is made of. Their own file because both builders fill them: customer-profile.ts (SQL,
 * and the ClickHouse-side aggregation for large customers) and customer-timeline.ts (from fetched rows); with the
 * type in either one, the two modules would import each other.
 */
export interface ProfileParts {
  anonymousIds: CustomerAnonymousIds;
  /** email_opens / email_machine_opens: campaigns opened by a human / by a machine (unique per campaign, not pixel hits). */
  summary: { first_seen: string | null; last_seen: string | null; email_opens: number; email_machine_opens: number; email_clicks: number; events: number };
  emails: Array<{ campaign_id: string; first_opened_at: string | null; first_clicked_at: string | null; opens: number; clicks: number }>;
  sessions: Array<{ session_id: string; started_at: string; ended_at: string; channel: string; source: string; entry_page: string; page_views: number; purchased: boolean }>;
  openCarts: Array<{ cart_id: string; updated_at: string; value: number; items: Array<{ product_id: string; product_name: string; quantity: number; price: number }> }>;
  orders: Array<{
    order_id: string;
    ts: string;
    revenue: number;
    currency: string;
    items_count: number;
    channel: string;
    attribution: { visit: Attribution; first_touch: Attribution; last_non_direct: Attribution };
  }>;
  lifetime: { orders: number; revenue: number };
}
