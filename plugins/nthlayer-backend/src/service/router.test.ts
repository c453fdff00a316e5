import { mockErrorHandler, mockServices } from '@backstage/backend-test-utils';
import express from 'express';
import { PassThrough } from 'stream';
import request from 'supertest';
import { ArtifactService } from './ArtifactService';
import { ArtifactValidator } from './ArtifactValidator';
import { DeploymentService } from './DeploymentService';
import { DriftService } from './DriftService';
import { IncidentService } from './IncidentService';
import { ReliabilityService } from './ReliabilityService';
import { LedgerService } from './LedgerService';
import { PagerDutyApplyService } from './PagerDutyApplyService';
import { EntitySloService } from './EntitySloService';
import { GateService } from './GateService';
import { PolicyService } from './PolicyService';
import { RefreshService } from './RefreshService';
import { artifactZipStream } from './artifactZip';
import { createRouter } from './router';

jest.mock('./artifactZip', () => ({
  ...jest.requireActual('./artifactZip'),
  artifactZipStream: jest.fn(),
}));

describe('router: artifacts.zip', () => {
  it('logs a failing zip stream and cuts the response off instead of crashing', async () => {
    const logger = mockServices.logger.mock();
    const artifacts = {
      generate: async () => ({
        entityRef: 'component:default/checkout-api',
        artifacts: [{ id: 'rules', filename: 'rules.yaml', content: 'groups: []\n' }],
        findings: [],
      }),
    } as unknown as ArtifactService;
    const failing = new PassThrough();
    jest.mocked(artifactZipStream).mockReturnValue(failing);
    const app = express()
      .use(
        await createRouter({
          httpAuth: mockServices.httpAuth(),
          permissions: mockServices.permissions(),
          logger,
          refresh: {} as RefreshService,
          entitySlos: {} as EntitySloService,
          artifacts,
          validator: {} as ArtifactValidator,
          instances: () => [],
          gates: {} as GateService,
          policies: {} as PolicyService,
          deployments: {} as DeploymentService,
          drift: {} as DriftService,
          incidents: {} as IncidentService,
          pagerdutyApply: {} as PagerDutyApplyService,
          reliability: {} as ReliabilityService,
          ledger: {} as LedgerService,
        }),
      )
      .use(mockErrorHandler());
    setTimeout(() => {
      failing.write(Buffer.from('PK\u0003\u0004'));
      setTimeout(() => failing.emit('error', new Error('deflate failed')), 20);
    }, 50);

    const error = await request(app)
      .get('/v1/entities/component/default/checkout-api/artifacts.zip')
      .then(
        () => undefined,
        e => e as Error,
      );
    expect(error?.message).toMatch(/aborted|socket hang up|ECONNRESET/);
    expect(logger.error).toHaveBeenCalledWith(
      'NthLayer could not zip the artifacts of component:default/checkout-api',
      expect.objectContaining({ message: 'deflate failed' }),
    );
  });
});
