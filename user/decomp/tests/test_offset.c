// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the clock offset estimator (user/decomp/offset.c) on
 * synthetic exchanges whose truth is known: a reflector clock G = H +
 * theta0 + skew * (t - t0), one-way delays that are asymmetric and
 * jittered from a seeded PRNG, conversion errors on every stamp. The claim
 * under test is the published bound: the true offset lies inside it for
 * every estimate, at every time it is asked for.
 */
#include <stdlib.h>
#include <string.h>

#include "../../../selftests/unit/ktap.h"
#include "offset.h"

#define NSEC	1000000000LL

static uint64_t rng_state = 0x2545f4914f6cdd1dULL;

static uint64_t rng(void)
{
	return ktap_xorshift(&rng_state);
}

/* uniform in [-e, e] */
static int64_t noise(int64_t e)
{
	return e ? (int64_t)(rng() % (uint64_t)(2 * e + 1)) - e : 0;
}

static int64_t jitter(int64_t j)
{
	return j ? (int64_t)(rng() % (uint64_t)j) : 0;
}

/* ---- the truth ---- */

struct truth {
	int64_t	theta0;		/* G - H at H time t0 */
	int64_t	t0;
	int64_t	skew_ppb;	/* G runs (1 + skew) as fast as H */
};

/* G's reading at H time t; rounding to 1 ns is < 1 ns of error */
static int64_t g_of(const struct truth *tr, int64_t t)
{
	return t + tr->theta0 +
	       (int64_t)((__int128)(t - tr->t0) * tr->skew_ppb / NSEC);
}

/* |theta - true theta(t)| <= bound, in exact rational arithmetic */
static bool inside(const struct truth *tr, int64_t t, int64_t theta,
		   uint64_t bound)
{
	__int128 lhs = (__int128)(theta - tr->theta0) * NSEC -
		       (__int128)(t - tr->t0) * tr->skew_ppb;
	__int128 b = (__int128)bound * NSEC;

	return lhs <= b && lhs >= -b;
}

struct scenario {
	struct truth tr;
	int64_t	start, spacing;		/* t1 = start + i * spacing + ... */
	int64_t	fwd, fwd_jit;		/* forward = fwd + [0, fwd_jit) */
	int64_t	rev, rev_jit;
	int64_t	hold, hold_jit;		/* reflector's t3 - t2 */
	int64_t	e_h, e_g;		/* conversion error per stamp */
};

/* True H times of each exchange's G events. */
struct hidden {
	int64_t	b, c;
};

static void generate(const struct scenario *sc, struct srtt_offset_sample *s,
		     struct hidden *hid, size_t n)
{
	int64_t a, b, c, d;
	size_t i;

	for (i = 0; i < n; i++) {
		a = sc->start + (int64_t)i * sc->spacing +
		    jitter(sc->spacing / 2);
		b = a + sc->fwd + jitter(sc->fwd_jit);
		c = b + sc->hold + jitter(sc->hold_jit);
		d = c + sc->rev + jitter(sc->rev_jit);
		s[i].t1 = a + noise(sc->e_h);
		s[i].t2 = g_of(&sc->tr, b) + noise(sc->e_g);
		s[i].t3 = g_of(&sc->tr, c) + noise(sc->e_g);
		s[i].t4 = d + noise(sc->e_h);
		/* four independent errors, plus G's rounding */
		s[i].err_ns = (uint64_t)(2 * sc->e_h + 2 * sc->e_g) +
			      (sc->tr.skew_ppb ? 2 : 0);
		if (hid) {
			hid[i].b = b;
			hid[i].c = c;
		}
	}
}

struct tally {
	unsigned long checks, misses;
};

static void expect_inside(struct tally *ty, const struct truth *tr,
			  int64_t t, int64_t theta, uint64_t bound,
			  const char *what)
{
	ty->checks++;
	if (inside(tr, t, theta, bound))
		return;
	if (ty->misses++ < 5)
		KTAP_DIAG("%s at %" PRId64 ": %" PRId64 " +- %" PRIu64
			  ", true %" PRId64 " + %" PRId64 " ppb", what, t,
			  theta, bound, tr->theta0, tr->skew_ppb);
}

/*
 * The truth inside the published bound at t_ref, at every exchange of the
 * window, beyond its ends, and over every exchange's span.
 */
