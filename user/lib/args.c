// SPDX-License-Identifier: GPL-2.0
/* sriov-rtt: command arguments, checked before anything is sent. */

#include <errno.h>
#include <math.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/random.h>

#include "args.h"
#include "names.h"

#define WATCH_MAX_SECONDS	(100.0 * 365 * 24 * 3600)

void srtt_args_init(struct srtt_args *a)
{
	memset(a, 0, sizeof(*a));
	a->dev_id = -1;
	a->from = -1;
	a->to = -1;
	a->key = -1;
}

/* Plain decimal, no sign, no spaces, no overflow. */
int srtt_parse_u64(const char *s, uint64_t *v)
{
	uint64_t n = 0;

	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		if (n > (UINT64_MAX - (uint64_t)(*s - '0')) / 10)
			return -1;
		n = n * 10 + (uint64_t)(*s - '0');
	}
	*v = n;
	return 0;
}

/* As the kernel's dev_valid_name(). */
bool srtt_dev_name_valid(const char *name)
{
	size_t len = strlen(name);

	if (!len || len >= IFNAMSIZ || !strcmp(name, ".") ||
	    !strcmp(name, ".."))
		return false;
	for (; *name; name++)
		if (*name == '/' || *name == ':' || *name == ' ' ||
		    (*name >= '\t' && *name <= '\r'))
			return false;
	return true;
}

static int check_dev(const char *cmd, const char *name)
{
	if (srtt_dev_name_valid(name))
		return SRTT_EXIT_OK;
	fprintf(stderr,
		"%s: \"%s\" is not a device name: a name has 1-%d characters and no '/', ':' or spaces; 'sriov-rtt devices' lists the SR-IOV devices\n",
		cmd, name, IFNAMSIZ - 1);
	return SRTT_EXIT_USAGE;
}

static int unexpected(const char *cmd, const char *arg, const char *usage)
{
	fprintf(stderr, "%s: unexpected argument \"%s\"; usage: sriov-rtt %s\n",
		cmd, arg, usage);
	return SRTT_EXIT_USAGE;
}

int srtt_parse_none(const char *cmd, int argc, char **argv,
		    struct srtt_args *a)
{
	(void)a;
	if (argc > 0)
		return unexpected(cmd, argv[0], cmd);
	return SRTT_EXIT_OK;
}

int srtt_parse_dev(const char *cmd, int argc, char **argv,
		   struct srtt_args *a)
{
	if (argc < 1) {
		fprintf(stderr,
			"%s needs a device: sriov-rtt %s DEV ('sriov-rtt devices' lists them)\n",
			cmd, cmd);
		return SRTT_EXIT_USAGE;
	}
	if (argc > 1) {
		char usage[64];

		snprintf(usage, sizeof(usage), "%s DEV", cmd);
		return unexpected(cmd, argv[1], usage);
	}
	a->dev = argv[0];
	return check_dev(cmd, a->dev);
}

/* attach DEV [stages LIST] */
int srtt_parse_attach(const char *cmd, int argc, char **argv,
		      struct srtt_args *a)
{
	char why[512];
	int err;

	if (argc < 2 || strcmp(argv[1], "stages"))
		return srtt_parse_dev(cmd, argc, argv, a);
	if (argc == 2) {
		fprintf(stderr, "%s: stages needs a LIST: default, all, or "
			"stage names joined by ','\n", cmd);
		return SRTT_EXIT_USAGE;
	}
	if (argc > 3)
		return unexpected(cmd, argv[3], "attach DEV [stages LIST]");
	err = srtt_parse_dev(cmd, 1, argv, a);
	if (err)
		return err;
	if (srtt_stages_parse(argv[2], &a->stages, why, sizeof(why))) {
		fprintf(stderr, "%s: stages: %s\n", cmd, why);
		return SRTT_EXIT_USAGE;
	}
	return SRTT_EXIT_OK;
}

int srtt_parse_opt_dev(const char *cmd, int argc, char **argv,
		       struct srtt_args *a)
{
	if (argc > 1) {
		char usage[64];

		snprintf(usage, sizeof(usage), "%s [DEV]", cmd);
		return unexpected(cmd, argv[1], usage);
	}
	if (argc == 1) {
		a->dev = argv[0];
		return check_dev(cmd, a->dev);
	}
	return SRTT_EXIT_OK;
}

