// SPDX-License-Identifier: GPL-2.0
/*
 * sriov-rtt: the clocks of a run, step 2 of the analysis (breakdown.c).
 *
 * Every figure of the breakdown that crosses from G's clock to H's, or
 * from one clock kind to another, is computed here: the offset estimate
 * in windows (the estimator itself, pure and fuzzed, is decomp/offset.c),
 * the hypervisor clock checked against it, theta and its bound for a
 * packet, the interrupt stamps that cannot be on a packet's path, the
 * guest's rx_irq in H time for the hypervisor's split, the skew that
 * takes a packet's G intervals into H time, the one-way split and the
 * offset as the summary shows it. The other steps read what this one
 * leaves in the packets and in struct bd_run.
 */

#include <stdlib.h>

#include "bd_priv.h"
#include "breakdown.h"

#define BD_WINDOW	64	/* exchanges per offset window */
/*
 * ...and at most this long (NTP corrects a clock's frequency at its
 * updates, 64 s apart and more), and how much that correction may change
 * the rate unseen within one (chrony and ntpd steps are a few ppm; a
 * larger change the samples show splits the window): the bounds of every
 * figure that crosses the clocks hold under these two.
 */
#define BD_WINDOW_NS	2000000000LL
#define BD_MAX_STEP_PPB	20000ULL

/* One kernel's clock: G in the reflector's MONOTONIC, and the same boot. */
static bool one_clock(const struct bd_run *r, const struct bd_pkt *p)
{
	return bd_same_kernel(r) && (p->flags & BD_G_MONO);
}

static bool fitted(const struct bd_pkt *p)
{
	return (p->flags & BD_RECEIVED) && !(p->flags & BD_DECOMP_ERR);
}

/*
 * One fit, one pair of clocks: G's stamps are its MONOTONIC where the
 * reply carried a bracket, its REALTIME where it did not, and the two
 * never share a fit (their offsets are decades apart). The kind most
 * replies have is fitted; the others are counted.
 */
static void fit_kind(struct bd_run *r)
{
	size_t mono = 0, real = 0;
	uint64_t k;

	for (k = 0; k < r->count; k++)
		if (fitted(&r->p[k]))
			(r->p[k].flags & BD_G_MONO) ? mono++ : real++;
	r->offset_g_mono = mono >= real;
	r->offset_other_kind = mono >= real ? real : mono;
}

/*
 * The exchanges of the fitted kind into @s, their packets into @idx; the
 * number of them. *@same stays true only when every reply's G is the
 * reflector kernel's MONOTONIC.
 */
static size_t fit_samples(const struct bd_run *r,
			  struct srtt_offset_sample *s, size_t *idx,
			  bool *same)
{
	size_t n = 0;
	uint64_t k;

	for (k = 0; k < r->count; k++) {
		const struct bd_pkt *p = &r->p[k];

		if (!fitted(p))
			continue;
		if (!(p->flags & BD_G_MONO))
			*same = false;
		if (!(p->flags & BD_G_MONO) != !r->offset_g_mono)
			continue;
		if (srtt_decomp_exchange(&p->d, &s[n]))
			continue;
		idx[n++] = k;
	}
	return n;
}

/* The windows of @s[0..n) into r->est: 0, or an SRTT_OFFSET_E* code. */
static int fit_windows(struct bd_run *r, const struct srtt_offset_sample *s,
		       size_t n, bool same)
{
	struct srtt_offset_cfg cfg;
	size_t nw;
	int err;

	srtt_offset_cfg_init(&cfg);
	cfg.same_clock = same && n;
	cfg.max_step_ppb = BD_MAX_STEP_PPB;
	cfg.max_window_ns = BD_WINDOW_NS;
	nw = srtt_offset_max_windows(n);
	r->est = calloc(nw ? nw : 1, sizeof(*r->est));
	if (!r->est)
		return SRTT_OFFSET_ERANGE;
	if (!n)
		return SRTT_OFFSET_ENOSAMPLE;
	err = srtt_offset_windows(s, n, BD_WINDOW, &cfg, r->est, nw ? nw : 1,
				  &r->nest);
	if (err) {
		r->nest = 0;
		return -err;
	}
	return 0;
}

/*
 * The clock offset from every decomposed packet's exchange, in windows of
 * BD_WINDOW; p->win says which window a packet's exchange is in.
 */
