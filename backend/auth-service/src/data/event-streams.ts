import { sql } from 'drizzle-orm';
import type { Tx } from './db';
import { eventStreams } from './schema';

/**
 * Records the stream this process publishes user events to, where the users table's trigger reads
 * it (it writes user.created / user.changed to the outbox in the transaction of the change).
 * Called at start, before anything can change a user.
 */
export async function registerUserEventsStream(stream: string, tx: Tx): Promise<void> {
  await tx
    .insert(eventStreams)
    .values({ kind: 'user', stream })
    .onConflictDoUpdate({ target: eventStreams.kind, set: { stream: sql`excluded.stream` } });
}
