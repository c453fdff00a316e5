/* Helpers of the dashboard tests: a sample service and readers of the dashboard JSON. */
import { NthlayerService } from '@nthlayer/backstage-plugin-common';
import { SAMPLE_AVAILABILITY, sampleInput, sampleLatency } from '../testing/sampleInput';
import { DependencyInput, GeneratorInput } from '../types';
import { generateGrafanaDashboard } from './generateGrafanaDashboard';

export const availability = SAMPLE_AVAILABILITY;
export const latency = sampleLatency();

export function input(
  overrides: Partial<NthlayerService> = {},
  deps: DependencyInput[] = [],
): GeneratorInput {
  const generatorInput = sampleInput(overrides, deps);
  // The dashboard tests' service declares no owner ref: the team comes from the input.
  if (!('owner' in overrides)) delete generatorInput.service.owner;
  return generatorInput;
}

export const dependencies: DependencyInput[] = [
  {
    ref: 'resource:default/payments-db',
    name: 'payments-db',
    kind: 'resource',
    technology: 'postgresql',
  },
  {
    ref: 'resource:default/ledger-db',
    name: 'ledger-db',
    kind: 'resource',
    technology: 'postgres',
  },
  {
    ref: 'resource:default/sessions',
    name: 'sessions',
    kind: 'resource',
    technology: 'redis',
  },
  {
    ref: 'resource:default/orders',
    name: 'orders',
    kind: 'resource',
    technology: 'kafka',
  },
  {
    ref: 'resource:default/search',
    name: 'search',
    kind: 'resource',
    technology: 'elasticsearch',
  },
  {
    ref: 'component:default/fraud-api',
    name: 'fraud-api',
    kind: 'component',
    tier: 1,
  },
];

export interface Row {
  title: string;
  collapsed: boolean;
  panels: any[];
}

export function parse(generatorInput: GeneratorInput) {
  const result = generateGrafanaDashboard(generatorInput);
  return { ...result, dashboard: JSON.parse(result.artifacts[0].content) };
}

/** Rows with their panels, whether nested (collapsed) or following the row (expanded). */
export function rows(dashboard: any): Row[] {
  const result: Row[] = [];
  for (const panel of dashboard.panels) {
    if (panel.type === 'row') {
      result.push({
        title: panel.title,
        collapsed: panel.collapsed,
        panels: [...panel.panels],
      });
    } else {
      result[result.length - 1].panels.push(panel);
    }
  }
  return result;
}

export function allPanels(dashboard: any): any[] {
  return rows(dashboard).flatMap(r => r.panels);
}

export function exprs(panel: any): string[] {
  return panel.targets.map((t: any) => t.expr);
}
