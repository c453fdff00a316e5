export * from './types';
export * from './trend';
