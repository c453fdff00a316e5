import {
  ApiBlueprint,
  coreExtensionData,
} from '@backstage/frontend-plugin-api';
import {
  createExtensionTester,
  renderTestApp,
} from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { screen } from '@testing-library/react';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import nthlayerPlugin, {
  nthlayerApi,
  nthlayerArtifactsEntityContent,
  nthlayerBlastRadiusEntityCard,
  nthlayerDependenciesEntityContent,
  nthlayerDriftEntityCard,
  nthlayerGateEntityCard,
  nthlayerIncidentsEntityCard,
  nthlayerReliabilityEntityContent,
  nthlayerScorecardPage,
  nthlayerSloEntityCard,
  nthlayerSystemScorecardEntityCard,
  nthlayerTeamScorecardEntityCard,
} from './alpha';
import { nthlayerApiRef } from './api';
import { scorecardPageRouteRef } from './routes';
import { serviceEntity } from './components/EntityNthlayerSloCard/testData';
import {
  portfolio,
  scoreHistory,
} from './components/NthlayerScorecardPage/testData';
import {
  InMemoryNthlayerApi,
  mockResizeObserver,
} from './testUtils/InMemoryNthlayerApi';

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

  it('adds a Dependencies tab at /nthlayer-dependencies on NthLayer-managed entities', () => {
    expect(
      nthlayerPlugin.getExtension('entity-content:nthlayer/dependencies'),
    ).toMatchObject({ kind: 'entity-content', name: 'dependencies' });
    const tester = createExtensionTester(nthlayerDependenciesEntityContent);
    expect(tester.get(coreExtensionData.routePath)).toBe(
      '/nthlayer-dependencies',
    );
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe(
      'Dependencies',
    );
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction);
    expect(filter!(serviceEntity)).toBe(true);
    expect(filter!({ ...serviceEntity, metadata: { name: 'plain' } })).toBe(
      false,
    );
  });

  it('has the blast radius card, shown only on NthLayer-managed entities', () => {
    expect(
      nthlayerPlugin.getExtension('entity-card:nthlayer/blast-radius'),
    ).toMatchObject({
      kind: 'entity-card',
      namespace: 'nthlayer',
      name: 'blast-radius',
    });
    const filter = createExtensionTester(nthlayerBlastRadiusEntityCard).get(
      EntityCardBlueprint.dataRefs.filterFunction,
    );
    expect(filter!(serviceEntity)).toBe(true);
    expect(filter!({ ...serviceEntity, metadata: { name: 'plain' } })).toBe(
      false,
    );
  });

  it('shows the team scorecard on groups and the system card on systems only', () => {
    const group = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: 'team-payments', namespace: 'default' },
      spec: { type: 'team', children: [] },
    };
    const system = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'System',
      metadata: { name: 'commerce', namespace: 'default' },
      spec: { owner: 'group:default/team-platform' },
    };
    expect(
      nthlayerPlugin.getExtension('entity-card:nthlayer/team-scorecard'),
    ).toMatchObject({ kind: 'entity-card', name: 'team-scorecard' });
    expect(
      nthlayerPlugin.getExtension('entity-card:nthlayer/system-scorecard'),
    ).toMatchObject({ kind: 'entity-card', name: 'system-scorecard' });
    const team = createExtensionTester(nthlayerTeamScorecardEntityCard).get(
      EntityCardBlueprint.dataRefs.filterFunction,
    )!;
    const sys = createExtensionTester(nthlayerSystemScorecardEntityCard).get(
      EntityCardBlueprint.dataRefs.filterFunction,
    )!;
    expect([team(group), team(system), team(serviceEntity)]).toEqual([
      true,
      false,
      false,
    ]);
    expect([sys(group), sys(system), sys(serviceEntity)]).toEqual([
      false,
      true,
      false,
    ]);
  });

  it('adds the Reliability scorecard page at /nthlayer, with a nav entry', () => {
    expect(nthlayerPlugin.getExtension('page:nthlayer')).toMatchObject({
      kind: 'page',
      namespace: 'nthlayer',
    });
    const tester = createExtensionTester(nthlayerScorecardPage);
    expect(tester.get(coreExtensionData.routePath)).toBe('/nthlayer');
    expect(tester.get(coreExtensionData.routeRef)).toBe(scorecardPageRouteRef);
    // A page with a route ref, a title and an icon is what the app's nav lists.
    expect(tester.get(coreExtensionData.title)).toBe('Scorecards');
    expect(tester.get(coreExtensionData.icon)).toBeDefined();
    expect(nthlayerPlugin.routes.root).toBe(scorecardPageRouteRef);
  });

  it('renders the scorecard at /nthlayer in an app of the new frontend system', async () => {
    const restore = mockResizeObserver();
    try {
      const api = new InMemoryNthlayerApi({
        portfolio: portfolio(),
        scoreHistory: ref => scoreHistory(ref),
      });
      renderTestApp({
        extensions: [nthlayerScorecardPage],
        initialRouteEntries: ['/nthlayer'],
        mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
        apis: [[nthlayerApiRef, api]],
      });
      expect(await screen.findByTestId('nthlayer-org-score')).toHaveTextContent(
        String(portfolio().org.score),
      );
      expect(screen.getAllByTestId('nthlayer-team')).toHaveLength(4);
      expect(screen.getAllByText('Scorecards').length).toBeGreaterThan(0);
    } finally {
      restore();
    }
  });
});
