// SPDX-License-Identifier: GPL-2.0
/* sriov-rtt: the summary of a run, in text and JSON (breakdown.h). */

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bd_priv.h"
#include "breakdown.h"
#include "hist.h"

/* Nearest rank: the smallest value with >= @permille/1000 at or below it */
static int64_t pct(const int64_t *v, size_t n, unsigned int permille)
{
	size_t rank = (size_t)(((uint64_t)n * permille + 999) / 1000);

	if (rank < 1)
		rank = 1;
	return v[rank - 1];
}

const char *bd_us_str(int64_t ns, char *buf, size_t size)
{
	uint64_t a = ns < 0 ? -(uint64_t)ns : (uint64_t)ns;

	snprintf(buf, size, "%s%" PRIu64 ".%03" PRIu64, ns < 0 ? "-" : "",
		 a / 1000, a % 1000);
	return buf;
}

static const struct {
	const char	*key;
	unsigned int	permille;
} stats_cols[] = {
	{ "min", 0 }, { "p50", 500 }, { "p90", 900 }, { "p99", 990 },
	{ "p99.9", 999 }, { "max", 1000 },
};

#define N_COLS	ARRAY_SIZE(stats_cols)

int64_t bd_comp_stat(const struct bd_comp *c, size_t col)
{
	return stats_cols[col].permille ?
		pct(c->v, c->n, stats_cols[col].permille) : c->v[0];
}

/* Does the sample support column @col (srtt_hist_pct_supported())? */
bool bd_comp_supported(const struct bd_comp *c, size_t col)
{
	return !stats_cols[col].permille || stats_cols[col].permille == 1000 ||
	       srtt_hist_pct_supported(c->n, stats_cols[col].permille * 1000);
}

static void print_comp(struct srtt_out *o, const struct bd_comp *c,
		       bool oneway)
{
	char key[32], us[32], label[SRTT_DECOMP_NAME_MAX + 8];
	size_t i;

	snprintf(label, sizeof(label), "%s%s", oneway ? "~" : "", c->name);
	srtt_open_object(o, NULL);
	/* a long merged name gets a line of its own */
	if (strlen(label) > 44) {
		srtt_print_string(o, SRTT_PK_TEXT, NULL, "  %s\n", label);
		label[0] = 0;
	}
	srtt_print_string(o, SRTT_PK_TEXT, NULL, "  %-44s", label);
	srtt_print_string(o, SRTT_PK_JSON, "name", NULL, c->name);
	srtt_print_bool(o, SRTT_PK_JSON, "merged", NULL, c->merged, "", "");
	srtt_print_u64(o, SRTT_PK_ANY, "count", " %6" PRIu64, c->n);
	for (i = 0; i < N_COLS; i++) {
		snprintf(key, sizeof(key), "%s_ns", stats_cols[i].key);
		/* p99 from 100 values, p99.9 from 1000: "-", JSON null */
		if (!c->n || !bd_comp_supported(c, i)) {
			srtt_print_null(o, SRTT_PK_ANY, key, " %10s", "-");
			continue;
		}
		bd_us_str(bd_comp_stat(c, i), us, sizeof(us));
		srtt_print_string(o, SRTT_PK_TEXT, NULL, " %10s", us);
		srtt_print_s64(o, SRTT_PK_JSON, key, NULL, bd_comp_stat(c, i));
	}
	srtt_print_u64(o, SRTT_PK_ANY, "impossible", " %10" PRIu64,
		       c->impossible);
	srtt_print_string(o, SRTT_PK_TEXT, NULL, " %s",
			  bd_us_str((int64_t)c->err_max, us, sizeof(us)));
	srtt_print_u64(o, SRTT_PK_JSON, "error_bound_ns", NULL, c->err_max);
	srtt_print_nl(o);
	srtt_close_object(o);
}

/* A duration in the unit that fits it: 812 ns, 12.345 us, 3.5 ms, 1.2 s. */
static const char *dur_str(int64_t ns, char *buf, size_t size)
{
	uint64_t a = ns < 0 ? -(uint64_t)ns : (uint64_t)ns;
	const char *sign = ns < 0 ? "-" : "";

	if (a < 1000)
		snprintf(buf, size, "%s%" PRIu64 " ns", sign, a);
	else if (a < 1000000)
		snprintf(buf, size, "%s%" PRIu64 ".%03" PRIu64 " us", sign,
			 a / 1000, a % 1000);
	else if (a < 1000000000)
		snprintf(buf, size, "%s%" PRIu64 ".%03" PRIu64 " ms", sign,
			 a / 1000000, a / 1000 % 1000);
	else
		snprintf(buf, size, "%s%" PRIu64 ".%03" PRIu64 " s", sign,
			 a / 1000000000, a / 1000000 % 1000);
	return buf;
}

