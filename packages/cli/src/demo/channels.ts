/**
 * How demo visitors arrive: real referrer URLs and campaign parameters, so the processor's channel, source and
 * search-term enrichment has the same material as on a live shop.
 */
export interface Arrival {
  name: string;
  referrer?: string;
  /** Query parameters on the landing URL (UTM, click ids). */
  params?: Record<string, string>;
  /** Where the visitor lands: home, a product, or a search result page. */
  landing: 'home' | 'product' | 'category';
}

export const ARRIVALS: ReadonlyArray<readonly [Arrival, number]> = [
  [{ name: 'direct', landing: 'home' }, 24],
  [{ name: 'google organic', referrer: 'https://www.google.com/', landing: 'product' }, 18],
  [{ name: 'bing organic', referrer: 'https://www.bing.com/search?q=trail+running+shoes', landing: 'product' }, 3],
  [{ name: 'yandex organic', referrer: 'https://yandex.ru/search/?text=%D0%BA%D1%80%D0%BE%D1%81%D1%81%D0%BE%D0%B2%D0%BA%D0%B8+%D0%B4%D0%BB%D1%8F+%D0%B1%D0%B5%D0%B3%D0%B0', landing: 'category' }, 3],
  [{ name: 'duckduckgo organic', referrer: 'https://duckduckgo.com/', landing: 'home' }, 2],
  [{ name: 'google ads', referrer: 'https://www.google.com/', params: { utm_source: 'google', utm_medium: 'cpc', utm_campaign: 'brand-search', gclid: 'EAIaIQobChMI' }, landing: 'product' }, 9],
  [{ name: 'facebook', referrer: 'https://l.facebook.com/', params: { fbclid: 'IwAR2x' }, landing: 'product' }, 6],
  [{ name: 'instagram ads', referrer: 'https://www.instagram.com/', params: { utm_source: 'instagram', utm_medium: 'paid_social', utm_campaign: 'autumn-trail' }, landing: 'product' }, 4],
  [{ name: 'idealo', referrer: 'https://www.idealo.de/preisvergleich/OffersOfProduct/201.html', landing: 'product' }, 4],
  [{ name: 'ceneo', referrer: 'https://www.ceneo.pl/12345', landing: 'product' }, 3],
  [{ name: 'pricerunner', referrer: 'https://www.pricerunner.com/pl/110-5234/Running-Shoes', landing: 'product' }, 2],
  [{ name: 'yandex market', referrer: 'https://market.yandex.ru/product--krossovki/1234', landing: 'product' }, 2],
  [{ name: 'blog referral', referrer: 'https://www.runnersworld.com/gear/a1/best-trail-shoes/', landing: 'product' }, 4],
];
