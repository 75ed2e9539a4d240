// SPDX-License-Identifier: GPL-2.0
/* sriov-rtt: command arguments, checked before anything is sent. */

#include <errno.h>
#include <math.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "names.h"

/* Bounds as the module's control parser enforces them (sriov_rtt.rst). */
const struct srtt_cfg_desc srtt_cfg_desc[__SRTT_CFG_MAX] = {
	[SRTT_CFG_STAMP_PORT]	= { "stamp_port", 1, 65535, false, "862" },
	[SRTT_CFG_SAMPLE]	= { "sample", 0, 1000000, false, "100" },
	[SRTT_CFG_RING_SIZE]	= { "ring_size", 64, 1048576, true, "4096" },
};

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

int srtt_parse_hist(const char *cmd, int argc, char **argv,
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
	const struct srtt_cfg_desc *d = &srtt_cfg_desc[key];

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
	const struct srtt_cfg_desc *d;
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
	for (i = 0; i < __SRTT_CFG_MAX; i++)
		if (srtt_matches(argv[1], srtt_cfg_desc[i].name))
			break;
	if (i == __SRTT_CFG_MAX) {
		fprintf(stderr,
			"config set: unknown key \"%s\"; keys are stamp_port, sample, ring_size\n",
			argv[1]);
		return SRTT_EXIT_USAGE;
	}
	a->key = i;
	d = &srtt_cfg_desc[i];
	if (srtt_parse_u64(argv[2], &a->value)) {
		fprintf(stderr,
			"config set: %s takes a decimal number, not \"%s\"; e.g. sriov-rtt config set %s %s\n",
			d->name, argv[2], d->name, d->example);
		return SRTT_EXIT_USAGE;
	}
	return srtt_cfg_check(i, a->value);
}

static int parse_duration(const char *s, uint64_t *ms)
{
	char *end;
	double d;

	if (!*s || *s == '-' || *s == '+' || *s == ' ')
		return -1;
	errno = 0;
	d = strtod(s, &end);
	if (errno || *end || !isfinite(d) || d <= 0 || d > WATCH_MAX_SECONDS)
		return -1;
	*ms = (uint64_t)ceil(d * 1000.0);
	return 0;
}

int srtt_parse_watch(const char *cmd, int argc, char **argv,
		     struct srtt_args *a)
{
	static const char usage[] =
		"watch [DEV | id N] [--count N] [--duration SECONDS]";
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
