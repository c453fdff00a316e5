export * from './api';
export * from './score';
export * from './portfolio';
export * from './insights';
export * from './format';
