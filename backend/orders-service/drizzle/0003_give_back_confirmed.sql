ALTER TABLE "orders" DROP CONSTRAINT "orders_cancel_event_only_when_cancelled";--> statement-breakpoint
DROP INDEX "orders_cancel_republish_idx";--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "give_back_confirmed_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "orders_pending_created_idx" ON "orders" USING btree ("created_at") WHERE status = 'PENDING';--> statement-breakpoint
CREATE INDEX "orders_give_back_unconfirmed_idx" ON "orders" USING btree ("last_published_at") WHERE cancelled_event_id IS NOT NULL AND give_back_confirmed_at IS NULL;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_give_back_only_when_cancelled_or_timed_out" CHECK ("orders"."cancelled_event_id" IS NULL OR "orders"."status" = 'CANCELLED' OR "orders"."reason" = 'TIMED_OUT');--> statement-breakpoint
-- Give-backs older than a day were sent up to four times by the earlier code (within minutes): they
-- landed, or sit in orders_stream:dead where `npm run dlq` replays them. Only newer ones are re-sent.
UPDATE "orders" SET "give_back_confirmed_at" = "cancelled_at" WHERE "cancelled_event_id" IS NOT NULL AND "cancelled_at" < now() - interval '1 day';
