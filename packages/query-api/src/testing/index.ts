export { loadFixture, fixtureUuid, FIXTURE_SITE, type Fixture, type FixtureEvent, type FixtureIdentity, type FixtureOrder, type FixtureApiKey } from './load-fixture.js';
export { bearer, getJson, postJson } from './request-helpers.js';
export { queryApiWithFixture } from './query-api-with-fixture.js';
