-- interrupt: a cancel (from the session of canceller.sql) and
-- statement_timeout stop an evaluation that would run for minutes; the
-- backend then decides again as before.
SET edict.max_steps = 2000000000;
SET edict.max_memory = '1GB';
SELECT edict_decide('slow', '{}', 'slow.looping') AS cancel_me;
SET statement_timeout = '500ms';
SELECT edict_decide('slow', '{}', 'slow.looping') AS time_me_out;
RESET statement_timeout;
-- a timeout inside a parallel worker
-- debug_parallel_query from PostgreSQL 16 on
SET force_parallel_mode = on;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET statement_timeout = '500ms';
SELECT edict_decide('slow', '{}', 'slow.looping') AS time_me_out_in_a_worker FROM (VALUES (1)) v;
RESET ALL;
SELECT edict_decide('voucher', facts, 'voucher.award', '2026-12-01') FROM companies WHERE id = 1;
