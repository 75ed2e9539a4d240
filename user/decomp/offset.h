/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sriov_rtt: NTP-style estimate of the clock offset theta = G - H between
 * the reflector's clock G and the sender's clock H, with a bound that is
 * guaranteed rather than statistical. Plain C, integer arithmetic, no I/O.
 *
 * One exchange
 * ------------
 *
 * t1 = H send, t2 = G receive, t3 = G send, t4 = H receive (the points
 * closest to the wire; srtt_decomp_exchange() picks them). With
 *
 *   offset = ((t2 - t1) + (t3 - t4)) / 2
 *   delay  = (t4 - t1) - (t3 - t2)
 *
 * the true offset lies within offset +- delay / 2 for ANY asymmetry of the
 * path, as long as both one-way delays are >= 0: offset - theta =
 * (forward - reverse) / 2 and delay = forward + reverse. Each exchange
 * contributes the interval
 *
 *   offset +- (delay / 2 + err_ns + max_skew * (t4 - t1 + 2 * err_ns) / 2)
 *
 * at its H time (t1 + t4) / 2. err_ns is the caller's bound on |error of
 * offset| + |error of delay| / 2 from converting the four stamps: e_H + e_G
 * when t1/t4 share one conversion of error e_H and t2/t3 one of error e_G
 * (a shared shift cancels in the delay), e1 + e2 + e3 + e4 for four
 * independent errors. The max_skew term covers the clocks' rate
 * difference during the exchange itself. In H time the exchange is
 * A <= B <= C <= D; with theta linear of slope s, offset - theta((A + D)
 * / 2) = (1 - s) * (fwd - rev) / 2 and fwd + rev = delay + s * (C - B),
 * so |offset - theta((A + D) / 2)| <= delay / 2 + |s| * (D - A) / 2, and
 * D - A <= t4 - t1 + 2 * err_ns (25 ns for a 50 us RTT at the default
 * 1000 ppm, the sum of two Linux clocks' +-500 ppm limits).
 *
 * The estimate of a window
 * ------------------------
 *
 * The clocks drift: at 50 ppm theta moves 50 us a second, far more than a
 * lab path's delay, so one theta for a long run would be wrong by more
 * than its bound. A run is cut into windows of N samples in send order
 * (srtt_offset_windows()), and within a window theta is taken to be
 * linear in time (one constant skew; NTP changes a clock's rate at its
 * updates, seconds to minutes apart, so keep a window shorter than that).
 *
 * In a window the estimator picks two anchors: the exchange with the
 * smallest bound (the lowest delay, ties to the earliest) among the first
 * third of the usable samples, and likewise among the last third. If theta
 * is linear, theta(t) = lambda * theta(t_a) + (1 - lambda) * theta(t_b)
 * with lambda = (t_b - t) / (t_b - t_a), so with both anchors' intervals
 * valid:
 *
 *   theta(t) in  lambda * off_a + (1 - lambda) * off_b
 *             +- |lambda| * bound_a + |1 - lambda| * bound_b
 *
 * for every t, between the anchors (interpolation) and beyond them
 * (extrapolation, with a growing bound). The headline figure is at the
 * midpoint t_ref between the anchors: the mean of the two offsets +- the
 * mean of the two bounds, i.e. about delay_min / 2 plus conversion errors,
 * the classic NTP bound. skew_ppb is the slope between the anchors. With
 * evenly spaced exchanges the anchors are at least a third of the window
 * apart, so at the window's edges the bound is at most 2 * bound_a +
 * bound_b (lambda = 2 at worst): pick the window for a probe that
 * brackets it, and keep windows long against the anchors' bounds.
 *
 * Why min-delay anchors and not the median offset of the 10 % lowest
 * delays: an exchange's offset is off by (forward - reverse) / 2, up to
 * half ITS delay, so the median comes with no bound tighter than the
 * largest delay among those 10 % (a path 3x slower forward shifts every
 * offset by delay / 4 the same way: the median does not average it out),
 * while the minimum-delay exchange's interval holds and is the tightest
 * single one. Intersecting the intervals of many exchanges would be
 * tighter still but is only valid without skew.
 *
 * With one usable sample (or both anchors at one time) the skew is
 * unknown: theta is that sample's offset and the bound grows by max_skew *
 * |t - t_a| away from it (ONE_ANCHOR).
 *
 * Rate changes
 * ------------
 *
 * The line is a model: a clock whose rate changes inside a window (NTP
 * corrects the frequency at its updates) bends theta. Two guards:
 *
 * - every usable sample's interval must meet the line's band at its time
 *   (both hold theta if the model does); a sample that misses it refutes
 *   the line, and the window is split in two halves, each estimated and
 *   checked again, down to 8 samples (then SRTT_OFFSET_F_NONLINEAR: its
 *   bounds are an estimate). A rate change that big is seen and cut out.
 * - a smaller change may pass unseen: with cfg.max_step_ppb the caller
 *   says how large one can be, and every bound grows by the most it can
 *   move theta off the line: max_step * ((t_b - t_a) / 4 + the distance
 *   of t outside [t_a, t_b]); skew_err_ppb grows by max_step.
 *
 * So the bounds hold for any theta whose rate, within a window, moves by
 * at most max_step_ppb, or by more in a way the samples show;
 * test_truth.c checks that against synthetic clocks (skews to 500 ppm,
 * rate steps, asymmetric and jittery paths, replies held 1.5 s).
 *
 * Same boot_id: one kernel, one clock. With cfg.same_clock the estimate is
 * theta = 0 with bound 0 exactly, whatever the samples (none needed).
 *
 * Usable samples: t1..t4 below 2^61 in magnitude, err_ns <= 60 s, t4 - t1
 * and t3 - t2 within [-2 * err_ns, 60 s], delay >= -2 * err_ns (a smaller
 * one violates causality: both one-way delays cannot be >= 0) and
 * |offset| < 2^61 ns. Others are rejected and counted. Usable samples
 * must be in send order (t1 non-decreasing), or -SRTT_OFFSET_EORDER.
 *
 * All arithmetic is integer: offsets and bounds are kept doubled (in half
 * nanoseconds) so the division by 2 is exact, products go through a
 * 128-bit multiply-divide, and every rounding widens the bound.
 */
#ifndef _SRTT_OFFSET_H
#define _SRTT_OFFSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SRTT_OFFSET_MAX_SKEW_PPB_DEFAULT	1000000ULL	/* 1000 ppm */
#define SRTT_OFFSET_NS_LIMIT			(1LL << 61)

struct srtt_offset_sample {
	int64_t		t1, t2, t3, t4;	/* H, G, G, H clocks, ns */
	uint64_t	err_ns;		/* conversion error, see above */
};

struct srtt_offset_cfg {
	bool		same_clock;	/* same boot_id: theta = 0 exactly */
	uint64_t	max_skew_ppb;	/* bound on |rate G - rate H|, <= 10^9 */
	/*
	 * The largest change of the rate difference a window may hold
	 * unseen (an NTP frequency correction), ppb: theta is then not
	 * linear, and every bound grows by what that can move it (see
	 * "Rate changes"). 0: theta taken to be linear in a window.
	 */
	uint64_t	max_step_ppb;
	/* a window ends after this long of H time too; 0: no limit */
	int64_t		max_window_ns;
};

/*
 * Defaults: different clocks, max_skew 1000 ppm, no rate change, no
 * limit in time (what the callers that know their clocks set).
 */
void srtt_offset_cfg_init(struct srtt_offset_cfg *cfg);

#define SRTT_OFFSET_F_SAME_CLOCK	0x1	/* theta = 0, bound 0 */
#define SRTT_OFFSET_F_ONE_ANCHOR	0x2	/* skew unknown, see above */
#define SRTT_OFFSET_F_INVALID		0x4	/* window without usable sample */
/*
 * A sample's interval misses the window's line by more than both bounds
 * and the allowance for max_step: theta changed rate by more than that,
 * and the window was too short to split further. Its bounds are an
 * estimate, not a guarantee.
 */
#define SRTT_OFFSET_F_NONLINEAR		0x8

/* One exchange's interval, doubled: theta(t) in (off2 +- b2) / 2. */
struct srtt_offset_anchor {
	int64_t		t;		/* H time (t1 + t4) / 2 */
	int64_t		off2;		/* 2 * offset */
	uint64_t	b2;		/* 2 * bound */
	int64_t		delay_ns;	/* >= -2 * err_ns */
	size_t		idx;		/* sample index */
};

struct srtt_offset_est {
	uint32_t	flags;		/* SRTT_OFFSET_F_* */
	int64_t		theta_ns;	/* at t_ref */
	uint64_t	bound_ns;	/* at t_ref */
	int64_t		t_ref;		/* H clock */
	int64_t		skew_ppb;	/* slope between the anchors */
	/*
	 * The slope's own error: (bound_a + bound_b) / (t_b - t_a), rounded
	 * up (max_skew with ONE_ANCHOR), plus max_step: |true rate
	 * difference - skew_ppb| <= skew_err_ppb anywhere in the window.
	 */
	uint64_t	skew_err_ppb;
	int64_t		delay_min_ns;	/* of the usable samples */
	size_t		first, n;	/* the samples of this window */
	size_t		used, rejected;
	int64_t		t_first, t_last; /* H times of first/last usable */
	struct srtt_offset_anchor a, b;	/* b == a with ONE_ANCHOR */
	uint64_t	max_skew_ppb;
	uint64_t	max_step_ppb;
	unsigned int	splits;		/* times its samples were split off */
};

/* Error codes: negative returns. */
enum srtt_offset_err {
	SRTT_OFFSET_OK		= 0,
	SRTT_OFFSET_EINVAL	= 1,	/* NULL, window 0, max_skew > 10^9 */
	SRTT_OFFSET_ENOSAMPLE	= 2,	/* no usable sample */
	SRTT_OFFSET_EORDER	= 3,	/* usable samples not in t1 order */
	SRTT_OFFSET_ERANGE	= 4,	/* a time or result out of range */
	SRTT_OFFSET_ESPACE	= 5,	/* output array too small */
};

const char *srtt_offset_strerror(int err);

/*
 * The NTP figures of one exchange: 0, or -SRTT_OFFSET_ERANGE when the
 * sample is not usable (see above). offset2 = 2 * offset, exact.
 */
int srtt_offset_sample_eval(const struct srtt_offset_sample *s,
			    int64_t *offset2, int64_t *delay);

/*
 * Estimate theta from samples[0..n) as one window: 0, or a negative
 * SRTT_OFFSET_E* (with same_clock: always 0). @cfg NULL: defaults.
 * out->flags has SRTT_OFFSET_F_INVALID on -SRTT_OFFSET_ENOSAMPLE.
 */
int srtt_offset_estimate(const struct srtt_offset_sample *samples, size_t n,
			 const struct srtt_offset_cfg *cfg,
			 struct srtt_offset_est *out);

/*
 * Windows of @window samples: n / window of them, the remainder appended
 * to the last one when shorter than window / 2, else a window of its own.
 * srtt_offset_nwindows() says how many. Windows without a usable sample
 * get SRTT_OFFSET_F_INVALID and do not fail the call; -SRTT_OFFSET_EORDER
 * and -SRTT_OFFSET_ESPACE do.
 */
size_t srtt_offset_nwindows(size_t n, size_t window);
/*
 * srtt_offset_windows() cuts a window also after cfg.max_window_ns and
 * splits one whose samples refute its line (see "Rate changes"): it may
 * return more windows than srtt_offset_nwindows() says, never more than
 * srtt_offset_max_windows().
 */
size_t srtt_offset_max_windows(size_t n);
int srtt_offset_windows(const struct srtt_offset_sample *samples, size_t n,
			size_t window, const struct srtt_offset_cfg *cfg,
			struct srtt_offset_est *out, size_t max_out,
			size_t *n_out);

/*
 * Theta at H time @t from an estimate, and its bound: 0, or
 * -SRTT_OFFSET_EINVAL for an INVALID estimate, -SRTT_OFFSET_ERANGE when
 * the result does not fit.
 */
int srtt_offset_at(const struct srtt_offset_est *e, int64_t t,
		   int64_t *theta_ns, uint64_t *bound_ns);

/*
 * Theta somewhere in the H-time interval [t_lo, t_hi] (e.g. a probe's G
 * events, known only to lie between its last H stamp before G and its
 * first after): the hull of the intervals at both ends, which contains
 * theta at every point between under the linear model.
 */
int srtt_offset_span(const struct srtt_offset_est *e, int64_t t_lo,
		     int64_t t_hi, int64_t *theta_ns, uint64_t *bound_ns);

/*
 * a * b / d with a 128-bit intermediate: 0 with *q and *rem, or
 * -SRTT_OFFSET_ERANGE when d is 0 or the quotient needs more than 64 bits.
 */
int srtt_offset_muldiv(uint64_t a, uint64_t b, uint64_t d, uint64_t *q,
		       uint64_t *rem);

#endif /* _SRTT_OFFSET_H */
