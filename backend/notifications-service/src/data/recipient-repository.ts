import { inArray, sql } from 'drizzle-orm';
import type { Tx } from './db';
import { recipients } from './schema';

export interface Recipient {
  userId: string;
  email: string;
  username: string;
  saleEmails: boolean;
  orderEmails: boolean;
  asOf: Date;
}

/** Keeps the newest copy of each account: a copy older than the one stored (a late or replayed event) changes nothing. */
export async function upsertRecipients(rows: Recipient[], tx: Tx): Promise<void> {
  if (rows.length === 0) return;
  await tx
    .insert(recipients)
    .values(rows)
    .onConflictDoUpdate({
      target: recipients.userId,
      set: {
        email: sql`excluded.email`,
        username: sql`excluded.username`,
        saleEmails: sql`excluded.sale_emails`,
        orderEmails: sql`excluded.order_emails`,
        asOf: sql`excluded.as_of`,
      },
      setWhere: sql`${recipients.asOf} <= excluded.as_of`,
    });
}

export async function deleteRecipients(userIds: string[], tx: Tx): Promise<void> {
  if (userIds.length === 0) return;
  await tx.delete(recipients).where(inArray(recipients.userId, userIds));
}

export async function findRecipients(userIds: string[], tx: Tx): Promise<Map<string, Recipient>> {
  if (userIds.length === 0) return new Map();
  const rows = await tx.select().from(recipients).where(inArray(recipients.userId, userIds));
  return new Map(rows.map((row) => [row.userId, row]));
}
