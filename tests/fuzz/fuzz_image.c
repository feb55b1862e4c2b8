/*
 * fuzz_image.c - libFuzzer harness for compiled images (interp/image.c):
 * the header, the string and file tables, each module's outline and
 * declarations, and the checker and compiler on whatever trees come out.
 *
 * The input is an image.  The harness first gives it this build's hash
 * and the checksum of its bytes (image_seal), so that mutations reach the
 * payload instead of stopping at the header; the seeds are images of small
 * rule sets (corpus/image, written by `edict compile`).  Invariants: an
 * image is refused with a reason, or every module decodes; a module's
 * outline decodes whenever the module does; what decodes builds a program
 * (with or without errors), and its decisions evaluate under the fuzzing
 * limits.
 */
#include "fuzz_common.h"
#include "image.h"
#include "load.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_init();
	return 0;
}

static void evaluate(const Program *p)
{
	Ctx *c = fuzz_ctx(p);
	for (int i = 0; i < p->ndecls; i++) {
		Value v;
		if (vm_eval_decl(c, i, &v) != ST_OK)
			FUZZ_ASSERT(c->errmsg != NULL);
		vm_reset(c);
	}
}

/* A load for the first rule of the image: the declarations image_choose
 * picks, read. */
static void choose_and_read(const Image *img, Diags *d)
{
	int n = image_nfiles(img);
	bool *all = GC_MALLOC_ATOMIC((size_t)n + 1);
	const char *name = NULL;
	for (int i = 0; i < n; i++) {
		Outline o;
		all[i] = true;
		if (!name && image_outline(img, i, &o) && o.nnames)
			name = o.names[0];
	}
	unsigned char **keep = name ? image_choose(img, all, &name, 1) : NULL;
	for (int i = 0; keep && i < n; i++) {
		const char *err = NULL;
		if (!image_module(img, i, false, keep[i], d, &err))
			FUZZ_ASSERT(err != NULL);
	}
}

static void one_input(void *ud)
{
	const FuzzInput *in = ud;
	char *data = fuzz_text(in->data, in->size);
	image_seal(data, in->size);
	const char *err = NULL;
	Image *img = image_open(data, in->size, &err);
	if (!img) {
		FUZZ_ASSERT(err != NULL);
		return;
	}
	int n = image_nfiles(img);
	Module **mods = GC_MALLOC(sizeof(Module *) * (size_t)(n + 1));
	Diags *d = diag_new();
	choose_and_read(img, d);
	for (int i = 0; i < n; i++) {
		Outline o;
		bool outline = image_outline(img, i, &o);
		(void)image_module(img, i, true, NULL, d, &err);
		mods[i] = image_module(img, i, false, NULL, d, &err);
		if (!mods[i]) {
			FUZZ_ASSERT(err != NULL);
			return;
		}
		FUZZ_ASSERT(outline);
	}
	Program *p = load_build(mods, n, d);
	if (p && d->nerrors == 0)
		evaluate(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_init();
	if (size > 1024 * 1024)
		return -1;
	FuzzInput in = {data, size};
	(void)pr_call(one_input, &in);
	return 0;
}
