import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeMmdb } from '../testing/write-mmdb.js';
import { createGeoLookup, NO_GEO, normaliseGeoRecord, openGeoDatabases } from './geo-lookup.js';

const dir = mkdtempSync(join(tmpdir(), 'spoor-geo-'));

function fixture(name: string, entries: Parameters<typeof writeMmdb>[0]) {
  const file = join(dir, name);
  writeFileSync(file, writeMmdb(entries));
  return file;
}

// GeoIP2/GeoLite2-City layout (also what db-ip.com's own mmdb downloads use).
const geoip2 = fixture('geoip2-city.mmdb', [
  {
    network: '83.0.0.0/16',
    record: {
      city: { geoname_id: 756135, names: { en: 'Warsaw', de: 'Warschau' } },
      country: { iso_code: 'PL', names: { en: 'Poland' } },
      location: { latitude: 52.2298, longitude: 21.0118, time_zone: 'Europe/Warsaw', accuracy_radius: 20 },
      subdivisions: [{ iso_code: '14', names: { en: 'Mazovia' } }],
    },
  },
  {
    network: '2a02:6b8::/32',
    record: { city: { names: { en: 'Moscow' } }, country: { iso_code: 'RU' }, location: { latitude: 55.7558, longitude: 37.6173, time_zone: 'Europe/Moscow' }, subdivisions: [{ names: { en: 'Moscow' } }] },
  },
]);

// DB-IP Lite as packaged by ip-location-db (the default database): flat fields.
const dbip = fixture('dbip-city.mmdb', [
  { network: '95.108.0.0/16', record: { city: 'Suchy Las', country_code: 'PL', latitude: 52.4731, longitude: 16.8775, postcode: '', state1: 'Greater Poland', state2: '', timezone: '' } },
  { network: '8.8.8.0/24', record: { city: 'Mountain View', country_code: 'US', latitude: 37.422, longitude: -122.085, postcode: '', state1: 'California', state2: '', timezone: 'America/Los_Angeles' } },
]);

describe('geo lookup from mmdb files the test writes itself', () => {
  it('reads the GeoIP2/GeoLite2-City schema, IPv4 and IPv6', async () => {
    const lookup = createGeoLookup(await openGeoDatabases([geoip2]));
    expect(lookup('83.0.12.34')).toEqual({ country: 'PL', region: 'Mazovia', city: 'Warsaw', latitude: expect.closeTo(52.2298, 4), longitude: expect.closeTo(21.0118, 4), timezone: 'Europe/Warsaw' });
    expect(lookup('2a02:6b8::feed:1')).toMatchObject({ country: 'RU', city: 'Moscow', region: 'Moscow', timezone: 'Europe/Moscow' });
  });

  it('reads the DB-IP (ip-location-db) schema', async () => {
    const lookup = createGeoLookup(await openGeoDatabases([dbip]));
    expect(lookup('95.108.213.4')).toEqual({ country: 'PL', region: 'Greater Poland', city: 'Suchy Las', latitude: expect.closeTo(52.4731, 3), longitude: expect.closeTo(16.8775, 3), timezone: '' });
    expect(lookup('8.8.8.8')).toMatchObject({ country: 'US', region: 'California', timezone: 'America/Los_Angeles' });
  });

  it('tries every database in turn and gives no geo for misses and garbage', async () => {
    const lookup = createGeoLookup(await openGeoDatabases([dbip, geoip2]));
    expect(lookup('83.0.1.1').city).toBe('Warsaw');
    expect(lookup('8.8.8.8').city).toBe('Mountain View');
    expect(lookup('10.0.0.1')).toEqual(NO_GEO);
    expect(lookup('not-an-ip')).toEqual(NO_GEO);
    expect(lookup('')).toEqual(NO_GEO);
  });

  it('maps unknown record shapes to empty fields', () => {
    expect(normaliseGeoRecord({ something: 'else' })).toEqual(NO_GEO);
    expect(normaliseGeoRecord(null)).toEqual(NO_GEO);
  });
});
