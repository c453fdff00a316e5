export { EntityNthlayerTeamScorecardCard } from './EntityNthlayerTeamScorecardCard';
