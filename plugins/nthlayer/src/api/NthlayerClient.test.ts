import {
  DeploymentImpactResponse,
  EntityLedgerResponse,
} from '@nthlayer/backstage-plugin-common';
import { NthlayerClient } from './NthlayerClient';

const body = {
  entityRef: 'component:default/checkout-api',
  service: null,
  findings: [],
  slos: [],
};

function setup(response: {
  ok: boolean;
  status: number;
  json?: unknown;
  text?: string;
}) {
  const discoveryApi = {
    getBaseUrl: jest.fn(
      async (pluginId: string) => `http://backstage.test/api/${pluginId}`,
    ),
  };
  const fetchApi = {
    fetch: jest.fn(
      async (_url: RequestInfo | URL, _init?: RequestInit) =>
        ({
          ok: response.ok,
          status: response.status,
          statusText: response.ok ? 'OK' : 'Forbidden',
          url: 'http://backstage.test',
          headers: new Headers({ 'content-type': 'application/json' }),
          json: async () => response.json,
          text: async () => response.text ?? JSON.stringify(response.json),
        } as unknown as Response),
    ),
  };
  return {
    client: new NthlayerClient({ discoveryApi, fetchApi }),
    discoveryApi,
    fetchApi,
  };
}

describe('NthlayerClient', () => {
  it('gets the SLOs of an entity from the nthlayer plugin', async () => {
    const { client, discoveryApi, fetchApi } = setup({
      ok: true,
      status: 200,
      json: body,
    });
    const result = await client.getEntitySlos({
      kind: 'Component',
      namespace: 'Default',
      name: 'checkout api/v2',
    });
    expect(result).toEqual(body);
    expect(discoveryApi.getBaseUrl).toHaveBeenCalledWith('nthlayer');
    expect(fetchApi.fetch).toHaveBeenCalledWith(
      'http://backstage.test/api/nthlayer/v1/entities/component/default/checkout%20api%2Fv2/slos',
      undefined,
    );
  });

  it('gets every SLO history of an entity in one request, with the range', async () => {
    const { client, fetchApi } = setup({ ok: true, status: 200, json: { slos: [] } });
    await client.getEntityHistory(
      { kind: 'Component', namespace: 'default', name: 'checkout-api' },
      { from: new Date(Date.UTC(2026, 10, 1)), step: 3600 },
    );
    expect(fetchApi.fetch).toHaveBeenCalledWith(
      'http://backstage.test/api/nthlayer/v1/entities/component/default/checkout-api/history?from=2026-11-01T00%3A00%3A00.000Z&step=3600',
      undefined,
    );
  });

  it('shares one request between callers asking for the same thing at once, not later', async () => {
    const { client, fetchApi } = setup({ ok: true, status: 200, json: body });
    const ref = { kind: 'component', namespace: 'default', name: 'checkout-api' };
    const [a, b] = await Promise.all([client.getEntitySlos(ref), client.getEntitySlos(ref)]);
    expect(a).toEqual(body);
    expect(b).toEqual(body);
    expect(fetchApi.fetch).toHaveBeenCalledTimes(1);
    await client.getEntitySlos(ref);
    expect(fetchApi.fetch).toHaveBeenCalledTimes(2);
  });

  it('throws a ResponseError with the server error on a non-OK response', async () => {
    const { client } = setup({
      ok: false,
      status: 404,
      json: {
        error: { name: 'NotFoundError', message: 'No such entity' },
        response: { statusCode: 404 },
      },
    });
    await expect(
      client.getEntitySlos({
        kind: 'component',
        namespace: 'default',
        name: 'nope',
      }),
    ).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 404,
      cause: expect.objectContaining({
        name: 'NotFoundError',
        message: 'No such entity',
      }),
    });
  });

  it('gets the budget history of one SLO with the range as query parameters', async () => {
    const history = {
      entityRef: 'component:default/checkout-api',
      slo: 'availability',
      points: [],
    };
    const { client, fetchApi } = setup({
      ok: true,
      status: 200,
      json: history,
    });
    const result = await client.getSloHistory(
      { kind: 'Component', namespace: 'default', name: 'checkout-api' },
      'availability',
      {
        from: new Date('2026-01-01T00:00:00Z'),
        to: '2026-01-31T00:00:00.000Z',
        step: 3600,
      },
    );
    expect(result).toEqual(history);
    expect(fetchApi.fetch).toHaveBeenCalledWith(
      'http://backstage.test/api/nthlayer/v1/entities/component/default/checkout-api/slos/availability/history?from=2026-01-01T00%3A00%3A00.000Z&to=2026-01-31T00%3A00%3A00.000Z&step=3600',
      undefined,
    );
  });

  it('asks for the default range without query parameters and encodes the SLO name', async () => {
    const { client, fetchApi } = setup({ ok: true, status: 200, json: {} });
    await client.getSloHistory(
      { kind: 'component', namespace: 'default', name: 'checkout-api' },
      'p99 latency',
    );
    expect(fetchApi.fetch).toHaveBeenCalledWith(
      'http://backstage.test/api/nthlayer/v1/entities/component/default/checkout-api/slos/p99%20latency/history',
      undefined,
    );
  });

  it('posts a refresh and rejects without permission', async () => {
    const ok = setup({ ok: true, status: 202, json: {} });
    await ok.client.refresh();
    expect(ok.fetchApi.fetch).toHaveBeenCalledWith(
      'http://backstage.test/api/nthlayer/v1/refresh',
      { method: 'POST' },
    );

    const denied = setup({
      ok: false,
      status: 403,
      json: {
        error: { name: 'NotAllowedError', message: 'Unauthorized' },
        response: { statusCode: 403 },
      },
    });
    await expect(denied.client.refresh()).rejects.toMatchObject({
      statusCode: 403,
    });
  });
});