static void check_estimate(struct tally *ty, const struct srtt_offset_est *e,
			   const struct srtt_offset_sample *s,
			   const struct hidden *hid, const struct scenario *sc)
{
	int64_t theta, t;
	uint64_t bound;
	size_t i;

	expect_inside(ty, &sc->tr, e->t_ref, e->theta_ns, e->bound_ns,
		      "t_ref");
	for (i = e->first; i < e->first + e->n; i++) {
		t = s[i].t1 + (s[i].t4 - s[i].t1) / 2;
		if (!KTAP_EXPECT_EQ(srtt_offset_at(e, t, &theta, &bound), 0))
			return;
		expect_inside(ty, &sc->tr, t, theta, bound, "at");
		/* the G events lie in [t1, t4], widened by t1/t4 errors */
		if (!KTAP_EXPECT_EQ(srtt_offset_span(e, s[i].t1 - sc->e_h,
						     s[i].t4 + sc->e_h,
						     &theta, &bound), 0))
			return;
		expect_inside(ty, &sc->tr, hid[i].b, theta, bound, "span b");
		expect_inside(ty, &sc->tr, hid[i].c, theta, bound, "span c");
	}
	for (t = e->t_first - 10000000; t <= e->t_last + 10000000;
	     t += (e->t_last - e->t_first) / 7 + 1) {
		KTAP_EXPECT_EQ(srtt_offset_at(e, t, &theta, &bound), 0);
		expect_inside(ty, &sc->tr, t, theta, bound, "sweep");
	}
}

/* ---- cases ---- */

static void muldiv_matches_int128(void)
{
	static const uint64_t edge[] = {
		0, 1, 2, 3, 0xffffffff, 0x100000000ULL, UINT64_MAX,
		UINT64_MAX - 1, 1ULL << 63, (1ULL << 63) - 1, 1000000000,
	};
	unsigned __int128 p, want_q;
	uint64_t a, b, d, q, r;
	unsigned int i, bad = 0;
	int rc;

	for (i = 0; i < 200000 + 11 * 11 * 11; i++) {
		if (i < 11 * 11 * 11) {
			a = edge[i % 11];
			b = edge[i / 11 % 11];
			d = edge[i / 121 % 11];
		} else {
			a = rng() >> (rng() % 64);
			b = rng() >> (rng() % 64);
			d = rng() >> (rng() % 64);
		}
		p = (unsigned __int128)a * b;
		rc = srtt_offset_muldiv(a, b, d, &q, &r);
		if (!d) {
			bad += rc != -SRTT_OFFSET_ERANGE;
			continue;
		}
		want_q = p / d;
		if (want_q > UINT64_MAX) {
			bad += rc != -SRTT_OFFSET_ERANGE;
			continue;
		}
		if (rc || q != (uint64_t)want_q || r != (uint64_t)(p % d)) {
			if (bad++ < 5)
				KTAP_DIAG("%" PRIu64 " * %" PRIu64 " / %"
					  PRIu64 ": rc %d", a, b, d, rc);
		}
	}
	KTAP_EXPECT_EQ(bad, 0);
}

static void symmetric_fixed_is_exact(void)
{
	static struct srtt_offset_sample s[200];
	struct scenario sc = {
		.tr = { .theta0 = 123456789 },
		.start = 1000 * NSEC, .spacing = 1000000,
		.fwd = 20000, .rev = 20000, .hold = 7000,
	};
	struct srtt_offset_cfg cfg;
	struct srtt_offset_est e;
	int64_t theta;
	uint64_t bound;

	generate(&sc, s, NULL, 200);
	srtt_offset_cfg_init(&cfg);
	cfg.max_skew_ppb = 0;
	KTAP_EXPECT_EQ(srtt_offset_estimate(s, 200, &cfg, &e), 0);
	KTAP_EXPECT_EQ(e.theta_ns, 123456789);
	KTAP_EXPECT_EQ(e.bound_ns, 20000);	/* delay / 2 exactly */
	KTAP_EXPECT_EQ(e.delay_min_ns, 40000);
	KTAP_EXPECT_EQ(e.skew_ppb, 0);
	KTAP_EXPECT_EQ(e.used, 200);
	KTAP_EXPECT_EQ(e.rejected, 0);
	KTAP_EXPECT_EQ(e.flags, 0);
	KTAP_EXPECT_EQ(srtt_offset_at(&e, 5000 * NSEC, &theta, &bound), 0);
	KTAP_EXPECT_EQ(theta, 123456789);

	/* the default max_skew adds its share for the 47 us exchange:
	 * 1000 ppm * 47 us / 2
	 */
	KTAP_EXPECT_EQ(srtt_offset_estimate(s, 200, NULL, &e), 0);
	KTAP_EXPECT_EQ(e.theta_ns, 123456789);
	KTAP_EXPECT_EQ(e.bound_ns, 20000 + 24);
}

