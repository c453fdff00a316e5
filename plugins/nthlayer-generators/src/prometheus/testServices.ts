// Fixtures shared by the Prometheus, technology and lint tests (not exported by the package).
import {
  NthlayerService,
  SloDefinition,
} from '@nthlayer/backstage-plugin-common';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { GeneratorInput } from '../types';
import { sampleInput } from '../testing/sampleInput';
import { runPromtool } from '../lint/promtool';

export const availability = (
  targetPercent = 99.9,
  text = '30d',
): SloDefinition => ({
  name: 'availability',
  kind: 'availability',
  targetPercent,
  window: { text, minutes: 43200 },
  source: 'tier-default',
});

export const latency: SloDefinition = {
  name: 'latency',
  kind: 'latency',
  targetPercent: 99,
  window: { text: '28d', minutes: 40320 },
  latency: { percentile: 95, thresholdMs: 500 },
  source: 'annotation',
};

export function serviceInput(
  overrides: Partial<NthlayerService> = {},
): GeneratorInput {
  const name = overrides.name ?? 'checkout-api';
  return sampleInput(
    { runbookUrl: `https://runbooks.example.com/${name}`, ...overrides },
    [],
    [availability(), latency],
  );
}

/** The services every rule-file test runs over: api with latency, worker, stream, custom selector. */
export const SAMPLE_INPUTS: Record<string, GeneratorInput> = {
  api: serviceInput(),
  worker: serviceInput({
    name: 'billing-worker',
    type: 'worker',
    tier: 2,
    slos: [availability(99.5)],
  }),
  stream: serviceInput({
    name: 'events-stream',
    type: 'stream',
    tier: 3,
    slos: [availability(99, '7d')],
  }),
  custom: serviceInput({
    name: 'search-api',
    selector: 'app="search",env=~"prod|production",status!="health"',
    defaultSelector: false,
    runbookUrl: undefined,
  }),
  calendar: serviceInput({
    name: 'ledger-api',
    slos: [
      {
        ...availability(99.95),
        window: {
          text: '1M',
          minutes: 43200,
          calendar: { unit: 'month', timeZone: 'Europe/Berlin' },
        },
      },
    ],
  }),
};

/** A fresh temporary directory for promtool input files. */
export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `nthlayer-${prefix}-`));
}

/** Runs promtool and fails the test (never skips) when it is missing. */
export function mustRunPromtool(args: string[], cwd?: string) {
  const verdict = runPromtool(args, { cwd });
  if (verdict.status === 'unavailable') {
    throw new Error(
      `${verdict.output} — these tests need promtool (Debian package "prometheus")`,
    );
  }
  return verdict;
}
