// Demo settings; a server hosting the demo may serve its own /config.js instead.
window.SPOOR_CONFIG = { writeKey: 'demo', collector: location.origin };
