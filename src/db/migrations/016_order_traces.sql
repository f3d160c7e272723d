-- The W3C traceparent of the command that placed the order, when it came with one: later commands of
-- the order (cancel, ship) are produced in its trace, so that one order is one trace.
ALTER TABLE orders ADD COLUMN trace_parent text;
