import { isbot } from 'isbot';
import { LRUCache } from 'lru-cache';
import { UAParser } from 'ua-parser-js';

export interface UserAgentInfo {
  browser: string;
  browserVersion: string;
  os: string;
  osVersion: string;
  /** desktop, mobile, tablet, smarttv, console, wearable, embedded, xr, bot, or '' when there is no UA at all. */
  deviceType: string;
  isBot: boolean;
}

export type UserAgentParser = (userAgent: string) => UserAgentInfo;

/** Longest UA parsed; real ones are < 500 characters, and regex work grows with length. */
const MAX_UA_LENGTH = 1024;

export function parseUserAgentUncached(userAgent: string): UserAgentInfo {
  const ua = userAgent.slice(0, MAX_UA_LENGTH);
  if (!ua) return { browser: '', browserVersion: '', os: '', osVersion: '', deviceType: '', isBot: false };
  const result = new UAParser(ua).getResult();
  const bot = isbot(ua);
  return {
    browser: result.browser.name ?? '',
    browserVersion: result.browser.major ?? '',
    os: result.os.name ?? '',
    osVersion: result.os.version ?? '',
    // ua-parser leaves device.type empty for desktops; bots get their own type so device reports stay human.
    deviceType: bot ? 'bot' : (result.device.type ?? 'desktop'),
    isBot: bot,
  };
}

/**
 * UA parsing is the most expensive enrichment step, and a shop sees few distinct UA strings, so results are
 * kept in an LRU cache (cacheSize 0 turns it off, for the benchmark's comparison).
 */
export function createUserAgentParser(options: { cacheSize?: number } = {}): UserAgentParser {
  const size = options.cacheSize ?? 10_000;
  if (size <= 0) return parseUserAgentUncached;
  const cache = new LRUCache<string, UserAgentInfo>({ max: size });
  return (userAgent) => {
    const hit = cache.get(userAgent);
    if (hit) return hit;
    const info = parseUserAgentUncached(userAgent);
    cache.set(userAgent, info);
    return info;
  };
}