/* Windows cut at a rate change (@nonlinear: those still not linear). */
static uint64_t win_count(const struct bd_run *r, bool nonlinear)
{
	uint64_t n = 0;
	size_t w;

	for (w = 0; w < r->nest; w++)
		n += nonlinear ? !!(r->est[w].flags & SRTT_OFFSET_F_NONLINEAR) :
				 r->est[w].splits != 0;
	return n;
}

/*
 * The largest |skew| of any window, ppb: a packet's G intervals go into
 * H time by its own window's skew, which the shown estimate need not be.
 */
static uint64_t skew_max(const struct bd_run *r)
{
	uint64_t m = 0;
	size_t w;

	for (w = 0; w < r->nest; w++)
		if (bd_win_skew(r, w) > m)
			m = bd_win_skew(r, w);
	return m;
}

/* the offset estimate: its windows, skew and what it left out */
static void print_estimate(struct srtt_out *o, const struct bd_run *r,
			   const struct srtt_offset_est *e, int64_t theta)
{
	char a[32], b[32];
	uint64_t max;

	srtt_print_string(o, SRTT_PK_TEXT, NULL, ": offset G-H %s",
			  dur_str(theta, a, sizeof(a)));
	srtt_print_string(o, SRTT_PK_TEXT, NULL, " +- %s",
			  dur_str((int64_t)e->bound_ns, b, sizeof(b)));
	srtt_print_string(o, SRTT_PK_ANY, "offset_clocks", " (%s",
			  r->offset_g_mono ?
			  "both CLOCK_MONOTONIC" :
			  "both CLOCK_REALTIME: the reflector sent no MONOTONIC bracket");
	srtt_print_u64(o, SRTT_PK_ANY, "windows", ", %" PRIu64 " windows",
		       r->nest);
	srtt_print_s64(o, SRTT_PK_JSON, "skew_ppb", NULL, e->skew_ppb);
	snprintf(a, sizeof(a), "%s%" PRIu64 ".%03" PRIu64,
		 e->skew_ppb < 0 ? "-" : "",
		 (uint64_t)llabs(e->skew_ppb) / 1000,
		 (uint64_t)llabs(e->skew_ppb) % 1000);
	srtt_print_string(o, SRTT_PK_TEXT, NULL, ", skew %s ppm", a);
	max = skew_max(r);
	srtt_print_u64(o, SRTT_PK_JSON, "skew_max_ppb", NULL, max);
	if (r->nest > 1) {
		snprintf(a, sizeof(a), "%" PRIu64 ".%03" PRIu64,
			 max / 1000, max % 1000);
		srtt_print_string(o, SRTT_PK_TEXT, NULL,
				  ", largest of any window %s ppm", a);
	}
	srtt_print_string(o, SRTT_PK_TEXT, NULL, "%s", ")");
	srtt_print_u64(o, SRTT_PK_ANY, "windows_split",
		       "; windows split at a rate change %" PRIu64,
		       win_count(r, false));
	srtt_print_u64(o, SRTT_PK_ANY, "windows_nonlinear",
		       ", too short to split (bounds estimated) %" PRIu64,
		       win_count(r, true));
	if (r->offset_other_kind)
		srtt_print_u64(o, SRTT_PK_ANY, "offset_other_clock",
			       "; %" PRIu64 " replies of the other clock kind left out",
			       r->offset_other_kind);
}

