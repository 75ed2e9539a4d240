// SPDX-License-Identifier: GPL-2.0
/*
 * sriov-rtt: control sriov_rtt.ko and read what it measured, iproute2
 * style: sriov-rtt [OPTIONS] COMMAND [ARGS].
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/attr.h>
#include <netlink/msg.h>

#include "lib/args.h"
#include "lib/json.h"
#include "lib/names.h"
#include "lib/nlctx.h"
#include "lib/show.h"
#include "sriov-rtt.h"

struct srtt_command {
	const char	*name;
	int		(*parse)(const char *cmd, int argc, char **argv,
				 struct srtt_args *a);
	int		(*run)(struct srtt_ctx *ctx, const struct srtt_args *a);
	unsigned int	need;		/* SRTT_CTX_* */
	const char	*usage;		/* after "sriov-rtt " */
	const char	*help;
};

/* ---- attached devices ---- */

static int dev_list_cb(struct srtt_ctx *ctx, struct nlmsghdr *nlh, void *arg)
{
	struct srtt_dev_list *list = arg;
	struct srtt_dev_msg *dev;
	char why[160];

	dev = realloc(list->dev, (list->n + 1) * sizeof(*dev));
	if (!dev)
		return srtt_ctx_fail(ctx, ENOMEM, "out of memory");
	list->dev = dev;
	if (srtt_parse_dev_msg(nlh, &dev[list->n], why, sizeof(why)))
		return srtt_ctx_bad_reply(ctx, why);
	list->n++;
	return 0;
}

int srtt_dev_list_get(struct srtt_ctx *ctx, struct srtt_dev_list *list)
{
	int err;

	list->dev = NULL;
	list->n = 0;
	err = srtt_request(ctx, srtt_msg_new(ctx, SRTT_CMD_DEV_GET, true),
			   dev_list_cb, list);
	if (err)
		srtt_dev_list_free(list);
	return err;
}

void srtt_dev_list_free(struct srtt_dev_list *list)
{
	free(list->dev);
	list->dev = NULL;
	list->n = 0;
}

const struct srtt_dev_msg *srtt_dev_list_find(const struct srtt_ctx *ctx,
					      const struct srtt_dev_list *list,
					      int ifindex)
{
	size_t i;

	for (i = 0; i < list->n; i++) {
		const struct srtt_dev_msg *d = &list->dev[i];

		/* an ifindex names a device only within its namespace */
		if (d->ifindex == (uint32_t)ifindex &&
		    (!d->netns_ino || !ctx->netns_ino ||
		     d->netns_ino == ctx->netns_ino))
			return d;
	}
	return NULL;
}

int srtt_report_no_dev(const char *dev)
{
	fprintf(stderr, "no device %s in this network namespace\n", dev);
	return SRTT_EXIT_NODEV;
}

static int report_not_attached(const char *dev)
{
	fprintf(stderr, "%s is not attached; run: sriov-rtt attach %s\n",
		dev, dev);
	return SRTT_EXIT_NOTATTACHED;
}

int srtt_dev_resolve(struct srtt_ctx *ctx, const char *cmd, const char *dev,
		     int *dev_id)
{
	struct srtt_what what = { .cmd = cmd, .dev = dev };
	const struct srtt_dev_msg *d;
	struct srtt_dev_list list;
	char action[64];
	int ifindex;

	snprintf(action, sizeof(action), "%s %s", cmd, dev);
	what.action = action;
	ifindex = srtt_link_ifindex(ctx, dev);
	if (ifindex < 0)
		return srtt_report(ctx, &what);
	if (!ifindex)
		return srtt_report_no_dev(dev);

	what.action = "listing the attached devices";
	if (srtt_dev_list_get(ctx, &list))
		return srtt_report(ctx, &what);
	d = srtt_dev_list_find(ctx, &list, ifindex);
	*dev_id = d ? d->dev_id : -1;
	srtt_dev_list_free(&list);
	if (!d)
		return report_not_attached(dev);
	if (*dev_id < 0) {
		srtt_ctx_fail(ctx, EPROTO,
			      "the kernel did not send the id of %s", dev);
		return srtt_report(ctx, &what);
	}
	return SRTT_EXIT_OK;
}

