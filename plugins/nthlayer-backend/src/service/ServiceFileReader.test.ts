import { Readable } from 'node:stream';
import { UrlReaderService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { ServiceFileReader } from './ServiceFileReader';
import { readServiceFileLimits } from './config';

const SMALL_FILE = 'service: { name: checkout-api, tier: 1 }\nresources: []\n';

function entity(name: string, serviceFile: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, annotations: { 'nthlayer.dev/service-file': serviceFile } },
    spec: {},
  };
}

function reader(files: Record<string, string | (() => Promise<never>)>, options: { stream?: boolean } = {}, limits = {}) {
  const readUrl = jest.fn(async (url: string, _options?: { signal?: AbortSignal }) => {
    const file = files[url];
    if (typeof file === 'function') return file();
    if (file === undefined) throw new Error(`no ${url}`);
    const bytes = Buffer.from(file, 'utf8');
    return {
      buffer: async () => bytes,
      ...(options.stream ? { stream: () => Readable.from([bytes.subarray(0, 1000), bytes.subarray(1000)]) } : {}),
    };
  });
  const urlReader = { readUrl } as unknown as UrlReaderService;
  return {
    readUrl,
    files: new ServiceFileReader({
      urlReader,
      integrations: ScmIntegrations.fromConfig(new ConfigReader({})),
      limits,
    }),
  };
}

function manyKeys(count: number): string {
  let text = SMALL_FILE;
  text += 'extra:\n';
  for (let i = 0; i < count; i++) text += `  key${i}: value${i}\n`;
  return text;
}

describe('ServiceFileReader', () => {
  it.each([
    ['buffered', false],
    ['streamed', true],
  ])('reads a file up to the cap and rejects one byte more with a finding (%s)', async (_, stream) => {
    const atCap = `${SMALL_FILE}#${'x'.repeat(262144 - SMALL_FILE.length - 2)}\n`;
    expect(Buffer.byteLength(atCap)).toBe(262144);
    const { files } = reader({ 'https://h/at.yaml': atCap, 'https://h/over.yaml': `${atCap} ` }, { stream });
    const ok = await files.read(entity('a', 'https://h/at.yaml'));
    expect(ok).toMatchObject({ text: atCap, findings: [] });
    const over = await files.read(entity('b', 'https://h/over.yaml'));
    expect(over.text).toBeUndefined();
    expect(over.findings).toEqual([
      expect.objectContaining({
        severity: 'error',
        annotation: 'nthlayer.dev/service-file',
        accepted: 'a document of at most 262144 bytes',
        message: expect.stringContaining('larger than 262144 bytes (nthlayer.serviceFiles.maxBytes)'),
      }),
    ]);
  });

  it('rejects a 20,000-key file over the cap without parsing it; other entities are unaffected', async () => {
    const big = manyKeys(20_000);
    expect(Buffer.byteLength(big)).toBeGreaterThan(262144);
    const { files } = reader({ 'https://h/big.yaml': big, 'https://h/small.yaml': SMALL_FILE }, { stream: true });
    const [rejected, fine] = await Promise.all([
      files.read(entity('big', 'https://h/big.yaml')),
      files.read(entity('small', 'https://h/small.yaml')),
    ]);
    expect(rejected.text).toBeUndefined();
    expect(rejected.findings).toHaveLength(1);
    expect(fine).toEqual({ location: 'https://h/small.yaml', text: SMALL_FILE, findings: [] });
  });

  it('honours nthlayer.serviceFiles.maxBytes', async () => {
    const { files } = reader({ 'https://h/s.yaml': SMALL_FILE }, {}, { maxBytes: 10 });
    expect((await files.read(entity('a', 'https://h/s.yaml'))).findings[0].accepted).toBe(
      'a document of at most 10 bytes',
    );
  });

  it('gives up on a read that takes longer than the timeout, with a finding', async () => {
    const hang = () => new Promise<never>(() => {});
    const { files, readUrl } = reader({ 'https://h/slow.yaml': hang }, {}, { timeoutMs: 50 });
    const start = Date.now();
    const result = await files.read(entity('a', 'https://h/slow.yaml'));
    expect(Date.now() - start).toBeLessThan(2000);
    expect(result.text).toBeUndefined();
    expect(result.findings[0].message).toContain('took longer than 50 ms (nthlayer.serviceFiles.timeout)');
    expect(readUrl.mock.calls[0][1]?.signal?.aborted).toBe(true);
  });

  it('parses the same content once (cache by content hash)', () => {
    const { files } = reader({});
    const first = files.parse(SMALL_FILE);
    const again = files.parse(`${SMALL_FILE}`);
    expect(first.file).not.toBeNull();
    expect(again.file).toBe(first.file);
    expect(files.parse(`${SMALL_FILE}# changed\n`).file).not.toBe(first.file);
    // Callers may add to the findings they get without touching the cached ones.
    again.findings.push({ severity: 'error', annotation: 'x', value: 'x', accepted: 'x', message: 'x' });
    expect(files.parse(SMALL_FILE).findings).toEqual([]);
  });

  it('cuts a long annotation value in its finding', async () => {
    const { files } = reader({});
    const result = await files.read(entity('a', `https://h/${'a'.repeat(5000)}`));
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0].value).toMatch(/… \(5010 characters\)$/);
    expect(JSON.stringify(result.findings).length).toBeLessThan(1500);
  });
});

describe('readServiceFileLimits', () => {
  it('reads maxBytes and a timeout in Backstage duration formats', () => {
    expect(readServiceFileLimits(new ConfigReader({}))).toEqual({});
    expect(
      readServiceFileLimits(new ConfigReader({ nthlayer: { serviceFiles: { maxBytes: 1000, timeout: { seconds: 3 } } } })),
    ).toEqual({ maxBytes: 1000, timeoutMs: 3000 });
    expect(readServiceFileLimits(new ConfigReader({ nthlayer: { serviceFiles: { timeout: '2m' } } }))).toEqual({
      timeoutMs: 120000,
    });
    expect(() => readServiceFileLimits(new ConfigReader({ nthlayer: { serviceFiles: { maxBytes: -1 } } }))).toThrow(
      /maxBytes must be a positive integer/,
    );
  });
});
