CREATE TABLE products (
  id          text PRIMARY KEY,
  sku         text NOT NULL UNIQUE,
  name        text NOT NULL,
  description text NOT NULL,
  price_cents integer NOT NULL CHECK (price_cents >= 0),
  currency    text NOT NULL DEFAULT 'USD',
  stock       integer NOT NULL CHECK (stock >= 0),
  image_url   text NOT NULL
);

CREATE TABLE orders (
  id             uuid PRIMARY KEY,
  status         text NOT NULL CHECK (status IN ('placed', 'confirmed', 'rejected')),
  reason         text CHECK (reason IN ('out_of_stock', 'unknown_product', 'invalid_order')),
  customer_name  text NOT NULL,
  customer_email text NOT NULL,
  owner          text,
  total_cents    bigint NOT NULL,
  currency       text NOT NULL,
  correlation_id text,
  created_at     timestamptz NOT NULL,
  updated_at     timestamptz NOT NULL,
  CHECK ((status = 'rejected') = (reason IS NOT NULL))
);
CREATE INDEX orders_owner_created ON orders (owner, created_at DESC);
CREATE INDEX orders_created ON orders (created_at DESC);

CREATE TABLE order_items (
  order_id         uuid NOT NULL REFERENCES orders (id),
  product_id       text NOT NULL,
  name             text NOT NULL,
  quantity         integer NOT NULL,
  unit_price_cents integer NOT NULL,
  PRIMARY KEY (order_id, product_id)
);

-- Shared by every instance: derives idempotent order ids (see src/orders/ids.ts).
CREATE TABLE settings (
  key   text PRIMARY KEY,
  value text NOT NULL
);
INSERT INTO settings (key, value)
VALUES ('idempotency_secret', replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''));
