/*
 * Lab file parser and validator (see lab.h for the format).
 *
 * libyaml's document API gives a tree whose every node keeps its start mark, so each error
 * can name its line and column. The tree is checked in a fixed semantic order (lab name,
 * backend, bridges, jails, links, routes, then whole-lab checks such as duplicate
 * addresses), so the same file always gives the same first error whatever the order of
 * its top-level keys.
 */
#include "lab_parse_int.h"
#include "lab_hosts.h"
#include "mac.h"
#include "names.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>

#define LAB_FILE_MAX (64u << 20) /* refuse lab files larger than this (bytes) */

const char *const lp_kind_names[] = {
	[K_NULL] = "null", [K_BOOL] = "a boolean", [K_INT] = "an integer",
	[K_STR] = "a string", [K_MAP] = "a mapping", [K_SEQ] = "a list",
};

static const char *const backends[] = { "netns", "epair", "netgraph" };

static int verr(const char *file, struct jnet_lab_pos pos, struct jnet_err *e, int code,
    const char *fmt, va_list ap) JNET_PRINTF(5, 0);

struct jnet_lab_pos
lp_npos(const yaml_node_t *n)
{
	struct jnet_lab_pos pos = { (unsigned)n->start_mark.line + 1,
		(unsigned)n->start_mark.column + 1 };

	return pos;
}

static int
verr(const char *file, struct jnet_lab_pos pos, struct jnet_err *e, int code,
    const char *fmt, va_list ap)
{
	char buf[sizeof(e->msg)];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	return jnet_err_set(e, code, "", "%s:%u:%u: %s", file, pos.line, pos.col, buf);
}

int
lp_perr(struct pctx *p, const yaml_node_t *n, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = verr(p->file, lp_npos(n), p->e, EINVAL, fmt, ap);
	va_end(ap);
	return r;
}

int
lp_perr_pos(struct pctx *p, struct jnet_lab_pos pos, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = verr(p->file, pos, p->e, EINVAL, fmt, ap);
	va_end(ap);
	return r;
}

int
jnet_lab_err(const struct jnet_lab *lab, struct jnet_lab_pos pos, struct jnet_err *e,
    int code, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = verr(lab->file ? lab->file : "<lab>", pos, e, code, fmt, ap);
	va_end(ap);
	return r;
}

yaml_node_t *
lp_node(struct pctx *p, int id)
{
	return yaml_document_get_node(p->doc, id);
}

const char *
lp_sval(const yaml_node_t *n)
{
	return (const char *)n->data.scalar.value;
}

/* An optional sign, then one or more decimal digits. */
static bool
all_digits(const char *s)
{
	s += *s == '+' || *s == '-';
	return *s != '\0' && s[strspn(s, "0123456789")] == '\0';
}