static void run_scenario(const struct scenario *sc, size_t n, size_t window,
			 const char *name)
{
	struct srtt_offset_sample *s = calloc(n, sizeof(*s));
	struct hidden *hid = calloc(n, sizeof(*hid));
	struct srtt_offset_est *est, whole;
	struct tally ty = { 0, 0 };
	size_t nw = 0, w, third;
	uint64_t worst = 0, tol;
	int64_t dt;

	est = calloc(n / window + 1, sizeof(*est));
	if (!s || !hid || !est)
		abort();
	generate(sc, s, hid, n);
	KTAP_EXPECT_EQ(srtt_offset_windows(s, n, window, NULL, est,
					   n / window + 1, &nw), 0);
	KTAP_EXPECT_EQ(nw, srtt_offset_nwindows(n, window));
	for (w = 0; w < nw; w++) {
		const struct srtt_offset_est *e = &est[w];

		KTAP_EXPECT_EQ(e->flags, 0);
		check_estimate(&ty, e, s, hid, sc);
		if (e->bound_ns > worst)
			worst = e->bound_ns;
		/* anchors from the first and last thirds */
		third = (e->used + 2) / 3;
		KTAP_EXPECT(e->a.idx < e->first + third &&
			    e->b.idx >= e->first + e->n - third,
			    "anchors %zu %zu in [%zu, +%zu)", e->a.idx,
			    e->b.idx, e->first, e->n);
		/* the skew between the anchors, within what they allow */
		dt = e->b.t - e->a.t;
		tol = (uint64_t)(((__int128)(e->a.b2 + e->b.b2) * NSEC / 2) /
				 (dt < 0 ? -dt : dt)) + 1;
		KTAP_EXPECT_LE(llabs(e->skew_ppb - sc->tr.skew_ppb), tol);
		/* the headline: about delay_min / 2 */
		KTAP_EXPECT_LE(e->bound_ns, (e->a.b2 + e->b.b2) / 4 + 3);
	}
	/* one window over the whole run: still linear, still inside */
	KTAP_EXPECT_EQ(srtt_offset_estimate(s, n, NULL, &whole), 0);
	check_estimate(&ty, &whole, s, hid, sc);

	KTAP_EXPECT_EQ(ty.misses, 0);
	printf("# %s: %zu exchanges, %zu windows, %lu checks, worst "
	       "headline bound %" PRIu64 " ns\n", name, n, nw, ty.checks,
	       worst);
	free(est);
	free(hid);
	free(s);
}

/* +123456789 ns, +50 ppm, forward 3x reverse, jitter, conversion errors */
static void drift_50ppm_asymmetric(void)
{
	struct scenario sc = {
		.tr = { .theta0 = 123456789, .t0 = 1000 * NSEC,
			.skew_ppb = 50000 },
		.start = 1000 * NSEC, .spacing = 1000000,
		.fwd = 30000, .fwd_jit = 45000,
		.rev = 10000, .rev_jit = 15000,
		.hold = 5000, .hold_jit = 20000,
		.e_h = 40, .e_g = 25,
	};

	run_scenario(&sc, 20000, 1000, "+50 ppm, forward 3x reverse");
}

/* a huge negative offset, -80 ppm, reverse 3x forward */
static void drift_negative_huge_offset(void)
{
	struct scenario sc = {
		.tr = { .theta0 = -1000000000000000LL, .t0 = 0,
			.skew_ppb = -80000 },
		.start = 77 * NSEC, .spacing = 2000000,
		.fwd = 4000, .fwd_jit = 3000,
		.rev = 12000, .rev_jit = 9000,
		.hold = 1000, .hold_jit = 100000,
		.e_h = 500, .e_g = 0,
	};

	run_scenario(&sc, 5000, 250, "-80 ppm, offset -10^15");
}

