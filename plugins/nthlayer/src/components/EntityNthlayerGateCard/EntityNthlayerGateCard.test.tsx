import { Entity } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  PermissionApi,
  permissionApiRef,
} from '@backstage/plugin-permission-react';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import { EntityGateResponse } from '@nthlayer/backstage-plugin-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { nthlayerApiRef } from '../../api';
import {
  FakeAnswer,
  InMemoryNthlayerApi,
} from '../../testUtils/InMemoryNthlayerApi';
import { serviceEntity } from '../EntityNthlayerSloCard/testData';
import { EntityNthlayerGateCard } from './EntityNthlayerGateCard';
import {
  allowed,
  current,
  decision,
  deployment,
  gate,
  hoursFromNow,
  override,
} from './testData';

type PermissionResponse = Awaited<ReturnType<PermissionApi['authorize']>>;

/**
 * A permission API answering ALLOW or DENY. usePermission caches answers per permission and
 * resource (SWR), so the tests that deny use another entity than those that allow.
 */
function permissionApi(result: 'ALLOW' | 'DENY') {
  return {
    authorize: jest.fn(
      async () => ({ result } as unknown as PermissionResponse),
    ),
  };
}

const entityNamed = (name: string): Entity => ({
  ...serviceEntity,
  metadata: { ...serviceEntity.metadata, name },
});

async function renderCard(
  answers: ConstructorParameters<typeof InMemoryNthlayerApi>[0],
  options: { permission?: 'ALLOW' | 'DENY'; entity?: Entity } = {},
) {
  const api = new InMemoryNthlayerApi(answers);
  const permission = permissionApi(options.permission ?? 'ALLOW');
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [nthlayerApiRef, api],
        [permissionApiRef, permission],
      ]}
    >
      <EntityProvider entity={options.entity ?? serviceEntity}>
        <EntityNthlayerGateCard />
      </EntityProvider>
    </TestApiProvider>,
  );
  return { api, permission };
}

async function responseError(status: number, message: string) {
  return ResponseError.fromResponse({
    ok: false,
    status,
    statusText: 'Error',
    url: 'http://localhost:7007/api/nthlayer/v1/gates/overrides',
    headers: new Headers({ 'content-type': 'application/json' }),
    text: async () =>
      JSON.stringify({
        error: { name: 'Error', message },
        response: { statusCode: status },
      }),
  } as unknown as Response);
}

const verdict = () => screen.getByTestId('nthlayer-gate-verdict');

