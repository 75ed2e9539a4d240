// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the RTT decomposition (user/decomp/decomp.c): stamp sets
 * built from a known path, where every interval is known in H time and
 * the reflector's clock is H plus an offset. Checks values, names, merge
 * flags and error bounds for every subset of optional points against an
 * oracle written independently of decomp.c, impossible values, the
 * one-way split and the pipeline decomposition -> offset estimate ->
 * one-way with a drifting clock.
 */
#include <stdlib.h>
#include <string.h>

#include "../../../selftests/unit/ktap.h"
#include "decomp.h"
#include "offset.h"

#define NPT	SRTT_DP_N
#define NPART	SRTT_DC_N
#define H	SRTT_DECOMP_DOM_H
#define G	SRTT_DECOMP_DOM_G
#define TX	SRTT_DECOMP_APP_TX
#define RX	SRTT_DECOMP_APP_RX

#define E_H_APP	100	/* conversion error of T1/T4 */
#define E_G_APP	50	/* of T2/T3 */
#define E_HW	7	/* of a converted rx_hw */
#define CONV_HW	3

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rng(void)
{
	return ktap_xorshift(&rng_state);
}

/* ---- an oracle of the model, independent of decomp.c ---- */

static const char *const names[NPART] = {
	"host_stack_tx", "host_drv_tx", "network", "guest_irq",
	"guest_stack_rx", "guest_socket_rx", "guest_wakeup", "reflector",
	"guest_stack_tx", "guest_drv_tx", "network", "host_drv_rx",
	"host_stack_rx",
};

static const unsigned int optional_pts[] = {
	SRTT_DP_H_TX_DRV, SRTT_DP_H_TX_DRV_DONE, SRTT_DP_G_RX_FIRST,
	SRTT_DP_G_RX_DRV, SRTT_DP_G_TX_DRV, SRTT_DP_G_TX_DRV_DONE,
	SRTT_DP_H_RX_FIRST, SRTT_DP_H_RX_DRV,
	SRTT_DP_G_RX_SOCK, SRTT_DP_G_RX_COPY,
	SRTT_DP_T2, SRTT_DP_T3,		/* last: bits 10 and 11 of a subset */
};
#define N_OPT	(sizeof(optional_pts) / sizeof(optional_pts[0]))
#define ALL_PT	((1U << NPT) - 1)

static bool in_g(unsigned int p)
{
	return p >= SRTT_DP_G_RX_FIRST && p <= SRTT_DP_G_TX_DRV_DONE;
}

static void expect_name(uint16_t parts, char *buf)
{
	bool net = false;
	unsigned int p;

	buf[0] = '\0';
	for (p = 0; p < NPART; p++) {
		if (!(parts & (1U << p)))
			continue;
		if (p == SRTT_DC_FORWARD || p == SRTT_DC_REVERSE) {
			if ((parts & SRTT_DC_NETWORK) != SRTT_DC_NETWORK)
				continue;	/* not for components */
			if (net)
				continue;
			net = true;
		}
		if (buf[0])
			strcat(buf, "+");
		strcat(buf, names[p]);
	}
}

/* How many of the model's twelve components a part set covers. */
static int n_base(uint16_t parts)
{
	int n = 0;
	unsigned int p;

	for (p = 0; p < NPART; p++)
		if (parts & (1U << p) && p != SRTT_DC_REVERSE)
			n++;
	if ((parts & SRTT_DC_NETWORK) == SRTT_DC_BIT(SRTT_DC_REVERSE))
		n++;
	return n;
}

/* ---- a known path ---- */

struct path {
	int64_t	t1;			/* H time of T1 */
	int64_t	gap[NPART];		/* H-time durations of the parts */
	int64_t	theta;			/* G clock = H clock + theta */
	uint8_t	rx_first[2];		/* stage standing for rx_first */
	uint8_t	conv[NPT];
};

static int64_t h_time(const struct path *pa, unsigned int p)
{
	int64_t t = pa->t1;
	unsigned int i;

	for (i = 0; i < p; i++)
		t += pa->gap[i];
	return t;
}

static int64_t stamp_of(const struct path *pa, unsigned int p)
{
	return h_time(pa, p) + (in_g(p) ? pa->theta : 0);
}

static void stage_of(const struct path *pa, unsigned int p, uint8_t *dom,
		     uint8_t *what)
{
	static const uint8_t w[NPT] = {
		TX, SRTT_STAGE_TX_DRV, SRTT_STAGE_TX_DRV_DONE, 0,
		SRTT_STAGE_RX_DRV, RX, SRTT_STAGE_RX_SOCK, SRTT_STAGE_RX_COPY,
		TX, SRTT_STAGE_TX_DRV, SRTT_STAGE_TX_DRV_DONE, 0,
		SRTT_STAGE_RX_DRV, RX,
	};

	*dom = in_g(p) ? G : H;
	*what = w[p];
	if (p == SRTT_DP_G_RX_FIRST)
		*what = pa->rx_first[G];
	if (p == SRTT_DP_H_RX_FIRST)
		*what = pa->rx_first[H];
}

static void path_default(struct path *pa)
{
	/* distinct durations, so any wrong grouping shows */
	static const int64_t gap[NPART] = {
		3001, 701, 5003, 1109, 2011, 307, 809, 40009, 1907, 613,
		4001, 1201, 2503,
	};
	unsigned int p;

	memset(pa, 0, sizeof(*pa));
	pa->t1 = 5000000000LL;
	memcpy(pa->gap, gap, sizeof(gap));
	pa->rx_first[H] = SRTT_STAGE_RX_IRQ;
	pa->rx_first[G] = SRTT_STAGE_RX_IRQ;
	for (p = 0; p < NPT; p++)
		pa->conv[p] = 0;
	pa->conv[SRTT_DP_T1] = pa->conv[SRTT_DP_T4] = SRTT_DECOMP_CONV_H_APP;
	pa->conv[SRTT_DP_T2] = pa->conv[SRTT_DP_T3] = SRTT_DECOMP_CONV_G_APP;
}

#define MAX_ST	32

struct stamps {
	struct srtt_decomp_stamp st[MAX_ST];
	struct srtt_decomp_in in;
};

static void add_stamp(struct stamps *s, int64_t ns, uint8_t dom, uint8_t what,
		      uint8_t conv, uint8_t valid)
{
	struct srtt_decomp_stamp *st = &s->st[s->in.n++];

	st->ns = ns;
	st->dom = dom;
	st->what = what;
	st->conv = conv;
	st->valid = valid;
}

static void make_stamps(const struct path *pa, uint16_t present,
			struct stamps *s)
{
	uint8_t dom, what;
	unsigned int p;

	memset(s, 0, sizeof(*s));
	s->in.st = s->st;
	s->in.conv_err_ns[SRTT_DECOMP_CONV_H_APP] = E_H_APP;
	s->in.conv_err_ns[SRTT_DECOMP_CONV_G_APP] = E_G_APP;
	s->in.conv_err_ns[CONV_HW] = E_HW;
	for (p = 0; p < NPT; p++) {
		if (!(present & SRTT_DP_BIT(p)))
			continue;
		stage_of(pa, p, &dom, &what);
		add_stamp(s, stamp_of(pa, p), dom, what, pa->conv[p], 1);
	}
}

/* Stamps the model must skip, and a shuffle: order must not matter. */
static void add_noise(struct stamps *s)
{
	struct srtt_decomp_stamp t;
	size_t i, j;

	add_stamp(s, 123, H, SRTT_STAGE_TX_QUEUE, 0, 1);
	add_stamp(s, -5, G, SRTT_STAGE_RX_STACK, 0, 1);
	add_stamp(s, 1LL << 62, H, SRTT_STAGE_TX_DONE, 0, 1);
	add_stamp(s, 77, G, SRTT_STAGE_RX_HW, 0, 1);	/* PHC, unconverted */
	add_stamp(s, 1LL << 62, 9, 200, 99, 0);		/* not valid */
	for (i = s->in.n - 1; i > 0; i--) {
		j = rng() % (i + 1);
		t = s->st[i];
		s->st[i] = s->st[j];
		s->st[j] = t;
	}
}