/* The worst asymmetry: one direction takes no time at all. */
static void one_direction_zero(void)
{
	struct scenario fwd0 = {
		.tr = { .theta0 = 5555, .t0 = 0, .skew_ppb = 0 },
		.start = NSEC, .spacing = 100000,
		.fwd = 0, .rev = 20000, .rev_jit = 5000, .hold = 3000,
	};
	struct scenario rev0 = fwd0;

	rev0.fwd = 20000;
	rev0.fwd_jit = 5000;
	rev0.rev = 0;
	rev0.rev_jit = 0;
	run_scenario(&fwd0, 300, 100, "forward 0");
	run_scenario(&rev0, 300, 100, "reverse 0");
}

static void single_sample(void)
{
	struct srtt_offset_sample s = {
		/* forward 30 us, hold 5 us, reverse 10 us, theta 1000 */
		.t1 = 10 * NSEC, .t2 = 10 * NSEC + 30000 + 1000,
		.t3 = 10 * NSEC + 35000 + 1000, .t4 = 10 * NSEC + 45000,
		.err_ns = 3,
	};
	struct truth tr = { .theta0 = 1000, .t0 = 10 * NSEC + 22500,
			    .skew_ppb = 50000 };
	struct srtt_offset_est e;
	int64_t theta, t;
	uint64_t bound;

	KTAP_EXPECT_EQ(srtt_offset_estimate(&s, 1, NULL, &e), 0);
	KTAP_EXPECT_EQ(e.flags, SRTT_OFFSET_F_ONE_ANCHOR);
	KTAP_EXPECT_EQ(e.used, 1);
	/* offset = 1000 + (30000 - 10000) / 2 */
	KTAP_EXPECT_EQ(e.theta_ns, 11000);
	/* delay / 2 + err + 1000 ppm * (45000 + 6) / 2, rounded up */
	KTAP_EXPECT_EQ(e.bound_ns, 20000 + 3 + 23);
	KTAP_EXPECT_EQ(e.t_ref, 10 * NSEC + 22500);
	KTAP_EXPECT(inside(&tr, e.t_ref, e.theta_ns, e.bound_ns), "truth");

	/* a second away the bound has grown by max_skew * 1 s */
	KTAP_EXPECT_EQ(srtt_offset_at(&e, e.t_ref + NSEC, &theta, &bound), 0);
	KTAP_EXPECT_EQ(theta, 11000);
	KTAP_EXPECT_EQ(bound, e.bound_ns + 1000000);
	for (t = e.t_ref - 3 * NSEC; t <= e.t_ref + 3 * NSEC; t += NSEC / 3) {
		KTAP_EXPECT_EQ(srtt_offset_at(&e, t, &theta, &bound), 0);
		KTAP_EXPECT(inside(&tr, t, theta, bound), "at %" PRId64, t);
	}
}

/* Half nanoseconds are kept, and rounding widens the bound. */
static void odd_offset_rounding(void)
{
	struct srtt_offset_sample s = {
		.t1 = 0, .t2 = 1000, .t3 = 2001, .t4 = 3000,
	};
	struct srtt_offset_cfg cfg;
	struct srtt_offset_est e;
	int64_t off2, delay;

	KTAP_EXPECT_EQ(srtt_offset_sample_eval(&s, &off2, &delay), 0);
	KTAP_EXPECT_EQ(off2, 1);
	KTAP_EXPECT_EQ(delay, 1999);
	srtt_offset_cfg_init(&cfg);
	cfg.max_skew_ppb = 0;
	KTAP_EXPECT_EQ(srtt_offset_estimate(&s, 1, &cfg, &e), 0);
	/* the truth is in [0.5 - 999.5, 0.5 + 999.5] = [-999, 1000] */
	KTAP_EXPECT_EQ(e.theta_ns, 0);
	KTAP_EXPECT_EQ(e.bound_ns, 1000);
}

/*
 * Exact anchors (no delay, no error, no skew allowance) at t = 0 and 5 with
 * theta 0 and 1: theta(t) = t / 5, which interpolation can only round; the
 * rounding must show in the bound.
 */
