// SPDX-License-Identifier: GPL-2.0
/*
 * sriov-rtt: command lookup and argument checks. Every case here fails
 * (or asks for help) before a socket is opened: no network access.
 */

#include "util.h"
#include "lib/args.h"
#include "lib/names.h"
#include "sriov-rtt.h"

#define ARGV(...)	((char *[]){ "sriov-rtt", __VA_ARGS__, NULL })
#define ARGC(v)		({ int __n = 0; while ((v)[__n]) __n++; __n; })

struct run {
	char	**argv;
	char	*out, *err;
	int	ret;
};

static int call_main(void *arg)
{
	char **argv = arg;

	return srtt_main(ARGC(argv), argv);
}

static int call_capture_err(void *arg)
{
	struct run *r = arg;
	int ret;

	r->err = srtt_capture_fd(2, call_main, r->argv, &ret);
	return ret;
}

/* srtt_main() with stdout and stderr captured. */
static void run(struct run *r, char **argv)
{
	r->argv = argv;
	r->out = srtt_capture_fd(1, call_capture_err, r, &r->ret);
}

static void run_free(struct run *r)
{
	free(r->out);
	free(r->err);
}

static void test_matches(void)
{
	KTAP_EXPECT(srtt_matches("dev", "devices"), "prefix");
	KTAP_EXPECT(srtt_matches("devices", "devices"), "whole word");
	KTAP_EXPECT(!srtt_matches("devicesx", "devices"), "longer");
	KTAP_EXPECT(!srtt_matches("", "devices"), "empty");
	KTAP_EXPECT(!srtt_matches("dex", "devices"), "mismatch");
}

/* The table order decides: d = devices, det = detach, h = hist. */
static void test_command_prefixes(void)
{
	static const struct { const char *word, *usage; } t[] = {
		{ "d", "sriov-rtt [OPTIONS] devices\n" },
		{ "dev", "sriov-rtt [OPTIONS] devices\n" },
		{ "det", "sriov-rtt [OPTIONS] detach DEV\n" },
		{ "a", "sriov-rtt [OPTIONS] attach DEV [stages LIST]\n" },
		{ "s", "sriov-rtt [OPTIONS] stats [DEV]\n" },
		{ "h", "sriov-rtt [OPTIONS] hist [DEV [FROM TO]] [--prometheus FILE]\n" },
		{ "c", "sriov-rtt [OPTIONS] config [show]\n" },
		{ "w", "sriov-rtt [OPTIONS] watch [DEV | id N]" },
	};
	unsigned int i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct run r;

		run(&r, ARGV((char *)t[i].word, "--help"));
		KTAP_EXPECT_EQ(r.ret, SRTT_EXIT_OK);
		KTAP_EXPECT_CONTAINS(r.out, t[i].usage);
		run_free(&r);
	}
}

static void test_unknown_command(void)
{
	struct run r;

	run(&r, ARGV("frobnicate"));
	KTAP_EXPECT_EQ(r.ret, SRTT_EXIT_USAGE);
	KTAP_EXPECT_CONTAINS(r.err, "unknown command \"frobnicate\"");
	KTAP_EXPECT_CONTAINS(r.err, "try: sriov-rtt help");
	KTAP_EXPECT_CONTAINS(r.err, "devices attach detach");
	KTAP_EXPECT_STR(r.out, "");
	run_free(&r);

	run(&r, ARGV("help", "frobnicate"));
	KTAP_EXPECT_EQ(r.ret, SRTT_EXIT_USAGE);
	run_free(&r);
}

static void test_options(void)
{
	struct run r;

	run(&r, ARGV("-x"));
	KTAP_EXPECT_EQ(r.ret, SRTT_EXIT_USAGE);
	KTAP_EXPECT_CONTAINS(r.err, "unknown option \"-x\"");
	run_free(&r);

	run(&r, ARGV("-j"));
	KTAP_EXPECT_EQ(r.ret, SRTT_EXIT_USAGE);
	KTAP_EXPECT_CONTAINS(r.err, "needs a command");
	run_free(&r);

	run(&r, ARGV("-V"));
	KTAP_EXPECT_EQ(r.ret, SRTT_EXIT_OK);
	KTAP_EXPECT_STR(r.out, "sriov-rtt " SRTT_VERSION "\n");
	run_free(&r);

	run(&r, ARGV("-h"));
	KTAP_EXPECT_EQ(r.ret, SRTT_EXIT_OK);
	KTAP_EXPECT_CONTAINS(r.out, "Usage: sriov-rtt [OPTIONS] COMMAND");
	KTAP_EXPECT_CONTAINS(r.out, "2 module not loaded");
	run_free(&r);

	run(&r, ARGV("help", "hist"));
	KTAP_EXPECT_EQ(r.ret, SRTT_EXIT_OK);
	KTAP_EXPECT_CONTAINS(r.out, "sriov-rtt hist reset");
	run_free(&r);
}

