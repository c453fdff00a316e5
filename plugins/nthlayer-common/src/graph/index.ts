export * from './api';
export * from './build';
export * from './blast';
export * from './ceiling';