static void interpolation_rounding(void)
{
	struct srtt_offset_sample s[2] = {
		{ .t1 = 0, .t2 = 0, .t3 = 0, .t4 = 0 },
		{ .t1 = 5, .t2 = 6, .t3 = 6, .t4 = 5 },
	};
	struct truth tr = { .theta0 = 0, .t0 = 0, .skew_ppb = NSEC / 5 };
	struct srtt_offset_cfg cfg;
	struct srtt_offset_est e;
	int64_t theta, t;
	uint64_t bound;

	srtt_offset_cfg_init(&cfg);
	cfg.max_skew_ppb = 0;
	KTAP_EXPECT_EQ(srtt_offset_estimate(s, 2, &cfg, &e), 0);
	KTAP_EXPECT_EQ(e.flags, 0);
	KTAP_EXPECT_EQ(e.skew_ppb, NSEC / 5);
	for (t = -12; t <= 17; t++) {
		KTAP_EXPECT_EQ(srtt_offset_at(&e, t, &theta, &bound), 0);
		KTAP_EXPECT(inside(&tr, t, theta, bound), "t %" PRId64 ": %"
			    PRId64 " +- %" PRIu64, t, theta, bound);
		KTAP_EXPECT_LE(bound, 1);
	}
}

static void no_usable_sample(void)
{
	struct srtt_offset_sample bad[] = {
		/* negative delay beyond the error: causality */
		{ .t1 = 0, .t2 = 100, .t3 = 5000, .t4 = 1000, .err_ns = 10 },
		/* RTT > 60 s */
		{ .t1 = 0, .t2 = 1, .t3 = 2, .t4 = 61 * NSEC },
		/* T4 before T1 */
		{ .t1 = 1000, .t2 = 1, .t3 = 2, .t4 = 0 },
		/* reflector sent before it received */
		{ .t1 = 0, .t2 = 500, .t3 = 400, .t4 = 1000 },
		/* out of range */
		{ .t1 = SRTT_OFFSET_NS_LIMIT, .t2 = 0, .t3 = 0,
		  .t4 = SRTT_OFFSET_NS_LIMIT },
		/* |offset| >= 2^61 */
		{ .t1 = -(1LL << 60), .t2 = SRTT_OFFSET_NS_LIMIT - 1,
		  .t3 = SRTT_OFFSET_NS_LIMIT - 1, .t4 = -(1LL << 60) + 10 },
		/* error bound beyond 60 s */
		{ .t1 = 0, .t2 = 1, .t3 = 2, .t4 = 10, .err_ns = 61 * NSEC },
	};
	size_t n = sizeof(bad) / sizeof(bad[0]), i;
	struct srtt_offset_est e;
	int64_t theta;
	uint64_t bound;

	KTAP_EXPECT_EQ(srtt_offset_estimate(NULL, 0, NULL, &e),
		       -SRTT_OFFSET_ENOSAMPLE);
	KTAP_EXPECT_EQ(e.flags, SRTT_OFFSET_F_INVALID);
	KTAP_EXPECT_EQ(srtt_offset_at(&e, 0, &theta, &bound),
		       -SRTT_OFFSET_EINVAL);
	KTAP_EXPECT_EQ(srtt_offset_span(&e, 0, 1, &theta, &bound),
		       -SRTT_OFFSET_EINVAL);
	for (i = 0; i < n; i++)
		KTAP_EXPECT_EQ(srtt_offset_sample_eval(&bad[i], NULL, NULL),
			       -SRTT_OFFSET_ERANGE);
	KTAP_EXPECT_EQ(srtt_offset_estimate(bad, n, NULL, &e),
		       -SRTT_OFFSET_ENOSAMPLE);
	KTAP_EXPECT_EQ(e.rejected, n);
	KTAP_EXPECT_EQ(e.used, 0);

	/* a negative delay within the error is fine */
	bad[0].err_ns = 2000;
	KTAP_EXPECT_EQ(srtt_offset_sample_eval(&bad[0], NULL, NULL), 0);

	KTAP_EXPECT_EQ(srtt_offset_estimate(NULL, 3, NULL, &e),
		       -SRTT_OFFSET_EINVAL);
	KTAP_EXPECT_EQ(srtt_offset_estimate(bad, n, NULL, NULL),
		       -SRTT_OFFSET_EINVAL);
}

