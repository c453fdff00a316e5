import request from 'supertest';
import { serviceEntity } from './testing/fixtureEntities';
import { startNthlayerTestBackend } from './__testUtils__/testBackend';

const HISTORY = '/api/nthlayer/v1/entities/component/default/checkout-api/slos/availability/history';

describe('SLO history parameters', () => {
  let server: Awaited<ReturnType<typeof startNthlayerTestBackend>>;
  beforeAll(async () => {
    server = await startNthlayerTestBackend({
      entities: [serviceEntity('checkout-api', { 'nthlayer.dev/tier': '1' })],
    });
  });

  const get = (query: Record<string, string>) => request(server).get(HISTORY).query(query);

  it('accepts ISO 8601 and Unix seconds', async () => {
    const iso = await get({ from: '2026-11-29T00:00:00Z', to: '2026-11-30T00:00:00+01:00', step: '3600' });
    expect(iso.status).toBe(200);
    expect(iso.body).toMatchObject({ from: '2026-11-29T00:00:00.000Z', to: '2026-11-29T23:00:00.000Z', step: 3600 });
    const unix = await get({ from: '1795910400', to: '1795996800' });
    expect(unix.status).toBe(200);
    expect(unix.body).toMatchObject({ from: '2026-11-29T00:00:00.000Z', to: '2026-11-30T00:00:00.000Z' });
  });

  it.each([
    [{ from: 'hello 2026-11-30' }, 'from must be an ISO 8601 date or date-time (e.g. 2026-11-30T10:00:00Z) or Unix seconds, got "hello 2026-11-30"'],
    [{ to: 'Nov 30 2026' }, 'to must be an ISO 8601 date or date-time (e.g. 2026-11-30T10:00:00Z) or Unix seconds, got "Nov 30 2026"'],
    [{ to: '9999-12-01T00:00:00Z' }, 'to must be at most one day after now, got 9999-12-01T00:00:00.000Z'],
    [{ from: '1000', to: '90000' }, 'from must be in 2000 or later, got 1970-01-01T00:16:40.000Z'],
    [{ step: '1e23' }, 'step must be a whole number of seconds from 60 to 34560000 (400 days), got "1e23"'],
    [{ step: '99999999' }, 'step must be a whole number of seconds from 60 to 34560000 (400 days), got "99999999"'],
    [{ step: '30' }, 'step must be a whole number of seconds from 60 to 34560000 (400 days), got "30"'],
  ])('answers 400 for %j', async (query, message) => {
    const res = await get(query);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ name: 'InputError', message });
  });
});