describe('NthlayerClient artifacts', () => {
  const ref = { kind: 'Component', namespace: 'default', name: 'checkout-api' };

  it('lists the artifacts of an entity', async () => {
    const listing = {
      entityRef: 'component:default/checkout-api',
      artifacts: [],
      findings: [],
    };
    const { client, fetchApi } = setup({
      ok: true,
      status: 200,
      json: listing,
    });
    expect(await client.getArtifacts(ref)).toEqual(listing);
    expect(fetchApi.fetch).toHaveBeenCalledWith(
      'http://backstage.test/api/nthlayer/v1/entities/component/default/checkout-api/artifacts',
      undefined,
    );
  });

  it('gets the content of one artifact by its encoded id', async () => {
    const { client, fetchApi } = setup({
      ok: true,
      status: 200,
      text: 'groups: []\n',
    });
    expect(await client.getArtifact(ref, 'prometheus/slo rules')).toBe(
      'groups: []\n',
    );
    expect(fetchApi.fetch).toHaveBeenCalledWith(
      'http://backstage.test/api/nthlayer/v1/entities/component/default/checkout-api/artifacts/prometheus%2Fslo%20rules',
      undefined,
    );
  });

  it('downloads the zip through fetchApi', async () => {
    const { client, fetchApi } = setup({ ok: true, status: 200 });
    const blob = new Blob(['PK']);
    fetchApi.fetch.mockResolvedValueOnce({
      ok: true,
      status: 200,
      blob: async () => blob,
    } as unknown as Response);
    expect(await client.downloadArtifactsZip(ref)).toBe(blob);
    expect(fetchApi.fetch).toHaveBeenCalledWith(
      'http://backstage.test/api/nthlayer/v1/entities/component/default/checkout-api/artifacts.zip',
      undefined,
    );
  });
});

