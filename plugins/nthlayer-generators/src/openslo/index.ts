export { buildOpenSloDocuments, generateOpenSlo } from './generateOpenSlo';
export type { OpenSloDocument } from './types';