static uint64_t conv_err(unsigned int conv)
{
	switch (conv) {
	case SRTT_DECOMP_CONV_H_APP:
		return E_H_APP;
	case SRTT_DECOMP_CONV_G_APP:
		return E_G_APP;
	case CONV_HW:
		return E_HW;
	}
	return 0;
}

static uint64_t expect_err(const struct path *pa, unsigned int i,
			   unsigned int j)
{
	if (pa->conv[i] == pa->conv[j])
		return 0;
	return conv_err(pa->conv[i]) + conv_err(pa->conv[j]);
}

/*
 * Everything the model says about one decomposition of a known path;
 * returns the number of failed checks (each reported once).
 */
static int check_against_oracle(const struct path *pa, uint16_t present,
				const struct srtt_decomp *d)
{
	int fails = ktap_fails, a, b, g0 = -1, g1 = -1, lo, hi;
	uint16_t seen = 0, parts, want_parts, want_missing;
	char want[SRTT_DECOMP_NAME_MAX];
	int64_t truth;
	uint64_t err;
	unsigned int i, p, prev_lo = 0;

	/* the crossing points, found from the subset alone */
	for (a = SRTT_DP_H_TX_DRV_DONE; !(present & SRTT_DP_BIT(a)); a--)
		;
	for (b = SRTT_DP_H_RX_FIRST; !(present & SRTT_DP_BIT(b)); b++)
		;
	for (p = SRTT_DP_G_RX_FIRST; p <= SRTT_DP_G_TX_DRV_DONE; p++) {
		if (present & SRTT_DP_BIT(p)) {
			if (g0 < 0)
				g0 = (int)p;
			g1 = (int)p;
		}
	}

	KTAP_EXPECT_EQ(srtt_decomp_sum(d), h_time(pa, SRTT_DP_T4) - pa->t1);
	KTAP_EXPECT_EQ(d->rtt_ns, h_time(pa, SRTT_DP_T4) - pa->t1);
	KTAP_EXPECT_EQ(d->rtt_err_ns, 0);
	KTAP_EXPECT_EQ(d->present, present);
	KTAP_EXPECT_EQ(d->missing, (uint16_t)~present & ALL_PT);
	KTAP_EXPECT(!d->impossible, "impossible on a sane path");
	KTAP_EXPECT_EQ(d->n_impossible, 0);
	KTAP_EXPECT(d->n >= 1 && d->n <= SRTT_DECOMP_MAX_COMP, "n = %u",
		    d->n);

	for (i = 0; i < d->n && i < SRTT_DECOMP_MAX_COMP; i++) {
		const struct srtt_decomp_comp *c = &d->c[i];

		parts = c->parts;
		KTAP_EXPECT((parts & seen) == 0, "part in two components");
		seen |= parts;

		/* the value is the sum of the true durations it covers */
		truth = 0;
		for (p = 0; p < NPART; p++)
			if (parts & (1U << p))
				truth += pa->gap[p];
		KTAP_EXPECT(c->value_ns == truth, "%s = %" PRId64 ", want %"
			    PRId64, c->name, c->value_ns, truth);

		expect_name(parts, want);
		KTAP_EXPECT(!strcmp(c->name, want), "name %s, want %s",
			    c->name, want);
		KTAP_EXPECT(c->merged == (n_base(parts) > 1), "%s merged %d",
			    c->name, c->merged);
		KTAP_EXPECT(!c->impossible, "%s impossible", c->name);

		/* path order, by the first part */
		lo = __builtin_ctz(parts);
		KTAP_EXPECT(i == 0 || (unsigned int)lo > prev_lo,
			    "%s out of order", c->name);
		prev_lo = (unsigned int)lo;

		if (parts & SRTT_DC_NETWORK) {
			KTAP_EXPECT_EQ(i, d->net);
			if (g0 >= 0) {
				want_parts = (uint16_t)(((1U << g0) - (1U << a)) |
					     ((1U << b) - (1U << g1)));
				want_missing = (uint16_t)(
					((1U << g0) - (2U << a)) |
					((1U << b) - (2U << g1)));
				err = expect_err(pa, a, b) +
				      expect_err(pa, g0, g1);
			} else {
				want_parts = (uint16_t)((1U << b) - (1U << a));
				want_missing = (uint16_t)((1U << b) -
							  (2U << a));
				err = expect_err(pa, a, b);
			}
			KTAP_EXPECT_EQ(parts, want_parts);
			KTAP_EXPECT_EQ(c->missing, want_missing);
			KTAP_EXPECT_EQ(c->err_ns, err);
			continue;
		}
		/* else: contiguous parts between two present points of
		 * one domain, nothing present inside
		 */
		hi = lo + __builtin_popcount(parts);
		KTAP_EXPECT_EQ(parts, (1U << hi) - (1U << lo));
		KTAP_EXPECT(present & SRTT_DP_BIT(lo) &&
			    present & SRTT_DP_BIT(hi), "%s ends absent",
			    c->name);
		KTAP_EXPECT_EQ(present & ((1U << hi) - (2U << lo)), 0);
		KTAP_EXPECT_EQ(c->missing, (1U << hi) - (2U << lo));
		KTAP_EXPECT(in_g(lo) == in_g(hi), "%s crosses", c->name);
		KTAP_EXPECT_EQ(c->err_ns, expect_err(pa, lo, hi));
	}
	KTAP_EXPECT_EQ(seen, SRTT_DC_ALL);
	return ktap_fails - fails;
}

static uint16_t subset_present(unsigned int subset)
{
	uint16_t present = SRTT_DP_BIT(SRTT_DP_T1) | SRTT_DP_BIT(SRTT_DP_T4);
	unsigned int k;

	for (k = 0; k < N_OPT; k++)
		if (subset & (1U << k))
			present |= SRTT_DP_BIT(optional_pts[k]);
	return present;
}

/* ---- cases ---- */

static void all_present(void)
{
	static const char *const want[] = {
		"host_stack_tx", "host_drv_tx", "network", "guest_irq",
		"guest_stack_rx", "guest_socket_rx", "guest_wakeup",
		"reflector", "guest_stack_tx", "guest_drv_tx", "host_drv_rx",
		"host_stack_rx",
	};
	static const uint64_t want_err[] = {
		E_H_APP, 0, 0, 0, E_G_APP, E_G_APP, 0, E_G_APP, E_G_APP, 0,
		0, E_H_APP,
	};
	struct srtt_decomp d;
	struct stamps s;
	struct path pa;
	int64_t v[12], x[NPT];
	unsigned int i;

	path_default(&pa);
	pa.theta = 987654321;
	make_stamps(&pa, ALL_PT, &s);
	KTAP_EXPECT_EQ(srtt_decomp(&s.in, &d), 0);
	for (i = 0; i < NPT; i++)
		x[i] = stamp_of(&pa, i);
	/* the formulas of design.md, on the stamps */
	v[0] = x[SRTT_DP_H_TX_DRV] - x[SRTT_DP_T1];
	v[1] = x[SRTT_DP_H_TX_DRV_DONE] - x[SRTT_DP_H_TX_DRV];
	v[2] = (x[SRTT_DP_H_RX_FIRST] - x[SRTT_DP_H_TX_DRV_DONE]) -
	       (x[SRTT_DP_G_TX_DRV_DONE] - x[SRTT_DP_G_RX_FIRST]);
	v[3] = x[SRTT_DP_G_RX_DRV] - x[SRTT_DP_G_RX_FIRST];
	v[4] = x[SRTT_DP_T2] - x[SRTT_DP_G_RX_DRV];
	v[5] = x[SRTT_DP_G_RX_SOCK] - x[SRTT_DP_T2];
	v[6] = x[SRTT_DP_G_RX_COPY] - x[SRTT_DP_G_RX_SOCK];
	v[7] = x[SRTT_DP_T3] - x[SRTT_DP_G_RX_COPY];
	v[8] = x[SRTT_DP_G_TX_DRV] - x[SRTT_DP_T3];
	v[9] = x[SRTT_DP_G_TX_DRV_DONE] - x[SRTT_DP_G_TX_DRV];
	v[10] = x[SRTT_DP_H_RX_DRV] - x[SRTT_DP_H_RX_FIRST];
	v[11] = x[SRTT_DP_T4] - x[SRTT_DP_H_RX_DRV];
	KTAP_EXPECT_EQ(d.n, 12);
	for (i = 0; i < 12 && i < d.n; i++) {
		KTAP_EXPECT(!strcmp(d.c[i].name, want[i]), "%s, want %s",
			    d.c[i].name, want[i]);
		KTAP_EXPECT_EQ(d.c[i].value_ns, v[i]);
		KTAP_EXPECT_EQ(d.c[i].err_ns, want_err[i]);
		KTAP_EXPECT(!d.c[i].merged && !d.c[i].impossible &&
			    !d.c[i].missing, "%s flags", d.c[i].name);
	}
	/* network is the two crossings of the known path */
	KTAP_EXPECT_EQ(d.c[2].value_ns, pa.gap[SRTT_DC_FORWARD] +
					pa.gap[SRTT_DC_REVERSE]);
	KTAP_EXPECT_EQ(d.net, 2);
	KTAP_EXPECT_EQ(srtt_decomp_sum(&d), x[SRTT_DP_T4] - x[SRTT_DP_T1]);
	KTAP_EXPECT_EQ(d.missing, 0);
	KTAP_EXPECT_EQ(d.rx_first_stage[H], SRTT_STAGE_RX_IRQ);
	KTAP_EXPECT_EQ(d.rx_first_stage[G], SRTT_STAGE_RX_IRQ);
	KTAP_EXPECT(!d.impossible, "impossible");
	check_against_oracle(&pa, ALL_PT, &d);
}

