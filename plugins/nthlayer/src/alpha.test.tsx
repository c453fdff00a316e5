import {
  ApiBlueprint,
  coreExtensionData,
} from '@backstage/frontend-plugin-api';
import { createExtensionTester } from '@backstage/frontend-test-utils';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import nthlayerPlugin, {
  nthlayerApi,
  nthlayerArtifactsEntityContent,
  nthlayerDriftEntityCard,
  nthlayerGateEntityCard,
  nthlayerIncidentsEntityCard,
  nthlayerReliabilityEntityContent,
  nthlayerSloEntityCard,
} from './alpha';
import { nthlayerApiRef } from './api';
import { serviceEntity } from './components/EntityNthlayerSloCard/testData';

describe('nthlayer frontend plugin (new frontend system)', () => {
  it('is the nthlayer plugin with the api and the entity card', () => {
    expect(nthlayerPlugin.pluginId).toBe('nthlayer');
    expect(
      nthlayerPlugin.getExtension('entity-card:nthlayer/slos'),
    ).toMatchObject({
      kind: 'entity-card',
      namespace: 'nthlayer',
      name: 'slos',
    });
    expect(nthlayerPlugin.getExtension('api:nthlayer')).toMatchObject({
      kind: 'api',
      namespace: 'nthlayer',
    });
  });

  it('provides the api factory for nthlayerApiRef', () => {
    const factory = createExtensionTester(nthlayerApi).get(
      ApiBlueprint.dataRefs.factory,
    );
    expect(factory.api.id).toBe(nthlayerApiRef.id);
  });

  it('shows the card only on NthLayer-managed entities', () => {
    const filter = createExtensionTester(nthlayerSloEntityCard).get(
      EntityCardBlueprint.dataRefs.filterFunction,
    );
    expect(filter).toBeDefined();
    expect(filter!(serviceEntity)).toBe(true);
    expect(filter!({ ...serviceEntity, metadata: { name: 'plain' } })).toBe(
      false,
    );
  });

  it('has the deploy gate card, shown only on NthLayer-managed entities', () => {
    expect(
      nthlayerPlugin.getExtension('entity-card:nthlayer/gate'),
    ).toMatchObject({ kind: 'entity-card', namespace: 'nthlayer', name: 'gate' });
    const filter = createExtensionTester(nthlayerGateEntityCard).get(
      EntityCardBlueprint.dataRefs.filterFunction,
    );
    expect(filter!(serviceEntity)).toBe(true);
    expect(filter!({ ...serviceEntity, metadata: { name: 'plain' } })).toBe(
      false,
    );
  });

  it('has the drift card, shown only on NthLayer-managed entities', () => {
    expect(
      nthlayerPlugin.getExtension('entity-card:nthlayer/drift'),
    ).toMatchObject({
      kind: 'entity-card',
      namespace: 'nthlayer',
      name: 'drift',
    });
    const filter = createExtensionTester(nthlayerDriftEntityCard).get(
      EntityCardBlueprint.dataRefs.filterFunction,
    );
    expect(filter!(serviceEntity)).toBe(true);
    expect(filter!({ ...serviceEntity, metadata: { name: 'plain' } })).toBe(
      false,
    );
  });

  it('has the incidents card, shown only on NthLayer-managed entities', () => {
    expect(
      nthlayerPlugin.getExtension('entity-card:nthlayer/incidents'),
    ).toMatchObject({
      kind: 'entity-card',
      namespace: 'nthlayer',
      name: 'incidents',
    });
    const filter = createExtensionTester(nthlayerIncidentsEntityCard).get(
      EntityCardBlueprint.dataRefs.filterFunction,
    );
    expect(filter!(serviceEntity)).toBe(true);
    expect(filter!({ ...serviceEntity, metadata: { name: 'plain' } })).toBe(
      false,
    );
  });

  it('adds a Reliability tab at /nthlayer on NthLayer-managed entities', () => {
    expect(
      nthlayerPlugin.getExtension('entity-content:nthlayer/reliability'),
    ).toMatchObject({ kind: 'entity-content', name: 'reliability' });
    const tester = createExtensionTester(nthlayerReliabilityEntityContent);
    expect(tester.get(coreExtensionData.routePath)).toBe('/nthlayer');
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe(
      'Reliability',
    );
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction);
    expect(filter!(serviceEntity)).toBe(true);
    expect(filter!({ ...serviceEntity, metadata: { name: 'plain' } })).toBe(
      false,
    );
  });

  it('adds a Generated configs tab at /nthlayer-configs on NthLayer-managed entities', () => {
    expect(
      nthlayerPlugin.getExtension('entity-content:nthlayer/artifacts'),
    ).toMatchObject({ kind: 'entity-content', name: 'artifacts' });
    const tester = createExtensionTester(nthlayerArtifactsEntityContent);
    expect(tester.get(coreExtensionData.routePath)).toBe('/nthlayer-configs');
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe(
      'Generated configs',
    );
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction);
    expect(filter!(serviceEntity)).toBe(true);
    expect(filter!({ ...serviceEntity, metadata: { name: 'plain' } })).toBe(
      false,
    );
  });
});
