/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/sriov_rtt.yaml */
/* YNL-GEN uapi header */

#ifndef _UAPI_LINUX_SRIOV_RTT_NL_H
#define _UAPI_LINUX_SRIOV_RTT_NL_H

#define SRTT_GENL_NAME		"sriov_rtt"
#define SRTT_GENL_VERSION	1

/**
 * enum srtt_stage - Where a packet was stamped. TX stages are listed in the
 *   order a packet passes them, then RX stages likewise. Every stamp of a
 *   stage is CLOCK_MONOTONIC (ktime_get_ns()) unless the record says
 *   otherwise. Values are ABI: new stages are appended.
 * @SRTT_STAGE_TX_NF_EGRESS: netfilter NFPROTO_NETDEV egress
 * @SRTT_STAGE_TX_QUEUE: tracepoint net_dev_queue
 * @SRTT_STAGE_TX_DRV: tracepoint net_dev_start_xmit
 * @SRTT_STAGE_TX_DRV_DONE: tracepoint net_dev_xmit
 * @SRTT_STAGE_TX_DONE: skb freed by the driver's clean-up
 * @SRTT_STAGE_TX_HW: hardware TX timestamp (PHC)
 * @SRTT_STAGE_RX_HW: hardware RX timestamp (PHC)
 * @SRTT_STAGE_RX_IRQ: irq_handler_entry, device vector
 * @SRTT_STAGE_RX_SOFTIRQ: softirq_entry NET_RX on that CPU
 * @SRTT_STAGE_RX_DRV: napi_gro_receive/netif_receive_skb/netif_rx entry
 * @SRTT_STAGE_RX_STACK: tracepoint netif_receive_skb
 * @SRTT_STAGE_RX_NF_INGRESS: netfilter NFPROTO_NETDEV ingress
 * @SRTT_STAGE_RX_SOCK: sock:sk_data_ready, UDP: queued to the socket
 * @SRTT_STAGE_RX_COPY: skb:skb_copy_datagram_iovec: the application's copy
 */
enum srtt_stage {
	SRTT_STAGE_TX_NF_EGRESS,
	SRTT_STAGE_TX_QUEUE,
	SRTT_STAGE_TX_DRV,
	SRTT_STAGE_TX_DRV_DONE,
	SRTT_STAGE_TX_DONE,
	SRTT_STAGE_TX_HW,
	SRTT_STAGE_RX_HW,
	SRTT_STAGE_RX_IRQ,
	SRTT_STAGE_RX_SOFTIRQ,
	SRTT_STAGE_RX_DRV,
	SRTT_STAGE_RX_STACK,
	SRTT_STAGE_RX_NF_INGRESS,
	SRTT_STAGE_RX_SOCK,
	SRTT_STAGE_RX_COPY,

	/* private: */
	__SRTT_STAGE_MAX,
	SRTT_STAGE_MAX = (__SRTT_STAGE_MAX - 1)
};

/**
 * enum srtt_event - Host events that are not a packet: how the hypervisor
 *   passes an interrupt on to a guest, for a VF that the guest owns through
 *   vfio-pci or for a virtio NIC served by vhost. They are stamped in time
 *   only and belong to no probe: the record's stage is one of these, its flags
 *   have event, key-probe is none and key-seq the host IRQ (hv-irq) or the
 *   vector the guest was given (hv-signal, hv-inject). For a VF, dev-id and
 *   ifindex name the attached PF, queue is the VF's index and key-id the MSI-X
 *   entry; for vhost they name the attached tap device (macvtap, tap) and
 *   queue is SRTT_EVENT_NO_VF. stage-stats of a PF or a tap count them.
 * @SRTT_EVENT_HV_IRQ: irq_handler_entry, vfio-msi(x) vector
 * @SRTT_EVENT_HV_INJECT: kvm_inj_virq of such an interrupt
 * @SRTT_EVENT_HV_SIGNAL: kvm_msi_set_irq from a vhost worker
 */
enum srtt_event {
	SRTT_EVENT_HV_IRQ = 64,
	SRTT_EVENT_HV_INJECT,
	SRTT_EVENT_HV_SIGNAL,

	/* private: */
	__SRTT_EVENT_MAX,
	SRTT_EVENT_MAX = (__SRTT_EVENT_MAX - 1)
};

/**
 * enum srtt_probe - What kind of probe a packet is.
 * @SRTT_PROBE_NONE: not a probe (sampled traffic)
 * @SRTT_PROBE_STAMP: STAMP over UDP, RFC 8762/8972
 * @SRTT_PROBE_ICMP: ICMP echo
 * @SRTT_PROBE_ICMPV6: ICMPv6 echo
 */
enum srtt_probe {
	SRTT_PROBE_NONE,
	SRTT_PROBE_STAMP,
	SRTT_PROBE_ICMP,
	SRTT_PROBE_ICMPV6,
};

