-- edict--0.1.sql - the SQL side of the edict extension (edict_pg.c is the C side).
\echo Use "CREATE EXTENSION edict" to load this file. \quit

-- Rule sets that travel with the database: one row per version of a rule
-- set, its files as a JSON object of file name and rule text.  A call uses
-- the newest version of the name it gives.
CREATE SCHEMA edict;
CREATE TABLE edict.ruleset (
	name text NOT NULL,
	version integer NOT NULL DEFAULT 1,
	files jsonb NOT NULL CHECK (jsonb_typeof(files) = 'object'),
	PRIMARY KEY (name, version)
);
COMMENT ON TABLE edict.ruleset IS 'Edict rule sets: files is {"file.edict": "rule text", ...}; calls use the newest version of a name';
GRANT USAGE ON SCHEMA edict TO PUBLIC;
GRANT SELECT ON edict.ruleset TO PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('edict.ruleset', '');

-- The value of one decision or expression, in the JSON of `edict eval --json`.
CREATE FUNCTION edict_decide(ruleset text, facts jsonb, query text, as_of date DEFAULT current_date)
RETURNS jsonb AS 'MODULE_PATHNAME', 'edict_decide'
LANGUAGE C STABLE PARALLEL SAFE CALLED ON NULL INPUT COST 100;

-- Several at once, as {"query": value, ...}; NULL queries: every public decision.
CREATE FUNCTION edict_decide_all(ruleset text, facts jsonb, queries text[] DEFAULT NULL, as_of date DEFAULT current_date)
RETURNS jsonb AS 'MODULE_PATHNAME', 'edict_decide_all'
LANGUAGE C STABLE PARALLEL SAFE CALLED ON NULL INPUT COST 200;

-- How the value was reached (the JSON of `edict eval --explain --json`).
CREATE FUNCTION edict_explain(ruleset text, facts jsonb, query text, as_of date DEFAULT current_date)
RETURNS jsonb AS 'MODULE_PATHNAME', 'edict_explain'
LANGUAGE C STABLE PARALLEL SAFE CALLED ON NULL INPUT COST 200;

-- The facts still missing for the value, as a JSON array of fact paths.
CREATE FUNCTION edict_missing(ruleset text, facts jsonb, query text, as_of date DEFAULT current_date)
RETURNS jsonb AS 'MODULE_PATHNAME', 'edict_missing'
LANGUAGE C STABLE PARALLEL SAFE CALLED ON NULL INPUT COST 100;

-- The diagnostics of loading a rule set, a row each (none: it loads cleanly).
CREATE FUNCTION edict_check(ruleset text)
RETURNS TABLE(severity text, file text, line integer, col integer, message text, hint text)
AS 'MODULE_PATHNAME', 'edict_check'
LANGUAGE C STABLE PARALLEL SAFE STRICT ROWS 5;