static void estimate_offset(struct bd_run *r)
{
	bool same = bd_same_kernel(r);
	struct srtt_offset_sample *s;
	size_t *idx, n, k, w;

	for (k = 0; k < r->count; k++)
		r->p[k].win = -1;
	s = calloc(r->count ? r->count : 1, sizeof(*s));
	idx = calloc(r->count ? r->count : 1, sizeof(*idx));
	if (!s || !idx) {
		r->offset_err = SRTT_OFFSET_ERANGE;
		goto out;
	}
	fit_kind(r);
	n = fit_samples(r, s, idx, &same);
	r->offset_err = fit_windows(r, s, n, same);
	for (w = 0; !r->offset_err && w < r->nest; w++) {
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

/* |skew| of window @w, ppb, at most 10^9 (the clocks' rate difference) */
uint64_t bd_win_skew(const struct bd_run *r, size_t w)
{
	uint64_t s = (uint64_t)llabs(r->est[w].skew_ppb);

	return s > 1000000000ULL ? 1000000000ULL : s;
}

/*
 * Theta from the hypervisor clock for G times in [g_lo, g_hi]: it was
 * read at ptp_g, and the clocks drift apart by the window's skew (the
 * largest of any window without one) meanwhile: that much is added to
 * its error.
 */
static void ptp_theta_at(const struct bd_run *r, const struct bd_pkt *p,
			 int64_t g_lo, int64_t g_hi, int64_t *theta,
			 uint64_t *bound)
{
	int64_t far = llabs(g_lo - p->ptp_g) > llabs(g_hi - p->ptp_g) ?
		      g_lo - p->ptp_g : g_hi - p->ptp_g;
	uint64_t skew = 0;
	size_t w;

	if (p->win >= 0)
		skew = bd_win_skew(r, (size_t)p->win);
	else
		for (w = 0; w < r->nest; w++)
			if (!(r->est[w].flags & SRTT_OFFSET_F_INVALID) &&
			    bd_win_skew(r, w) > skew)
				skew = bd_win_skew(r, w);
	*theta = p->ptp_theta;
	*bound = p->ptp_err + srtt_decomp_drift_ns(far, skew);
}

/* Theta from the packet's window over its H span: 0, or -1 for none. */
static int win_theta(const struct bd_run *r, const struct bd_pkt *p,
		     int64_t *theta, uint64_t *bound)
{
	int64_t lo, hi;

	if (p->win < 0)
		return -1;
	srtt_decomp_h_span(&p->d, &lo, &hi);
	return srtt_offset_span(&r->est[p->win], lo, hi, theta, bound) ? -1 : 0;
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
	*theta = 0;
	*bound = 0;
	if (r->ptp_used && (p->flags & BD_PTP)) {
		ptp_theta_at(r, p, g_lo, g_hi, theta, bound);
		return 0;
	}
	if (one_clock(r, p))
		return 0;
	return win_theta(r, p, theta, bound);
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
	int64_t theta, d;
	uint64_t bound, i, n = 0;

	for (i = 0; i < r->count; i++) {
		const struct bd_pkt *p = &r->p[i];

		if (!bd_ptp_reading(p))
			continue;
		n++;
		if (win_theta(r, p, &theta, &bound))
			continue;
		r->ptp_checked++;
		d = theta - p->ptp_theta;
		if ((uint64_t)(d < 0 ? -d : d) <= bound + p->ptp_err)
			r->ptp_inside++;
	}
	r->ptp_used = n && (!r->ptp_checked ||
			    r->ptp_inside * 100 >= r->ptp_checked * 99);
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
	const uint16_t *m = p->stage_mask;
	int64_t theta = 0, lo, hi, prev[BD_DOMS];
	uint64_t bound = 0;
	unsigned int d, s;

	/* the hypervisor clock, with the drift to the earliest stamp */
	lo = hi = p->ptp_g;
	for (s = SRTT_STAGE_RX_IRQ; s <= SRTT_STAGE_RX_SOFTIRQ; s++)
		if ((m[SRTT_DECOMP_DOM_G] & (1U << s)) &&
		    p->stage[SRTT_DECOMP_DOM_G][s] < lo)
			lo = p->stage[SRTT_DECOMP_DOM_G][s];
	if (pkt_theta(r, p, lo, hi, &theta, &bound))
		return;
	/* the other side's last stamp, in that side's clock */
	prev[SRTT_DECOMP_DOM_G] =
		(m[SRTT_DECOMP_DOM_H] & (1U << SRTT_STAGE_TX_DRV)) ?
		p->stage[SRTT_DECOMP_DOM_H][SRTT_STAGE_TX_DRV] : p->t1;
	prev[SRTT_DECOMP_DOM_H] =
		(m[SRTT_DECOMP_DOM_G] & (1U << SRTT_STAGE_TX_DRV)) &&
		(p->flags & BD_G_MONO) ?
		p->stage[SRTT_DECOMP_DOM_G][SRTT_STAGE_TX_DRV] : p->t3;
	for (d = 0; d < BD_DOMS; d++) {
		if (d == SRTT_DECOMP_DOM_G && !(p->flags & BD_G_MONO))
			continue;
		for (s = SRTT_STAGE_RX_IRQ; s <= SRTT_STAGE_RX_SOFTIRQ; s++) {
			int64_t t;

			if (!(m[d] & (1U << s)))
				continue;
			/* into the other side's clock: G = H + theta */
			t = p->stage[d][s] +
			    (d == SRTT_DECOMP_DOM_G ? -theta : theta);
			if (t + (int64_t)bound < prev[d]) {
				p->rx_dropped[d] |= 1U << s;
				r->rx_early[d]++;
			}
		}
	}
}

/*
 * The guest's rx_irq in H time, for the hypervisor's split of a packet
 * with a host event (the host's hand-over is matched to it across the
 * clocks): only with G in its MONOTONIC and an rx_irq on the path.
 */
static void irq_in_h(const struct bd_run *r, struct bd_pkt *p)
{
	const int64_t *g = p->stage[SRTT_DECOMP_DOM_G];
	const uint16_t irq = 1U << SRTT_STAGE_RX_IRQ;
	int64_t theta;

	p->irq_h_ok = false;
	if (!(p->hv_irq || p->hv_signal) || !(p->flags & BD_G_MONO) ||
	    !(p->stage_mask[SRTT_DECOMP_DOM_G] & irq) ||
	    (p->rx_dropped[SRTT_DECOMP_DOM_G] & irq))
		return;
	if (pkt_theta(r, p, g[SRTT_STAGE_RX_IRQ], g[SRTT_STAGE_RX_IRQ],
		      &theta, &p->irq_h_err))
		return;
	/* G = H + theta */
	p->irq_h = g[SRTT_STAGE_RX_IRQ] - theta;
	p->irq_h_ok = true;
}

/*
 * Two clocks: the packet's G intervals go into H time by its window's
 * skew, and their bounds grow by the skew's own error (decomp.h).
 */
static void pkt_skew(const struct bd_run *r, struct bd_pkt *p)
{
	const struct srtt_offset_est *e;

	p->skew_ppb = 0;
	p->rate_err_ppb = 0;
	if (one_clock(r, p) || p->win < 0)
		return;
	e = &r->est[p->win];
	if (!(e->flags & SRTT_OFFSET_F_SAME_CLOCK) &&
	    e->skew_ppb <= 10000000LL && e->skew_ppb >= -10000000LL)
		p->skew_ppb = e->skew_ppb;
	p->rate_err_ppb = e->skew_err_ppb > 1000000000ULL ?
			  1000000000ULL : e->skew_err_ppb;
}

void bd_clock(struct bd_run *r)
{
	uint64_t i;

	estimate_offset(r);
	ptp_check(r);
	for (i = 0; i < r->count; i++) {
		struct bd_pkt *p = &r->p[i];

		if (!fitted(p))
			continue;
		rx_early(r, p);
		irq_in_h(r, p);
		pkt_skew(r, p);
	}
}

int bd_clock_oneway(const struct bd_run *r, struct bd_pkt *p)
{
	int64_t theta, lo = 0, hi = 0;
	uint64_t bound;

	if (r->ptp_used && (p->flags & BD_PTP)) {
		srtt_decomp_g_span(&p->d, &lo, &hi);
		ptp_theta_at(r, p, lo, hi, &theta, &bound);
	} else if (win_theta(r, p, &theta, &bound)) {
		return -1;
	}
	return srtt_decomp_oneway(&p->d, theta, bound, &p->ow);
}

/*
 * H's REALTIME - MONOTONIC at a packet of window @e: what turns an offset
 * of G's REALTIME against H's MONOTONIC into one of two REALTIME clocks.
 */
static int64_t h_real_minus_mono(const struct bd_run *r,
				 const struct srtt_offset_est *e)
{
	size_t k;

	for (k = 0; k < r->count; k++)
		if ((r->p[k].flags & BD_RECEIVED) && r->p[k].win >= 0 &&
		    &r->est[r->p[k].win] == e)
			return r->p[k].t1_real - r->p[k].t1;
	return 0;
}

const struct srtt_offset_est *bd_clock_shown(const struct bd_run *r,
					     int64_t *theta)
{
	size_t w;

	*theta = 0;
	for (w = 0; w < r->nest; w++) {
		const struct srtt_offset_est *e = &r->est[w];

		if (e->flags & SRTT_OFFSET_F_INVALID)
			continue;
		*theta = e->theta_ns;
		if (!r->offset_g_mono)
			*theta -= h_real_minus_mono(r, e);
		return e;
	}
	return NULL;
}
