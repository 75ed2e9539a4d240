// SPDX-License-Identifier: GPL-2.0
/* sriov-rtt: the breakdown of a probe run (breakdown.h). */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "breakdown.h"
#include "lib/names.h"

#define BD_WINDOW	64	/* exchanges per offset window */

static const char dom_key[BD_DOMS] = { 'h', 'g' };

/* ---- analysis ---- */

/* The interrupt-side RX stages: which interrupt served a packet is known,
 * when it arrived is not (see rx_early()). */
#define RX_IRQ_SIDE	(1U << SRTT_STAGE_RX_IRQ | 1U << SRTT_STAGE_RX_SOFTIRQ)

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
			 * (and the peer can receive it) before the call returns.
			 */
			if (!(p->stage_mask[d] & (1U << s)) ||
			    s == SRTT_STAGE_RX_HW || s == SRTT_STAGE_TX_HW ||
			    s == SRTT_STAGE_TX_DRV_DONE)
				continue;
			if ((1U << s) & RX_IRQ_SIDE &
			    (safe ? ~0U : p->rx_dropped[d]))
				continue;
			/* G stages are MONOTONIC: only beside converted T2/T3 */
			if (d == SRTT_DECOMP_DOM_G && !(p->flags & BD_G_MONO))
				continue;
			st[n++] = (struct srtt_decomp_stamp){ p->stage[d][s],
				(uint8_t)d, (uint8_t)s, SRTT_DECOMP_CONV_NATIVE, 1 };
		}
	in->st = st;
	in->n = n;
	in->conv_err_ns[SRTT_DECOMP_CONV_H_APP] = p->conv_err[SRTT_DECOMP_DOM_H];
	in->conv_err_ns[SRTT_DECOMP_CONV_G_APP] =
		(p->flags & BD_G_MONO) ? p->conv_err[SRTT_DECOMP_DOM_G] : 0;
	return n;
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

static struct bd_comp *comp_get(struct bd_run *r, const struct srtt_decomp_comp *c)
{
	unsigned int i;

