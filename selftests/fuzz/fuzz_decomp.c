// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz target for the RTT decomposition and the clock offset estimator
 * (user/decomp/). Beyond what AddressSanitizer and UBSan catch (every
 * signed overflow aborts), it checks the properties decomp.h and offset.h
 * promise, and aborts on a violation:
 *
 * Mode 0, stamps of a path with any subset of its points, near two bases
 * anywhere in range, any conversions, plus arbitrary extra stamps:
 * - srtt_decomp() returns 0 or one of its error codes; on 0, T1 and T4 are
 *   present, the components' parts cover each of the 13 parts exactly
 *   once, in path order, the values sum to T4 - T1 exactly, each name is
 *   srtt_decomp_name() of its parts, the impossible flags and the count
 *   agree with the values and bounds;
 * - the one-way split, at any theta, sums to the network component;
 * - the exchange of a decomposition evaluates without overflow.
 *
 * Mode 1, a consistent world chosen by the input: a reflector clock G =
 * H + theta0 + skew * (t - t0) with |skew| <= max_skew, exchanges in send
 * order with one-way delays >= 0 and conversion errors within err_ns;
 * every estimate of every window must contain the true offset at its
 * t_ref, at each exchange's time and over each exchange's span. Here the
 * fuzzer hunts for a counterexample to the published bound.
 *
 * Built with -fsanitize=fuzzer this is a libFuzzer target; built with
 * -DSRTT_FUZZ_REPLAY it is a KTAP program that replays the files given on
 * the command line, or with --random N runs N inputs from a seeded PRNG
 * (no clang, no corpus needed).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decomp.h"
#include "offset.h"

#define NSEC	1000000000LL

static void fail(const char *what, long long a, long long b)
{
	fprintf(stderr, "fuzz_decomp: %s (%lld, %lld)\n", what, a, b);
	abort();
}

/* Bytes in order; zeros after the end. */
struct reader {
	const uint8_t	*p;
	size_t		n, at;
};

static uint64_t take(struct reader *r, unsigned int bytes)
{
	uint64_t v = 0;

	while (bytes--)
		v = v << 8 | (r->at < r->n ? r->p[r->at++] : 0);
	return v;
}

/* A value of every magnitude, both signs, sometimes near the limits. */
static int64_t take_ns(struct reader *r)
{
	uint64_t raw = take(r, 8);
	unsigned int shift = raw & 63;
	int64_t v = (int64_t)(raw >> 8) >> (shift > 55 ? 0 : shift);

	switch (raw & 0x3c0) {
	case 0x40:
		return SRTT_DECOMP_NS_LIMIT - 1 - (int64_t)(raw >> 56);
	case 0x80:
		return -SRTT_DECOMP_NS_LIMIT + 1 + (int64_t)(raw >> 56);
	}
	return (raw & 0x100) ? -v : v;
}

static uint8_t why_of(int64_t v, uint64_t err)
{
	uint8_t why = 0;
	uint64_t mag = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;

	if (v < 0 && mag > err)
		why |= SRTT_DECOMP_C_NEGATIVE;
	if (v > SRTT_DECOMP_MAX_NS || v < -SRTT_DECOMP_MAX_NS)
		why |= SRTT_DECOMP_C_HUGE;
	return why;
}

/*
 * The flags of a component of @d (NULL: of the one-way split, which has
 * no RTT rule): a part longer than the RTT by more than both bounds is
 * impossible too.
 */
static void check_comp(const struct srtt_decomp_comp *c,
		       const struct srtt_decomp *d)
{
	char name[SRTT_DECOMP_NAME_MAX], val[24];
	uint8_t why = why_of(c->value_ns, c->err_ns);

	if (d && d->rtt_ns >= 0 && c->value_ns > 0 &&
	    (uint64_t)c->value_ns > c->err_ns &&
	    (uint64_t)c->value_ns - c->err_ns >
	    (uint64_t)d->rtt_ns + d->rtt_err_ns)
		why |= SRTT_DECOMP_C_OVER_RTT;
	srtt_decomp_name(c->parts, name, sizeof(name));
	if (strcmp(name, c->name))
		fail("name is not that of its parts", c->parts, 0);
	if (c->why != why ||
	    c->impossible != (c->why != 0))
		fail("impossible flags", c->value_ns, (long long)c->err_ns);
	srtt_decomp_value_str(c, val, sizeof(val));
	if (c->impossible ? strcmp(val, "impossible") :
	    strtoll(val, NULL, 10) != c->value_ns)
		fail("value text", c->value_ns, 0);
}

