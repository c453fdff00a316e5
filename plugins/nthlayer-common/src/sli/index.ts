export {
  SLI_INTENTS,
  SLI_PRESETS,
  candidateSeriesSelector,
  resolveSliIntent,
  sliCandidates,
  sliPreset,
  unresolvedSliMessage,
} from './intents';
export type { SliCandidate, SliIntent, SliPreset, SliPresetId, SliResolution } from './intents';