static void test_dev_args(void)
{
	struct run r;

	run(&r, ARGV("attach"));
	KTAP_EXPECT_EQ(r.ret, SRTT_EXIT_USAGE);
	KTAP_EXPECT_CONTAINS(r.err, "attach needs a device: sriov-rtt attach DEV");
	run_free(&r);

	run(&r, ARGV("detach", "eth0", "eth1"));
	KTAP_EXPECT_EQ(r.ret, SRTT_EXIT_USAGE);
	KTAP_EXPECT_CONTAINS(r.err, "unexpected argument \"eth1\"");
	run_free(&r);

	run(&r, ARGV("attach", "averyveryverylongname"));
	KTAP_EXPECT_EQ(r.ret, SRTT_EXIT_USAGE);
	KTAP_EXPECT_CONTAINS(r.err, "is not a device name");
	run_free(&r);

	run(&r, ARGV("devices", "eth0"));
	KTAP_EXPECT_EQ(r.ret, SRTT_EXIT_USAGE);
	run_free(&r);

	/* attach DEV stages LIST: a bad stage is named, a missing LIST said */
	run(&r, ARGV("attach", "eth0", "stages", "tx_drv,bogus"));
	KTAP_EXPECT_EQ(r.ret, SRTT_EXIT_USAGE);
	KTAP_EXPECT_CONTAINS(r.err, "attach: stages: 'bogus' is no stage");
	run_free(&r);
	run(&r, ARGV("attach", "eth0", "stages"));
	KTAP_EXPECT_EQ(r.ret, SRTT_EXIT_USAGE);
	KTAP_EXPECT_CONTAINS(r.err, "stages needs a LIST");
	run_free(&r);
	run(&r, ARGV("attach", "eth0", "stages", "all", "x"));
	KTAP_EXPECT_EQ(r.ret, SRTT_EXIT_USAGE);
	KTAP_EXPECT_CONTAINS(r.err, "unexpected argument \"x\"");
	run_free(&r);
	{
		struct srtt_args a;
		char buf[256];

		srtt_args_init(&a);
		KTAP_EXPECT_EQ(srtt_parse_attach("attach", 3, (char *[]){
			"eth0", "stages", "rx_drv,tx_drv" }, &a), SRTT_EXIT_OK);
		KTAP_EXPECT(a.stages == (1U << SRTT_STAGE_TX_DRV |
					 1U << SRTT_STAGE_RX_DRV) &&
			    !strcmp(srtt_stages_str(a.stages, buf, sizeof(buf)),
				    "tx_drv,rx_drv"), "stages %#x", a.stages);
		srtt_args_init(&a);
		KTAP_EXPECT_EQ(srtt_parse_attach("attach", 3, (char *[]){
			"eth0", "stages", "default,rx_nf_ingress" }, &a),
			SRTT_EXIT_OK);
		KTAP_EXPECT_EQ(a.stages, SRTT_STAGES_DEFAULT |
			       1U << SRTT_STAGE_RX_NF_INGRESS);
		srtt_args_init(&a);
		KTAP_EXPECT_EQ(srtt_parse_attach("attach", 1, (char *[]){
			"eth0" }, &a), SRTT_EXIT_OK);
		KTAP_EXPECT_EQ(a.stages, 0);	/* the module's default */
		KTAP_EXPECT_STR(srtt_stages_str(SRTT_STAGES_DEFAULT, buf,
						sizeof(buf)), "default");
	}

	run(&r, ARGV("stats", "eth0", "eth1"));
	KTAP_EXPECT_EQ(r.ret, SRTT_EXIT_USAGE);
	run_free(&r);

	KTAP_EXPECT(srtt_dev_name_valid("eth0"), "eth0");
	KTAP_EXPECT(srtt_dev_name_valid("123456789012345"), "15 chars");
	KTAP_EXPECT(!srtt_dev_name_valid("1234567890123456"), "16 chars");
	KTAP_EXPECT(!srtt_dev_name_valid(""), "empty");
	KTAP_EXPECT(!srtt_dev_name_valid("a/b"), "slash");
	KTAP_EXPECT(!srtt_dev_name_valid("a b"), "space");
	KTAP_EXPECT(!srtt_dev_name_valid(".."), "dotdot");
}

