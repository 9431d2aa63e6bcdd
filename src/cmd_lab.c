/* jnet lab up|down|status|exec|graph: lab networks from one file. */
#include "cli.h"
#include "lab_run.h"
#include "lab_hosts.h"
#include "lab_vxlan.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct prog {
	bool tty;
	const char *lab;
	const char *verb;
	long long last_ms;
};

static long long
ms_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Progress on a terminal only, at most every 100 ms; quiet when not a TTY. */
static void
show_progress(void *arg, const char *stage, int done, int total)
{
	struct prog *p = arg;
	long long now;

	if (!p->tty)
		return;
	now = ms_now();
	if (done != total && now - p->last_ms < 100)
		return;
	p->last_ms = now;
	fprintf(stderr, "\r\033[Kjnet: lab %s %s: %s %d/%d", p->verb, p->lab, stage, done, total);
	if (done == total)
		fputc('\r', stderr);
}

static void
end_progress(struct prog *p)
{
	if (p->tty)
		fprintf(stderr, "\r\033[K");
}

/* Open the backend the lab asks for (or -t / $JNET_BACKEND, which must agree). */
static int
lab_open(struct cli *c, const struct jnet_lab *lab)
{
	if (lab->backend[0] && c->backend && strcmp(c->backend, lab->backend) != 0) {
		jnet_err_set(&c->ctx.err, EINVAL, lab->file,
		    "the lab asks for backend %s, %s for %s", lab->backend, c->backend_from,
		    c->backend);
		return cli_fail(c);
	}
	if (c->backend == NULL && lab->backend[0])
		c->backend = lab->backend;
	return cli_open(c);
}

/* host: --host; part: this host's part of a lab that spans hosts (lab_vxlan.h). */
static int
load(struct cli *c, const char *file, const char *host, bool part, struct jnet_lab **lab)
{
	if (jnet_lab_load(file, lab, &c->ctx.err) < 0 ||
	    (part && jnet_lab_for_host(lab, host, &c->ctx.err) < 0)) {
		jnet_lab_free(*lab);
		*lab = NULL;
		return cli_fail(c);
	}
	c->jail = (*lab)->name;
	return 0;
}

static bool
is_verb(const char *s)
{
	return strcmp(s, "up") == 0 || strcmp(s, "down") == 0 || strcmp(s, "status") == 0 ||
	    strcmp(s, "graph") == 0 || strcmp(s, "exec") == 0;
}

/* ---------------------------------------------------------------- status */

static json_t *
jstr_or_null(const char *s)
{
	return s != NULL && s[0] != '\0' ? json_string(s) : json_null();
}

static json_t *
status_json_iface(const struct jnet_lab *lab, const struct jnet_lab_iface *f,
    const struct jnet_lab_status_iface *fs)
{
	json_t *o = json_object(), *addrs = json_array(), *missing = json_array();

	json_object_set_new(o, "index", json_integer(f->index));
	json_object_set_new(o, "ifname", json_string(fs->ifname));
	json_object_set_new(o, "bridge", jstr_or_null(f->bridge >= 0 ?
	    lab->bridges[f->bridge].name : NULL));
	json_object_set_new(o, "peer", jstr_or_null(f->peer_jail >= 0 ?
	    lab->jails[f->peer_jail].name : NULL));
	if (fs->present) {
		char mac[JNET_MACSTRLEN];

		jnet_mac_format(fs->mac, mac);
		json_object_set_new(o, "up", json_boolean(fs->up));
		json_object_set_new(o, "mac", json_string(mac));
	}
	if (f->bridge >= 0) {
		json_t *h = json_object();

		json_object_set_new(h, "ifname", json_string(fs->host.ifname));
		json_object_set_new(h, "present", json_boolean(fs->host.present));
		if (fs->host.present) {
			json_object_set_new(h, "up", json_boolean(fs->host.up));
			json_object_set_new(h, "bridge", jstr_or_null(fs->host.bridge));
		}
		json_object_set_new(o, "host", h);
	}
	json_object_set_new(o, "present", json_boolean(fs->present));
	for (int a = 0; a < f->naddrs; a++)
		json_array_append_new(fs->addr_present[a] ? addrs : missing,
		    json_string(f->addrs[a].text));
	json_object_set_new(o, "addresses", addrs);
	json_object_set_new(o, "missing_addresses", missing);
	return o;
}

