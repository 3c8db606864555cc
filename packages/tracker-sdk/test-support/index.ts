/**
 * Reusable pieces for real-browser tests of the SDK: launch Debian Chromium, serve the demo shop with
 * the built script, and receive what the SDK sends. An end-to-end test against the real collector
 * passes `collector: <collector url>` in the demo config instead of a Receiver's URL.
 */
export { launchChromium, waitFor, CHROMIUM_PATH, type LaunchedBrowser } from './browser.js';
export { serveDemo, type DemoOptions, type DemoServer } from './demo-server.js';
export { startReceiver, type Answer, type Receiver, type Received } from './receiver.js';
