// `@spoor/collector/test-support`: the collector's test fixtures, for tests outside the package (test/e2e) that
// must not reach into src/ (the boundary check, docs/engineering.md).
export * from './collector-fixture.js';
export * from './read-topic.js';