static const char *
route_to(const struct jnet_lab_route *r)
{
	return r->is_default ? "default" : r->dst.text;
}

static json_t *
status_json_jail(const struct jnet_lab *lab, const struct jnet_lab_jail *jl,
    const struct jnet_lab_status_jail *js)
{
	json_t *o = json_object(), *ifs = json_array(), *routes = json_array();

	json_object_set_new(o, "name", json_string(jl->name));
	json_object_set_new(o, "jail", json_string(jl->scoped));
	json_object_set_new(o, "present", json_boolean(js->present));
	if (js->foreign)
		json_object_set_new(o, "foreign", json_string(js->tag));
	json_object_set_new(o, "forwarding", json_boolean(jl->forwarding));
	for (int i = 0; i < jl->nifaces; i++)
		json_array_append_new(ifs, status_json_iface(lab, &jl->ifaces[i], &js->ifaces[i]));
	for (int i = 0; i < jl->nroutes; i++) {
		json_t *ro = json_object();

		json_object_set_new(ro, "to", json_string(route_to(&jl->routes[i])));
		json_object_set_new(ro, "via", json_string(jl->routes[i].via.text));
		json_object_set_new(ro, "present", json_boolean(js->route_present[i]));
		json_array_append_new(routes, ro);
	}
	json_object_set_new(o, "interfaces", ifs);
	json_object_set_new(o, "routes", routes);
	return o;
}

/* A bridge's VXLAN port (labs on several hosts) and the other hosts' addresses. */
static json_t *
status_json_vxlan(const struct jnet_lab_status *st, const struct jnet_lab_status_vxlan *vs)
{
	const struct jnet_lab *lab = st->lab;
	json_t *hosts = json_array();

	for (int h = 0; h < lab->nhosts; h++)
		if (h != lab->view - 1)
			json_array_append_new(hosts, json_string(lab->hosts[h].addrstr));
	json_t *o = json_pack("{s:s, s:I, s:b, s:o}", "ifname", vs->ifname, "vni",
	    (json_int_t)vs->vni, "present", vs->present, "remotes", hosts);

	if (vs->problem[0] != '\0')
		json_object_set_new(o, "problem", json_string(vs->problem));
	return o;
}

static json_t *
status_json(const struct jnet_lab_status *st)
{
	const struct jnet_lab *lab = st->lab;
	json_t *o = json_object(), *brs = json_array(), *jails = json_array();

	json_object_set_new(o, "lab", json_string(lab->name));
	json_object_set_new(o, "backend", json_string(st->backend));
	json_object_set_new(o, "complete", json_boolean(st->complete));
	for (int b = 0; b < lab->nbridges; b++) {
		const struct jnet_lab_status_bridge *bs = &st->bridges[b];
		json_t *bo = json_object();

		if (bs->untagged)
			json_object_set_new(bo, "tagged", json_false());
		json_object_set_new(bo, "name", json_string(lab->bridges[b].name));
		json_object_set_new(bo, "ifname", json_string(bs->ifname));
		json_object_set_new(bo, "present", json_boolean(bs->present));
		json_object_set_new(bo, "uplink", jstr_or_null(lab->bridges[b].uplink));
		if (bs->vxlan.ifname[0] != '\0')
			json_object_set_new(bo, "vxlan", status_json_vxlan(st, &bs->vxlan));
		json_array_append_new(brs, bo);
	}
	for (int i = 0; i < lab->njails; i++)
		json_array_append_new(jails, status_json_jail(lab, &lab->jails[i], &st->jails[i]));
	json_object_set_new(o, "bridges", brs);
	json_object_set_new(o, "jails", jails);
	if (st->host != NULL)
		json_object_set_new(o, "host", json_string(st->host));
	return o;
}

static void
status_text_jail(const struct jnet_lab_jail *jl, const struct jnet_lab_status_jail *js)
{
	printf("  jail   %-12s %-15s %s\n", jl->name, jl->scoped,
	    js->present ? "present" : "MISSING");
	for (int i = 0; i < jl->nifaces; i++) {
		const struct jnet_lab_iface *f = &jl->ifaces[i];
		const struct jnet_lab_status_iface *fs = &js->ifaces[i];

		printf("    %-15s %s", fs->ifname, fs->present ? (fs->up ? "up" : "DOWN") : "MISSING");
		for (int a = 0; a < f->naddrs; a++)
			if (fs->addr_present[a])
				printf(" %s", f->addrs[a].text);
		for (int a = 0; a < f->naddrs; a++)
			if (!fs->addr_present[a])
				printf(" %s(MISSING)", f->addrs[a].text);
		printf("\n");
	}
	for (int i = 0; i < jl->nroutes; i++)
		if (!js->route_present[i])
			printf("    route %s via %s MISSING\n", route_to(&jl->routes[i]),
			    jl->routes[i].via.text);
}

