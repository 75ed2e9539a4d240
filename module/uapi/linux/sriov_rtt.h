/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * sriov_rtt: user-visible definitions shared by the module and the tools.
 *
 * Stage numbers and record flags are ABI: new values are appended, old
 * ones never change meaning.
 */
#ifndef _UAPI_LINUX_SRIOV_RTT_H
#define _UAPI_LINUX_SRIOV_RTT_H

#include <linux/types.h>

#define SRTT_VERSION		"0.1.0"
#define SRTT_GENL_NAME		"sriov_rtt"
#define SRTT_GENL_VERSION	1
#define SRTT_GENL_MCGRP_RECORDS	"records"

/* Default UDP port of STAMP (RFC 8762). */
#define SRTT_STAMP_PORT		862

/*
 * Where a packet was stamped. TX stages are listed in the order a packet
 * passes them, then RX stages likewise. Every stamp of a stage is
 * CLOCK_MONOTONIC (ktime_get_ns()) unless the record says otherwise.
 */
enum srtt_stage {
	SRTT_STAGE_TX_NF_EGRESS,	/* netfilter NFPROTO_NETDEV egress */
	SRTT_STAGE_TX_QUEUE,		/* tracepoint net_dev_queue */
	SRTT_STAGE_TX_DRV,		/* tracepoint net_dev_start_xmit */
	SRTT_STAGE_TX_DRV_DONE,		/* tracepoint net_dev_xmit */
	SRTT_STAGE_TX_DONE,		/* skb freed by the driver's clean-up */
	SRTT_STAGE_TX_HW,		/* hardware TX timestamp (PHC) */
	SRTT_STAGE_RX_HW,		/* hardware RX timestamp (PHC) */
	SRTT_STAGE_RX_IRQ,		/* irq_handler_entry, device vector */
	SRTT_STAGE_RX_SOFTIRQ,		/* softirq_entry NET_RX on that CPU */
	SRTT_STAGE_RX_DRV,		/* napi_gro_receive/netif_receive_skb/netif_rx entry */
	SRTT_STAGE_RX_STACK,		/* tracepoint netif_receive_skb */
	SRTT_STAGE_RX_NF_INGRESS,	/* netfilter NFPROTO_NETDEV ingress */
	__SRTT_STAGE_MAX,
};

#define SRTT_STAGE_MAX (__SRTT_STAGE_MAX - 1)

/* What kind of probe a packet is. */
enum srtt_probe {
	SRTT_PROBE_NONE,	/* not a probe (sampled traffic) */
	SRTT_PROBE_STAMP,	/* STAMP over UDP, RFC 8762/8972 */
	SRTT_PROBE_ICMP,	/* ICMP echo */
	SRTT_PROBE_ICMPV6,	/* ICMPv6 echo */
};

/* Which way a probe travels. */
enum srtt_dir {
	SRTT_DIR_FWD,		/* session-sender -> reflector, echo request */
	SRTT_DIR_REV,		/* reflector -> session-sender, echo reply */
};

/*
 * A probe key: the same for every stamp of one probe packet in one
 * direction, on every device and in every kernel it crosses.
 *   STAMP: id = SSID (RFC 8972), seq = session-sender sequence number
 *   ICMP:  id = echo identifier, seq = echo sequence number
 */
struct srtt_key {
	__u8	probe;		/* enum srtt_probe */
	__u8	dir;		/* enum srtt_dir */
	__u16	id;
	__u32	seq;
};

/* Record flags. */
#define SRTT_REC_F_HWTS		(1U << 0)	/* hwts holds a PHC stamp */
#define SRTT_REC_F_IPV6		(1U << 1)	/* carried over IPv6 */
#define SRTT_REC_F_VLAN		(1U << 2)	/* carried in an 802.1Q tag */
#define SRTT_REC_F_SAMPLED	(1U << 3)	/* non-probe, 1-in-N sampling */
#define SRTT_REC_F_NO_QUEUE	(1U << 4)	/* queue not known at this stage */

/* One stamp. ts is CLOCK_MONOTONIC ns; hwts is PHC ns when F_HWTS. */
struct srtt_record {
	__u64	ts;
	__u64	hwts;
	__u32	ifindex;
	__u16	cpu;
	__u16	queue;
	__u8	stage;		/* enum srtt_stage */
	__u8	dev_id;		/* attach slot: names the device across netns */
	__u16	flags;		/* SRTT_REC_F_* */
	struct srtt_key key;
};

#endif /* _UAPI_LINUX_SRIOV_RTT_H */
