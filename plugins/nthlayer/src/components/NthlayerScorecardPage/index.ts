export {
  NthlayerScorecardContent,
  NthlayerScorecardPage,
} from './NthlayerScorecardPage';
