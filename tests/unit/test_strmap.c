/*
 * test_strmap.c - unit tests for interp/strmap.c, maps from texts.
 *
 * Lookups in an empty map, values put, replaced and kept, growth over
 * thousands of keys, keys whose whole hash is the same and keys that begin
 * one another, the empty key, keys looked up in two pieces, and room made
 * at once.
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>

#include "strmap.h"
#include "unit.h"

static void setup(void)
{
	tu_start();
}

TestSuite(strmap, .init = setup);

#define NKEYS 5000

static char many[NKEYS][16];

/* The value stored for the ith key (never NULL). */
static void *val(int i)
{
	return (void *)(intptr_t)(i + 1);
}

Test(strmap, empty_map_finds_nothing)
{
	StrMap m = {0};
	cr_assert_null(strmap_get(&m, "a"));
	cr_assert_null(strmap_get(&m, ""));
	cr_assert_null(strmap_get_joined(&m, "a", '.', "b"));
	cr_assert_eq(m.n, 0);
}

Test(strmap, put_replaces_and_add_keeps)
{
	StrMap m = {0};
	strmap_put(&m, "alpha", val(1));
	strmap_put(&m, "beta", val(2));
	cr_assert_eq(strmap_get(&m, "alpha"), val(1));
	cr_assert_eq(strmap_get(&m, "beta"), val(2));
	cr_assert_null(strmap_get(&m, "gamma"));
	strmap_put(&m, "alpha", val(3));
	cr_assert_eq(strmap_get(&m, "alpha"), val(3));
	cr_assert_eq(m.n, 2);
	cr_assert_not(strmap_add(&m, "alpha", val(4)));
	cr_assert_eq(strmap_get(&m, "alpha"), val(3));
	cr_assert(strmap_add(&m, "gamma", val(5)));
	cr_assert_eq(strmap_get(&m, "gamma"), val(5));
	cr_assert_eq(m.n, 3);
}

/* A key equal to a stored one but at another address is found. */
Test(strmap, keys_compare_by_text)
{
	StrMap m = {0};
	char a[] = "rate", b[] = "rate";
	strmap_put(&m, a, val(7));
	cr_assert_eq(strmap_get(&m, b), val(7));
}

Test(strmap, grows_over_thousands_of_keys)
{
	StrMap m = {0};
	for (int i = 0; i < NKEYS; i++) {
		snprintf(many[i], sizeof many[i], "key%d", i);
		strmap_put(&m, many[i], val(i));
	}
	cr_assert_eq(m.n, NKEYS);
	cr_assert_eq(m.cap & (m.cap - 1), 0, "capacity %zu is not a power of two", m.cap);
	cr_assert_gt(m.cap, 2 * m.n);
	for (int i = 0; i < NKEYS; i++)
		cr_assert_eq(strmap_get(&m, many[i]), val(i), "%s", many[i]);
	cr_assert_null(strmap_get(&m, "key5000"));
	cr_assert_null(strmap_get(&m, "key"));
}

/* Pairs of words whose 32-bit FNV-1a hashes are equal: the map must tell
 * them apart by their text. */
Test(strmap, same_hash_different_keys)
{
	static const char *const pairs[][2] = {
	    {"costarring", "liquid"}, {"declinate", "macallums"}, {"altarage", "zinke"}, {"altarages", "zinkes"}};
	StrMap m = {0};
	for (int i = 0; i < 4; i++) {
		cr_assert_eq(strmap_hash(pairs[i][0]), strmap_hash(pairs[i][1]), "%s", pairs[i][0]);
		strmap_put(&m, pairs[i][0], val(2 * i));
	}
	for (int i = 0; i < 4; i++)
		cr_assert_null(strmap_get(&m, pairs[i][1]), "%s", pairs[i][1]);
	for (int i = 0; i < 4; i++)
		strmap_put(&m, pairs[i][1], val(2 * i + 1));
	for (int i = 0; i < 4; i++) {
		cr_assert_eq(strmap_get(&m, pairs[i][0]), val(2 * i), "%s", pairs[i][0]);
		cr_assert_eq(strmap_get(&m, pairs[i][1]), val(2 * i + 1), "%s", pairs[i][1]);
	}
	cr_assert_eq(m.n, 8);
}

/* Keys that begin one another, and so share the first steps of their hash. */
Test(strmap, keys_that_begin_one_another)
{
	static const char *const keys[] = {"a", "ab", "abc", "abcd", "abcde"};
	StrMap m = {0};
	for (int i = 0; i < 5; i++)
		strmap_put(&m, keys[i], val(i));
	for (int i = 0; i < 5; i++)
		cr_assert_eq(strmap_get(&m, keys[i]), val(i), "%s", keys[i]);
	cr_assert_null(strmap_get(&m, "abcdef"));
	cr_assert_null(strmap_get(&m, "b"));
}

/* The empty text is a key like any other, not the mark of an empty slot. */
Test(strmap, empty_key)
{
	StrMap m = {0};
	cr_assert_null(strmap_get(&m, ""));
	cr_assert(strmap_add(&m, "", val(2)));
	cr_assert_not(strmap_add(&m, "", val(3)));
	cr_assert_eq(strmap_get(&m, ""), val(2));
	cr_assert_null(strmap_get(&m, "x"));
	cr_assert_eq(m.n, 1);
}

/* "mod.name" found from "mod" and "name", and nothing that only looks alike. */
Test(strmap, joined_keys)
{
	StrMap m = {0};
	strmap_put(&m, "tax.rate", val(1));
	strmap_put(&m, "tax.ratex", val(2));
	strmap_put(&m, ".x", val(3));
	cr_assert_eq(strmap_get_joined(&m, "tax", '.', "rate"), val(1));
	cr_assert_eq(strmap_get_joined(&m, "tax", '.', "ratex"), val(2));
	cr_assert_eq(strmap_get_joined(&m, "", '.', "x"), val(3));
	cr_assert_eq(strmap_get_joined(&m, "tax.", 'r', "ate"), val(1));
	cr_assert_null(strmap_get_joined(&m, "tax", ':', "rate"));
	cr_assert_null(strmap_get_joined(&m, "ta", '.', "rate"));
	cr_assert_null(strmap_get_joined(&m, "tax", '.', "rat"));
	cr_assert_null(strmap_get_joined(&m, "taxes", '.', "rate"));
}

/* Room made at once holds that many keys without growing again. */
Test(strmap, reserve_makes_room_at_once)
{
	StrMap m = {0};
	strmap_reserve(&m, 1000);
	size_t cap = m.cap;
	cr_assert_gt(cap, 2000);
	for (int i = 0; i < 1000; i++) {
		snprintf(many[i], sizeof many[i], "k%d", i);
		strmap_put(&m, many[i], val(i));
	}
	cr_assert_eq(m.cap, cap);
	for (int i = 0; i < 1000; i++)
		cr_assert_eq(strmap_get(&m, many[i]), val(i));
}
