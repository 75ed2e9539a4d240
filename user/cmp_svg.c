// SPDX-License-Identifier: GPL-2.0
/*
 * sriov-rtt compare --svg: a bar per run, the medians of its components
 * stacked in path order (one colour per component in every run), the
 * run's RTT p50 and p90 marked across its bar. A median is not additive:
 * the stack's top and the RTT's p50 line differ, and the chart says so.
 * Everything, legend included, lies inside the viewBox.
 */

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "bd_priv.h"
#include "compare.h"

#define PLOT_X	70.0	/* the y axis */
#define PLOT_Y	56.0	/* the plot's top */
#define PLOT_H	300.0
#define SLOT	64.0	/* a run's width */
#define BAR_W	36.0
/* text of 12 px: about 7 px a character, at most */
#define CHAR_W	7.0

static double stack_top(const struct cmp_run *run, const struct cmp_row *rows,
			unsigned int nrows)
{
	const struct bd_comp *c;
	double top = 0;
	unsigned int i;

	for (i = 1; i < nrows; i++) {
		c = cmp_find(&run->r, &rows[i]);
		if (c && bd_comp_stat(c, BD_COL_P50) > 0)
			top += (double)bd_comp_stat(c, BD_COL_P50);
	}
	return top;
}

/* The RTT's p90 in ns, or -1 when the sample does not support it */
static double rtt_p90(const struct bd_run *r)
{
	if (!r->rtt.n || !bd_comp_supported(&r->rtt, BD_COL_P50 + 1))
		return -1;
	return (double)bd_comp_stat(&r->rtt, BD_COL_P50 + 1);
}

static void axis(FILE *fp, double ymax, double width)
{
	double step = bd_svg_tick_step(ymax), t;

	for (t = 0; t <= ymax * 1.0001; t += step) {
		double y = PLOT_Y + PLOT_H - t / ymax * PLOT_H;

		fprintf(fp, "<line x1=\"%.0f\" y1=\"%.1f\" x2=\"%.0f\" y2=\"%.1f\" stroke=\"#ddd\"/>\n",
			PLOT_X, y, width, y);
		fprintf(fp, "<text x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\">%g</text>\n",
			PLOT_X - 6, y + 4, t / 1000);
	}
	fprintf(fp, "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" stroke=\"#000\"/>\n",
		PLOT_X, PLOT_Y, PLOT_X, PLOT_Y + PLOT_H);
	fprintf(fp, "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" stroke=\"#000\"/>\n",
		PLOT_X, PLOT_Y + PLOT_H, width, PLOT_Y + PLOT_H);
	fprintf(fp, "<text x=\"16\" y=\"%.0f\" transform=\"rotate(-90 16 %.0f)\" text-anchor=\"middle\">us</text>\n",
		PLOT_Y + PLOT_H / 2, PLOT_Y + PLOT_H / 2);
}

static double y_of(double ns, double ymax)
{
	return PLOT_Y + PLOT_H - ns / ymax * PLOT_H;
}

static void mark(FILE *fp, double x, double ns, double ymax, const char *dash,
		 const char *what)
{
	char us[32];

	fprintf(fp, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#000\" stroke-width=\"2\"%s><title>RTT %s %s us</title></line>\n",
		x - 6, y_of(ns, ymax), x + BAR_W + 6, y_of(ns, ymax), dash,
		what, bd_us_str((int64_t)ns, us, sizeof(us)));
}

static void bar(FILE *fp, const struct cmp_run *run, unsigned int k,
		const struct cmp_row *rows, unsigned int nrows, double ymax)
{
	double x = PLOT_X + 20 + k * SLOT, base = 0, h, p90;
	const struct bd_comp *c;
	unsigned int i;
	char us[32];

	for (i = 1; i < nrows; i++) {
		c = cmp_find(&run->r, &rows[i]);
		if (!c || bd_comp_stat(c, BD_COL_P50) <= 0)
			continue;
		h = (double)bd_comp_stat(c, BD_COL_P50);
		fprintf(fp, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.0f\" height=\"%.2f\" fill=\"%s\"><title>",
			x, y_of(base + h, ymax), BAR_W, h / ymax * PLOT_H,
			bd_svg_colours[(i - 1) % BD_SVG_NCOLOURS]);
		bd_svg_text(fp, run->label);
		fputs(": ", fp);
		bd_svg_text(fp, rows[i].name);
		fprintf(fp, " p50 %s us</title></rect>\n",
			bd_us_str(bd_comp_stat(c, BD_COL_P50), us, sizeof(us)));
		base += h;
	}
	if (run->r.rtt.n)
		mark(fp, x, (double)bd_comp_stat(&run->r.rtt, BD_COL_P50), ymax,
		     "", "p50");
	p90 = rtt_p90(&run->r);
	if (p90 >= 0)
		mark(fp, x, p90, ymax, " stroke-dasharray=\"4 3\"", "p90");
	fprintf(fp, "<text x=\"%.1f\" y=\"%.0f\" text-anchor=\"end\" transform=\"rotate(-40 %.1f %.0f)\">",
		x + BAR_W / 2, PLOT_Y + PLOT_H + 16, x + BAR_W / 2,
		PLOT_Y + PLOT_H + 16);
	bd_svg_text(fp, run->label);
	fputs("</text>\n", fp);
}

