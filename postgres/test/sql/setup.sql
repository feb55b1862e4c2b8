-- setup: the extension, its objects and their properties, and the cases
-- the later files share.
CREATE EXTENSION edict;
SELECT p.proname, pg_get_function_identity_arguments(p.oid) AS args, p.provolatile, p.proparallel,
       pg_get_function_result(p.oid) AS result
FROM pg_proc p JOIN pg_depend d ON d.objid = p.oid
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'edict'
ORDER BY 1;
\d edict.ruleset
-- the settings, and who may change them
SELECT name, setting, unit, context FROM pg_settings WHERE name LIKE 'edict.%' ORDER BY 1;
CREATE ROLE officer LOGIN;
SET ROLE officer;
SET edict.rules_root = '/';
SET edict.max_steps = 5000;
RESET edict.max_steps;
RESET ROLE;
-- errors as one line: SQLSTATE, message, detail, hint
CREATE FUNCTION try(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE d text; h text;
BEGIN
  EXECUTE q;
  RETURN 'ok';
EXCEPTION WHEN others THEN
  GET STACKED DIAGNOSTICS d = PG_EXCEPTION_DETAIL, h = PG_EXCEPTION_HINT;
  RETURN SQLSTATE || ': ' || SQLERRM || CASE WHEN d <> '' THEN E'\n' || d ELSE '' END
         || CASE WHEN h <> '' THEN E'\nhint: ' || h ELSE '' END;
END $$;
CREATE TABLE companies (id int PRIMARY KEY, facts jsonb NOT NULL);
INSERT INTO companies VALUES
 (1, '{"company": {"name": "Hana Knit", "size": "sme", "us_export_share": "14%", "voucher_requested": "80000000 KRW", "employees": 8}}'),
 (2, '{"company": {"size": "midsize", "us_export_share": "9.5%", "voucher_requested": "20000000 KRW", "voucher_received": "40000000 KRW"}}'),
 (3, '{"company": {"size": "large", "us_export_share": "40%", "voucher_requested": "10000000 KRW"}}'),
 (4, '{"company": {"size": "sme"}}'),
 (5, '{"as_of": "2024-01-01", "company": {"size": "sme", "us_export_share": "30%"}}');
