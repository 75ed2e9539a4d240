// SPDX-License-Identifier: GPL-2.0
/*
 * sriov-rtt: the analysis of a probe run (breakdown.h), a pipeline of
 * four steps, each one pass over the packets that reads what the step
 * before it left in them:
 *
 * 1. stamps per clock domain (here, domain_stamps()): each reply's
 *    stamps in H and in G, decomposed once with the points certainly in
 *    path order (no interrupt stamps): the exchange of every reply.
 * 2. offset and its bound (bd_clock.c, bd_clock()): the offset windows
 *    fitted to the exchanges (decomp/offset.c), the hypervisor clock
 *    checked against them; per packet the interrupt stamps off its path,
 *    the guest's rx_irq in H time and the skew of its G intervals.
 * 3. intervals (here, intervals()): the decomposition with the
 *    interrupt stamps step 2 kept (decomp/decomp.c), the intervals
 *    beside the sum, the hypervisor's split, the one-way split by the
 *    offset (bd_clock_oneway()), each added to the run's aggregates.
 * 4. summaries: the aggregates sorted for their percentiles (here,
 *    summaries()), then printed in text or JSON (bd_summary.c), written
 *    per packet (bd_csv.c; bd_csv_read.c reads a run back for `report`)
 *    and drawn (bd_svg.c).
 */

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bd_priv.h"
#include "breakdown.h"

/*
 * The interrupt-side RX stages: which interrupt served a packet is known,
 * when it arrived is not (see rx_early() in bd_clock.c).
 */
#define RX_IRQ_SIDE	(1U << SRTT_STAGE_RX_IRQ | 1U << SRTT_STAGE_RX_SOFTIRQ)

/* The run's aggregates beside the components: where, and their names. */
static const struct {
	size_t		off;
	const char	*name;
} fixed_comps[] = {
	{ offsetof(struct bd_run, flush),	"reflector_stage_flush" },
	{ offsetof(struct bd_run, xmit[0]),	"host_xmit_call" },
	{ offsetof(struct bd_run, xmit[1]),	"guest_xmit_call" },
	{ offsetof(struct bd_run, hsock[0]),	"host_socket_rx" },
	{ offsetof(struct bd_run, hsock[1]),	"host_wakeup" },
	{ offsetof(struct bd_run, rtt),		"rtt" },
	{ offsetof(struct bd_run, fwd),		"forward" },
	{ offsetof(struct bd_run, rev),		"reverse" },
	{ offsetof(struct bd_run, hv_nic),	"host_drv_tx+nic" },
	{ offsetof(struct bd_run, hv_vfrx),	"host_vf_irq+drv" },
	{ offsetof(struct bd_run, hv_vhost),	"host_stack+macvtap+vhost" },
	{ offsetof(struct bd_run, hv_host),	"hypervisor_host" },
	{ offsetof(struct bd_run, hv),		"hypervisor" },
	{ offsetof(struct bd_run, ptp),		"ptp_kvm_offset" },
};

#define N_FIXED	ARRAY_SIZE(fixed_comps)

static struct bd_comp *fixed_comp(struct bd_run *r, size_t i)
{
	return (struct bd_comp *)((char *)r + fixed_comps[i].off);
}

static int comp_init(struct bd_comp *c, const char *name, uint16_t parts,
		     bool merged, size_t max)
{
	c->parts = parts;
	c->merged = merged;
	snprintf(c->name, sizeof(c->name), "%s", name);
	c->v = calloc(max ? max : 1, sizeof(*c->v));
	return c->v ? 0 : -ENOMEM;
}

static void comp_add(struct bd_comp *c, const struct srtt_decomp_comp *v)
{
	if (v->impossible) {
		c->impossible++;
		return;
	}
	c->v[c->n++] = v->value_ns;
	if (v->err_ns > c->err_max)
		c->err_max = v->err_ns;
}

/* an interval inside one clock, exact: impossible below 0 or beyond 60 s */
static void comp_add_exact(struct bd_comp *c, int64_t from, int64_t to)
{
	struct srtt_decomp_comp v = { .value_ns = to - from };

	v.impossible = v.value_ns < 0 || v.value_ns > SRTT_DECOMP_MAX_NS;
	comp_add(c, &v);
}

/* The run's aggregate of the component with @c's parts: NULL when full. */
static struct bd_comp *comp_get(struct bd_run *r,
				const struct srtt_decomp_comp *c)
{
	unsigned int i;

	for (i = 0; i < r->ncomp; i++)
		if (r->comp[i].parts == c->parts)
			return &r->comp[i];
	if (r->ncomp == BD_MAX_COMP ||
	    comp_init(&r->comp[r->ncomp], c->name, c->parts, c->merged,
		      r->count))
		return NULL;
	return &r->comp[r->ncomp++];
}

