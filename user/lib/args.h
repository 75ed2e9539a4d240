/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sriov-rtt: exit codes and the arguments of each command, parsed before
 * any socket is opened so that a typo never reaches the kernel.
 */
#ifndef _SRTT_ARGS_H
#define _SRTT_ARGS_H

#include <stdbool.h>
#include <stdint.h>

#include <linux/sriov_rtt.h>
#include "abi.h"
#include "stamp/stamp.h"

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

/* Keys of "config set": enum srtt_setting_id, srtt_settings[] (abi.h). */

/* probe's exit status: ping's (ping(8)), its usage errors too */
enum srtt_probe_exit {
	SRTT_PROBE_EXIT_REPLIES	= 0,	/* a reply came */
	SRTT_PROBE_EXIT_NONE	= 1,	/* none did */
	SRTT_PROBE_EXIT_ERROR	= 2,	/* usage, resolve, socket, output files */
};

/* about 2.5 KB of state per probe is kept until the end: 250 MB at most */
#define SRTT_PROBE_MAX_COUNT	100000
#define SRTT_PROBE_MAX_SECONDS	3600.0

/*
 * What a probe request asks for unless --plain: the reflector's clock
 * bracket (GUEST_STAGES with no room: the reflector replies first and
 * sends the stages later), two follow-ups with room for every stage, RX
 * and TX, of the reply each describes (the previous one and the one
 * before: one lost reply loses no stages), its boot id and its
 * hypervisor clock.
 */
#define SRTT_PROBE_STAGE_ROOM	__SRTT_STAGE_MAX
#define SRTT_PROBE_FOLLOW_UPS	2
#define SRTT_PROBE_TLV_BYTES	(5 * SRTT_STAMP_TLV_HLEN +		\
				 SRTT_STAMP_BOOT_ID_LEN +		\
				 SRTT_STAMP_GS_LEN(0) +			\
				 SRTT_PROBE_FOLLOW_UPS *		\
				 SRTT_STAMP_FU_LEN(SRTT_PROBE_STAGE_ROOM) + \
				 SRTT_STAMP_HC_LEN)
#define SRTT_PROBE_TLV_SIZE	(SRTT_STAMP_HLEN + SRTT_PROBE_TLV_BYTES)
/* the trailer also asks for the reflector's notifications, 4 devices */
#define SRTT_PROBE_NOTIFY_DEVS	4
#define SRTT_PROBE_NOTIFY_BYTES	(SRTT_STAMP_TLV_HLEN +			\
				 SRTT_STAMP_NT_LEN(SRTT_PROBE_NOTIFY_DEVS))

/* probe TARGET [OPTIONS], the defaults filled in */
struct srtt_probe_args {
	const char	*target;
	const char	*port;
	uint64_t	count;
	int64_t		interval_ns;
	int64_t		timeout_ns;
	unsigned int	size;		/* of each request, bytes */
	bool		plain;		/* no sriov_rtt TLVs */
	bool		no_stages;	/* do not read this kernel's records */
	bool		serial;		/* one request in flight at a time */
	int		dscp;		/* -1: not set */
	uint16_t	ssid;		/* a new random one unless --ssid */
};

/* compare: from 2 runs to this many, labels of at most this length */
#define SRTT_COMPARE_MAX_RUNS	16
#define SRTT_COMPARE_LABEL_MAX	32
/* the characters of a label */
#define SRTT_COMPARE_LABEL_CHARS \
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._+-"

struct srtt_args {
	const char	*dev;		/* DEV, or NULL */
	uint32_t	stages;		/* attach stages LIST; 0: not given */
	int		dev_id;		/* watch id N; -1 when not given */
	int		from, to;	/* hist FROM TO; -1 when not given */
	bool		reset;		/* hist reset */
	bool		set;		/* config set */
	int		key;		/* enum srtt_cfg_key */
	uint64_t	value;		/* config set value, checked */
	uint64_t	count;		/* watch --count; 0: no limit */
	uint64_t	duration_ms;	/* watch --duration; 0: no limit */
	const char	*file;		/* report FILE */
	const char	*prom;		/* hist --prometheus FILE */
	const char	*csv;		/* probe --csv */
	const char	*svg;		/* probe --svg, report --svg, compare */
	struct srtt_probe_args probe;
	/* compare: the runs' CSVs and their labels (NULL: from the file) */
	unsigned int	nruns;
	const char	*runs[SRTT_COMPARE_MAX_RUNS];
	const char	*labels[SRTT_COMPARE_MAX_RUNS];
};

/* The usage of the commands with options, for errors and the help. */
extern const char srtt_watch_usage[];
extern const char srtt_probe_usage[];
extern const char srtt_report_usage[];
extern const char srtt_compare_usage[];

void srtt_args_init(struct srtt_args *a);

/*
 * One parser per command; @argc/@argv are the words after the command.
 * Each returns SRTT_EXIT_OK, or SRTT_EXIT_USAGE after saying on stderr
 * what to type instead (probe: SRTT_PROBE_EXIT_ERROR, as ping).
 */
int srtt_parse_none(const char *cmd, int argc, char **argv,
		    struct srtt_args *a);
int srtt_parse_attach(const char *cmd, int argc, char **argv,
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
int srtt_parse_probe(const char *cmd, int argc, char **argv,
		     struct srtt_args *a);
int srtt_parse_report(const char *cmd, int argc, char **argv,
		      struct srtt_args *a);
int srtt_parse_compare(const char *cmd, int argc, char **argv,
		       struct srtt_args *a);

/* Helpers, exposed for the tests. */
int srtt_parse_u64(const char *s, uint64_t *v);
bool srtt_dev_name_valid(const char *name);
int srtt_cfg_check(int key, uint64_t v);

#endif /* _SRTT_ARGS_H */
