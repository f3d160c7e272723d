-- Every message of orders.dlq, kept where every instance and the operations page can list and
-- replay it. The value is the original bytes; headers are the original ones plus the dlq-* ones.
CREATE TABLE dead_letters (
  id               bigserial PRIMARY KEY,
  dlq_partition    integer NOT NULL,
  dlq_offset       bigint NOT NULL,
  source_topic     text,
  source_partition integer,
  source_offset    bigint,
  key              text NOT NULL,
  value            bytea NOT NULL,
  headers          jsonb NOT NULL,
  reason           text NOT NULL,
  -- The orders.dlq message's own timestamp: when it was dead-lettered, not when it was stored.
  dead_at          timestamptz NOT NULL,
  replayed_at      timestamptz,
  -- A redelivered orders.dlq message is stored once. The timestamp is part of the key because a
  -- recreated topic starts its offsets again at 0: a new message there is not the old one.
  UNIQUE (dlq_partition, dlq_offset, dead_at)
);
CREATE INDEX dead_letters_newest ON dead_letters (dead_at DESC, id DESC);