static void test_hist_stages(void)
{
	struct srtt_args a;
	struct run r;

	/* names in enum order, and the list errors show */
	KTAP_EXPECT_EQ(srtt_stage_lookup("tx_nf_egress"), SRTT_STAGE_TX_NF_EGRESS);
	KTAP_EXPECT_EQ(srtt_stage_lookup("tx_drv_done"), SRTT_STAGE_TX_DRV_DONE);
	KTAP_EXPECT_EQ(srtt_stage_lookup("rx_nf_ingress"), SRTT_STAGE_RX_NF_INGRESS);
	KTAP_EXPECT_EQ(srtt_stage_lookup("tx_dr"), -1);
	KTAP_EXPECT_EQ(srtt_stage_lookup("TX_DRV"), -1);
	{
		char list[256] = "";
		int i;

		for (i = 0; i < __SRTT_STAGE_MAX; i++) {
			strcat(list, i ? " " : "");
			strcat(list, srtt_stage_name(i));
		}
		KTAP_EXPECT_STR(srtt_stage_list(), list);
	}

	srtt_args_init(&a);
	KTAP_EXPECT_EQ(srtt_parse_hist("hist", 3,
				       (char *[]){ "eth0", "tx_drv", "tx_drv_done" },
				       &a), SRTT_EXIT_OK);
	KTAP_EXPECT_EQ(a.from, SRTT_STAGE_TX_DRV);
	KTAP_EXPECT_EQ(a.to, SRTT_STAGE_TX_DRV_DONE);
	KTAP_EXPECT_STR(a.dev, "eth0");

	/* --prometheus FILE anywhere among the words, once, not with reset */
	srtt_args_init(&a);
	KTAP_EXPECT_EQ(srtt_parse_hist("hist", 5,
				       (char *[]){ "eth0", "--prometheus", "m.prom",
						   "tx_drv", "tx_drv_done" },
				       &a), SRTT_EXIT_OK);
	KTAP_EXPECT(a.prom && !strcmp(a.prom, "m.prom") &&
		    a.from == SRTT_STAGE_TX_DRV, "--prometheus between DEV and FROM");
	run(&r, ARGV("hist", "--prometheus"));
	KTAP_EXPECT_EQ(r.ret, SRTT_EXIT_USAGE);
	KTAP_EXPECT_CONTAINS(r.err, "--prometheus needs a FILE");
	run_free(&r);
	run(&r, ARGV("hist", "--prometheus", "a", "--prometheus", "b"));
	KTAP_EXPECT_EQ(r.ret, SRTT_EXIT_USAGE);
	KTAP_EXPECT_CONTAINS(r.err, "--prometheus twice");
	run_free(&r);
	run(&r, ARGV("hist", "reset", "--prometheus", "a"));
	KTAP_EXPECT_EQ(r.ret, SRTT_EXIT_USAGE);
	KTAP_EXPECT_CONTAINS(r.err, "hist reset has none");
	run_free(&r);

	srtt_args_init(&a);
	KTAP_EXPECT_EQ(srtt_parse_hist("hist", 3,
				       (char *[]){ "vf0", "rx_irq", "rx_nf_ingress" },
				       &a), SRTT_EXIT_OK);
	srtt_args_init(&a);
	KTAP_EXPECT_EQ(srtt_parse_hist("hist", 1, (char *[]){ "reset" }, &a),
		       SRTT_EXIT_OK);
	KTAP_EXPECT(a.reset, "hist reset");
	srtt_args_init(&a);
	KTAP_EXPECT_EQ(srtt_parse_hist("hist", 0, NULL, &a), SRTT_EXIT_OK);
	KTAP_EXPECT(!a.dev && a.from < 0, "no filter");

	run(&r, ARGV("hist", "eth0", "tx_drv", "bogus"));
	KTAP_EXPECT_EQ(r.ret, SRTT_EXIT_USAGE);
	KTAP_EXPECT_CONTAINS(r.err, "unknown stage \"bogus\"; stages are: tx_nf_egress");
	run_free(&r);

	/* across directions, backwards, the same stage */
	run(&r, ARGV("hist", "eth0", "tx_drv", "rx_irq"));
	KTAP_EXPECT_EQ(r.ret, SRTT_EXIT_USAGE);
	KTAP_EXPECT_CONTAINS(r.err, "no histogram from tx_drv to rx_irq");
	KTAP_EXPECT_CONTAINS(r.err, "e.g. sriov-rtt hist eth0 tx_drv tx_drv_done");
	run_free(&r);
	run(&r, ARGV("hist", "eth0", "tx_drv_done", "tx_drv"));
	KTAP_EXPECT_EQ(r.ret, SRTT_EXIT_USAGE);
	run_free(&r);
	run(&r, ARGV("hist", "eth0", "rx_drv", "rx_drv"));
	KTAP_EXPECT_EQ(r.ret, SRTT_EXIT_USAGE);
	run_free(&r);

	run(&r, ARGV("hist", "eth0", "tx_drv"));
	KTAP_EXPECT_EQ(r.ret, SRTT_EXIT_USAGE);
	KTAP_EXPECT_CONTAINS(r.err, "FROM needs a TO stage");
	run_free(&r);
	run(&r, ARGV("hist", "eth0", "tx_drv", "tx_done", "x"));
	KTAP_EXPECT_EQ(r.ret, SRTT_EXIT_USAGE);
	run_free(&r);
	run(&r, ARGV("hist", "reset", "now"));
	KTAP_EXPECT_EQ(r.ret, SRTT_EXIT_USAGE);
	run_free(&r);

	KTAP_EXPECT(srtt_pair_valid(SRTT_STAGE_TX_NF_EGRESS, SRTT_STAGE_TX_HW),
		    "tx pair");
	KTAP_EXPECT(!srtt_pair_valid(SRTT_STAGE_TX_HW, SRTT_STAGE_RX_HW),
		    "tx to rx");
}

