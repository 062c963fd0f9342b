// The outbox and inbox rows live in the tables every saga participant shares (kit/streams).
export {
  enqueueOutboxRow as enqueue,
  enqueueOutboxRows as enqueueMany,
  forgetProcessed,
  isAwaitingRelay,
  recordProcessedBatch,
} from '@market/kit';