describe('NthlayerClient gates', () => {
  const ref = { kind: 'Component', namespace: 'Default', name: 'checkout-api' };
  const override = {
    id: 7,
    entityRef: 'component:default/checkout-api',
    version: null,
    reason: 'hotfix for the payment outage',
    createdBy: 'user:default/jane',
    createdAt: '2026-03-01T10:00:00.000Z',
    expiresAt: '2026-03-01T14:00:00.000Z',
    revokedAt: null,
    revokedBy: null,
  };
  const forbidden = {
    ok: false,
    status: 403,
    json: {
      error: { name: 'NotAllowedError', message: 'Unauthorized' },
      response: { statusCode: 403 },
    },
  };

  it('gets the gate of an entity', async () => {
    const gate = { entityRef: 'component:default/checkout-api', overrides: [] };
    const { client, fetchApi } = setup({ ok: true, status: 200, json: gate });
    expect(await client.getEntityGate(ref)).toEqual(gate);
    expect(fetchApi.fetch).toHaveBeenCalledWith(
      'http://backstage.test/api/nthlayer/v1/entities/component/default/checkout-api/gate',
      undefined,
    );
  });

  it('gets the gate audit log of an entity', async () => {
    const audit = { entityRef: 'component:default/checkout-api', entries: [] };
    const { client, fetchApi } = setup({ ok: true, status: 200, json: audit });
    expect(await client.getGateAudit(ref)).toEqual(audit);
    expect(fetchApi.fetch).toHaveBeenCalledWith(
      'http://backstage.test/api/nthlayer/v1/entities/component/default/checkout-api/gate/audit',
      undefined,
    );
  });

  it('rejects a gate request for an unmanaged entity with a ResponseError', async () => {
    const { client } = setup({
      ok: false,
      status: 404,
      json: {
        error: { name: 'NotFoundError', message: 'not managed by NthLayer' },
        response: { statusCode: 404 },
      },
    });
    await expect(client.getEntityGate(ref)).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 404,
      cause: expect.objectContaining({ message: 'not managed by NthLayer' }),
    });
  });

  it('posts an override as JSON and returns the stored override', async () => {
    const { client, fetchApi } = setup({
      ok: true,
      status: 201,
      json: override,
    });
    const request = {
      entityRef: 'component:default/checkout-api',
      reason: 'hotfix for the payment outage',
      expiresAt: '2026-03-01T14:00:00.000Z',
      version: '1.4.2',
    };
    expect(await client.createGateOverride(request)).toEqual(override);
    expect(fetchApi.fetch).toHaveBeenCalledTimes(1);
    const [url, init] = fetchApi.fetch.mock.calls[0];
    expect(url).toBe('http://backstage.test/api/nthlayer/v1/gates/overrides');
    expect(init?.method).toBe('POST');
    expect(new Headers(init?.headers).get('content-type')).toBe(
      'application/json',
    );
    expect(JSON.parse(String(init?.body))).toEqual(request);
  });

  it('rejects an override with the ResponseError of the backend', async () => {
    const bad = setup({
      ok: false,
      status: 400,
      json: {
        error: { name: 'InputError', message: 'expiresAt is in the past' },
        response: { statusCode: 400 },
      },
    });
    await expect(
      bad.client.createGateOverride({
        entityRef: 'component:default/checkout-api',
        reason: 'hotfix for the payment outage',
        expiresAt: '2020-01-01T00:00:00.000Z',
      }),
    ).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 400,
      cause: expect.objectContaining({ message: 'expiresAt is in the past' }),
    });

    const denied = setup(forbidden);
    await expect(
      denied.client.createGateOverride({
        entityRef: 'component:default/checkout-api',
        reason: 'hotfix for the payment outage',
        expiresAt: '2030-01-01T00:00:00.000Z',
      }),
    ).rejects.toMatchObject({ name: 'ResponseError', statusCode: 403 });
  });

  it('revokes an override with DELETE and rejects without permission', async () => {
    const revoked = { ...override, revokedAt: '2026-03-01T11:00:00.000Z' };
    const ok = setup({ ok: true, status: 200, json: revoked });
    expect(await ok.client.revokeGateOverride(7)).toEqual(revoked);
    expect(ok.fetchApi.fetch).toHaveBeenCalledWith(
      'http://backstage.test/api/nthlayer/v1/gates/overrides/7',
      { method: 'DELETE' },
    );

    const denied = setup(forbidden);
    await expect(denied.client.revokeGateOverride(7)).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 403,
    });
  });

  it('does not share a gate GET asked before an override with one asked after it', async () => {
    const { client, fetchApi } = setup({ ok: true, status: 200, json: {} });
    const gateUrl =
      'http://backstage.test/api/nthlayer/v1/entities/component/default/checkout-api/gate';
    // The first GET stays in flight until released.
    let release: () => void = () => {};
    const original = fetchApi.fetch.getMockImplementation()!;
    fetchApi.fetch.mockImplementationOnce(
      (url, init) =>
        new Promise<Response>(resolve => {
          release = () => resolve(original(url, init));
        }),
    );
    const before = client.getEntityGate(ref);
    await new Promise(resolve => setTimeout(resolve, 0));
    expect(fetchApi.fetch).toHaveBeenCalledTimes(1);

    await client.createGateOverride({
      entityRef: 'component:default/checkout-api',
      reason: 'hotfix for the payment outage',
      expiresAt: '2030-01-01T00:00:00.000Z',
    });
    const after = client.getEntityGate(ref);
    await new Promise(resolve => setTimeout(resolve, 0));
    release();
    await Promise.all([before, after]);

    expect(fetchApi.fetch.mock.calls.map(([url, init]) => [url, init?.method])).toEqual([
      [gateUrl, undefined],
      ['http://backstage.test/api/nthlayer/v1/gates/overrides', 'POST'],
      [gateUrl, undefined],
    ]);
  });
});