/* YAML 1.2 core schema, applied to plain scalars only. */
enum kind
lp_kind_of(const yaml_node_t *n)
{
	const char *s;

	if (n->type == YAML_MAPPING_NODE)
		return K_MAP;
	if (n->type == YAML_SEQUENCE_NODE)
		return K_SEQ;
	if (n->type != YAML_SCALAR_NODE)
		return K_NULL;
	if (n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return K_STR;
	s = lp_sval(n);
	if (s[0] == '\0' || strcmp(s, "~") == 0 || strcmp(s, "null") == 0 ||
	    strcmp(s, "Null") == 0 || strcmp(s, "NULL") == 0)
		return K_NULL;
	if (strcmp(s, "true") == 0 || strcmp(s, "True") == 0 || strcmp(s, "TRUE") == 0 ||
	    strcmp(s, "false") == 0 || strcmp(s, "False") == 0 || strcmp(s, "FALSE") == 0)
		return K_BOOL;
	if (all_digits(s))
		return K_INT;
	return K_STR;
}

/* Check the node's kind. A string is wanted: integers qualify (a name may be "42"). */
int
lp_want(struct pctx *p, const yaml_node_t *n, enum kind k, const char *what)
{
	enum kind got = lp_kind_of(n);

	if (got == k || (k == K_STR && got == K_INT))
		return 0;
	return lp_perr(p, n, "%s must be %s, not %s", what, lp_kind_names[k], lp_kind_names[got]);
}

int
lp_get_str(struct pctx *p, const yaml_node_t *n, const char *what, const char **out)
{
	int r = lp_want(p, n, K_STR, what);

	if (r < 0)
		return r;
	if (strlen(lp_sval(n)) != n->data.scalar.length)
		return lp_perr(p, n, "%s contains a NUL character", what);
	*out = lp_sval(n);
	return 0;
}

/* A list or mapping (k), or null meaning an empty one. Returns its size or -errno. */
static int
get_size(struct pctx *p, const yaml_node_t *n, enum kind k, const char *what)
{
	if (n == NULL || lp_kind_of(n) == K_NULL)
		return 0;
	if (lp_want(p, n, k, what) < 0)
		return -EINVAL;
	if (k == K_MAP)
		return (int)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
	return (int)(n->data.sequence.items.top - n->data.sequence.items.start);
}

int
lp_get_list(struct pctx *p, const yaml_node_t *n, const char *what)
{
	return get_size(p, n, K_SEQ, what);
}

int
lp_get_map(struct pctx *p, const yaml_node_t *n, const char *what)
{
	return get_size(p, n, K_MAP, what);
}

yaml_node_t *
lp_item(struct pctx *p, const yaml_node_t *seq, int i)
{
	return lp_node(p, seq->data.sequence.items.start[i]);
}

/*
 * Fill f[i].k/.v from mapping `map` (null counts as an empty mapping). Refuses keys that
 * are not strings, unknown keys (listing the allowed ones) and duplicate keys.
 */
int
lp_fields(struct pctx *p, const yaml_node_t *map, const char *what, struct field *f, size_t nf)
{
	char allowed[256];
	size_t len = 0;

	for (size_t i = 0; i < nf; i++)
		f[i].k = f[i].v = NULL;
	if (lp_kind_of(map) == K_NULL)
		return 0;
	if (lp_want(p, map, K_MAP, what) < 0)
		return -EINVAL;
	allowed[0] = '\0';
	for (size_t i = 0; i < nf; i++)
		len += (size_t)snprintf(allowed + len, sizeof(allowed) - len, "%s%s",
		    i ? ", " : "", f[i].key);
	for (yaml_node_pair_t *pr = map->data.mapping.pairs.start;
	    pr < map->data.mapping.pairs.top; pr++) {
		yaml_node_t *k = lp_node(p, pr->key);
		const char *s;
		size_t i;

		if (lp_get_str(p, k, "a key", &s) < 0)
			return -EINVAL;
		for (i = 0; i < nf; i++)
			if (strcmp(s, f[i].key) == 0)
				break;
		if (i == nf)
			return lp_perr(p, k, "unknown key '%s' in %s (allowed: %s)", s, what, allowed);
		if (f[i].k != NULL)
			return lp_perr(p, k, "duplicate key '%s' (first at line %u, column %u)", s,
			    lp_npos(f[i].k).line, lp_npos(f[i].k).col);
		f[i].k = k;
		f[i].v = lp_node(p, pr->value);
	}
	return 0;
}

static bool
word_dash(const char *s)
{
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || *s == '_' || *s == '-'))
			return false;
	return true;
}

/* Lab and bridge names: [A-Za-z0-9_-]{1,max}, not starting with '-' (it reads as an option). */
int
lp_check_word_name(struct pctx *p, const yaml_node_t *n, const char *what, const char *s,
    size_t max)
{
	if (s[0] == '\0')
		return lp_perr(p, n, "%s name is empty", what);
	if (!word_dash(s))
		return lp_perr(p, n, "%s name '%s' may contain only letters, digits, '_' and '-'",
		    what, s);
	if (s[0] == '-')
		return lp_perr(p, n, "%s name '%s' must not start with '-'", what, s);
	if (strlen(s) > max)
		return lp_perr(p, n, "%s name '%s' is longer than %zu characters", what, s, max);
	return 0;
}

