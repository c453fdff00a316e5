/*
 * Writes a portfolio of N services (default 10,000) built by the same buildPortfolio the
 * backend runs, for the scorecard render benchmark (scorecard.bench.ts).
 *   node --require @backstage/cli/config/nodeTransform.cjs e2e-tests/bench/makePortfolio.ts [file]
 */
import { PortfolioServiceInput, SloStatus, buildPortfolio } from '@nthlayer/backstage-plugin-common';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

const N = Number(process.env.BENCH_SERVICES ?? 10_000);
const FILE = resolve(process.argv[2] ?? `${__dirname}/../../node_modules/.cache/bench-portfolio.json`);
const STATUSES: SloStatus[] = ['healthy', 'healthy', 'healthy', 'warning', 'critical', 'exhausted'];

const services: PortfolioServiceInput[] = Array.from({ length: N }, (_, i) => {
  const tier = ((i % 3) + 1) as 1 | 2 | 3;
  const remaining = 1 - (i % 10) / 8;
  return {
    entityRef: `component:default/bench-svc-${String(i).padStart(5, '0')}`,
    name: `bench-svc-${String(i).padStart(5, '0')}`,
    tier,
    owner: `group:default/team-${i % 50}`,
    system: `system:default/system-${i % 20}`,
    gateVerdict: i % 7 === 0 ? 'block' : 'allow',
    driftCritical: i % 13 === 0 ? 1 : 0,
    scoreInput: {
      tier,
      slos: [{ name: 'availability', kind: 'availability', targetPercent: 99.9, sli: 99.8 + (i % 5) * 0.05, status: STATUSES[i % STATUSES.length], remainingRatio: remaining, goodEvents: 999_000, totalEvents: 1_000_000 }],
      incidents: { count: i % 4, open: 0, resolved: i % 4, mttrMinutes: 20 + (i % 9) * 30 },
      deployments: { succeeded: 10, failed: i % 3, rolledBack: i % 5 === 0 ? 1 : 0 },
      dependencies: [],
    },
  };
});
const portfolio = buildPortfolio({ services, generatedAt: new Date().toISOString() });
mkdirSync(dirname(FILE), { recursive: true });
writeFileSync(FILE, JSON.stringify(portfolio));
console.log(`${N} services → ${FILE}`);
