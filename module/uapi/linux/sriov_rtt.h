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

/*
 * Host events that are not a packet: how the hypervisor passes an
 * interrupt on to a guest, for a VF that the guest owns through vfio-pci
 * or for a virtio NIC served by vhost. They are stamped in time only and
 * belong to no probe: the record's stage is one of these, its flags have
 * SRTT_REC_F_EVENT, key.probe is SRTT_PROBE_NONE and key.seq the host IRQ
 * (HV_IRQ) or the vector the guest was given (HV_SIGNAL, HV_INJECT).
 * For a VF, dev_id and ifindex name the attached PF, queue is the VF's
 * index and key.id the MSI-X entry; for vhost they name the attached tap
 * device (macvtap, tap) and queue is SRTT_EVENT_NO_VF. ts is
 * CLOCK_MONOTONIC.
 */
enum srtt_event {
	SRTT_EVENT_HV_IRQ = 64,		/* irq_handler_entry, vfio-msi(x) vector */
	SRTT_EVENT_HV_INJECT,		/* kvm_inj_virq of such an interrupt */
	SRTT_EVENT_HV_SIGNAL,		/* kvm_msi_set_irq from a vhost worker */
	__SRTT_EVENT_MAX,
};

#define SRTT_EVENT_NO_VF	0xffff

#define SRTT_EVENT_FIRST	SRTT_EVENT_HV_IRQ
#define SRTT_EVENT_COUNT	(__SRTT_EVENT_MAX - SRTT_EVENT_FIRST)

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
#define SRTT_REC_F_EVENT	(1U << 5)	/* stage is an enum srtt_event */

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

/* Device roles, as sriov_rtt detects them when a device is attached. */
enum srtt_role {
	SRTT_ROLE_OTHER,
	SRTT_ROLE_PF,		/* SR-IOV physical function */
	SRTT_ROLE_VF,		/* SR-IOV virtual function */
	SRTT_ROLE_VIRTIO,
	SRTT_ROLE_VETH,
	SRTT_ROLE_TAP,		/* tun/tap or macvtap */
};

/*
 * Generic netlink family SRTT_GENL_NAME. The YAML spec is
 * Documentation/netlink/specs/sriov_rtt.yaml; writes need CAP_NET_ADMIN.
 */
enum srtt_cmd {
	SRTT_CMD_UNSPEC,
	SRTT_CMD_DEV_ATTACH,	/* do: IFINDEX or IFNAME, in the caller's netns */
	SRTT_CMD_DEV_DETACH,	/* do: IFINDEX or IFNAME */
	SRTT_CMD_DEV_GET,	/* do (IFINDEX or IFNAME) / dump: DEV_* */
	SRTT_CMD_CONFIG_SET,	/* do: CFG_* */
	SRTT_CMD_CONFIG_GET,	/* do: CFG_* */
	SRTT_CMD_STATS_GET,	/* dump, one message per device; IFNAME filters */
	SRTT_CMD_HIST_GET,	/* dump, one message per device and stage pair */
	SRTT_CMD_HIST_RESET,	/* do: histograms and counters to zero */
	SRTT_CMD_RECORDS,	/* notification on SRTT_GENL_MCGRP_RECORDS */
	SRTT_CMD_RECORDS_FLUSH,	/* do: drain the rings to the group now */
	__SRTT_CMD_MAX,
};

#define SRTT_CMD_MAX (__SRTT_CMD_MAX - 1)

enum srtt_attr {
	SRTT_A_UNSPEC,
	SRTT_A_PAD,
	SRTT_A_IFINDEX,		/* u32 */
	SRTT_A_IFNAME,		/* string, < IFNAMSIZ */
	SRTT_A_DEV_ID,		/* u8: the dev_id of its records */
	SRTT_A_DEV_ROLE,	/* u8: enum srtt_role */
	SRTT_A_DEV_VF_INDEX,	/* u32: role VF */
	SRTT_A_DEV_NUM_VFS,	/* u32: role PF, VFs enabled now */
	SRTT_A_DEV_PCI,		/* string: PCI address */
	SRTT_A_DEV_PF_PCI,	/* string: role VF, its PF's PCI address */
	SRTT_A_DEV_DRIVER,	/* string */
	SRTT_A_DEV_NETNS_INO,	/* u32: network namespace inode */
	SRTT_A_DEV_IRQ,		/* u32, one attribute per watched vector */
	SRTT_A_CFG_STAMP_PORT,	/* u16 */
	SRTT_A_CFG_SAMPLE,	/* u32: 0 off, else 1 in N */
	SRTT_A_CFG_RING_SIZE,	/* u32: records per CPU, power of two */
	SRTT_A_STAGE_STATS,	/* nest, one per stage: SRTT_A_SS_* */
	SRTT_A_IMPOSSIBLE,	/* u64: intervals < 0 or > 60 s */
	SRTT_A_TRACK_BUSY,	/* u64 */
	SRTT_A_TRACK_RESTART,	/* u64 */
	SRTT_A_HIST_FROM,	/* u8: enum srtt_stage */
	SRTT_A_HIST_TO,		/* u8: enum srtt_stage */
	SRTT_A_HIST_COUNT,	/* u64: samples <= 60 s */
	SRTT_A_HIST_OVER,	/* u64: samples > 60 s */
	SRTT_A_HIST_MIN,	/* u64 ns */
	SRTT_A_HIST_MAX,	/* u64 ns */
	SRTT_A_HIST_SUM,	/* u64 ns */
	SRTT_A_HIST_BUCKET,	/* nest, one per non-empty bucket: SRTT_A_HB_* */
	SRTT_A_RECORDS,		/* binary: struct srtt_record[] */
	SRTT_A_LOST,		/* u64: records lost since the last batch */
	SRTT_A_TRACK_EVICT,	/* u64 */
	__SRTT_A_MAX,
};

#define SRTT_A_MAX (__SRTT_A_MAX - 1)

enum srtt_stage_stats_attr {
	SRTT_A_SS_UNSPEC,
	SRTT_A_SS_PAD,
	SRTT_A_SS_STAGE,	/* u8: enum srtt_stage */
	SRTT_A_SS_HITS,		/* u64: records written */
	SRTT_A_SS_LOST,		/* u64: records lost, ring full */
	SRTT_A_SS_BAD,		/* u64: malformed probe packets */
	__SRTT_A_SS_MAX,
};

#define SRTT_A_SS_MAX (__SRTT_A_SS_MAX - 1)

enum srtt_hist_bucket_attr {
	SRTT_A_HB_UNSPEC,
	SRTT_A_HB_PAD,
	SRTT_A_HB_INDEX,	/* u32: bucket index, see hist.h */
	SRTT_A_HB_COUNT,	/* u64 */
	__SRTT_A_HB_MAX,
};

#define SRTT_A_HB_MAX (__SRTT_A_HB_MAX - 1)

#endif /* _UAPI_LINUX_SRIOV_RTT_H */