static void
status_text(const struct jnet_lab_status *st)
{
	const struct jnet_lab *lab = st->lab;

	printf("lab %s: %s\n", lab->name, st->complete ? "complete" : "incomplete");
	for (int b = 0; b < lab->nbridges; b++)
		printf("  bridge %-12s %-15s %s\n", lab->bridges[b].name, st->bridges[b].ifname,
		    st->bridges[b].present ? "present" : "MISSING");
	for (int b = 0; b < lab->nbridges; b++)
		if (st->bridges[b].vxlan.ifname[0] != '\0')
			printf("  vxlan  %-12s %-15s %s vni %lu%s%s\n", lab->bridges[b].name,
			    st->bridges[b].vxlan.ifname,
			    !st->bridges[b].vxlan.present ? "MISSING" :
			    st->bridges[b].vxlan.problem[0] != '\0' ? "WRONG" : "present",
			    (unsigned long)st->bridges[b].vxlan.vni,
			    st->bridges[b].vxlan.problem[0] != '\0' ? ": " : "",
			    st->bridges[b].vxlan.problem);
	for (int i = 0; i < lab->njails; i++)
		status_text_jail(&lab->jails[i], &st->jails[i]);
}

/* 0 when the lab is complete, 1 when not, as `lab status` exits. */
static int
lab_status(struct cli *c, const struct jnet_lab *lab)
{
	struct jnet_lab_status *st;
	int r;

	if (jnet_lab_status(&c->ctx, lab, &st) < 0)
		return cli_fail(c);
	if (jnet_lab_vxlan_status(&c->ctx, lab, st) < 0) {
		jnet_lab_status_free(st);
		return cli_fail(c);
	}
	if (c->json)
		cli_json_print(status_json(st));
	else
		status_text(st);
	r = st->complete ? 0 : 1;
	jnet_lab_status_free(st);
	return r;
}

/* ---------------------------------------------------------------- the command */

/* Name the verb in messages as soon as it is known, also for option errors. */
static void
name_verb(struct cli *c, int argc, char **argv, char cmd[16])
{
	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (argv[i][0] != '-' && (i == 1 || (strcmp(argv[i - 1], "-n") != 0 &&
		    strcmp(argv[i - 1], "--host") != 0))) {
			if (is_verb(argv[i])) {
				snprintf(cmd, 16, "lab %s", argv[i]);
				c->cmd = cmd;
			}
			break;
		}
}

/* lab down -n LAB: no file, the lab found by its tags. */
static int
down_named(struct cli *c, struct prog *p, const char *name)
{
	int r;

	if (name[0] == '\0')
		return cli_usage(c, "-n: empty lab name");
	c->jail = name;
	p->lab = name;
	if ((r = cli_open(c)) != 0)
		return r;
	r = jnet_lab_down(&c->ctx, name, NULL, show_progress, p);
	end_progress(p);
	return r < 0 ? cli_fail(c) : 0;
}

/* lab up|down|status|graph FILE */
static int
with_file(struct cli *c, struct prog *p, const char *verb, const char *file, const char *host)
{
	struct jnet_lab *lab = NULL;
	int r;

	if ((r = load(c, file, host, strcmp(verb, "graph") != 0, &lab)) != 0)
		return r;
	p->lab = lab->name;
	if (strcmp(verb, "graph") == 0) {
		r = jnet_lab_graph_dot(lab, stdout) < 0 ? 1 : 0;
		if (r)
			fprintf(stderr, "jnet: lab graph: write error\n");
	} else if ((r = lab_open(c, lab)) == 0) {
		if (strcmp(verb, "up") == 0)
			r = jnet_lab_up_host(&c->ctx, lab, show_progress, p) < 0 ? cli_fail(c) : 0;
		else if (strcmp(verb, "down") == 0)
			r = jnet_lab_down(&c->ctx, lab->name, lab, show_progress, p) < 0 ?
			    cli_fail(c) : 0;
		else
			r = lab_status(c, lab);
		end_progress(p);
	}
	jnet_lab_free(lab);
	return r;
}