/* What stands for each point of the path (rx_first: varied). */
static const struct {
	uint8_t dom, what;
} path_pts[SRTT_DP_N] = {
	{ SRTT_DECOMP_DOM_H, SRTT_DECOMP_APP_TX },
	{ SRTT_DECOMP_DOM_H, SRTT_STAGE_TX_DRV },
	{ SRTT_DECOMP_DOM_H, SRTT_STAGE_TX_DRV_DONE },
	{ SRTT_DECOMP_DOM_G, SRTT_STAGE_RX_IRQ },
	{ SRTT_DECOMP_DOM_G, SRTT_STAGE_RX_DRV },
	{ SRTT_DECOMP_DOM_G, SRTT_DECOMP_APP_RX },
	{ SRTT_DECOMP_DOM_G, SRTT_STAGE_RX_SOCK },
	{ SRTT_DECOMP_DOM_G, SRTT_STAGE_RX_COPY },
	{ SRTT_DECOMP_DOM_G, SRTT_DECOMP_APP_TX },
	{ SRTT_DECOMP_DOM_G, SRTT_STAGE_TX_DRV },
	{ SRTT_DECOMP_DOM_G, SRTT_STAGE_TX_DRV_DONE },
	{ SRTT_DECOMP_DOM_H, SRTT_STAGE_RX_IRQ },
	{ SRTT_DECOMP_DOM_H, SRTT_STAGE_RX_DRV },
	{ SRTT_DECOMP_DOM_H, SRTT_DECOMP_APP_RX },
};

static void mode_stamps(struct reader *r)
{
	static const uint8_t rx_src[] = {
		SRTT_STAGE_RX_HW, SRTT_STAGE_RX_IRQ, SRTT_STAGE_RX_SOFTIRQ,
		SRTT_STAGE_RX_IRQ,
	};
	struct srtt_decomp_stamp st[SRTT_DP_N + 8];
	struct srtt_offset_sample smp;
	struct srtt_decomp_oneway ow;
	struct srtt_decomp_in in;
	struct srtt_decomp d;
	unsigned int i, k, imp = 0, prev = 0;
	uint16_t seen = 0, mask;
	int64_t base[2];
	uint64_t u;
	int rc;

	memset(&in, 0, sizeof(in));
	in.st = st;
	for (i = 1; i < SRTT_DECOMP_MAX_CONV; i++) {
		u = take(r, 1);
		in.conv_err_ns[i] = u == 0xff ? SRTT_DECOMP_ERR_LIMIT + 1 :
				    u >= 0xf0 ? SRTT_DECOMP_ERR_LIMIT :
				    u * 10;
	}
	in.conv_err_ns[0] = take(r, 1) == 0xff;

	/* the points of a path, each present or not, near two bases */
	mask = (uint16_t)take(r, 2);
	if (mask & 0x7000)	/* mostly with T1 and T4 */
		mask |= SRTT_DP_BIT(SRTT_DP_T1) | SRTT_DP_BIT(SRTT_DP_T4);
	base[0] = take_ns(r);
	base[1] = take_ns(r);
	for (i = 0; i < SRTT_DP_N; i++) {
		if (!(mask & (1U << i)))
			continue;
		u = take(r, 4);
		st[in.n].dom = path_pts[i].dom;
		st[in.n].what = path_pts[i].what;
		if (path_pts[i].what == SRTT_STAGE_RX_IRQ)
			st[in.n].what = rx_src[u % 4];
		st[in.n].ns = base[path_pts[i].dom] +
			      ((int64_t)(int32_t)u >> (u >> 27));
		st[in.n].conv = (u >> 8) % SRTT_DECOMP_MAX_CONV;
		st[in.n].valid = 1;
		in.n++;
	}

	/* and anything else */
	k = take(r, 1) % 8;
	for (i = 0; i < k; i++, in.n++) {
		st[in.n].ns = take_ns(r);
		u = take(r, 4);
		st[in.n].dom = (u >> 24) == 0xff ? 7 : (u >> 24) % 2;
		st[in.n].what = (u >> 16) & 0xff;
		if (st[in.n].what < 0xf8)	/* mostly real stages */
			st[in.n].what = st[in.n].what % __SRTT_STAGE_MAX;
		else if (st[in.n].what < 0xfe)
			st[in.n].what = SRTT_DECOMP_APP_TX +
					(st[in.n].what & 1);
		st[in.n].conv = ((u >> 8) & 0xff) == 0xff ? 8 :
				((u >> 8) & 0xff) % 8;
		st[in.n].valid = (u & 0xff) > 0x40;
	}

	rc = srtt_decomp(&in, &d);
	if (rc) {
		if (rc < -SRTT_DECOMP_ENOGUEST || rc > 0 ||
		    rc == -SRTT_DECOMP_ENOGUEST)
			fail("srtt_decomp error code", rc, 0);
		if (d.n)
			fail("output not zeroed on error", rc, d.n);
		return;
	}
	if (!(d.present & SRTT_DP_BIT(SRTT_DP_T1)) ||
	    !(d.present & SRTT_DP_BIT(SRTT_DP_T4)))
		fail("no T1/T4", d.present, 0);
	if (d.missing != (uint16_t)(~d.present & ((1U << SRTT_DP_N) - 1)))
		fail("missing", d.missing, d.present);
	if (!d.n || d.n > SRTT_DECOMP_MAX_COMP || d.net >= d.n)
		fail("component count", d.n, d.net);
	for (i = 0; i < d.n; i++) {
		const struct srtt_decomp_comp *c = &d.c[i];

		if (!c->parts || (c->parts & seen))
			fail("parts overlap", c->parts, seen);
		seen |= c->parts;
		k = (unsigned int)__builtin_ctz(c->parts);
		if (i && k <= prev)
			fail("not in path order", k, prev);
		prev = k;
		if (((c->parts & SRTT_DC_NETWORK) != 0) != (i == d.net) ||
		    (i == d.net && (c->parts & SRTT_DC_NETWORK) !=
		     SRTT_DC_NETWORK))
			fail("network component", c->parts, d.net);
		check_comp(c, &d);
		imp += c->impossible;
	}
	if (seen != SRTT_DC_ALL)
		fail("parts do not cover the path", seen, 0);
	if (srtt_decomp_sum(&d) != d.pt_ns[SRTT_DP_T4] - d.pt_ns[SRTT_DP_T1] ||
	    d.rtt_ns != d.pt_ns[SRTT_DP_T4] - d.pt_ns[SRTT_DP_T1])
		fail("sum != T4 - T1", srtt_decomp_sum(&d), d.rtt_ns);
	if (imp != d.n_impossible ||
	    d.impossible != (imp || d.rtt_why) ||
	    d.rtt_why != why_of(d.rtt_ns, d.rtt_err_ns))
		fail("impossible count", imp, d.n_impossible);

	rc = srtt_decomp_oneway(&d, take_ns(r), take(r, 8) >> (take(r, 1) % 64),
				&ow);
	if (!rc) {
		check_comp(&ow.fwd, NULL);
		check_comp(&ow.rev, NULL);
		if (ow.fwd.value_ns + ow.rev.value_ns != d.c[d.net].value_ns ||
		    (ow.fwd.parts | ow.rev.parts) != d.c[d.net].parts)
			fail("one-way split != network", ow.fwd.value_ns,
			     ow.rev.value_ns);
	} else if (rc != -SRTT_DECOMP_ENOGUEST && rc != -SRTT_DECOMP_ERANGE) {
		fail("oneway error code", rc, 0);
	}
	rc = srtt_decomp_exchange(&d, &smp);
	if (!rc)
		srtt_offset_sample_eval(&smp, NULL, NULL);
	else if (rc != -SRTT_DECOMP_ENOGUEST)
		fail("exchange error code", rc, 0);
}

