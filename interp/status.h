/*
 * status.h - the statuses every layer returns, shared with the public API
 * (include/edict.h uses the same numbers; api.c checks that they match).
 */
#ifndef EDICT_STATUS_H
#define EDICT_STATUS_H

enum {
	ST_OK = 0,
	ST_SYNTAX = 1,
	ST_TYPE = 2,
	ST_FACTS = 3,
	ST_RUNTIME = 4,
	ST_LIMIT = 5,
	ST_MEMORY = 6,
	ST_USAGE = 7,
	ST_IO = 8,
	ST_INTERRUPTED = 9
};

#endif
