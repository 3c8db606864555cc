import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { freshClickHouseDatabase } from '@spoor/test-harness';
import { pageView, TS, unitCollector } from '../test-support/collector-fixture.js';
import { createClickHouseImportAuthenticator } from './clickhouse-import-keys.js';

const sha256 = (key: string) => createHash('sha256').update(key, 'utf8').digest('hex');

/** POST /v1/import with keys read from a real (chDB) api_keys table: the key's scopes decide, as in the query API. */
describe('/v1/import honours the scopes stored with a key', () => {
  it('a key without scope import is 403 naming Authorization; with it 202; a key from before scopes (legacy scopes) 202', async () => {
    const { client, database } = await freshClickHouseDatabase();
    await client.insert({
      table: `${database}.api_keys`,
      format: 'JSONEachRow',
      values: [
        { key_id: 'key_reports', key_sha256: sha256('sk_reports_only_0123456789'), site_ids: ['shop'], scopes: ['reports', 'people'] },
        { key_id: 'key_import', key_sha256: sha256('sk_import_0123456789abcdef'), site_ids: ['shop'], scopes: ['import'] },
        { key_id: 'key_legacy', key_sha256: sha256('sk_legacy_0123456789abcdef'), site_ids: ['shop'] },
      ],
    });
    const { app } = unitCollector({ authenticateImport: createClickHouseImportAuthenticator(client, database), now: () => TS });
    const post = (key: string) =>
      app.request(
        new Request('http://collector.test/v1/import?site=shop', {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
          body: JSON.stringify({ sentAt: TS, events: [pageView({ ts: TS - 1000 })] }),
        }),
      );
    const refused = await post('sk_reports_only_0123456789');
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: { parameter: 'Authorization', message: expect.stringMatching(/no "import" scope/) } });
    expect((await post('sk_import_0123456789abcdef')).status).toBe(202);
    expect((await post('sk_legacy_0123456789abcdef')).status).toBe(202);
  });
});
