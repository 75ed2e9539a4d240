/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * sriov_rtt: user-visible definitions shared by the module and the tools.
 *
 * The generic netlink family's numbers (stages, events, probes, roles,
 * record flags, commands, attributes) are generated from its spec,
 * Documentation/netlink/specs/sriov_rtt.yaml, into <linux/sriov_rtt_nl.h>;
 * this header adds what the generator does not write: the record layout
 * and the constants around it.
 *
 * Stage numbers and record flags are ABI: new values are appended, old
 * ones never change meaning.
 */
#ifndef _UAPI_LINUX_SRIOV_RTT_H
#define _UAPI_LINUX_SRIOV_RTT_H

#include <linux/types.h>
#include <linux/sriov_rtt_nl.h>

#define SRTT_VERSION		"0.1.0"

/* Default UDP port of STAMP (RFC 8762). */
#define SRTT_STAMP_PORT		862

/*
 * Host events (enum srtt_event) are stamped in time only and belong to no
 * probe: the record's stage is one of them, its flags have
 * SRTT_REC_F_EVENT, key.probe is SRTT_PROBE_NONE and key.seq the host IRQ
 * (HV_IRQ) or the vector the guest was given (HV_SIGNAL, HV_INJECT). For
 * a VF, dev_id and ifindex name the attached PF, queue is the VF's index
 * and key.id the MSI-X entry; for vhost they name the attached tap device
 * (macvtap, tap) and queue is SRTT_EVENT_NO_VF. ts is CLOCK_MONOTONIC.
 */
#define SRTT_EVENT_NO_VF	0xffff

/*
 * Stage sets (SRTT_A_DEV_STAGES): bit N is stage N. The default leaves
 * out the netfilter stages, which duplicate their neighbours (tx_queue,
 * rx_stack) at the cost of a hook per packet.
 */
#define SRTT_STAGES_ALL		((1U << __SRTT_STAGE_MAX) - 1)
#define SRTT_STAGES_DEFAULT	(SRTT_STAGES_ALL &			\
				 ~((1U << SRTT_STAGE_TX_NF_EGRESS) |	\
				   (1U << SRTT_STAGE_RX_NF_INGRESS)))

#define SRTT_EVENT_FIRST	SRTT_EVENT_HV_IRQ
#define SRTT_EVENT_COUNT	(__SRTT_EVENT_MAX - SRTT_EVENT_FIRST)

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

/*
 * One stamp, an element of SRTT_A_RECORDS (the spec's struct record).
 * ts is CLOCK_MONOTONIC ns; hwts is PHC ns when F_HWTS.
 */
struct srtt_record {
	__u64	ts;
	__u64	hwts;
	__u32	ifindex;
	__u16	cpu;
	__u16	queue;
	__u8	stage;		/* enum srtt_stage, or enum srtt_event */
	__u8	dev_id;		/* attach slot: names the device across netns */
	__u16	flags;		/* SRTT_REC_F_* */
	struct srtt_key key;
	__u32	pad;		/* 0: named, so that no kernel bytes leak */
};

#endif /* _UAPI_LINUX_SRIOV_RTT_H */