describe('NthlayerClient drift and incidents', () => {
  const ref = { kind: 'Component', namespace: 'Default', name: 'checkout api' };
  const notManaged = {
    ok: false,
    status: 404,
    json: {
      error: {
        name: 'NotFoundError',
        message: 'component:default/checkout api is not managed by NthLayer',
      },
      response: { statusCode: 404 },
    },
  };

  it('gets the drift of an entity', async () => {
    const drift = {
      entityRef: 'component:default/checkout api',
      report: null,
      history: [],
    };
    const { client, fetchApi } = setup({ ok: true, status: 200, json: drift });
    expect(await client.getDrift(ref)).toEqual(drift);
    expect(fetchApi.fetch).toHaveBeenCalledWith(
      'http://backstage.test/api/nthlayer/v1/entities/component/default/checkout%20api/drift',
      undefined,
    );
  });

  it('gets the incidents of an entity', async () => {
    const incidents = {
      entityRef: 'component:default/checkout api',
      configured: false,
      serviceId: null,
      incidents: [],
      open: 0,
      count7d: 0,
    };
    const { client, fetchApi } = setup({
      ok: true,
      status: 200,
      json: incidents,
    });
    expect(await client.getIncidents(ref)).toEqual(incidents);
    expect(fetchApi.fetch).toHaveBeenCalledWith(
      'http://backstage.test/api/nthlayer/v1/entities/component/default/checkout%20api/incidents',
      undefined,
    );
  });

  it('rejects drift and incidents of an unmanaged entity with a ResponseError', async () => {
    const expected = {
      name: 'ResponseError',
      statusCode: 404,
      cause: expect.objectContaining({
        name: 'NotFoundError',
        message: 'component:default/checkout api is not managed by NthLayer',
      }),
    };
    await expect(setup(notManaged).client.getDrift(ref)).rejects.toMatchObject(
      expected,
    );
    await expect(
      setup(notManaged).client.getIncidents(ref),
    ).rejects.toMatchObject(expected);
  });
});

