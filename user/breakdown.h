/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sriov-rtt: the breakdown of a probe run, shared by `probe` (live) and
 * `report` (from the CSV the probe wrote): per-packet decomposition
 * (decomp/decomp.h) driven by breakdown.c, the clock offset and the
 * one-way split (decomp/offset.h) in bd_clock.c, the summary in text and
 * JSON (bd_summary.c), the CSV (bd_csv.c, read back by bd_csv_read.c) and
 * the SVG chart (bd_svg.c).
 *
 * A packet is kept as the stamps the decomposition needs, each already in
 * its domain's clock: H is the sender kernel's CLOCK_MONOTONIC; G is the
 * reflector kernel's CLOCK_MONOTONIC when the reply carried a clock
 * bracket (GUEST_STAGES TLV), else the reflector's CLOCK_REALTIME (T2 and
 * T3 as they came). The CSV holds exactly these, so `report` redoes the
 * same arithmetic.
 */
#ifndef _SRTT_BREAKDOWN_H
#define _SRTT_BREAKDOWN_H

#include <stdbool.h>
#include <stdint.h>

#include <linux/sriov_rtt.h>

#include "decomp/decomp.h"
#include "decomp/offset.h"
#include "lib/json.h"
#include "lib/notify.h"

/* per-packet flags */
#define BD_SENT		0x0001
#define BD_RECEIVED	0x0002	/* a reply within the timeout */
#define BD_LATE		0x0004	/* first reply after the timeout */
#define BD_DUP		0x0008	/* more than one reply */
#define BD_T1_SW	0x0010	/* the driver's software TX stamp came */
#define BD_T4_SW	0x0020	/* T4 from SO_TIMESTAMPING */
#define BD_IMPOSSIBLE	0x0040	/* a component or the RTT is impossible */
#define BD_DECOMP_ERR	0x0080	/* srtt_decomp() refused the stamps */
#define BD_G_MONO	0x0100	/* G stamps in the reflector's MONOTONIC */
#define BD_SAME_BOOT	0x0200	/* the reply's boot id is this kernel's */
#define BD_OTHER_BOOT	0x0400	/* the reply's boot id is another one */
#define BD_H_LOST	0x0800	/* host records were lost meanwhile */
#define BD_G_LOST	0x1000	/* the reflector says records were lost */
#define BD_G_NO_SOURCE	0x2000	/* the reflector has no stage source */
#define BD_NO_FU	0x4000	/* no follow-up about this reply */
#define BD_PTP		0x8000	/* ptp_theta: the hypervisor clock's offset */

#define BD_DOMS		2	/* SRTT_DECOMP_DOM_H, _G */

struct bd_pkt {
	uint32_t	seq;
	uint32_t	flags;
	/* raw app stamps, CLOCK_REALTIME ns (0: none) */
	int64_t		t1_real, t2_real, t3_real, t4_real;
	int64_t		t1_txsw;	/* sw TX stamp (driver), REALTIME */
	uint32_t	g_flush_us;	/* reflector's records flush, 0: none */
	/* from the clocks (bd_clock.c): rx_irq/softirq left out, window */
	uint16_t	rx_dropped[BD_DOMS];
	int		win;		/* offset window, -1: none */
	/* T1..T4 in their domain's clock */
	int64_t		t1, t2, t3, t4;
	uint64_t	conv_err[BD_DOMS];	/* of the app stamps */
	/* stage stamps per domain, in its clock; stage_mask says which */
	uint16_t	stage_mask[BD_DOMS];
	int64_t		stage[BD_DOMS][__SRTT_STAGE_MAX];
	/*
	 * host events of the forward path (H clock, 0: none): a VF's
	 * interrupt through vfio-pci (hv_irq) or vhost's signal to a virtio
	 * guest (hv_signal), and KVM's injection of it; the host's own RX
	 * stamps of the request on the device under vhost (macvtap's VF)
	 */
	int64_t		hv_irq, hv_signal, hv_inject;
	/*
	 * G - H from the reflector's hypervisor clock (ptp_kvm), +- ptp_err,
	 * when BD_PTP; ptp_inside: the estimate agrees within both bounds
	 */
	int64_t		ptp_theta;
	uint64_t	ptp_err;
	int64_t		ptp_g;		/* when it was read, G clock */
	int64_t		fwd_rx_irq, fwd_rx_drv;
	uint16_t	hv_vf;
	/*
	 * from the clocks (bd_clock.c): the guest's rx_irq in H time, +-
	 * irq_h_err (irq_h_ok), for the hypervisor's split; the skew that
	 * takes the G intervals into H time, and its error
	 */
	bool		irq_h_ok;
	int64_t		irq_h;
	uint64_t	irq_h_err;
	int64_t		skew_ppb;
	uint64_t	rate_err_ppb;
	/* results */
	struct srtt_decomp d;
	bool		oneway_ok;
	struct srtt_decomp_oneway ow;
};

/* One component aggregated over the packets, keyed by its part set. */
#define BD_MAX_COMP	16
struct bd_comp {
	uint16_t	parts;
	bool		merged;
	char		name[SRTT_DECOMP_NAME_MAX];
	int64_t		*v;
	size_t		n, impossible;
	uint64_t	err_max;	/* largest error bound of a value */
};

