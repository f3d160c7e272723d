-- After confirmed: shipped and delivered, or cancelled with its units given back.
ALTER TABLE orders DROP CONSTRAINT orders_status_check;
ALTER TABLE orders ADD CONSTRAINT orders_status_check
  CHECK (status IN ('placed', 'confirmed', 'shipped', 'delivered', 'rejected', 'cancelled'));

-- Null for orders placed before checkout asked where to ship.
ALTER TABLE orders ADD COLUMN shipping_address jsonb;

-- When each step happened, for the timeline; none of them is indexed, so setting one stays a HOT update.
ALTER TABLE orders
  ADD COLUMN placed_at timestamptz,
  ADD COLUMN confirmed_at timestamptz,
  ADD COLUMN shipped_at timestamptz,
  ADD COLUMN delivered_at timestamptz,
  ADD COLUMN cancelled_at timestamptz,
  ADD COLUMN carrier text,
  ADD COLUMN tracking_number text,
  ADD COLUMN cancelled_by text CHECK (cancelled_by IN ('customer', 'admin')),
  ADD COLUMN cancel_reason text,
  ADD CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL)),
  ADD CHECK ((shipped_at IS NULL) = (carrier IS NULL));

-- Orders from before: placed when created (the moment the consumer stored them), confirmed when last changed.
UPDATE orders SET placed_at = created_at WHERE status <> 'rejected';
UPDATE orders SET confirmed_at = updated_at WHERE status = 'confirmed';

ALTER TABLE stock_movements DROP CONSTRAINT stock_movements_kind_check;
ALTER TABLE stock_movements ADD CONSTRAINT stock_movements_kind_check
  CHECK (kind IN ('opening', 'order', 'adjustment', 'cancellation'));
ALTER TABLE stock_movements DROP CONSTRAINT stock_movements_check;
ALTER TABLE stock_movements ADD CONSTRAINT stock_movements_order_check
  CHECK ((kind IN ('order', 'cancellation')) = (order_id IS NOT NULL));
-- The last guard of "returned exactly once": a second return of an order's units cannot be written.
CREATE UNIQUE INDEX stock_movements_cancellation ON stock_movements (order_id, product_id) WHERE kind = 'cancellation';

-- What each lifecycle command decided, once: a redelivered command finds its outcome here and
-- publishes it again instead of deciding anew. Also the order's history for the operations page.
CREATE TABLE order_events (
  id         bigserial PRIMARY KEY,
  order_id   uuid NOT NULL,
  command_id uuid NOT NULL UNIQUE,
  type       text NOT NULL,
  data       jsonb NOT NULL,
  at         timestamptz NOT NULL
);
CREATE INDEX order_events_order ON order_events (order_id, id);

-- The admin's order list, newest first with the id as tie-break, and what its search box matches:
-- an email from its start, and the words of a name from theirs.
CREATE INDEX orders_created_id ON orders (created_at DESC, id DESC);
DROP INDEX orders_created;
CREATE INDEX orders_email ON orders (lower(customer_email) text_pattern_ops);
CREATE INDEX orders_name_words ON orders USING gin (to_tsvector('simple', customer_name));