/* Every subset of the twelve optional points, three rx_first sources, three
 * guest clock offsets, noise stamps in random order.
 */
static void every_subset(void)
{
	static const int64_t thetas[] = {
		0, 1000000000000000LL, -1000000000000000LL + 12345,
	};
	static const uint8_t rx_src[] = {
		SRTT_STAGE_RX_IRQ, SRTT_STAGE_RX_SOFTIRQ, SRTT_STAGE_RX_HW,
	};
	unsigned int subset, ti, bad = 0, runs = 0, v;
	struct srtt_decomp d;
	struct stamps s;
	struct path pa;
	uint16_t present;
	int rc;

	for (subset = 0; subset < (1U << N_OPT); subset++) {
		for (ti = 0; ti < 3; ti++) {
			path_default(&pa);
			pa.theta = thetas[ti];
			v = (subset + ti) % 3;
			pa.rx_first[H] = rx_src[v];
			pa.rx_first[G] = rx_src[(v + 1) % 3];
			if (pa.rx_first[H] == SRTT_STAGE_RX_HW)
				pa.conv[SRTT_DP_H_RX_FIRST] = CONV_HW;
			if (pa.rx_first[G] == SRTT_STAGE_RX_HW)
				pa.conv[SRTT_DP_G_RX_FIRST] = CONV_HW;
			present = subset_present(subset);
			make_stamps(&pa, present, &s);
			add_noise(&s);
			rc = srtt_decomp(&s.in, &d);
			runs++;
			if (!KTAP_EXPECT(rc == 0, "subset %#x: %s", subset,
					 srtt_decomp_strerror(rc))) {
				bad++;
				continue;
			}
			KTAP_EXPECT_EQ(d.ignored, 3);
			KTAP_EXPECT_EQ(d.hw_unconverted, 1);
			if (check_against_oracle(&pa, present, &d)) {
				KTAP_DIAG("subset %#x theta %" PRId64
					  " failed", subset, pa.theta);
				if (++bad > 5)
					return;
			}
		}
	}
	KTAP_EXPECT_EQ(runs, 3 * (1U << N_OPT));
	KTAP_EXPECT_EQ(bad, 0);
}

static const struct srtt_decomp_comp *find(const struct srtt_decomp *d,
					   const char *name)
{
	unsigned int i;

	for (i = 0; i < d->n; i++)
		if (!strcmp(d->c[i].name, name))
			return &d->c[i];
	KTAP_DIAG("no component %s", name);
	return NULL;
}

#define ALL_BUT(m)	(ALL_PT & ~(m))
#define B(p)		SRTT_DP_BIT(SRTT_DP_##p)

/* The merges the design spells out. */
static void named_merges(void)
{
	const struct srtt_decomp_comp *c;
	struct srtt_decomp d;
	struct stamps s;
	struct path pa;
	char buf[64];
	int64_t x[NPT];
	unsigned int i;

	path_default(&pa);
	pa.theta = -777;
	for (i = 0; i < NPT; i++)
		x[i] = stamp_of(&pa, i);

	/* no H.tx_drv */
	make_stamps(&pa, ALL_BUT(B(H_TX_DRV)), &s);
	KTAP_EXPECT_EQ(srtt_decomp(&s.in, &d), 0);
	KTAP_EXPECT_EQ(d.n, 11);
	c = find(&d, "host_stack_tx+host_drv_tx");
	if (c) {
		KTAP_EXPECT_EQ(c->value_ns,
			       x[SRTT_DP_H_TX_DRV_DONE] - x[SRTT_DP_T1]);
		KTAP_EXPECT(c->merged, "merged");
		KTAP_EXPECT_EQ(c->missing, B(H_TX_DRV));
		KTAP_EXPECT_EQ(c->err_ns, E_H_APP);
	}
	KTAP_EXPECT_EQ(d.missing, B(H_TX_DRV));
	srtt_decomp_pts_str(d.missing, buf, sizeof(buf));
	KTAP_EXPECT(!strcmp(buf, "H.tx_drv"), "missing %s", buf);

	/*
	 * no guest stage: network+guest and what T2 to T3 holds, the
	 * socket and the application together
	 */
	make_stamps(&pa, ALL_BUT(B(G_RX_FIRST) | B(G_RX_DRV) | B(G_RX_SOCK) |
				 B(G_RX_COPY) | B(G_TX_DRV) |
				 B(G_TX_DRV_DONE)), &s);
	KTAP_EXPECT_EQ(srtt_decomp(&s.in, &d), 0);
	KTAP_EXPECT_EQ(d.n, 6);
	c = find(&d, "network+guest_irq+guest_stack_rx+guest_stack_tx+"
		 "guest_drv_tx");
	if (c) {
		KTAP_EXPECT_EQ(c->value_ns,
			       (x[SRTT_DP_H_RX_FIRST] -
				x[SRTT_DP_H_TX_DRV_DONE]) -
			       (x[SRTT_DP_T3] - x[SRTT_DP_T2]));
		KTAP_EXPECT(c->merged, "merged");
		KTAP_EXPECT_EQ(c->err_ns, 0);	/* T2/T3 share a bracket */
	}
	c = find(&d, "guest_socket_rx+guest_wakeup+reflector");
	if (c) {
		KTAP_EXPECT_EQ(c->value_ns, x[SRTT_DP_T3] - x[SRTT_DP_T2]);
		KTAP_EXPECT(c->merged, "T3 - T2 not merged");
	}
	srtt_decomp_pts_str(d.missing, buf, sizeof(buf));
	KTAP_EXPECT(!strcmp(buf, "G.rx_first,G.rx_drv,G.rx_sock,G.rx_copy,"
			    "G.tx_drv,G.tx_drv_done"), "missing %s", buf);

	/* the socket's two points alone split T2 -> T3 in three */
	make_stamps(&pa, B(T1) | B(T2) | B(G_RX_SOCK) | B(G_RX_COPY) | B(T3) |
		    B(T4), &s);
	KTAP_EXPECT_EQ(srtt_decomp(&s.in, &d), 0);
	c = find(&d, "guest_socket_rx");
	if (c)
		KTAP_EXPECT_EQ(c->value_ns, pa.gap[SRTT_DC_GUEST_SOCKET_RX]);
	c = find(&d, "guest_wakeup");
	if (c)
		KTAP_EXPECT_EQ(c->value_ns, pa.gap[SRTT_DC_GUEST_WAKEUP]);
	c = find(&d, "reflector");
	if (c)
		KTAP_EXPECT_EQ(c->value_ns, pa.gap[SRTT_DC_REFLECTOR]);

	/* T1..T4 only: the classic (T4 - T1) - (T3 - T2) */
	make_stamps(&pa, B(T1) | B(T2) | B(T3) | B(T4), &s);
	KTAP_EXPECT_EQ(srtt_decomp(&s.in, &d), 0);
	KTAP_EXPECT_EQ(d.n, 2);
	c = find(&d, "host_stack_tx+host_drv_tx+network+guest_irq+"
		 "guest_stack_rx+guest_stack_tx+guest_drv_tx+host_drv_rx+"
		 "host_stack_rx");
	if (c)
		KTAP_EXPECT_EQ(c->value_ns, (x[SRTT_DP_T4] - x[SRTT_DP_T1]) -
				       (x[SRTT_DP_T3] - x[SRTT_DP_T2]));
	c = find(&d, "guest_socket_rx+guest_wakeup+reflector");
	if (c)
		KTAP_EXPECT_EQ(c->value_ns, x[SRTT_DP_T3] - x[SRTT_DP_T2]);
	KTAP_EXPECT_EQ(d.net, 0);

	/* no G point at all (ICMP echo to a kernel without the module) */
	make_stamps(&pa, B(T1) | B(T4) | B(H_TX_DRV_DONE) | B(H_RX_FIRST),
		    &s);
	KTAP_EXPECT_EQ(srtt_decomp(&s.in, &d), 0);
	KTAP_EXPECT_EQ(d.n, 3);
	c = find(&d, "network+guest_irq+guest_stack_rx+guest_socket_rx+"
		 "guest_wakeup+reflector+guest_stack_tx+guest_drv_tx");
	if (c)
		KTAP_EXPECT_EQ(c->value_ns, x[SRTT_DP_H_RX_FIRST] -
				       x[SRTT_DP_H_TX_DRV_DONE]);
	find(&d, "host_stack_tx+host_drv_tx");
	find(&d, "host_drv_rx+host_stack_rx");

	/* T1, T4 alone: one component, every part */
	make_stamps(&pa, B(T1) | B(T4), &s);
	KTAP_EXPECT_EQ(srtt_decomp(&s.in, &d), 0);
	KTAP_EXPECT_EQ(d.n, 1);
	KTAP_EXPECT_EQ(d.c[0].parts, SRTT_DC_ALL);
	KTAP_EXPECT_EQ(strlen(d.c[0].name) + 1, 152);
	KTAP_EXPECT_EQ(d.c[0].value_ns, x[SRTT_DP_T4] - x[SRTT_DP_T1]);
	KTAP_EXPECT_EQ(d.c[0].err_ns, 0);

	/* one G point: the G interval is empty, every G part in network */
	make_stamps(&pa, ALL_BUT(B(G_RX_FIRST) | B(G_RX_DRV) | B(T2) |
				 B(G_RX_SOCK) | B(G_RX_COPY) | B(T3) |
				 B(G_TX_DRV)), &s);
	KTAP_EXPECT_EQ(srtt_decomp(&s.in, &d), 0);
	c = find(&d, "network+guest_irq+guest_stack_rx+guest_socket_rx+"
		 "guest_wakeup+reflector+guest_stack_tx+guest_drv_tx");
	if (c)
		KTAP_EXPECT_EQ(c->value_ns, x[SRTT_DP_H_RX_FIRST] -
				       x[SRTT_DP_H_TX_DRV_DONE]);
}

