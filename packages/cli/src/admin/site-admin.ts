// The site store moved to @spoor/query-api (admin/sites/) so the CLI and the admin API share one implementation.
export { createLinkKey, createSite, createSiteKeys, isOrigin, listLinkKeys, retireLinkKey, type CreatedKeys, type LinkKeyInfo, type SiteSpec } from '@spoor/query-api';
