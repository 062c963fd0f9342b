export * from './common';
export * from './auth';
export * from './products';
export * from './orders';
export * from './cart';
export * from './addresses';
export * from './client-rules';
export * from './zod-defs';