static void same_clock_is_exact(void)
{
	struct srtt_offset_sample s[3] = {
		{ .t1 = 50, .t2 = 1, .t3 = 2, .t4 = 60 },
		{ .t1 = 10, .t2 = 900, .t3 = 0, .t4 = 5 },	/* garbage */
		{ .t1 = 70, .t2 = 71, .t3 = 72, .t4 = 80 },
	};
	struct srtt_offset_cfg cfg;
	struct srtt_offset_est e, w[3];
	int64_t theta = 1;
	uint64_t bound = 1;
	size_t nw, i;

	srtt_offset_cfg_init(&cfg);
	cfg.same_clock = true;
	KTAP_EXPECT_EQ(srtt_offset_estimate(NULL, 0, &cfg, &e), 0);
	KTAP_EXPECT_EQ(e.flags, SRTT_OFFSET_F_SAME_CLOCK);
	KTAP_EXPECT_EQ(e.theta_ns, 0);
	KTAP_EXPECT_EQ(e.bound_ns, 0);
	KTAP_EXPECT_EQ(srtt_offset_estimate(s, 3, &cfg, &e), 0);
	KTAP_EXPECT_EQ(e.theta_ns, 0);
	KTAP_EXPECT_EQ(e.bound_ns, 0);
	KTAP_EXPECT_EQ(srtt_offset_at(&e, 123456789, &theta, &bound), 0);
	KTAP_EXPECT(theta == 0 && bound == 0, "at: %" PRId64 " %" PRIu64,
		    theta, bound);
	theta = bound = 1;
	KTAP_EXPECT_EQ(srtt_offset_span(&e, -5, 1LL << 62, &theta, &bound),
		       0);
	KTAP_EXPECT(theta == 0 && bound == 0, "span");
	KTAP_EXPECT_EQ(srtt_offset_windows(s, 3, 1, &cfg, w, 3, &nw), 0);
	KTAP_EXPECT_EQ(nw, 3);
	for (i = 0; i < nw; i++)
		KTAP_EXPECT_EQ(w[i].flags, SRTT_OFFSET_F_SAME_CLOCK);
}

static void send_order(void)
{
	struct scenario sc = {
		.tr = { .theta0 = 42 },
		.start = NSEC, .spacing = 1000,
		.fwd = 100, .rev = 100, .hold = 10,
	};
	struct srtt_offset_sample s[10], t;
	struct srtt_offset_est e, w[10];
	size_t nw;

	generate(&sc, s, NULL, 10);
	t = s[4];
	s[4] = s[5];
	s[5] = t;
	KTAP_EXPECT_EQ(srtt_offset_estimate(s, 10, NULL, &e),
		       -SRTT_OFFSET_EORDER);
	KTAP_EXPECT_EQ(srtt_offset_windows(s, 10, 5, NULL, w, 10, &nw),
		       -SRTT_OFFSET_EORDER);	/* across the windows */
	/* a rejected exchange does not count */
	s[4].t4 = s[4].t1 - 1000;
	KTAP_EXPECT_EQ(srtt_offset_estimate(s, 10, NULL, &e), 0);
	KTAP_EXPECT_EQ(e.rejected, 1);
	/* equal send times are in order */
	s[4] = s[5];
	KTAP_EXPECT_EQ(srtt_offset_estimate(s, 10, NULL, &e), 0);
}

static void window_layout(void)
{
	static const size_t tab[][3] = {
		{ 0, 10, 0 }, { 5, 10, 1 }, { 10, 10, 1 }, { 14, 10, 1 },
		{ 15, 10, 2 }, { 24, 10, 2 }, { 25, 10, 3 }, { 7, 0, 0 },
		{ 1, 1, 1 }, { 3, 1, 3 },
	};
	struct scenario sc = {
		.tr = { .theta0 = -3 },
		.start = NSEC, .spacing = 1000,
		.fwd = 100, .rev = 100, .hold = 10,
	};
	struct srtt_offset_sample s[34];
	struct srtt_offset_est w[4];
	size_t i, nw = 99;

	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		KTAP_EXPECT(srtt_offset_nwindows(tab[i][0], tab[i][1]) ==
			    tab[i][2], "nwindows(%zu, %zu)", tab[i][0],
			    tab[i][1]);

	generate(&sc, s, NULL, 34);
	/* the second window holds nothing usable */
	for (i = 10; i < 20; i++)
		s[i].t3 = s[i].t2 - 1000000;
	KTAP_EXPECT_EQ(srtt_offset_windows(s, 34, 10, NULL, w, 2, &nw),
		       -SRTT_OFFSET_ESPACE);
	KTAP_EXPECT_EQ(srtt_offset_windows(s, 34, 0, NULL, w, 4, &nw),
		       -SRTT_OFFSET_EINVAL);
	KTAP_EXPECT_EQ(srtt_offset_windows(s, 34, 10, NULL, w, 4, &nw), 0);
	KTAP_EXPECT_EQ(nw, 3);
	KTAP_EXPECT(w[0].first == 0 && w[0].n == 10, "w0");
	KTAP_EXPECT(w[1].first == 10 && w[1].n == 10, "w1");
	KTAP_EXPECT(w[2].first == 20 && w[2].n == 14, "w2 takes the rest");
	KTAP_EXPECT_EQ(w[0].flags, 0);
	KTAP_EXPECT_EQ(w[1].flags, SRTT_OFFSET_F_INVALID);
	KTAP_EXPECT_EQ(w[1].rejected, 10);
	KTAP_EXPECT_EQ(w[2].flags, 0);
	KTAP_EXPECT(w[0].theta_ns == -3 && w[2].theta_ns == -3, "theta");
	KTAP_EXPECT_EQ(srtt_offset_windows(s, 0, 10, NULL, NULL, 0, &nw), 0);
	KTAP_EXPECT_EQ(nw, 0);
}

