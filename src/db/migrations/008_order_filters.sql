-- The admin's status filter for the statuses few orders have, each from a column set once when the
-- order reaches it: the confirmation, which every order goes through, changes none of them, so it
-- stays a HOT update (no index on status itself, which it changes).
CREATE INDEX orders_shipped ON orders (created_at DESC, id DESC) WHERE shipped_at IS NOT NULL;
CREATE INDEX orders_delivered ON orders (created_at DESC, id DESC) WHERE delivered_at IS NOT NULL;
CREATE INDEX orders_cancelled ON orders (created_at DESC, id DESC) WHERE cancelled_at IS NOT NULL;
CREATE INDEX orders_rejected ON orders (created_at DESC, id DESC) WHERE reason IS NOT NULL;
