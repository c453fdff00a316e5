/*
 * Generation benchmark: every artifact for N synthetic services, pure CPU, one process.
 *   yarn bench:generate            (sizes 1000, 10000)
 *   BENCH_SIZES=100,1000 yarn bench:generate
 * Prints markdown tables: wall time, artifacts/s, bytes, peak RSS; then the cost of each
 * artifact kind per service (1,000 services). Not a timed test.
 */
import { Entity } from '@backstage/catalog-model';
import { parseNthlayerService } from '@nthlayer/backstage-plugin-common';
import { cpus } from 'node:os';
import { ARTIFACT_KINDS, generateArtifacts, loadAlertCatalogue } from '../src';
import { DependencyInput, GeneratorInput } from '../src/types';

const TECHNOLOGIES = ['postgresql', 'redis', 'kafka', 'elasticsearch', 'mysql', 'mongodb', 'rabbitmq', 'nats'];
const TYPES = ['api', 'worker', 'stream'];

function input(i: number): GeneratorInput {
  const name = `svc-${String(i).padStart(5, '0')}`;
  const entity: Entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      annotations: {
        'nthlayer.dev/tier': String((i % 3) + 1),
        'nthlayer.dev/type': TYPES[i % 3],
        'nthlayer.dev/runbook-url': `https://runbooks.example.com/${name}`,
      },
    },
    spec: { owner: `group:default/team-${i % 40}` },
  };
  const { service } = parseNthlayerService(entity);
  const dependencies: DependencyInput[] = [0, 1].map(k => {
    const technology = TECHNOLOGIES[(i + k * 3) % TECHNOLOGIES.length];
    const dep = `${technology}-${i % 50}`;
    // The first dependency is scoped to its own exporter (nthlayer.dev/prometheus-selector).
    const selector = k === 0 ? { selector: `instance="${dep}:9100"` } : {};
    return { ref: `resource:default/${dep}`, name: dep, kind: 'resource', technology, ...selector };
  });
  return { service: service!, team: `team-${i % 40}`, dependencies };
}

function peakRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

function main() {
  const sizes = (process.env.BENCH_SIZES ?? '1000,10000').split(',').map(Number);
  const catalogue = loadAlertCatalogue();
  generateArtifacts(input(0), { catalogue }); // warm-up (JIT, lazy requires)
  const rows: string[] = [];
  for (const n of sizes) {
    const inputs = Array.from({ length: n }, (_, i) => input(i));
    const started = process.hrtime.bigint();
    let artifacts = 0;
    let bytes = 0;
    let findings = 0;
    for (const i of inputs) {
      const result = generateArtifacts(i, { catalogue });
      artifacts += result.artifacts.length;
      findings += result.findings.length;
      for (const a of result.artifacts) bytes += a.content.length;
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    rows.push(
      `| ${n.toLocaleString('en')} | ${seconds.toFixed(2)} | ${artifacts.toLocaleString('en')} | ${Math.round(artifacts / seconds).toLocaleString('en')} | ${(bytes / 1e6).toFixed(1)} | ${findings.toLocaleString('en')} | ${peakRssMb()} |`,
    );
  }
  console.log(`Generation benchmark — ${cpus().length} CPU(s) (${cpus()[0]?.model}), node ${process.version}\n`);
  console.log('| services | wall s | artifacts | artifacts/s | output MB | findings | peak RSS MB (process) |');
  console.log('|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) console.log(r);
  console.log(perKind(1000, catalogue));
}

/** Time and size per service of each artifact kind on its own, over `n` services. */
function perKind(n: number, catalogue: ReturnType<typeof loadAlertCatalogue>): string {
  const inputs = Array.from({ length: n }, (_, i) => input(i));
  const lines = ['', `Per artifact kind (${n.toLocaleString('en')} services):`, '', '| kind | ms / service | KB / service |', '|---|---:|---:|'];
  for (const kind of ARTIFACT_KINDS) {
    let bytes = 0;
    const started = process.hrtime.bigint();
    for (const i of inputs) {
      for (const a of generateArtifacts(i, { catalogue, kinds: [kind] }).artifacts) bytes += a.content.length;
    }
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    lines.push(`| ${kind} | ${(ms / n).toFixed(3)} | ${(bytes / n / 1024).toFixed(1)} |`);
  }
  return lines.join('\n');
}

main();
