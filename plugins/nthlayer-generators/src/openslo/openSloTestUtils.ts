/* Helpers of the OpenSLO tests: the schema validator and a sample service. */
import Ajv from 'ajv';
import fs from 'fs';
import path from 'path';
import { parseAllDocuments } from 'yaml';
import {
  NthlayerService,
  SloDefinition,
} from '@internal/plugin-nthlayer-common';
import { GeneratorInput } from '../types';
import { generateOpenSlo } from './generateOpenSlo';

const SCHEMA_DIR = path.resolve(__dirname, '../../data/openslo-v1-schema');
const ROOT_ID = 'https://openslo.com/schemas/v1/openslo.schema.json';

function loadValidator() {
  const ajv = new Ajv({ allErrors: true, strict: false });
  const files = [
    path.join(SCHEMA_DIR, 'openslo.schema.json'),
    ...fs
      .readdirSync(path.join(SCHEMA_DIR, 'parts'))
      .map(f => path.join(SCHEMA_DIR, 'parts', f)),
  ];
  for (const file of files)
    ajv.addSchema(JSON.parse(fs.readFileSync(file, 'utf8')));
  const validate = ajv.getSchema(ROOT_ID);
  if (!validate) throw new Error('OpenSLO schema not found');
  return validate;
}

export const validate = loadValidator();

export const availability: SloDefinition = {
  name: 'availability',
  kind: 'availability',
  targetPercent: 99.9,
  window: { text: '30d', minutes: 43200 },
  source: 'tier-default',
};
export const latency: SloDefinition = {
  name: 'latency',
  kind: 'latency',
  targetPercent: 99,
  window: { text: '30d', minutes: 43200 },
  latency: { percentile: 95, thresholdMs: 500 },
  source: 'annotation',
};

export function input(
  overrides: Partial<NthlayerService> = {},
): GeneratorInput {
  return {
    service: {
      entityRef: 'component:default/checkout-api',
      name: 'checkout-api',
      tier: 1,
      type: 'api',
      owner: 'group:default/team-payments',
      dependsOn: [],
      selector: 'service="checkout-api"',
      defaultSelector: true,
      prometheusInstance: 'default',
      slos: [availability, latency],
      ...overrides,
    },
    team: 'team-payments',
    dependencies: [],
  };
}

export function documents(generatorInput: GeneratorInput): any[] {
  const { artifacts } = generateOpenSlo(generatorInput);
  expect(artifacts).toHaveLength(1);
  return parseAllDocuments(artifacts[0].content).map(d => {
    expect(d.errors).toEqual([]);
    return d.toJS();
  });
}

export function expectValid(docs: any[]) {
  for (const doc of docs) {
    const ok = validate(doc);
    if (!ok)
      throw new Error(
        `${doc.metadata?.name}: ${JSON.stringify(validate.errors, null, 1)}`,
      );
  }
}