static void rx_first_choice(void)
{
	struct srtt_decomp d;
	struct stamps s;
	struct path pa;
	int64_t base;

	path_default(&pa);
	make_stamps(&pa, ALL_BUT(B(H_RX_FIRST)), &s);
	base = h_time(&pa, SRTT_DP_H_RX_FIRST);

	/* softirq and irq: irq, the earlier in the pipeline, even when
	 * its value is later (that is a stamp problem, not a choice)
	 */
	add_stamp(&s, base + 10, H, SRTT_STAGE_RX_SOFTIRQ, 0, 1);
	add_stamp(&s, base + 20, H, SRTT_STAGE_RX_IRQ, 0, 1);
	KTAP_EXPECT_EQ(srtt_decomp(&s.in, &d), 0);
	KTAP_EXPECT_EQ(d.rx_first_stage[H], SRTT_STAGE_RX_IRQ);
	KTAP_EXPECT_EQ(d.pt_ns[SRTT_DP_H_RX_FIRST], base + 20);

	/* an unconverted rx_hw is another clock: left out, counted */
	add_stamp(&s, 5, H, SRTT_STAGE_RX_HW, 0, 1);
	KTAP_EXPECT_EQ(srtt_decomp(&s.in, &d), 0);
	KTAP_EXPECT_EQ(d.rx_first_stage[H], SRTT_STAGE_RX_IRQ);
	KTAP_EXPECT_EQ(d.hw_unconverted, 1);

	/* converted, it comes first and brings its error */
	s.st[s.in.n - 1].ns = base;
	s.st[s.in.n - 1].conv = CONV_HW;
	KTAP_EXPECT_EQ(srtt_decomp(&s.in, &d), 0);
	KTAP_EXPECT_EQ(d.rx_first_stage[H], SRTT_STAGE_RX_HW);
	KTAP_EXPECT_EQ(d.hw_unconverted, 0);
	KTAP_EXPECT_EQ(d.c[d.net].err_ns, E_HW);
	KTAP_EXPECT_EQ(d.c[10].err_ns, E_HW);	/* host_drv_rx */
	KTAP_EXPECT_EQ(srtt_decomp_sum(&d), d.rtt_ns);

	/* rx_drv alone is not an rx_first: host_drv_rx merges */
	make_stamps(&pa, ALL_BUT(B(H_RX_FIRST)), &s);
	KTAP_EXPECT_EQ(srtt_decomp(&s.in, &d), 0);
	KTAP_EXPECT_EQ(d.rx_first_stage[H], 0xff);
	KTAP_EXPECT(find(&d, "network+host_drv_rx") != NULL, "merge");
	KTAP_EXPECT_EQ(d.missing, B(H_RX_FIRST));
}

static void negative_is_impossible(void)
{
	const struct srtt_decomp_comp *c;
	struct srtt_decomp d;
	struct stamps s;
	struct path pa;
	char buf[32];

	/* guest_irq of -5 ns: both ends native, no error to hide in */
	path_default(&pa);
	pa.gap[SRTT_DC_GUEST_IRQ] = -5;
	make_stamps(&pa, ALL_PT, &s);
	KTAP_EXPECT_EQ(srtt_decomp(&s.in, &d), 0);
	c = find(&d, "guest_irq");
	if (c) {
		KTAP_EXPECT(c->impossible, "not flagged");
		KTAP_EXPECT_EQ(c->why, SRTT_DECOMP_C_NEGATIVE);
		KTAP_EXPECT(c->value_ns == -5, "clamped to %" PRId64,
			    c->value_ns);
		srtt_decomp_value_str(c, buf, sizeof(buf));
		KTAP_EXPECT(!strcmp(buf, "impossible"), "printed %s", buf);
	}
	KTAP_EXPECT_EQ(d.n_impossible, 1);
	KTAP_EXPECT(d.impossible, "decomposition not flagged");
	/* nothing clamped: the sum holds */
	KTAP_EXPECT_EQ(srtt_decomp_sum(&d), d.rtt_ns);

	/* host_stack_tx of -60 ns with T1 converted +-100: consistent
	 * with >= 0, kept as a number
	 */
	path_default(&pa);
	pa.gap[SRTT_DC_HOST_STACK_TX] = -60;
	make_stamps(&pa, ALL_PT, &s);
	KTAP_EXPECT_EQ(srtt_decomp(&s.in, &d), 0);
	c = find(&d, "host_stack_tx");
	if (c) {
		KTAP_EXPECT(!c->impossible, "within its bound");
		srtt_decomp_value_str(c, buf, sizeof(buf));
		KTAP_EXPECT(!strcmp(buf, "-60"), "printed %s", buf);
	}
	/* -101 is not */
	pa.gap[SRTT_DC_HOST_STACK_TX] = -101;
	make_stamps(&pa, ALL_PT, &s);
	KTAP_EXPECT_EQ(srtt_decomp(&s.in, &d), 0);
	c = find(&d, "host_stack_tx");
	if (c)
		KTAP_EXPECT(c->impossible, "beyond its bound");

	/* a reflector that answered before it received: negative in G,
	 * and a negative network (G interval longer than H's)
	 */
	path_default(&pa);
	pa.gap[SRTT_DC_REFLECTOR] = -1000;
	pa.gap[SRTT_DC_FORWARD] = -5000;
	make_stamps(&pa, ALL_PT, &s);
	KTAP_EXPECT_EQ(srtt_decomp(&s.in, &d), 0);
	KTAP_EXPECT_EQ(d.n_impossible, 2);
	c = find(&d, "network");
	if (c)
		KTAP_EXPECT(c->impossible && c->value_ns ==
			    pa.gap[SRTT_DC_FORWARD] + pa.gap[SRTT_DC_REVERSE],
			    "network %" PRId64, c->value_ns);
	KTAP_EXPECT_EQ(srtt_decomp_sum(&d), d.rtt_ns);

	/* T4 before T1 */
	path_default(&pa);
	pa.gap[SRTT_DC_REFLECTOR] = -100000;
	make_stamps(&pa, B(T1) | B(T4), &s);
	KTAP_EXPECT_EQ(srtt_decomp(&s.in, &d), 0);
	KTAP_EXPECT(d.rtt_ns < 0 && d.rtt_why == SRTT_DECOMP_C_NEGATIVE &&
		    d.impossible, "rtt %" PRId64, d.rtt_ns);
}

