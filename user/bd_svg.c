// SPDX-License-Identifier: GPL-2.0
/*
 * sriov-rtt: a run as an SVG chart (breakdown.h), two panels:
 *
 *   over time: a column per packet in send order, its components
 *   stacked in path order (packets on x, us on y): jitter shows in the
 *   component it comes from. A packet lost, not decomposed or with an
 *   impossible component has no column and a mark on the axis instead.
 *   the RTT: its distribution (CDF, us on x), and under it the
 *   components' medians stacked on the same scale.
 *
 * One colour per component in both, a legend beside them; axes with
 * units; everything inside the viewBox.
 */

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bd_priv.h"
#include "breakdown.h"

const char * const bd_svg_colours[BD_SVG_NCOLOURS] = {
	"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
	"#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
	/* two more: the model has twelve components */
	"#1f3b57", "#d4a6c8",
};

void bd_svg_text(FILE *fp, const char *s)
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

#define X0	70.0	/* the y axes */
#define PW	640.0	/* the panels' width */
#define T_Y	50.0	/* over time: top */
#define T_H	260.0
#define C_Y	(T_Y + T_H + 80)	/* the CDF: top */
#define C_H	200.0
#define M_H	16.0	/* the medians' bar under the CDF */
#define CHAR_W	7.0

double bd_svg_tick_step(double max)
{
	double p = pow(10, floor(log10(max > 0 ? max : 1))), s;

	for (s = p / 10;; s *= 10) {
		if (max / s <= 6)
			return s;
		if (max / (2 * s) <= 6)
			return 2 * s;
		if (max / (5 * s) <= 6)
			return 5 * s;
	}
}

static void line(FILE *fp, double x1, double y1, double x2, double y2,
		 const char *colour)
{
	fprintf(fp, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>\n",
		x1, y1, x2, y2, colour);
}

/* A vertical (@vert) or horizontal axis of ns from 0 to @max at @y0 */
static void us_axis(FILE *fp, bool vert, double top, double len, double max)
{
	double step = bd_svg_tick_step(max), t, at;

	for (t = 0; t <= max * 1.0001; t += step) {
		if (vert) {
			at = top + len - t / max * len;
			line(fp, X0, at, X0 + PW, at, "#e4e4e4");
			fprintf(fp, "<text x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\">%g</text>\n",
				X0 - 6, at + 4, t / 1000);
		} else {
			at = X0 + t / max * PW;
			line(fp, at, top, at, top + len, "#e4e4e4");
			fprintf(fp, "<text x=\"%.1f\" y=\"%.0f\" text-anchor=\"middle\">%g</text>\n",
				at, top + len + 14, t / 1000);
		}
	}
}

static const struct srtt_decomp_comp *pkt_comp(const struct bd_pkt *p,
					       uint16_t parts)
{
	unsigned int j;

	for (j = 0; j < p->d.n; j++)
		if (p->d.c[j].parts == parts)
			return &p->d.c[j];
	return NULL;
}

/* A packet drawn as a column: decomposed, nothing impossible */
static bool drawn(const struct bd_pkt *p)
{
	return (p->flags & BD_RECEIVED) && !(p->flags & BD_DECOMP_ERR) &&
	       !p->d.impossible && p->d.rtt_ns > 0;
}

/*
 * over time: one <path> per component, a rectangle per packet on top of
 * the components before it (@base[i]: packet i's stack so far, zeroed)
 */
