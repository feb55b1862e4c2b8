/*
 * dynlib.c - open a shared library when a subcommand first needs it
 * (dynlib.h).  The library's file name (its SONAME) is found when the
 * command is configured, so the one it was built against is opened.
 */
#include "mem.h"
#include <dlfcn.h>
#include <pthread.h>
#include <string.h>

#include "api.h"
#include "dynlib.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static bool fill(void *h, const char *soname, const DynFn *fns, size_t n, const char **why)
{
	for (size_t i = 0; i < n; i++)
		if (!dlsym(h, fns[i].name)) {
			*why = xprintf("%s has no function %s: it is not the version edict was built with", soname,
				       fns[i].name);
			return false;
		}
	for (size_t i = 0; i < n; i++)
		*fns[i].slot = dlsym(h, fns[i].name);
	return true;
}

bool dyn_load(const char *soname, const DynFn *fns, size_t n, const char **why)
{
	mem_need_collector(); /* dlopen goes through the collector */
	pthread_mutex_lock(&lock);
	/* RTLD_NOLOAD first: opened already, nothing to read again */
	void *h = dlopen(soname, RTLD_NOW | RTLD_NOLOAD);
	if (!h)
		h = dlopen(soname, RTLD_NOW);
	bool ok = false;
	if (!h) {
		const char *e = dlerror();
		*why = xprintf("cannot load %s (%s); install it, or the package that provides it", soname,
			       e ? e : "not found");
	} else
		ok = fill(h, soname, fns, n, why);
	pthread_mutex_unlock(&lock);
	return ok;
}
