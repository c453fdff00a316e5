import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import Ajv from 'ajv';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { parse } from 'yaml';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import nthlayerScaffolderModule from '@nthlayer/backstage-plugin-scaffolder-backend-module-nthlayer';
import { demoPublishModule } from './demoRepositories';

const TEMPLATE = path.resolve(__dirname, '../../../catalog-info/templates/reliable-service.yaml');

describe('the "Reliable service" template', () => {
  const template = parse(fs.readFileSync(TEMPLATE, 'utf8'));

  it('has a form whose pages are valid JSON Schema, with the fields the issue asks for', () => {
    const ajv = new Ajv({ strict: false });
    const properties: Record<string, any> = {};
    for (const page of template.spec.parameters) {
      expect(() => ajv.compile({ type: 'object', ...page })).not.toThrow();
      Object.assign(properties, page.properties);
    }
    expect(Object.keys(properties)).toEqual(
      expect.arrayContaining(['name', 'owner', 'tier', 'type', 'dependencies', 'availability', 'latency']),
    );
    expect(properties.owner['ui:field']).toBe('OwnerPicker');
    expect(properties.dependencies['ui:field']).toBe('MultiEntityPicker');
    expect(properties.dependencies['ui:options'].catalogFilter.kind).toEqual(['Component', 'Resource']);
    // The form refuses what nthlayer:generate would refuse.
    const latency = new RegExp(properties.latency.pattern);
    expect(latency.test('p95<300ms')).toBe(true);
    expect(latency.test('fast')).toBe(false);
    expect(ajv.validate({ type: 'object', ...template.spec.parameters[1] }, { availability: 100 })).toBe(false);
  });

  it('references only actions the demo backend registers, in the order the issue asks for', async () => {
    const { server } = await startTestBackend({
      features: [
        scaffolderPlugin,
        nthlayerScaffolderModule,
        demoPublishModule,
        catalogServiceMock.factory(),
        mockServices.rootConfig.factory({ data: {} }),
      ],
    });
    const res = await request(server).get('/api/scaffolder/v2/actions');
    expect(res.status).toBe(200);
    const registered = new Set(res.body.map((a: { id: string }) => a.id));
    const steps: string[] = template.spec.steps.map((s: { action: string }) => s.action);
    for (const action of steps) expect(registered).toContain(action);
    expect(steps).toEqual([
      'fetch:template',
      'nthlayer:generate',
      'nthlayer:validate',
      'demo:publish:directory',
      'catalog:register',
    ]);
    // The skeleton fetch:template reads exists next to the template.
    const skeleton = path.resolve(path.dirname(TEMPLATE), template.spec.steps[0].input.url);
    expect(fs.readdirSync(skeleton).sort()).toEqual(['README.md', 'catalog-info.yaml']);
  });
});