/* Name indexes. */

bool
lp_pos_before(struct jnet_lab_pos a, struct jnet_lab_pos b)
{
	return a.line < b.line || (a.line == b.line && a.col < b.col);
}

static int
named_cmp(const void *a, const void *b)
{
	const struct lab_named *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : (x->index > y->index) - (x->index < y->index);
}

/*
 * After sorting, equal names are adjacent in file order. Report the duplicate whose second
 * occurrence comes first in the file, so the message is the one a reader meets first.
 */
int
lp_index_names(struct pctx *p, struct lab_named *idx, int n, const char *what)
{
	int best = -1, f;

	if (n > 1)
		qsort(idx, (size_t)n, sizeof(*idx), named_cmp);
	for (int i = 1; i < n; i++)
		if (strcmp(idx[i].name, idx[i - 1].name) == 0 &&
		    (best < 0 || lp_pos_before(idx[i].pos, idx[best].pos)))
			best = i;
	if (best < 0)
		return 0;
	for (f = best - 1; f > 0 && strcmp(idx[f - 1].name, idx[best].name) == 0; f--)
		;
	return lp_perr_pos(p, idx[best].pos, "duplicate %s '%s' (first at line %u, column %u)",
	    what, idx[best].name, idx[f].pos.line, idx[f].pos.col);
}

