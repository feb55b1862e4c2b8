-- functions: each SQL function on good input, over a table and alone.
SELECT id, edict_decide('voucher', facts, 'voucher.award', '2026-12-01') AS award,
       edict_decide('voucher', facts, 'priority', '2026-12-01') AS priority,
       edict_decide('voucher', facts, 'disbursement', '2026-12-01') AS disbursement
FROM companies WHERE id <= 4 ORDER BY id;
-- an expression, not only a name
SELECT edict_decide('voucher', facts, 'award > 10_000_000 KRW and priority', '2026-12-01') FROM companies WHERE id = 1;
-- several at once; NULL asks every public decision
SELECT id, edict_decide_all('voucher', facts, ARRAY['voucher.award', 'voucher.priority'], '2026-12-01')
FROM companies WHERE id <= 4 ORDER BY id;
SELECT jsonb_pretty(edict_decide_all('voucher', facts, NULL, '2026-12-01')) FROM companies WHERE id = 1;
SELECT edict_decide_all('voucher', facts, '{}', '2026-12-01') FROM companies WHERE id = 1;
-- the facts still missing
SELECT id, edict_missing('voucher', facts, 'voucher.priority', '2026-12-01') FROM companies ORDER BY id;
-- explanations: the decision, its value, the case that applied with its source
SELECT e->>'decision' AS decision, e->'value' AS value, e->'file' AS file, e->'line' AS line,
       e->'case'->'name' AS applied, e->'case'->'sources' AS sources
FROM (SELECT edict_explain('voucher', facts, 'voucher.disbursement', '2026-12-01') AS e FROM companies WHERE id = 1) s;
SELECT edict_explain('voucher', facts, 'voucher.priority', '2026-12-01')->'missing' FROM companies WHERE id = 4;
-- the as-of date: given; the default (today); NULL (the facts' "as_of", else today)
SELECT edict_decide('voucher', '{}', 'as_of', '2026-12-01');
SELECT edict_decide('voucher', '{}', 'as_of') = to_jsonb(to_char(current_date, 'YYYY-MM-DD')) AS today;
SELECT edict_decide('voucher', facts, 'as_of', NULL) FROM companies WHERE id = 5;
-- (today in UTC, as the command line)
SELECT edict_decide('voucher', '{}', 'as_of', NULL) = to_jsonb(to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD')) AS today_utc;
SELECT edict_decide('voucher', facts, 'as_of', '2027-01-31') FROM companies WHERE id = 5;
-- NULL in, NULL out
SELECT edict_decide(NULL, '{}', 'voucher.award') IS NULL AS a, edict_decide('voucher', NULL, 'voucher.award') IS NULL AS b,
       edict_decide('voucher', '{}', NULL) IS NULL AS c, edict_decide_all('voucher', NULL) IS NULL AS d,
       edict_explain(NULL, '{}', 'x') IS NULL AS e, edict_missing('voucher', '{}', NULL) IS NULL AS f;
-- diagnostics as rows: none for a clean rule set, each error for a broken one
SELECT * FROM edict_check('voucher');
SELECT * FROM edict_check('broken');
SELECT count(*) FROM edict_check(NULL);
