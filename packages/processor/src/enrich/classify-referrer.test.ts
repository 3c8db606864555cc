import { describe, expect, it } from 'vitest';
import { assignChannel } from './assign-channel.js';
import { classifyTraffic } from './classify-referrer.js';
import { readCampaign } from './read-campaign.js';
import { loadReferrerDataset } from './referrer-dataset.js';

const dataset = loadReferrerDataset();

function classify(landing: string, referrer?: string, fromEmail = false) {
  const url = new URL(landing);
  const campaign = readCampaign(url.searchParams);
  const traffic = classifyTraffic(dataset, { pageHost: url.hostname, referrer, campaign, fromEmail });
  return { ...traffic, channel: assignChannel(traffic, campaign), campaign };
}

const shop = 'https://shop.example/p/42';

describe('referrer, campaign and channel from real referrer URLs', () => {
  it('search engines with the search term where the engine passes it', () => {
    expect(classify(shop, 'https://yandex.ru/search/?text=%D0%BA%D1%80%D0%BE%D1%81%D1%81%D0%BE%D0%B2%D0%BA%D0%B8&lr=213')).toMatchObject({ medium: 'search', source: 'Yandex', searchTerm: 'кроссовки', channel: 'Organic Search' });
    expect(classify(shop, 'https://www.google.com/search?q=trail+running+shoes')).toMatchObject({ medium: 'search', source: 'Google', searchTerm: 'trail running shoes' });
    expect(classify(shop, 'https://www.google.pl/')).toMatchObject({ medium: 'search', source: 'Google', searchTerm: '', channel: 'Organic Search' });
    expect(classify(shop, 'https://www.bing.com/search?q=buty+do+biegania&form=QBLH')).toMatchObject({ source: 'Bing', searchTerm: 'buty do biegania' });
    expect(classify(shop, 'https://go.mail.ru/search?q=%D0%BE%D0%B1%D1%83%D0%B2%D1%8C')).toMatchObject({ source: 'Mail.ru', searchTerm: 'обувь' });
    expect(classify(shop, 'https://duckduckgo.com/?q=vegan+boots&ia=web')).toMatchObject({ source: 'DuckDuckGo', searchTerm: 'vegan boots' });
    expect(classify(shop, 'https://ya.ru/search/?text=sneakers')).toMatchObject({ medium: 'search', source: 'Yandex', searchTerm: 'sneakers' });
  });

  it('social networks and webmail', () => {
    expect(classify(shop, 'https://l.facebook.com/l.php?u=https%3A%2F%2Fshop.example%2F')).toMatchObject({ medium: 'social', source: 'Facebook', channel: 'Organic Social' });
    expect(classify(shop, 'https://t.co/abc123')).toMatchObject({ medium: 'social', source: 'Twitter' });
    expect(classify(shop, 'https://vk.com/away.php?to=x')).toMatchObject({ medium: 'social', channel: 'Organic Social' });
    expect(classify(shop, 'https://mail.google.com/mail/u/0/')).toMatchObject({ medium: 'email', source: 'Gmail', channel: 'Email' });
  });

  it('price-comparison sites', () => {
    expect(classify(shop, 'https://market.yandex.ru/product--krossovki/123')).toMatchObject({ medium: 'comparison', source: 'Yandex.Market', channel: 'Affiliates/Comparison' });
    expect(classify(shop, 'https://www.ceneo.pl/12345678')).toMatchObject({ medium: 'comparison', source: 'Ceneo' });
    expect(classify(shop, 'https://www.skapiec.pl/site/cat/1')).toMatchObject({ source: 'Skąpiec' });
    expect(classify(shop, 'https://hotline.ua/ua/sport-krossovki/')).toMatchObject({ source: 'Hotline' });
    expect(classify(shop, 'https://ek.ua/ua/list/1/')).toMatchObject({ source: 'e-Katalog' });
    expect(classify(shop, 'https://www.idealo.de/preisvergleich/OffersOfProduct/1.html')).toMatchObject({ source: 'idealo' });
    expect(classify(shop, 'https://www.pricerunner.com/pl/1/shoes')).toMatchObject({ source: 'PriceRunner' });
    expect(classify(shop, 'https://www.google.com/search?q=shoes&tbm=shop')).toMatchObject({ medium: 'comparison', source: 'Google Shopping' });
  });

  it('campaign tags and click ids win over the referrer', () => {
    const paid = classify(`${shop}?gclid=Cj0KCQiA&utm_source=google&utm_medium=cpc&utm_campaign=winter`, 'https://www.google.com/');
    expect(paid).toMatchObject({ medium: 'paid', source: 'google', channel: 'Paid Search' });
    expect(paid.campaign).toMatchObject({ utmSource: 'google', utmMedium: 'cpc', utmCampaign: 'winter', clickIdType: 'gclid', clickId: 'Cj0KCQiA' });
    expect(classify(`${shop}?yclid=4242`, 'https://yandex.ru/')).toMatchObject({ medium: 'paid', source: 'yandex', channel: 'Paid Search' });
    expect(classify(`${shop}?msclkid=abc`)).toMatchObject({ medium: 'paid', source: 'bing', channel: 'Paid Search' });
    expect(classify(`${shop}?utm_source=facebook&utm_medium=paid_social`, 'https://m.facebook.com/')).toMatchObject({ medium: 'paid', channel: 'Paid Social' });
    // fbclid rides on organic Facebook links too.
    expect(classify(`${shop}?fbclid=IwAR0`, 'https://l.facebook.com/')).toMatchObject({ medium: 'social', channel: 'Organic Social' });
    expect(classify(`${shop}?utm_source=newsletter&utm_medium=email&utm_campaign=black-friday`)).toMatchObject({ medium: 'email', source: 'newsletter', channel: 'Email' });
    expect(classify(`${shop}?utm_source=ceneo&utm_medium=cse`)).toMatchObject({ medium: 'comparison', channel: 'Affiliates/Comparison' });
    expect(classify(`${shop}?utm_source=partner-blog&utm_medium=affiliate`)).toMatchObject({ channel: 'Affiliates/Comparison' });
  });

  it('direct, internal, plain referrals and email events', () => {
    expect(classify(shop)).toMatchObject({ medium: 'direct', source: '', channel: 'Direct' });
    expect(classify(shop, 'https://www.shop.example/cart')).toMatchObject({ medium: 'internal', channel: 'Direct' });
    expect(classify(shop, 'https://blog.example.org/best-shoes-2026')).toMatchObject({ medium: 'unknown', source: 'blog.example.org', referrerHost: 'blog.example.org', channel: 'Referral' });
    expect(classify(shop, 'https://en.wikipedia.org/wiki/Shoe')).toMatchObject({ medium: 'unknown', source: 'Wikipedia', channel: 'Referral' });
    expect(classify(shop, undefined, true)).toMatchObject({ medium: 'email', channel: 'Email' });
    expect(classify(`${shop}?utm_source=qr-poster`)).toMatchObject({ medium: 'unknown', source: 'qr-poster', channel: 'Unassigned' });
    expect(classify(shop, 'not a url')).toMatchObject({ medium: 'direct' });
  });
});
