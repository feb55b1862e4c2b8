/*
 * fuzz_schema.h - the fixed rule set that the facts and query harnesses run
 * against: a fact of every kind of type, and decisions, a table and a
 * function that use them.  Changing it changes what the corpora mean, so
 * add to it rather than edit.
 */
#ifndef EDICT_FUZZ_SCHEMA_H
#define EDICT_FUZZ_SCHEMA_H

static const char schema[] __attribute__((unused)) =
	"enum company_size = sme | midsize | large\n"
	"record address { city : string  country : string optional }\n"
	"record task {\n"
	"  number : int\n"
	"  name : string\n"
	"  launch_month : int optional\n"
	"  budget : money KRW default 0 KRW\n"
	"  code : hscode optional\n"
	"  dhaka : bool default false\n"
	"}\n"
	"fact company {\n"
	"  size : company_size\n"
	"  us_export_share : percent\n"
	"  voucher_received : money KRW default 0 KRW\n"
	"  founded : date optional\n"
	"  employees : int optional\n"
	"  rating : decimal optional\n"
	"  home : address optional\n"
	"  tags : list of string default []\n"
	"}\n"
	"fact tasks : list of task\n"
	"fact price : money\n"
	"fact wait : duration\n"
	"fact sizes : list of company_size\n"
	"fact matrix : list of list of int\n"
	"param cap : money KRW = 50_000_000 KRW\n"
	"decision eligible : bool = company.size in [sme, midsize] and company.us_export_share >= 10%\n"
	"decision total : money KRW = sum(t.budget for t in tasks) otherwise 0 KRW\n"
	"decision award : money KRW = if eligible then min(cap - company.voucher_received, total) else 0 KRW\n"
	"decision garments : int = count(t for t in tasks where t.code is known and t.code in chapter 62)\n"
	"decision months : list of int = sort(distinct([t.launch_month for t in tasks where t.launch_month is known]))\n"
	"decision age : int = days_between(company.founded, as_of)\n"
	"decision due : date = as_of + wait\n"
	"decision dear : bool = amount(price) > 1000\n"
	"decision big : bool = length(sizes) > 2 or large in sizes\n"
	"decision cells : int = sum(sum(r) for r in matrix)\n"
	"decision city : string = company.home.city otherwise \"?\"\n"
	"decision staff : decimal = company.employees * company.rating\n"
	"decision dhaka : bool = any(t.dhaka for t in tasks)\n"
	"table grade : string hit first\n"
	"  when total > 100_000_000 KRW then \"big\"\n"
	"  when total > 10_000_000 KRW then \"medium\"\n"
	"  default \"small\"\n"
	"function launching_in(month : int) : list of int = [t.number for t in tasks where t.launch_month = month]\n"
	"decision speed : duration\n"
	"  default 30 days\n"
	"  exception fast when eligible then 14 days\n"
	"  exception slow when company.size = large then 40 days overrides fast\n"
	"fact headcount : int over time\n"
	"decision staff_now : int = headcount\n"
	"decision staff_before : int = headcount at as_of - 3 months\n";


/* Facts that fit the schema, for the query harness. */
static const char schema_facts[] __attribute__((unused)) =
	"{\"as_of\": \"2026-06-15\", \"company\": {\"size\": \"sme\", \"us_export_share\": \"14%\",\n"
	" \"voucher_received\": \"10000000 KRW\", \"founded\": \"2019-03-01\", \"employees\": 40, \"rating\": 4.5,\n"
	" \"home\": {\"city\": \"Dhaka\"}, \"tags\": [\"garments\", \"export\"]},\n"
	" \"tasks\": [{\"number\": 1, \"name\": \"a\", \"launch_month\": 3, \"budget\": \"20000000 KRW\", \"code\": \"6205.20\"},\n"
	"           {\"number\": 2, \"name\": \"b\", \"budget\": \"5000000 KRW\", \"dhaka\": true}],\n"
	" \"price\": \"1500.50 USD\", \"wait\": \"2 weeks\", \"sizes\": [\"sme\", \"large\"], \"matrix\": [[1, 2], [3]]}\n";

#endif
