export * from './types';
export * from './trend';
export * from './api';