describe('EntityNthlayerGateCard', () => {
  it('shows a block verdict with the rule that decided it and the values it read', async () => {
    const { api } = await renderCard({ gate: gate() });
    expect(api.gateRequested).toEqual(['Component:default/checkout-api']);
    expect(screen.getByText('Deploy gate')).toBeInTheDocument();
    expect(verdict()).toHaveTextContent(/^block$/);
    expect(verdict()).toHaveAttribute('data-verdict', 'block');
    expect(screen.getByTestId('nthlayer-gate-reasons')).toHaveTextContent(
      'tier-1-default/block-below: error budget below 10 %',
    );

    // The deciding rules first; the one that passed is folded until asked for.
    expect(
      screen.getAllByTestId('nthlayer-gate-rule').map(r => r.getAttribute('data-rule')),
    ).toEqual(['tier-1-default/block-below', 'tier-1-default/warn-below']);
    fireEvent.click(screen.getByRole('button', { name: 'Show 1 more rule that passed' }));
    const rows = screen.getAllByTestId('nthlayer-gate-rule');
    expect(rows.map(r => r.getAttribute('data-rule'))).toEqual([
      'tier-1-default/block-below',
      'tier-1-default/warn-below',
      'checkout-policy/fast-burn',
    ]);
    const deciding = within(rows[0]);
    expect(rows[0]).toHaveAttribute('data-verdict', 'block');
    expect(deciding.getByText('tier-1-default')).toBeInTheDocument();
    expect(deciding.getByText('block-below')).toBeInTheDocument();
    expect(deciding.getByText('fired → block')).toBeInTheDocument();
    expect(deciding.getByTestId('nthlayer-gate-rule-value')).toHaveTextContent(
      'budget.remaining = 4.2 %',
    );
    expect(
      deciding.getByText('tier-1-default/block-below: error budget below 10 %'),
    ).toBeInTheDocument();
    // Not a ratio: the burn rate is a plain number.
    expect(
      within(rows[2]).getByTestId('nthlayer-gate-rule-value'),
    ).toHaveTextContent('burn.1h = 2.5');
    expect(within(rows[2]).getByText(/· not met$/)).toBeInTheDocument();
    expect(
      screen.queryByTestId('nthlayer-gate-override-applied'),
    ).not.toBeInTheDocument();
    expect(screen.queryByTestId('nthlayer-gate-stale')).not.toBeInTheDocument();
  });

  it('shows an allow verdict', async () => {
    await renderCard({ gate: gate({ current: allowed() }) });
    expect(verdict()).toHaveTextContent(/^allow$/);
    expect(screen.getByTestId('nthlayer-gate-reasons')).toHaveTextContent(
      'every rule passed',
    );
    expect(screen.getByTestId('nthlayer-gate-rule')).toHaveAttribute(
      'data-verdict',
      'allow',
    );
    expect(screen.getByTestId('nthlayer-gate-rule-value')).toHaveTextContent(
      'budget.remaining = 85.0 %',
    );
    expect(screen.getByText('No override in force.')).toBeInTheDocument();
  });

  it('shows the override in force and the verdict without it', async () => {
    const inForce = override();
    await renderCard({
      gate: gate({
        current: allowed({
          override: {
            id: inForce.id,
            reason: inForce.reason,
            createdBy: inForce.createdBy,
            expiresAt: inForce.expiresAt,
            verdictWithout: 'block',
          },
        }),
        overrides: [inForce],
      }),
    });
    expect(verdict()).toHaveTextContent(/^allow$/);
    const applied = screen.getByTestId('nthlayer-gate-override-applied');
    expect(applied).toHaveTextContent(
      /^Allowed by override of jane until .+: hotfix for the payment outage; without it: block$/,
    );
    expect(applied).toHaveAttribute('data-verdict-without', 'block');
    const row = within(screen.getByTestId('nthlayer-gate-override-7'));
    expect(row.getByText('jane')).toBeInTheDocument();
    expect(row.getByText('hotfix for the payment outage')).toBeInTheDocument();
    expect(row.getByText('any version')).toBeInTheDocument();
  });

  it('shows policy load errors with where they are', async () => {
    await renderCard({
      gate: gate({
        policyErrors: [
          {
            source: 'policies/checkout.yaml',
            line: 12,
            column: 5,
            policy: 'checkout-policy',
            reason: 'unknown variable budgets.remaining',
          },
        ],
      }),
    });
    const panel = screen.getByTestId('nthlayer-gate-policy-errors');
    expect(panel).toHaveTextContent('1 policy document was rejected');
    expect(
      within(panel).getByTestId('nthlayer-gate-policy-error'),
    ).toHaveTextContent(
      'policies/checkout.yaml:12:5 (checkout-policy) unknown variable budgets.remaining',
    );
  });

  it('says when the budgets are stale', async () => {
    await renderCard({
      gate: gate({
        current: current({ stale: true, budgetsAsOf: '2026-03-01T10:00:00Z' }),
      }),
    });
    expect(screen.getByTestId('nthlayer-gate-stale')).toHaveTextContent(
      /^Budgets are stale: last measured .*2026/,
    );
  });

  it('lists the last five decisions and deployments', async () => {
    await renderCard({
      gate: gate({
        decisions: [
          decision(1, {
            decision: {
              ...current({ verdict: 'allow' }),
              override: {
                id: 7,
                reason: 'hotfix for the payment outage',
                createdBy: 'user:default/jane',
                expiresAt: hoursFromNow(3),
                verdictWithout: 'block',
              },
            },
          }),
          ...[2, 3, 4, 5, 6].map(id => decision(id)),
        ],
        deployments: [
          deployment(1, {
            url: 'https://ci.example.com/runs/1',
            status: 'rolled_back',
          }),
          deployment(2),
        ],
      }),
    });
    const decisions = screen.getAllByTestId('nthlayer-gate-decision');
    expect(decisions).toHaveLength(5);
    expect(decisions[0]).toHaveTextContent('1.4.1');
    expect(decisions[0]).toHaveTextContent('service:github-actions');
    expect(within(decisions[0]).getByText('overridden')).toBeInTheDocument();
    expect(decisions[0]).toHaveAttribute('data-verdict', 'allow');
    expect(
      within(decisions[1]).queryByText('overridden'),
    ).not.toBeInTheDocument();
    expect(screen.queryByText('1.4.6')).not.toBeInTheDocument();

    const deployments = screen.getAllByTestId('nthlayer-gate-deployment');
    expect(deployments).toHaveLength(2);
    expect(
      within(deployments[0]).getByRole('link', { name: /^1\.4\.1/ }),
    ).toHaveAttribute('href', 'https://ci.example.com/runs/1');
    expect(deployments[0]).toHaveTextContent('rolled back');
    expect(deployments[0]).toHaveTextContent('jane');
    expect(within(deployments[1]).queryByRole('link')).not.toBeInTheDocument();
  });

  it('creates an override from the dialog and reloads the card', async () => {
    const created = override({ version: '1.4.2', expiresAt: hoursFromNow(4) });
    const answers: FakeAnswer<EntityGateResponse>[] = [
      gate(),
      gate({
        current: allowed({
          override: { ...created, verdictWithout: 'block' },
        }),
        overrides: [created],
      }),
    ];
    const { api } = await renderCard({
      gate: answers,
      createOverride: created,
    });
    await waitFor(() =>
      expect(
        screen.getByRole('button', { name: 'Override gate' }),
      ).toBeInTheDocument(),
    );
    expect(
      screen.queryByTestId('nthlayer-gate-override-denied'),
    ).not.toBeInTheDocument();

    fireEvent.click(screen.getByRole('button', { name: 'Override gate' }));
    const dialog = within(await screen.findByRole('dialog'));

    // Too short: refused, nothing posted.
    fireEvent.change(dialog.getByLabelText(/^Reason/), {
      target: { value: 'oops!' },
    });
    fireEvent.click(dialog.getByRole('button', { name: 'Create override' }));
    expect(
      await dialog.findByText(
        /Give a reason of at least 10 characters \(5 so far\)/,
      ),
    ).toBeInTheDocument();
    expect(api.overridesCreated).toEqual([]);

    fireEvent.change(dialog.getByLabelText(/^Reason/), {
      target: { value: '  hotfix for the payment outage  ' },
    });
    fireEvent.change(dialog.getByLabelText('Expires in'), {
      target: { value: '4' },
    });
    fireEvent.change(dialog.getByLabelText('Version'), {
      target: { value: '1.4.2' },
    });
    const before = Date.now();
    fireEvent.click(dialog.getByRole('button', { name: 'Create override' }));
    await waitFor(() => expect(api.overridesCreated).toHaveLength(1));
    const after = Date.now();

    const [request] = api.overridesCreated;
    expect(request).toEqual({
      entityRef: 'component:default/checkout-api',
      reason: 'hotfix for the payment outage',
      version: '1.4.2',
      expiresAt: expect.any(String),
    });
    const expires = Date.parse(request.expiresAt);
    expect(expires).toBeGreaterThanOrEqual(before + 4 * 3_600_000);
    expect(expires).toBeLessThanOrEqual(after + 4 * 3_600_000);

    await waitFor(() => expect(verdict()).toHaveTextContent(/^allow$/));
    expect(api.gateRequested).toHaveLength(2);
    expect(
      screen.getByTestId('nthlayer-gate-override-applied'),
    ).toHaveTextContent('without it: block');
    expect(screen.getByTestId('nthlayer-gate-override-7')).toHaveTextContent(
      '1.4.2',
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
  });

  it('sends a custom expiry and refuses one in the past', async () => {
    const { api } = await renderCard({
      gate: gate(),
      createOverride: override(),
    });
    fireEvent.click(
      await screen.findByRole('button', { name: 'Override gate' }),
    );
    const dialog = within(await screen.findByRole('dialog'));
    fireEvent.change(dialog.getByLabelText(/^Reason/), {
      target: { value: 'planned migration window' },
    });
    fireEvent.change(dialog.getByLabelText('Expires in'), {
      target: { value: 'custom' },
    });
    const local = (date: Date) => {
      const pad = (n: number) => String(n).padStart(2, '0');
      return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(
        date.getDate(),
      )}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
    };
    fireEvent.change(dialog.getByLabelText('Expires at'), {
      target: { value: local(new Date(Date.now() - 3_600_000)) },
    });
    fireEvent.click(dialog.getByRole('button', { name: 'Create override' }));
    expect(
      await dialog.findByText('The override must end in the future.'),
    ).toBeInTheDocument();
    expect(api.overridesCreated).toEqual([]);

    const later = local(new Date(Date.now() + 6 * 3_600_000));
    fireEvent.change(dialog.getByLabelText('Expires at'), {
      target: { value: later },
    });
    fireEvent.click(dialog.getByRole('button', { name: 'Create override' }));
    await waitFor(() => expect(api.overridesCreated).toHaveLength(1));
    expect(api.overridesCreated[0].expiresAt).toBe(
      new Date(later).toISOString(),
    );
    expect(api.overridesCreated[0]).not.toHaveProperty('version');
  });

  it('shows the message of the backend when the override is refused, and keeps the dialog', async () => {
    const { api } = await renderCard({
      gate: gate(),
      createOverride: await responseError(
        400,
        'expiresAt may be at most 72 hours ahead (nthlayer.gates.maxOverrideDuration)',
      ),
    });
    fireEvent.click(
      await screen.findByRole('button', { name: 'Override gate' }),
    );
    const dialog = within(await screen.findByRole('dialog'));
    fireEvent.change(dialog.getByLabelText(/^Reason/), {
      target: { value: 'hotfix for the payment outage' },
    });
    fireEvent.click(dialog.getByRole('button', { name: 'Create override' }));
    expect(await dialog.findByRole('alert')).toHaveTextContent(
      'expiresAt may be at most 72 hours ahead (nthlayer.gates.maxOverrideDuration)',
    );
    expect(screen.getByRole('dialog')).toBeInTheDocument();
    expect(api.overridesCreated).toHaveLength(1);
    expect(api.gateRequested).toHaveLength(1);
  });

  it('revokes an active override and reloads', async () => {
    const { api } = await renderCard({
      gate: [
        gate({
          overrides: [override(), override({ id: 8, version: '2.0.0' })],
        }),
        gate(),
      ],
      revokeOverride: override({ revokedAt: new Date().toISOString() }),
    });
    const row = within(screen.getByTestId('nthlayer-gate-override-7'));
    fireEvent.click(await row.findByRole('button', { name: 'Revoke' }));
    await waitFor(() => expect(api.overridesRevoked).toEqual([7]));
    await waitFor(() =>
      expect(screen.getByText('No override in force.')).toBeInTheDocument(),
    );
    expect(api.gateRequested).toHaveLength(2);
  });

  it('asks for nthlayer.gate.override on the entity', async () => {
    const { permission } = await renderCard(
      { gate: gate() },
      { entity: entityNamed('orders-api') },
    );
    expect(
      await screen.findByRole('button', { name: 'Override gate' }),
    ).toBeInTheDocument();
    expect(permission.authorize).toHaveBeenCalledWith(
      expect.objectContaining({
        permission: expect.objectContaining({
          name: 'nthlayer.gate.override',
          resourceType: 'catalog-entity',
        }),
        resourceRef: 'component:default/orders-api',
      }),
    );
  });

  it('hides the override and revoke buttons without the permission, and says why', async () => {
    const { permission } = await renderCard(
      { gate: gate({ overrides: [override()] }) },
      { permission: 'DENY', entity: entityNamed('payments-api') },
    );
    expect(
      await screen.findByTestId('nthlayer-gate-override-denied'),
    ).toHaveTextContent(
      'Only the owners of this entity can override its gate (permission nthlayer.gate.override)',
    );
    expect(permission.authorize).toHaveBeenCalledWith(
      expect.objectContaining({
        resourceRef: 'component:default/payments-api',
      }),
    );
    expect(
      screen.queryByRole('button', { name: 'Override gate' }),
    ).not.toBeInTheDocument();
    expect(
      within(screen.getByTestId('nthlayer-gate-override-7')).queryByRole(
        'button',
        { name: 'Revoke' },
      ),
    ).not.toBeInTheDocument();
  });

  it('has an empty state when NthLayer does not manage the entity (404)', async () => {
    await renderCard({
      gate: await responseError(
        404,
        'component:default/checkout-api has no NthLayer tier',
      ),
    });
    expect(screen.getByTestId('nthlayer-gate-empty')).toHaveTextContent(
      'This entity has no NthLayer tier',
    );
    expect(
      screen.queryByTestId('nthlayer-gate-verdict'),
    ).not.toBeInTheDocument();
  });

  it('shows other errors in an error panel', async () => {
    await renderCard({ gate: await responseError(500, 'database is down') });
    expect(screen.getAllByText(/database is down/).length).toBeGreaterThan(0);
    expect(
      screen.queryByTestId('nthlayer-gate-verdict'),
    ).not.toBeInTheDocument();
    expect(screen.queryByTestId('nthlayer-gate-empty')).not.toBeInTheDocument();
  });

  it('shows progress while loading', async () => {
    await renderCard({ gate: 'pending' });
    expect(screen.getByTestId('progress')).toBeInTheDocument();
    expect(
      screen.queryByTestId('nthlayer-gate-verdict'),
    ).not.toBeInTheDocument();
  });

  it('explains a missing annotation without calling the backend', async () => {
    const { api } = await renderCard(
      { gate: gate() },
      {
        entity: {
          ...serviceEntity,
          metadata: { name: 'plain', annotations: {} },
        },
      },
    );
    expect(api.gateRequested).toEqual([]);
    expect(screen.getByText('nthlayer.dev/tier')).toBeInTheDocument();
  });
});