/* the hypervisor clock's offset, and whether the estimate agrees */
static void print_ptp(struct srtt_out *o, const struct bd_run *r)
{
	char a[32], b[32];
	int64_t median;

	median = pct(r->ptp.v, r->ptp.n, 500);
	srtt_print_string(o, SRTT_PK_TEXT, NULL,
			  "  hypervisor clock (ptp_kvm in the reflector's kernel): offset G-H %s us",
			  bd_us_str(median, a, sizeof(a)));
	srtt_print_s64(o, SRTT_PK_JSON, "offset_ns", NULL, median);
	srtt_print_string(o, SRTT_PK_TEXT, NULL, " (median) +- %s us",
			  bd_us_str((int64_t)r->ptp.err_max, b, sizeof(b)));
	srtt_print_u64(o, SRTT_PK_JSON, "error_ns", NULL, r->ptp.err_max);
	srtt_print_u64(o, SRTT_PK_ANY, "replies", ", %" PRIu64 " replies",
		       r->ptp.n);
	srtt_print_u64(o, SRTT_PK_ANY, "estimate_inside",
		       "; the estimate agrees within the bounds for %" PRIu64,
		       r->ptp_inside);
	srtt_print_u64(o, SRTT_PK_ANY, "estimate_checked", " of %" PRIu64,
		       r->ptp_checked);
	srtt_print_bool(o, SRTT_PK_ANY, "used", "%s", r->ptp_used,
			"; used for the one-way and hypervisor splits",
			"; not used (is this host the reflector's hypervisor?)");
	srtt_print_nl(o);
}

static void print_clock(struct srtt_out *o, const struct bd_run *r)
{
	int err = r->offset_err ? r->offset_err : SRTT_OFFSET_ENOSAMPLE;
	const struct srtt_offset_est *e;
	int64_t theta;

	e = bd_clock_shown(r, &theta);
	srtt_open_object(o, "clock");
	if (bd_same_kernel(r)) {
		srtt_print_string(o, SRTT_PK_ANY, "relation",
				  "  clocks: %s", "same_kernel");
		srtt_print_string(o, SRTT_PK_TEXT, NULL, "%s",
				  " (the reflector's boot id is this kernel's): offset 0 exactly\n");
	} else {
		srtt_print_string(o, SRTT_PK_ANY, "relation", "  clocks: %s",
				  r->other_boot ? "other_kernel" : "unknown");
		srtt_print_string(o, SRTT_PK_TEXT, NULL, "%s",
				  r->other_boot ? " (another boot id)" :
				  " (no boot id from the reflector)");
		if (e)
			print_estimate(o, r, e, theta);
		else
			srtt_print_string(o, SRTT_PK_ANY, "offset_error",
					  ": no offset estimate (%s)",
					  srtt_offset_strerror(err));
		srtt_print_nl(o);
	}
	if (bd_same_kernel(r)) {	/* one clock: 0 exactly, as the text says */
		srtt_print_s64(o, SRTT_PK_JSON, "offset_ns", NULL, 0);
		srtt_print_u64(o, SRTT_PK_JSON, "offset_bound_ns", NULL, 0);
	} else if (e) {
		srtt_print_s64(o, SRTT_PK_JSON, "offset_ns", NULL, theta);
		srtt_print_u64(o, SRTT_PK_JSON, "offset_bound_ns", NULL,
			       e->bound_ns);
	}
	srtt_open_object(o, "ptp_kvm");
	if (r->ptp.n)
		print_ptp(o, r);
	srtt_close_object(o);
	srtt_close_object(o);
}

static void print_header(struct srtt_out *o, const char *first)
{
	size_t k;

	srtt_print_string(o, SRTT_PK_TEXT, NULL, "  %-44s", first);
	srtt_print_string(o, SRTT_PK_TEXT, NULL, " %6s", "count");
	for (k = 0; k < N_COLS; k++)
		srtt_print_string(o, SRTT_PK_TEXT, NULL, " %10s",
				  stats_cols[k].key);
	srtt_print_string(o, SRTT_PK_TEXT, NULL, " %10s", "impossible");
	srtt_print_string(o, SRTT_PK_TEXT, NULL, " %s\n", "+-bound");
}