static void over_time(const struct bd_run *r, FILE *fp, double ymax,
		      double *base)
{
	double w = PW / (double)(r->count ? r->count : 1), x, v, step, t;
	const struct srtt_decomp_comp *c;
	uint64_t i, missing = 0;
	unsigned int k;

	us_axis(fp, true, T_Y, T_H, ymax);
	for (k = 0; k < r->ncomp; k++) {
		fprintf(fp, "<path fill=\"%s\" d=\"",
			bd_svg_colours[k % BD_SVG_NCOLOURS]);
		for (i = 0; i < r->count; i++) {
			if (!drawn(&r->p[i]))
				continue;
			c = pkt_comp(&r->p[i], r->comp[k].parts);
			if (!c || c->value_ns <= 0)
				continue;
			v = (double)c->value_ns;
			x = X0 + (double)i * w;
			fprintf(fp, "M%.2f %.2fh%.2fv%.2fh%.2fz", x,
				T_Y + T_H - (base[i] + v) / ymax * T_H,
				w, v / ymax * T_H, -w);
			base[i] += v;
		}
		fprintf(fp, "\"><title>");
		bd_svg_text(fp, r->comp[k].name);
		fputs("</title></path>\n", fp);
	}
	/* the packets without a column: a grey tick under the axis */
	fputs("<path stroke=\"#888\" d=\"", fp);
	for (i = 0; i < r->count; i++)
		if (!drawn(&r->p[i])) {
			fprintf(fp, "M%.2f %.0fv6", X0 + ((double)i + 0.5) * w,
				T_Y + T_H + 2);
			missing++;
		}
	fputs("\"/>\n", fp);
	line(fp, X0, T_Y, X0, T_Y + T_H, "#000");
	line(fp, X0, T_Y + T_H, X0 + PW, T_Y + T_H, "#000");
	/* packet numbers, from 0 */
	step = bd_svg_tick_step((double)r->count);
	for (t = 0; t <= (double)r->count; t += step)
		fprintf(fp, "<text x=\"%.1f\" y=\"%.0f\" text-anchor=\"middle\">%.0f</text>\n",
			X0 + t * w, T_Y + T_H + 20, t);
	fprintf(fp, "<text x=\"10\" y=\"%.0f\" font-size=\"14\">Each packet's components, stacked, in send order (%" PRIu64 " packets",
		T_Y - 12, r->count);
	if (missing)
		fprintf(fp, "; %" PRIu64 " lost, not decomposed or impossible: grey ticks",
			missing);
	fputs(")</text>\n", fp);
	fprintf(fp, "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"middle\">packet (send order)</text>\n",
		X0 + PW / 2, T_Y + T_H + 36);
	fprintf(fp, "<text x=\"16\" y=\"%.0f\" transform=\"rotate(-90 16 %.0f)\" text-anchor=\"middle\">us</text>\n",
		T_Y + T_H / 2, T_Y + T_H / 2);
}

/* the RTT's CDF, and the components' medians stacked beneath it */
static void cdf(const struct bd_run *r, FILE *fp, double xmax)
{
	double x = X0, y, w;
	const struct bd_comp *c;
	unsigned int k;
	size_t i;
	char us[32];

	fprintf(fp, "<text x=\"10\" y=\"%.0f\" font-size=\"14\">RTT distribution (%zu replies), component medians stacked under it</text>\n",
		C_Y - 12, r->rtt.n);
	us_axis(fp, false, C_Y, C_H + M_H + 8, xmax);
	for (i = 0; i <= 4; i++) {
		y = C_Y + C_H - (double)i / 4 * C_H;
		fprintf(fp, "<text x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\">%.2f</text>\n",
			X0 - 6, y + 4, (double)i / 4);
	}
	fputs("<path fill=\"none\" stroke=\"#000\" stroke-width=\"1.5\" d=\"", fp);
	for (i = 0; i < r->rtt.n; i++) {
		double vx = X0 + (double)r->rtt.v[i] / xmax * PW;

		/* a step: across to the value, then up by one reply */
		if (!i)
			fprintf(fp, "M%.2f %.2f", vx, C_Y + C_H);
		else
			fprintf(fp, "H%.2f", vx);
		fprintf(fp, "V%.2f",
			C_Y + C_H - (double)(i + 1) / (double)r->rtt.n * C_H);
	}
	fputs("\"><title>RTT CDF</title></path>\n", fp);
	line(fp, X0, C_Y, X0, C_Y + C_H, "#000");
	line(fp, X0, C_Y + C_H, X0 + PW, C_Y + C_H, "#000");
	for (k = 0; k < r->ncomp; k++) {
		c = &r->comp[k];
		if (!c->n || bd_comp_stat(c, BD_COL_P50) <= 0)
			continue;
		w = (double)bd_comp_stat(c, BD_COL_P50) / xmax * PW;
		fprintf(fp, "<rect x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"%.0f\" fill=\"%s\"><title>",
			x, C_Y + C_H + 6, w, M_H,
			bd_svg_colours[k % BD_SVG_NCOLOURS]);
		bd_svg_text(fp, c->name);
		fprintf(fp, " p50 %s us</title></rect>\n",
			bd_us_str(bd_comp_stat(c, BD_COL_P50), us, sizeof(us)));
		x += w;
	}
	fprintf(fp, "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"middle\">us</text>\n",
		X0 + PW / 2, C_Y + C_H + M_H + 36);
	fprintf(fp, "<text x=\"16\" y=\"%.0f\" transform=\"rotate(-90 16 %.0f)\" text-anchor=\"middle\">fraction of replies</text>\n",
		C_Y + C_H / 2, C_Y + C_H / 2);
}

