import { parseNthlayerService } from '@nthlayer/backstage-plugin-common';
import { parseAllDocuments } from 'yaml';
import { ARTIFACT_KINDS, generateArtifacts } from './generateArtifacts';
import { loadAlertCatalogue } from './technology';
import { GeneratorInput } from './types';

const catalogue = loadAlertCatalogue();

function input(annotations: Record<string, string> = {}): GeneratorInput {
  const { service } = parseNthlayerService({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'checkout-api',
      namespace: 'default',
      annotations: {
        'nthlayer.dev/tier': '1',
        'nthlayer.dev/runbook-url': 'https://runbooks.example.com/checkout-api',
        ...annotations,
      },
    },
    spec: { type: 'service', owner: 'group:default/team-payments' },
  });
  return {
    service: service!,
    team: 'team-payments',
    dependencies: [
      { ref: 'resource:default/orders-db', name: 'orders-db', kind: 'resource', technology: 'postgresql', critical: true },
      { ref: 'resource:default/session-cache', name: 'session-cache', kind: 'resource', technology: 'redis' },
      { ref: 'component:default/payment-api', name: 'payment-api', kind: 'component', tier: 1, availabilityPercent: 99.95 },
    ],
    pagerduty: { serviceId: 'PABC123' },
  };
}

describe('generateArtifacts', () => {
  const result = generateArtifacts(input(), { catalogue });

  it('runs every generator', () => {
    expect([...new Set(result.artifacts.map(a => a.kind))]).toEqual(ARTIFACT_KINDS);
  });

  it('gives unique ids and filenames and non-empty, parseable content', () => {
    const ids = result.artifacts.map(a => a.id);
    const filenames = result.artifacts.map(a => a.filename);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(filenames).size).toBe(filenames.length);
    for (const artifact of result.artifacts) {
      expect(artifact.content.trim().length).toBeGreaterThan(0);
      expect(artifact.description.length).toBeGreaterThan(0);
      expect(artifact.filename).not.toMatch(/^\/|\.\./);
    }
    const isJson = (artifact: { mediaType: string }) => artifact.mediaType === 'application/json';
    // Each JSON artifact is an object that names the service it was generated for.
    for (const artifact of result.artifacts.filter(isJson)) {
      const parsed = JSON.parse(artifact.content);
      expect({ file: artifact.filename, type: typeof parsed, array: Array.isArray(parsed) })
        .toEqual({ file: artifact.filename, type: 'object', array: false });
      expect(JSON.stringify(parsed)).toContain('checkout-api');
    }
    for (const artifact of result.artifacts.filter(a => !isJson(a))) {
      const docs = parseAllDocuments(artifact.content);
      expect(Array.isArray(docs) && docs.length > 0).toBe(true);
      for (const doc of docs as any[]) expect(doc.errors).toEqual([]);
    }
  });

  it('puts the dependencies\' technologies into technology alerts', () => {
    const technology = result.artifacts.find(a => a.kind === 'technology-alerts')!;
    expect(technology.content).toMatch(/orders-db/);
    expect(technology.content).toMatch(/session-cache/);
  });

  it('merges the findings of all generators', () => {
    const withoutRunbook = input();
    delete withoutRunbook.service.runbookUrl;
    withoutRunbook.dependencies.push({ ref: 'resource:default/x', name: 'x', kind: 'resource', technology: 'quantum-db' });
    const merged = generateArtifacts(withoutRunbook, { catalogue });
    const perGenerator = [
      'prometheus-rules',
      'technology-alerts',
    ].map(kind => generateArtifacts(withoutRunbook, { catalogue, kinds: [kind as any] }).findings);
    for (const findings of perGenerator) {
      for (const finding of findings) expect(merged.findings).toContainEqual(finding);
    }
    expect(merged.findings.some(f => f.value === 'quantum-db')).toBe(true);
  });

  it('generates only the requested kinds', () => {
    const only = generateArtifacts(input(), { catalogue, kinds: ['openslo', 'pagerduty'] });
    expect(only.artifacts.map(a => a.kind)).toEqual(['openslo', 'pagerduty']);
  });
});
