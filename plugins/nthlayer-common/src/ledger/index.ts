export * from './api';
export * from './episodes';
export * from './confidence';
export * from './attribute';
export * from './ledger';