/* ---- mode 1: a consistent world ---- */

struct world {
	int64_t	theta0, t0, skew_ppb;
};

static int64_t g_of(const struct world *w, int64_t t)
{
	return t + w->theta0 +
	       (int64_t)((__int128)(t - w->t0) * w->skew_ppb / NSEC);
}

static void expect_inside(const struct world *w, int64_t t, int64_t theta,
			  uint64_t bound, const char *what)
{
	__int128 lhs = (__int128)(theta - w->theta0) * NSEC -
		       (__int128)(t - w->t0) * w->skew_ppb;
	__int128 b = (__int128)bound * NSEC;

	if (lhs > b || lhs < -b) {
		fprintf(stderr, "fuzz_decomp: %s at %lld: %lld +- %llu, true "
			"%lld + %lld ppb from %lld\n", what, (long long)t,
			(long long)theta, (unsigned long long)bound,
			(long long)w->theta0, (long long)w->skew_ppb,
			(long long)w->t0);
		abort();
	}
}

#define MAX_X	64

static void mode_world(struct reader *r)
{
	struct srtt_offset_sample s[MAX_X];
	struct srtt_offset_est est[MAX_X];
	int64_t bt[MAX_X], ct[MAX_X], e_h[MAX_X];
	struct srtt_offset_cfg cfg;
	struct world w;
	int64_t a, t, theta, e_g;
	uint64_t bound;
	size_t n, window, nw, i, k;
	int rc;

	srtt_offset_cfg_init(&cfg);
	cfg.max_skew_ppb = take(r, 3) % 2000001;		/* <= 2000 ppm */
	w.skew_ppb = cfg.max_skew_ppb ?
		     (int64_t)(take(r, 3) % (2 * cfg.max_skew_ppb + 1)) -
		     (int64_t)cfg.max_skew_ppb : 0;
	w.theta0 = (int64_t)(take(r, 7) & ((1ULL << 52) - 1)) - (1LL << 51);
	a = (int64_t)(take(r, 5) & ((1ULL << 40) - 1));
	w.t0 = a + (int64_t)(take(r, 3) % 1000000000);
	n = take(r, 1) % MAX_X + 1;
	window = take(r, 1) % (n + 2) + 1;
	for (i = 0; i < n; i++) {
		int64_t fwd, rev, hold, b, c, d;
		uint64_t eh, eg;

		a += (int64_t)take(r, 4);		/* up to 4.3 s later */
		fwd = (int64_t)take(r, 3);		/* up to 16.7 ms */
		rev = (int64_t)take(r, 3);
		hold = (int64_t)take(r, 3);
		eh = take(r, 1);
		eg = take(r, 1);
		b = a + fwd;
		c = b + hold;
		d = c + rev;
		/* errors within +-eh on t1/t4, +-eg on t2/t3, chosen
		 * by the input, plus G's rounding (< 1 ns each)
		 */
		e_h[i] = (int64_t)eh;
		e_g = (int64_t)eg;
		s[i].t1 = a + ((take(r, 1) & 1) ? e_h[i] : -e_h[i]);
		s[i].t2 = g_of(&w, b) + ((take(r, 1) & 1) ? e_g : -e_g);
		s[i].t3 = g_of(&w, c) - ((take(r, 1) & 1) ? e_g : 0);
		s[i].t4 = d + ((take(r, 1) & 1) ? e_h[i] : 0);
		s[i].err_ns = 2 * eh + 2 * eg + 2;
		bt[i] = b;
		ct[i] = c;
	}

	rc = srtt_offset_windows(s, n, window, &cfg, est, MAX_X, &nw);
	if (rc == -SRTT_OFFSET_EORDER)
		return;		/* t1 errors can reorder close exchanges */
	if (rc)
		fail("srtt_offset_windows", rc, 0);
	for (k = 0; k < nw; k++) {
		const struct srtt_offset_est *e = &est[k];

		if (e->flags & SRTT_OFFSET_F_INVALID)
			continue;
		expect_inside(&w, e->t_ref, e->theta_ns, e->bound_ns, "t_ref");
		for (i = e->first; i < e->first + e->n; i++) {
			t = s[i].t1 + (s[i].t4 - s[i].t1) / 2;
			if (!srtt_offset_at(e, t, &theta, &bound))
				expect_inside(&w, t, theta, bound, "at");
			if (srtt_offset_span(e, s[i].t1 - e_h[i],
					     s[i].t4 + e_h[i], &theta, &bound))
				continue;
			expect_inside(&w, bt[i], theta, bound, "span b");
			expect_inside(&w, ct[i], theta, bound, "span c");
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct reader r = { data, size, 0 };

	if (take(&r, 1) & 1)
		mode_world(&r);
	else
		mode_stamps(&r);
	return 0;
}

#ifdef SRTT_FUZZ_REPLAY
static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

int main(int argc, char **argv)
{
	static uint8_t buf[4096];
	long runs, k;
	int i, failed = 0;
	size_t n, j;
	FILE *f;

	if (argc == 3 && !strcmp(argv[1], "--random")) {
		runs = atol(argv[2]);
		printf("KTAP version 1\n1..1\n");
		for (k = 0; k < runs; k++) {
			n = rng() % sizeof(buf);
			for (j = 0; j < n; j++)
				buf[j] = (uint8_t)rng();
			/* a property violation aborts */
			LLVMFuzzerTestOneInput(buf, n);
		}
		printf("ok 1 fuzz_decomp %ld random inputs\n", runs);
		return 0;
	}
	printf("KTAP version 1\n1..%d\n", argc - 1);
	for (i = 1; i < argc; i++) {
		f = fopen(argv[i], "rb");
		if (!f) {
			printf("# cannot open %s\nnot ok %d %s\n", argv[i], i,
			       argv[i]);
			failed++;
			continue;
		}
		n = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		LLVMFuzzerTestOneInput(buf, n);
		printf("ok %d replay %s\n", i, strrchr(argv[i], '/') ?
		       strrchr(argv[i], '/') + 1 : argv[i]);
	}
	return failed ? 1 : 0;
}
#endif