	for (i = 0; i < r->ncomp; i++)
		if (r->comp[i].parts == c->parts)
			return &r->comp[i];
	if (r->ncomp == BD_MAX_COMP ||
	    comp_init(&r->comp[r->ncomp], c->name, c->parts, c->merged, r->count))
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

/*
 * The clock offset from every decomposed packet's exchange, in windows of
 * BD_WINDOW; p->win says which window a packet's exchange is in.
 */
static void estimate_offset(struct bd_run *r)
{
	struct srtt_offset_sample *s;
	struct srtt_offset_cfg cfg;
	size_t *idx, n = 0, k, w, nw;
	bool same = r->same_boot && !r->other_boot;
	int err;

	s = calloc(r->count ? r->count : 1, sizeof(*s));
	idx = calloc(r->count ? r->count : 1, sizeof(*idx));
	if (!s || !idx) {
		r->offset_err = SRTT_OFFSET_ERANGE;
		goto out;
	}
	for (k = 0; k < r->count; k++) {
		struct bd_pkt *p = &r->p[k];

		p->win = -1;
		if (!(p->flags & BD_RECEIVED) || (p->flags & BD_DECOMP_ERR))
			continue;
		/* one clock only when G is the reflector kernel's MONOTONIC */
		if (!(p->flags & BD_G_MONO))
			same = false;
		if (srtt_decomp_exchange(&p->d, &s[n]))
			continue;
		idx[n++] = k;
	}
	srtt_offset_cfg_init(&cfg);
	cfg.same_clock = same && n;
	nw = srtt_offset_nwindows(n, BD_WINDOW);
	r->est = calloc(nw ? nw : 1, sizeof(*r->est));
	if (!r->est) {
		r->offset_err = SRTT_OFFSET_ERANGE;
		goto out;
	}
	if (!n) {
		r->offset_err = SRTT_OFFSET_ENOSAMPLE;
		goto out;
	}
	err = srtt_offset_windows(s, n, BD_WINDOW, &cfg, r->est, nw, &r->nest);
	if (err) {
		r->offset_err = -err;
		r->nest = 0;
		goto out;
	}
	for (w = 0; w < r->nest; w++) {
		const struct srtt_offset_est *e = &r->est[w];

		if (e->flags & SRTT_OFFSET_F_INVALID)
			continue;
		for (k = e->first; k < e->first + e->n && k < n; k++)
			r->p[idx[k]].win = (int)w;
	}
out:
	free(s);
	free(idx);
}

/*
 * Theta from the hypervisor clock for G times in [g_lo, g_hi]: it was
 * read at ptp_g, and the clocks drift apart by the window's skew (the
 * largest of any window without one) meanwhile: that much is added to
 * its error.
 */
/* |skew| of window @w, ppb, at most 10^9 (the clocks' rate difference) */
static uint64_t win_skew(const struct bd_run *r, size_t w)
{
	uint64_t s = (uint64_t)llabs(r->est[w].skew_ppb);

	return s > 1000000000ULL ? 1000000000ULL : s;
}

static void ptp_theta_at(const struct bd_run *r, const struct bd_pkt *p,
			 int64_t g_lo, int64_t g_hi, int64_t *theta,
			 uint64_t *bound)
{
	int64_t far = llabs(g_lo - p->ptp_g) > llabs(g_hi - p->ptp_g) ?
		      g_lo - p->ptp_g : g_hi - p->ptp_g;
	uint64_t skew = 0;
	size_t w;

	if (p->win >= 0)
		skew = win_skew(r, (size_t)p->win);
	else
		for (w = 0; w < r->nest; w++)
			if (!(r->est[w].flags & SRTT_OFFSET_F_INVALID) &&
			    win_skew(r, w) > skew)
				skew = win_skew(r, w);
	*theta = p->ptp_theta;
	*bound = p->ptp_err + srtt_decomp_drift_ns(far, skew);
}

/*
 * theta (G = H + theta) and its bound for a packet whose G stamps lie in
 * [g_lo, g_hi]: the hypervisor clock when it is used, 0 for one kernel's
 * clock (G in CLOCK_MONOTONIC, same boot), else the window's estimate
 * over the packet's H span. -1: none for this packet.
 */
static int pkt_theta(const struct bd_run *r, const struct bd_pkt *p,
		     int64_t g_lo, int64_t g_hi, int64_t *theta,
		     uint64_t *bound)
{
	int64_t lo, hi;

	*theta = 0;
	*bound = 0;
	if (r->ptp_used && (p->flags & BD_PTP)) {
		ptp_theta_at(r, p, g_lo, g_hi, theta, bound);
		return 0;
	}
	if (r->same_boot && !r->other_boot && (p->flags & BD_G_MONO))
		return 0;
	if (p->win < 0)
		return -1;
	srtt_decomp_h_span(&p->d, &lo, &hi);
	return srtt_offset_span(&r->est[p->win], lo, hi, theta, bound) ? -1 : 0;
}

/*
 * rx_irq and rx_softirq name the interrupt and the softirq run that
 * served a packet; a packet that arrived while NAPI was already polling
 * is served by a run that began before it was even sent. Such a stamp is
 * no point of its path: drop it when it is, beyond the offset's bound,
 * earlier than the other side's last stamp before it (H.tx_drv, else T1,
 * for the guest; G.tx_drv, else T3, for the host). Counted per side.
 */
static void rx_early(struct bd_run *r, struct bd_pkt *p)
{
	int64_t theta = 0, lo, hi, prev[BD_DOMS];
	uint64_t bound = 0;
	unsigned int d, s;

	/* the hypervisor clock, with the drift to the earliest stamp */
	lo = hi = p->ptp_g;
	for (s = SRTT_STAGE_RX_IRQ; s <= SRTT_STAGE_RX_SOFTIRQ; s++)
		if ((p->stage_mask[SRTT_DECOMP_DOM_G] & (1U << s)) &&
		    p->stage[SRTT_DECOMP_DOM_G][s] < lo)
			lo = p->stage[SRTT_DECOMP_DOM_G][s];
	if (pkt_theta(r, p, lo, hi, &theta, &bound))
		return;
	/* the other side's last stamp, in that side's clock */
	prev[SRTT_DECOMP_DOM_G] =
		(p->stage_mask[SRTT_DECOMP_DOM_H] & (1U << SRTT_STAGE_TX_DRV)) ?
		p->stage[SRTT_DECOMP_DOM_H][SRTT_STAGE_TX_DRV] : p->t1;
	prev[SRTT_DECOMP_DOM_H] =
		(p->stage_mask[SRTT_DECOMP_DOM_G] & (1U << SRTT_STAGE_TX_DRV)) &&
		(p->flags & BD_G_MONO) ?
		p->stage[SRTT_DECOMP_DOM_G][SRTT_STAGE_TX_DRV] : p->t3;
	for (d = 0; d < BD_DOMS; d++) {
		if (d == SRTT_DECOMP_DOM_G && !(p->flags & BD_G_MONO))
			continue;
		for (s = SRTT_STAGE_RX_IRQ; s <= SRTT_STAGE_RX_SOFTIRQ; s++) {
			int64_t t;

			if (!(p->stage_mask[d] & (1U << s)))
				continue;
			/* into the other side's clock: G = H + theta */
			t = p->stage[d][s] + (d == SRTT_DECOMP_DOM_G ? -theta : theta);
			if (t + (int64_t)bound < prev[d]) {
				p->rx_dropped[d] |= 1U << s;
				r->rx_early[d]++;
			}
		}
	}
}

/* tx_drv -> tx_drv_done per domain: beside the sum, not in it */
static void xmit_calls(struct bd_run *r, const struct bd_pkt *p)
{
	const uint16_t both = 1U << SRTT_STAGE_TX_DRV | 1U << SRTT_STAGE_TX_DRV_DONE;
	unsigned int d;

	for (d = 0; d < BD_DOMS; d++) {
		struct srtt_decomp_comp c = { .err_ns = 0 };

		if ((p->stage_mask[d] & both) != both)
			continue;
		if (d == SRTT_DECOMP_DOM_G && !(p->flags & BD_G_MONO))
			continue;
		c.value_ns = p->stage[d][SRTT_STAGE_TX_DRV_DONE] -
			     p->stage[d][SRTT_STAGE_TX_DRV];
		c.impossible = c.value_ns < 0 || c.value_ns > SRTT_DECOMP_MAX_NS;
		comp_add(&r->xmit[d], &c);
	}
}

/* a host interval of the hypervisor's split: exact, impossible below 0 */
static void hv_add(struct bd_comp *c, int64_t from, int64_t to)
{
	struct srtt_decomp_comp v = { .value_ns = to - from };

	if (!from || !to)
		return;
	v.impossible = v.value_ns < 0 || v.value_ns > SRTT_DECOMP_MAX_NS;
	comp_add(c, &v);
}

/*
 * The hypervisor's part of the forward path from the host's events. The
 * host intervals are exact; the host's hand-over (a VF's interrupt taken
 * for vfio-pci, vhost's signal) to the guest's rx_irq crosses the clocks
 * and carries the offset's bound: impossible only over the limit. The
 * hand-over is matched by time, not by packet: when it came after the
 * guest's interrupt beyond the bound, the guest took the packet up
 * without an interrupt of its own (its driver was polling) and that
 * event is another packet's. Then neither it nor what follows from it
 * is this packet's: left out and counted (hv_after_irq).
 */
static void hypervisor(struct bd_run *r, const struct bd_pkt *p)
{
	const int64_t *h = p->stage[SRTT_DECOMP_DOM_H];
	const int64_t *g = p->stage[SRTT_DECOMP_DOM_G];
	int64_t theta = 0, tx_drv = 0, from;
	struct srtt_decomp_comp c = { .err_ns = 0 };
	bool cross = false;
	uint64_t bound = 0;
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
	if ((p->flags & BD_G_MONO) &&
	    (p->stage_mask[SRTT_DECOMP_DOM_G] & (1U << SRTT_STAGE_RX_IRQ)) &&
	    !(p->rx_dropped[SRTT_DECOMP_DOM_G] & (1U << SRTT_STAGE_RX_IRQ))) {
		cross = !pkt_theta(r, p, g[SRTT_STAGE_RX_IRQ],
				   g[SRTT_STAGE_RX_IRQ], &theta, &bound);
	}
	if (cross) {
		/* G = H + theta */
		c.value_ns = g[SRTT_STAGE_RX_IRQ] - theta - from;
		c.err_ns = bound;
		if (c.value_ns + (int64_t)bound < 0) {
			r->hv_after_irq++;
			return;
		}
		c.impossible = c.value_ns > SRTT_DECOMP_MAX_NS;
		comp_add(&r->hv, &c);
	}
	if (kind == BD_HV_VFIO)
		hv_add(&r->hv_nic, tx_drv, p->hv_irq);
	else
		hv_add(&r->hv_vhost, p->fwd_rx_drv, p->hv_signal);
	hv_add(&r->hv_host, from, p->hv_inject);
}

/*
 * The hypervisor clock against the estimate, per reply that has both:
 * they agree when their intervals overlap. It is used for the split only
 * when they agree for >= 99 % of them (else the session-sender is not on
 * the reflector's hypervisor, or something is wrong, and the summary
 * says so), or when there is no estimate to check it against.
 */
static void ptp_check(struct bd_run *r)
{
	struct srtt_decomp_comp c = { .err_ns = 0 };
	int64_t theta, lo, hi, d;
	uint64_t bound, i;

	for (i = 0; i < r->count; i++) {
		struct bd_pkt *p = &r->p[i];

		if (!(p->flags & BD_RECEIVED) || (p->flags & BD_DECOMP_ERR) ||
		    !(p->flags & BD_PTP) || !(p->flags & BD_G_MONO))
			continue;
		c.value_ns = p->ptp_theta;
		c.err_ns = p->ptp_err;
		comp_add(&r->ptp, &c);
		if (p->win < 0)
			continue;
		srtt_decomp_h_span(&p->d, &lo, &hi);
		if (srtt_offset_span(&r->est[p->win], lo, hi, &theta, &bound))
			continue;
		r->ptp_checked++;
		d = theta - p->ptp_theta;
		if ((uint64_t)(d < 0 ? -d : d) <= bound + p->ptp_err)
			r->ptp_inside++;
	}
	r->ptp_used = r->ptp.n &&
		      (!r->ptp_checked || r->ptp_inside * 100 >= r->ptp_checked * 99);
}

int bd_analyse(struct bd_run *r)
{
	struct srtt_decomp_stamp st[4 + BD_DOMS * __SRTT_STAGE_MAX];
	struct srtt_decomp_in in;
	bool named = false;
	uint64_t i;
	unsigned int k;

	if (comp_init(&r->flush, "reflector_stage_flush", 0, false, r->count) ||
	    comp_init(&r->xmit[0], "host_xmit_call", 0, false, r->count) ||
	    comp_init(&r->xmit[1], "guest_xmit_call", 0, false, r->count) ||
	    comp_init(&r->rtt, "rtt", 0, false, r->count) ||
	    comp_init(&r->fwd, "forward", 0, false, r->count) ||
	    comp_init(&r->rev, "reverse", 0, false, r->count) ||
	    comp_init(&r->hv_nic, "host_drv_tx+nic", 0, false, r->count) ||
	    comp_init(&r->hv_vfrx, "host_vf_irq+drv", 0, false, r->count) ||
	    comp_init(&r->hv_vhost, "host_stack+macvtap+vhost", 0, false, r->count) ||
	    comp_init(&r->hv_host, "hypervisor_host", 0, false, r->count) ||
	    comp_init(&r->hv, "hypervisor", 0, false, r->count) ||
	    comp_init(&r->ptp, "ptp_kvm_offset", 0, false, r->count))
		return -ENOMEM;
	r->hv_vf = -1;
	r->hv_kind = BD_HV_NONE;
	/* pass 1: points certainly in path order, for the clock offset */
	for (i = 0; i < r->count; i++) {
		struct bd_pkt *p = &r->p[i];

		if (!(p->flags & BD_RECEIVED))
			continue;
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
		xmit_calls(r, p);
		if (p->g_flush_us) {
			struct srtt_decomp_comp c = {
				.value_ns = (int64_t)p->g_flush_us * 1000,
				.err_ns = 500,
			};

			comp_add(&r->flush, &c);
		}
		pkt_stamps(p, st, &in, true);
		if (srtt_decomp(&in, &p->d)) {
			p->flags |= BD_DECOMP_ERR;
			r->decomp_err++;
		}
	}
	estimate_offset(r);
	ptp_check(r);
	/* pass 2: with the interrupt stamps that can be on the path */
	for (i = 0; i < r->count; i++) {
		struct bd_pkt *p = &r->p[i];

		if (!(p->flags & BD_RECEIVED) || (p->flags & BD_DECOMP_ERR))
			continue;
		rx_early(r, p);
		hypervisor(r, p);
		pkt_stamps(p, st, &in, false);
		/* two clocks: their rates differ by the window's skew */
		if (!(r->same_boot && !r->other_boot && (p->flags & BD_G_MONO)) &&
		    p->win >= 0)
			in.rate_err_ppb = win_skew(r, (size_t)p->win);
		if (srtt_decomp(&in, &p->d)) {
			p->flags |= BD_DECOMP_ERR;
			r->decomp_err++;
			continue;
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
		if (r->ptp_used && (p->flags & BD_PTP)) {
			int64_t th, lo = 0, hi = 0;
			uint64_t b;

			srtt_decomp_g_span(&p->d, &lo, &hi);
			ptp_theta_at(r, p, lo, hi, &th, &b);
			if (srtt_decomp_oneway(&p->d, th, b, &p->ow))
				continue;
		} else if (p->win < 0 ||
			   srtt_decomp_oneway_est(&p->d, &r->est[p->win], &p->ow)) {
			continue;
		}
		p->oneway_ok = true;
		if (!named) {
			named = true;
			snprintf(r->fwd.name, sizeof(r->fwd.name), "%s",
				 p->ow.fwd.name);
			snprintf(r->rev.name, sizeof(r->rev.name), "%s",
				 p->ow.rev.name);
		}
		comp_add(&r->fwd, &p->ow.fwd);
		comp_add(&r->rev, &p->ow.rev);
	}
	qsort(r->comp, r->ncomp, sizeof(r->comp[0]), cmp_comp_order);
	/* percentiles want sorted values */
	for (k = 0; k < r->ncomp; k++)
		qsort(r->comp[k].v, r->comp[k].n, sizeof(int64_t), cmp_s64);
	qsort(r->rtt.v, r->rtt.n, sizeof(int64_t), cmp_s64);
	qsort(r->fwd.v, r->fwd.n, sizeof(int64_t), cmp_s64);
	qsort(r->rev.v, r->rev.n, sizeof(int64_t), cmp_s64);
	qsort(r->flush.v, r->flush.n, sizeof(int64_t), cmp_s64);
	qsort(r->xmit[0].v, r->xmit[0].n, sizeof(int64_t), cmp_s64);
	qsort(r->xmit[1].v, r->xmit[1].n, sizeof(int64_t), cmp_s64);
	qsort(r->hv_nic.v, r->hv_nic.n, sizeof(int64_t), cmp_s64);
	qsort(r->hv_vfrx.v, r->hv_vfrx.n, sizeof(int64_t), cmp_s64);
	qsort(r->hv_vhost.v, r->hv_vhost.n, sizeof(int64_t), cmp_s64);
	qsort(r->hv_host.v, r->hv_host.n, sizeof(int64_t), cmp_s64);
	qsort(r->hv.v, r->hv.n, sizeof(int64_t), cmp_s64);
	qsort(r->ptp.v, r->ptp.n, sizeof(int64_t), cmp_s64);
	return 0;
}

void bd_free(struct bd_run *r)
{
	unsigned int i;

	for (i = 0; i < r->ncomp; i++)
		free(r->comp[i].v);
	free(r->rtt.v);
	free(r->fwd.v);
	free(r->rev.v);
	free(r->xmit[0].v);
	free(r->xmit[1].v);
	free(r->flush.v);
	free(r->hv_nic.v);
	free(r->hv_vfrx.v);
	free(r->hv_vhost.v);
	free(r->hv_host.v);
	free(r->hv.v);
	free(r->ptp.v);
	r->ptp.v = NULL;
	r->xmit[0].v = r->xmit[1].v = r->flush.v = NULL;
	r->hv_nic.v = r->hv_vfrx.v = r->hv_vhost.v = NULL;
	r->hv_host.v = r->hv.v = NULL;
	free(r->est);
	free(r->p);
	r->p = NULL;
	r->est = NULL;
	r->ncomp = 0;
	r->rtt.v = r->fwd.v = r->rev.v = NULL;
}

/* ---- summary ---- */

/* Nearest rank: the smallest value with at least @permille/1000 at or below. */
static int64_t pct(const int64_t *v, size_t n, unsigned int permille)
{
	size_t rank = (size_t)(((uint64_t)n * permille + 999) / 1000);

	if (rank < 1)
		rank = 1;
	return v[rank - 1];
}

static const char *us_str(int64_t ns, char *buf, size_t size)
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
#define N_COLS	(sizeof(stats_cols) / sizeof(stats_cols[0]))

static int64_t comp_stat(const struct bd_comp *c, size_t col)
{
	return stats_cols[col].permille ?
		pct(c->v, c->n, stats_cols[col].permille) : c->v[0];
}

static void print_comp(struct srtt_out *o, struct bd_comp *c, bool oneway)
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
		if (!c->n) {
			srtt_print_null(o, SRTT_PK_ANY, key, " %10s", "-");
			continue;
		}
		us_str(comp_stat(c, i), us, sizeof(us));
		srtt_print_string(o, SRTT_PK_TEXT, NULL, " %10s", us);
		srtt_print_s64(o, SRTT_PK_JSON, key, NULL, comp_stat(c, i));
	}
	srtt_print_u64(o, SRTT_PK_ANY, "impossible", " %10" PRIu64, c->impossible);
	srtt_print_string(o, SRTT_PK_TEXT, NULL, " %s",
			  us_str((int64_t)c->err_max, us, sizeof(us)));
	srtt_print_u64(o, SRTT_PK_JSON, "error_bound_ns", NULL, c->err_max);
	srtt_print_nl(o);
	srtt_close_object(o);
}

