CREATE TABLE "pending_orders" (
	"order_id" uuid PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"last_published_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
INSERT INTO "pending_orders" ("order_id", "created_at", "last_published_at")
	SELECT "id", "created_at", "last_published_at" FROM "orders" WHERE "status" = 'PENDING';--> statement-breakpoint
DROP INDEX "orders_pending_published_idx";--> statement-breakpoint
DROP INDEX "orders_pending_created_idx";--> statement-breakpoint
-- Room on each page for the settled version of its orders, so settling is a HOT update (new pages only).
ALTER TABLE "orders" SET (fillfactor = 85);
