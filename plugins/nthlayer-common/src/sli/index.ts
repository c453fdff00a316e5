export {
  CUSTOM_SLI_PRESET,
  SLI_INTENTS,
  SLI_PRESETS,
  candidateSeriesSelector,
  resolveSliIntent,
  sliCandidates,
  sliPreset,
  unresolvedSliMessage,
} from './intents';
export type { SliCandidate, SliIntent, SliPreset, SliPresetId, SliResolution } from './intents';
export { ACCEPTED_CUSTOM_SLI_QUERY, checkCustomSliQuery } from './custom';
export type { CustomSli } from './custom';
export { counterSelectorOf, ratioQueryOf, vectorSelectorParts } from './customQuery';
export type {
  CounterSelectorResult,
  LabelMatcherPart,
  RatioQueryResult,
  VectorSelectorParts,
} from './customQuery';
