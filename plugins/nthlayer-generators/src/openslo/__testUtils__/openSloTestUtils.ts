/* Helpers of the OpenSLO tests: the schema validator and a sample service. */
import Ajv from 'ajv';
import fs from 'fs';
import path from 'path';
import { parseAllDocuments } from 'yaml';
import { NthlayerService } from '@nthlayer/backstage-plugin-common';
import { SAMPLE_AVAILABILITY, sampleInput, sampleLatency } from '../../testing/sampleInput';
import { GeneratorInput } from '../../types';
import { generateOpenSlo } from '../generateOpenSlo';

const SCHEMA_DIR = path.resolve(__dirname, '../../../data/openslo-v1-schema');
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

export const availability = SAMPLE_AVAILABILITY;
export const latency = sampleLatency('annotation');

export function input(overrides: Partial<NthlayerService> = {}): GeneratorInput {
  return sampleInput(overrides, [], [availability, latency]);
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