int
lp_find_named(const struct lab_named *idx, int n, const char *name)
{
	int lo = 0, hi = n;

	while (lo < hi) {
		int mid = (lo + hi) / 2, c = strcmp(idx[mid].name, name);

		if (c == 0)
			return idx[mid].index;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* Sections. */

static int
parse_jail_names(struct pctx *p, yaml_node_t *map)
{
	struct jnet_lab *lab = p->lab;
	int n = lp_get_map(p, map, "'jails'");

	if (n <= 0)
		return n;
	lab->jails = calloc((size_t)n, sizeof(*lab->jails));
	p->jail_idx = calloc((size_t)n, sizeof(*p->jail_idx));
	p->jail_routes = calloc((size_t)n, sizeof(*p->jail_routes));
	p->iface_cap = calloc((size_t)n, sizeof(*p->iface_cap));
	if (lab->jails == NULL || p->jail_idx == NULL || p->jail_routes == NULL ||
	    p->iface_cap == NULL)
		return jnet_err_set(p->e, ENOMEM, "", "out of memory");
	for (int i = 0; i < n; i++) {
		yaml_node_t *k = lp_node(p, map->data.mapping.pairs.start[i].key);
		struct jnet_lab_jail *j = &lab->jails[i];
		struct jnet_err e2;
		const char *s;

		if (lp_get_str(p, k, "a jail name", &s) < 0)
			return -EINVAL;
		if (s[0] == '\0')
			return lp_perr(p, k, "jail name is empty");
		/* On FreeBSD "<lab>.a.b" would be a grandchild jail needing a jail "<lab>.a". */
		if (strchr(s, '.') != NULL)
			return lp_perr(p, k,
			    "jail name '%s' must not contain '.' (FreeBSD reads dots as a jail hierarchy)",
			    s);
		/* The kernel's limits are wider (a netns name is a file name: 255; the longest
		 * link tag with a 200-character jail name is 241 of IFALIASZ's 255): jnet's
		 * JNET_JAILNAME_MAX is the one that binds. */
		if (strlen(lab->name) + 1 + strlen(s) > JNET_JAILNAME_MAX)
			return lp_perr(p, k,
			    "jail name '%s' is too long: '%s.<jail>' would have %zu characters, at most %d",
			    s, lab->name, strlen(lab->name) + 1 + strlen(s), JNET_JAILNAME_MAX);
		jnet_strlcpy(j->name, s, sizeof(j->name));
		snprintf(j->scoped, sizeof(j->scoped), "%s.%s", lab->name, s);
		if (jnet_jail_name_check(j->scoped, &e2) < 0)
			return lp_perr(p, k, "invalid jail name '%s': %s", s, e2.msg);
		j->pos = lp_npos(k);
		p->jail_idx[i] = (struct lab_named){ j->name, j->pos, i };
		lab->njails++;
	}
	return lp_index_names(p, p->jail_idx, lab->njails, "jail");
}

static int
parse_jail_bodies(struct pctx *p, yaml_node_t *map)
{
	struct jnet_lab *lab = p->lab;

	for (int ji = 0; ji < lab->njails; ji++) {
		yaml_node_t *v = lp_node(p, map->data.mapping.pairs.start[ji].value);
		struct jnet_lab_jail *j = &lab->jails[ji];
		struct field f[] = { { "interfaces", NULL, NULL }, { "routes", NULL, NULL },
			{ "forwarding", NULL, NULL }, { "host", NULL, NULL } }; /* host: lab_hosts.c */
		char what[JNET_JAILNAMSIZ + 16];
		int n;

		snprintf(what, sizeof(what), "jail '%s'", j->name);
		if (lp_fields(p, v, what, f, 4) < 0)
			return -EINVAL;
		if (f[2].v != NULL) {
			if (lp_want(p, f[2].v, K_BOOL, "'forwarding'") < 0)
				return -EINVAL;
			j->forwarding = lp_sval(f[2].v)[0] == 't' || lp_sval(f[2].v)[0] == 'T';
		}
		p->jail_routes[ji] = f[1].v;
		if ((n = lp_get_list(p, f[0].v, "'interfaces'")) < 0)
			return n;
		for (int i = 0; i < n; i++) {
			yaml_node_t *in = lp_item(p, f[0].v, i);
			struct field g[] = { { "bridge", NULL, NULL }, { "address", NULL, NULL },
				{ "mac", NULL, NULL }, { "mtu", NULL, NULL } };
			struct jnet_lab_iface *fc;
			const char *s;
			int b;

			if (lp_want(p, in, K_MAP, "an 'interfaces' entry") < 0 ||
			    lp_fields(p, in, "an interface", g, 4) < 0)
				return -EINVAL;
			if (g[0].v == NULL)
				return lp_perr(p, in, "interface of jail '%s' has no 'bridge' (links between two jails go under 'links')",
				    j->name);
			if (lp_get_str(p, g[0].v, "'bridge'", &s) < 0)
				return -EINVAL;
			if ((b = lp_find_named(p->bridge_idx, lab->nbridges, s)) < 0)
				return lp_perr(p, g[0].v, "bridge '%s' is not defined under 'bridges'", s);
			if ((fc = lp_iface_new(p, ji, in)) == NULL)
				return -p->e->code;
			fc->bridge = b;
			lab->bridges[b].nports++;
			if (lp_iface_common(p, fc, g[1].v, g[2].v, g[3].v) < 0)
				return -p->e->code;
		}
		j->nbridged = j->nifaces;
	}
	return 0;
}

static int
parse_root(struct pctx *p, yaml_node_t *root)
{
	struct jnet_lab *lab = p->lab;
	struct field f[] = { { "lab", NULL, NULL }, { "backend", NULL, NULL },
		{ "bridges", NULL, NULL }, { "jails", NULL, NULL }, { "links", NULL, NULL },
		{ "hosts", NULL, NULL } }; /* hosts: lab_hosts.c */
	const char *s;
	int r;

	if (lp_kind_of(root) != K_MAP)
		return lp_perr(p, root, "a lab file must be a mapping (with 'lab', 'bridges', 'jails', 'links'), not %s",
		    lp_kind_names[lp_kind_of(root)]);
	if (lp_fields(p, root, "the lab", f, 6) < 0)
		return -EINVAL;
	if (f[0].v == NULL)
		return lp_perr(p, root, "missing 'lab' (the lab's name)");
	if (lp_get_str(p, f[0].v, "'lab'", &s) < 0 ||
	    lp_check_word_name(p, f[0].v, "lab", s, JNET_LAB_NAMEMAX) < 0)
		return -EINVAL;
	jnet_strlcpy(lab->name, s, sizeof(lab->name));
	if (f[1].v != NULL) {
		size_t i;

		if (lp_get_str(p, f[1].v, "'backend'", &s) < 0)
			return -EINVAL;
		for (i = 0; i < sizeof(backends) / sizeof(backends[0]); i++)
			if (strcmp(s, backends[i]) == 0)
				break;
		if (i == sizeof(backends) / sizeof(backends[0]))
			return lp_perr(p, f[1].v, "unknown backend '%s' (known: netns, epair, netgraph)", s);
		jnet_strlcpy(lab->backend, s, sizeof(lab->backend));
	}
	if ((r = lp_parse_bridges(p, f[2].v)) < 0 || (r = parse_jail_names(p, f[3].v)) < 0)
		return r;
	if (lab->njails > 0 && (r = parse_jail_bodies(p, f[3].v)) < 0)
		return r;
	if ((r = lp_parse_links(p, f[4].v)) < 0)
		return r;
	for (int j = 0; j < lab->njails; j++)
		if ((r = lp_parse_routes(p, j)) < 0)
			return r;
	if ((r = lp_check_dup_addrs(p)) < 0 || (r = lp_check_dup_macs(p)) < 0)
		return r;
	return jnet_lab_hosts_parse(p->doc, lab, p->e);
}

/* libyaml's own errors, as FILE:LINE:COL. Reader errors carry a byte offset only. */
static int
yaml_error(yaml_parser_t *ps, const char *file, const char *text, size_t len,
    struct jnet_err *e)
{
	struct jnet_lab_pos pos = { 1, 1 };
	const char *what = ps->problem ? ps->problem : "YAML error";

	if (ps->error == YAML_MEMORY_ERROR)
		return jnet_err_set(e, ENOMEM, "", "%s: out of memory", file);
	if (ps->error == YAML_READER_ERROR) {
		for (size_t i = 0; i < ps->problem_offset && i < len; i++) {
			if (text[i] == '\n') {
				pos.line++;
				pos.col = 1;
			} else {
				pos.col++;
			}
		}
		if (ps->problem_value != -1)
			return jnet_err_set(e, EINVAL, "", "%s:%u:%u: %s (#%X)", file, pos.line,
			    pos.col, what, (unsigned)ps->problem_value);
		return jnet_err_set(e, EINVAL, "", "%s:%u:%u: %s", file, pos.line, pos.col, what);
	}
	pos.line = (unsigned)ps->problem_mark.line + 1;
	pos.col = (unsigned)ps->problem_mark.column + 1;
	if (ps->context != NULL)
		return jnet_err_set(e, EINVAL, "", "%s:%u:%u: %s (%s at line %zu, column %zu)",
		    file, pos.line, pos.col, what, ps->context, ps->context_mark.line + 1,
		    ps->context_mark.column + 1);
	return jnet_err_set(e, EINVAL, "", "%s:%u:%u: %s", file, pos.line, pos.col, what);
}

int
jnet_lab_parse_string(const char *text, size_t len, const char *filename,
    struct jnet_lab **out, struct jnet_err *e)
{
	yaml_parser_t ps;
	yaml_document_t doc, doc2;
	struct pctx p = { 0 };
	struct jnet_err scratch;
	yaml_node_t *root;
	int r;

	*out = NULL;
	if (e == NULL)
		e = &scratch;	/* the parser reads back e->code */
	if (filename == NULL)
		filename = "<string>";
	if (text == NULL)
		text = "";
	if (!yaml_parser_initialize(&ps))
		return jnet_err_set(e, ENOMEM, "", "%s: out of memory", filename);
	yaml_parser_set_input_string(&ps, (const unsigned char *)text, len);
	if (!yaml_parser_load(&ps, &doc)) {
		r = yaml_error(&ps, filename, text, len, e);
		yaml_parser_delete(&ps);
		return r;
	}
	p.doc = &doc;
	p.file = filename;
	p.e = e;
	if ((root = yaml_document_get_root_node(&doc)) == NULL) {
		r = jnet_err_set(e, EINVAL, "", "%s:1:1: the lab file is empty", filename);
		goto out;
	}
	/* A second document would be silently ignored: refuse it. */
	if (!yaml_parser_load(&ps, &doc2)) {
		r = yaml_error(&ps, filename, text, len, e);
		goto out;
	}
	if (yaml_document_get_root_node(&doc2) != NULL) {
		yaml_node_t *r2 = yaml_document_get_root_node(&doc2);

		r = jnet_err_set(e, EINVAL, "", "%s:%zu:%zu: a lab file holds one YAML document; this is a second one",
		    filename, r2->start_mark.line + 1, r2->start_mark.column + 1);
		yaml_document_delete(&doc2);
		goto out;
	}
	yaml_document_delete(&doc2);
	if ((p.lab = calloc(1, sizeof(*p.lab))) == NULL ||
	    (p.lab->file = strdup(filename)) == NULL) {
		r = jnet_err_set(e, ENOMEM, "", "%s: out of memory", filename);
		goto out;
	}
	if ((r = parse_root(&p, root)) < 0)
		goto out;
	*out = p.lab;
	p.lab = NULL;
	r = 0;
out:
	jnet_lab_free(p.lab);
	free(p.jail_idx);
	free(p.bridge_idx);
	free(p.jail_routes);
	free(p.iface_cap);
	yaml_document_delete(&doc);
	yaml_parser_delete(&ps);
	return r;
}

int
jnet_lab_load(const char *path, struct jnet_lab **out, struct jnet_err *e)
{
	struct stat st;
	FILE *f;
	char *buf = NULL;
	size_t len = 0, cap = 0;
	int r;

	*out = NULL;
	if ((f = fopen(path, "r")) == NULL)
		return jnet_err_sys(e, errno, path, "cannot open lab file");
	/* fopen opens a directory for reading; its read fails with EISDIR, not to be
	 * reported as an I/O error. */
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		fclose(f);
		return jnet_err_sys(e, EISDIR, path, "cannot read lab file");
	}
	for (;;) {
		size_t got;

		if (cap - len < 4096) {
			char *nb;

			if (cap >= LAB_FILE_MAX) {
				r = jnet_err_set(e, EFBIG, path, "lab file larger than %u MiB",
				    LAB_FILE_MAX >> 20);
				goto out;
			}
			cap = cap ? 2 * cap : 65536;
			if ((nb = realloc(buf, cap + 1)) == NULL) {
				r = jnet_err_set(e, ENOMEM, path, "out of memory");
				goto out;
			}
			buf = nb;
		}
		got = fread(buf + len, 1, cap - len, f);
		len += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		r = jnet_err_sys(e, errno ? errno : EIO, path, "cannot read lab file");
		goto out;
	}
	r = jnet_lab_parse_string(buf, len, path, out, e);
out:
	free(buf);
	fclose(f);
	return r;
}

void
jnet_lab_free(struct jnet_lab *lab)
{
	if (lab == NULL)
		return;
	for (int j = 0; j < lab->njails; j++) {
		for (int i = 0; i < lab->jails[j].nifaces; i++)
			free(lab->jails[j].ifaces[i].addrs);
		free(lab->jails[j].ifaces);
		free(lab->jails[j].routes);
	}
	free(lab->jails);
	free(lab->bridges);
	free(lab->links);
	free(lab->hosts);
	free(lab->file);
	free(lab);
}

int
jnet_lab_jail_find(const struct jnet_lab *lab, const char *name)
{
	for (int j = 0; j < lab->njails; j++)
		if (strcmp(lab->jails[j].name, name) == 0)
			return j;
	return -1;
}

int
jnet_lab_bridge_find(const struct jnet_lab *lab, const char *name)
{
	for (int b = 0; b < lab->nbridges; b++)
		if (strcmp(lab->bridges[b].name, name) == 0)
			return b;
	return -1;
}
