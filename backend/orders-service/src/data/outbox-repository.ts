// The outbox and inbox rows live in the tables every saga participant shares (kit/streams).
export { enqueueOutboxRow as enqueue, isAwaitingRelay, recordProcessed } from '@market/kit';
