export { loadFixture, fixtureUuid, FIXTURE_SITE, type Fixture, type FixtureEvent, type FixtureIdentity, type FixtureOrder, type FixtureApiKey } from './load-fixture.js';
export { bearer, getJson, postJson } from './request-helpers.js';
export { queryApiWithFixture } from './query-api-with-fixture.js';
export { twoShopsFixture, siteFootprint, SHOP_A, SHOP_B, SHOP_B_MARK, KEY_A, KEY_B } from './two-shops-fixture.js';