static void legend(FILE *fp, const struct cmp_row *rows, unsigned int nrows,
		   double x)
{
	unsigned int i;
	double y = PLOT_Y + 12;

	fprintf(fp, "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" stroke=\"#000\" stroke-width=\"2\"/>\n<text x=\"%.0f\" y=\"%.0f\">RTT p50</text>\n",
		x, y - 4, x + 14, y - 4, x + 20, y);
	y += 18;
	fprintf(fp, "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" stroke=\"#000\" stroke-width=\"2\" stroke-dasharray=\"4 3\"/>\n<text x=\"%.0f\" y=\"%.0f\">RTT p90 (from 10 replies)</text>\n",
		x, y - 4, x + 14, y - 4, x + 20, y);
	for (i = nrows; i-- > 1;) {
		y += 18;
		fprintf(fp, "<rect x=\"%.0f\" y=\"%.0f\" width=\"12\" height=\"12\" fill=\"%s\"/>\n<text x=\"%.0f\" y=\"%.0f\">",
			x, y - 10, bd_svg_colours[(i - 1) % BD_SVG_NCOLOURS],
			x + 20, y);
		bd_svg_text(fp, rows[i].name);
		fputs("</text>\n", fp);
	}
}

int cmp_write_svg(const struct cmp_run *runs, unsigned int n,
		  const struct cmp_row *rows, unsigned int nrows, FILE *fp)
{
	double ymax = 0, v, plot_w = 20 + n * SLOT, width, height;
	double leg_w = 200, label_h = 0;
	unsigned int k;

	for (k = 0; k < n; k++) {
		v = stack_top(&runs[k], rows, nrows);
		ymax = v > ymax ? v : ymax;
		v = rtt_p90(&runs[k].r);
		ymax = v > ymax ? v : ymax;
		if (runs[k].r.rtt.n) {
			v = (double)bd_comp_stat(&runs[k].r.rtt, BD_COL_P50);
			ymax = v > ymax ? v : ymax;
		}
	}
	ymax = ymax > 0 ? ymax * 1.05 : 1000;
	/* the legend as wide as its longest name, the labels slanted 40 deg */
	for (k = 1; k < nrows; k++)
		leg_w = fmax(leg_w, 20 + CHAR_W * (double)strlen(rows[k].name));
	for (k = 0; k < n; k++)
		label_h = fmax(label_h, 24 + CHAR_W * 0.643 *
			       (double)strlen(runs[k].label));
	width = PLOT_X + plot_w + 30 + leg_w + 10;
	/* the subtitle's line, 80 characters */
	if (width < 20 + CHAR_W * 80)
		width = 20 + CHAR_W * 80;
	height = PLOT_Y + PLOT_H + label_h + 10;
	if (PLOT_Y + 18.0 * (nrows + 2) + 32 > height)
		height = PLOT_Y + 18.0 * (nrows + 2) + 32;
	fprintf(fp, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" font-family=\"sans-serif\" font-size=\"12\">\n",
		width, height, width, height);
	fprintf(fp, "<title>sriov-rtt compare: component medians per run</title>\n<rect width=\"100%%\" height=\"100%%\" fill=\"#fff\"/>\n");
	fputs("<text x=\"10\" y=\"20\" font-size=\"14\">Component medians per run, stacked in path order</text>\n", fp);
	fputs("<text x=\"10\" y=\"38\">Medians do not add up: the stack's top is not the RTT's p50 (the black line).</text>\n",
	      fp);
	axis(fp, ymax, PLOT_X + plot_w);
	for (k = 0; k < n; k++)
		bar(fp, &runs[k], k, rows, nrows, ymax);
	legend(fp, rows, nrows, PLOT_X + plot_w + 30);
	fputs("</svg>\n", fp);
	if (fflush(fp) || ferror(fp))
		return -(errno ? errno : EIO);
	return 0;
}