/*
 * A stale stage (another run's, 30 s old) makes one part negative and
 * its neighbour longer than the whole round trip: both impossible, not
 * only the negative one (before, guest_stack_rx printed 30 000 020 us).
 */
static void longer_than_rtt_is_impossible(void)
{
	const struct srtt_decomp_comp *c;
	struct srtt_decomp d;
	struct stamps s;
	struct path pa;

	path_default(&pa);
	pa.gap[SRTT_DC_GUEST_IRQ] -= 30000000000LL;
	pa.gap[SRTT_DC_GUEST_STACK_RX] += 30000000000LL;
	make_stamps(&pa, ALL_PT, &s);
	KTAP_EXPECT_EQ(srtt_decomp(&s.in, &d), 0);
	c = find(&d, "guest_stack_rx");
	if (c)
		KTAP_EXPECT(c->impossible && (c->why & SRTT_DECOMP_C_OVER_RTT),
			    "guest_stack_rx %" PRId64 " why %#x", c->value_ns,
			    c->why);
	c = find(&d, "guest_irq");
	if (c)
		KTAP_EXPECT(c->impossible && (c->why & SRTT_DECOMP_C_NEGATIVE),
			    "guest_irq why %#x", c->why);
	KTAP_EXPECT_EQ(d.n_impossible, 2);
	KTAP_EXPECT_EQ(srtt_decomp_sum(&d), d.rtt_ns);

	/* as long as the RTT within the two bounds: a number */
	path_default(&pa);
	make_stamps(&pa, B(T1) | B(T2) | B(T3) | B(T4), &s);
	KTAP_EXPECT_EQ(srtt_decomp(&s.in, &d), 0);
	KTAP_EXPECT_EQ(d.n_impossible, 0);
}

static void over_60s_is_impossible(void)
{
	const struct srtt_decomp_comp *c;
	struct srtt_decomp d;
	struct stamps s;
	struct path pa;
	char buf[32];

	path_default(&pa);
	pa.gap[SRTT_DC_REFLECTOR] = SRTT_DECOMP_MAX_NS;	/* 60 s: fine */
	make_stamps(&pa, ALL_PT, &s);
	KTAP_EXPECT_EQ(srtt_decomp(&s.in, &d), 0);
	c = find(&d, "reflector");
	if (c) {
		KTAP_EXPECT(!c->impossible, "60 s flagged");
		srtt_decomp_value_str(c, buf, sizeof(buf));
		KTAP_EXPECT(!strcmp(buf, "60000000000"), "printed %s", buf);
	}
	KTAP_EXPECT_EQ(d.n_impossible, 0);
	/* the RTT is more than 60 s now */
	KTAP_EXPECT(d.rtt_why == SRTT_DECOMP_C_HUGE && d.impossible,
		    "rtt %" PRId64, d.rtt_ns);

	pa.gap[SRTT_DC_REFLECTOR] = SRTT_DECOMP_MAX_NS + 1;
	pa.gap[SRTT_DC_GUEST_STACK_TX] = 1LL << 50;
	make_stamps(&pa, ALL_PT, &s);
	KTAP_EXPECT_EQ(srtt_decomp(&s.in, &d), 0);
	KTAP_EXPECT_EQ(d.n_impossible, 2);
	c = find(&d, "reflector");
	if (c) {
		KTAP_EXPECT_EQ(c->why, SRTT_DECOMP_C_HUGE);
		KTAP_EXPECT_EQ(c->value_ns, SRTT_DECOMP_MAX_NS + 1);
	}
	KTAP_EXPECT_EQ(srtt_decomp_sum(&d), d.rtt_ns);

	/* a huge negative: both reasons */
	path_default(&pa);
	pa.gap[SRTT_DC_HOST_DRV_TX] = -(SRTT_DECOMP_MAX_NS + 5);
	make_stamps(&pa, ALL_PT, &s);
	KTAP_EXPECT_EQ(srtt_decomp(&s.in, &d), 0);
	c = find(&d, "host_drv_tx");
	if (c)
		KTAP_EXPECT_EQ(c->why,
			       SRTT_DECOMP_C_HUGE | SRTT_DECOMP_C_NEGATIVE);
}

/* A huge guest clock offset changes no component. */
static void guest_offset_changes_nothing(void)
{
	static const int64_t thetas[] = {
		1000000000000000LL, -1000000000000000LL, (1LL << 60),
		-(1LL << 60) + 1,
	};
	struct srtt_decomp d0, d1;
	struct stamps s;
	struct path pa;
	unsigned int i, k, subset;

	for (subset = 0; subset < (1U << N_OPT); subset += 7) {
		path_default(&pa);
		make_stamps(&pa, subset_present(subset), &s);
		KTAP_EXPECT_EQ(srtt_decomp(&s.in, &d0), 0);
		for (i = 0; i < sizeof(thetas) / sizeof(thetas[0]); i++) {
			pa.theta = thetas[i];
			make_stamps(&pa, subset_present(subset), &s);
			KTAP_EXPECT_EQ(srtt_decomp(&s.in, &d1), 0);
			KTAP_EXPECT_EQ(d1.n, d0.n);
			for (k = 0; k < d0.n && k < d1.n; k++)
				KTAP_EXPECT(!memcmp(&d0.c[k], &d1.c[k],
						    sizeof(d0.c[k])),
					    "subset %#x theta %" PRId64
					    ": %s differs", subset, pa.theta,
					    d0.c[k].name);
		}
	}
}

/* Errors cancel between stamps of one conversion, add up otherwise. */
static void conversion_errors(void)
{
	struct srtt_decomp d;
	struct stamps s;
	struct path pa;

	path_default(&pa);
	make_stamps(&pa, B(T1) | B(T2) | B(T3) | B(T4), &s);
	KTAP_EXPECT_EQ(srtt_decomp(&s.in, &d), 0);
	KTAP_EXPECT_EQ(d.rtt_err_ns, 0);
	KTAP_EXPECT_EQ(d.c[0].err_ns, 0);
	KTAP_EXPECT_EQ(d.c[1].err_ns, 0);

	/* T4 through its own bracket */
	pa.conv[SRTT_DP_T4] = 4;
	make_stamps(&pa, B(T1) | B(T2) | B(T3) | B(T4), &s);
	s.in.conv_err_ns[4] = 30;
	KTAP_EXPECT_EQ(srtt_decomp(&s.in, &d), 0);
	KTAP_EXPECT_EQ(d.rtt_err_ns, E_H_APP + 30);
	KTAP_EXPECT_EQ(d.c[0].err_ns, E_H_APP + 30);
	KTAP_EXPECT_EQ(d.c[1].err_ns, 0);

	/* T3 native, T2 converted: the reflector carries G's error, and
	 * so does network (its G side)
	 */
	path_default(&pa);
	pa.conv[SRTT_DP_T3] = 0;
	make_stamps(&pa, B(T1) | B(T2) | B(T3) | B(T4), &s);
	KTAP_EXPECT_EQ(srtt_decomp(&s.in, &d), 0);
	KTAP_EXPECT_EQ(d.c[1].err_ns, E_G_APP);
	KTAP_EXPECT_EQ(d.c[0].err_ns, E_G_APP);
}