/* span(t, t) is at(t); a span holds both of its ends' intervals. */
static void span_is_hull(void)
{
	struct scenario sc = {
		.tr = { .theta0 = 999, .t0 = NSEC, .skew_ppb = 20000 },
		.start = NSEC, .spacing = 1000000,
		.fwd = 10000, .fwd_jit = 5000, .rev = 10000, .rev_jit = 5000,
		.hold = 1000,
	};
	struct srtt_offset_sample s[100];
	struct srtt_offset_est e;
	int64_t th1, th2, ths, t;
	uint64_t b1, b2, bs;

	generate(&sc, s, NULL, 100);
	KTAP_EXPECT_EQ(srtt_offset_estimate(s, 100, NULL, &e), 0);
	for (t = 0; t < 200 * 1000000; t += 7777777) {
		KTAP_EXPECT_EQ(srtt_offset_at(&e, NSEC + t, &th1, &b1), 0);
		KTAP_EXPECT_EQ(srtt_offset_span(&e, NSEC + t, NSEC + t, &ths,
						&bs), 0);
		KTAP_EXPECT(th1 == ths && b1 == bs, "span(t, t)");
		KTAP_EXPECT_EQ(srtt_offset_at(&e, NSEC + 2 * t, &th2, &b2), 0);
		KTAP_EXPECT_EQ(srtt_offset_span(&e, NSEC + t, NSEC + 2 * t,
						&ths, &bs), 0);
		KTAP_EXPECT(ths - (int64_t)bs <= th1 - (int64_t)b1 &&
			    ths + (int64_t)bs >= th1 + (int64_t)b1 &&
			    ths - (int64_t)bs <= th2 - (int64_t)b2 &&
			    ths + (int64_t)bs >= th2 + (int64_t)b2, "hull");
	}
	KTAP_EXPECT_EQ(srtt_offset_at(&e, SRTT_OFFSET_NS_LIMIT, &th1, &b1),
		       -SRTT_OFFSET_ERANGE);
}

/*
 * A rate step inside a window. 200 ppm, far beyond max_step: the samples
 * refute the window's line, it is split, and every half holds the truth.
 * 15 ppm, within max_step = 20 ppm: maybe unseen, and the bend allowance
 * holds it. The truth is piecewise linear: G = H + theta0 + s1 * (t -
 * t0) until the step, then s2 from there.
 */
static int64_t step_theta(int64_t t, int64_t t_step, int64_t s1, int64_t s2)
{
	int64_t theta0 = 777000;

	if (t < t_step)
		return theta0 + (int64_t)((__int128)t * s1 / NSEC);
	return theta0 + (int64_t)((__int128)t_step * s1 / NSEC) +
	       (int64_t)((__int128)(t - t_step) * s2 / NSEC);
}

