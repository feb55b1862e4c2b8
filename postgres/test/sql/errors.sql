-- errors: each failure is a PostgreSQL error with a SQLSTATE and the
-- command line's message, with the place (file:line:col) when there is one.
-- rule sets that are not there or do not load
SELECT try($$SELECT edict_decide('nosuch', '{}', 'x')$$);
SELECT try($$SELECT edict_decide('../voucher', '{}', 'x')$$);
SELECT try($$SELECT edict_decide('broken', '{}', 'broken.a')$$);
SELECT try($$SELECT * FROM edict_check('nosuch')$$);
-- queries that do not parse, do not check, or name nothing
SELECT try($$SELECT edict_decide('voucher', '{}', 'award >')$$);
SELECT try($$SELECT edict_decide('voucher', '{}', 'award + true')$$);
SELECT try($$SELECT edict_decide('voucher', '{}', 'voucher.awrd')$$);
SELECT try($$SELECT edict_decide_all('voucher', '{}', ARRAY['voucher.award', NULL])$$);
SELECT try($$SELECT edict_explain('voucher', '{}', '')$$);
-- the rules fail while deciding: the rule's place
SELECT try($$SELECT edict_decide('voucher', '{"company": {"size": "sme", "voucher_requested": "1 KRW", "employees": 0}}',
  'voucher.per_employee', '2026-12-01')$$);
SELECT try($$SELECT edict_decide('voucher', '{"company": {"size": "sme", "us_export_share": "50%"}}', 'voucher.priority', '2024-01-01')$$);
-- the as-of date
SELECT try($$SELECT edict_decide('voucher', '{}', 'as_of', 'infinity')$$);
SELECT try($$SELECT edict_decide('voucher', '{}', 'as_of', '10000-01-01')$$);
-- the limits of one call: steps and memory
SET edict.max_steps = 1000;
SELECT try($$SELECT edict_decide('slow', '{}', 'slow.looping')$$);
RESET edict.max_steps;
SET edict.max_memory = '64kB';
SELECT try($$SELECT edict_decide('voucher', '{}', 'count(x for x in range(1, 100000))')$$);
RESET edict.max_memory;
-- and after all that, the backend still decides
SELECT edict_decide('voucher', facts, 'voucher.award', '2026-12-01') FROM companies WHERE id = 1;
