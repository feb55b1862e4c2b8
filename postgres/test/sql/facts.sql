-- facts: every kind of jsonb value reaches the rules typed, and facts that
-- do not fit their declarations are refused as the command line refuses
-- them (22023, with the field's path).
SELECT edict_decide_all('voucher', '{"company": {"size": "sme", "us_export_share": "12.5%", "voucher_requested": "9000000 KRW",
  "employees": 3, "founded": "2020-02-29", "office": {"city": "Busan", "staff": 4}, "markets": ["US", "EU", "Dhaka é"]}}',
  ARRAY['voucher.per_employee', 'voucher.city', 'voucher.markets', 'voucher.age_days', 'company.office', 'company.employees * 2',
        'company.us_export_share'], '2026-12-01');
-- null is missing, as in JSON text; an absent record says which field
SELECT edict_decide('voucher', '{"company": {"size": "sme", "us_export_share": null}}', 'voucher.priority', '2026-12-01');
SELECT edict_missing('voucher', '{"company": {"size": "sme", "office": null}}', 'voucher.city', '2026-12-01');
SELECT edict_missing('voucher', '{"company": null}', 'voucher.award', '2026-12-01');
-- "as_of" and "id" may stand beside the facts
SELECT edict_decide('voucher', '{"id": "C-9", "as_of": "2025-06-01", "company": {"size": "sme", "us_export_share": "10%"}}', 'priority', NULL);
-- numbers stay exact: no binary floating point on the way
SELECT edict_decide('voucher', '{"company": {"size": "sme", "employees": 4, "voucher_requested": "10000000.10 KRW"}}',
  'voucher.per_employee', '2026-12-01');
-- refused, with the place
SELECT try($$SELECT edict_decide('voucher', '{"company": {"size": "tiny"}}', 'voucher.award')$$);
SELECT try($$SELECT edict_decide('voucher', '{"company": {"size": "sme", "us_export_share": 14}}', 'voucher.award')$$);
SELECT try($$SELECT edict_decide('voucher', '{"company": {"size": "sme", "us_export_share": "lots"}}', 'voucher.award')$$);
SELECT try($$SELECT edict_decide('voucher', '{"company": {"sise": "sme"}}', 'voucher.award')$$);
SELECT try($$SELECT edict_decide('voucher', '{"compnay": {}}', 'voucher.award')$$);
SELECT try($$SELECT edict_decide('voucher', '{"company": {"voucher_requested": "80 USD"}}', 'voucher.award')$$);
SELECT try($$SELECT edict_decide('voucher', '{"company": {"employees": 2.5}}', 'voucher.award')$$);
SELECT try($$SELECT edict_decide('voucher', '{"company": {"employees": 99999999999999999999}}', 'voucher.award')$$);
SELECT try($$SELECT edict_decide('voucher', '{"company": {"markets": ["US", 3]}}', 'voucher.award')$$);
SELECT try($$SELECT edict_decide('voucher', '{"company": {"office": {"city": "Busan", "staff": "many"}}}', 'voucher.award')$$);
SELECT try($$SELECT edict_decide('voucher', '{"company": {"founded": "2021-02-29"}}', 'voucher.award')$$);
SELECT try($$SELECT edict_decide('voucher', '{"as_of": "someday"}', 'voucher.award', NULL)$$);
SELECT try($$SELECT edict_decide('voucher', '[1, 2]', 'voucher.award')$$);
SELECT try($$SELECT edict_decide('voucher', '"company"', 'voucher.award')$$);
SELECT try($$SELECT edict_decide('voucher', 'null', 'voucher.award')$$);
-- the limits of a facts document: nesting, and the length of one text
SELECT try(format($$SELECT edict_decide('voucher', %L, 'voucher.award')$$,
  '{"company": {"markets": ' || repeat('[', 70) || repeat(']', 70) || '}}'));
SELECT try(format($$SELECT edict_decide('voucher', %L, 'voucher.award')$$,
  jsonb_build_object('company', jsonb_build_object('name', repeat('x', 1048577)))));
-- a failed document leaves nothing behind for the next call
SELECT edict_decide('voucher', '{"company": {"size": "sme", "us_export_share": "14%"}}', 'voucher.priority', '2026-12-01');
