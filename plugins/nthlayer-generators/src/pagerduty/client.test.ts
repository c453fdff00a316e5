import {
  PagerDutyAmbiguousNameError,
  PagerDutyApiError,
  PagerDutyClient,
  PagerDutyFetch,
} from './client';
import { PagerDutyFake } from './testing/pagerDutyFake';

const DAY = 24 * 3600 * 1000;

describe('PagerDutyClient', () => {
  let fake: PagerDutyFake;
  let sleeps: number[];
  let client: PagerDutyClient;

  beforeEach(async () => {
    fake = await PagerDutyFake.start({ token: 'secret-token' });
    sleeps = [];
    client = new PagerDutyClient({
      token: 'secret-token',
      baseUrl: fake.baseUrl,
      sleep: async ms => {
        sleeps.push(ms);
      },
      from: 'nthlayer-bot@example.com',
    });
  });
  afterEach(() => fake.close());

  async function seedPolicy(): Promise<string> {
    const user = fake.addUser('Ada');
    const policy = await client.createEscalationPolicy({
      escalation_policy: {
        type: 'escalation_policy',
        name: 'checkout-api (tier 1)',
        escalation_rules: [
          {
            escalation_delay_in_minutes: 5,
            targets: [{ id: user, type: 'user_reference' }],
          },
        ],
      },
    });
    return policy.id;
  }

  it('sends the token, the v2 Accept header and JSON, and From only on writes', async () => {
    const policyId = await seedPolicy();
    await client.getEscalationPolicy(policyId);
    const [write, read] = fake.requests;
    expect(write.method).toBe('POST');
    expect(write.headers).toMatchObject({
      authorization: 'Token token=secret-token',
      accept: 'application/vnd.pagerduty+json;version=2',
      'content-type': 'application/json',
      from: 'nthlayer-bot@example.com',
    });
    expect(read.method).toBe('GET');
    expect(read.path).toBe(`/escalation_policies/${policyId}`);
    expect(read.headers.authorization).toBe('Token token=secret-token');
    expect(read.headers.accept).toBe(
      'application/vnd.pagerduty+json;version=2',
    );
    expect(read.headers.from).toBeUndefined();
  });

  it('reads 250 incidents of a service in 3 pages of at most 100', async () => {
    const since = new Date('2026-11-01T00:00:00Z');
    const until = new Date('2026-12-01T00:00:00Z');
    for (let i = 0; i < 250; i++) {
      // One every 2 hours from 1 November: the 250th on 21 November, 18:00.
      fake.addIncident({
        serviceId: 'PSVC001',
        createdAt: new Date(since.getTime() + i * 2 * 3600_000).toISOString(),
      });
    }
    fake.addIncident({
      serviceId: 'POTHER1',
      createdAt: '2026-11-10T00:00:00Z',
    });
    fake.addIncident({
      serviceId: 'PSVC001',
      createdAt: '2026-10-31T23:59:59Z',
    }); // before since
    fake.addIncident({
      serviceId: 'PSVC001',
      createdAt: '2026-12-01T00:00:00Z',
    }); // until is exclusive

    const incidents = await client.listIncidents({
      serviceIds: ['PSVC001'],
      since,
      until,
    });
    expect(incidents).toHaveLength(250);
    expect(new Set(incidents.map(i => i.id)).size).toBe(250);
    expect(incidents.every(i => i.service.id === 'PSVC001')).toBe(true);
    expect(incidents[249].created_at).toBe('2026-11-21T18:00:00Z');
    const pages = fake.requests.filter(r => r.path === '/incidents');
    expect(pages.map(p => [p.query.offset, p.query.limit])).toEqual([
      [['0'], ['100']],
      [['100'], ['100']],
      [['200'], ['100']],
    ]);
    expect(pages[0].query['service_ids[]']).toEqual(['PSVC001']);
    expect(pages[0].query.since).toEqual(['2026-11-01T00:00:00.000Z']);
    expect(pages[0].query.until).toEqual(['2026-12-01T00:00:00.000Z']);
  });

  it('asks for a range over 180 days in windows PagerDuty accepts, and returns each incident once', async () => {
    const since = new Date('2026-01-01T00:00:00Z');
    const until = new Date('2026-12-01T00:00:00Z'); // 334 days
    fake.addIncident({
      serviceId: 'PSVC001',
      createdAt: '2026-02-01T00:00:00Z',
    });
    fake.addIncident({
      serviceId: 'PSVC001',
      createdAt: '2026-06-30T00:00:00Z',
    }); // the windows' boundary
    fake.addIncident({
      serviceId: 'PSVC001',
      createdAt: '2026-11-30T00:00:00Z',
    });
    fake.addIncident({
      serviceId: 'PSVC002',
      createdAt: '2026-03-01T00:00:00Z',
    });

    // In one request PagerDuty (and the fake) refuses the range.
    const whole = await fetch(
      `${
        fake.baseUrl
      }/incidents?since=${since.toISOString()}&until=${until.toISOString()}`,
      { headers: { Authorization: 'Token token=secret-token' } },
    );
    expect(whole.status).toBe(400);
    expect((await whole.json()).error.message).toBe('Invalid Query Date Range');

    const incidents = await client.listIncidents({
      serviceIds: ['PSVC001', 'PSVC002'],
      since,
      until,
    });
    expect(incidents.map(i => i.created_at).sort()).toEqual([
      '2026-02-01T00:00:00Z',
      '2026-03-01T00:00:00Z',
      '2026-06-30T00:00:00Z',
      '2026-11-30T00:00:00Z',
    ]);
    const windows = fake.requests.filter(
      r => r.path === '/incidents' && r.status === 200,
    );
    // 1 January + 180 days = 30 June.
    expect(windows.map(w => [w.query.since[0], w.query.until[0]])).toEqual([
      ['2026-01-01T00:00:00.000Z', '2026-06-30T00:00:00.000Z'],
      ['2026-06-30T00:00:00.000Z', '2026-12-01T00:00:00.000Z'],
    ]);
    expect(windows[0].query['service_ids[]']).toEqual(['PSVC001', 'PSVC002']);
    expect(new Date('2026-06-30T00:00:00Z').getTime() - since.getTime()).toBe(
      180 * DAY,
    );
  });

  it('refuses a range that ends before it starts', async () => {
    await expect(
      client.listIncidents({
        serviceIds: ['P1'],
        since: new Date('2026-02-01T00:00:00Z'),
        until: new Date('2026-01-01T00:00:00Z'),
      }),
    ).rejects.toThrow(
      'since (2026-02-01T00:00:00.000Z) is after until (2026-01-01T00:00:00.000Z)',
    );
    expect(fake.requests).toHaveLength(0);
  });

  it('waits for Retry-After after a 429, then succeeds', async () => {
    const policyId = await seedPolicy();
    fake.rateLimitNext(1, { 'Retry-After': '2' });
    const policy = await client.getEscalationPolicy(policyId);
    expect(policy.name).toBe('checkout-api (tier 1)');
    expect(sleeps).toEqual([2000]);
    expect(fake.requests.map(r => r.status)).toEqual([201, 429, 200]);
  });

  it('waits for ratelimit-reset when there is no Retry-After', async () => {
    const policyId = await seedPolicy();
    fake.rateLimitNext(2, { 'ratelimit-reset': '7' });
    await client.getEscalationPolicy(policyId);
    expect(sleeps).toEqual([7000, 7000]);
  });

  it('gives up after maxRetries with a clear error', async () => {
    const limited = new PagerDutyClient({
      token: 'secret-token',
      baseUrl: fake.baseUrl,
      maxRetries: 2,
      sleep: async ms => {
        sleeps.push(ms);
      },
    });
    fake.rateLimitNext(3, { 'Retry-After': '1' });
    const error = await limited.findTeamByName('team-payments').catch(e => e);
    expect(error).toBeInstanceOf(PagerDutyApiError);
    expect(error.status).toBe(429);
    expect(error.message).toBe(
      'PagerDuty rate limit: GET /teams still answered 429 after 2 retries (Rate Limit Exceeded)',
    );
    expect(sleeps).toEqual([1000, 1000]);
    expect(fake.requests).toHaveLength(3);
  });

  it('reads Retry-After as an HTTP date, and backs off 1 s, 2 s without a header', async () => {
    const now = Date.parse('Wed, 02 Dec 2026 10:00:00 GMT');
    const spy = jest.spyOn(Date, 'now').mockReturnValue(now);
    try {
      const answers = [
        new Response('{}', {
          status: 429,
          headers: { 'Retry-After': 'Wed, 02 Dec 2026 10:00:05 GMT' },
        }),
        new Response('{}', { status: 429 }),
        new Response('{}', { status: 429 }),
        new Response(
          JSON.stringify({ teams: [], limit: 100, offset: 0, more: false }),
          { status: 200 },
        ),
      ];
      const stub: PagerDutyFetch = async () => answers.shift()!;
      const waits: number[] = [];
      const c = new PagerDutyClient({
        token: 't',
        fetch: stub,
        sleep: async ms => void waits.push(ms),
      });
      await expect(c.findTeamByName('x')).resolves.toBeUndefined();
      // Attempt 0 had the date (5 s); attempts 1 and 2 had no header: 1 s * 2^1, 1 s * 2^2.
      expect(waits).toEqual([5000, 2000, 4000]);
    } finally {
      spy.mockRestore();
    }
  });

  it("throws 401, 404 and 5xx with the status and PagerDuty's message, cut to 300 characters", async () => {
    const wrong = new PagerDutyClient({
      token: 'wrong',
      baseUrl: fake.baseUrl,
    });
    const unauthorized = await wrong.findServiceByName('x').catch(e => e);
    expect(unauthorized).toBeInstanceOf(PagerDutyApiError);
    expect(unauthorized).toMatchObject({
      status: 401,
      method: 'GET',
      path: '/services',
    });
    expect(unauthorized.message).toBe(
      'PagerDuty GET /services answered 401: Authentication failed',
    );

    const missing = await client.getService('PNOPE00').catch(e => e);
    expect(missing).toMatchObject({
      status: 404,
      code: 2100,
      message: 'PagerDuty GET /services/PNOPE00 answered 404: Not Found',
    });

    const long = 'x'.repeat(1000);
    const stub: PagerDutyFetch = async () =>
      new Response(
        JSON.stringify({ error: { message: long, code: 2000, errors: [] } }),
        { status: 503 },
      );
    const failing = new PagerDutyClient({ token: 't', fetch: stub });
    const unavailable = await failing.getTeam('PTEAM01').catch(e => e);
    expect(unavailable.status).toBe(503);
    const prefix = 'PagerDuty GET /teams/PTEAM01 answered 503: ';
    expect(unavailable.message.startsWith(prefix)).toBe(true);
    expect([...unavailable.message.slice(prefix.length)]).toHaveLength(300);
    expect(unavailable.message.endsWith('x…')).toBe(true);
  });

  it('names the faulty fields of a rejected body', async () => {
    const error = await client
      .createTeam({ team: { type: 'team' } })
      .catch(e => e);
    expect(error.status).toBe(400);
    expect(error.message).toBe(
      'PagerDuty POST /teams answered 400: Invalid Input Provided: team.name: Required',
    );
  });

  it('reports an unreachable PagerDuty with status 0', async () => {
    const stub: PagerDutyFetch = async () => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:1');
    };
    const error = await new PagerDutyClient({ token: 't', fetch: stub })
      .getService('P1')
      .catch(e => e);
    expect(error).toBeInstanceOf(PagerDutyApiError);
    expect(error.status).toBe(0);
    expect(error.message).toBe(
      'PagerDuty GET /services/P1 could not be sent: connect ECONNREFUSED 127.0.0.1:1',
    );
  });

  it('finds objects by exact name, and refuses a name held twice', async () => {
    const policyId = await seedPolicy();
    for (const name of ['checkout-api-v2', 'checkout-api']) {
      await client.createService({
        service: {
          type: 'service',
          name,
          escalation_policy: {
            id: policyId,
            type: 'escalation_policy_reference',
          },
        },
      });
    }
    expect((await client.findServiceByName('checkout-api'))?.name).toBe(
      'checkout-api',
    );
    expect(await client.findServiceByName('checkout')).toBeUndefined();
    // PagerDuty matches part of the name: the query returned both services.
    const query = fake.requests.find(
      r => r.path === '/services' && r.query.query?.[0] === 'checkout-api',
    );
    expect(query).toBeDefined();

    const user = [...fake.users.keys()][0];
    const schedule = {
      schedule: {
        type: 'schedule',
        name: 'team-payments primary on-call',
        time_zone: 'UTC',
        schedule_layers: [
          {
            start: '2024-01-01T09:00:00Z',
            rotation_virtual_start: '2024-01-01T09:00:00Z',
            rotation_turn_length_seconds: 604800,
            users: [{ user: { id: user, type: 'user_reference' } }],
          },
        ],
      },
    };
    const first = await client.createSchedule(schedule);
    expect(
      (await client.findScheduleByName('team-payments primary on-call'))?.id,
    ).toBe(first.id);
    const second = await client.createSchedule(schedule);
    const error = await client
      .findScheduleByName('team-payments primary on-call')
      .catch(e => e);
    expect(error).toBeInstanceOf(PagerDutyAmbiguousNameError);
    expect(error.ids).toEqual([first.id, second.id]);
  });
});
