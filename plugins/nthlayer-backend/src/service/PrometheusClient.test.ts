import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { PrometheusClient } from './PrometheusClient';
import { PrometheusRegistry } from './PrometheusRegistry';
import { planQueryBatches } from './queryPlan';
import { parseNthlayerService } from '@nthlayer/backstage-plugin-common';

/** A real HTTP server answering like Prometheus, after `failures` 503s (or never). */
async function fakeSource(options: { failures: number; hang?: boolean }) {
  let calls = 0;
  const seen: Array<{ tenant?: string; body: string }> = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', c => (body += c));
    req.on('end', () => {
      calls++;
      seen.push({ tenant: req.headers['x-scope-orgid'] as string | undefined, body });
      if (options.hang) return; // never answers
      if (calls <= options.failures) {
        res.writeHead(503, { 'Content-Type': 'text/plain' }).end('overloaded');
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(
        JSON.stringify({
          status: 'success',
          data: { resultType: 'vector', result: [{ metric: { service: 'a' }, value: [0, '42'] }] },
        }),
      );
    });
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    calls: () => calls,
    seen,
    close: () =>
      new Promise<void>(r => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

describe('PrometheusClient', () => {
  it('retries 5xx answers with backoff, sends tenant headers, then reports up', async () => {
    const source = await fakeSource({ failures: 2 });
    const client = new PrometheusClient({
      name: 'mimir',
      baseUrl: source.baseUrl,
      timeoutMs: 2000,
      retries: 2,
      backoffMs: 50,
      headers: { 'X-Scope-OrgID': 'team-a' },
    });
    const started = Date.now();
    const result = await client.queryVector('up', new Date(0));
    expect(result).toEqual([{ labels: { service: 'a' }, value: 42 }]);
    expect(source.calls()).toBe(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(150); // 50 + 100 ms of backoff
    expect(source.seen.every(s => s.tenant === 'team-a')).toBe(true);
    expect(source.seen[0].body).toContain('query=up');
    expect(client.health()).toMatchObject({ name: 'mimir', status: 'up', consecutiveFailures: 0, queries: 3 });
    await source.close();
  });

  it('gives up after the retries and reports the instance down with the reason', async () => {
    const source = await fakeSource({ failures: 99 });
    const client = new PrometheusClient({ baseUrl: source.baseUrl, timeoutMs: 2000, retries: 1, backoffMs: 10 });
    await expect(client.queryVector('up', new Date(0))).rejects.toThrow(
      /answered HTTP 503 with a non-JSON body/,
    );
    expect(source.calls()).toBe(2);
    expect(client.health()).toMatchObject({ status: 'down', consecutiveFailures: 1, lastError: expect.stringMatching(/503/) });
    await source.close();
  });

  it('times out a source that never answers', async () => {
    const source = await fakeSource({ failures: 0, hang: true });
    const client = new PrometheusClient({ baseUrl: source.baseUrl, timeoutMs: 300, retries: 0 });
    await expect(client.queryVector('up', new Date(0))).rejects.toThrow(/timed out after 300 ms/);
    await source.close();
  });
});

describe('several Prometheus instances', () => {
  it('batches per instance and routes each batch to the entity’s instance', () => {
    const service = (name: string, instance?: string) =>
      parseNthlayerService(
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: {
            name,
            annotations: {
              'nthlayer.dev/tier': '2',
              'nthlayer.dev/type': 'worker',
              ...(instance ? { 'nthlayer.dev/prometheus-instance': instance } : {}),
            },
          },
        },
        { prometheusInstances: ['main', 'eu'] },
      ).service!;
    const batches = planQueryBatches([service('a'), service('b', 'eu'), service('c', 'main'), service('d', 'eu')]);
    expect(batches.map(b => [b.instance, b.members.map(m => m.service.name)])).toEqual([
      ['main', ['a', 'c']],
      ['eu', ['b', 'd']],
    ]);
    const registry = new PrometheusRegistry([
      new PrometheusClient({ name: 'main', baseUrl: 'http://main', timeoutMs: 1 }),
      new PrometheusClient({ name: 'eu', baseUrl: 'http://eu', timeoutMs: 1 }),
    ]);
    expect(registry.names).toEqual(['main', 'eu']);
    expect(registry.get(batches[1].instance).baseUrl).toBe('http://eu');
    expect(() => registry.get('http://evil')).toThrow(/No Prometheus instance/);
  });
});
