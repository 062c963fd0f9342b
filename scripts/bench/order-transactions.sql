-- pgbench script: the minimum database work of one order, in the three commits the saga makes.
-- Runs against a scratch database holding the orders and products schemas built from the real
-- migrations (scripts/bench/ceilings.ts). :products is the number of products (-D products=N);
-- product i has id md5('p' || i)::uuid, like the rows the script that builds the database inserts.
\set p random(1, :products)
\set qty random(1, 3)

-- 1. orders-service places the order: order row, its line, order.placed outbox row.
BEGIN;
INSERT INTO orders.orders (id, buyer_id, idempotency_key, request_hash, placed_event_id, correlation_id)
  VALUES (gen_random_uuid(), md5('b' || :client_id)::uuid, gen_random_uuid()::text, 'pgbench', gen_random_uuid(), 'pgbench')
  RETURNING id AS order_id \gset
INSERT INTO orders.order_items (order_id, line, product_id, quantity, unit_price)
  VALUES (':order_id'::uuid, 0, md5('p' || :p)::uuid, :qty, 10.00);
INSERT INTO orders.outbox (stream, fields)
  VALUES ('orders_stream', jsonb_build_object('type', 'order.placed', 'order_id', ':order_id', 'products',
    json_build_array(json_build_object('product_id', md5('p' || :p)::uuid, 'quantity', :qty, 'price', '10.00'))::text));
COMMIT;

-- 2. products-service consumes it: inbox row, conditional stock update, inventory.result outbox row.
BEGIN;
INSERT INTO products.processed_messages (event_id, stream) VALUES (gen_random_uuid(), 'orders_stream');
UPDATE products.products SET stock = stock - :qty, version = version + 1, updated_at = now()
  WHERE id = md5('p' || :p)::uuid AND status = 'active' AND price = 10.00 AND stock >= :qty;
INSERT INTO products.outbox (stream, fields)
  VALUES ('inventory_stream', jsonb_build_object('type', 'inventory.result', 'order_id', ':order_id', 'status', 'COMPLETED'));
COMMIT;

-- 3. orders-service applies the reply: inbox row, guarded status update.
BEGIN;
INSERT INTO orders.processed_messages (event_id, stream) VALUES (gen_random_uuid(), 'inventory_stream');
UPDATE orders.orders SET status = 'COMPLETED', total = :qty * 10.00, updated_at = now()
  WHERE id = ':order_id'::uuid AND status = 'PENDING';
COMMIT;
