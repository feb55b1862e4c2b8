-- canceller: runs beside interrupt.sql, waits for its long evaluation to
-- start, and cancels it (at most a minute of waiting).
DO $$
DECLARE n int := 0;
BEGIN
  FOR i IN 1..600 LOOP
    PERFORM pg_stat_clear_snapshot(); -- a fresh look each time, not the transaction's
    SELECT count(*) INTO n FROM pg_stat_activity
    WHERE state = 'active' AND query LIKE '%AS cancel_me%' AND pid <> pg_backend_pid();
    EXIT WHEN n > 0;
    PERFORM pg_sleep(0.1);
  END LOOP;
  PERFORM pg_sleep(0.3); -- well inside the evaluation
  PERFORM pg_stat_clear_snapshot();
  SELECT count(pg_cancel_backend(pid)) INTO n FROM pg_stat_activity
  WHERE state = 'active' AND query LIKE '%AS cancel_me%' AND pid <> pg_backend_pid();
  RAISE NOTICE 'cancelled: %', n;
END $$;
