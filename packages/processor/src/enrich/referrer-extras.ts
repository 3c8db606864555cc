/**
 * What the referrer dataset does not carry, kept here with its source noted:
 * - search-term parameters per engine (from the engines' own result URLs; the Snowplow list had them, the
 *   maintained fork dropped them);
 * - price-comparison sites (the issue's list plus the large regional ones), which the dataset either lacks or
 *   files under "paid" (Yandex.Market, Torg.Mail.ru);
 * - a few hosts the dataset misses (ya.ru).
 */

/** Query parameters that carry the search term, by dataset source name. */
export const SEARCH_TERM_PARAMS: Readonly<Record<string, readonly string[]>> = {
  Google: ['q'],
  'Google Images': ['q'],
  Bing: ['q'],
  Yandex: ['text'],
  'Yandex Images': ['text'],
  'Mail.ru': ['q', 'words'],
  DuckDuckGo: ['q'],
  'Yahoo!': ['p', 'q'],
  Baidu: ['wd', 'word', 'kw'],
  Ecosia: ['q'],
  Seznam: ['q'],
  Naver: ['query'],
  Rambler: ['query', 'words'],
  Qwant: ['q'],
  Startpage: ['query', 'q'],
  'Brave Search': ['q'],
  Ask: ['q'],
  Sogou: ['query'],
  '360.cn': ['q'],
  Daum: ['q'],
  'Wirtualna Polska': ['q'],
  Onet: ['qt', 'q'],
};

/** When an engine is not in the table above: the usual names, in order. */
export const FALLBACK_SEARCH_TERM_PARAMS = ['q', 'query', 'text', 'p', 'wd', 'search'] as const;

export const EXTRA_SEARCH_HOSTS: Readonly<Record<string, string>> = {
  'ya.ru': 'Yandex',
  'www.ya.ru': 'Yandex',
  'yandex.kz': 'Yandex',
  'yandex.com.tr': 'Yandex',
  'yandex.uz': 'Yandex',
  'search.seznam.cz': 'Seznam',
  'www.qwant.com': 'Qwant',
  'www.startpage.com': 'Startpage',
  'www.ecosia.org': 'Ecosia',
};

/**
 * Price-comparison sites: registrable domains (a referrer on any subdomain matches). Google Shopping lives on
 * Google's search hosts and is recognised by its path/parameters in classify-referrer.ts.
 */
export const COMPARISON_SITES: Readonly<Record<string, string>> = {
  'market.yandex.ru': 'Yandex.Market',
  'market.yandex.by': 'Yandex.Market',
  'market.yandex.kz': 'Yandex.Market',
  'market.yandex.ua': 'Yandex.Market',
  'market.yandex.com': 'Yandex.Market',
  'ceneo.pl': 'Ceneo',
  'skapiec.pl': 'Skąpiec',
  'nokaut.pl': 'Nokaut',
  'hotline.ua': 'Hotline',
  'ek.ua': 'e-Katalog',
  'e-katalog.ru': 'e-Katalog',
  'e-katalog.com': 'e-Katalog',
  'idealo.de': 'idealo',
  'idealo.at': 'idealo',
  'idealo.fr': 'idealo',
  'idealo.it': 'idealo',
  'idealo.es': 'idealo',
  'idealo.co.uk': 'idealo',
  'pricerunner.com': 'PriceRunner',
  'pricerunner.se': 'PriceRunner',
  'pricerunner.dk': 'PriceRunner',
  'pricerunner.co.uk': 'PriceRunner',
  'shopping.google.com': 'Google Shopping',
  'torg.mail.ru': 'Torg.Mail.ru',
  'price.ru': 'Price.ru',
  'geizhals.at': 'Geizhals',
  'geizhals.de': 'Geizhals',
  'heureka.cz': 'Heureka',
  'heureka.sk': 'Heureka',
  'arukereso.hu': 'Árukereső',
  'compari.ro': 'Compari',
  'prisjakt.nu': 'Prisjakt',
  'pricespy.co.uk': 'PriceSpy',
  'kelkoo.com': 'Kelkoo',
  'kelkoo.fr': 'Kelkoo',
  'billiger.de': 'billiger.de',
  'tweakers.net': 'Tweakers Pricewatch',
  'beslist.nl': 'Beslist',
  'kieskeurig.nl': 'Kieskeurig',
  'trovaprezzi.it': 'Trovaprezzi',
  'pricegrabber.com': 'PriceGrabber',
  'shopzilla.com': 'Shopzilla',
  'bizrate.com': 'Bizrate',
  'akakce.com': 'Akakçe',
  'cimri.com': 'Cimri',
};
