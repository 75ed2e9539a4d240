// SPDX-License-Identifier: GPL-2.0
/*
 * sriov_rtt: per-probe RTT decomposition into the components of the
 * measurement model, merging around missing stamps, with error bounds and
 * impossible values flagged. The model and the rules are in decomp.h.
 */

#include <string.h>

#include "decomp.h"
#include "offset.h"

#define DOM_H		SRTT_DECOMP_DOM_H
#define DOM_G		SRTT_DECOMP_DOM_G
#define ALL_PTS		((1U << SRTT_DP_N) - 1)
#define NO_STAGE	0xff
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static const char *const part_names[SRTT_DC_N] = {
	[SRTT_DC_HOST_STACK_TX]		= "host_stack_tx",
	[SRTT_DC_HOST_DRV_TX]		= "host_drv_tx",
	[SRTT_DC_FORWARD]		= "forward",
	[SRTT_DC_GUEST_IRQ]		= "guest_irq",
	[SRTT_DC_GUEST_STACK_RX]	= "guest_stack_rx",
	[SRTT_DC_GUEST_SOCKET_RX]	= "guest_socket_rx",
	[SRTT_DC_GUEST_WAKEUP]		= "guest_wakeup",
	[SRTT_DC_REFLECTOR]		= "reflector",
	[SRTT_DC_GUEST_STACK_TX]	= "guest_stack_tx",
	[SRTT_DC_GUEST_DRV_TX]		= "guest_drv_tx",
	[SRTT_DC_REVERSE]		= "reverse",
	[SRTT_DC_HOST_DRV_RX]		= "host_drv_rx",
	[SRTT_DC_HOST_STACK_RX]		= "host_stack_rx",
};

static const char *const pt_names[SRTT_DP_N] = {
	[SRTT_DP_T1]		= "H.T1",
	[SRTT_DP_H_TX_DRV]	= "H.tx_drv",
	[SRTT_DP_H_TX_DRV_DONE]	= "H.tx_drv_done",
	[SRTT_DP_G_RX_FIRST]	= "G.rx_first",
	[SRTT_DP_G_RX_DRV]	= "G.rx_drv",
	[SRTT_DP_T2]		= "G.T2",
	[SRTT_DP_G_RX_SOCK]	= "G.rx_sock",
	[SRTT_DP_G_RX_COPY]	= "G.rx_copy",
	[SRTT_DP_T3]		= "G.T3",
	[SRTT_DP_G_TX_DRV]	= "G.tx_drv",
	[SRTT_DP_G_TX_DRV_DONE]	= "G.tx_drv_done",
	[SRTT_DP_H_RX_FIRST]	= "H.rx_first",
	[SRTT_DP_H_RX_DRV]	= "H.rx_drv",
	[SRTT_DP_T4]		= "H.T4",
};

/* Stages that can be rx_first, in pipeline order. */
static const uint8_t rx_first_order[] = {
	SRTT_STAGE_RX_HW, SRTT_STAGE_RX_IRQ, SRTT_STAGE_RX_SOFTIRQ,
};

#define N_CAND	ARRAY_SIZE(rx_first_order)

enum { MAP_CAND = -1, MAP_UNUSED = -2, MAP_BAD = -3 };

const char *srtt_decomp_strerror(int err)
{
	switch (err < 0 ? -err : err) {
	case SRTT_DECOMP_OK:
		return "ok";
	case SRTT_DECOMP_EINVAL:
		return "invalid stamp (domain, stage or conversion index)";
	case SRTT_DECOMP_EDUP:
		return "two stamps for one point of the path";
	case SRTT_DECOMP_ENOAPP:
		return "T1 or T4 missing";
	case SRTT_DECOMP_ERANGE:
		return "stamp or error bound out of range";
	case SRTT_DECOMP_ENOGUEST:
		return "no reflector-side stamp";
	}
	return "unknown error";
}

const char *srtt_decomp_pt_name(unsigned int pt)
{
	return pt < SRTT_DP_N ? pt_names[pt] : NULL;
}