static int parse_stage(const char *cmd, const char *name, int *stage)
{
	*stage = srtt_stage_lookup(name);
	if (*stage >= 0)
		return SRTT_EXIT_OK;
	fprintf(stderr, "%s: unknown stage \"%s\"; stages are: %s\n",
		cmd, name, srtt_stage_list());
	return SRTT_EXIT_USAGE;
}

/* hist [DEV [FROM TO]] with --prometheus FILE anywhere among them */
static int parse_hist_words(const char *cmd, int argc, char **argv,
			    struct srtt_args *a);

int srtt_parse_hist(const char *cmd, int argc, char **argv,
		    struct srtt_args *a)
{
	char *words[4];
	int i, n = 0;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--prometheus")) {
			if (i + 1 >= argc || a->prom) {
				fprintf(stderr, "%s: %s; usage: sriov-rtt hist [DEV [FROM TO]] [--prometheus FILE]\n",
					cmd, a->prom ? "--prometheus twice" :
					"--prometheus needs a FILE");
				return SRTT_EXIT_USAGE;
			}
			a->prom = argv[++i];
		} else if (n == 4) {
			return unexpected(cmd, argv[i], "hist [DEV [FROM TO]] [--prometheus FILE] | hist reset");
		} else {
			words[n++] = argv[i];
		}
	}
	if (a->prom && n && !strcmp(words[0], "reset")) {
		fprintf(stderr, "%s: --prometheus writes histograms; hist reset has none\n",
			cmd);
		return SRTT_EXIT_USAGE;
	}
	return parse_hist_words(cmd, n, words, a);
}

static int parse_hist_words(const char *cmd, int argc, char **argv,
			    struct srtt_args *a)
{
	int err;

	if (argc >= 1 && !strcmp(argv[0], "reset")) {
		if (argc > 1)
			return unexpected(cmd, argv[1], "hist reset");
		a->reset = true;
		return SRTT_EXIT_OK;
	}
	if (argc == 0)
		return SRTT_EXIT_OK;
	a->dev = argv[0];
	err = check_dev(cmd, a->dev);
	if (err)
		return err;
	if (argc == 1)
		return SRTT_EXIT_OK;
	if (argc == 2) {
		fprintf(stderr,
			"%s: FROM needs a TO stage: sriov-rtt hist %s %s TO, e.g. sriov-rtt hist %s tx_drv tx_drv_done\n",
			cmd, a->dev, argv[1], a->dev);
		return SRTT_EXIT_USAGE;
	}
	if (argc > 3)
		return unexpected(cmd, argv[3], "hist [DEV [FROM TO]] | hist reset");
	err = parse_stage(cmd, argv[1], &a->from);
	if (!err)
		err = parse_stage(cmd, argv[2], &a->to);
	if (err)
		return err;
	if (!srtt_pair_valid(a->from, a->to)) {
		fprintf(stderr,
			"%s: no histogram from %s to %s: FROM and TO are both tx_ or both rx_ stages, FROM first in the order '%s', e.g. sriov-rtt hist %s tx_drv tx_drv_done\n",
			cmd, argv[1], argv[2], srtt_stage_list(), a->dev);
		return SRTT_EXIT_USAGE;
	}
	return SRTT_EXIT_OK;
}

/* 0 if @v is a good value for @key, else prints why and returns usage. */
int srtt_cfg_check(int key, uint64_t v)
{
	const struct srtt_setting *d = &srtt_settings[key];

	if (v >= d->min && v <= d->max && (!d->pow2 || !(v & (v - 1))))
		return SRTT_EXIT_OK;
	fprintf(stderr,
		"config set: %s must be %sfrom %llu to %llu, not %llu; e.g. sriov-rtt config set %s %s\n",
		d->name, d->pow2 ? "a power of two " : "",
		(unsigned long long)d->min, (unsigned long long)d->max,
		(unsigned long long)v, d->name, d->example);
	return SRTT_EXIT_USAGE;
}