describe('NthlayerClient dependencies, blast radius and scores', () => {
  const ref = { kind: 'Component', namespace: 'Default', name: 'checkout api/v2' };
  const base = 'http://backstage.test/api/nthlayer';
  const notManaged = {
    ok: false,
    status: 404,
    json: {
      error: {
        name: 'NotFoundError',
        message: 'component:default/checkout api/v2 is not managed by NthLayer',
      },
      response: { statusCode: 404 },
    },
  };

  it('gets the dependencies of an entity with the backend defaults when no option is given', async () => {
    const graph = {
      entityRef: 'component:default/checkout api/v2',
      depth: 2,
      direction: 'both',
      nodes: [],
      edges: [],
      findings: [],
      truncated: false,
      builtAt: null,
    };
    const { client, fetchApi } = setup({ ok: true, status: 200, json: graph });
    expect(await client.getDependencies(ref)).toEqual(graph);
    expect(fetchApi.fetch).toHaveBeenCalledWith(
      `${base}/v1/entities/component/default/checkout%20api%2Fv2/dependencies`,
      undefined,
    );
  });

  it('sends depth and direction of the dependencies as query parameters', async () => {
    const { client, fetchApi } = setup({ ok: true, status: 200, json: {} });
    await client.getDependencies(ref, { depth: 4, direction: 'upstream' });
    expect(fetchApi.fetch).toHaveBeenCalledWith(
      `${base}/v1/entities/component/default/checkout%20api%2Fv2/dependencies?depth=4&direction=upstream`,
      undefined,
    );
  });

  it('gets the blast radius of an entity', async () => {
    const blast = {
      entityRef: 'component:default/checkout api/v2',
      severity: 'low',
      reason: '0 dependents, 0 of them tier 1: low below 3 services and no tier-1 service',
      affected: 0,
      tier1Affected: 0,
      owners: [],
      byDepth: [],
      builtAt: null,
    };
    const { client, fetchApi } = setup({ ok: true, status: 200, json: blast });
    expect(await client.getBlastRadius(ref)).toEqual(blast);
    expect(fetchApi.fetch).toHaveBeenCalledWith(
      `${base}/v1/entities/component/default/checkout%20api%2Fv2/blast-radius`,
      undefined,
    );
  });

  it('rejects dependencies and blast radius of an unmanaged entity with a ResponseError', async () => {
    const expected = {
      name: 'ResponseError',
      statusCode: 404,
      cause: expect.objectContaining({ name: 'NotFoundError' }),
    };
    await expect(
      setup(notManaged).client.getDependencies(ref),
    ).rejects.toMatchObject(expected);
    await expect(
      setup(notManaged).client.getBlastRadius(ref),
    ).rejects.toMatchObject(expected);
  });

  it('gets the whole portfolio without query parameters', async () => {
    const { client, fetchApi } = setup({ ok: true, status: 200, json: {} });
    await client.getPortfolio();
    expect(fetchApi.fetch).toHaveBeenCalledWith(`${base}/v1/portfolio`, undefined);
  });

  it('encodes the entity refs and the tier of the portfolio filters', async () => {
    const { client, fetchApi } = setup({ ok: true, status: 200, json: {} });
    await client.getPortfolio({
      group: 'group:default/team payments',
      system: 'system:default/commerce',
      tier: 1,
    });
    expect(fetchApi.fetch).toHaveBeenCalledWith(
      `${base}/v1/portfolio?group=group%3Adefault%2Fteam+payments&system=system%3Adefault%2Fcommerce&tier=1`,
      undefined,
    );
  });

  it('downloads the portfolio as CSV through fetchApi, with the filters', async () => {
    const { client, fetchApi } = setup({ ok: true, status: 200 });
    const blob = new Blob(['ref,score\n']);
    fetchApi.fetch.mockResolvedValueOnce({
      ok: true,
      status: 200,
      blob: async () => blob,
    } as unknown as Response);
    expect(
      await client.downloadPortfolio('csv', { group: 'group:default/team-data', tier: 2 }),
    ).toBe(blob);
    expect(fetchApi.fetch).toHaveBeenCalledWith(
      `${base}/v1/portfolio?format=csv&group=group%3Adefault%2Fteam-data&tier=2`,
      undefined,
    );
  });

  it('rejects a portfolio download the backend refused', async () => {
    const { client } = setup({
      ok: false,
      status: 400,
      json: {
        error: { name: 'InputError', message: 'tier must be 1, 2 or 3' },
        response: { statusCode: 400 },
      },
    });
    await expect(client.downloadPortfolio('markdown')).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 400,
    });
  });

  it('gets the score history of the organisation and of an entity ref, with the days', async () => {
    const history = { ref: 'org', points: [{ day: '2026-03-01', score: null }] };
    const { client, fetchApi } = setup({ ok: true, status: 200, json: history });
    expect(await client.getScoreHistory('org', { days: 90 })).toEqual(history);
    await client.getScoreHistory('group:default/team-payments');
    expect(fetchApi.fetch.mock.calls.map(([url]) => url)).toEqual([
      `${base}/v1/scores/history?ref=org&days=90`,
      `${base}/v1/scores/history?ref=group%3Adefault%2Fteam-payments`,
    ]);
  });
});