/* snprintf-like appending without stdio: *len counts what is needed. */
static void put(char *buf, size_t size, size_t *len, const char *s)
{
	for (; *s; s++, (*len)++)
		if (*len + 1 < size)
			buf[*len] = *s;
}

static void terminate(char *buf, size_t size, size_t len)
{
	if (size)
		buf[len < size ? len : size - 1] = '\0';
}

size_t srtt_decomp_name(uint16_t parts, char *buf, size_t size)
{
	bool network = (parts & SRTT_DC_NETWORK) == SRTT_DC_NETWORK;
	const char *s;
	size_t len = 0;
	unsigned int p;

	for (p = 0; p < SRTT_DC_N; p++) {
		if (!(parts & SRTT_DC_BIT(p)))
			continue;
		s = part_names[p];
		if (network && p == SRTT_DC_REVERSE)
			continue;
		if (network && p == SRTT_DC_FORWARD)
			s = "network";
		if (len)
			put(buf, size, &len, "+");
		put(buf, size, &len, s);
	}
	terminate(buf, size, len);
	return len;
}

size_t srtt_decomp_pts_str(uint16_t mask, char *buf, size_t size)
{
	size_t len = 0;
	unsigned int p;

	for (p = 0; p < SRTT_DP_N; p++) {
		if (!(mask & SRTT_DP_BIT(p)))
			continue;
		if (len)
			put(buf, size, &len, ",");
		put(buf, size, &len, pt_names[p]);
	}
	terminate(buf, size, len);
	return len;
}

static uint64_t uabs(int64_t v)
{
	return v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
}

const char *srtt_decomp_value_str(const struct srtt_decomp_comp *c, char *buf,
				  size_t size)
{
	char tmp[24];
	char *p = tmp + sizeof(tmp);
	uint64_t u = uabs(c->value_ns);
	size_t len = 0;

	if (c->impossible) {
		put(buf, size, &len, "impossible");
		terminate(buf, size, len);
		return buf;
	}
	*--p = '\0';
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (c->value_ns < 0)
		*--p = '-';
	put(buf, size, &len, p);
	terminate(buf, size, len);
	return buf;
}

/* The point a stamp stands for, or MAP_* (*cand: rx_first rank). */
static int map(unsigned int dom, unsigned int what, unsigned int *cand)
{
	bool h = dom == DOM_H;
	unsigned int i;

	switch (what) {
	case SRTT_DECOMP_APP_TX:
		return h ? SRTT_DP_T1 : SRTT_DP_T3;
	case SRTT_DECOMP_APP_RX:
		return h ? SRTT_DP_T4 : SRTT_DP_T2;
	case SRTT_STAGE_TX_DRV:
		return h ? SRTT_DP_H_TX_DRV : SRTT_DP_G_TX_DRV;
	case SRTT_STAGE_TX_DRV_DONE:
		return h ? SRTT_DP_H_TX_DRV_DONE : SRTT_DP_G_TX_DRV_DONE;
	case SRTT_STAGE_RX_DRV:
		return h ? SRTT_DP_H_RX_DRV : SRTT_DP_G_RX_DRV;
	/* the sender's socket receive lies after T4: beside the path */
	case SRTT_STAGE_RX_SOCK:
		return h ? MAP_UNUSED : SRTT_DP_G_RX_SOCK;
	case SRTT_STAGE_RX_COPY:
		return h ? MAP_UNUSED : SRTT_DP_G_RX_COPY;
	}
	for (i = 0; i < N_CAND; i++) {
		if (what == rx_first_order[i]) {
			*cand = i;
			return MAP_CAND;
		}
	}
	return what < __SRTT_STAGE_MAX ? MAP_UNUSED : MAP_BAD;
}

static bool present(const struct srtt_decomp *d, int p)
{
	return d->present & SRTT_DP_BIT(p);
}

/* parts i .. j - 1: the gaps from point i to point j */
static uint16_t gaps(unsigned int i, unsigned int j)
{
	return (uint16_t)(((1U << j) - 1) & ~((1U << i) - 1));
}

