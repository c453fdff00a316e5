import { UrlReaderService } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PolicyLocation, PolicyService } from './PolicyService';

/** One ReliabilityPolicy document named `name` with one rule. */
function policyDoc(name: string, condition = 'budget.remaining < 0.1', action = 'block'): string {
  return `apiVersion: nthlayer.dev/v1
kind: ReliabilityPolicy
metadata:
  name: ${name}
spec:
  rules:
    - name: r1
      condition: ${condition}
      action: ${action}
`;
}

/** Line and column (1-based) of the first `needle` in `text`, counted here by hand. */
function position(text: string, needle: string) {
  const offset = text.indexOf(needle);
  if (offset < 0) throw new Error(`${needle} not in the text`);
  const lines = text.slice(0, offset).split('\n');
  return { line: lines.length, column: lines[lines.length - 1].length + 1 };
}

const URL_A = 'https://policies.example.com/platform.yaml';

describe('PolicyService', () => {
  let dir: string;
  let urls: Record<string, string>;
  let readUrl: jest.Mock;
  let logger: ReturnType<typeof mockServices.logger.mock>;

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'nthlayer-policies-'));
    urls = {};
    readUrl = jest.fn(async (url: string) => {
      if (!(url in urls)) throw new Error(`NotFoundError: ${url} could not be read`);
      return { buffer: async () => Buffer.from(urls[url], 'utf8') };
    });
    logger = mockServices.logger.mock();
  });

  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  function service(locations: PolicyLocation[] | (() => PolicyLocation[])) {
    return new PolicyService({
      locations,
      urlReader: { readUrl } as unknown as UrlReaderService,
      logger,
      baseDir: dir,
    });
  }

  const names = (s: PolicyService) => s.policies().map(p => `${p.source} ${p.name}`).sort();

  it('loads files relative to baseDir, in the file: form and by absolute path', async () => {
    await fs.mkdir(path.join(dir, 'sub'));
    await fs.writeFile(path.join(dir, 'relative.yaml'), `${policyDoc('relative-one')}---\n${policyDoc('relative-two')}`);
    await fs.writeFile(path.join(dir, 'sub', 'prefixed.yaml'), policyDoc('prefixed'));
    const absolute = path.join(dir, 'absolute.yaml');
    await fs.writeFile(absolute, policyDoc('absolute'));
    const s = service([{ target: 'relative.yaml' }, { target: 'file:sub/prefixed.yaml' }, { target: absolute }]);
    expect(s.loadedAt()).toBeNull();
    await s.load();
    expect(s.errors()).toEqual([]);
    expect(names(s)).toEqual(
      [`relative.yaml relative-one`, `relative.yaml relative-two`, `file:sub/prefixed.yaml prefixed`, `${absolute} absolute`].sort(),
    );
    expect(s.loadedAt()).toEqual(expect.any(String));
    expect(Date.now() - Date.parse(s.loadedAt()!)).toBeLessThan(60_000);
    // Files are never read through the UrlReader.
    expect(readUrl).not.toHaveBeenCalled();
    // The rule is compiled and ready for the gate.
    const [rule] = s.policies().find(p => p.name === 'prefixed')!.rules;
    expect(rule).toMatchObject({ name: 'r1', condition: 'budget.remaining < 0.1', action: 'block' });
    expect(rule.compiled.reads).toEqual(['budget']);
  });

  it('reads http(s) locations through the UrlReader', async () => {
    urls[URL_A] = policyDoc('platform');
    const s = service([{ target: URL_A }]);
    await s.load();
    expect(readUrl).toHaveBeenCalledWith(URL_A);
    expect(s.errors()).toEqual([]);
    expect(s.policies()).toEqual([expect.objectContaining({ name: 'platform', source: URL_A, hash: expect.stringMatching(/^[0-9a-f]{64}$/) })]);
  });

  it('keeps the previous policies of a location when a reload has a broken document, with the error where it is', async () => {
    const file = path.join(dir, 'policies.yaml');
    await fs.writeFile(file, `${policyDoc('first', 'budget.remaining < 0.1')}---\n${policyDoc('second', 'budget.remaining < 0.2', 'warn')}`);
    urls[URL_A] = policyDoc('remote');
    const s = service([{ target: 'policies.yaml' }, { target: URL_A }]);
    await s.load();
    const fromFile = () => s.policies().filter(p => p.source === 'policies.yaml');
    const before = fromFile();
    expect(names(s)).toEqual([`${URL_A} remote`, 'policies.yaml first', 'policies.yaml second']);

    // Edit the file: the first document changes (it would block below 50 %), the second breaks.
    const broken = `${policyDoc('first', 'budget.remaining < 0.5')}---\n${policyDoc('second', 'budget.remaning < 0.2', 'warn')}`;
    await fs.writeFile(file, broken);
    await s.load();
    // Neither the edit nor the broken document takes effect: the old set stays, the same objects.
    expect(fromFile()).toHaveLength(2);
    fromFile().forEach((p, i) => expect(p).toBe(before[i]));
    // The other location reloaded as usual.
    expect(names(s)).toEqual([`${URL_A} remote`, 'policies.yaml first', 'policies.yaml second']);
    expect(s.policies().find(p => p.name === 'first')!.rules[0].condition).toBe('budget.remaining < 0.1');
    expect(s.errors()).toEqual([
      {
        source: 'policies.yaml',
        ...position(broken, 'remaning'),
        policy: 'second',
        reason: expect.stringMatching(/^rule r1: .*remaning.*\(the previous policies of this location stay in force\)$/),
      },
    ]);
    // The line is the one in the file as a whole (the second document), not in the document.
    expect(position(broken, 'remaning').line).toBeGreaterThan(10);
    expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining(`policies.yaml:${position(broken, 'remaning').line}:`));

    // Fixed: the new set loads and the error is gone.
    await fs.writeFile(file, broken.replace('remaning', 'remaining'));
    await s.load();
    expect(s.errors()).toEqual([]);
    expect(s.policies().find(p => p.name === 'first')!.rules[0].condition).toBe('budget.remaining < 0.5');
  });

  it('loads the valid documents of a location that never loaded, and reports the others', async () => {
    const text = `${policyDoc('good')}---\n${policyDoc('bad', 'budget.remaining < 0.1', 'explode')}`;
    await fs.writeFile(path.join(dir, 'p.yaml'), text);
    const s = service([{ target: 'p.yaml' }]);
    await s.load();
    expect(names(s)).toEqual(['p.yaml good']);
    expect(s.errors()).toEqual([
      { source: 'p.yaml', ...position(text, 'explode'), policy: 'bad', reason: expect.stringMatching(/^spec\.rules\.0\.action: /) },
    ]);
    // Nothing was kept, so the reason does not claim so.
    expect(s.errors()[0].reason).not.toMatch(/stay in force/);
  });

  it('reports an unreadable location and keeps its previous set', async () => {
    const file = path.join(dir, 'p.yaml');
    await fs.writeFile(file, policyDoc('local'));
    urls[URL_A] = policyDoc('remote');
    const s = service([{ target: 'file:p.yaml' }, { target: URL_A }]);
    await s.load();
    expect(names(s)).toEqual(['file:p.yaml local', `${URL_A} remote`]);

    await fs.rm(file);
    delete urls[URL_A];
    await s.load();
    expect(names(s)).toEqual(['file:p.yaml local', `${URL_A} remote`]);
    expect(s.errors()).toEqual([
      { source: 'file:p.yaml', line: 0, column: 0, reason: expect.stringMatching(/^could not be read: .*ENOENT.*; the previous policies of this location stay in force$/) },
      { source: URL_A, line: 0, column: 0, reason: expect.stringMatching(/^could not be read: NotFoundError: .*; the previous policies of this location stay in force$/) },
    ]);

    // A location that never loaded has nothing to keep.
    const fresh = service([{ target: 'missing.yaml' }]);
    await fresh.load();
    expect(fresh.policies()).toEqual([]);
    expect(fresh.errors()).toEqual([
      { source: 'missing.yaml', line: 0, column: 0, reason: expect.stringMatching(/^could not be read: /) },
    ]);
    expect(fresh.errors()[0].reason).not.toMatch(/stay in force/);
  });

  it('refuses a location larger than 256 kB, by file and by URL', async () => {
    const huge = `# ${'x'.repeat(300 * 1024)}\n${policyDoc('huge')}`;
    await fs.writeFile(path.join(dir, 'huge.yaml'), huge);
    urls[URL_A] = huge;
    const s = service([{ target: 'huge.yaml' }, { target: URL_A }]);
    await s.load();
    expect(s.policies()).toEqual([]);
    expect(s.errors().map(e => [e.source, e.reason])).toEqual([
      ['huge.yaml', expect.stringMatching(/larger than 262144 bytes/)],
      [URL_A, expect.stringMatching(/larger than 262144 bytes/)],
    ]);
  });

  it('drops the policies of a location removed from the config, and loads one added', async () => {
    await fs.writeFile(path.join(dir, 'a.yaml'), policyDoc('from-a'));
    await fs.writeFile(path.join(dir, 'b.yaml'), policyDoc('from-b'));
    let locations: PolicyLocation[] = [{ target: 'a.yaml' }, { target: 'b.yaml' }];
    const s = service(() => locations);
    await s.load();
    expect(names(s)).toEqual(['a.yaml from-a', 'b.yaml from-b']);

    locations = [{ target: 'b.yaml' }];
    await s.load();
    expect(names(s)).toEqual(['b.yaml from-b']);

    // Removed while broken: its errors go too.
    await fs.writeFile(path.join(dir, 'b.yaml'), 'not: [valid');
    locations = [{ target: 'a.yaml' }, { target: 'b.yaml' }];
    await s.load();
    expect(names(s)).toEqual(['a.yaml from-a', 'b.yaml from-b']);
    expect(s.errors().map(e => e.source)).toEqual(['b.yaml']);
    locations = [{ target: 'a.yaml' }];
    await s.load();
    expect(names(s)).toEqual(['a.yaml from-a']);
    expect(s.errors()).toEqual([]);
  });

  it('keeps the locations in force when the config cannot be read', async () => {
    await fs.writeFile(path.join(dir, 'a.yaml'), policyDoc('from-a'));
    let fail = false;
    const s = service(() => {
      if (fail) throw new Error("Missing required config value at 'nthlayer.policies.locations[0].target'");
      return [{ target: 'a.yaml' }];
    });
    await s.load();
    fail = true;
    await s.load();
    expect(names(s)).toEqual(['a.yaml from-a']);
    expect(s.errors()).toEqual([
      { source: 'nthlayer.policies.locations', line: 0, column: 0, reason: expect.stringMatching(/Missing required config value.*the previous locations stay in force/) },
    ]);
  });
});
