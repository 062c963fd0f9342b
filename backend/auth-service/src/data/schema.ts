import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { outboxTable } from '@market/kit';

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    username: text('username').notNull(),
    email: text('email').notNull(),
    passwordHash: text('password_hash').notNull(),
    role: text('role', { enum: ['buyer', 'seller', 'admin'] }).notNull(),
    disabled: boolean('disabled').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    /** Set when the user deleted the account: the row stays (ids are referenced elsewhere), its personal data is gone. */
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
    /** The user opened the link mailed to this address; until then the account cannot order or list products. */
    emailVerified: boolean('email_verified').notNull().default(false),
    /** Emails about sales of the user's products; security emails are not optional. */
    saleEmails: boolean('sale_emails').notNull().default(true),
    /** Emails about the outcome of the user's orders (completed, failed, cancelled). */
    orderEmails: boolean('order_emails').notNull().default(true),
  },
  (t) => [
    check('users_deleted_are_disabled', sql`${t.deletedAt} IS NULL OR ${t.disabled}`),
    // Usernames are shown to other users, so `Alice` and `alice` must not both exist.
    uniqueIndex('users_username_unique').on(sql`lower(${t.username})`),
    uniqueIndex('users_email_unique').on(t.email),
    check('users_email_lower_case', sql`${t.email} = lower(${t.email})`),
    check('users_role_known', sql`${t.role} in ('buyer', 'seller', 'admin')`),
    index('users_created_at_idx').on(t.createdAt),
  ],
);

/** One login session: every refresh token rotated from the same login shares a family. */
export const tokenFamilies = pgTable(
  'token_families',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    revokedReason: text('revoked_reason'),
  },
  (t) => [index('token_families_user_idx').on(t.userId)],
);

export const refreshTokens = pgTable(
  'refresh_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    familyId: uuid('family_id')
      .notNull()
      .references(() => tokenFamilies.id, { onDelete: 'cascade' }),
    /** sha256 of the token; the token itself is never stored. */
    tokenHash: text('token_hash').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    /** Set when the token is rotated; presenting it again afterwards is theft. */
    usedAt: timestamp('used_at', { withTimezone: true }),
    replacedBy: uuid('replaced_by'),
  },
  (t) => [uniqueIndex('refresh_tokens_hash_unique').on(t.tokenHash), index('refresh_tokens_family_idx').on(t.familyId)],
);

/** user.created, user.changed, user.deleted for the relay to publish to USER_EVENTS_STREAM. */
export const outbox = outboxTable();

/**
 * The stream each kind of event goes to, as this service's config names it (written at start):
 * the trigger that publishes user.created / user.changed in the transaction of the change reads it.
 */
export const eventStreams = pgTable('event_streams', {
  kind: text('kind').primaryKey(),
  stream: text('stream').notNull(),
});

export type UserRow = typeof users.$inferSelect;
export type NewUserRow = typeof users.$inferInsert;

/**
 * A user's TOTP secret (RFC 6238). Pending until the first valid code confirms it (enabled_at set).
 * last_used_step is the 30-second step of the last accepted code: a code is accepted only for a
 * later step, so an observed code cannot be replayed within its window.
 */
export const twoFactorSecrets = pgTable('two_factor_secrets', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  /** Base32; never leaves the service after the enrolment answer that showed it. */
  secret: text('secret').notNull(),
  enabledAt: timestamp('enabled_at', { withTimezone: true }),
  lastUsedStep: bigint('last_used_step', { mode: 'number' }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Single-use recovery codes: salted sha256 of a 60-bit random code, marked used rather than deleted. */
export const recoveryCodes = pgTable(
  'recovery_codes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    salt: text('salt').notNull(),
    codeHash: text('code_hash').notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [index('recovery_codes_user_idx').on(t.userId)],
);

/**
 * Single-use tokens mailed to a user: password reset and email verification. Only the sha256 of
 * the token is kept; the token itself lives in the mail outbox row until the mail is sent.
 */
export const emailTokens = pgTable(
  'email_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    purpose: text('purpose', { enum: ['reset-password', 'verify-email'] }).notNull(),
    tokenHash: text('token_hash').notNull(),
    /** The address a verify-email token was sent to: a link for an address the user has since left verifies nothing. */
    email: text('email').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('email_tokens_hash_unique').on(t.tokenHash),
    index('email_tokens_user_idx').on(t.userId, t.purpose),
    index('email_tokens_expires_at_idx').on(t.expiresAt),
    check('email_tokens_purpose_known', sql`${t.purpose} in ('reset-password', 'verify-email')`),
  ],
);

/**
 * Mail waiting to be sent by the mail relay (messaging/mail-relay.ts). A row holds the raw token
 * of its link and is deleted once the relay has handed the mail to SMTP; a failed send is tried
 * again at next_attempt_at, with backoff.
 */
export const mailOutbox = pgTable(
  'mail_outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    kind: text('kind', { enum: ['reset-password', 'verify-email'] }).notNull(),
    recipient: text('recipient').notNull(),
    values: jsonb('values').$type<Record<string, string>>().notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    /** Past it the link inside is dead, so the mail is dropped instead of sent. */
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('mail_outbox_next_attempt_idx').on(t.nextAttemptAt)],
);
