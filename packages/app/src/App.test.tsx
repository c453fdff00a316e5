import { render, screen, waitFor } from '@testing-library/react';
import App from './App';

/** A token the frontend accepts: it only reads the payload's `exp` and `sub`. */
function guestToken(): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const exp = Math.floor(Date.now() / 1000) + 3600;
  return `${part({ alg: 'none' })}.${part({ sub: 'user:development/guest', ent: [], exp })}.x`;
}

describe('App', () => {
  const requests: string[] = [];
  beforeEach(() => {
    requests.length = 0;
    jest.spyOn(global, 'fetch').mockImplementation(async input => {
      const url = String(input instanceof Request ? input.url : input);
      requests.push(url);
      if (url.includes('/api/auth/guest/refresh')) {
        const identity = {
          type: 'user',
          userEntityRef: 'user:development/guest',
          ownershipEntityRefs: [],
        };
        const body = {
          profile: { displayName: 'Guest' },
          providerInfo: {},
          backstageIdentity: { token: guestToken(), identity },
        };
        return new Response(JSON.stringify(body), {
          status: 200,
          headers: { 'Content-Type': 'application/json' },
        });
      }
      return new Response('{"error":{"name":"NotFoundError","message":"not here"}}', {
        status: 404,
        headers: { 'Content-Type': 'application/json' },
      });
    });
  });
  afterEach(() => jest.restoreAllMocks());

  it('signs in as guest without a click and shows the catalog in the navigation', async () => {
    process.env = {
      NODE_ENV: 'test',
      APP_CONFIG: [
        {
          data: {
            app: { title: 'Test', baseUrl: 'http://localhost:3000' },
            backend: { baseUrl: 'http://localhost:7007' },
          },
          context: 'test',
        },
      ] as any,
    };

    render(App.createRoot());

    await waitFor(() =>
      expect(requests.some(u => u.startsWith('http://localhost:7007/api/auth/guest/refresh'))).toBe(true),
    );
    expect(await screen.findByText('Catalog', {}, { timeout: 20_000 })).toBeInTheDocument();
  }, 30_000);
});
