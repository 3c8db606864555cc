export { generateTraffic, type DemoEvent, type DemoTraffic, type TrafficOptions } from './demo/generate-traffic.js';
export { deliverTraffic, DeliveryError, type DeliveryOptions, type DeliveryReport } from './demo/deliver-traffic.js';
export { createSiteKeys, type CreatedKeys, type SiteSpec } from './admin/site-admin.js';
export { composeSpoor, type ComposedSpoor, type Role } from './all-in-one/compose-spoor.js';
export { parseSpoorConfig, spoorSettings, spoorSettingsSchema, type SpoorConfig } from './config/spoor-settings.js';
// `spoor replay` as a function, for tests that replay the way an operator does.
export { replayCommand } from './commands/replay.js';