describe('NthlayerClient ledger', () => {
  const ref = {
    kind: 'Component',
    namespace: 'Default',
    name: 'checkout api/v2',
  };
  const base = 'http://backstage.test/api/nthlayer';
  const ledger: EntityLedgerResponse = {
    entityRef: 'component:default/checkout api/v2',
    window: '30d',
    windowMinutes: 43_200,
    from: '2026-01-01T00:00:00.000Z',
    computedAt: null,
    slos: [],
    topCauses: [],
    unattributedRatio: null,
    deployments: [],
  };
  const impact: DeploymentImpactResponse = {
    entityRef: 'component:default/checkout-api',
    deployment: {
      id: 7,
      entityRef: 'component:default/checkout-api',
      version: 'v4.18.0',
      commit: 'abc123',
      author: 'alice',
      startedAt: '2026-01-28T10:00:00.000Z',
      status: 'succeeded',
      labels: [],
      url: null,
    },
    impact: 'clean',
    confidence: null,
    burnedMinutes: 0,
    episodes: 0,
    attributed: [],
    timeline: [
      {
        at: '2026-01-28T10:00:00.000Z',
        kind: 'deploy-started',
        label: 'v4.18.0 deployed to component:default/checkout-api',
      },
    ],
  };

  it("gets an entity's ledger over each SLO's window when no window is given", async () => {
    const { client, fetchApi } = setup({ ok: true, status: 200, json: ledger });
    expect(await client.getLedger(ref)).toEqual(ledger);
    expect(fetchApi.fetch).toHaveBeenCalledWith(
      `${base}/v1/entities/component/default/checkout%20api%2Fv2/ledger`,
      undefined,
    );
  });

  it('sends the window of the ledger as a query parameter', async () => {
    const { client, fetchApi } = setup({ ok: true, status: 200, json: ledger });
    await client.getLedger(ref, { window: '7d' });
    expect(fetchApi.fetch).toHaveBeenCalledWith(
      `${base}/v1/entities/component/default/checkout%20api%2Fv2/ledger?window=7d`,
      undefined,
    );
  });

  it('gets the impact of one deployment by id', async () => {
    const { client, fetchApi } = setup({ ok: true, status: 200, json: impact });
    expect(await client.getDeploymentImpact(7)).toEqual(impact);
    expect(fetchApi.fetch).toHaveBeenCalledWith(
      `${base}/v1/deployments/7/impact`,
      undefined,
    );
  });

  it('rejects a bad window and an unknown deployment with a ResponseError', async () => {
    const badWindow = setup({
      ok: false,
      status: 400,
      json: {
        error: {
          name: 'InputError',
          message: 'window must be between 1h and 90d, got 1y',
        },
        response: { statusCode: 400 },
      },
    });
    await expect(
      badWindow.client.getLedger(ref, { window: '1y' }),
    ).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 400,
      cause: expect.objectContaining({
        name: 'InputError',
        message: 'window must be between 1h and 90d, got 1y',
      }),
    });
    const unknown = setup({
      ok: false,
      status: 404,
      json: {
        error: { name: 'NotFoundError', message: 'No deployment 99' },
        response: { statusCode: 404 },
      },
    });
    await expect(unknown.client.getDeploymentImpact(99)).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 404,
      cause: expect.objectContaining({ name: 'NotFoundError' }),
    });
  });
});