static int parse_config(struct srtt_args *a, const char *key,
			const char *value)
{
	char *argv[] = { "set", (char *)key, (char *)value, NULL };

	srtt_args_init(a);
	return srtt_parse_config("config", 3, argv, a);
}

static int quiet_config(void *arg)
{
	char **kv = arg;
	struct srtt_args a;

	return parse_config(&a, kv[0], kv[1]);
}

/* srtt_parse_config() with stderr captured; returns its exit code. */
static int config(const char *key, const char *value, char **err)
{
	char *kv[] = { (char *)key, (char *)value };
	int ret;
	char *e = srtt_capture_fd(2, quiet_config, kv, &ret);

	if (err)
		*err = e;
	else
		free(e);
	return ret;
}

static void test_config_bounds(void)
{
	struct srtt_args a;
	char *err;

	KTAP_EXPECT_EQ(config("stamp_port", "0", &err), SRTT_EXIT_USAGE);
	KTAP_EXPECT_CONTAINS(err, "stamp_port must be from 1 to 65535, not 0; e.g. sriov-rtt config set stamp_port 862");
	free(err);
	KTAP_EXPECT_EQ(config("stamp_port", "1", NULL), SRTT_EXIT_OK);
	KTAP_EXPECT_EQ(config("stamp_port", "65535", NULL), SRTT_EXIT_OK);
	KTAP_EXPECT_EQ(config("stamp_port", "65536", NULL), SRTT_EXIT_USAGE);
	KTAP_EXPECT_EQ(config("sample", "0", NULL), SRTT_EXIT_OK);
	KTAP_EXPECT_EQ(config("sample", "1000000", NULL), SRTT_EXIT_OK);
	KTAP_EXPECT_EQ(config("sample", "1000001", NULL), SRTT_EXIT_USAGE);
	KTAP_EXPECT_EQ(config("ring_size", "64", NULL), SRTT_EXIT_OK);
	KTAP_EXPECT_EQ(config("ring_size", "1048576", NULL), SRTT_EXIT_OK);
	KTAP_EXPECT_EQ(config("ring_size", "32", NULL), SRTT_EXIT_USAGE);
	KTAP_EXPECT_EQ(config("ring_size", "2097152", NULL), SRTT_EXIT_USAGE);
	KTAP_EXPECT_EQ(config("ring_size", "100", &err), SRTT_EXIT_USAGE);
	KTAP_EXPECT_CONTAINS(err, "ring_size must be a power of two from 64 to 1048576, not 100");
	free(err);
	/* not numbers */
	KTAP_EXPECT_EQ(config("sample", "abc", &err), SRTT_EXIT_USAGE);
	KTAP_EXPECT_CONTAINS(err, "sample takes a decimal number, not \"abc\"");
	free(err);
	KTAP_EXPECT_EQ(config("sample", "-1", NULL), SRTT_EXIT_USAGE);
	KTAP_EXPECT_EQ(config("sample", "1e3", NULL), SRTT_EXIT_USAGE);
	KTAP_EXPECT_EQ(config("sample", " 5", NULL), SRTT_EXIT_USAGE);
	KTAP_EXPECT_EQ(config("sample", "", NULL), SRTT_EXIT_USAGE);
	KTAP_EXPECT_EQ(config("sample", "18446744073709551616", NULL),
		       SRTT_EXIT_USAGE);
	/* keys: prefixes in table order, unknown ones refused */
	KTAP_EXPECT_EQ(parse_config(&a, "ring", "4096"), SRTT_EXIT_OK);
	KTAP_EXPECT_EQ(a.key, SRTT_SETTING_RING_SIZE);
	KTAP_EXPECT_EQ(a.value, 4096);
	KTAP_EXPECT(a.set, "set");
	KTAP_EXPECT_EQ(parse_config(&a, "sa", "7"), SRTT_EXIT_OK);
	KTAP_EXPECT_EQ(a.key, SRTT_SETTING_SAMPLE);
	KTAP_EXPECT_EQ(config("bogus", "1", &err), SRTT_EXIT_USAGE);
	KTAP_EXPECT_CONTAINS(err, "unknown key \"bogus\"");
	free(err);

	/* through the command line */
	{
		struct run r;

		run(&r, ARGV("config", "set", "sample"));
		KTAP_EXPECT_EQ(r.ret, SRTT_EXIT_USAGE);
		KTAP_EXPECT_CONTAINS(r.err, "config set needs a key and a value");
		run_free(&r);
		run(&r, ARGV("config", "set", "ring_size", "65"));
		KTAP_EXPECT_EQ(r.ret, SRTT_EXIT_USAGE);
		run_free(&r);
		run(&r, ARGV("config", "frob"));
		KTAP_EXPECT_EQ(r.ret, SRTT_EXIT_USAGE);
		run_free(&r);
	}
}

