import { CLICK_IDS, type Campaign } from './read-campaign.js';
import type { Traffic } from './classify-referrer.js';

export type Channel =
  | 'Organic Search'
  | 'Paid Search'
  | 'Organic Social'
  | 'Paid Social'
  | 'Email'
  | 'Referral'
  | 'Direct'
  | 'Affiliates/Comparison'
  | 'Unassigned';

const SOCIAL_SOURCES = /(facebook|instagram|tiktok|twitter|^x$|^t\.co$|linkedin|pinterest|snapchat|vk|vkontakte|ok\.ru|odnoklassniki|reddit|youtube|telegram|threads|mastodon|bluesky|weibo|douban|xing|tumblr)/i;
const SEARCH_SOURCES = /(google|bing|yandex|baidu|duckduckgo|yahoo|ecosia|mail\.ru|naver|seznam|qwant|startpage|brave|ask|sogou|rambler|yandex\.direct)/i;

/** A GA4-style default channel group from the classified traffic (simplified to the groups the reports use). */
export function assignChannel(traffic: Traffic, campaign: Campaign): Channel {
  const clickId = CLICK_IDS.find((c) => c.param === campaign.clickIdType);
  switch (traffic.medium) {
    case 'direct':
    case 'internal':
      return 'Direct';
    case 'comparison':
      return 'Affiliates/Comparison';
    case 'email':
      return 'Email';
    case 'search':
      return 'Organic Search';
    case 'social':
      return 'Organic Social';
    case 'paid':
      if (clickId?.paid) return clickId.social ? 'Paid Social' : 'Paid Search';
      if (SOCIAL_SOURCES.test(traffic.source)) return 'Paid Social';
      if (SEARCH_SOURCES.test(traffic.source)) return 'Paid Search';
      return 'Unassigned';
    case 'unknown':
      if (campaign.utmMedium === 'affiliate' || campaign.utmMedium === 'partner') return 'Affiliates/Comparison';
      if (campaign.utmMedium === 'referral' || (traffic.referrerHost && !campaign.utmSource)) return 'Referral';
      return 'Unassigned';
  }
}