/* what was run, and what came back */
static void print_counts(struct srtt_out *o, const struct bd_run *r,
			 const char *title)
{
	srtt_print_string(o, SRTT_PK_TEXT, NULL, "%s", title);
	if (r->target[0]) {
		srtt_print_string(o, SRTT_PK_ANY, "target", " to %s",
				  r->target);
		srtt_print_string(o, SRTT_PK_ANY, "address", " (%s)", r->addr);
		/* checked 1-65535 by the parser: a number */
		srtt_print_u64(o, SRTT_PK_ANY, "port", " port %" PRIu64,
			       strtoull(r->port, NULL, 10));
		srtt_print_u64(o, SRTT_PK_ANY, "ssid", ", ssid %" PRIu64,
			       r->ssid);
		srtt_print_u64(o, SRTT_PK_ANY, "size", ", %" PRIu64 " bytes",
			       r->size);
	}
	srtt_print_nl(o);
	srtt_print_u64(o, SRTT_PK_ANY, "sent", "  %" PRIu64 " sent", r->sent);
	srtt_print_u64(o, SRTT_PK_ANY, "received", ", %" PRIu64 " received",
		       r->received);
	srtt_print_u64(o, SRTT_PK_ANY, "lost", ", %" PRIu64 " lost",
		       r->sent - r->received);
	srtt_print_u64(o, SRTT_PK_ANY, "late", " (%" PRIu64 " of them late)",
		       r->late);
	srtt_print_u64(o, SRTT_PK_ANY, "duplicate", ", %" PRIu64 " duplicate",
		       r->dup);
	srtt_print_u64(o, SRTT_PK_ANY, "unmatched", ", %" PRIu64 " unmatched",
		       r->unmatched);
	srtt_print_u64(o, SRTT_PK_ANY, "malformed", ", %" PRIu64 " malformed",
		       r->malformed);
	srtt_print_u64(o, SRTT_PK_ANY, "unreachable",
		       ", %" PRIu64 " ICMP unreachable", r->refused);
	if (r->icmp_other)
		srtt_print_u64(o, SRTT_PK_ANY, "icmp_other",
			       ", %" PRIu64 " other ICMP errors",
			       r->icmp_other);
	srtt_print_nl(o);
}

/* replies of a TWAMP-Light reflector: what they cannot carry */
static void print_light(struct srtt_out *o, const struct bd_run *r)
{
	if (!r->light)
		return;
	srtt_print_u64(o, SRTT_PK_ANY, "twamp_light",
		       "  TWAMP-Light replies (RFC 5357 layout) %" PRIu64,
		       r->light);
	srtt_print_string(o, SRTT_PK_ANY, "twamp_light_missing",
			  ": not visible: %s", r->no_ttl ?
			  "TLVs, the Sender TTL" : "TLVs");
	srtt_print_u64(o, SRTT_PK_ANY, "twamp_light_no_ttl",
		       " (without the TTL %" PRIu64 ")\n", r->no_ttl);
}

/* where T1 and T4 came from */
static void print_timestamps(struct srtt_out *o, const struct bd_run *r)
{
	srtt_open_object(o, "timestamps");
	srtt_print_string(o, SRTT_PK_ANY, "t1_source", "  T1: %s",
			  "clock_gettime(CLOCK_REALTIME) before send");
	srtt_print_u64(o, SRTT_PK_ANY, "t1_driver_stamps",
		       " (driver TX stamps in the CSV: %" PRIu64 ")", r->t1_sw);
	srtt_print_string(o, SRTT_PK_ANY, "t4_source", "; T4: %s",
			  r->t4_sw == r->received && r->received ?
			  "SO_TIMESTAMPING software" :
			  !r->t4_sw ?
			  "clock_gettime(CLOCK_REALTIME) after recvmsg" :
			  "mixed");
	srtt_print_u64(o, SRTT_PK_ANY, "t4_software", " (software %" PRIu64,
		       r->t4_sw);
	srtt_print_u64(o, SRTT_PK_ANY, "t4_clock_gettime",
		       ", clock_gettime %" PRIu64 ")", r->received - r->t4_sw);
	srtt_print_nl(o);
	srtt_close_object(o);
}

/* "  SIDE stages: " where they came from, or why they are not visible */
static void print_side(struct srtt_out *o, const char *side,
		       const char *from, const char *why)
{
	srtt_print_string(o, SRTT_PK_TEXT, NULL, "  %s stages: ", side);
	if (!why[0])
		srtt_print_string(o, SRTT_PK_ANY, side, "%s", from);
	else
		srtt_print_string(o, SRTT_PK_ANY, side, "not visible: %s", why);
}

