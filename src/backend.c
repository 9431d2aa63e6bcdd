/*
 * The backend registry: one explicit table, no constructor magic. Which backends exist is
 * decided when this file is compiled for a binary (JNET_HAVE_* from CMake): jnet on Linux
 * has netns; on FreeBSD epair and netgraph; the test binary jnet-model has epair and
 * netgraph over the FreeBSD kernel model (and netns).
 */
#include "backend.h"

#include <string.h>

#ifdef JNET_HAVE_NETNS
extern const struct jnet_backend_ops jnet_netns_backend;
#endif
#ifdef JNET_HAVE_EPAIR
extern const struct jnet_backend_ops jnet_epair_backend;
#endif
#ifdef JNET_HAVE_NETGRAPH
extern const struct jnet_backend_ops jnet_netgraph_backend;
#endif

static const struct jnet_backend_ops *const table[] = {
#ifdef JNET_HAVE_EPAIR
	&jnet_epair_backend,
#endif
#ifdef JNET_HAVE_NETGRAPH
	&jnet_netgraph_backend,
#endif
#ifdef JNET_HAVE_NETNS
	&jnet_netns_backend,
#endif
	NULL,
};

static const struct {
	const char *name;
	const char *why;
} known[] = {
	{ "epair", "the epair backend needs FreeBSD (epair(4), if_bridge(4)); this jnet was built for another system" },
	{ "netgraph", "the netgraph backend needs FreeBSD (ng_eiface(4), ng_bridge(4)); this jnet was built for another system" },
	{ "netns", "the netns backend needs Linux (veth, bridge, network namespaces); this jnet was built for another system" },
};

const struct jnet_backend_ops *const *
jnet_backends(void)
{
	return table;
}

const struct jnet_backend_ops *
jnet_backend_find(const char *name)
{
	for (size_t i = 0; table[i] != NULL; i++)
		if (strcmp(table[i]->name, name) == 0)
			return table[i];
	return NULL;
}

const struct jnet_backend_ops *
jnet_backend_default(void)
{
#if defined(__FreeBSD__)
	const char *def = "epair";
#else
	const char *def = "netns";
#endif
	const struct jnet_backend_ops *b = jnet_backend_find(def);

	return b != NULL ? b : table[0];
}

const char *
jnet_backend_unsupported(const char *name)
{
	if (jnet_backend_find(name) != NULL)
		return NULL;
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strcmp(known[i].name, name) == 0)
			return known[i].why;
	return NULL;
}