static void bad_input(void)
{
	struct srtt_decomp d;
	struct stamps s;
	struct path pa;

	path_default(&pa);

	make_stamps(&pa, ALL_PT & ~B(T1), &s);
	KTAP_EXPECT_EQ(srtt_decomp(&s.in, &d), -SRTT_DECOMP_ENOAPP);
	KTAP_EXPECT_EQ(d.n, 0);
	make_stamps(&pa, ALL_PT & ~B(T4), &s);
	KTAP_EXPECT_EQ(srtt_decomp(&s.in, &d), -SRTT_DECOMP_ENOAPP);

	/* T1 present but not valid */
	make_stamps(&pa, ALL_PT, &s);
	s.st[0].valid = 0;
	KTAP_EXPECT_EQ(srtt_decomp(&s.in, &d), -SRTT_DECOMP_ENOAPP);

	make_stamps(&pa, ALL_PT, &s);
	add_stamp(&s, 1, G, SRTT_STAGE_TX_DRV, 0, 1);
	KTAP_EXPECT_EQ(srtt_decomp(&s.in, &d), -SRTT_DECOMP_EDUP);

	make_stamps(&pa, ALL_PT, &s);
	add_stamp(&s, 1, H, SRTT_STAGE_RX_IRQ, 0, 1);
	KTAP_EXPECT_EQ(srtt_decomp(&s.in, &d), -SRTT_DECOMP_EDUP);

	make_stamps(&pa, ALL_PT, &s);
	add_stamp(&s, 1, 2, SRTT_STAGE_TX_DRV, 0, 1);
	KTAP_EXPECT_EQ(srtt_decomp(&s.in, &d), -SRTT_DECOMP_EINVAL);

	make_stamps(&pa, ALL_PT, &s);
	add_stamp(&s, 1, H, __SRTT_STAGE_MAX, 0, 1);
	KTAP_EXPECT_EQ(srtt_decomp(&s.in, &d), -SRTT_DECOMP_EINVAL);

	make_stamps(&pa, ALL_PT, &s);
	s.st[3].conv = SRTT_DECOMP_MAX_CONV;
	KTAP_EXPECT_EQ(srtt_decomp(&s.in, &d), -SRTT_DECOMP_EINVAL);

	make_stamps(&pa, ALL_PT, &s);
	s.in.conv_err_ns[0] = 1;
	KTAP_EXPECT_EQ(srtt_decomp(&s.in, &d), -SRTT_DECOMP_EINVAL);

	make_stamps(&pa, ALL_PT, &s);
	s.in.conv_err_ns[5] = SRTT_DECOMP_ERR_LIMIT + 1;
	KTAP_EXPECT_EQ(srtt_decomp(&s.in, &d), -SRTT_DECOMP_ERANGE);

	make_stamps(&pa, ALL_PT, &s);
	s.st[2].ns = SRTT_DECOMP_NS_LIMIT;
	KTAP_EXPECT_EQ(srtt_decomp(&s.in, &d), -SRTT_DECOMP_ERANGE);
	s.st[2].ns = -SRTT_DECOMP_NS_LIMIT;
	KTAP_EXPECT_EQ(srtt_decomp(&s.in, &d), -SRTT_DECOMP_ERANGE);
	s.st[2].ns = SRTT_DECOMP_NS_LIMIT - 1;
	KTAP_EXPECT_EQ(srtt_decomp(&s.in, &d), 0);

	s.in.st = NULL;
	KTAP_EXPECT_EQ(srtt_decomp(&s.in, &d), -SRTT_DECOMP_EINVAL);
	KTAP_EXPECT_EQ(srtt_decomp(NULL, &d), -SRTT_DECOMP_EINVAL);
	KTAP_EXPECT_EQ(srtt_decomp(&s.in, NULL), -SRTT_DECOMP_EINVAL);
	s.in.n = 0;
	KTAP_EXPECT_EQ(srtt_decomp(&s.in, &d), -SRTT_DECOMP_ENOAPP);
}

/* The extremes of the ranges do not overflow. */
static void extreme_values(void)
{
	const int64_t L = SRTT_DECOMP_NS_LIMIT - 1;
	struct srtt_decomp_oneway ow;
	struct srtt_decomp d;
	struct stamps s;
	unsigned int i;

	memset(&s, 0, sizeof(s));
	s.in.st = s.st;
	for (i = 1; i < SRTT_DECOMP_MAX_CONV; i++)
		s.in.conv_err_ns[i] = SRTT_DECOMP_ERR_LIMIT;
	add_stamp(&s, -L, H, TX, 1, 1);
	add_stamp(&s, L, H, SRTT_STAGE_TX_DRV_DONE, 2, 1);
	add_stamp(&s, L, G, SRTT_STAGE_RX_IRQ, 3, 1);
	add_stamp(&s, -L, G, SRTT_STAGE_TX_DRV_DONE, 4, 1);
	add_stamp(&s, -L, H, SRTT_STAGE_RX_SOFTIRQ, 5, 1);
	add_stamp(&s, L, H, RX, 6, 1);
	KTAP_EXPECT_EQ(srtt_decomp(&s.in, &d), 0);
	KTAP_EXPECT_EQ(srtt_decomp_sum(&d), 2 * L);
	KTAP_EXPECT_EQ(d.c[d.net].value_ns, (-L - L) - (-L - L));
	KTAP_EXPECT_EQ(d.n_impossible, d.n - 1);	/* all but network */
	KTAP_EXPECT_EQ(srtt_decomp_oneway(&d, -L, SRTT_DECOMP_ERR_LIMIT, &ow),
		       0);
	KTAP_EXPECT_EQ(ow.fwd.value_ns + ow.rev.value_ns,
		       d.c[d.net].value_ns);
}

/* ---- one-way ---- */

