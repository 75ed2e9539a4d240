// SPDX-License-Identifier: GPL-2.0
/*
 * sriov-rtt: do the printed bounds hold? Synthetic runs with known
 * truth, through the whole pipeline `report` runs (CSV -> decomposition
 * -> offset windows -> one-way split): the sender's clock H is true
 * time, the reflector's clock G = theta0 + t + the integral of its rate
 * difference, which may step in the middle of a run (an NTP frequency
 * correction). For every reply the forward one-way delay and the network
 * component must lie within their printed bounds of the truth, for at
 * least 99 % of the replies of each run; a value flagged impossible
 * counts as outside.
 */

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

#include "util.h"
#include "breakdown.h"

struct scenario {
	const char	*name;
	unsigned int	n;		/* replies */
	int64_t		interval_ns;
	double		skew1_ppm;	/* G's rate - H's, first half */
	double		skew2_ppm;	/* from step_at on */
	double		step_at;	/* fraction of the run */
	int64_t		fwd_ns, rev_ns;	/* one-way delays */
	int64_t		hold_ns;	/* the reflector's time */
	unsigned int	held_every;	/* every N-th reply held held_ns */
	int64_t		held_ns;
	int64_t		jitter_ns;	/* added to each way, pseudo-random */
	int64_t		stack_ns;	/* each stack and driver step; 0: 10 us */
};

static uint64_t rng_state = 0x2545f4914f6cdd1dULL;

static uint64_t rng(void)
{
	return ktap_xorshift(&rng_state);
}

/* G's clock at true (H) time @t */
static int64_t g_clock(const struct scenario *sc, int64_t t0, int64_t t_end,
		       int64_t t)
{
	long double step = t0 + sc->step_at * (long double)(t_end - t0);
	long double g = 5000000000000LL + (long double)t;

	if (t < step)
		g += sc->skew1_ppm * 1e-6L * (t - t0);
	else
		g += sc->skew1_ppm * 1e-6L * (step - t0) +
		     sc->skew2_ppm * 1e-6L * (t - step);
	return (int64_t)(g + 0.5L);
}

struct truth {
	int64_t	fwd, net;
};

/* The run as `probe --csv` writes it, and the truth of every reply. */
static char *run_csv(const struct scenario *sc, struct truth *tr)
{
	size_t size = (size_t)sc->n * 400 + 512, off;
	int64_t t0 = 1000000000LL, t_end = t0 + sc->n * sc->interval_ns;
	int64_t st = sc->stack_ns ? sc->stack_ns : 10000;
	char *buf = malloc(size);
	unsigned int i;

	if (!buf)
		abort();
	off = (size_t)snprintf(buf, size, "%s",
		"seq,flags,t1_ns,t2_ns,t3_ns,t4_ns,h_conv_err_ns,g_conv_err_ns,"
		"h_tx_drv_ns,h_tx_drv_done_ns,h_rx_irq_ns,h_rx_drv_ns,"
		"g_rx_irq_ns,g_rx_drv_ns,g_tx_drv_ns,g_tx_drv_done_ns\n");
	for (i = 0; i < sc->n; i++) {
		int64_t fwd = sc->fwd_ns, rev = sc->rev_ns, hold = sc->hold_ns;
		int64_t t1, htx, htxd, grxi, grxd, t2, t3, gtx, gtxd, hrxi, hrxd, t4;

		if (sc->jitter_ns) {
			fwd += (int64_t)(rng() % (uint64_t)sc->jitter_ns);
			rev += (int64_t)(rng() % (uint64_t)sc->jitter_ns);
		}
		if (sc->held_every && i % sc->held_every == sc->held_every - 1)
			hold = sc->held_ns;
		t1 = t0 + i * sc->interval_ns;
		htx = t1 + st;
		htxd = htx + st;
		grxi = htxd + fwd;
		grxd = grxi + st;
		t2 = grxd + st;
		t3 = t2 + hold;
		gtx = t3 + st;
		gtxd = gtx + st;
		hrxi = gtxd + rev;
		hrxd = hrxi + st;
		t4 = hrxd + st;
		/*
		 * tx_drv_done is beside the path: the drivers' TX parts are
		 * in the network component and the forward one-way value
		 */
		tr[i].fwd = st + fwd;
		tr[i].net = st + fwd + rev + st;
		off += (size_t)snprintf(buf + off, size - off,
			"%u,sent|received|g_mono|other_boot,%" PRId64 ",%" PRId64
			",%" PRId64 ",%" PRId64 ",0,0,%" PRId64 ",%" PRId64
			",%" PRId64 ",%" PRId64 ",%" PRId64 ",%" PRId64 ",%" PRId64
			",%" PRId64 "\n", i, t1,
			g_clock(sc, t0, t_end, t2), g_clock(sc, t0, t_end, t3),
			t4, htx, htxd, hrxi, hrxd,
			g_clock(sc, t0, t_end, grxi), g_clock(sc, t0, t_end, grxd),
			g_clock(sc, t0, t_end, gtx), g_clock(sc, t0, t_end, gtxd));
	}
	return buf;
}

