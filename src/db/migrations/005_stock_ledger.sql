-- Archiving, not deleting: old orders keep pointing at the product.
ALTER TABLE products ADD COLUMN archived boolean NOT NULL DEFAULT false;

-- The stock ledger: every movement of a product's stock is a row, and their sum is products.stock.
-- products.stock stays as the running total that placement locks and checks in one row.
CREATE TABLE stock_movements (
  id          bigserial PRIMARY KEY,
  product_id  text NOT NULL REFERENCES products (id),
  kind        text NOT NULL CHECK (kind IN ('opening', 'order', 'adjustment')),
  delta       integer NOT NULL,
  stock_after integer NOT NULL CHECK (stock_after >= 0),
  -- The order that reserved the units, for kind 'order'.
  order_id    uuid,
  -- The catalog command that made it: a redelivered command finds it here and is not applied twice.
  command_id  uuid,
  reason      text,
  actor       text,
  at          timestamptz NOT NULL,
  CHECK ((kind = 'order') = (order_id IS NOT NULL)),
  CHECK (kind <> 'adjustment' OR (command_id IS NOT NULL AND delta <> 0 AND reason IS NOT NULL))
);
CREATE UNIQUE INDEX stock_movements_command ON stock_movements (command_id);
CREATE INDEX stock_movements_product ON stock_movements (product_id, id DESC);

-- Adjustments refused because they would take stock below zero: kept so a redelivery is refused again.
CREATE TABLE refused_adjustments (
  command_id uuid PRIMARY KEY,
  product_id text NOT NULL REFERENCES products (id),
  delta      integer NOT NULL,
  reason     text NOT NULL,
  actor      text NOT NULL,
  stock      integer NOT NULL,
  at         timestamptz NOT NULL
);

-- The stock the shop had before the ledger is every product's opening movement.
INSERT INTO stock_movements (product_id, kind, delta, stock_after, reason, at)
SELECT id, 'opening', stock, stock, 'stock before the ledger', now() FROM products;