/* points strictly between i and j */
static uint16_t inside(unsigned int i, unsigned int j)
{
	return j > i ? gaps(i + 1, j) : 0;
}

/* conversion error of pt[j] - pt[i], both in one domain */
static bool g_pt(int p)
{
	return p >= SRTT_DP_G_RX_FIRST && p <= SRTT_DP_G_TX_DRV_DONE;
}

/*
 * The error of pt[j] - pt[i]: their conversions', and for two G points
 * the rate's over the interval (with a skew, 1 ns of its rounding).
 */
static uint64_t pair_err(const struct srtt_decomp *d, int i, int j)
{
	uint64_t err = 0;

	if (d->pt_conv[i] != d->pt_conv[j])
		err = d->conv_err_ns[d->pt_conv[i]] + d->conv_err_ns[d->pt_conv[j]];
	if (g_pt(i) && g_pt(j) && i != j)
		err += srtt_decomp_drift_ns(d->pt_ns[j] - d->pt_ns[i],
					    d->rate_err_ppb) +
		       (d->skew_ppb != 0);
	return err;
}

/* span * ppb / 10^9 rounded to nearest, |ppb| <= 10^7, |span| < 2^62 */
static int64_t scale_ns(int64_t span, int64_t ppb)
{
	uint64_t a = uabs(span), p = uabs(ppb), q;

	q = a / 1000000000ULL * p +
	    ((a % 1000000000ULL) * p + 500000000ULL) / 1000000000ULL;
	return (span < 0) != (ppb < 0) ? -(int64_t)q : (int64_t)q;
}

/* G points into H time by the skew, from the first G point on. */
static void unskew(struct srtt_decomp *d)
{
	int p, g0 = -1;

	if (!d->skew_ppb)
		return;
	for (p = SRTT_DP_G_RX_FIRST; p <= SRTT_DP_G_TX_DRV_DONE; p++) {
		if (!present(d, p))
			continue;
		if (g0 < 0)
			g0 = p;
		else
			d->pt_ns[p] -= scale_ns(d->pt_ns[p] - d->pt_ns[g0],
						d->skew_ppb);
	}
}

uint64_t srtt_decomp_drift_ns(int64_t span_ns, uint64_t ppb)
{
	uint64_t span = uabs(span_ns);

	/* span < 2^63 and ppb <= 10^9: split to stay inside 64 bits */
	return span / 1000000000ULL * ppb +
	       (span % 1000000000ULL) * ppb / 1000000000ULL;
}

static uint8_t why_impossible(int64_t v, uint64_t err)
{
	uint8_t why = 0;

	if (v < 0 && uabs(v) > err)
		why |= SRTT_DECOMP_C_NEGATIVE;
	if (v > SRTT_DECOMP_MAX_NS || v < -SRTT_DECOMP_MAX_NS)
		why |= SRTT_DECOMP_C_HUGE;
	return why;
}

static bool is_merged(uint16_t parts)
{
	unsigned int p, n = !!(parts & SRTT_DC_NETWORK);

	for (p = 0; p < SRTT_DC_N; p++)
		n += (parts & ~SRTT_DC_NETWORK & SRTT_DC_BIT(p)) != 0;
	return n > 1;
}

static void fill(struct srtt_decomp_comp *c, uint16_t parts, uint16_t missing,
		 int64_t v, uint64_t err)
{
	memset(c, 0, sizeof(*c));
	srtt_decomp_name(parts, c->name, sizeof(c->name));
	c->parts = parts;
	c->missing = missing;
	c->value_ns = v;
	c->err_ns = err;
	c->merged = is_merged(parts);
	c->why = why_impossible(v, err);
	c->impossible = c->why != 0;
}

static void add(struct srtt_decomp *d, uint16_t parts, uint16_t missing,
		int64_t v, uint64_t err)
{
	struct srtt_decomp_comp *c = &d->c[d->n++];

	fill(c, parts, missing, v, err);
	d->n_impossible += c->impossible;
}

