export * from './errors';
export * from './http';
export * from './streams';
export * from './api';