/**
 * enum srtt_dir - Which way a probe travels.
 * @SRTT_DIR_FWD: session-sender -> reflector, echo request
 * @SRTT_DIR_REV: reflector -> session-sender, echo reply
 */
enum srtt_dir {
	SRTT_DIR_FWD,
	SRTT_DIR_REV,
};

/**
 * enum srtt_role - Device roles, as sriov_rtt detects them when a device is
 *   attached.
 * @SRTT_ROLE_PF: SR-IOV physical function
 * @SRTT_ROLE_VF: SR-IOV virtual function
 * @SRTT_ROLE_TAP: tun/tap or macvtap
 */
enum srtt_role {
	SRTT_ROLE_OTHER,
	SRTT_ROLE_PF,
	SRTT_ROLE_VF,
	SRTT_ROLE_VIRTIO,
	SRTT_ROLE_VETH,
	SRTT_ROLE_TAP,
};

/**
 * enum srtt_rec_flags - Record flags. New flags are appended.
 * @SRTT_REC_F_HWTS: hwts holds a PHC stamp
 * @SRTT_REC_F_IPV6: carried over IPv6
 * @SRTT_REC_F_VLAN: carried in an 802.1Q tag
 * @SRTT_REC_F_SAMPLED: non-probe, 1-in-N sampling
 * @SRTT_REC_F_NO_QUEUE: queue not known at this stage
 * @SRTT_REC_F_EVENT: stage is an enum event
 */
enum srtt_rec_flags {
	SRTT_REC_F_HWTS = 1,
	SRTT_REC_F_IPV6 = 2,
	SRTT_REC_F_VLAN = 4,
	SRTT_REC_F_SAMPLED = 8,
	SRTT_REC_F_NO_QUEUE = 16,
	SRTT_REC_F_EVENT = 32,
};

enum srtt_attr {
	SRTT_A_UNSPEC,
	SRTT_A_PAD,
	SRTT_A_IFINDEX,
	SRTT_A_IFNAME,
	SRTT_A_DEV_ID,
	SRTT_A_DEV_ROLE,
	SRTT_A_DEV_VF_INDEX,
	SRTT_A_DEV_NUM_VFS,
	SRTT_A_DEV_PCI,
	SRTT_A_DEV_PF_PCI,
	SRTT_A_DEV_DRIVER,
	SRTT_A_DEV_NETNS_INO,
	SRTT_A_DEV_IRQ,
	SRTT_A_CFG_STAMP_PORT,
	SRTT_A_CFG_SAMPLE,
	SRTT_A_CFG_RING_SIZE,
	SRTT_A_STAGE_STATS,
	SRTT_A_IMPOSSIBLE,
	SRTT_A_TRACK_BUSY,
	SRTT_A_TRACK_RESTART,
	SRTT_A_HIST_FROM,
	SRTT_A_HIST_TO,
	SRTT_A_HIST_COUNT,
	SRTT_A_HIST_OVER,
	SRTT_A_HIST_MIN,
	SRTT_A_HIST_MAX,
	SRTT_A_HIST_SUM,
	SRTT_A_HIST_BUCKET,
	SRTT_A_RECORDS,
	SRTT_A_LOST,
	SRTT_A_TRACK_EVICT,
	SRTT_A_IRQS,
	SRTT_A_NAPI_POLLS,
	SRTT_A_DEV_STAGES,

	__SRTT_A_MAX
};
#define SRTT_A_MAX (__SRTT_A_MAX - 1)

enum srtt_stage_stats_attr {
	SRTT_A_SS_UNSPEC,
	SRTT_A_SS_PAD,
	SRTT_A_SS_STAGE,
	SRTT_A_SS_HITS,
	SRTT_A_SS_LOST,
	SRTT_A_SS_BAD,

	__SRTT_A_SS_MAX
};
#define SRTT_A_SS_MAX (__SRTT_A_SS_MAX - 1)

enum srtt_hist_bucket_attr {
	SRTT_A_HB_UNSPEC,
	SRTT_A_HB_PAD,
	SRTT_A_HB_INDEX,
	SRTT_A_HB_COUNT,

	__SRTT_A_HB_MAX
};
#define SRTT_A_HB_MAX (__SRTT_A_HB_MAX - 1)

enum srtt_cmd {
	SRTT_CMD_UNSPEC,
	SRTT_CMD_DEV_ATTACH,
	SRTT_CMD_DEV_DETACH,
	SRTT_CMD_DEV_GET,
	SRTT_CMD_CONFIG_SET,
	SRTT_CMD_CONFIG_GET,
	SRTT_CMD_STATS_GET,
	SRTT_CMD_HIST_GET,
	SRTT_CMD_HIST_RESET,
	SRTT_CMD_RECORDS,
	SRTT_CMD_RECORDS_FLUSH,

	__SRTT_CMD_MAX
};
#define SRTT_CMD_MAX (__SRTT_CMD_MAX - 1)

#define SRTT_GENL_MCGRP_RECORDS	"records"

#endif /* _UAPI_LINUX_SRIOV_RTT_NL_H */