static int cmp_comp_order(const void *a, const void *b)
{
	const struct bd_comp *x = a, *y = b;
	/* path order: the lowest part first */
	unsigned int fx = (unsigned int)__builtin_ctz(x->parts ? x->parts : 1);
	unsigned int fy = (unsigned int)__builtin_ctz(y->parts ? y->parts : 1);

	return (fx > fy) - (fx < fy);
}

static int cmp_s64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* ---- 1: stamps per clock domain ---- */

/*
 * The stamps of a packet in their domains, for srtt_decomp(). @safe: the
 * points certainly in path order only (step 1); else with the interrupt
 * stamps step 2 kept and its skew (step 3).
 */
static size_t pkt_stamps(const struct bd_pkt *p, struct srtt_decomp_stamp *st,
			 struct srtt_decomp_in *in, bool safe)
{
	uint8_t gconv = (p->flags & BD_G_MONO) ? SRTT_DECOMP_CONV_G_APP :
						 SRTT_DECOMP_CONV_NATIVE;
	size_t n = 0;
	unsigned int d, s;

	memset(in, 0, sizeof(*in));
	st[n++] = (struct srtt_decomp_stamp){ p->t1, SRTT_DECOMP_DOM_H,
		SRTT_DECOMP_APP_TX, SRTT_DECOMP_CONV_H_APP, 1 };
	st[n++] = (struct srtt_decomp_stamp){ p->t4, SRTT_DECOMP_DOM_H,
		SRTT_DECOMP_APP_RX, SRTT_DECOMP_CONV_H_APP, 1 };
	st[n++] = (struct srtt_decomp_stamp){ p->t2, SRTT_DECOMP_DOM_G,
		SRTT_DECOMP_APP_RX, gconv, 1 };
	st[n++] = (struct srtt_decomp_stamp){ p->t3, SRTT_DECOMP_DOM_G,
		SRTT_DECOMP_APP_TX, gconv, 1 };
	for (d = 0; d < BD_DOMS; d++)
		for (s = 0; s < __SRTT_STAGE_MAX; s++) {
			/*
			 * PHC stamps are not converted into the domain clock.
			 * tx_drv_done is not a point of the path: the doorbell
			 * inside ndo_start_xmit() can put the frame on its way
			 * (and the peer can receive it) before the call
			 * returns.
			 */
			if (!(p->stage_mask[d] & (1U << s)) ||
			    s == SRTT_STAGE_RX_HW || s == SRTT_STAGE_TX_HW ||
			    s == SRTT_STAGE_TX_DRV_DONE)
				continue;
			if ((1U << s) & RX_IRQ_SIDE &
			    (safe ? ~0U : p->rx_dropped[d]))
				continue;
			/* G stages are MONOTONIC: only beside T2/T3 in it */
			if (d == SRTT_DECOMP_DOM_G && !(p->flags & BD_G_MONO))
				continue;
			st[n++] = (struct srtt_decomp_stamp){ p->stage[d][s],
				(uint8_t)d, (uint8_t)s,
				SRTT_DECOMP_CONV_NATIVE, 1 };
		}
	in->st = st;
	in->n = n;
	in->conv_err_ns[SRTT_DECOMP_CONV_H_APP] =
		p->conv_err[SRTT_DECOMP_DOM_H];
	in->conv_err_ns[SRTT_DECOMP_CONV_G_APP] =
		(p->flags & BD_G_MONO) ? p->conv_err[SRTT_DECOMP_DOM_G] : 0;
	if (!safe) {
		in->skew_ppb = p->skew_ppb;
		in->rate_err_ppb = p->rate_err_ppb;
	}
	return n;
}

/* what the replies say of their clocks and of records lost */
static void count_flags(struct bd_run *r, const struct bd_pkt *p)
{
	if (p->flags & BD_G_MONO)
		r->gmono++;
	if (p->flags & BD_SAME_BOOT)
		r->same_boot++;
	if (p->flags & BD_OTHER_BOOT)
		r->other_boot++;
	if (p->flags & BD_G_NO_SOURCE)
		r->g_no_source++;
	if (p->flags & BD_G_LOST)
		r->g_lost++;
	if (p->flags & BD_H_LOST)
		r->h_lost++;
	if (p->flags & BD_NO_FU)
		r->no_fu++;
}

static void domain_stamps(struct bd_run *r)
{
	struct srtt_decomp_stamp st[4 + BD_DOMS * __SRTT_STAGE_MAX];
	struct srtt_decomp_in in;
	uint64_t i;

	for (i = 0; i < r->count; i++) {
		struct bd_pkt *p = &r->p[i];

		if (!(p->flags & BD_RECEIVED))
			continue;
		count_flags(r, p);
		pkt_stamps(p, st, &in, true);
		if (srtt_decomp(&in, &p->d)) {
			p->flags |= BD_DECOMP_ERR;
			r->decomp_err++;
		}
	}
}