int srtt_parse_config(const char *cmd, int argc, char **argv,
		      struct srtt_args *a)
{
	static const char usage[] =
		"config [show | set stamp_port|sample|ring_size VALUE]";
	const struct srtt_setting *d;
	int i;

	if (argc == 0)
		return SRTT_EXIT_OK;
	/* "s" is "set": the command table order, as iproute2 */
	if (!srtt_matches(argv[0], "set")) {
		if (!srtt_matches(argv[0], "show"))
			return unexpected(cmd, argv[0], usage);
		return argc > 1 ? unexpected(cmd, argv[1], usage) :
				  SRTT_EXIT_OK;
	}
	a->set = true;
	if (argc < 3) {
		fprintf(stderr,
			"config set needs a key and a value: sriov-rtt config set stamp_port|sample|ring_size VALUE, e.g. sriov-rtt config set sample 100\n");
		return SRTT_EXIT_USAGE;
	}
	if (argc > 3)
		return unexpected(cmd, argv[3], usage);
	for (i = 0; i < SRTT_NR_SETTINGS; i++)
		if (srtt_matches(argv[1], srtt_settings[i].name))
			break;
	if (i == SRTT_NR_SETTINGS) {
		fprintf(stderr,
			"config set: unknown key \"%s\"; keys are " SRTT_SETTING_NAMES "\n",
			argv[1]);
		return SRTT_EXIT_USAGE;
	}
	a->key = i;
	d = &srtt_settings[i];
	if (srtt_parse_u64(argv[2], &a->value)) {
		fprintf(stderr,
			"config set: %s takes a decimal number, not \"%s\"; e.g. sriov-rtt config set %s %s\n",
			d->name, argv[2], d->name, d->example);
		return SRTT_EXIT_USAGE;
	}
	return srtt_cfg_check(i, a->value);
}

/* Seconds, "2" or "0.1": no sign, finite, above 0 (or 0 if @zero_ok), up to @max. */
static int parse_seconds(const char *s, double max, bool zero_ok, double *d)
{
	char *end;

	if (!*s || *s == '-' || *s == '+' || *s == ' ')
		return -1;
	errno = 0;
	*d = strtod(s, &end);
	if (errno || *end || !isfinite(*d) || *d < 0 || (!zero_ok && *d == 0) ||
	    *d > max)
		return -1;
	return 0;
}

static int parse_duration(const char *s, uint64_t *ms)
{
	double d;

	if (parse_seconds(s, WATCH_MAX_SECONDS, false, &d))
		return -1;
	*ms = (uint64_t)ceil(d * 1000.0);
	return 0;
}

const char srtt_watch_usage[] =
	"watch [DEV | id N] [--count N] [--duration SECONDS]";

int srtt_parse_watch(const char *cmd, int argc, char **argv,
		     struct srtt_args *a)
{
	const char *usage = srtt_watch_usage;
	uint64_t v;
	int i, err;

	for (i = 0; i < argc; i++) {
		const char *arg = argv[i];

		if (!strcmp(arg, "--count") || !strcmp(arg, "--duration") ||
		    !strcmp(arg, "id")) {
			if (i + 1 >= argc) {
				fprintf(stderr, "%s: %s needs a value; usage: sriov-rtt %s\n",
					cmd, arg, usage);
				return SRTT_EXIT_USAGE;
			}
			i++;
		}
		if (!strcmp(arg, "--count")) {
			if (srtt_parse_u64(argv[i], &a->count) || !a->count) {
				fprintf(stderr,
					"%s: --count takes a number of records from 1, not \"%s\"; e.g. sriov-rtt watch --count 100\n",
					cmd, argv[i]);
				return SRTT_EXIT_USAGE;
			}
		} else if (!strcmp(arg, "--duration")) {
			if (parse_duration(argv[i], &a->duration_ms)) {
				fprintf(stderr,
					"%s: --duration takes seconds above 0, not \"%s\"; e.g. sriov-rtt watch --duration 10\n",
					cmd, argv[i]);
				return SRTT_EXIT_USAGE;
			}
		} else if (!strcmp(arg, "id")) {
			if (a->dev || a->dev_id >= 0)
				return unexpected(cmd, arg, usage);
			if (srtt_parse_u64(argv[i], &v) || v > 255) {
				fprintf(stderr,
					"%s: id takes a device id from 0 to 255 (the dev= of a record), not \"%s\"\n",
					cmd, argv[i]);
				return SRTT_EXIT_USAGE;
			}
			a->dev_id = (int)v;
		} else if (arg[0] == '-') {
			fprintf(stderr, "%s: unknown option \"%s\"; usage: sriov-rtt %s\n",
				cmd, arg, usage);
			return SRTT_EXIT_USAGE;
		} else {
			if (a->dev || a->dev_id >= 0)
				return unexpected(cmd, arg, usage);
			a->dev = arg;
			err = check_dev(cmd, a->dev);
			if (err)
				return err;
		}
	}
	return SRTT_EXIT_OK;
}