static int load(struct bd_run *r, const char *text)
{
	char path[] = "/tmp/test_truth.XXXXXX";
	int fd = mkstemp(path), err;
	FILE *fp;

	if (fd < 0)
		abort();
	fp = fdopen(fd, "w");
	if (!fp)
		abort();
	fputs(text, fp);
	fclose(fp);
	memset(r, 0, sizeof(*r));
	err = bd_read_csv(r, path, "report");
	unlink(path);
	return err;
}

static const struct srtt_decomp_comp *network(const struct bd_pkt *p)
{
	return p->d.n ? &p->d.c[p->d.net] : NULL;
}

/* within(value, err, truth): the printed interval holds the truth */
static bool within(const struct srtt_decomp_comp *c, int64_t truth)
{
	int64_t d = c->value_ns - truth;

	return !c->impossible && (uint64_t)(d < 0 ? -d : d) <= c->err_ns;
}

/*
 * The JSON's skew_max_ppb bounds the skew by which every packet's G
 * intervals went into H time (a check of T3 - T2 against the components
 * between them leans on it); once a rate step is cut into windows of
 * their own, it is the larger rate, not the shown window's.
 */
static void skew_max_bounds(const struct scenario *sc, struct bd_run *r)
{
	double big = fabs(sc->skew1_ppm) > fabs(sc->skew2_ppm) ?
		     fabs(sc->skew1_ppm) : fabs(sc->skew2_ppm);
	int64_t max = INT64_MIN;
	struct srtt_mem mem;
	unsigned int i, over = 0;
	const char *k;
	char *out;

	bd_print(srtt_mem_begin(&mem, true, false), r, "report");
	out = srtt_mem_end(&mem);
	k = strstr(out, "\"skew_max_ppb\":");
	if (k)
		max = strtoll(k + strlen("\"skew_max_ppb\":"), NULL, 10);
	free(out);
	for (i = 0; i < r->count; i++)
		over += llabs(r->p[i].skew_ppb) > max;
	KTAP_EXPECT(max != INT64_MIN && !over, "%s: skew_max_ppb %" PRId64
		    ", %u packets converted by a larger skew", sc->name, max,
		    over);
	if (sc->skew1_ppm != sc->skew2_ppm && r->nest > 1)
		KTAP_EXPECT(max >= big * 900, "%s: skew_max_ppb %" PRId64
			    " in %zu windows after a step to %.0f ppm", sc->name, max,
			    r->nest, big);
}

static void check(const struct scenario *sc)
{
	struct truth *tr = calloc(sc->n, sizeof(*tr));
	unsigned int i, fwd_in = 0, net_in = 0, fwd_n = 0;
	uint64_t fwd_err = 0;
	struct bd_run r;
	char *csv;

	if (!tr)
		abort();
	csv = run_csv(sc, tr);
	KTAP_EXPECT_EQ(load(&r, csv), 0);
	free(csv);
	KTAP_EXPECT_EQ(bd_analyse(&r), 0);
	for (i = 0; i < sc->n && i < r.count; i++) {
		const struct bd_pkt *p = &r.p[i];
		const struct srtt_decomp_comp *nc = network(p);

		if (nc && within(nc, tr[i].net))
			net_in++;
		if (!p->oneway_ok)
			continue;
		fwd_n++;
		fwd_in += within(&p->ow.fwd, tr[i].fwd);
		if (p->ow.fwd.err_ns > fwd_err)
			fwd_err = p->ow.fwd.err_ns;
	}
	skew_max_bounds(sc, &r);
	KTAP_DIAG("%s: forward inside its bound %u of %u (%u with a one-way "
		  "value), network %u of %u; largest forward bound %" PRIu64
		  " ns", sc->name, fwd_in, sc->n, fwd_n, net_in, sc->n, fwd_err);
	KTAP_EXPECT(fwd_in * 100 >= sc->n * 99, "%s: forward %u of %u",
		    sc->name, fwd_in, sc->n);
	KTAP_EXPECT(net_in * 100 >= sc->n * 99, "%s: network %u of %u",
		    sc->name, net_in, sc->n);
	bd_free(&r);
	free(tr);
}