/* ---- 2: offset and its bound, in bd_clock.c ---- */

/* ---- 3: intervals ---- */

/* tx_drv -> tx_drv_done per domain: beside the sum, not in it */
static void xmit_calls(struct bd_run *r, const struct bd_pkt *p)
{
	const uint16_t both = 1U << SRTT_STAGE_TX_DRV |
			      1U << SRTT_STAGE_TX_DRV_DONE;
	unsigned int d;

	for (d = 0; d < BD_DOMS; d++) {
		if ((p->stage_mask[d] & both) != both)
			continue;
		if (d == SRTT_DECOMP_DOM_G && !(p->flags & BD_G_MONO))
			continue;
		comp_add_exact(&r->xmit[d], p->stage[d][SRTT_STAGE_TX_DRV],
			       p->stage[d][SRTT_STAGE_TX_DRV_DONE]);
	}
}

/*
 * What the sender's kernel does with the reply after its receive stamp
 * T4: IP, UDP, the socket queue (host_socket_rx), then waking and
 * serving the probe (host_wakeup). Beyond T4, so not in the RTT; T4 is
 * CLOCK_REALTIME converted with the packet's bracket, hence its error.
 */
static void host_socket(struct bd_run *r, const struct bd_pkt *p)
{
	const int64_t *h = p->stage[SRTT_DECOMP_DOM_H];
	uint16_t m = p->stage_mask[SRTT_DECOMP_DOM_H];
	struct srtt_decomp_comp c = { .err_ns = 0 };

	if (!(m & (1U << SRTT_STAGE_RX_SOCK)))
		return;
	c.value_ns = h[SRTT_STAGE_RX_SOCK] - p->t4;
	c.err_ns = p->conv_err[SRTT_DECOMP_DOM_H];
	c.impossible = (c.value_ns < 0 &&
			(uint64_t)-c.value_ns > c.err_ns) ||
		       c.value_ns > SRTT_DECOMP_MAX_NS;
	comp_add(&r->hsock[0], &c);
	if (m & (1U << SRTT_STAGE_RX_COPY))
		comp_add_exact(&r->hsock[1], h[SRTT_STAGE_RX_SOCK],
			       h[SRTT_STAGE_RX_COPY]);
}

/* a host interval of the hypervisor's split, when it has both ends */
static void hv_add(struct bd_comp *c, int64_t from, int64_t to)
{
	if (from && to)
		comp_add_exact(c, from, to);
}

/* inside the reflector: its records flush (g_flush_us) */
static void reflector_flush(struct bd_run *r, const struct bd_pkt *p)
{
	struct srtt_decomp_comp c = {
		.value_ns = (int64_t)p->g_flush_us * 1000,
		.err_ns = 500,
	};

	/* 65535 is "that or more": a floor, never a value */
	if (p->g_flush_us >= 65535)
		r->flush_saturated++;
	else if (p->g_flush_us)
		comp_add(&r->flush, &c);
}

/*
 * The hypervisor's part of the forward path from the host's events. The
 * host intervals are exact; the host's hand-over (a VF's interrupt taken
 * for vfio-pci, vhost's signal) to the guest's rx_irq crosses the clocks
 * and carries the offset's bound. The hand-over is matched by time, not
 * by packet: when it came after the guest's interrupt beyond the bound
 * the interval is impossible, flagged and counted as such (hv_after_irq
 * says how many were so; the guest may have taken the packet up without
 * an interrupt of its own, its driver polling, and the event been
 * another packet's), and nothing else of that event is used.
 */
static void hypervisor(struct bd_run *r, const struct bd_pkt *p)
{
	const int64_t *h = p->stage[SRTT_DECOMP_DOM_H];
	struct srtt_decomp_comp c = { .err_ns = 0 };
	int64_t tx_drv = 0, from;
	int kind;

	if (p->hv_irq)
		kind = BD_HV_VFIO;
	else if (p->hv_signal)
		kind = BD_HV_VHOST;
	else
		return;
	if (!r->hv_kind) {
		r->hv_kind = kind;
		r->hv_vf = p->hv_vf;
	}
	from = kind == BD_HV_VFIO ? p->hv_irq : p->hv_signal;
	if (p->stage_mask[SRTT_DECOMP_DOM_H] & (1U << SRTT_STAGE_TX_DRV))
		tx_drv = h[SRTT_STAGE_TX_DRV];
	if (kind == BD_HV_VHOST) {
		/* the host's own receive: no matching by time in it */
		hv_add(&r->hv_nic, tx_drv, p->fwd_rx_irq);
		hv_add(&r->hv_vfrx, p->fwd_rx_irq, p->fwd_rx_drv);
	}
	if (p->irq_h_ok) {
		c.value_ns = p->irq_h - from;
		c.err_ns = p->irq_h_err;
		c.impossible = c.value_ns > SRTT_DECOMP_MAX_NS;
		/*
		 * Below 0 beyond its bound: the host's event came after the
		 * guest took the interrupt. Impossible, counted as such, and
		 * nothing else of that event is used for this packet.
		 */
		if (c.value_ns + (int64_t)c.err_ns < 0) {
			c.impossible = true;
			r->hv_after_irq++;
			comp_add(&r->hv, &c);
			return;
		}
		comp_add(&r->hv, &c);
	}
	if (kind == BD_HV_VFIO)
		hv_add(&r->hv_nic, tx_drv, p->hv_irq);
	else
		hv_add(&r->hv_vhost, p->fwd_rx_drv, p->hv_signal);
	hv_add(&r->hv_host, from, p->hv_inject);
}