/* ---- probe, report ---- */

const char srtt_probe_usage[] =
	"probe TARGET [--port N] [-c|--count N] [-i|--interval S]\n"
	"             [-s|--size BYTES] [--dscp N] [-W|--timeout S] [--ssid N]\n"
	"             [--csv FILE] [--svg FILE] [--plain] [--no-stages] [--serial]";

/* The options of probe that take a value, with ping's spellings. */
static const char *const probe_value_opts[][2] = {
	{ "--port", NULL }, { "--count", "-c" }, { "--interval", "-i" },
	{ "--size", "-s" }, { "--dscp", NULL }, { "--timeout", "-W" },
	{ "--ssid", NULL }, { "--csv", NULL }, { "--svg", NULL },
};

/* @arg's long name if it is one of them, else NULL. */
static const char *probe_value_opt(const char *arg)
{
	size_t k;

	for (k = 0; k < sizeof(probe_value_opts) / sizeof(probe_value_opts[0]); k++)
		if (!strcmp(arg, probe_value_opts[k][0]) ||
		    (probe_value_opts[k][1] && !strcmp(arg, probe_value_opts[k][1])))
			return probe_value_opts[k][0];
	return NULL;
}

static int probe_bad(const char *opt, const char *val, const char *what)
{
	fprintf(stderr,
		"probe: %s takes %s, not \"%s\"; usage: sriov-rtt %s\n",
		opt, what, val, srtt_probe_usage);
	return SRTT_PROBE_EXIT_ERROR;
}

static void probe_defaults(struct srtt_probe_args *p)
{
	memset(p, 0, sizeof(*p));
	p->port = "862";
	p->count = 10;
	p->interval_ns = 100000000LL;
	p->timeout_ns = 2000000000LL;
	p->dscp = -1;
	/*
	 * A new SSID every run (RFC 8972 3: the sender picks it), so that
	 * no record of an earlier run's keys can pass for this one's.
	 */
	if (getrandom(&p->ssid, sizeof(p->ssid), GRND_NONBLOCK) !=
	    sizeof(p->ssid))
		p->ssid = (uint16_t)(getpid() ^ time(NULL));
	if (!p->ssid)
		p->ssid = 1;
}

/* --plain, --no-stages, --serial: true if @arg was one of them. */
static bool probe_flag(struct srtt_probe_args *p, const char *arg)
{
	if (!strcmp(arg, "--plain"))
		p->plain = true;
	else if (!strcmp(arg, "--no-stages"))
		p->no_stages = true;
	else if (!strcmp(arg, "--serial"))
		p->serial = true;
	else
		return false;
	return true;
}

static int probe_secs(const char *opt, const char *val, bool zero_ok,
		      int64_t *ns, const char *what)
{
	double d;

	if (parse_seconds(val, SRTT_PROBE_MAX_SECONDS, zero_ok, &d))
		return probe_bad(opt, val, what);
	*ns = (int64_t)llround(d * 1e9);
	return SRTT_EXIT_OK;
}

/* --size: the base packet alone, or room for a padding TLV at least. */
static bool probe_size_ok(uint64_t v)
{
	return v <= SRTT_STAMP_MAX_LEN &&
	       (v == SRTT_STAMP_HLEN || v >= SRTT_STAMP_HLEN + SRTT_STAMP_TLV_HLEN);
}

