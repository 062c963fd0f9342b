export * from './inbox-pruner';
export * from './outbox-relay';
export * from './outbox-rows';
export * from './stream-consumer';
export * from './stream-options';
export * from './tables';
