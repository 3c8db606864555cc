export { generateTraffic, type DemoEvent, type DemoTraffic, type TrafficOptions } from './demo/generate-traffic.js';
export { deliverTraffic, DeliveryError, type DeliveryOptions, type DeliveryReport } from './demo/deliver-traffic.js';
export { createSiteKeys, type CreatedKeys, type SiteSpec } from './admin/site-admin.js';
export { composeSpoor, type ComposedSpoor, type Role } from './all-in-one/compose-spoor.js';
export { parseSpoorConfig, spoorSettings, spoorSettingsSchema, type SpoorConfig } from './config/spoor-settings.js';
