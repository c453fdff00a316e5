import net from 'node:net';
import { captureOutput } from '@internal/nthlayer-test-utils';
import { main } from '../index';

/** A port nothing listens on (fetch refuses well-known ports such as 9). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>(r => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as net.AddressInfo;
  await new Promise(r => server.close(r));
  return port;
}


afterEach(() => jest.restoreAllMocks());

const args = (...rest: string[]) => ['node', 'nthlayer', 'check-deploy', ...rest];

describe('nthlayer check-deploy without a verdict exits 3, never 2', () => {
  it('when a required option is missing (a usage error is not a block)', async () => {
    const { err } = captureOutput();
    expect(await main(args('--version', 'v1'))).toBe(3);
    expect(err.join('')).toMatch(/--entity/);
  });

  it('without a backend URL or a token, saying which', async () => {
    const saved = { url: process.env.NTHLAYER_BACKEND_URL, token: process.env.NTHLAYER_TOKEN };
    delete process.env.NTHLAYER_BACKEND_URL;
    delete process.env.NTHLAYER_TOKEN;
    try {
      const { err } = captureOutput();
      expect(await main(args('--entity', 'component:default/a', '--version', 'v1'))).toBe(3);
      expect(await main(args('--entity', 'component:default/a', '--version', 'v1', '--backend-url', 'http://x'))).toBe(3);
      expect(err.join('')).toMatch(/--backend-url[\s\S]*--token/);
    } finally {
      if (saved.url !== undefined) process.env.NTHLAYER_BACKEND_URL = saved.url;
      if (saved.token !== undefined) process.env.NTHLAYER_TOKEN = saved.token;
    }
  });

  it('for an unknown format or a backend nobody listens on', async () => {
    const { err } = captureOutput();
    const common = ['--entity', 'component:default/a', '--version', 'v1', '--token', 't'];
    expect(await main(args(...common, '--backend-url', 'http://127.0.0.1:9', '--format', 'yaml'))).toBe(3);
    expect(await main(args(...common, '--backend-url', `http://127.0.0.1:${await closedPort()}`))).toBe(3);
    expect(err.join('')).toMatch(/could not be reached \(ECONNREFUSED\)/);
  });
});
