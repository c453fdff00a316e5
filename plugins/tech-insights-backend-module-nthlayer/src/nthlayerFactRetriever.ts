import { parseEntityRef } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import { FactRetriever, TechInsightFact } from '@backstage-community/plugin-tech-insights-node';
import { PortfolioResponse, PortfolioService } from '@nthlayer/backstage-plugin-common';

/**
 * The id the retriever's facts are stored under, and the key of its config
 * (`techInsights.factRetrievers.nthlayerFactRetriever`).
 *
 * @public
 */
export const NTHLAYER_FACT_RETRIEVER_ID = 'nthlayerFactRetriever';

/**
 * The facts of one service, from its portfolio row. A fact NthLayer does not know yet (no
 * budget measured, no drift check) is left out rather than stored as 0.
 *
 * @public
 */
export function nthlayerFacts(service: PortfolioService): TechInsightFact['facts'] {
  const facts: TechInsightFact['facts'] = {
    nthlayerTier: service.tier,
    sloCount: service.sloCount,
    budgetExhausted: service.budgetStatus === 'exhausted' || (service.minRemainingRatio !== null && service.minRemainingRatio <= 0),
  };
  if (service.minRemainingRatio !== null) facts.minBudgetRemaining = service.minRemainingRatio;
  if (service.gateVerdict !== null) facts.gateVerdict = service.gateVerdict;
  if (service.driftCritical !== null) facts.driftCritical = service.driftCritical;
  if (service.score !== null) facts.reliabilityScore = service.score;
  return facts;
}

/**
 * Tech Insights facts from NthLayer, for every managed service in one call of
 * `GET /api/nthlayer/v1/portfolio`, made with the tech-insights plugin's own service
 * credentials.
 *
 * @public
 */
export const nthlayerFactRetriever: FactRetriever = {
  id: NTHLAYER_FACT_RETRIEVER_ID,
  version: '0.1.0',
  title: 'NthLayer reliability',
  description: 'Tier, SLOs, error budget, deploy gate, drift and reliability score of NthLayer-managed services',
  entityFilter: [{ kind: 'component' }],
  schema: {
    nthlayerTier: { type: 'integer', description: 'NthLayer tier (1 critical, 2 standard, 3 low)' },
    sloCount: { type: 'integer', description: 'Number of SLOs NthLayer measures' },
    minBudgetRemaining: { type: 'float', description: 'Lowest remaining error budget ratio of its SLOs (1 = untouched, ≤ 0 = spent)' },
    budgetExhausted: { type: 'boolean', description: 'True when an SLO has spent its error budget' },
    gateVerdict: { type: 'string', description: 'The deploy gate verdict now: allow, warn or block' },
    driftCritical: { type: 'integer', description: 'Critical drift findings of the latest check' },
    reliabilityScore: { type: 'float', description: 'NthLayer reliability score, 0–100' },
  },
  async handler({ discovery, auth }) {
    const baseUrl = await discovery.getBaseUrl('nthlayer');
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: await auth.getOwnServiceCredentials(),
      targetPluginId: 'nthlayer',
    });
    const response = await fetch(`${baseUrl}/v1/portfolio`, { headers: { Authorization: `Bearer ${token}` } });
    if (!response.ok) throw await ResponseError.fromResponse(response);
    const portfolio = (await response.json()) as PortfolioResponse;
    return portfolio.services.map(service => {
      const { kind, namespace, name } = parseEntityRef(service.entityRef);
      return { entity: { kind, namespace, name }, facts: nthlayerFacts(service) };
    });
  },
};