/* The value @val of option @opt (its long name). */
static int probe_value(struct srtt_args *a, const char *opt, const char *val)
{
	struct srtt_probe_args *p = &a->probe;
	uint64_t v;

	if (!strcmp(opt, "--interval"))
		return probe_secs(opt, val, true, &p->interval_ns,
				  "seconds 0-3600 (e.g. 0.1)");
	if (!strcmp(opt, "--timeout"))
		return probe_secs(opt, val, false, &p->timeout_ns,
				  "seconds above 0 (e.g. 2)");
	if (!strcmp(opt, "--csv")) {
		a->csv = val;
		return SRTT_EXIT_OK;
	}
	if (!strcmp(opt, "--svg")) {
		a->svg = val;
		return SRTT_EXIT_OK;
	}
	if (srtt_parse_u64(val, &v))
		v = UINT64_MAX;		/* out of every range below */
	if (!strcmp(opt, "--port")) {
		if (!v || v > 65535)
			return probe_bad(opt, val, "a UDP port 1-65535");
		p->port = val;
	} else if (!strcmp(opt, "--count")) {
		if (!v || v > SRTT_PROBE_MAX_COUNT)
			return probe_bad(opt, val, "a number of packets 1-100000");
		p->count = v;
	} else if (!strcmp(opt, "--size")) {
		if (!probe_size_ok(v))
			return probe_bad(opt, val,
					 "44, or 48-65507 bytes (a padding TLV needs 4)");
		p->size = (unsigned int)v;
	} else if (!strcmp(opt, "--dscp")) {
		if (v > 63)
			return probe_bad(opt, val, "a DSCP 0-63");
		p->dscp = (int)v;
	} else {
		if (v > 65535)
			return probe_bad(opt, val, "an SSID 0-65535");
		p->ssid = (uint16_t)v;
	}
	return SRTT_EXIT_OK;
}

/* After the words: the size against the TLVs, and a TARGET. */
static int probe_finish(const char *cmd, struct srtt_probe_args *p)
{
	if (!p->plain && p->size && p->size != SRTT_PROBE_TLV_SIZE &&
	    p->size < SRTT_PROBE_TLV_SIZE + SRTT_STAMP_TLV_HLEN) {
		fprintf(stderr,
			"probe: --size %u is below the %d bytes the sriov_rtt TLVs take "
			"(%d, or %d and more); --plain sends none; usage: sriov-rtt %s\n",
			p->size, SRTT_PROBE_TLV_SIZE, SRTT_PROBE_TLV_SIZE,
			SRTT_PROBE_TLV_SIZE + SRTT_STAMP_TLV_HLEN, srtt_probe_usage);
		return SRTT_PROBE_EXIT_ERROR;
	}
	if (!p->size)
		p->size = p->plain ? SRTT_STAMP_HLEN : SRTT_PROBE_TLV_SIZE;
	if (!p->target) {
		fprintf(stderr, "%s needs a TARGET; usage: sriov-rtt %s\n", cmd,
			srtt_probe_usage);
		return SRTT_PROBE_EXIT_ERROR;
	}
	return SRTT_EXIT_OK;
}

int srtt_parse_probe(const char *cmd, int argc, char **argv,
		     struct srtt_args *a)
{
	struct srtt_probe_args *p = &a->probe;
	const char *arg, *opt;
	int i, err;

	probe_defaults(p);
	for (i = 0; i < argc; i++) {
		arg = argv[i];
		if (probe_flag(p, arg))
			continue;
		if (arg[0] != '-') {
			if (p->target) {
				fprintf(stderr,
					"%s: one TARGET only, \"%s\" is a second; usage: sriov-rtt %s\n",
					cmd, arg, srtt_probe_usage);
				return SRTT_PROBE_EXIT_ERROR;
			}
			p->target = arg;
			continue;
		}
		opt = probe_value_opt(arg);
		if (!opt) {
			fprintf(stderr,
				"%s: unknown option \"%s\"; usage: sriov-rtt %s\n",
				cmd, arg, srtt_probe_usage);
			return SRTT_PROBE_EXIT_ERROR;
		}
		if (i + 1 >= argc) {
			fprintf(stderr, "%s: %s needs a value; usage: sriov-rtt %s\n",
				cmd, opt, srtt_probe_usage);
			return SRTT_PROBE_EXIT_ERROR;
		}
		err = probe_value(a, opt, argv[++i]);
		if (err)
			return err;
	}
	return probe_finish(cmd, p);
}

