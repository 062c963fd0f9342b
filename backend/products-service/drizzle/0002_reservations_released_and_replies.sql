ALTER TABLE "order_outcomes" ADD COLUMN "reply" jsonb;--> statement-breakpoint
ALTER TABLE "stock_reservations" ADD COLUMN "released_at" timestamp with time zone;