static int parse_watch(void *arg)
{
	char **argv = arg;
	struct srtt_args a;

	srtt_args_init(&a);
	return srtt_parse_watch("watch", ARGC(argv), argv, &a);
}

static int watch_ret(char **argv)
{
	int ret;

	free(srtt_capture_fd(2, parse_watch, argv, &ret));
	return ret;
}

static void test_watch_args(void)
{
	struct srtt_args a;

	srtt_args_init(&a);
	KTAP_EXPECT_EQ(srtt_parse_watch("watch", 5,
					(char *[]){ "eth0", "--count", "10",
						    "--duration", "1.5" }, &a),
		       SRTT_EXIT_OK);
	KTAP_EXPECT_STR(a.dev, "eth0");
	KTAP_EXPECT_EQ(a.count, 10);
	KTAP_EXPECT_EQ(a.duration_ms, 1500);
	srtt_args_init(&a);
	KTAP_EXPECT_EQ(srtt_parse_watch("watch", 2, (char *[]){ "id", "3" },
					&a), SRTT_EXIT_OK);
	KTAP_EXPECT_EQ(a.dev_id, 3);
	KTAP_EXPECT(!a.dev, "no name");

	KTAP_EXPECT_EQ(watch_ret((char *[]){ "--count", "0", NULL }),
		       SRTT_EXIT_USAGE);
	KTAP_EXPECT_EQ(watch_ret((char *[]){ "--count", NULL }),
		       SRTT_EXIT_USAGE);
	KTAP_EXPECT_EQ(watch_ret((char *[]){ "--duration", "0", NULL }),
		       SRTT_EXIT_USAGE);
	KTAP_EXPECT_EQ(watch_ret((char *[]){ "--duration", "-1", NULL }),
		       SRTT_EXIT_USAGE);
	KTAP_EXPECT_EQ(watch_ret((char *[]){ "--duration", "nan", NULL }),
		       SRTT_EXIT_USAGE);
	KTAP_EXPECT_EQ(watch_ret((char *[]){ "id", "256", NULL }),
		       SRTT_EXIT_USAGE);
	KTAP_EXPECT_EQ(watch_ret((char *[]){ "eth0", "id", "1", NULL }),
		       SRTT_EXIT_USAGE);
	KTAP_EXPECT_EQ(watch_ret((char *[]){ "eth0", "eth1", NULL }),
		       SRTT_EXIT_USAGE);
	KTAP_EXPECT_EQ(watch_ret((char *[]){ "--bogus", NULL }),
		       SRTT_EXIT_USAGE);
}

