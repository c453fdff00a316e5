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