/* lab exec of a jail of the file that is on another host than this one: 125, said so. */
static int
other_host(struct cli *c, const struct jnet_lab *lab, const char *jail, const char *host)
{
	int h, j;

	if (lab->nhosts == 0 || (j = jnet_lab_jail_find(lab, jail)) < 0)
		return 0;
	if ((h = jnet_lab_host_pick(lab, host, &c->ctx.err)) < 0)
		return cli_fail(c);
	if (lab->jails[j].host == h)
		return 0;
	jnet_err_set(&c->ctx.err, ENOENT, jail, "jail %s is on host %s, not on this host (%s)",
	    jail, lab->hosts[lab->jails[j].host].name, lab->hosts[h].name);
	cli_fail(c);
	return 125;
}

/* lab exec FILE JAIL -- CMD...: argv is exec FILE JAIL CMD... (NULL-terminated). */
static int
exec_cmd(struct cli *c, int argc, char **argv, int dashdash, const char *host)
{
	struct jnet_lab *lab = NULL;
	int r, status;

	if (dashdash != 3 || argc < 4)
		return cli_usage(c, "%s", dashdash < 0 ? "no '--' before the command" :
		    dashdash != 3 ? "FILE and JAIL come before '--'" : "no command after '--'");
	if ((r = load(c, argv[1], host, false, &lab)) != 0)
		return r;
	if ((r = other_host(c, lab, argv[2], host)) == 0 &&
	    jnet_lab_for_host(&lab, host, &c->ctx.err) < 0)
		r = cli_fail(c);
	c->jail = lab->name;          /* the view's copy: the whole file's lab may be gone */
	if (r != 0 || (r = lab_open(c, lab)) != 0) {
		jnet_lab_free(lab);
		return r;
	}
	fflush(NULL);
	/* On success this does not return: the command replaces jnet. */
	jnet_lab_exec(&c->ctx, lab, argv[2], &argv[3], &status);
	cli_fail(c);
	jnet_lab_free(lab);
	return status;
}

int
cmd_lab(struct cli *c, int argc, char **argv)
{
	static const struct cli_opt opts[] = {
		{ 'n', 'n', NULL, true },
		{ 'H', 0, "host", true },
		{ 0, 0, NULL, false },
	};
	static char cmd[16];
	struct prog p = { isatty(STDERR_FILENO), "", "", 0 };
	const char *verb, *name = NULL, *host = NULL;
	struct cli_args ca;
	int ch;

	name_verb(c, argc, argv, cmd);
	cli_args_init(&ca, argc, argv, opts);
	while ((ch = cli_opt_next(c, &ca)) != CLI_OPT_END) {
		if (ch == 'H' && host != NULL)
			return cli_usage(c, "--host given twice");
		else if (ch == 'H')
			host = ca.arg;
		else if (ch == 'n')
			name = ca.arg;
		else
			return 2;
	}
	if (ca.nops < 1)
		return cli_usage(c, "up, down, status, exec or graph?");
	argc = ca.nops;
	argv = ca.ops;
	verb = argv[0];
	p.verb = verb;
	if (!is_verb(verb))
		return cli_usage(c, "unknown lab command '%s'", verb);
	snprintf(cmd, sizeof(cmd), "lab %s", verb);
	c->cmd = cmd;
	if (name != NULL && strcmp(verb, "down") != 0)
		return cli_usage(c, "-n is for lab down only");
	if (ca.dashdash >= 0 && strcmp(verb, "exec") != 0)
		return cli_usage(c, "'--' is for lab exec only");
	if (host != NULL && strcmp(verb, "graph") == 0)
		return cli_usage(c, "--host is not for lab graph: it draws every host's part");
	if (name != NULL && host != NULL)
		return cli_usage(c, "--host needs the lab's FILE, not -n LAB");
	if (name != NULL)
		return argc != 1 ? cli_usage(c, "-n LAB or FILE, not both") :
		    down_named(c, &p, name);
	if (strcmp(verb, "exec") == 0)
		return exec_cmd(c, argc, argv, ca.dashdash, host);
	if (argc != 2)
		return cli_usage(c, "%s", argc < 2 ? "no FILE" : "one FILE only");
	return with_file(c, &p, verb, argv[1], host);
}