/* probe's words through srtt_main(): its error, naming the argument */
static void probe_fails(char **argv, const char *needle)
{
	struct run r;

	run(&r, argv);
	KTAP_EXPECT_EQ(r.ret, SRTT_PROBE_EXIT_ERROR);
	KTAP_EXPECT_CONTAINS(r.err, needle);
	KTAP_EXPECT_STR(r.out, "");
	run_free(&r);
}

static void test_probe_args(void)
{
	struct srtt_args a;

	srtt_args_init(&a);
	KTAP_EXPECT_EQ(srtt_parse_probe("probe", 1, (char *[]){ "h" }, &a),
		       SRTT_EXIT_OK);
	KTAP_EXPECT_STR(a.probe.target, "h");
	KTAP_EXPECT_STR(a.probe.port, "862");
	KTAP_EXPECT_EQ(a.probe.count, 10);
	KTAP_EXPECT_EQ(a.probe.interval_ns, 100000000);
	KTAP_EXPECT_EQ(a.probe.timeout_ns, 2000000000);
	KTAP_EXPECT_EQ(a.probe.size, SRTT_PROBE_TLV_SIZE);
	KTAP_EXPECT_EQ(a.probe.dscp, -1);
	KTAP_EXPECT(a.probe.ssid != 0, "a random SSID, never 0");

	srtt_args_init(&a);
	KTAP_EXPECT_EQ(srtt_parse_probe("probe", 16,
					(char *[]){ "-c", "5", "-i", "0.02",
						    "-W", "1", "-s", "1000",
						    "--port", "8620", "--ssid",
						    "7", "h", "--csv", "x.csv",
						    "--plain" }, &a),
		       SRTT_EXIT_OK);
	KTAP_EXPECT_EQ(a.probe.count, 5);
	KTAP_EXPECT_EQ(a.probe.interval_ns, 20000000);
	KTAP_EXPECT_EQ(a.probe.timeout_ns, 1000000000);
	KTAP_EXPECT_EQ(a.probe.size, 1000);
	KTAP_EXPECT_STR(a.probe.port, "8620");
	KTAP_EXPECT_EQ(a.probe.ssid, 7);
	KTAP_EXPECT_STR(a.csv, "x.csv");
	KTAP_EXPECT(a.probe.plain && !a.svg, "--plain, no --svg");
	srtt_args_init(&a);
	KTAP_EXPECT_EQ(srtt_parse_probe("probe", 2, (char *[]){ "h", "--plain" },
					&a), SRTT_EXIT_OK);
	KTAP_EXPECT_EQ(a.probe.size, SRTT_STAMP_HLEN);

	probe_fails(ARGV("probe"), "probe needs a TARGET");
	probe_fails(ARGV("probe", "a", "b"), "one TARGET only, \"b\"");
	probe_fails(ARGV("probe", "h", "--bogus"), "unknown option \"--bogus\"");
	probe_fails(ARGV("probe", "h", "-c"), "--count needs a value");
	probe_fails(ARGV("probe", "h", "-c", "0"), "--count takes a number");
	probe_fails(ARGV("probe", "h", "-i", "-1"), "--interval takes seconds");
	probe_fails(ARGV("probe", "h", "-W", "0"), "--timeout takes seconds");
	probe_fails(ARGV("probe", "h", "--port", "65536"), "\"65536\"");
	probe_fails(ARGV("probe", "h", "-s", "46"), "--size takes 44, or 48");
	probe_fails(ARGV("probe", "h", "-s", "64"), "--plain sends none");
	probe_fails(ARGV("probe", "h", "--dscp", "64"), "--dscp takes a DSCP");
	probe_fails(ARGV("probe", "h", "--ssid", "x"), "--ssid takes an SSID");
}