static void rate_step(int64_t s2, bool want_split)
{
	const size_t n = 256;
	const int64_t spacing = 10000000, t_step = 128 * spacing + 3000000;
	struct srtt_offset_sample s[256];
	struct srtt_offset_est est[256];
	struct srtt_offset_cfg cfg;
	int64_t theta, t, truth;
	uint64_t bound;
	unsigned int splits = 0, misses = 0, checks = 0;
	size_t i, nw = 0, w;

	for (i = 0; i < n; i++) {
		int64_t a = (int64_t)i * spacing, b = a + 2000, c = b + 1000;

		s[i].t1 = a;
		s[i].t2 = b + step_theta(b, t_step, 10000, s2);
		s[i].t3 = c + step_theta(c, t_step, 10000, s2);
		s[i].t4 = c + 2000;
		s[i].err_ns = 2;
	}
	srtt_offset_cfg_init(&cfg);
	cfg.max_step_ppb = 20000;
	KTAP_EXPECT_EQ(srtt_offset_windows(s, n, n, &cfg, est, n, &nw), 0);
	for (w = 0; w < nw; w++) {
		splits += est[w].splits;
		KTAP_EXPECT(!(est[w].flags & SRTT_OFFSET_F_NONLINEAR),
			    "window %zu not linear", w);
		for (i = est[w].first; i < est[w].first + est[w].n; i++) {
			t = s[i].t1 + (s[i].t4 - s[i].t1) / 2;
			KTAP_EXPECT_EQ(srtt_offset_at(&est[w], t, &theta, &bound), 0);
			truth = step_theta(t, t_step, 10000, s2);
			checks++;
			misses += llabs(theta - truth) > (int64_t)bound;
		}
	}
	KTAP_EXPECT(!!splits == want_split, "splits %u (%zu windows)", splits,
		    nw);
	KTAP_EXPECT(misses == 0, "%u of %u outside their bound", misses,
		    checks);
	printf("# step 10 -> %" PRId64 " ppm: %zu windows, %u splits, %u of "
	       "%u inside\n", s2 / 1000, nw, splits, checks - misses, checks);
}

static void rate_step_seen_and_split(void)
{
	rate_step(210000, true);
}

static void rate_step_within_allowance(void)
{
	rate_step(25000, false);
}

/* the slope's own error: as wide as the anchors' bounds allow, + max_step */
static void skew_error_carried(void)
{
	struct srtt_offset_sample s[64];
	struct srtt_offset_est e;
	struct srtt_offset_cfg cfg;
	uint64_t want;
	size_t i;

	for (i = 0; i < 64; i++) {
		int64_t a = (int64_t)i * 20000000;

		s[i].t1 = a;
		s[i].t2 = a + 5000 + 9000 + (int64_t)(a * 3 / 10000);
		s[i].t3 = s[i].t2 + 1000;
		s[i].t4 = a + 11000;
		s[i].err_ns = 0;
	}
	srtt_offset_cfg_init(&cfg);
	cfg.max_step_ppb = 2000;
	KTAP_EXPECT_EQ(srtt_offset_estimate(s, 64, &cfg, &e), 0);
	want = (uint64_t)(((__int128)(e.a.b2 + e.b.b2) * NSEC + 2 * (e.b.t - e.a.t) - 1) /
			  (2 * (e.b.t - e.a.t))) + cfg.max_step_ppb;
	KTAP_EXPECT_EQ(e.skew_err_ppb, want);
	KTAP_EXPECT_LE(llabs(e.skew_ppb - 300000), e.skew_err_ppb);
}

static void strerror_all(void)
{
	int i;

	for (i = 0; i <= SRTT_OFFSET_ESPACE + 1; i++)
		KTAP_EXPECT(srtt_offset_strerror(-i)[0], "strerror(%d)", i);
}

static const struct ktap_case cases[] = {
	KTAP_CASE(muldiv_matches_int128),
	KTAP_CASE(symmetric_fixed_is_exact),
	KTAP_CASE(drift_50ppm_asymmetric),
	KTAP_CASE(drift_negative_huge_offset),
	KTAP_CASE(one_direction_zero),
	KTAP_CASE(single_sample),
	KTAP_CASE(odd_offset_rounding),
	KTAP_CASE(interpolation_rounding),
	KTAP_CASE(no_usable_sample),
	KTAP_CASE(same_clock_is_exact),
	KTAP_CASE(send_order),
	KTAP_CASE(window_layout),
	KTAP_CASE(span_is_hull),
	KTAP_CASE(rate_step_seen_and_split),
	KTAP_CASE(rate_step_within_allowance),
	KTAP_CASE(skew_error_carried),
	KTAP_CASE(strerror_all),
};

int main(void)
{
	return KTAP_RUN(cases);
}
