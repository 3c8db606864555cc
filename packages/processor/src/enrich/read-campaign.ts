import { boundedText } from '@spoor/events';

export interface Campaign {
  utmSource: string;
  utmMedium: string;
  utmCampaign: string;
  utmTerm: string;
  utmContent: string;
  /** Which ad platform's click id the landing URL carried (gclid, yclid, …), or ''. */
  clickIdType: string;
  clickId: string;
}

export const NO_CAMPAIGN: Campaign = Object.freeze({ utmSource: '', utmMedium: '', utmCampaign: '', utmTerm: '', utmContent: '', clickIdType: '', clickId: '' });

/** Click ids in precedence order; each names its platform and whether it proves a paid click. */
export const CLICK_IDS: ReadonlyArray<{ param: string; platform: string; paid: boolean; social: boolean }> = [
  { param: 'gclid', platform: 'google', paid: true, social: false },
  { param: 'gbraid', platform: 'google', paid: true, social: false },
  { param: 'wbraid', platform: 'google', paid: true, social: false },
  { param: 'dclid', platform: 'google', paid: true, social: false },
  { param: 'yclid', platform: 'yandex', paid: true, social: false },
  { param: 'msclkid', platform: 'bing', paid: true, social: false },
  { param: 'ttclid', platform: 'tiktok', paid: true, social: true },
  { param: 'twclid', platform: 'twitter', paid: true, social: true },
  { param: 'li_fat_id', platform: 'linkedin', paid: true, social: true },
  { param: 'ScCid', platform: 'snapchat', paid: true, social: true },
  { param: 'epik', platform: 'pinterest', paid: true, social: true },
  // Facebook appends fbclid to every outbound link, organic posts included: it names the source, not "paid".
  { param: 'fbclid', platform: 'facebook', paid: false, social: true },
];

const MAX_PARAM_LENGTH = 512;
/**
 * Query parameters are percent-decoded, so they can hold what the event's URL could not (NUL, bidi overrides), and a
 * plain cut could split an emoji: bounded and normalised under the string policy (docs/events.md).
 */
const clip = (v: string | null) => boundedText(v ?? '', MAX_PARAM_LENGTH);

export function readCampaign(params: URLSearchParams | null): Campaign {
  if (!params) return NO_CAMPAIGN;
  let clickIdType = '';
  let clickId = '';
  for (const { param } of CLICK_IDS) {
    const value = params.get(param);
    if (value) {
      clickIdType = param;
      clickId = clip(value);
      break;
    }
  }
  return {
    utmSource: clip(params.get('utm_source')).toLowerCase(),
    utmMedium: clip(params.get('utm_medium')).toLowerCase(),
    utmCampaign: clip(params.get('utm_campaign')),
    utmTerm: clip(params.get('utm_term')),
    utmContent: clip(params.get('utm_content')),
    clickIdType,
    clickId,
  };
}
