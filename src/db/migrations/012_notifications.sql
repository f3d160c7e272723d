-- The customer mails sent or given up on: at most one per order and kind, whatever the notifier
-- reads again (see src/worker/notifyCustomers.ts).
CREATE TABLE notifications (
  order_id   uuid NOT NULL,
  kind       text NOT NULL CHECK (kind IN ('confirmed', 'rejected', 'cancelled', 'shipped')),
  status     text NOT NULL CHECK (status IN ('sent', 'failed')),
  message_id text NOT NULL,
  recipient  text NOT NULL,
  -- Why it failed: the SMTP server's answer, or why no server was asked.
  error      text,
  at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (order_id, kind)
);
CREATE INDEX notifications_status ON notifications (status);

-- Signs the links in mails that open one order on any device (src/orders/orderLinks.ts).
INSERT INTO settings (key, value)
VALUES ('link_secret', replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''))
ON CONFLICT (key) DO NOTHING;