/*
 * A part of the round trip cannot be longer than the round trip: one
 * whose smallest possible value (value - its bound) exceeds the largest
 * possible RTT (T4 - T1 + its bound) is impossible too.
 */
static void over_rtt(struct srtt_decomp *d)
{
	uint64_t lim;
	unsigned int i;

	if (d->rtt_ns < 0)
		return;
	lim = (uint64_t)d->rtt_ns + d->rtt_err_ns;
	for (i = 0; i < d->n; i++) {
		struct srtt_decomp_comp *c = &d->c[i];

		if (c->value_ns <= 0 || (uint64_t)c->value_ns <= c->err_ns ||
		    (uint64_t)c->value_ns - c->err_ns <= lim)
			continue;
		c->why |= SRTT_DECOMP_C_OVER_RTT;
		if (!c->impossible)
			d->n_impossible++;
		c->impossible = true;
	}
}

/* One component per pair of consecutive present points in [from, to]. */
static void add_run(struct srtt_decomp *d, int from, int to)
{
	int p, prev = from;

	for (p = from + 1; p <= to; p++) {
		if (!present(d, p))
			continue;
		add(d, gaps(prev, p), inside(prev, p),
		    d->pt_ns[p] - d->pt_ns[prev], pair_err(d, prev, p));
		prev = p;
	}
}

/*
 * The crossing points: a = last H before G, b = first H after G, g0/g1 =
 * first/last G (-1 without one). T1 and T4 make a and b exist.
 */
static void crossings(const struct srtt_decomp *d, int *a, int *b, int *g0,
		      int *g1)
{
	int p;

	*a = SRTT_DP_T1;
	for (p = SRTT_DP_T1; p <= SRTT_DP_H_TX_DRV_DONE; p++)
		if (present(d, p))
			*a = p;
	*b = SRTT_DP_T4;
	for (p = SRTT_DP_T4; p >= SRTT_DP_H_RX_FIRST; p--)
		if (present(d, p))
			*b = p;
	*g0 = *g1 = -1;
	for (p = SRTT_DP_G_RX_FIRST; p <= SRTT_DP_G_TX_DRV_DONE; p++) {
		if (!present(d, p))
			continue;
		if (*g0 < 0)
			*g0 = p;
		*g1 = p;
	}
}

static void build(struct srtt_decomp *d)
{
	int a, b, g0, g1;
	uint16_t parts, missing;
	int64_t v;
	uint64_t err;

	crossings(d, &a, &b, &g0, &g1);

	/* H, request leaving */
	add_run(d, SRTT_DP_T1, a);

	/* network: the H interval across G minus the G interval */
	if (g0 >= 0) {
		parts = gaps(a, g0) | gaps(g1, b);
		missing = inside(a, g0) | inside(g1, b);
		v = (d->pt_ns[b] - d->pt_ns[a]) - (d->pt_ns[g1] - d->pt_ns[g0]);
		/* pair_err() of two G points carries the rate's error */
		err = pair_err(d, a, b) + pair_err(d, g0, g1);
	} else {
		parts = gaps(a, b);
		missing = inside(a, b);
		v = d->pt_ns[b] - d->pt_ns[a];
		err = pair_err(d, a, b);
	}
	d->net = d->n;
	add(d, parts, missing, v, err);

	/* G, between its first and last point */
	if (g0 >= 0)
		add_run(d, g0, g1);

	/* H, reply arriving */
	add_run(d, b, SRTT_DP_T4);

	d->rtt_ns = d->pt_ns[SRTT_DP_T4] - d->pt_ns[SRTT_DP_T1];
	d->rtt_err_ns = pair_err(d, SRTT_DP_T1, SRTT_DP_T4);
	d->rtt_why = why_impossible(d->rtt_ns, d->rtt_err_ns);
	over_rtt(d);
	d->impossible = d->n_impossible || d->rtt_why;
}

static bool ns_in_range(int64_t ns)
{
	return ns > -SRTT_DECOMP_NS_LIMIT && ns < SRTT_DECOMP_NS_LIMIT;
}

