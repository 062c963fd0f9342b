export * from './outbox-relay';
export * from './stream-consumer';
export * from './tables';
