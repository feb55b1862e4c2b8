/*
 * fold.c - constant folding: `50_000_000 KRW * 10%` becomes one constant.
 *
 * Runs over the checked trees before code generation (compile.c), bottom
 * up: an operator whose operands are all constants is computed here, with
 * the operations the VM uses (arith.c), and becomes a constant.  A subtree
 * whose value is unknown, or whose operation fails (a division by zero),
 * stays as it is, so the error is reported where and when it is evaluated.
 * Each operator computes what its instructions would (vm.c): `x >= 10`
 * with a constant right side, for instance, as GEK does.  Calls are never
 * folded (their callee is a name, not a constant).
 */
#include "mem.h"

#include "arith.h"
#include "fold.h"

/* The value of a comparison `a op b` of two known values, or false. */
static bool fold_compare(int op, Value a, Value b, Value *out)
{
	int r;
	if (ar_same_scale(a, b))
		r = (a.as.i > b.as.i) - (a.as.i < b.as.i); /* the coefficients decide */
	else if (ar_compare(a, b, &r) != AR_OK)
		return false;
	*out = val_bool(op == BIN_LT ? r < 0 : op == BIN_LE ? r <= 0 : op == BIN_GT ? r > 0 : r >= 0);
	return true;
}

static bool fold_binary(const Node *n, Value a, Value b, Value *out)
{
	static const ArOp arith_op[] = {[BIN_ADD] = AR_ADD, [BIN_SUB] = AR_SUB, [BIN_MUL] = AR_MUL, [BIN_DIV] = AR_DIV};
	bool eq;
	switch (n->op) {
	case BIN_AND: *out = ar_and(a, b); return true;
	case BIN_OR: *out = ar_or(a, b); return true;
	case BIN_ADD:
	case BIN_SUB:
	case BIN_MUL:
	case BIN_DIV:
		return ar_arith(arith_op[n->op], a, b, out) == AR_OK;
	case BIN_MOD:
	case BIN_POW:
		return false; /* builtins at run time (compile.c) */
	default:
		break;
	}
	if (a.tag == V_UNKNOWN || b.tag == V_UNKNOWN)
		return false; /* unknown either way: not folded */
	if (n->op == BIN_EQ || n->op == BIN_NE) {
		if (ar_equal(a, b, &eq) != AR_OK)
			return false;
		*out = val_bool(n->op == BIN_EQ ? eq : !eq);
		return true;
	}
	return fold_compare(n->op, a, b, out);
}

static bool fold_in(const Node *n, Value a, Value b, Value *out)
{
	if (a.tag == V_UNKNOWN || b.tag == V_UNKNOWN)
		return false;
	if (!n->op) {
		*out = ar_in(a, b.as.l);
		return true;
	}
	bool r = false;
	if (b.tag == V_LIST) {
		for (uint32_t i = 0; i < b.as.l->len && !r; i++)
			r = ar_hs_match(n->op, a, b.as.l->items[i]);
	} else {
		r = ar_hs_match(n->op, a, b);
	}
	*out = val_bool(r);
	return true;
}

bool fold_with(const Node *n, const Value *kv, Value *out)
{
	Value a = n->nkids > 0 ? kv[0] : val_unknown(NULL);
	Value b = n->nkids > 1 ? kv[1] : val_unknown(NULL);
	switch (n->kind) {
	case N_BINARY:
		return fold_binary(n, a, b, out);
	case N_UNARY:
		if (n->op == UN_NEG)
			return ar_neg(a, out) == AR_OK;
		*out = a.tag == V_BOOL ? val_bool(!a.as.i) : a;
		return true;
	case N_IN:
		return fold_in(n, a, b, out);
	case N_IS:
		*out = val_bool((a.tag != V_UNKNOWN) == (n->ival != 0));
		return true;
	case N_IF:
		if (a.tag != V_BOOL)
			return false;
		*out = a.as.i ? b : kv[2];
		return true;
	case N_OTHERWISE:
		*out = a.tag != V_UNKNOWN ? a : b.tag == V_UNKNOWN ? val_unknown_union(a, b) : b;
		return true;
	case N_LIST: {
		List *l = val_list_new((uint32_t)n->nkids);
		for (int i = 0; i < n->nkids; i++)
			l->items[i] = kv[i];
		*out = val_list(l);
		return true;
	}
	default:
		return false;
	}
}

/* The value of node n from its constant kids; false when it has none here. */
static bool fold_value(const Node *n, Value *out)
{
	Value small[8];
	Value *kv = n->nkids <= 8 ? small : GC_MALLOC(sizeof(Value) * (size_t)n->nkids);
	for (int i = 0; i < n->nkids; i++)
		kv[i] = n->kids[i] ? n->kids[i]->k : val_unknown(NULL);
	return fold_with(n, kv, out);
}

static void fold(Node *n)
{
	if (!n || n->is_const)
		return;
	bool all = true;
	for (int i = 0; i < n->nkids; i++) {
		Node *k = n->kids[i];
		if (!k)
			continue;
		fold(k);
		if (!k->is_const || k->kind == N_GEN)
			all = false;
	}
	if (!all || (n->nkids == 0 && n->kind != N_LIST))
		return;
	Value v;
	if (fold_value(n, &v) && v.tag != V_UNKNOWN) {
		n->is_const = true;
		n->k = v;
	}
}

void fold_decl(Decl *d)
{
	for (int i = 0; i < d->ncases; i++) {
		fold(d->cases[i].cond);
		fold(d->cases[i].value);
	}
	fold(d->body);
	if (d->hit_order)
		for (int i = 0; i < d->hit_order->nkids; i++)
			fold(d->hit_order->kids[i]);
}