static int collect(const struct srtt_decomp_in *in, struct srtt_decomp *out)
{
	bool cand_set[SRTT_DECOMP_NDOM][N_CAND] = { { false } };
	int64_t cand_ns[SRTT_DECOMP_NDOM][N_CAND];
	uint8_t cand_conv[SRTT_DECOMP_NDOM][N_CAND];
	const struct srtt_decomp_stamp *st;
	unsigned int dom, c, i;
	size_t k;
	int p;

	if (in->conv_err_ns[SRTT_DECOMP_CONV_NATIVE] ||
	    in->rate_err_ppb > 1000000000ULL ||
	    in->skew_ppb > 10000000LL || in->skew_ppb < -10000000LL)
		return -SRTT_DECOMP_EINVAL;
	out->rate_err_ppb = in->rate_err_ppb;
	out->skew_ppb = in->skew_ppb;
	for (c = 0; c < SRTT_DECOMP_MAX_CONV; c++) {
		if (in->conv_err_ns[c] > SRTT_DECOMP_ERR_LIMIT)
			return -SRTT_DECOMP_ERANGE;
		out->conv_err_ns[c] = in->conv_err_ns[c];
	}

	for (k = 0; k < in->n; k++) {
		st = &in->st[k];
		if (!st->valid)
			continue;
		if (st->dom >= SRTT_DECOMP_NDOM ||
		    st->conv >= SRTT_DECOMP_MAX_CONV)
			return -SRTT_DECOMP_EINVAL;
		p = map(st->dom, st->what, &i);
		if (p == MAP_BAD)
			return -SRTT_DECOMP_EINVAL;
		if (p == MAP_UNUSED) {
			out->ignored++;
			continue;
		}
		if (!ns_in_range(st->ns))
			return -SRTT_DECOMP_ERANGE;
		if (p == MAP_CAND) {
			/* a PHC stamp is another clock unless converted */
			if (st->what == SRTT_STAGE_RX_HW &&
			    st->conv == SRTT_DECOMP_CONV_NATIVE) {
				out->hw_unconverted++;
				continue;
			}
			if (cand_set[st->dom][i])
				return -SRTT_DECOMP_EDUP;
			cand_set[st->dom][i] = true;
			cand_ns[st->dom][i] = st->ns;
			cand_conv[st->dom][i] = st->conv;
			continue;
		}
		if (present(out, p))
			return -SRTT_DECOMP_EDUP;
		out->present |= SRTT_DP_BIT(p);
		out->pt_ns[p] = st->ns;
		out->pt_conv[p] = st->conv;
	}

	for (dom = 0; dom < SRTT_DECOMP_NDOM; dom++) {
		p = dom == DOM_H ? SRTT_DP_H_RX_FIRST : SRTT_DP_G_RX_FIRST;
		out->rx_first_stage[dom] = NO_STAGE;
		for (i = 0; i < N_CAND; i++) {
			if (!cand_set[dom][i])
				continue;
			out->present |= SRTT_DP_BIT(p);
			out->pt_ns[p] = cand_ns[dom][i];
			out->pt_conv[p] = cand_conv[dom][i];
			out->rx_first_stage[dom] = rx_first_order[i];
			break;
		}
	}
	if (!present(out, SRTT_DP_T1) || !present(out, SRTT_DP_T4))
		return -SRTT_DECOMP_ENOAPP;
	out->missing = (uint16_t)(~out->present & ALL_PTS);
	unskew(out);
	return 0;
}

int srtt_decomp(const struct srtt_decomp_in *in, struct srtt_decomp *out)
{
	int err;

	if (!out)
		return -SRTT_DECOMP_EINVAL;
	memset(out, 0, sizeof(*out));
	if (!in || (!in->st && in->n))
		return -SRTT_DECOMP_EINVAL;
	err = collect(in, out);
	if (err) {
		memset(out, 0, sizeof(*out));
		return err;
	}
	build(out);
	return 0;
}