static void oneway_known_theta(void)
{
	struct srtt_decomp_oneway ow;
	struct srtt_decomp d;
	struct stamps s;
	struct path pa;
	int64_t delta;
	unsigned int subset;
	int rc;

	path_default(&pa);
	pa.theta = 123456789;
	make_stamps(&pa, ALL_PT, &s);
	KTAP_EXPECT_EQ(srtt_decomp(&s.in, &d), 0);

	/* exact theta: the true one-way delays */
	KTAP_EXPECT_EQ(srtt_decomp_oneway(&d, pa.theta, 0, &ow), 0);
	KTAP_EXPECT(!strcmp(ow.fwd.name, "forward") &&
		    !strcmp(ow.rev.name, "reverse"), "%s %s", ow.fwd.name,
		    ow.rev.name);
	KTAP_EXPECT_EQ(ow.fwd.value_ns, pa.gap[SRTT_DC_FORWARD]);
	KTAP_EXPECT_EQ(ow.rev.value_ns, pa.gap[SRTT_DC_REVERSE]);
	KTAP_EXPECT_EQ(ow.fwd.err_ns, 0);
	KTAP_EXPECT(!ow.fwd.merged && !ow.rev.merged, "merged");

	/* theta off by up to its bound: the truth within the bound */
	for (delta = -700; delta <= 700; delta += 350) {
		KTAP_EXPECT_EQ(srtt_decomp_oneway(&d, pa.theta + delta, 700,
						  &ow), 0);
		KTAP_EXPECT_EQ(ow.fwd.err_ns, 700);
		KTAP_EXPECT_LE(llabs(ow.fwd.value_ns -
				     pa.gap[SRTT_DC_FORWARD]), ow.fwd.err_ns);
		KTAP_EXPECT_LE(llabs(ow.rev.value_ns -
				     pa.gap[SRTT_DC_REVERSE]), ow.rev.err_ns);
		KTAP_EXPECT_EQ(ow.fwd.value_ns + ow.rev.value_ns,
			       d.c[d.net].value_ns);
	}

	/* a theta far off: a negative one-way beyond its bound */
	KTAP_EXPECT_EQ(srtt_decomp_oneway(&d, pa.theta + 10000, 100, &ow), 0);
	KTAP_EXPECT(ow.fwd.impossible && !ow.rev.impossible, "flags %d %d",
		    ow.fwd.impossible, ow.rev.impossible);

	/* with points missing, the merged parts come along */
	make_stamps(&pa, ALL_BUT(B(G_RX_FIRST) | B(H_TX_DRV_DONE)), &s);
	KTAP_EXPECT_EQ(srtt_decomp(&s.in, &d), 0);
	KTAP_EXPECT_EQ(srtt_decomp_oneway(&d, pa.theta, 0, &ow), 0);
	KTAP_EXPECT(!strcmp(ow.fwd.name, "host_drv_tx+forward+guest_irq"),
		    "%s", ow.fwd.name);
	KTAP_EXPECT(ow.fwd.merged, "merged");
	KTAP_EXPECT_EQ(ow.fwd.missing, B(G_RX_FIRST) | B(H_TX_DRV_DONE));
	KTAP_EXPECT_EQ(ow.fwd.value_ns, pa.gap[SRTT_DC_HOST_DRV_TX] +
					pa.gap[SRTT_DC_FORWARD] +
					pa.gap[SRTT_DC_GUEST_IRQ]);

	/* every subset with a G point: forward + reverse == network */
	for (subset = 0; subset < (1U << N_OPT); subset++) {
		make_stamps(&pa, subset_present(subset), &s);
		KTAP_EXPECT_EQ(srtt_decomp(&s.in, &d), 0);
		rc = srtt_decomp_oneway(&d, pa.theta, 0, &ow);
		if (!(d.present & 0x7f8)) {
			KTAP_EXPECT_EQ(rc, -SRTT_DECOMP_ENOGUEST);
			continue;
		}
		KTAP_EXPECT_EQ(rc, 0);
		KTAP_EXPECT_EQ(ow.fwd.value_ns + ow.rev.value_ns,
			       d.c[d.net].value_ns);
		KTAP_EXPECT_EQ(ow.fwd.parts | ow.rev.parts,
			       d.c[d.net].parts);
	}

	KTAP_EXPECT_EQ(srtt_decomp_oneway(&d, SRTT_DECOMP_NS_LIMIT, 0, &ow),
		       -SRTT_DECOMP_ERANGE);

	/* T1..T4 only: each one-way carries both ends' conversions */
	make_stamps(&pa, B(T1) | B(T2) | B(T3) | B(T4), &s);
	KTAP_EXPECT_EQ(srtt_decomp(&s.in, &d), 0);
	KTAP_EXPECT_EQ(srtt_decomp_oneway(&d, pa.theta, 11, &ow), 0);
	KTAP_EXPECT_EQ(ow.fwd.err_ns, 11 + E_H_APP + E_G_APP);
	KTAP_EXPECT_EQ(ow.rev.err_ns, 11 + E_H_APP + E_G_APP);
	KTAP_EXPECT(!strcmp(ow.fwd.name, "host_stack_tx+host_drv_tx+forward+"
			    "guest_irq+guest_stack_rx"), "%s", ow.fwd.name);
	KTAP_EXPECT(!strcmp(ow.rev.name, "guest_stack_tx+guest_drv_tx+"
			    "reverse+host_drv_rx+host_stack_rx"), "%s",
		    ow.rev.name);
}

/* The H-time interval of the G events, widened by its ends' errors. */
static void h_span_of_probe(void)
{
	struct srtt_decomp d;
	struct stamps s;
	struct path pa;
	int64_t lo, hi;

	path_default(&pa);
	pa.theta = 1LL << 50;
	make_stamps(&pa, B(T1) | B(T2) | B(T3) | B(T4), &s);
	KTAP_EXPECT_EQ(srtt_decomp(&s.in, &d), 0);
	srtt_decomp_h_span(&d, &lo, &hi);
	KTAP_EXPECT_EQ(lo, stamp_of(&pa, SRTT_DP_T1) - E_H_APP);
	KTAP_EXPECT_EQ(hi, stamp_of(&pa, SRTT_DP_T4) + E_H_APP);

	make_stamps(&pa, ALL_PT, &s);
	KTAP_EXPECT_EQ(srtt_decomp(&s.in, &d), 0);
	srtt_decomp_h_span(&d, &lo, &hi);
	KTAP_EXPECT_EQ(lo, stamp_of(&pa, SRTT_DP_H_TX_DRV_DONE));
	KTAP_EXPECT_EQ(hi, stamp_of(&pa, SRTT_DP_H_RX_FIRST));
}

/*
 * The whole chain on a drifting clock: probes with every stage, G = H +
 * theta0 + 50 ppm, forward 3x reverse with jitter; decompose, estimate
 * the offset per window from the probes' own exchanges, split network,
 * and find the true one-way delays inside the published bounds.
 */
static void pipeline_with_drift(void)
{
	enum { N = 4000, WINDOW = 500 };
	static struct srtt_offset_sample smp[N];
	static struct srtt_decomp dec[N];
	static int64_t fwd_true[N], rev_true[N];
	struct srtt_offset_est est[16];
	struct srtt_decomp_oneway ow;
	struct stamps s;
	struct path pa;
	int64_t base, t, skew_ppb = 50000, theta0 = 123456789;
	size_t nw, i, w;
	unsigned int p, bad = 0, checked = 0;
	uint64_t worst = 0, worst_anchor = 0, anchor;

	for (i = 0; i < N; i++) {
		path_default(&pa);
		pa.t1 = 1000000000LL + (int64_t)i * 1000000 +
			(int64_t)(rng() % 100000);
		base = 8000 + (int64_t)(rng() % 200);
		pa.gap[SRTT_DC_FORWARD] = 3 * base + (int64_t)(rng() % 30000);
		pa.gap[SRTT_DC_REVERSE] = base + (int64_t)(rng() % 10000);
		fwd_true[i] = pa.gap[SRTT_DC_FORWARD];
		rev_true[i] = pa.gap[SRTT_DC_REVERSE];
		make_stamps(&pa, ALL_PT, &s);
		/* the drifting G clock; rounding to 1 ns is the error of
		 * conversions 2..7, one per G point
		 */
		for (p = 0; p < s.in.n; p++) {
			if (s.st[p].dom != G)
				continue;
			t = s.st[p].ns;		/* H time, theta 0 */
			s.st[p].ns = t + theta0 + (int64_t)(
				((__int128)(t - 1000000000LL) * skew_ppb) /
				1000000000);
			s.st[p].conv = 2 + (p % 6);
		}
		for (p = 2; p < SRTT_DECOMP_MAX_CONV; p++)
			s.in.conv_err_ns[p] = 1;
		s.in.conv_err_ns[SRTT_DECOMP_CONV_H_APP] = 0;
		if (!KTAP_EXPECT_EQ(srtt_decomp(&s.in, &dec[i]), 0))
			return;
		KTAP_EXPECT_EQ(srtt_decomp_exchange(&dec[i], &smp[i]), 0);
	}
	KTAP_EXPECT_EQ(srtt_offset_windows(smp, N, WINDOW, NULL, est, 16, &nw),
		       0);
	KTAP_EXPECT_EQ(nw, N / WINDOW);
	for (w = 0; w < nw; w++) {
		for (i = est[w].first; i < est[w].first + est[w].n; i++) {
			if (srtt_decomp_oneway_est(&dec[i], &est[w], &ow)) {
				bad++;
				continue;
			}
			checked++;
			if (llabs(ow.fwd.value_ns - fwd_true[i]) >
			    (long long)ow.fwd.err_ns ||
			    llabs(ow.rev.value_ns - rev_true[i]) >
			    (long long)ow.rev.err_ns) {
				if (bad++ < 5)
					KTAP_DIAG("probe %zu: fwd %" PRId64
						  " +- %" PRIu64 " (true %"
						  PRId64 "), rev %" PRId64
						  " +- %" PRIu64 " (true %"
						  PRId64 ")", i,
						  ow.fwd.value_ns,
						  ow.fwd.err_ns, fwd_true[i],
						  ow.rev.value_ns,
						  ow.rev.err_ns, rev_true[i]);
			}
			if (ow.fwd.value_ns + ow.rev.value_ns !=
			    dec[i].c[dec[i].net].value_ns)
				bad++;
			if (ow.fwd.err_ns > worst)
				worst = ow.fwd.err_ns;
		}
	}
	KTAP_EXPECT_EQ(checked, N);
	KTAP_EXPECT_EQ(bad, 0);
	/* and the bounds say something: at most 2 * bound_a + bound_b
	 * (the window's edge, see offset.h) plus the 1 ns conversions
	 */
	for (w = 0; w < nw; w++) {
		anchor = est[w].a.b2 > est[w].b.b2 ? est[w].a.b2 : est[w].b.b2;
		if ((anchor + 1) / 2 > worst_anchor)
			worst_anchor = (anchor + 1) / 2;
	}
	KTAP_EXPECT_LE(worst, 3 * worst_anchor + 8);
	KTAP_EXPECT_LE(worst_anchor, 20000);
	printf("# pipeline: %u probes, %zu windows, worst anchor bound %"
	       PRIu64 " ns, worst one-way bound %" PRIu64 " ns\n", checked,
	       nw, worst_anchor, worst);
}