/* where the stages came from, and what may be missing */
static void print_stages(struct srtt_out *o, const struct bd_run *r)
{
	srtt_open_object(o, "stages");
	print_side(o, "host", "sriov_rtt records group", r->host_why);
	srtt_print_u64(o, SRTT_PK_ANY, "host_lost_records",
		       " (records lost: %" PRIu64, r->h_lost_kernel);
	srtt_print_u64(o, SRTT_PK_ANY, "host_socket_overruns",
		       ", socket overruns %" PRIu64, r->h_lost_socket);
	srtt_print_u64(o, SRTT_PK_ANY, "host_keys_evicted",
		       ", keys evicted %" PRIu64, r->h_evicted);
	srtt_print_u64(o, SRTT_PK_ANY, "host_records_stale",
		       ", records outside their probe's time %" PRIu64,
		       r->h_stale);
	srtt_print_u64(o, SRTT_PK_ANY, "host_packets_with_loss",
		       ", probes that may miss a stage %" PRIu64 ")\n",
		       r->h_lost);
	print_side(o, "guest", "from the reflector's TLVs", r->guest_why);
	srtt_print_u64(o, SRTT_PK_ANY, "guest_no_source",
		       " (replies without a source: %" PRIu64, r->g_no_source);
	srtt_print_u64(o, SRTT_PK_ANY, "guest_lost",
		       ", with records lost %" PRIu64, r->g_lost);
	srtt_print_u64(o, SRTT_PK_ANY, "no_follow_up",
		       ", without follow-up %" PRIu64 ")\n", r->no_fu);
	srtt_print_u64(o, SRTT_PK_ANY, "host_rx_irq_early",
		       "  interrupt stamps left out, served before the packet was sent: host %" PRIu64,
		       r->rx_early[SRTT_DECOMP_DOM_H]);
	srtt_print_u64(o, SRTT_PK_ANY, "guest_rx_irq_early",
		       ", guest %" PRIu64 "\n", r->rx_early[SRTT_DECOMP_DOM_G]);
	srtt_close_object(o);
}

/* the RTT and its components */
static void print_components(struct srtt_out *o, const struct bd_run *r)
{
	unsigned int i;

	print_header(o, "component (us)");
	srtt_open_array(o, "components");
	print_comp(o, &r->rtt, false);
	for (i = 0; i < r->ncomp; i++)
		print_comp(o, &r->comp[i], false);
	srtt_close_array(o);
	srtt_print_u64(o, SRTT_PK_ANY, "decomp_errors", r->decomp_err ?
		       "  %" PRIu64 " probes not decomposed\n" : "",
		       r->decomp_err);
}

/* the network split into forward and reverse by the clock offset */
static void print_one_way(struct srtt_out *o, const struct bd_run *r)
{
	srtt_open_array(o, "one_way");
	if (r->fwd.n || r->fwd.impossible) {
		srtt_print_string(o, SRTT_PK_TEXT, NULL, "%s",
				  "  one way (~: with the clock offset; its bound is the +-bound column)\n");
		print_comp(o, &r->fwd, true);
		print_comp(o, &r->rev, true);
	}
	srtt_close_array(o);
}

/* intervals beside the sum: xmit calls, reflector flush, after T4 */
static void print_beside(struct srtt_out *o, const struct bd_run *r)
{
	srtt_open_array(o, "beside");
	if (r->xmit[0].n || r->xmit[0].impossible || r->xmit[1].n ||
	    r->xmit[1].impossible || r->flush.n || r->flush_saturated) {
		/* a reflector that waited for its stages before replying */
		srtt_print_string(o, SRTT_PK_TEXT, NULL, "%s",
				  r->flush.n || r->flush_saturated ?
				  "  beside the sum (xmit calls: tx_drv -> tx_drv_done, they overlap the network;\n"
				  "  reflector_stage_flush: the reflector waiting for its stages, part of reflector)\n" :
				  "  beside the sum (xmit calls: tx_drv -> tx_drv_done, they overlap the network)\n");
		print_comp(o, &r->xmit[0], false);
		print_comp(o, &r->xmit[1], false);
		if (r->flush.n)
			print_comp(o, &r->flush, false);
	}
	if (r->hsock[0].n || r->hsock[0].impossible) {
		srtt_print_string(o, SRTT_PK_TEXT, NULL, "%s",
				  "  after T4, the sender's own receive (not in the RTT: its kernel stamps T4 before IP and UDP)\n");
		print_comp(o, &r->hsock[0], false);
		print_comp(o, &r->hsock[1], false);
	}
	srtt_close_array(o);
	if (r->flush_saturated)
		srtt_print_u64(o, SRTT_PK_ANY, "flush_saturated",
			       "  reflector_stage_flush of 65.535 ms or more (the field's limit; not in the figures above): %" PRIu64 "\n",
			       r->flush_saturated);
}