int64_t srtt_decomp_sum(const struct srtt_decomp *d)
{
	uint64_t sum = 0;
	unsigned int i;

	/* partial sums may leave int64; the total is T4 - T1, which fits */
	for (i = 0; i < d->n; i++)
		sum += (uint64_t)d->c[i].value_ns;
	return (int64_t)sum;
}

int srtt_decomp_oneway(const struct srtt_decomp *d, int64_t theta_ns,
		       uint64_t theta_err_ns, struct srtt_decomp_oneway *out)
{
	int a, b, g0, g1;
	const uint64_t *e = d->conv_err_ns;
	const uint8_t *cv = d->pt_conv;

	memset(out, 0, sizeof(*out));
	crossings(d, &a, &b, &g0, &g1);
	if (g0 < 0)
		return -SRTT_DECOMP_ENOGUEST;
	if (!ns_in_range(theta_ns) || theta_err_ns > SRTT_DECOMP_ERR_LIMIT)
		return -SRTT_DECOMP_ERANGE;
	fill(&out->fwd, gaps(a, g0), inside(a, g0),
	     (d->pt_ns[g0] - theta_ns) - d->pt_ns[a],
	     theta_err_ns + e[cv[a]] + e[cv[g0]]);
	fill(&out->rev, gaps(g1, b), inside(g1, b),
	     d->pt_ns[b] - (d->pt_ns[g1] - theta_ns),
	     theta_err_ns + e[cv[g1]] + e[cv[b]]);
	return 0;
}

/* error of pt[j] - pt[i] as one side of an exchange, see offset.h */
static uint64_t side_err(const struct srtt_decomp *d, int i, int j)
{
	const uint64_t *e = d->conv_err_ns;

	if (d->pt_conv[i] == d->pt_conv[j])
		return e[d->pt_conv[i]];
	return e[d->pt_conv[i]] + e[d->pt_conv[j]];
}

int srtt_decomp_exchange(const struct srtt_decomp *d,
			 struct srtt_offset_sample *s)
{
	int a, b, g0, g1;

	memset(s, 0, sizeof(*s));
	crossings(d, &a, &b, &g0, &g1);
	if (g0 < 0)
		return -SRTT_DECOMP_ENOGUEST;
	s->t1 = d->pt_ns[a];
	s->t2 = d->pt_ns[g0];
	s->t3 = d->pt_ns[g1];
	s->t4 = d->pt_ns[b];
	s->err_ns = side_err(d, a, b) + side_err(d, g0, g1);
	return 0;
}

void srtt_decomp_h_span(const struct srtt_decomp *d, int64_t *lo, int64_t *hi)
{
	int a, b, g0, g1;

	crossings(d, &a, &b, &g0, &g1);
	/* widened by the end points' own conversion errors */
	*lo = d->pt_ns[a] - (int64_t)d->conv_err_ns[d->pt_conv[a]];
	*hi = d->pt_ns[b] + (int64_t)d->conv_err_ns[d->pt_conv[b]];
}

void srtt_decomp_g_span(const struct srtt_decomp *d, int64_t *lo, int64_t *hi)
{
	int a, b, g0, g1;

	crossings(d, &a, &b, &g0, &g1);
	*lo = g0 < 0 ? 0 : d->pt_ns[g0];
	*hi = g1 < 0 ? 0 : d->pt_ns[g1];
}

int srtt_decomp_oneway_est(const struct srtt_decomp *d,
			   const struct srtt_offset_est *est,
			   struct srtt_decomp_oneway *out)
{
	int64_t lo, hi, theta;
	int a, b, g0, g1;
	uint64_t bound;

	memset(out, 0, sizeof(*out));
	crossings(d, &a, &b, &g0, &g1);
	if (g0 < 0)
		return -SRTT_DECOMP_ENOGUEST;
	srtt_decomp_h_span(d, &lo, &hi);
	if (srtt_offset_span(est, lo, hi, &theta, &bound))
		return -SRTT_DECOMP_ERANGE;
	return srtt_decomp_oneway(d, theta, bound, out);
}
