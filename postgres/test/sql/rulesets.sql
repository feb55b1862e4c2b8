-- rulesets: rule sets from the table edict.ruleset and from directories
-- under edict.rules_root; a change is picked up by the next statement.
INSERT INTO edict.ruleset (name, version, files) VALUES
 ('fees', 1, jsonb_build_object('fees.edict', E'module fees\nfact app { pages : int }\ndecision fee : int = 100 + app.pages * 2\n'));
SELECT edict_decide('fees', '{"app": {"pages": 10}}', 'fees.fee');
-- a new version wins
INSERT INTO edict.ruleset (name, version, files) VALUES
 ('fees', 2, jsonb_build_object('fees.edict', E'module fees\nfact app { pages : int }\ndecision fee : int = 200 + app.pages * 3\n'));
SELECT edict_decide('fees', '{"app": {"pages": 10}}', 'fees.fee');
-- a change in place too
UPDATE edict.ruleset SET files = jsonb_build_object('fees.edict',
  E'module fees\nfact app { pages : int }\ndecision fee : int = 300 + app.pages\n') WHERE name = 'fees' AND version = 2;
SELECT edict_decide('fees', '{"app": {"pages": 10}}', 'fees.fee');
-- rules that import each other, several files
INSERT INTO edict.ruleset (name, files) VALUES ('pair', jsonb_build_object(
  'a.edict', E'module a\nimport b\ndecision twice : int = b.base * 2\n',
  'b.edict', E'module b\nparam base : int = 21\n'));
SELECT edict_decide('pair', '{}', 'a.twice');
-- errors in a table's rule set name the file, line and column
INSERT INTO edict.ruleset (name, files) VALUES ('bad', '{"bad.edict": "module bad\ndecision x : int = 1 +\n"}');
SELECT try($$SELECT edict_decide('bad', '{}', 'bad.x')$$);
SELECT severity, file, line, col, message FROM edict_check('bad');
INSERT INTO edict.ruleset (name, files) VALUES ('notext', '{"n.edict": 42}');
SELECT try($$SELECT edict_decide('notext', '{}', 'x')$$);
-- a directory rule set, written, read, changed, read again
-- (the test script made the directory rules/changing, empty)
SELECT try($$SELECT edict_decide('changing', '{}', 'changing.answer')$$);
CREATE FUNCTION write_rules(answer int) RETURNS int LANGUAGE plpgsql AS $$ BEGIN
  EXECUTE format($c$COPY (SELECT l FROM unnest(ARRAY['module changing', 'decision answer : int = %s']) l) TO %L$c$,
                 answer, current_setting('data_directory') || '/' || current_setting('edict.rules_root') || '/changing/changing.edict');
  RETURN answer;
END $$;
SELECT write_rules(1);
SELECT edict_decide('changing', '{}', 'changing.answer');
SELECT write_rules(2);
SELECT edict_decide('changing', '{}', 'changing.answer');
-- in one statement, one version (the rule set is looked up once), even
-- when the files change halfway through; the next statement sees it
SELECT array_agg(DISTINCT answer) FROM (
  SELECT i, CASE WHEN i = 50 THEN write_rules(3) END AS w, edict_decide('changing', '{}', 'changing.answer') AS answer
  FROM generate_series(1, 100) i) s;
SELECT edict_decide('changing', '{}', 'changing.answer');
-- the table is dumped with the database, and only its owner writes it
SELECT extcondition FROM pg_extension WHERE extname = 'edict';
SET ROLE officer;
SELECT edict_decide('fees', '{"app": {"pages": 1}}', 'fees.fee');
SELECT try($$DELETE FROM edict.ruleset$$);
RESET ROLE;
