import { expect, test } from '@playwright/test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const BACKEND = process.env.NTHLAYER_BACKEND_URL ?? 'http://localhost:7007';
/** The demo's assistant token (app-config.yaml backend.auth.externalAccess): only mcp-actions and nthlayer. */
const ASSISTANT_TOKEN = 'nthlayer-demo-assistant-token';

async function connect(path: string) {
  const client = new Client({ name: 'nthlayer-e2e', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${BACKEND}${path}`), {
      requestInit: { headers: { Authorization: `Bearer ${ASSISTANT_TOKEN}` } },
    }),
  );
  return client;
}

function parsed(result: any) {
  const text = result.content.find((c: any) => c.type === 'text')?.text;
  expect(text, JSON.stringify(result).slice(0, 500)).toBeTruthy();
  return JSON.parse(text);
}

test('an MCP client lists the nthlayer tools and reads payment-api\'s exhausted budget', async () => {
  const client = await connect('/api/mcp-actions/v1/nthlayer');
  try {
    expect(client.getServerVersion()?.name).toBe('NthLayer');
    const { tools } = await client.listTools();
    const names = tools.map(t => t.name);
    for (const name of ['get-slos', 'explain-budget', 'check-deploy-gate', 'get-drift', 'get-blast-radius', 'get-portfolio', 'request-gate-override']) {
      expect(names.some(n => n === name || n.endsWith(`.${name}`) || n.endsWith(`:${name}`)), `${name} in ${names}`).toBe(true);
    }
    // The nthlayer server serves NthLayer's tools only (the catalog's stay on the default server).
    expect(names.every(n => /nthlayer|get-|explain-|check-|request-/.test(n))).toBe(true);
    const getSlos = names.find(n => n.endsWith('get-slos'))!;
    // payment-api's availability budget is exhausted in the demo's model (scripts/demo/expected-budgets.mjs);
    // on a fresh start the first refresh measures it.
    await expect
      .poll(
        async () => {
          const answer = parsed(await client.callTool({ name: getSlos, arguments: { entityRef: 'component:default/payment-api' } }));
          const slos = answer.slos ?? answer.report?.slos ?? [];
          return slos.find((s: any) => s.name === 'availability' || s.slo?.name === 'availability')?.status;
        },
        { timeout: 120_000, intervals: [3_000] },
      )
      .toBe('exhausted');
  } finally {
    await client.close();
  }
});

test('the assistant token cannot request a gate override', async () => {
  const client = await connect('/api/mcp-actions/v1/nthlayer');
  try {
    const { tools } = await client.listTools();
    const name = tools.map(t => t.name).find(n => n.endsWith('request-gate-override'))!;
    const result: any = await client.callTool({
      name,
      arguments: { entityRef: 'component:default/payment-api', reason: 'e2e: must be refused', expiresInHours: 1 },
    });
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toMatch(/NotAllowedError/);
  } finally {
    await client.close();
  }
});
