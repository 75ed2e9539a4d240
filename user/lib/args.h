/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sriov-rtt: exit codes and the arguments of each command, parsed before
 * any socket is opened so that a typo never reaches the kernel.
 */
#ifndef _SRTT_ARGS_H
#define _SRTT_ARGS_H

#include <stdbool.h>
#include <stdint.h>

/* Exit codes; Documentation/sriov-rtt.8.rst lists them. */
enum srtt_exit {
	SRTT_EXIT_OK		= 0,
	SRTT_EXIT_USAGE		= 1,	/* bad command or argument */
	SRTT_EXIT_NOMODULE	= 2,	/* family sriov_rtt not registered */
	SRTT_EXIT_PERM		= 3,	/* EPERM: needs CAP_NET_ADMIN */
	SRTT_EXIT_NODEV		= 4,	/* no such device in this netns */
	SRTT_EXIT_NOTATTACHED	= 5,	/* the device is not attached */
	SRTT_EXIT_ERROR		= 6,	/* any other kernel or system error */
};

/* Keys of "config set". */
enum srtt_cfg_key {
	SRTT_CFG_STAMP_PORT,
	SRTT_CFG_SAMPLE,
	SRTT_CFG_RING_SIZE,
	__SRTT_CFG_MAX,
};

struct srtt_cfg_desc {
	const char	*name;
	uint64_t	min, max;
	bool		pow2;		/* must be a power of two */
	const char	*example;	/* a good value */
};

extern const struct srtt_cfg_desc srtt_cfg_desc[__SRTT_CFG_MAX];

struct srtt_args {
	const char	*dev;		/* DEV, or NULL */
	int		dev_id;		/* watch id N; -1 when not given */
	int		from, to;	/* hist FROM TO; -1 when not given */
	bool		reset;		/* hist reset */
	bool		set;		/* config set */
	int		key;		/* enum srtt_cfg_key */
	uint64_t	value;		/* config set value, checked */
	uint64_t	count;		/* watch --count; 0: no limit */
	uint64_t	duration_ms;	/* watch --duration; 0: no limit */
};

void srtt_args_init(struct srtt_args *a);

/*
 * One parser per command; @argc/@argv are the words after the command.
 * Each returns SRTT_EXIT_OK, or SRTT_EXIT_USAGE after saying on stderr
 * what to type instead.
 */
int srtt_parse_none(const char *cmd, int argc, char **argv,
		    struct srtt_args *a);
int srtt_parse_dev(const char *cmd, int argc, char **argv,
		   struct srtt_args *a);
int srtt_parse_opt_dev(const char *cmd, int argc, char **argv,
		       struct srtt_args *a);
int srtt_parse_hist(const char *cmd, int argc, char **argv,
		    struct srtt_args *a);
int srtt_parse_config(const char *cmd, int argc, char **argv,
		      struct srtt_args *a);
int srtt_parse_watch(const char *cmd, int argc, char **argv,
		     struct srtt_args *a);

/* Helpers, exposed for the tests. */
int srtt_parse_u64(const char *s, uint64_t *v);
bool srtt_dev_name_valid(const char *name);
int srtt_cfg_check(int key, uint64_t v);

#endif /* _SRTT_ARGS_H */
