import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { PrometheusClient, PrometheusQueryError } from './PrometheusClient';

// Retries, tenant headers and timeouts of queries are tested in the backend
// (service/PrometheusClient.test.ts); series lookups through the CLI (seriesCheck.test.ts).

async function seriesServer(data: unknown[] | 'reject') {
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', c => (body += c));
    req.on('end', () => {
      bodies.push(body);
      if (data === 'reject') {
        res.writeHead(400, { 'Content-Type': 'application/json' }).end(JSON.stringify({ status: 'error', error: 'bad match' }));
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ status: 'success', data }));
    });
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    bodies,
    close: () =>
      new Promise<void>(r => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

describe('PrometheusClient.hasSeries', () => {
  it('asks /api/v1/series for one series in [start, end]', async () => {
    const source = await seriesServer([{ __name__: 'up', job: 'api' }]);
    try {
      const client = new PrometheusClient({ baseUrl: source.baseUrl, timeoutMs: 2000 });
      await expect(client.hasSeries('up{job="api"}', new Date(1_000_000), new Date(4_600_000))).resolves.toBe(true);
      expect(Object.fromEntries(new URLSearchParams(source.bodies[0]))).toEqual({
        'match[]': 'up{job="api"}',
        start: '1000.000',
        end: '4600.000',
        limit: '1',
        timeout: '2s',
      });
      expect(client.queryCount).toBe(1);
    } finally {
      await source.close();
    }
    const empty = await seriesServer([]);
    try {
      const client = new PrometheusClient({ baseUrl: empty.baseUrl, timeoutMs: 2000 });
      await expect(client.hasSeries('up', new Date(0), new Date(1000))).resolves.toBe(false);
    } finally {
      await empty.close();
    }
  });

  it('names the instance in messages when it has a name, the URL only otherwise', async () => {
    const source = await seriesServer('reject');
    try {
      const named = new PrometheusClient({ name: 'eu', baseUrl: source.baseUrl, timeoutMs: 2000 });
      const error = await named.hasSeries('up', new Date(0), new Date(1000)).catch(e => e);
      expect(error).toBeInstanceOf(PrometheusQueryError);
      expect(error).toMatchObject({
        message: `Prometheus "eu" at ${source.baseUrl} rejected the query (HTTP 400): bad match`,
        query: 'up',
        retryable: false,
      });
      expect(named.health()).toMatchObject({ name: 'eu', status: 'down', consecutiveFailures: 1 });
      const unnamed = new PrometheusClient({ baseUrl: source.baseUrl, timeoutMs: 2000 });
      await expect(unnamed.hasSeries('up', new Date(0), new Date(1000))).rejects.toThrow(
        `Prometheus at ${source.baseUrl} rejected the query (HTTP 400): bad match`,
      );
      expect(unnamed.health().name).toBe('default');
      expect(source.bodies).toHaveLength(2); // a 400 is not retried
    } finally {
      await source.close();
    }
  });
});

describe('PrometheusClient.ruleGroups', () => {
  /** Answers /api/v1/rules gzip-compressed when asked to, as Prometheus does; records what was asked. */
  async function rulesServer() {
    const asked: Array<{ url: string; encoding: string }> = [];
    const groups = [{ name: 'nthlayer-x-slo', file: '/rules/x.yaml', rules: [{ type: 'recording', name: 'r', query: 'up' }] }];
    const server = createServer((req, res) => {
      const encoding = String(req.headers['accept-encoding'] ?? '');
      asked.push({ url: req.url ?? '', encoding });
      const body = Buffer.from(JSON.stringify({ status: 'success', data: req.url?.startsWith('/api/v1/rules') ? { groups } : [] }));
      if (/\bgzip\b/.test(encoding)) res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' }).end(gzipSync(body));
      else res.writeHead(200, { 'Content-Type': 'application/json' }).end(body);
    });
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
    return {
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      asked,
      groups,
      close: () => new Promise<void>(r => server.close(() => r())),
    };
  }

  it('asks for the rules gzip-compressed by default and reads the compressed answer', async () => {
    const source = await rulesServer();
    try {
      const client = new PrometheusClient({ baseUrl: source.baseUrl, timeoutMs: 2000 });
      await expect(client.ruleGroups()).resolves.toEqual(source.groups);
      await expect(client.ruleGroups('alert')).resolves.toEqual(source.groups);
      expect(source.asked.map(a => a.url)).toEqual(['/api/v1/rules', '/api/v1/rules?type=alert']);
      for (const a of source.asked) expect(a.encoding).toMatch(/\bgzip\b/);
    } finally {
      await source.close();
    }
  });

  it('asks for them uncompressed with compressRules: false, other requests as before; a configured header wins', async () => {
    const source = await rulesServer();
    try {
      const client = new PrometheusClient({ baseUrl: source.baseUrl, timeoutMs: 2000, compressRules: false });
      await expect(client.ruleGroups('record')).resolves.toEqual(source.groups);
      await client.labelValues('service', 'up', new Date(0), new Date(1000));
      expect(source.asked[0]).toEqual({ url: '/api/v1/rules?type=record', encoding: 'identity' });
      expect(source.asked[1].encoding).toMatch(/\bgzip\b/);
      const configured = new PrometheusClient({
        baseUrl: source.baseUrl,
        timeoutMs: 2000,
        compressRules: false,
        headers: { 'Accept-Encoding': 'gzip' },
      });
      await expect(configured.ruleGroups()).resolves.toEqual(source.groups);
      expect(source.asked[2].encoding).toBe('gzip');
    } finally {
      await source.close();
    }
  });
});
