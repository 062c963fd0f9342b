ALTER TABLE "orders" ADD COLUMN "cancelled_event_id" uuid;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "cancel_correlation_id" text;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "cancelled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "cancel_republishes" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "orders_cancel_republish_idx" ON "orders" USING btree ("last_published_at") WHERE status = 'CANCELLED' AND cancelled_event_id IS NOT NULL AND cancel_republishes < 3;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_cancel_event_only_when_cancelled" CHECK ("orders"."cancelled_event_id" IS NULL OR "orders"."status" = 'CANCELLED');