/* a line per component: its colour, name, p50 (and p99 where supported) */
static void legend(const struct bd_run *r, FILE *fp, double x)
{
	const struct bd_comp *c;
	unsigned int k;
	char us[32];

	fprintf(fp, "<text x=\"%.0f\" y=\"%.0f\" font-size=\"14\">Components, p50 and p99 in us</text>\n",
		x, T_Y - 12);
	for (k = 0; k < r->ncomp; k++) {
		double y = T_Y + 10 + 18.0 * k;

		c = &r->comp[k];
		fprintf(fp, "<rect x=\"%.0f\" y=\"%.0f\" width=\"12\" height=\"12\" fill=\"%s\"/>\n<text x=\"%.0f\" y=\"%.0f\">",
			x, y - 10, bd_svg_colours[k % BD_SVG_NCOLOURS], x + 18, y);
		bd_svg_text(fp, c->name);
		if (c->n)
			fprintf(fp, " p50 %s",
				bd_us_str(bd_comp_stat(c, BD_COL_P50), us, sizeof(us)));
		if (c->n && bd_comp_supported(c, BD_COL_P99))
			fprintf(fp, " p99 %s",
				bd_us_str(bd_comp_stat(c, BD_COL_P99), us, sizeof(us)));
		if (c->impossible)
			fprintf(fp, " (%zu impossible)", c->impossible);
		fputs("</text>\n", fp);
	}
}

static size_t legend_chars(const struct bd_run *r)
{
	size_t n = 30, k;

	for (k = 0; k < r->ncomp; k++)
		if (strlen(r->comp[k].name) + 34 > n)
			n = strlen(r->comp[k].name) + 34;
	return n;
}

/* the tallest column over time, in ns */
static double column_max(const struct bd_run *r)
{
	double m = 0, s;
	unsigned int k;
	uint64_t i;

	for (i = 0; i < r->count; i++) {
		if (!drawn(&r->p[i]))
			continue;
		s = 0;
		for (k = 0; k < r->p[i].d.n; k++)
			if (r->p[i].d.c[k].value_ns > 0)
				s += (double)r->p[i].d.c[k].value_ns;
		m = s > m ? s : m;
	}
	return m;
}

int bd_write_svg(const struct bd_run *r, FILE *fp)
{
	double ymax = column_max(r), xmax = 0, med = 0, width, height, *base;
	unsigned int k;

	for (k = 0; k < r->ncomp; k++)
		if (r->comp[k].n && bd_comp_stat(&r->comp[k], BD_COL_P50) > 0)
			med += (double)bd_comp_stat(&r->comp[k], BD_COL_P50);
	if (r->rtt.n)
		xmax = (double)r->rtt.v[r->rtt.n - 1];
	xmax = (xmax > med ? xmax : med) * 1.05;
	xmax = xmax > 0 ? xmax : 1000;
	ymax = ymax > 0 ? ymax * 1.05 : 1000;
	width = X0 + PW + 30 + CHAR_W * (double)legend_chars(r);
	height = C_Y + C_H + M_H + 50;
	if (T_Y + 18.0 * r->ncomp + 20 > height)
		height = T_Y + 18.0 * r->ncomp + 20;
	fprintf(fp, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" font-family=\"sans-serif\" font-size=\"12\">\n",
		width, height, width, height);
	fputs("<title>sriov-rtt: a run's RTT components</title>\n<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n",
	      fp);
	base = calloc(r->count ? r->count : 1, sizeof(*base));
	if (!base)
		return -ENOMEM;
	over_time(r, fp, ymax, base);
	free(base);
	cdf(r, fp, xmax);
	legend(r, fp, X0 + PW + 30);
	fputs("</svg>\n", fp);
	if (fflush(fp) || ferror(fp))
		return -(errno ? errno : EIO);
	return 0;
}