const char srtt_report_usage[] = "report FILE [--svg OUT]";

int srtt_parse_report(const char *cmd, int argc, char **argv,
		      struct srtt_args *a)
{
	int i;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--svg")) {
			if (i + 1 >= argc) {
				fprintf(stderr, "%s: --svg needs a FILE; usage: sriov-rtt %s\n",
					cmd, srtt_report_usage);
				return SRTT_EXIT_USAGE;
			}
			a->svg = argv[++i];
		} else if (argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr, "%s: unknown option \"%s\"; usage: sriov-rtt %s\n",
				cmd, argv[i], srtt_report_usage);
			return SRTT_EXIT_USAGE;
		} else if (a->file) {
			fprintf(stderr, "%s: one FILE only; usage: sriov-rtt %s\n",
				cmd, srtt_report_usage);
			return SRTT_EXIT_USAGE;
		} else {
			a->file = argv[i];
		}
	}
	if (!a->file) {
		fprintf(stderr,
			"%s needs a FILE (a CSV of sriov-rtt probe --csv); usage: sriov-rtt %s\n",
			cmd, srtt_report_usage);
		return SRTT_EXIT_USAGE;
	}
	return SRTT_EXIT_OK;
}

const char srtt_compare_usage[] =
	"compare [--label NAME] RUN.csv [--label NAME] RUN.csv... [--svg OUT]";

/* A label prints in a column and in JSON: 1-32 of [A-Za-z0-9._+-] */
static bool label_valid(const char *s)
{
	size_t n = strlen(s);

	return n && n <= SRTT_COMPARE_LABEL_MAX &&
	       strspn(s, SRTT_COMPARE_LABEL_CHARS) == n;
}

static int compare_bad(const char *cmd, const char *what, const char *arg)
{
	fprintf(stderr, "%s: %s%s%s%s; usage: sriov-rtt %s\n", cmd, what,
		arg ? " \"" : "", arg ? arg : "", arg ? "\"" : "",
		srtt_compare_usage);
	return SRTT_EXIT_USAGE;
}

/* --label NAME names the RUN.csv that follows it */
static int compare_label(const char *cmd, struct srtt_args *a,
			 const char *label)
{
	unsigned int k;

	if (!label_valid(label))
		return compare_bad(cmd, "--label needs 1-32 of A-Z a-z 0-9 . _ + -, not",
				   label);
	for (k = 0; k < a->nruns; k++)
		if (a->labels[k] && !strcmp(a->labels[k], label))
			return compare_bad(cmd, "two runs labelled", label);
	return 0;
}

int srtt_parse_compare(const char *cmd, int argc, char **argv,
		       struct srtt_args *a)
{
	const char *label = NULL;
	int i;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--svg") || !strcmp(argv[i], "--label")) {
			if (i + 1 >= argc)
				return compare_bad(cmd, !strcmp(argv[i], "--svg") ?
						   "--svg needs a FILE" :
						   "--label needs a NAME", NULL);
			if (argv[i][2] == 's') {
				a->svg = argv[++i];
				continue;
			}
			if (label)
				return compare_bad(cmd, "--label twice before a RUN.csv",
						   argv[i + 1]);
			label = argv[++i];
			if (compare_label(cmd, a, label))
				return SRTT_EXIT_USAGE;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return compare_bad(cmd, "unknown option", argv[i]);
		} else if (a->nruns == SRTT_COMPARE_MAX_RUNS) {
			return compare_bad(cmd, "at most 16 runs; one too many:",
					   argv[i]);
		} else {
			a->labels[a->nruns] = label;
			a->runs[a->nruns++] = argv[i];
			label = NULL;
		}
	}
	if (label)
		return compare_bad(cmd, "--label names no RUN.csv after it:",
				   label);
	if (a->nruns < 2)
		return compare_bad(cmd, "needs two runs or more (CSVs of sriov-rtt probe --csv)",
				   NULL);
	return SRTT_EXIT_OK;
}