static void print_clock(struct srtt_out *o, struct bd_run *r)
{
	const struct srtt_offset_est *e = NULL;
	char a[32], b[32];
	size_t w;

	for (w = 0; w < r->nest; w++)
		if (!(r->est[w].flags & SRTT_OFFSET_F_INVALID)) {
			e = &r->est[w];
			break;
		}
	srtt_open_object(o, "clock");
	if (r->same_boot && !r->other_boot) {
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
		if (e) {
			srtt_print_string(o, SRTT_PK_TEXT, NULL,
					  ": offset G-H %s", us_str(e->theta_ns, a, sizeof(a)));
			srtt_print_string(o, SRTT_PK_TEXT, NULL, "%s",
					  r->gmono ? "" : " us (G: its CLOCK_REALTIME, no bracket; H: CLOCK_MONOTONIC)");
			if (r->gmono)
				srtt_print_string(o, SRTT_PK_TEXT, NULL, "%s", " us");
			srtt_print_string(o, SRTT_PK_TEXT, NULL, " +- %s us",
					  us_str((int64_t)e->bound_ns, b, sizeof(b)));
			srtt_print_u64(o, SRTT_PK_ANY, "windows", " (%" PRIu64 " windows",
				       r->nest);
			srtt_print_s64(o, SRTT_PK_ANY, "skew_ppb", ", skew %" PRId64 " ppb)",
				       e->skew_ppb);
		} else {
			srtt_print_string(o, SRTT_PK_ANY, "offset_error",
					  ": no offset estimate (%s)",
					  srtt_offset_strerror(r->offset_err ?
							       r->offset_err :
							       SRTT_OFFSET_ENOSAMPLE));
		}
		srtt_print_nl(o);
	}
	if (e) {
		srtt_print_s64(o, SRTT_PK_JSON, "offset_ns", NULL, e->theta_ns);
		srtt_print_u64(o, SRTT_PK_JSON, "offset_bound_ns", NULL, e->bound_ns);
	}
	srtt_open_object(o, "ptp_kvm");
	if (r->ptp.n) {
		srtt_print_string(o, SRTT_PK_TEXT, NULL,
				  "  hypervisor clock (ptp_kvm in the reflector's kernel): offset G-H %s us",
				  us_str(pct(r->ptp.v, r->ptp.n, 500), a, sizeof(a)));
		srtt_print_s64(o, SRTT_PK_JSON, "offset_ns", NULL,
			       pct(r->ptp.v, r->ptp.n, 500));
		srtt_print_string(o, SRTT_PK_TEXT, NULL, " (median) +- %s us",
				  us_str((int64_t)r->ptp.err_max, b, sizeof(b)));
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
	srtt_close_object(o);
	srtt_close_object(o);
}

static void print_header(struct srtt_out *o, const char *first)
{
	size_t k;

	srtt_print_string(o, SRTT_PK_TEXT, NULL, "  %-44s", first);
	srtt_print_string(o, SRTT_PK_TEXT, NULL, " %6s", "count");
	for (k = 0; k < N_COLS; k++)
		srtt_print_string(o, SRTT_PK_TEXT, NULL, " %10s", stats_cols[k].key);
	srtt_print_string(o, SRTT_PK_TEXT, NULL, " %10s", "impossible");
	srtt_print_string(o, SRTT_PK_TEXT, NULL, " %s\n", "+-bound");
}

void bd_print(struct srtt_out *o, struct bd_run *r, const char *title)
{
	unsigned int i;

	srtt_open_object(o, NULL);
	srtt_print_string(o, SRTT_PK_TEXT, NULL, "%s", title);
	if (r->target[0]) {
		srtt_print_string(o, SRTT_PK_ANY, "target", " to %s", r->target);
		srtt_print_string(o, SRTT_PK_ANY, "address", " (%s)", r->addr);
		srtt_print_string(o, SRTT_PK_ANY, "port", " port %s", r->port);
		srtt_print_u64(o, SRTT_PK_ANY, "ssid", ", ssid %" PRIu64, r->ssid);
		srtt_print_u64(o, SRTT_PK_ANY, "size", ", %" PRIu64 " bytes", r->size);
	}
	srtt_print_nl(o);
	srtt_print_u64(o, SRTT_PK_ANY, "sent", "  %" PRIu64 " sent", r->sent);
	srtt_print_u64(o, SRTT_PK_ANY, "received", ", %" PRIu64 " received",
		       r->received);
	srtt_print_u64(o, SRTT_PK_ANY, "lost", ", %" PRIu64 " lost",
		       r->sent - r->received);
	srtt_print_u64(o, SRTT_PK_ANY, "late", " (%" PRIu64 " of them late)", r->late);
	srtt_print_u64(o, SRTT_PK_ANY, "duplicate", ", %" PRIu64 " duplicate", r->dup);
	srtt_print_u64(o, SRTT_PK_ANY, "unmatched", ", %" PRIu64 " unmatched",
		       r->unmatched);
	srtt_print_u64(o, SRTT_PK_ANY, "malformed", ", %" PRIu64 " malformed",
		       r->malformed);
	srtt_print_u64(o, SRTT_PK_ANY, "unreachable", ", %" PRIu64 " ICMP unreachable",
		       r->refused);
	srtt_print_nl(o);

	srtt_open_object(o, "timestamps");
	srtt_print_string(o, SRTT_PK_ANY, "t1_source", "  T1: %s",
			  "clock_gettime(CLOCK_REALTIME) before send");
	srtt_print_u64(o, SRTT_PK_ANY, "t1_driver_stamps",
		       " (driver TX stamps in the CSV: %" PRIu64 ")", r->t1_sw);
	srtt_print_string(o, SRTT_PK_ANY, "t4_source", "; T4: %s",
			  r->t4_sw == r->received && r->received ?
			  "SO_TIMESTAMPING software" :
			  !r->t4_sw ? "clock_gettime(CLOCK_REALTIME) after recvmsg" :
			  "mixed");
	srtt_print_u64(o, SRTT_PK_ANY, "t4_software", " (software %" PRIu64, r->t4_sw);
	srtt_print_u64(o, SRTT_PK_ANY, "t4_clock_gettime", ", clock_gettime %" PRIu64 ")",
		       r->received - r->t4_sw);
	srtt_print_nl(o);
	srtt_close_object(o);

	srtt_open_object(o, "stages");
	if (!r->host_why[0])
		srtt_print_string(o, SRTT_PK_ANY, "host", "  host stages: %s",
				  "sriov_rtt records group");
	else
		srtt_print_string(o, SRTT_PK_ANY, "host",
				  "  host stages: not visible: %s", r->host_why);
	srtt_print_u64(o, SRTT_PK_ANY, "host_lost_records",
		       " (records lost: %" PRIu64, r->h_lost_kernel);
	srtt_print_u64(o, SRTT_PK_ANY, "host_socket_overruns",
		       ", socket overruns %" PRIu64, r->h_lost_socket);
	srtt_print_u64(o, SRTT_PK_ANY, "host_keys_evicted",
		       ", keys evicted %" PRIu64, r->h_evicted);
	srtt_print_u64(o, SRTT_PK_ANY, "host_packets_with_loss",
		       ", probes that may miss a stage %" PRIu64 ")\n", r->h_lost);
	if (!r->guest_why[0])
		srtt_print_string(o, SRTT_PK_ANY, "guest", "  guest stages: %s",
				  "from the reflector's TLVs");
	else
		srtt_print_string(o, SRTT_PK_ANY, "guest",
				  "  guest stages: not visible: %s", r->guest_why);
	srtt_print_u64(o, SRTT_PK_ANY, "guest_no_source",
		       " (replies without a source: %" PRIu64, r->g_no_source);
	srtt_print_u64(o, SRTT_PK_ANY, "guest_lost",
		       ", with records lost %" PRIu64, r->g_lost);
	srtt_print_u64(o, SRTT_PK_ANY, "no_follow_up",
		       ", without follow-up %" PRIu64 ")\n", r->no_fu);
	srtt_print_u64(o, SRTT_PK_ANY, "host_rx_irq_early",
		       "  interrupt stamps left out, served before the packet was sent: host %" PRIu64,
		       r->rx_early[SRTT_DECOMP_DOM_H]);
	srtt_print_u64(o, SRTT_PK_ANY, "guest_rx_irq_early", ", guest %" PRIu64 "\n",
		       r->rx_early[SRTT_DECOMP_DOM_G]);
	srtt_close_object(o);
	print_clock(o, r);

	print_header(o, "component (us)");
	srtt_open_array(o, "components");
	print_comp(o, &r->rtt, false);
	for (i = 0; i < r->ncomp; i++)
		print_comp(o, &r->comp[i], false);
	srtt_close_array(o);
	srtt_print_u64(o, SRTT_PK_ANY, "decomp_errors",
		       r->decomp_err ? "  %" PRIu64 " probes not decomposed\n" : "",
		       r->decomp_err);

	srtt_open_array(o, "one_way");
	if (r->fwd.n || r->fwd.impossible) {
		srtt_print_string(o, SRTT_PK_TEXT, NULL, "%s",
				  "  one way (~: with the clock offset; its bound is the +-bound column)\n");
		print_comp(o, &r->fwd, true);
		print_comp(o, &r->rev, true);
	}
	srtt_close_array(o);

	srtt_open_array(o, "beside");
	if (r->xmit[0].n || r->xmit[0].impossible || r->xmit[1].n ||
	    r->xmit[1].impossible || r->flush.n) {
		srtt_print_string(o, SRTT_PK_TEXT, NULL, "%s",
				  "  beside the sum (xmit calls: tx_drv -> tx_drv_done, they overlap the network;\n"
				  "  reflector_stage_flush: the reflector fetching its stages, part of reflector)\n");
		print_comp(o, &r->xmit[0], false);
		print_comp(o, &r->xmit[1], false);
		if (r->flush.n)
			print_comp(o, &r->flush, false);
	}
	srtt_close_array(o);

	srtt_print_string(o, SRTT_PK_JSON, "hypervisor_path", NULL,
			  r->hv_kind == BD_HV_VFIO ? "vfio" :
			  r->hv_kind == BD_HV_VHOST ? "vhost" : "none");
	srtt_open_array(o, "hypervisor");
	if (r->hv_kind == BD_HV_VFIO) {
		srtt_print_u64(o, SRTT_PK_TEXT, NULL,
			       "  hypervisor, forward: VF %" PRIu64 "'s interrupt as the host took it (vfio-pci), KVM's\n"
			       "  injection of it, guest rx_irq (~: with the clock offset, +-bound column)\n",
			       (uint64_t)(r->hv_vf < 0 ? 0 : r->hv_vf));
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
			       "  left out: the host's event came after the guest's rx_irq (the guest polled,\n"
			       "  the event was another packet's): %" PRIu64 "\n", r->hv_after_irq);
	srtt_print_u64(o, SRTT_PK_JSON, "hv_events", NULL, r->hv_events);
	srtt_print_u64(o, SRTT_PK_JSON, "hv_events_dropped", NULL,
		       r->hv_events_dropped);
	if (r->hv_events_dropped)
		srtt_print_u64(o, SRTT_PK_TEXT, NULL,
			       "  hypervisor events dropped (table full): %" PRIu64 "\n",
			       r->hv_events_dropped);

	srtt_open_array(o, "merged");
	for (i = 0; i < r->ncomp; i++)
		if (r->comp[i].merged)
			srtt_print_string(o, SRTT_PK_ANY, NULL,
					  "  merged (no stamp between them): %s\n",
					  r->comp[i].name);
	srtt_close_array(o);
	srtt_open_array(o, "not_visible");
	if (r->host_why[0])
		srtt_print_string(o, SRTT_PK_ANY, NULL, "  not visible: %s\n",
				  "host_stack_tx, host_drv_rx, host_stack_rx (no host stages)");
	if (r->guest_why[0])
		srtt_print_string(o, SRTT_PK_ANY, NULL, "  not visible: %s\n",
				  "guest_irq, guest_stack_rx, guest_stack_tx (no guest stages)");
	if (!r->fwd.n && !r->fwd.impossible)
		srtt_print_string(o, SRTT_PK_ANY, NULL, "  not visible: %s\n",
				  "forward and reverse one way (no clock offset)");
	if (r->hv_kind == BD_HV_NONE)
		srtt_print_string(o, SRTT_PK_ANY, NULL, "  not visible: %s\n",
				  "hypervisor (no host-side interrupt stamps on this path)");
	else if (!r->hv.n && !r->hv.impossible)
		srtt_print_string(o, SRTT_PK_ANY, NULL, "  not visible: %s\n",
				  "hypervisor to the guest's rx_irq (no guest rx_irq stamp, or no clock offset)");
	srtt_close_array(o);
	srtt_close_object(o);
}

/* ---- CSV ---- */

/*
 * Columns: seq, flags, the raw REALTIME app stamps, the app stamps in
 * their domain's clock with the conversion errors, every stage of both
 * domains, then what was computed (rtt, one way with bounds, and the
 * components as c_NAME_ns, NAME as in the summary).
 * Empty means absent; "impossible" replaces a flagged value.
 */
static const char * const flag_names[] = {
	"sent", "received", "late", "duplicate", "t1_sw", "t4_sw",
	"impossible", "decomp_error", "g_mono", "same_boot", "other_boot",
	"h_lost", "g_lost", "g_no_source", "no_follow_up", "ptp_kvm",
};
#define N_FLAGS	(sizeof(flag_names) / sizeof(flag_names[0]))

static void csv_opt(FILE *fp, bool have, int64_t v)
{
	if (have)
		fprintf(fp, ",%" PRId64, v);
	else
		fputs(",", fp);
}

static void csv_comp(FILE *fp, const struct srtt_decomp_comp *c)
{
	char buf[32];

	if (!c)
		fputs(",", fp);
	else
		fprintf(fp, ",%s", srtt_decomp_value_str(c, buf, sizeof(buf)));
}

/* the hypervisor's events and the host's RX of the request: optional */
static const char * const hv_cols[] = {
	"h_hv_irq_ns", "h_hv_signal_ns", "h_hv_inject_ns", "hv_vf",
	"h_fwd_rx_irq_ns", "h_fwd_rx_drv_ns",
};
#define N_HV_COLS	(sizeof(hv_cols) / sizeof(hv_cols[0]))
#define HV_COL_VF	3

int bd_write_csv(const struct bd_run *r, const char *path)
{
	FILE *fp = fopen(path, "w");
	unsigned int k, j, d, s;
	uint64_t i;

	if (!fp)
		return -errno;
	fputs("seq,flags,t1_real_ns,t2_real_ns,t3_real_ns,t4_real_ns,"
	      "t1_ns,t2_ns,t3_ns,t4_ns,h_conv_err_ns,g_conv_err_ns,"
	      "t1_txsw_real_ns,g_flush_us", fp);
	for (d = 0; d < BD_DOMS; d++)
		for (s = 0; s < __SRTT_STAGE_MAX; s++)
			fprintf(fp, ",%c_%s_ns", dom_key[d], srtt_stage_str(s));
	for (k = 0; k < N_HV_COLS; k++)
		fprintf(fp, ",%s", hv_cols[k]);
	fputs(",ptp_theta_ns,ptp_err_ns,ptp_g_ns", fp);
	fputs(",rtt_ns,forward_ns,forward_bound_ns,reverse_ns,reverse_bound_ns", fp);
	for (k = 0; k < r->ncomp; k++)
		fprintf(fp, ",c_%s_ns", r->comp[k].name);
	fputs("\n", fp);
	for (i = 0; i < r->count; i++) {
		const struct bd_pkt *p = &r->p[i];
		bool rx = p->flags & BD_RECEIVED;
		bool ok = rx && !(p->flags & BD_DECOMP_ERR);
		const char *sep = "";

		fprintf(fp, "%" PRIu32 ",", p->seq);
		for (k = 0; k < N_FLAGS; k++)
			if (p->flags & (1U << k)) {
				fprintf(fp, "%s%s", sep, flag_names[k]);
				sep = "|";
			}
		/* derived, for readers: ignored by bd_read_csv() */
		if (!(p->flags & BD_SENT))
			fprintf(fp, "%snot_sent", sep);
		else if (!rx)
			fprintf(fp, "%slost", sep);
		csv_opt(fp, p->flags & BD_SENT, p->t1_real);
		csv_opt(fp, rx, p->t2_real);
		csv_opt(fp, rx, p->t3_real);
		csv_opt(fp, rx, p->t4_real);
		csv_opt(fp, p->flags & BD_SENT, p->t1);
		csv_opt(fp, rx, p->t2);
		csv_opt(fp, rx, p->t3);
		csv_opt(fp, rx, p->t4);
		csv_opt(fp, true, (int64_t)p->conv_err[0]);
		csv_opt(fp, true, (int64_t)p->conv_err[1]);
		csv_opt(fp, p->flags & BD_T1_SW, p->t1_txsw);
		csv_opt(fp, p->g_flush_us, p->g_flush_us);
		for (d = 0; d < BD_DOMS; d++)
			for (s = 0; s < __SRTT_STAGE_MAX; s++)
				csv_opt(fp, p->stage_mask[d] & (1U << s),
					p->stage[d][s]);
		csv_opt(fp, p->hv_irq, p->hv_irq);
		csv_opt(fp, p->hv_signal, p->hv_signal);
		csv_opt(fp, p->hv_inject, p->hv_inject);
		csv_opt(fp, p->hv_irq || p->hv_signal, p->hv_vf);
		csv_opt(fp, p->fwd_rx_irq, p->fwd_rx_irq);
		csv_opt(fp, p->fwd_rx_drv, p->fwd_rx_drv);
		csv_opt(fp, p->flags & BD_PTP, p->ptp_theta);
		csv_opt(fp, p->flags & BD_PTP, (int64_t)p->ptp_err);
		csv_opt(fp, p->flags & BD_PTP, p->ptp_g);
		if (ok && !p->d.rtt_why)
			fprintf(fp, ",%" PRId64, p->d.rtt_ns);
		else
			fprintf(fp, ",%s", ok ? "impossible" : "");
		csv_comp(fp, p->oneway_ok ? &p->ow.fwd : NULL);
		csv_opt(fp, p->oneway_ok, (int64_t)p->ow.fwd.err_ns);
		csv_comp(fp, p->oneway_ok ? &p->ow.rev : NULL);
		csv_opt(fp, p->oneway_ok, (int64_t)p->ow.rev.err_ns);
		for (k = 0; k < r->ncomp; k++) {
			const struct srtt_decomp_comp *c = NULL;

			for (j = 0; ok && j < p->d.n; j++)
				if (p->d.c[j].parts == r->comp[k].parts)
					c = &p->d.c[j];
			csv_comp(fp, c);
		}
		fputs("\n", fp);
	}
	if (fclose(fp))
		return -errno;
	return 0;
}

/* Split @line at commas in place: the number of fields (at most @max). */
static unsigned int csv_split(char *line, char **f, unsigned int max)
{
	unsigned int n = 0;
	char *p = line;

	line[strcspn(line, "\r\n")] = 0;
	while (n < max) {
		f[n++] = p;
		p = strchr(p, ',');
		if (!p)
			break;
		*p++ = 0;
	}
	return n;
}

static int parse_s64(const char *s, int64_t *v)
{
	char *end;

	if (!*s)
		return 1;	/* absent */
	errno = 0;
	*v = strtoll(s, &end, 10);
	if (errno || *end || *v <= -SRTT_DECOMP_NS_LIMIT || *v >= SRTT_DECOMP_NS_LIMIT)
		return -1;
	return 0;
}

#define CSV_MAX_COLS	128

int bd_read_csv(struct bd_run *r, const char *path)
{
	char line[8192], *f[CSV_MAX_COLS], *hdr[CSV_MAX_COLS], hline[8192];
	int col_app[8], col_err[BD_DOMS], col_stage[BD_DOMS][__SRTT_STAGE_MAX];
	int col_seq = -1, col_flags = -1, col_flush = -1, col_hv[N_HV_COLS];
	int col_ptp = -1, col_ptp_err = -1, col_ptp_g = -1;
	unsigned int nh, nf, k, d, s;
	size_t cap = 0, lineno = 1;
	FILE *fp = fopen(path, "r");
	static const char * const app[8] = {
		"t1_real_ns", "t2_real_ns", "t3_real_ns", "t4_real_ns",
		"t1_ns", "t2_ns", "t3_ns", "t4_ns",
	};

	if (!fp) {
		fprintf(stderr, "report: %s: %s\n", path, strerror(errno));
		return -errno;
	}
	if (!fgets(hline, sizeof(hline), fp)) {
		fprintf(stderr, "report: %s: empty file\n", path);
		fclose(fp);
		return -EINVAL;
	}
	nh = csv_split(hline, hdr, CSV_MAX_COLS);
	memset(col_app, -1, sizeof(col_app));
	memset(col_err, -1, sizeof(col_err));
	memset(col_stage, -1, sizeof(col_stage));
	memset(col_hv, -1, sizeof(col_hv));
	for (k = 0; k < nh; k++) {
		char name[64];

		for (s = 0; s < N_HV_COLS; s++)
			if (!strcmp(hdr[k], hv_cols[s]))
				col_hv[s] = (int)k;
		if (!strcmp(hdr[k], "ptp_theta_ns"))
			col_ptp = (int)k;
		if (!strcmp(hdr[k], "ptp_err_ns"))
			col_ptp_err = (int)k;
		if (!strcmp(hdr[k], "ptp_g_ns"))
			col_ptp_g = (int)k;

		if (!strcmp(hdr[k], "seq"))
			col_seq = (int)k;
		if (!strcmp(hdr[k], "flags"))
			col_flags = (int)k;
		if (!strcmp(hdr[k], "g_flush_us"))
			col_flush = (int)k;
		for (s = 0; s < 8; s++)
			if (!strcmp(hdr[k], app[s]))
				col_app[s] = (int)k;
		for (d = 0; d < BD_DOMS; d++) {
			snprintf(name, sizeof(name), "%c_conv_err_ns", dom_key[d]);
			if (!strcmp(hdr[k], name))
				col_err[d] = (int)k;
			for (s = 0; s < __SRTT_STAGE_MAX; s++) {
				snprintf(name, sizeof(name), "%c_%s_ns", dom_key[d],
					 srtt_stage_str(s));
				if (!strcmp(hdr[k], name))
					col_stage[d][s] = (int)k;
			}
		}
	}
	if (col_seq < 0 || col_flags < 0 || col_app[4] < 0 || col_app[7] < 0) {
		fprintf(stderr, "report: %s: not a sriov-rtt probe CSV "
			"(needs the columns seq, flags, t1_ns .. t4_ns)\n", path);
		fclose(fp);
		return -EINVAL;
	}
	while (fgets(line, sizeof(line), fp)) {
		struct bd_pkt *p;
		int64_t v;
		char *tok, *save = NULL;

		lineno++;
		if (!strchr(line, '\n') && !feof(fp)) {
			fprintf(stderr, "report: %s:%zu: line too long\n", path, lineno);
			goto bad;
		}
		nf = csv_split(line, f, CSV_MAX_COLS);
		if (nf != nh) {
			fprintf(stderr, "report: %s:%zu: %u fields, the header has %u\n",
				path, lineno, nf, nh);
			goto bad;
		}
		if (r->count == cap) {
			struct bd_pkt *np;

			cap = cap ? cap * 2 : 256;
			if (cap > 10000000) {
				fprintf(stderr, "report: %s: too many rows\n", path);
				goto bad;
			}
			np = realloc(r->p, cap * sizeof(*np));
			if (!np) {
				fprintf(stderr, "report: out of memory\n");
				fclose(fp);
				return -ENOMEM;
			}
			r->p = np;
		}
		p = &r->p[r->count];
		memset(p, 0, sizeof(*p));
		if (parse_s64(f[col_seq], &v) || v < 0 || v > UINT32_MAX) {
			fprintf(stderr, "report: %s:%zu: bad seq \"%s\"\n", path,
				lineno, f[col_seq]);
			goto bad;
		}
		p->seq = (uint32_t)v;
		for (tok = strtok_r(f[col_flags], "|", &save); tok;
		     tok = strtok_r(NULL, "|", &save)) {
			if (!strcmp(tok, "lost") || !strcmp(tok, "not_sent"))
				continue;
			for (k = 0; k < N_FLAGS; k++)
				if (!strcmp(tok, flag_names[k]))
					break;
			if (k == N_FLAGS) {
				fprintf(stderr, "report: %s:%zu: unknown flag \"%s\"\n",
					path, lineno, tok);
				goto bad;
			}
			/* results are recomputed, not read */
			if ((1U << k) & (BD_IMPOSSIBLE | BD_DECOMP_ERR))
				continue;
			p->flags |= 1U << k;
		}
		{
			int64_t *dst[8] = { &p->t1_real, &p->t2_real, &p->t3_real,
					    &p->t4_real, &p->t1, &p->t2, &p->t3,
					    &p->t4 };

			for (s = 0; s < 8; s++) {
				int rc;

				if (col_app[s] < 0)
					continue;
				rc = parse_s64(f[col_app[s]], dst[s]);
				if (rc < 0 ||
				    (rc > 0 && s >= 4 && (p->flags & BD_RECEIVED))) {
					fprintf(stderr, "report: %s:%zu: bad or missing %s \"%s\"\n",
						path, lineno, app[s], f[col_app[s]]);
					goto bad;
				}
			}
		}
		for (d = 0; d < BD_DOMS; d++) {
			if (col_err[d] >= 0 && !parse_s64(f[col_err[d]], &v)) {
				if (v < 0 || (uint64_t)v > SRTT_DECOMP_ERR_LIMIT) {
					fprintf(stderr, "report: %s:%zu: bad conversion error\n",
						path, lineno);
					goto bad;
				}
				p->conv_err[d] = (uint64_t)v;
			}
			for (s = 0; s < __SRTT_STAGE_MAX; s++) {
				int rc;

				if (col_stage[d][s] < 0)
					continue;
				rc = parse_s64(f[col_stage[d][s]], &v);
				if (rc < 0) {
					fprintf(stderr, "report: %s:%zu: bad %c_%s_ns \"%s\"\n",
						path, lineno, dom_key[d], srtt_stage_str(s),
						f[col_stage[d][s]]);
					goto bad;
				}
				if (!rc) {
					p->stage[d][s] = v;
					p->stage_mask[d] |= 1U << s;
				}
			}
		}
		/* the hypervisor's events (absent in older CSVs) */
		for (s = 0; s < N_HV_COLS; s++) {
			int64_t *dst[N_HV_COLS] = {
				&p->hv_irq, &p->hv_signal, &p->hv_inject, &v,
				&p->fwd_rx_irq, &p->fwd_rx_drv,
			};
			int rc;

			if (col_hv[s] < 0)
				continue;
			rc = parse_s64(f[col_hv[s]], dst[s]);
			if (rc < 0 || (!rc && (*dst[s] < 0 ||
					       (s == HV_COL_VF && v > 65535)))) {
				fprintf(stderr, "report: %s:%zu: bad %s \"%s\"\n",
					path, lineno, hv_cols[s], f[col_hv[s]]);
				goto bad;
			}
			if (s == HV_COL_VF && !rc)
				p->hv_vf = (uint16_t)v;
		}
		/* the hypervisor clock's offset: with its error, or neither */
		if (p->flags & BD_PTP) {
			if (col_ptp < 0 || col_ptp_err < 0 || col_ptp_g < 0 ||
			    parse_s64(f[col_ptp], &p->ptp_theta) ||
			    parse_s64(f[col_ptp_g], &p->ptp_g) ||
			    parse_s64(f[col_ptp_err], &v) || v < 0 ||
			    (uint64_t)v > SRTT_DECOMP_ERR_LIMIT) {
				fprintf(stderr, "report: %s:%zu: ptp_kvm without a good "
					"ptp_theta_ns, ptp_err_ns and ptp_g_ns\n", path, lineno);
				goto bad;
			}
			p->ptp_err = (uint64_t)v;
		}
		if (col_flush >= 0 && !parse_s64(f[col_flush], &v)) {
			if (v < 0 || v > 65535) {
				fprintf(stderr, "report: %s:%zu: bad g_flush_us\n",
					path, lineno);
				goto bad;
			}
			p->g_flush_us = (uint32_t)v;
		}
		if (p->flags & BD_SENT)
			r->sent++;
		if (p->flags & BD_RECEIVED)
			r->received++;
		if (p->flags & BD_LATE)
			r->late++;
		if (p->flags & BD_DUP)
			r->dup++;
		if (p->flags & BD_T1_SW)
			r->t1_sw++;
		if ((p->flags & BD_T4_SW) && (p->flags & BD_RECEIVED))
			r->t4_sw++;
		r->count++;
	}
	fclose(fp);
	if (!r->count) {
		fprintf(stderr, "report: %s: no packets\n", path);
		return -EINVAL;
	}
	return 0;
bad:
	fclose(fp);
	return -EINVAL;
}

/* ---- SVG ---- */

static const char * const colours[] = {
	"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
	"#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
};

static void svg_text(FILE *fp, const char *s)
{
	for (; *s; s++) {
		if (*s == '<')
			fputs("&lt;", fp);
		else if (*s == '>')
			fputs("&gt;", fp);
		else if (*s == '&')
			fputs("&amp;", fp);
		else
			fputc(*s, fp);
	}
}

int bd_write_svg(const struct bd_run *r, const char *path)
{
	static const unsigned int col[2] = { 1, 3 };	/* p50, p99 */
	const double x0 = 80, width = 720, bar_h = 36;
	double total[2] = { 0, 0 }, scale, x;
	char us[32];
	unsigned int i, b, shown = 0;
	FILE *fp;

	for (b = 0; b < 2; b++)
		for (i = 0; i < r->ncomp; i++)
			if (r->comp[i].n && comp_stat(&r->comp[i], col[b]) > 0)
				total[b] += (double)comp_stat(&r->comp[i], col[b]);
	scale = total[1] > total[0] ? total[1] : total[0];
	scale = scale > 0 ? width / scale : 0;
	fp = fopen(path, "w");
	if (!fp)
		return -errno;
	fprintf(fp, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"860\" "
		"height=\"%u\" font-family=\"sans-serif\" font-size=\"12\">\n",
		160 + 20 * r->ncomp);
	fprintf(fp, "<title>sriov-rtt: RTT components</title>\n");
	fputs("<text x=\"10\" y=\"20\" font-size=\"14\">RTT components, stacked "
	      "(each bar: that percentile of every component; the segments "
	      "do not add up to the RTT's percentile)</text>\n", fp);
	for (b = 0; b < 2; b++) {
		double y = 40 + b * (bar_h + 14);

		fprintf(fp, "<text x=\"10\" y=\"%.0f\">%s</text>\n",
			y + bar_h / 2 + 4, b ? "p99" : "p50");
		x = x0;
		for (i = 0; i < r->ncomp; i++) {
			const struct bd_comp *c = &r->comp[i];
			double w;

			if (!c->n || comp_stat(c, col[b]) <= 0)
				continue;
			w = (double)comp_stat(c, col[b]) * scale;
			fprintf(fp, "<rect x=\"%.2f\" y=\"%.0f\" width=\"%.2f\" "
				"height=\"%.0f\" fill=\"%s\"><title>",
				x, y, w, bar_h, colours[i % 10]);
			svg_text(fp, c->name);
			fprintf(fp, " %s us</title></rect>\n",
				us_str(comp_stat(c, col[b]), us, sizeof(us)));
			x += w;
		}
		fprintf(fp, "<text x=\"%.0f\" y=\"%.0f\">%s us</text>\n", x + 6,
			y + bar_h / 2 + 4, us_str((int64_t)total[b], us, sizeof(us)));
	}
	for (i = 0; i < r->ncomp; i++) {
		const struct bd_comp *c = &r->comp[i];
		double y = 150 + 20 * shown;

		fprintf(fp, "<rect x=\"10\" y=\"%.0f\" width=\"12\" height=\"12\" "
			"fill=\"%s\"/>\n<text x=\"28\" y=\"%.0f\">", y - 10,
			colours[i % 10], y);
		svg_text(fp, c->name);
		if (c->n)
			fprintf(fp, ": p50 %s us", us_str(comp_stat(c, 1), us, sizeof(us)));
		if (c->n)
			fprintf(fp, ", p99 %s us", us_str(comp_stat(c, 3), us, sizeof(us)));
		if (c->impossible)
			fprintf(fp, " (%zu impossible, not drawn)", c->impossible);
		fputs("</text>\n", fp);
		shown++;
	}
	fputs("</svg>\n", fp);
	if (fclose(fp))
		return -errno;
	return 0;
}