/* A request naming a device by SRTT_A_IFNAME. */
static struct nl_msg *dev_msg(struct srtt_ctx *ctx, uint8_t cmd, bool dump,
			      const char *dev)
{
	struct nl_msg *msg = srtt_msg_new(ctx, cmd, dump);

	if (msg && dev && nla_put_string(msg, SRTT_A_IFNAME, dev) < 0) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

/* ---- attach, detach ---- */

static int attach_detach(struct srtt_ctx *ctx, const char *cmd,
			 uint8_t genl_cmd, const char *dev, uint32_t stages)
{
	struct srtt_what what = {
		.cmd = cmd, .dev = dev,
		/* detaching a device that is not attached: say so */
		.dev_known = genl_cmd == SRTT_CMD_DEV_DETACH,
	};
	struct nl_msg *msg;
	char action[64];
	int ifindex;

	snprintf(action, sizeof(action), "%s %s", cmd, dev);
	what.action = action;
	ifindex = srtt_link_ifindex(ctx, dev);
	if (ifindex < 0)
		return srtt_report(ctx, &what);
	if (!ifindex)
		return srtt_report_no_dev(dev);
	msg = dev_msg(ctx, genl_cmd, false, dev);
	if (msg && stages && nla_put_u32(msg, SRTT_A_DEV_STAGES, stages) < 0) {
		nlmsg_free(msg);
		msg = NULL;
	}
	if (srtt_request(ctx, msg, NULL, NULL))
		return srtt_report(ctx, &what);
	return SRTT_EXIT_OK;
}

static int run_attach(struct srtt_ctx *ctx, const struct srtt_args *a)
{
	return attach_detach(ctx, "attach", SRTT_CMD_DEV_ATTACH, a->dev,
			     a->stages);
}

static int run_detach(struct srtt_ctx *ctx, const struct srtt_args *a)
{
	return attach_detach(ctx, "detach", SRTT_CMD_DEV_DETACH, a->dev, 0);
}

/* ---- stats ---- */

struct stats_state {
	int		dev_id;		/* -1: every device */
	unsigned int	shown;
};

static int stats_cb(struct srtt_ctx *ctx, struct nlmsghdr *nlh, void *arg)
{
	struct stats_state *st = arg;
	struct srtt_stats_msg s;
	char why[160];

	if (srtt_parse_stats_msg(nlh, &s, why, sizeof(why)))
		return srtt_ctx_bad_reply(ctx, why);
	if (st->dev_id >= 0 && s.dev_id != st->dev_id)
		return 0;
	if (st->shown++)
		srtt_print_nl(&ctx->out);
	srtt_show_stats(&ctx->out, &s);
	return 0;
}

static int run_stats(struct srtt_ctx *ctx, const struct srtt_args *a)
{
	struct srtt_what what = {
		.action = "reading statistics", .cmd = "stats",
		.dev = a->dev, .dev_known = true,
	};
	struct stats_state st = { .dev_id = -1 };
	int err;

	if (a->dev) {
		err = srtt_dev_resolve(ctx, "stats", a->dev, &st.dev_id);
		if (err)
			return err;
	}
	srtt_open_array(&ctx->out, NULL);
	err = srtt_request(ctx, dev_msg(ctx, SRTT_CMD_STATS_GET, true, a->dev),
			   stats_cb, &st);
	srtt_close_array(&ctx->out);
	if (err)
		return srtt_report(ctx, &what);
	if (!st.shown && a->dev)
		return report_not_attached(a->dev);
	if (!st.shown)
		srtt_print_string(&ctx->out, SRTT_PK_TEXT, NULL, "%s\n",
				  "no device is attached; run: sriov-rtt attach DEV");
	return SRTT_EXIT_OK;
}

/* ---- hist ---- */

struct hist_state {
	int		dev_id;		/* -1: every device */
	int		from, to;	/* -1: every pair with samples */
	unsigned int	shown;
	/* --prometheus: what passes the filter is kept here, not printed */
	bool		keeping;
	struct srtt_hist_list keep;
	struct srtt_hist_msg m;		/* 4 KiB: not on the callback stack */
};

static void hist_row(struct srtt_ctx *ctx, struct hist_state *st)
{
	if (!st->shown++)
		srtt_show_hist_header(&ctx->out);
	srtt_show_hist(&ctx->out, &st->m);
}

static int hist_cb(struct srtt_ctx *ctx, struct nlmsghdr *nlh, void *arg)
{
	struct hist_state *st = arg;
	struct srtt_hist_msg *m = &st->m;
	char why[160];

	if (srtt_parse_hist_msg(nlh, m, why, sizeof(why)))
		return srtt_ctx_bad_reply(ctx, why);
	if (st->dev_id >= 0 && m->dev_id != st->dev_id)
		return 0;
	if (st->from >= 0) {
		if (m->from != st->from || m->to != st->to)
			return 0;
	} else if (!m->h.count && !m->h.over) {
		return 0;
	}
	if (st->keeping)
		return srtt_hist_list_add(&st->keep, m) ?
			srtt_ctx_fail(ctx, ENOMEM, "out of memory") : 0;
	hist_row(ctx, st);
	return 0;
}

/* hist --prometheus: hist's own pick of histograms, then the export */
static int hist_prometheus(struct srtt_ctx *ctx, const struct srtt_args *a,
			   struct hist_state *st, const struct srtt_what *what)
{
	int err;

	st->keeping = true;
	if (srtt_request(ctx, srtt_msg_new(ctx, SRTT_CMD_HIST_GET, true),
			 hist_cb, st))
		err = srtt_report(ctx, what);
	else
		err = srtt_hist_export(ctx, a, st->dev_id, &st->keep);
	free(st->keep.h);
	st->keep.h = NULL;
	return err;
}

static int run_hist(struct srtt_ctx *ctx, const struct srtt_args *a)
{
	struct srtt_what what = {
		.action = "reading histograms", .cmd = "hist",
		.dev = a->dev, .dev_known = true,
	};
	struct hist_state *st;
	int err;

	if (a->reset) {
		what.action = "hist reset";
		what.cmd = "hist reset";
		if (srtt_request(ctx, srtt_msg_new(ctx, SRTT_CMD_HIST_RESET,
						   false), NULL, NULL))
			return srtt_report(ctx, &what);
		return SRTT_EXIT_OK;
	}

	st = calloc(1, sizeof(*st));
	if (!st) {
		fprintf(stderr, "out of memory\n");
		return SRTT_EXIT_ERROR;
	}
	st->dev_id = -1;
	st->from = a->from;
	st->to = a->to;
	if (a->dev) {
		err = srtt_dev_resolve(ctx, "hist", a->dev, &st->dev_id);
		if (err)
			goto out;
	}
	if (a->prom) {
		err = hist_prometheus(ctx, a, st, &what);
		goto out;
	}
	srtt_open_array(&ctx->out, NULL);
	err = srtt_request(ctx, srtt_msg_new(ctx, SRTT_CMD_HIST_GET, true),
			   hist_cb, st);
	if (!err && a->from >= 0 && !st->shown) {
		/* an attached device has every pair, empty or not */
		memset(&st->m, 0, sizeof(st->m));
		snprintf(st->m.ifname, sizeof(st->m.ifname), "%s", a->dev);
		st->m.dev_id = st->dev_id;
		st->m.from = a->from;
		st->m.to = a->to;
		hist_row(ctx, st);
	}
	srtt_close_array(&ctx->out);
	if (err) {
		err = srtt_report(ctx, &what);
		goto out;
	}
	if (!st->shown)
		srtt_print_string(&ctx->out, SRTT_PK_TEXT, NULL, "%s\n",
				  a->dev ? "no samples yet" :
				  "no samples yet on any attached device");
	err = SRTT_EXIT_OK;
out:
	free(st);
	return err;
}

/* ---- config ---- */

static int config_cb(struct srtt_ctx *ctx, struct nlmsghdr *nlh, void *arg)
{
	char why[160];

	if (srtt_parse_config_msg(nlh, arg, why, sizeof(why)))
		return srtt_ctx_bad_reply(ctx, why);
	return 0;
}

static int run_config(struct srtt_ctx *ctx, const struct srtt_args *a)
{
	struct srtt_what what = { .action = "reading the configuration",
				  .cmd = "config" };
	struct srtt_config_msg c = { 0 };
	struct nl_msg *msg;
	char action[64];
	int err = 0;

	if (!a->set) {
		if (srtt_request(ctx, srtt_msg_new(ctx, SRTT_CMD_CONFIG_GET,
						   false), config_cb, &c))
			return srtt_report(ctx, &what);
		srtt_show_config(&ctx->out, &c);
		return SRTT_EXIT_OK;
	}

	snprintf(action, sizeof(action), "config set %s %llu",
		 srtt_settings[a->key].name, (unsigned long long)a->value);
	what.action = action;
	what.cmd = "config set";
	msg = srtt_msg_new(ctx, SRTT_CMD_CONFIG_SET, false);
	if (msg) {
		switch (a->key) {
		case SRTT_SETTING_STAMP_PORT:
			err = nla_put_u16(msg, SRTT_A_CFG_STAMP_PORT,
					  (uint16_t)a->value);
			break;
		case SRTT_SETTING_SAMPLE:
			err = nla_put_u32(msg, SRTT_A_CFG_SAMPLE,
					  (uint32_t)a->value);
			break;
		default:
			err = nla_put_u32(msg, SRTT_A_CFG_RING_SIZE,
					  (uint32_t)a->value);
			break;
		}
		if (err < 0) {
			nlmsg_free(msg);
			msg = NULL;
		}
	}
	if (srtt_request(ctx, msg, NULL, NULL))
		return srtt_report(ctx, &what);
	return SRTT_EXIT_OK;
}

/* ---- the command table ---- */

#define NEED_DEV	(SRTT_CTX_FAMILY | SRTT_CTX_ROUTE)

/* Order matters: matches() takes the first, so "d" is "devices". */
static const struct srtt_command srtt_cmds[] = {
	{ "devices", srtt_parse_none, srtt_cmd_devices,
	  SRTT_CTX_LINKS | SRTT_CTX_FAMILY_OPT, "devices",
	  "List SR-IOV PFs with their VFs (index, netdev, PCI address, MAC,\n"
	  "VLAN, spoofchk, trust, link state, driver) and VF netdevs whose PF\n"
	  "is in another namespace; mark what is attached. Works without the\n"
	  "module." },
	{ "attach", srtt_parse_attach, run_attach, NEED_DEV,
	  "attach DEV [stages LIST]",
	  "Stamp probe packets on DEV (needs CAP_NET_ADMIN), at the stages of\n"
	  "LIST: default (every stage but tx_nf_egress and rx_nf_ingress, each\n"
	  "a netfilter hook that costs every packet), all, or stage names\n"
	  "joined by ','." },
	{ "detach", srtt_parse_dev, run_detach, NEED_DEV, "detach DEV",
	  "Stop stamping DEV (needs CAP_NET_ADMIN)." },
	{ "stats", srtt_parse_opt_dev, run_stats, NEED_DEV, "stats [DEV]",
	  "Per device and stage: records written (hits), records lost to a\n"
	  "full ring (lost), malformed probes (bad); per device the impossible\n"
	  "intervals and tracker counters." },
	{ "hist", srtt_parse_hist, run_hist, NEED_DEV,
	  "hist [DEV [FROM TO]] [--prometheus FILE]\n       sriov-rtt hist reset",
	  "Interval percentiles in ns per device and stage pair, computed as\n"
	  "the module's debugfs files compute them; pairs without samples are\n"
	  "left out unless FROM and TO are given. \"hist reset\" zeroes every\n"
	  "histogram and counter (needs CAP_NET_ADMIN). --prometheus FILE\n"
	  "writes those histograms (le at the module's octave edges, where\n"
	  "counts are exact) and every device's counters in the Prometheus\n"
	  "text format instead, FILE replaced at once (node_exporter's\n"
	  "textfile collector).\n"
	  "Stages, in order: tx_nf_egress tx_queue tx_drv tx_drv_done tx_done\n"
	  "tx_hw rx_hw rx_irq rx_softirq rx_drv rx_stack rx_nf_ingress rx_sock\n"
	  "rx_copy." },
	{ "config", srtt_parse_config, run_config, SRTT_CTX_FAMILY,
	  "config [show]\n       sriov-rtt config set stamp_port|sample|ring_size VALUE",
	  "Show or change the settings: stamp_port 1-65535, sample 0-1000000\n"
	  "(follow 1 in N non-probe packets, 0 = off), ring_size a power of two\n"
	  "from 64 to 1048576 (only while nothing is attached). Changing needs\n"
	  "CAP_NET_ADMIN." },
	{ "watch", srtt_parse_watch, srtt_cmd_watch, NEED_DEV, srtt_watch_usage,
	  "Print records as the module sends them, one a line, in the format\n"
	  "of the debugfs records file (JSON lines with -j); \"lost N\" when the\n"
	  "module dropped records, \"lost socket-overrun\" when this socket's\n"
	  "buffer overflowed. Stops after N records, SECONDS, or SIGINT/SIGTERM,\n"
	  "then prints a summary on stderr." },
	{ "probe", srtt_parse_probe, srtt_cmd_probe, 0, srtt_probe_usage,
	  "STAMP session-sender (RFC 8762/8972, unauthenticated) to TARGET\n"
	  "(IPv4, IPv6 or name), UDP port 862 by default: --count packets\n"
	  "(10) every --interval seconds (0.1), replies awaited --timeout\n"
	  "seconds (2); -c, -i, -W, -s as ping spells them. --serial sends\n"
	  "each --interval after the previous reply or its timeout, one in\n"
	  "flight (the host's hypervisor events, matched by time, are then the\n"
	  "request's own); --ssid defaults to a new random value each run.\n"
	  "Each request asks the reflector for the sriov_rtt TLVs (boot id,\n"
	  "its clock bracket, two follow-ups with the stages of its last two\n"
	  "exchanges, its hypervisor's clock): 752 bytes, more with --size is\n"
	  "Extra Padding; --plain sends none (44 bytes by default).\n"
	  "TWAMP-Light reflectors' shorter replies are used. This kernel's\n"
	  "stages come from the module's records group (CAP_NET_ADMIN;\n"
	  "--no-stages skips it). Prints per component of the RTT count, min,\n"
	  "p50, p90, p99, p99.9, max in us with its error bound, the one-way\n"
	  "split with the clock offset and its bound, merged and not visible\n"
	  "components, lost/late/duplicate/unmatched/malformed counts and ICMP\n"
	  "errors; --csv writes every stamp of every packet, --svg a chart\n"
	  "(both files opened first). Ctrl-C ends the run with its summary.\n"
	  "Exit status as ping's: 0 replies came, 1 none did, 2 errors." },
	{ "report", srtt_parse_report, srtt_cmd_report, 0, srtt_report_usage,
	  "Re-analyse the CSV of a probe run (sriov-rtt probe --csv FILE):\n"
	  "the same summary, from the stamps in the file; --svg draws the\n"
	  "chart probe --svg draws: each packet's components over time and\n"
	  "the RTT's CDF with the component medians." },
	{ "compare", srtt_parse_compare, srtt_cmd_compare, 0, srtt_compare_usage,
	  "Line up the components of saved probe runs (CSVs of sriov-rtt\n"
	  "probe --csv, 2 to 16), each named by the --label before it, else by\n"
	  "its file: per component and run the count, p50, p90 and p99 in us\n"
	  "(p90 from 10 values, p99 from 100), its error bound and impossible\n"
	  "values; for every run after the first its median minus the first's,\n"
	  "with the 95 % interval of that difference (both medians' sampling\n"
	  "and error bounds), \"moved\" when 0 lies outside; per run the\n"
	  "component that moved most. A component one run lacks (its stages\n"
	  "merged it with a neighbour, or were not seen) is \"not visible\".\n"
	  "--svg draws the medians stacked per run with the RTT's p50 and p90." },
	{ "help", NULL, NULL, 0, "help [COMMAND]",
	  "Show the usage of sriov-rtt or of one command." },
};

#define NR_CMDS	(sizeof(srtt_cmds) / sizeof(srtt_cmds[0]))

static const char exit_help[] =
	"Exit status: 0 ok, 1 usage error, 2 module not loaded, 3 not permitted,\n"
	"4 no such device in this network namespace, 5 device not attached,\n"
	"6 other kernel or system error.\n";

static void usage(FILE *fp)
{
	size_t i;

	fprintf(fp,
		"Usage: sriov-rtt [OPTIONS] COMMAND [ARGS]\n"
		"Options: -j, --json     JSON output\n"
		"         -p, --pretty   indent the JSON of -j (no effect without it)\n"
		"         -V, --version  print the version\n"
		"         -h, --help     this text\n"
		"Commands:\n");
	for (i = 0; i < NR_CMDS; i++)
		fprintf(fp, "       sriov-rtt %s\n", srtt_cmds[i].usage);
	fprintf(fp,
		"Commands may be abbreviated (\"dev\" is devices); \"sriov-rtt help COMMAND\"\n"
		"or \"sriov-rtt COMMAND --help\" describes one.\n%s",
		exit_help);
}

static void cmd_usage(FILE *fp, const struct srtt_command *c)
{
	fprintf(fp, "Usage: sriov-rtt [OPTIONS] %s\n%s\n%s", c->usage, c->help,
		exit_help);
}

static const struct srtt_command *cmd_lookup(const char *name)
{
	size_t i;

	for (i = 0; i < NR_CMDS; i++)
		if (srtt_matches(name, srtt_cmds[i].name))
			return &srtt_cmds[i];
	return NULL;
}

static int unknown_cmd(const char *name)
{
	size_t i;

	fprintf(stderr, "unknown command \"%s\"; commands are:", name);
	for (i = 0; i < NR_CMDS; i++)
		fprintf(stderr, " %s", srtt_cmds[i].name);
	fprintf(stderr, "; try: sriov-rtt help\n");
	return SRTT_EXIT_USAGE;
}

static bool is_help(const char *arg)
{
	return !strcmp(arg, "-h") || !strcmp(arg, "--help") ||
	       !strcmp(arg, "help");
}

static int run_help(int argc, char **argv)
{
	const struct srtt_command *c;

	if (argc == 0) {
		usage(stdout);
		return SRTT_EXIT_OK;
	}
	c = cmd_lookup(argv[0]);
	if (!c)
		return unknown_cmd(argv[0]);
	cmd_usage(stdout, c);
	return SRTT_EXIT_OK;
}

int srtt_main(int argc, char **argv)
{
	const struct srtt_command *c;
	bool json = false, pretty = false;
	struct srtt_args a;
	struct srtt_ctx ctx;
	int err;

	argc--;
	argv++;
	while (argc > 0 && argv[0][0] == '-') {
		const char *opt = argv[0];

		if (!strcmp(opt, "--")) {
			argc--;
			argv++;
			break;
		} else if (!strcmp(opt, "--json")) {
			json = true;
		} else if (!strcmp(opt, "--pretty")) {
			pretty = true;
		} else if (!strcmp(opt, "-V") || !strcmp(opt, "--version")) {
			printf("sriov-rtt %s\n", SRTT_VERSION);
			return SRTT_EXIT_OK;
		} else if (!strcmp(opt, "-h") || !strcmp(opt, "--help")) {
			usage(stdout);
			return SRTT_EXIT_OK;
		} else if (opt[1] && opt[1] != '-' &&
			   strspn(opt + 1, "jp") == strlen(opt + 1)) {
			/* -j, -p, -jp */
			json |= !!strchr(opt, 'j');
			pretty |= !!strchr(opt, 'p');
		} else {
			fprintf(stderr,
				"unknown option \"%s\"; options are -j (JSON), -p (indented, with -j), -V (version), -h (help); try: sriov-rtt help\n",
				opt);
			return SRTT_EXIT_USAGE;
		}
		argc--;
		argv++;
	}
	if (argc == 0) {
		fprintf(stderr, "sriov-rtt needs a command; try: sriov-rtt help\n");
		return SRTT_EXIT_USAGE;
	}

	c = cmd_lookup(argv[0]);
	if (!c)
		return unknown_cmd(argv[0]);
	if (!c->run)
		return run_help(argc - 1, argv + 1);
	if (argc > 1 && is_help(argv[1])) {
		cmd_usage(stdout, c);
		return SRTT_EXIT_OK;
	}

	/* every argument is checked before a socket is opened */
	srtt_args_init(&a);
	err = c->parse(c->name, argc - 1, argv + 1, &a);
	if (err)
		return err;

	err = srtt_ctx_init(&ctx, json, pretty, c->need);
	if (err)
		return err;
	err = c->run(&ctx, &a);
	srtt_ctx_fini(&ctx);
	return err;
}

#ifndef SRTT_NO_MAIN
int main(int argc, char **argv)
{
	return srtt_main(argc, argv);
}
#endif
