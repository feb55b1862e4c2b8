-- parallel: with parallel query forced, workers evaluate the functions
-- (each loads the rule sets for itself) and every result is the same as
-- without.
CREATE TABLE many AS
SELECT i AS id, jsonb_build_object('company', jsonb_build_object(
  'size', (ARRAY['sme', 'midsize', 'large'])[1 + i % 3],
  'us_export_share', (i % 20) || '%',
  'voucher_requested', (i * 10000) || ' KRW',
  'employees', i % 7)) AS facts
FROM generate_series(1, 3000) i;
ANALYZE many;
CREATE VIEW answers AS
SELECT id,
  edict_decide_all('voucher', facts, ARRAY['voucher.award', 'voucher.priority', 'voucher.disbursement'], '2026-12-01') AS decided,
  edict_missing('voucher', facts, 'voucher.award', '2026-12-01') AS missing,
  edict_explain('voucher', facts, 'voucher.disbursement', '2026-12-01')->'value' AS explained,
  edict_decide('fees', jsonb_build_object('app', jsonb_build_object('pages', id)), 'fees.fee') AS fee,
  CASE WHEN facts->'company'->>'employees' <> '0'
       THEN edict_decide('voucher', facts, 'voucher.per_employee', '2026-12-01') END AS per_employee
FROM many;
SET max_parallel_workers_per_gather = 0;
CREATE TABLE serial AS SELECT * FROM answers;
SELECT count(*), count(DISTINCT decided), count(per_employee) AS per_employee FROM serial;
-- debug_parallel_query from PostgreSQL 16 on
SET force_parallel_mode = on;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT id, edict_decide_all('voucher', facts, NULL, '2026-12-01') FROM many;
-- workers were launched and ran the functions
CREATE FUNCTION workers_launched(q text) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE plan json;
BEGIN
  EXECUTE 'EXPLAIN (ANALYZE, FORMAT JSON, COSTS OFF, TIMING OFF) ' || q INTO plan;
  RETURN (plan->0->'Plan'->>'Workers Launched')::int > 0;
END $$;
SELECT workers_launched('SELECT * FROM answers');
CREATE TABLE parallel AS SELECT * FROM answers;
SELECT count(*) AS rows,
       count(*) FILTER (WHERE (s.decided, s.missing, s.explained, s.fee, s.per_employee)
                    IS DISTINCT FROM (p.decided, p.missing, p.explained, p.fee, p.per_employee)) AS differ
FROM serial s FULL JOIN parallel p USING (id);
-- errors raised in a worker reach the leader with their SQLSTATE and place
SELECT try($$SELECT count(edict_decide('voucher', facts, 'voucher.per_employee', '2026-12-01')) FROM many$$);
RESET ALL;
