ALTER TABLE "products" DROP CONSTRAINT "products_status_known";--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "moderation_reason" text;--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "moderated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "moderated_by" uuid;--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_unlisted_has_reason" CHECK ("products"."status" <> 'unlisted' OR "products"."moderation_reason" IS NOT NULL);--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_status_known" CHECK ("products"."status" in ('active', 'archived', 'unlisted'));