static void test_report_args(void)
{
	struct srtt_args a;
	struct run r;

	srtt_args_init(&a);
	KTAP_EXPECT_EQ(srtt_parse_report("report", 3,
					 (char *[]){ "run.csv", "--svg", "o.svg" },
					 &a), SRTT_EXIT_OK);
	KTAP_EXPECT_STR(a.file, "run.csv");
	KTAP_EXPECT_STR(a.svg, "o.svg");

	run(&r, ARGV("report"));
	KTAP_EXPECT_EQ(r.ret, SRTT_EXIT_USAGE);
	KTAP_EXPECT_CONTAINS(r.err, "report needs a FILE");
	run_free(&r);
	run(&r, ARGV("report", "a", "b"));
	KTAP_EXPECT_EQ(r.ret, SRTT_EXIT_USAGE);
	KTAP_EXPECT_CONTAINS(r.err, "one FILE only");
	run_free(&r);
	/* -p indents -j's JSON and is no JSON switch of its own */
	{
		char csv[] = "/tmp/test_args.csv.XXXXXX";
		int fd = mkstemp(csv);
		static const char rows[] =
			"seq,flags,t1_ns,t2_ns,t3_ns,t4_ns\n"
			"0,sent|received|same_boot,1000,2000,3000,5000\n";

		if (fd < 0 || write(fd, rows, sizeof(rows) - 1) != sizeof(rows) - 1)
			abort();
		close(fd);
		run(&r, ARGV("-p", "report", csv));
		KTAP_EXPECT_EQ(r.ret, SRTT_EXIT_OK);
		KTAP_EXPECT(r.out && r.out[0] != '{', "-p alone: text, got %.40s", r.out);
		run_free(&r);
		run(&r, ARGV("-jp", "report", csv));
		KTAP_EXPECT_EQ(r.ret, SRTT_EXIT_OK);
		KTAP_EXPECT(r.out && r.out[0] == '{' && strstr(r.out, "\n  \""),
			    "-jp: indented JSON, got %.40s", r.out);
		run_free(&r);
		unlink(csv);
	}
	run(&r, ARGV("report", "a", "--svg"));
	KTAP_EXPECT_EQ(r.ret, SRTT_EXIT_USAGE);
	KTAP_EXPECT_CONTAINS(r.err, "--svg needs a FILE; usage: sriov-rtt report FILE [--svg OUT]");
	run_free(&r);
}

static void test_parse_u64(void)
{
	uint64_t v = 0;

	KTAP_EXPECT_EQ(srtt_parse_u64("18446744073709551615", &v), 0);
	KTAP_EXPECT_EQ(v, UINT64_MAX);
	KTAP_EXPECT_EQ(srtt_parse_u64("0", &v), 0);
	KTAP_EXPECT_EQ(v, 0);
	KTAP_EXPECT_EQ(srtt_parse_u64("18446744073709551616", &v), -1);
	KTAP_EXPECT_EQ(srtt_parse_u64("+1", &v), -1);
	KTAP_EXPECT_EQ(srtt_parse_u64("0x10", &v), -1);
}

static const struct ktap_case cases[] = {
	KTAP_CASE(test_matches),
	KTAP_CASE(test_command_prefixes),
	KTAP_CASE(test_unknown_command),
	KTAP_CASE(test_options),
	KTAP_CASE(test_dev_args),
	KTAP_CASE(test_hist_stages),
	KTAP_CASE(test_config_bounds),
	KTAP_CASE(test_watch_args),
	KTAP_CASE(test_probe_args),
	KTAP_CASE(test_report_args),
	KTAP_CASE(test_parse_u64),
};

int main(void)
{
	return KTAP_RUN(cases);
}
