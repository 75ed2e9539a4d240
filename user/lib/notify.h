/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sriov-rtt: the notifications a run cost on one side (interrupts on the
 * attached devices' vectors, their NAPI polls, the hypervisor's events)
 * from the module's counters, and each device's interrupt moderation
 * (ethtool -c) from the ethtool netlink family.
 */
#ifndef _SRTT_LIB_NOTIFY_H
#define _SRTT_LIB_NOTIFY_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>

#define SRTT_NOTIFY_DEVS	8	/* devices of a side described */

/* the moderation values a driver reported, in struct srtt_coalesce.have */
#define SRTT_CO_RX_USECS	0x01
#define SRTT_CO_RX_FRAMES	0x02
#define SRTT_CO_TX_USECS	0x04
#define SRTT_CO_TX_FRAMES	0x08
#define SRTT_CO_ADAPTIVE_RX	0x10
#define SRTT_CO_ADAPTIVE_TX	0x20
#define SRTT_CO_ALL		0x3f

struct srtt_coalesce {
	int		err;	/* 0: read; else a positive errno: why not */
	uint32_t	have;	/* SRTT_CO_*: what the driver reported */
	uint32_t	rx_usecs, rx_frames, tx_usecs, tx_frames;
	bool		adaptive_rx, adaptive_tx;
};

struct srtt_notify_dev {
	char			ifname[IFNAMSIZ];
	int			dev_id;
	uint64_t		irqs;		/* on the device's vectors */
	uint64_t		napi_polls;
	bool			hv;		/* a PF or a tap: events below */
	uint64_t		hv_irq, hv_inject, hv_signal;
	struct srtt_coalesce	co;
};

struct srtt_notify {
	int			err;	/* 0: read; else a positive errno */
	unsigned int		n;
	unsigned int		more;	/* attached devices past dev[] */
	struct srtt_notify_dev	dev[SRTT_NOTIFY_DEVS];
};

/* The module's counters of every device attached here, and their moderation. */
void srtt_notify_read(struct srtt_notify *nt);

/*
 * @after becomes the counts since @before. A device attached in between
 * (not in @before) is left out: its counters did not start with the run.
 */
void srtt_notify_since(struct srtt_notify *after,
		       const struct srtt_notify *before);

/* "rx-usecs 3 tx-usecs 3" or "not reported (why)", into @buf */
const char *srtt_coalesce_str(const struct srtt_coalesce *c, char *buf,
			      size_t len);

#endif
