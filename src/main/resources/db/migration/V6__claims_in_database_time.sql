-- A mail's claim is held for a lease of technical time: taken and compared in the database's own clock
-- (current_timestamp), never the application's business clock (which tests move by days) nor a node's time zone, so
-- every node agrees on when a lease runs out.
alter table mf_notification alter column claimed_until set data type timestamp with time zone;