/*
 * The notifications of a run, per side (lib/notify.h): the host's from
 * its module before the first request and after the last reply, per
 * probe sent; the guest's from the reflector's NOTIFY TLV in the
 * trailer, per request it counted.
 */
struct bd_notify {
	bool			host_read;	/* both reads were made */
	struct srtt_notify	host;		/* err: why not */
	uint64_t		probes;		/* requests between the reads */
	bool			guest_read;	/* a NOTIFY TLV came back */
	struct srtt_notify	guest;
	uint32_t		guest_requests;
	char			guest_why[64];	/* when !guest_read */
};

struct bd_run {
	/* what was run (report: from the CSV) */
	char		target[256];
	char		addr[64];
	char		port[8];
	uint16_t	ssid;
	unsigned int	size;
	bool		tlvs;		/* sriov_rtt TLVs asked for */
	uint64_t	count;
	struct bd_pkt	*p;
	/* counts */
	uint64_t	sent, received, late, dup, unmatched, malformed;
	uint64_t	refused;	/* ICMP destination unreachable */
	uint64_t	icmp_other;	/* other ICMP errors about requests */
	uint64_t	t1_sw, t4_sw;
	uint64_t	hw_stamps;	/* PHC stamps seen, not converted */
	uint64_t	h_lost_kernel, h_lost_socket, h_evicted;
	uint64_t	h_stale;	/* records out of their probe's time */
	uint64_t	light;		/* replies in the TWAMP-Light layout */
	uint64_t	no_ttl;		/* of those, without the Sender TTL */
	/* why a side's stages are missing ("" when present) */
	char		host_why[160];
	/* a VF's interrupts stamped, but which VF is the reflector's unknown */
	char		hv_why[96];
	char		guest_why[160];
	/* results */
	struct bd_comp	comp[BD_MAX_COMP];
	unsigned int	ncomp;
	struct bd_comp	rtt, fwd, rev;
	struct bd_comp	xmit[BD_DOMS];	/* tx_drv -> tx_drv_done, not summed */
	/*
	 * The sender's own receive after T4, its kernel's stamp: to the
	 * socket queue and to the application's copy; not summed.
	 */
	struct bd_comp	hsock[2];
	struct bd_comp	flush;		/* inside reflector: records flush */
	uint64_t	flush_saturated; /* flush_us >= 65.535 ms, the limit */
	uint64_t	decomp_err;
	uint64_t	same_boot, other_boot, gmono;
	struct srtt_offset_est *est;
	size_t		nest;
	int		offset_err;	/* SRTT_OFFSET_E* of the fit, 0 ok */
	/* the fit's G clock: MONOTONIC, else REALTIME */
	bool		offset_g_mono;
	uint64_t	offset_other_kind; /* replies not fitted: other kind */
	uint64_t	g_no_source, g_lost, h_lost, no_fu;
	uint64_t	rx_early[BD_DOMS];	/* interrupt stamps left out */
	/*
	 * the hypervisor, forward. vfio-pci: tx_drv -> the VF's interrupt
	 * on the host (hv_nic), that interrupt -> KVM's injection (hv_host),
	 * that interrupt -> guest rx_irq across the clocks (hv, with the
	 * bound). vhost: tx_drv -> the host VF's rx_irq (hv_nic), -> its
	 * rx_drv (hv_vfrx), -> vhost's signal (hv_vhost), -> KVM's injection
	 * (hv_host); the signal -> guest rx_irq (hv).
	 */
	struct bd_comp	hv_nic, hv_vfrx, hv_vhost, hv_host, hv;
	uint64_t	hv_after_irq;	/* hand-over after the guest's rx_irq */
	uint64_t	hv_events, hv_events_dropped;	/* probe only */
	int		hv_vf;		/* the VF of the first match, -1 none */
	int		hv_kind;	/* BD_HV_* of the first match */
	/*
	 * the reflector's hypervisor clock (ptp_kvm): replies with it, the
	 * packets where the offset estimate could be checked against it and
	 * where it held (estimate and ptp within their bounds); used for
	 * the one-way and hypervisor splits when it held for >= 99 %
	 */
	struct bd_comp	ptp;		/* theta from ptp_kvm, per reply */
	uint64_t	ptp_checked, ptp_inside;
	struct bd_notify nt;
	bool		ptp_used;
};

#define BD_HV_NONE	0
#define BD_HV_VFIO	1
#define BD_HV_VHOST	2

/* Decompose every received packet, estimate the offset, aggregate. */
int bd_analyse(struct bd_run *r);
void bd_print(struct srtt_out *o, struct bd_run *r, const char *title);
int bd_write_csv(const struct bd_run *r, FILE *fp);
/* 0, or -errno / -EINVAL with a message on stderr, "CMD: FILE..." */
int bd_read_csv(struct bd_run *r, const char *path, const char *cmd);
int bd_write_svg(const struct bd_run *r, FILE *fp);
void bd_free(struct bd_run *r);

#endif /* _SRTT_BREAKDOWN_H */
