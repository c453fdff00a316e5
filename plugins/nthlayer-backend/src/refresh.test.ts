import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { storeDatabaseIds } from '@internal/nthlayer-test-utils';
import request from 'supertest';
import { serviceEntity } from './testing/fixtureEntities';
import { startNthlayerTestBackend } from './__testUtils__/testBackend';

const entities = [serviceEntity('checkout-api', { 'nthlayer.dev/tier': '1' })];

// Two replicas (two backends, one plugin database): SQLite always, PostgreSQL 15 when
// BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING is set (scripts/test-all.sh).
describe('manual refresh across replicas', () => {
  const databases = TestDatabases.create({ ids: storeDatabaseIds() });

  it.each(databases.eachSupportedId())(
    'two replicas on one %s database accept one refresh between them and share its outcome',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const replica = () =>
        startNthlayerTestBackend({
          entities,
          config: { refresh: { minInterval: { minutes: 5 } } },
          features: [mockServices.database.factory({ knex })],
        });
      // One after the other: both run the migrations.
      const a = await replica();
      const b = await replica();

      const posts = await Promise.all(
        [a, b, a, b, a, b].map(server => request(server).post('/api/nthlayer/v1/refresh')),
      );
      expect(posts.map(r => r.status).sort()).toEqual([202, 429, 429, 429, 429, 429]);
      expect(posts.filter(r => r.status === 429).every(r => Number(r.headers['retry-after']) > 290)).toBe(true);

      // Whichever replica ran it, both report the same last success.
      const [ha, hb] = await Promise.all(
        [a, b].map(server => request(server).get('/api/nthlayer/v1/health')),
      );
      expect(ha.body.lastSuccessAt).toEqual(expect.any(String));
      expect(hb.body.lastSuccessAt).toBe(ha.body.lastSuccessAt);
      expect(hb.body.summary).toEqual(ha.body.summary);
    },
    60_000,
  );
});