/*
 * A packet's decomposition with the stamps step 2 kept, its components
 * and, with the offset, its one-way split: 0, or -ENOMEM.
 */
static int decompose(struct bd_run *r, struct bd_pkt *p)
{
	struct srtt_decomp_stamp st[4 + BD_DOMS * __SRTT_STAGE_MAX];
	struct srtt_decomp_in in;
	unsigned int k;

	pkt_stamps(p, st, &in, false);
	if (srtt_decomp(&in, &p->d)) {
		p->flags |= BD_DECOMP_ERR;
		r->decomp_err++;
		return 0;
	}
	if (p->d.impossible)
		p->flags |= BD_IMPOSSIBLE;
	if (p->d.rtt_why)
		r->rtt.impossible++;
	else
		r->rtt.v[r->rtt.n++] = p->d.rtt_ns;
	for (k = 0; k < p->d.n; k++) {
		struct bd_comp *c = comp_get(r, &p->d.c[k]);

		if (!c)
			return -ENOMEM;
		comp_add(c, &p->d.c[k]);
	}
	if (bd_clock_oneway(r, p))
		return 0;
	p->oneway_ok = true;
	/* the first one-way split names the rows */
	if (!r->fwd.n && !r->fwd.impossible) {
		snprintf(r->fwd.name, sizeof(r->fwd.name), "%s",
			 p->ow.fwd.name);
		snprintf(r->rev.name, sizeof(r->rev.name), "%s",
			 p->ow.rev.name);
	}
	comp_add(&r->fwd, &p->ow.fwd);
	comp_add(&r->rev, &p->ow.rev);
	return 0;
}

static int intervals(struct bd_run *r)
{
	struct srtt_decomp_comp c = { .err_ns = 0 };
	uint64_t i;

	for (i = 0; i < r->count; i++) {
		struct bd_pkt *p = &r->p[i];

		if (!(p->flags & BD_RECEIVED))
			continue;
		xmit_calls(r, p);
		host_socket(r, p);
		reflector_flush(r, p);
		if (p->flags & BD_DECOMP_ERR)
			continue;
		/* the hypervisor clock's readings, for the summary */
		if (bd_ptp_reading(p)) {
			c.value_ns = p->ptp_theta;
			c.err_ns = p->ptp_err;
			comp_add(&r->ptp, &c);
		}
		hypervisor(r, p);
		if (decompose(r, p))
			return -ENOMEM;
	}
	return 0;
}

/* ---- 4: summaries ---- */

/* the components in path order, every aggregate sorted for percentiles */
static void summaries(struct bd_run *r)
{
	size_t k;

	qsort(r->comp, r->ncomp, sizeof(r->comp[0]), cmp_comp_order);
	for (k = 0; k < r->ncomp; k++)
		qsort(r->comp[k].v, r->comp[k].n, sizeof(int64_t), cmp_s64);
	for (k = 0; k < N_FIXED; k++)
		qsort(fixed_comp(r, k)->v, fixed_comp(r, k)->n,
		      sizeof(int64_t), cmp_s64);
}

int bd_analyse(struct bd_run *r)
{
	size_t k;

	for (k = 0; k < N_FIXED; k++)
		if (comp_init(fixed_comp(r, k), fixed_comps[k].name, 0, false,
			      r->count))
			return -ENOMEM;
	r->hv_vf = -1;
	r->hv_kind = BD_HV_NONE;
	domain_stamps(r);
	bd_clock(r);
	if (intervals(r))
		return -ENOMEM;
	summaries(r);
	return 0;
}

void bd_free(struct bd_run *r)
{
	unsigned int i;

	for (i = 0; i < r->ncomp; i++)
		free(r->comp[i].v);
	for (i = 0; i < N_FIXED; i++) {
		free(fixed_comp(r, i)->v);
		fixed_comp(r, i)->v = NULL;
	}
	free(r->est);
	free(r->p);
	r->p = NULL;
	r->est = NULL;
	r->ncomp = 0;
}
