import { v7 } from 'uuid';

/**
 * A new id for a row or an event that is stored and indexed: a UUIDv7, whose leading bits are
 * the time, so a new key lands at the right edge of its B-tree index (a random UUIDv4 lands on
 * any page, and after each checkpoint the first change to a page writes the whole page to the
 * WAL). Order ids, and the event ids the inboxes keep, are such keys.
 */
export const newId = (): string => v7();
