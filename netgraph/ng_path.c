/* The netgraph backend: node names and paths, listings of nodes and hooks. */
#include "ng_priv.h"

/* ---------------------------------------------------------------- errors, paths */

/* The netgraph address of a node called `name` ("[id]" stays an ID). */
void
npath(char out[FBSD_NG_PATHSIZ], const char *name)
{
	snprintf(out, FBSD_NG_PATHSIZ, "%s:", name);
}

/* Can `name` be a netgraph node name (and so be used in a path)? */
bool
ng_nameable(const char *name)
{
	size_t n = strlen(name);

	return n > 0 && n < FBSD_NG_NAMSIZ && strpbrk(name, ".:[]") == NULL;
}

int
ng_name_check(const char *name, struct jnet_err *e)
{
	if (!ng_nameable(name))
		return jnet_err_set(e, EINVAL, name,
		    "not usable as a netgraph node name (1..%d characters, none of '.', ':', '[', ']')",
		    FBSD_NG_NAMSIZ - 1);
	return 0;
}

/*
 * "name" or "[id]" for a node (what jnet calls it in messages and link names). A name
 * longer than `len` allows (node names go to 31, interface names to 15) becomes the ID:
 * a cut name would address another node, or none.
 */
void
node_label(const struct fbsd_ng_node *n, char *out, size_t len)
{
	if (n->name[0] != '\0' && strlen(n->name) < len)
		jnet_strlcpy(out, n->name, len);
	else
		snprintf(out, len, "[%" PRIx32 "]", n->id);
}

/* ---------------------------------------------------------------- lists */

struct hooks_of {
	const char *path;
	struct fbsd_ng_node *node;
};

static int
fill_nodes(void *v, int max, void *arg)
{
	return fbsd_ng_listnodes(*(bool *)arg, v, max);
}

static int
fill_hooks(void *v, int max, void *arg)
{
	struct hooks_of *q = arg;

	return fbsd_ng_listhooks(q->path, q->node, v, max);
}

int
list_nodes(bool named, struct fbsd_ng_node **out, int *n, struct jnet_err *e)
{
	int r = fbc_fetch(sizeof(**out), 64, fill_nodes, &named, (void **)out);

	if (r < 0)
		return fbc_kerr(e, r, "", named ? "NGM_LISTNAMES" : "NGM_LISTNODES");
	*n = r;
	return 0;
}

/* The hooks of node `path` (allocated). -ENOENT (e not filled) when there is no node. */
int
list_hooks(const char *path, struct fbsd_ng_node *node, struct fbsd_ng_hook **out, int *n,
    struct jnet_err *e)
{
	struct hooks_of q = { path, node };
	int r = fbc_fetch(sizeof(**out), 8, fill_hooks, &q, (void **)out);

	if (r == -ENOENT)
		return r;
	if (r < 0)
		return fbc_kerr(e, r, path, "NGM_LISTHOOKS %s", path);
	*n = r;
	return 0;
}

/* Who holds hook `hook` of the node at `path`: "NAME (type)" into out, or "". */
void
holder(const char *path, const char *hook, char *out, size_t len)
{
	struct fbsd_ng_hook h[8];
	int n = fbsd_ng_listhooks(path, NULL, h, 8);

	out[0] = '\0';
	for (int i = 0; i < n && i < 8; i++)
		if (strcmp(h[i].hook, hook) == 0) {
			char l[FBSD_NG_NAMSIZ + 12];

			node_label(&h[i].peer, l, sizeof(l));
			snprintf(out, len, "%s (%s, hook %s)", l, h[i].peer.type, h[i].peerhook);
		}
}

/* "ngeth12": the name the kernel gives an eiface's interface (ng_eiface.c). */
bool
is_ngeth(const char *name)
{
	size_t n = strlen(name);

	return strncmp(name, "ngeth", 5) == 0 && n > 5 && strspn(name + 5, "0123456789") == n - 5;
}

/* "ng3_web" -> 3 and "web" (verbatim form); "ng3-..." -> 3 and "" (short form); -1. */
int
parse_ngname(const char *name, char *jail, size_t len)
{
	char want[JNET_IFNAMSIZ];
	char *end;
	long i;

	jail[0] = '\0';
	if (strncmp(name, "ng", 2) != 0)
		return -1;
	i = strtol(name + 2, &end, 10);
	if (end == name + 2 || i < 0 || i >= JNET_MAXLINKS || (*end != '_' && *end != '-'))
		return -1;
	if (*end == '_') {
		jnet_strlcpy(jail, end + 1, len);
		/* Only if jnet would call that jail's link i so (no truncation, no odd name). */
		if (jnet_jail_name_check(jail, NULL) < 0 ||
		    jnet_ifname(want, JNET_NAMES_NG, jail, (int)i, 'a') < 0 ||
		    strcmp(want, name) != 0) {
			jail[0] = '\0';
			return -1;
		}
	}
	return (int)i;
}