/* the hypervisor's part of the forward path */
static void print_hypervisor(struct srtt_out *o, const struct bd_run *r)
{
	uint64_t vf = (uint64_t)(r->hv_vf < 0 ? 0 : r->hv_vf);

	srtt_print_string(o, SRTT_PK_JSON, "hypervisor_path", NULL,
			  r->hv_kind == BD_HV_VFIO ? "vfio" :
			  r->hv_kind == BD_HV_VHOST ? "vhost" : "none");
	if (r->hv_kind == BD_HV_VFIO)
		srtt_print_u64(o, SRTT_PK_JSON, "hypervisor_vf", NULL, vf);
	srtt_open_array(o, "hypervisor");
	if (r->hv_kind == BD_HV_VFIO) {
		srtt_print_u64(o, SRTT_PK_TEXT, NULL,
			       "  hypervisor, forward: VF %" PRIu64 "'s interrupt as the host took it (vfio-pci), KVM's\n"
			       "  injection of it, guest rx_irq (~: with the clock offset, +-bound column)\n",
			       vf);
		print_comp(o, &r->hv_nic, false);
		print_comp(o, &r->hv_host, false);
		print_comp(o, &r->hv, true);
	} else if (r->hv_kind == BD_HV_VHOST) {
		srtt_print_string(o, SRTT_PK_TEXT, NULL, "%s",
				  "  hypervisor, forward: the host's VF under the tap took the request, vhost signalled\n"
				  "  the guest, KVM injected it, guest rx_irq (~: with the clock offset, +-bound column)\n");
		print_comp(o, &r->hv_nic, false);
		print_comp(o, &r->hv_vfrx, false);
		print_comp(o, &r->hv_vhost, false);
		print_comp(o, &r->hv_host, false);
		print_comp(o, &r->hv, true);
	}
	srtt_close_array(o);
	if (r->hv_kind != BD_HV_NONE)
		srtt_print_u64(o, SRTT_PK_ANY, "hv_after_irq",
			       "  impossible: the host's event came after the guest's rx_irq (another packet's\n"
			       "  event if the guest polled): %" PRIu64 "\n",
			       r->hv_after_irq);
	srtt_print_u64(o, SRTT_PK_JSON, "hv_events", NULL, r->hv_events);
	srtt_print_u64(o, SRTT_PK_JSON, "hv_events_dropped", NULL,
		       r->hv_events_dropped);
	if (r->hv_events_dropped)
		srtt_print_u64(o, SRTT_PK_TEXT, NULL,
			       "  hypervisor events dropped (table full): %" PRIu64 "\n",
			       r->hv_events_dropped);
}

/* what the components merged, and what could not be seen */
static void print_merged(struct srtt_out *o, const struct bd_run *r)
{
	unsigned int i;

	srtt_open_array(o, "merged");
	for (i = 0; i < r->ncomp; i++)
		if (r->comp[i].merged)
			srtt_print_string(o, SRTT_PK_ANY, NULL,
					  "  merged (no stamp between them): %s\n",
					  r->comp[i].name);
	srtt_close_array(o);
}

static void not_visible(struct srtt_out *o, const char *what)
{
	srtt_print_string(o, SRTT_PK_ANY, NULL, "  not visible: %s\n", what);
}

static void print_not_visible(struct srtt_out *o, const struct bd_run *r)
{
	srtt_open_array(o, "not_visible");
	if (r->host_why[0])
		not_visible(o, "host_stack_tx, host_drv_rx, host_stack_rx (no host stages)");
	if (r->guest_why[0])
		not_visible(o, "guest_irq, guest_stack_rx, guest_stack_tx (no guest stages)");
	if (!r->fwd.n && !r->fwd.impossible)
		not_visible(o, "forward and reverse one way (no clock offset)");
	if (r->hv_kind == BD_HV_NONE && r->hv_why[0])
		srtt_print_string(o, SRTT_PK_ANY, NULL,
				  "  not visible: hypervisor (the reflector's VF is not known: %s)\n",
				  r->hv_why);
	else if (r->hv_kind == BD_HV_NONE)
		not_visible(o, "hypervisor (no host-side interrupt stamps on this path)");
	else if (!r->hv.n && !r->hv.impossible)
		not_visible(o, "hypervisor to the guest's rx_irq (no guest rx_irq stamp, or no clock offset)");
	srtt_close_array(o);
}

void bd_print(struct srtt_out *o, struct bd_run *r, const char *title)
{
	srtt_open_object(o, NULL);
	print_counts(o, r, title);
	print_light(o, r);
	print_timestamps(o, r);
	print_stages(o, r);
	print_clock(o, r);
	print_components(o, r);
	print_one_way(o, r);
	print_beside(o, r);
	print_hypervisor(o, r);
	bd_print_notify(o, r);
	print_merged(o, r);
	print_not_visible(o, r);
	srtt_close_object(o);
}