#define US	1000LL
#define MS	1000000LL

#define RUN(nm, cnt, ivl, s1, s2, at, f, rv, h)				\
	.name = nm, .n = cnt, .interval_ns = ivl, .skew1_ppm = s1,	\
	.skew2_ppm = s2, .step_at = at, .fwd_ns = f, .rev_ns = rv,	\
	.hold_ns = h

static const struct scenario runs[] = {
	{ RUN("skew 0", 256, 20 * MS, 0, 0, 0, 50 * US, 50 * US, 30 * US) },
	{ RUN("skew 50 ppm", 256, 20 * MS, 50, 50, 0, 50 * US, 50 * US, 30 * US) },
	{ RUN("skew 500 ppm", 256, 20 * MS, 500, 500, 0, 50 * US, 50 * US,
	      30 * US) },
	{ RUN("skew -300 ppm, asymmetric 90/10 us", 256, 20 * MS, -300, -300,
	      0, 90 * US, 10 * US, 30 * US) },
	{ RUN("2 ppm rate step mid-run, 1 us paths", 64, 20 * MS, 10, 12, 0.5,
	      1 * US, 1 * US, 2 * US), .stack_ns = 200 },
	{ RUN("20 ppm rate step mid-run", 256, 20 * MS, 0, 20, 0.5, 20 * US,
	      20 * US, 30 * US) },
	{ RUN("300 ppm, every 16th reply held 1.5 s", 128, 20 * MS, 300, 300,
	      0, 50 * US, 50 * US, 30 * US),
	  .held_every = 16, .held_ns = 1500 * MS },
	{ RUN("100 ppm, jitter 0-400 us each way", 256, 20 * MS, 100, 100, 0,
	      30 * US, 30 * US, 30 * US), .jitter_ns = 400 * US },
	{ RUN("slow probes: 1 s apart, 50 ppm", 64, 1000 * MS, 50, 50, 0,
	      50 * US, 50 * US, 30 * US) },
	{ RUN("2 ppm rate step, 100 ms apart, 1 us paths", 64, 100 * MS, 10, 12,
	      0.5, 1 * US, 1 * US, 2 * US), .stack_ns = 200 },
	{ RUN("300 ppm, 8 replies, every 4th held 1.5 s, jitter 0-200 us", 8,
	      20 * MS, 300, 300, 0, 20 * US, 20 * US, 30 * US),
	  .held_every = 4, .held_ns = 1500 * MS, .jitter_ns = 200 * US },
	{ RUN("20 ppm rate step, 250 ms apart", 64, 250 * MS, -20, 0, 0.5,
	      5 * US, 5 * US, 10 * US), .stack_ns = 1000 },
};

#define CASE(i)								\
	static void run_##i(void) { check(&runs[i]); }
CASE(0) CASE(1) CASE(2) CASE(3) CASE(4) CASE(5) CASE(6) CASE(7) CASE(8)
CASE(9) CASE(10) CASE(11)

static const struct ktap_case cases[] = {
	{ "skew 0", run_0 },
	{ "skew 50 ppm", run_1 },
	{ "skew 500 ppm", run_2 },
	{ "skew -300 ppm, asymmetric", run_3 },
	{ "2 ppm rate step, tiny paths", run_4 },
	{ "20 ppm rate step", run_5 },
	{ "300 ppm, held 1.5 s", run_6 },
	{ "100 ppm, jitter", run_7 },
	{ "slow probes, 1 s apart", run_8 },
	{ "2 ppm rate step, 6.4 s run", run_9 },
	{ "300 ppm, few replies, held 1.5 s", run_10 },
	{ "20 ppm rate step, 16 s run", run_11 },
};

int main(void)
{
	return KTAP_RUN(cases);
}