static void exchange_errors(void)
{
	struct srtt_offset_sample smp;
	struct srtt_decomp d;
	struct stamps s;
	struct path pa;

	path_default(&pa);
	/* T1..T4 with one bracket per side: e_H + e_G */
	make_stamps(&pa, B(T1) | B(T2) | B(T3) | B(T4), &s);
	KTAP_EXPECT_EQ(srtt_decomp(&s.in, &d), 0);
	KTAP_EXPECT_EQ(srtt_decomp_exchange(&d, &smp), 0);
	KTAP_EXPECT_EQ(smp.t1, stamp_of(&pa, SRTT_DP_T1));
	KTAP_EXPECT_EQ(smp.t2, stamp_of(&pa, SRTT_DP_T2));
	KTAP_EXPECT_EQ(smp.t3, stamp_of(&pa, SRTT_DP_T3));
	KTAP_EXPECT_EQ(smp.t4, stamp_of(&pa, SRTT_DP_T4));
	KTAP_EXPECT_EQ(smp.err_ns, E_H_APP + E_G_APP);

	/* the wire points when present: native, no error */
	make_stamps(&pa, ALL_PT, &s);
	KTAP_EXPECT_EQ(srtt_decomp(&s.in, &d), 0);
	KTAP_EXPECT_EQ(srtt_decomp_exchange(&d, &smp), 0);
	KTAP_EXPECT_EQ(smp.t1, stamp_of(&pa, SRTT_DP_H_TX_DRV_DONE));
	KTAP_EXPECT_EQ(smp.t2, stamp_of(&pa, SRTT_DP_G_RX_FIRST));
	KTAP_EXPECT_EQ(smp.t3, stamp_of(&pa, SRTT_DP_G_TX_DRV_DONE));
	KTAP_EXPECT_EQ(smp.t4, stamp_of(&pa, SRTT_DP_H_RX_FIRST));
	KTAP_EXPECT_EQ(smp.err_ns, 0);

	/* mixed: T1 (bracket) and H.rx_first (native) */
	make_stamps(&pa, ALL_BUT(B(H_TX_DRV) | B(H_TX_DRV_DONE)), &s);
	KTAP_EXPECT_EQ(srtt_decomp(&s.in, &d), 0);
	KTAP_EXPECT_EQ(srtt_decomp_exchange(&d, &smp), 0);
	KTAP_EXPECT_EQ(smp.err_ns, E_H_APP);

	make_stamps(&pa, B(T1) | B(T4), &s);
	KTAP_EXPECT_EQ(srtt_decomp(&s.in, &d), 0);
	KTAP_EXPECT_EQ(srtt_decomp_exchange(&d, &smp), -SRTT_DECOMP_ENOGUEST);
}

/* ---- text helpers ---- */

static void text_helpers(void)
{
	struct srtt_decomp_comp c;
	char buf[SRTT_DECOMP_NAME_MAX], want[SRTT_DECOMP_NAME_MAX], small[8];
	unsigned int parts, p;
	size_t len;

	/* every part set names as the oracle says, and never overflows */
	for (parts = 0; parts <= SRTT_DC_ALL; parts++) {
		len = srtt_decomp_name((uint16_t)parts, buf, sizeof(buf));
		if ((parts & SRTT_DC_NETWORK) == SRTT_DC_NETWORK ||
		    !(parts & SRTT_DC_NETWORK)) {
			expect_name((uint16_t)parts, want);
			if (!KTAP_EXPECT(!strcmp(buf, want), "%#x: %s, want %s",
					 parts, buf, want))
				break;
		}
		KTAP_EXPECT_EQ(len, strlen(buf));
		srtt_decomp_name((uint16_t)parts, small, sizeof(small));
		KTAP_EXPECT(!strncmp(small, buf, sizeof(small) - 1) &&
			    strlen(small) < sizeof(small), "truncation");
	}
	srtt_decomp_name(SRTT_DC_BIT(SRTT_DC_REVERSE) |
			 SRTT_DC_BIT(SRTT_DC_HOST_DRV_RX), buf, sizeof(buf));
	KTAP_EXPECT(!strcmp(buf, "reverse+host_drv_rx"), "%s", buf);
	KTAP_EXPECT_EQ(srtt_decomp_name(SRTT_DC_ALL, NULL, 0), 151);

	for (p = 0; p < SRTT_DP_N; p++)
		KTAP_EXPECT(srtt_decomp_pt_name(p) != NULL, "pt %u", p);
	KTAP_EXPECT(srtt_decomp_pt_name(SRTT_DP_N) == NULL, "beyond");
	KTAP_EXPECT_EQ(srtt_decomp_pts_str(ALL_PT, NULL, 0),
		       strlen("H.T1,H.tx_drv,H.tx_drv_done,G.rx_first,"
			      "G.rx_drv,G.T2,G.rx_sock,G.rx_copy,G.T3,G.tx_drv,"
			      "G.tx_drv_done,"
			      "H.rx_first,H.rx_drv,H.T4"));

	memset(&c, 0, sizeof(c));
	c.value_ns = INT64_MIN;
	srtt_decomp_value_str(&c, buf, sizeof(buf));
	KTAP_EXPECT(!strcmp(buf, "-9223372036854775808"), "%s", buf);
	c.value_ns = 0;
	srtt_decomp_value_str(&c, buf, sizeof(buf));
	KTAP_EXPECT(!strcmp(buf, "0"), "%s", buf);
	c.value_ns = 1234567;
	srtt_decomp_value_str(&c, small, 4);
	KTAP_EXPECT(!strcmp(small, "123"), "%s", small);
	c.impossible = true;
	srtt_decomp_value_str(&c, buf, sizeof(buf));
	KTAP_EXPECT(!strcmp(buf, "impossible"), "%s", buf);

	for (p = 0; p <= SRTT_DECOMP_ENOGUEST + 1; p++)
		KTAP_EXPECT(srtt_decomp_strerror(-(int)p)[0], "strerror");
}

static const struct ktap_case cases[] = {
	KTAP_CASE(all_present),
	KTAP_CASE(every_subset),
	KTAP_CASE(named_merges),
	KTAP_CASE(rx_first_choice),
	KTAP_CASE(negative_is_impossible),
	KTAP_CASE(longer_than_rtt_is_impossible),
	KTAP_CASE(over_60s_is_impossible),
	KTAP_CASE(guest_offset_changes_nothing),
	KTAP_CASE(conversion_errors),
	KTAP_CASE(bad_input),
	KTAP_CASE(extreme_values),
	KTAP_CASE(oneway_known_theta),
	KTAP_CASE(h_span_of_probe),
	KTAP_CASE(exchange_errors),
	KTAP_CASE(pipeline_with_drift),
	KTAP_CASE(text_helpers),
};

int main(void)
{
	return KTAP_RUN(cases);
}
