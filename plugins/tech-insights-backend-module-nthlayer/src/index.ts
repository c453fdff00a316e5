/**
 * Tech Insights facts from NthLayer: tier, SLO count, budget remaining, budget exhausted,
 * gate verdict, critical drift and reliability score of every managed service.
 *
 * @packageDocumentation
 */
export { techInsightsModuleNthlayer as default } from './module';
export { NTHLAYER_FACT_RETRIEVER_ID, nthlayerFactRetriever, nthlayerFacts } from './nthlayerFactRetriever';
