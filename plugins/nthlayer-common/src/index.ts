/**
 * Shared types, annotation names, service model and error-budget maths of NthLayer.
 *
 * @packageDocumentation
 */
export * from './annotations';
export * from './types';
export * from './budget';
export * from './window';
export * from './latency';
export * from './tiers';
export * from './selector';
export * from './serviceModel';
export * from './promql';
export * from './permissions';
export * from './report';
export * from './burn';
export * from './calendar';
export * from './explain';
export * from './mapLimit';
export * from './text';
export * from './runbook';
export * from './time';
export * from './gates';
export * from './sli';
export * from './drift';
export * from './graph';
export * from './scores';
export * from './ledger';
