/*
 * format.c - printing values in Edict notation and in JSON.
 */
#include "mem.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "format.h"

static void dec_text(Dec d, Buf *b)
{
	char tmp[DEC_FMT_MAX];
	size_t n = dec_format(d, tmp);
	buf_add(b, tmp, n);
}

void fmt_scalar_text(Value v, Buf *b)
{
	char cur[4];
	switch ((ValueTag)v.tag) {
	case V_MONEY:
		dec_text(val_get_dec(v), b);
		/* only the zero of an empty sum has no currency */
		if (v.cur) {
			val_currency_text(v.cur, cur);
			buf_add(b, " ", 1);
			buf_add(b, cur, 3);
		}
		return;
	case V_PCT: {
		Dec d = val_get_dec(v);
		d.exp += 2; /* the fraction 0.14 prints as 14% */
		dec_text(d, b);
		buf_add(b, "%", 1);
		return;
	}
	case V_DUR: {
		static const char *const unit[] = {"day", "week", "month", "year"};
		buf_printf(b, "%lld %s%s", (long long)v.as.i, unit[v.cur & 3], v.as.i == 1 || v.as.i == -1 ? "" : "s");
		return;
	}
	case V_HS: {
		char digits[24];
		snprintf(digits, sizeof digits, "%0*lld", v.aux, (long long)v.as.i);
		buf_add(b, digits, v.aux < 4 ? (size_t)v.aux : 4);
		for (int i = 4; i < v.aux; i += 2) {
			buf_add(b, ".", 1);
			buf_add(b, digits + i, 2);
		}
		return;
	}
	case V_DATE: {
		char day[DATE_TEXT_LEN + 1];
		date_format((date_t)v.as.i, day);
		buf_add(b, day, DATE_TEXT_LEN);
		return;
	}
	default:
		return;
	}
}

/* A name as the rules write it: plain, or in single quotes when it has
 * spaces, dashes or other characters a plain name cannot ('VERY LOW'). */
static void name_text(Buf *b, const char *name)
{
	bool plain = (name[0] >= 'a' && name[0] <= 'z') || (name[0] >= 'A' && name[0] <= 'Z') || name[0] == '_';
	for (const char *q = name; *q && plain; q++)
		plain = (*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9') || *q == '_';
	if (plain)
		buf_puts(b, name);
	else
		buf_printf(b, "'%s'", name);
}

static void value(const Program *p, Value v, Buf *b, bool json)
{
	switch ((ValueTag)v.tag) {
	case V_UNKNOWN:
		buf_puts(b, json ? "null" : "unknown");
		return;
	case V_BOOL:
		buf_puts(b, v.as.i ? "true" : "false");
		return;
	case V_INT:
		buf_int(b, v.as.i);
		return;
	case V_DEC:
		dec_text(val_get_dec(v), b);
		return;
	case V_MONEY:
	case V_PCT:
	case V_DUR:
	case V_DATE:
		if (json)
			buf_add(b, "\"", 1);
		fmt_scalar_text(v, b);
		if (json)
			buf_add(b, "\"", 1);
		return;
	case V_HS:
		buf_puts(b, json ? "\"" : "hs \"");
		fmt_scalar_text(v, b);
		buf_add(b, "\"", 1);
		return;
	case V_STR:
		buf_json_str(b, v.as.s->data, v.as.s->len);
		return;
	case V_ENUM: {
		int64_t m = val_member(v);
		const char *name =
			p && v.aux < p->ntypes && m < p->types[v.aux]->nmembers ? p->types[v.aux]->members[m] : "?";
		/* a member with data: {"most_recent":"2024-05-01"} in JSON, most_recent(2024-05-01) in text */
		if (json && v.big)
			buf_add(b, "{", 1);
		if (json)
			buf_json_str(b, name, strlen(name));
		else
			name_text(b, name);
		if (v.big) {
			buf_add(b, json ? ":" : "(", 1);
			value(p, v.as.e->data, b, json);
			buf_add(b, json ? "}" : ")", 1);
		}
		return;
	}
	case V_LIST:
		buf_add(b, "[", 1);
		for (uint32_t i = 0; i < v.as.l->len; i++) {
			if (i)
				buf_add(b, json ? "," : ", ", json ? 1 : 2);
			value(p, v.as.l->items[i], b, json);
		}
		buf_add(b, "]", 1);
		return;
	case V_REC: {
		const TypeDef *td = p && v.aux < p->ntypes ? p->types[v.aux] : NULL;
		buf_add(b, "{", 1);
		for (uint32_t i = 0; i < v.as.r->n; i++) {
			if (i)
				buf_add(b, json ? "," : ", ", json ? 1 : 2);
			const char *name = td && (int)i < td->nfields ? td->fields[i].name : "?";
			if (json) {
				buf_json_str(b, name, strlen(name));
				buf_add(b, ":", 1);
			} else {
				name_text(b, name);
				buf_add(b, ": ", 2);
			}
			value(p, v.as.r->f[i], b, json);
		}
		buf_add(b, "}", 1);
		return;
	}
	}
}

void fmt_value(const Program *p, Value v, Buf *b)
{
	value(p, v, b, false);
}

const char *fmt_value_str(const Program *p, Value v)
{
	Buf b = {0};
	value(p, v, &b, false);
	return buf_cstr(&b);
}

void fmt_json(const Program *p, Value v, Buf *b)
{
	value(p, v, b, true);
}
