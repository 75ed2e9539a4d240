// SPDX-License-Identifier: GPL-2.0
/*
 * sriov-rtt compare: saved runs lined up by component. The CSVs are
 * written here as `probe` writes them (one kernel, offset 0 exactly), so
 * every figure is known: a run whose guest interrupt takes 1 us longer
 * moves that component by exactly 1 us and nothing else; a run without
 * the guest's rx_irq has the merged component and lacks the two it
 * joins; missing and bad files are refused with their names; the
 * arguments are checked before any file is read.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>

#include "util.h"
#include "compare.h"
#include "sriov-rtt.h"

static const char header[] =
	"seq,flags,t1_ns,t2_ns,t3_ns,t4_ns,h_conv_err_ns,g_conv_err_ns,"
	"h_tx_drv_ns,h_rx_drv_ns,g_rx_irq_ns,g_rx_drv_ns,g_tx_drv_ns,"
	"h_hv_irq_ns,h_hv_signal_ns,h_hv_inject_ns,hv_vf,"
	"h_fwd_rx_irq_ns,h_fwd_rx_drv_ns\n";

/*
 * @n packets 1 ms apart, every interval the same in all of them except
 * a small spread in the wire's: tx_drv +1000, rx_irq +4000 (+@wire_add),
 * rx_drv +@irq, T2 +1000, T3 +2000, tx_drv +500, rx_drv +3000, T4 +900.
 * @no_irq: the guest's rx_irq not stamped.
 */
static char *write_run(const char *name, unsigned int n, int64_t wire_add,
		       int64_t irq, bool no_irq)
{
	char *path = NULL;
	unsigned int i;
	FILE *fp;

	if (asprintf(&path, "/tmp/test_compare.%d.%s.csv", getpid(), name) < 0)
		abort();
	fp = fopen(path, "w");
	if (!fp)
		abort();
	fputs(header, fp);
	for (i = 0; i < n; i++) {
		int64_t t1 = 1000000LL * i + 1000, tx = t1 + 1000;
		int64_t gi = tx + 4000 + wire_add + (i % 7) * 10;
		int64_t gd = gi + irq, t2 = gd + 1000, t3 = t2 + 2000;
		int64_t gt = t3 + 500, hr = gt + 3000, t4 = hr + 900;
		char gis[24] = "";

		if (!no_irq)
			snprintf(gis, sizeof(gis), "%" PRId64, gi);
		fprintf(fp, "%u,sent|received|g_mono|same_boot,%" PRId64 ",%"
			PRId64 ",%" PRId64 ",%" PRId64 ",0,0,%" PRId64 ",%"
			PRId64 ",%s,%" PRId64 ",%" PRId64 ",,,,,,\n", i, t1,
			t2, t3, t4, tx, hr, gis, gd, gt);
	}
	fclose(fp);
	return path;
}

static void args_for(struct srtt_args *a, unsigned int n, char **paths,
		     const char **labels)
{
	unsigned int k;

	srtt_args_init(a);
	a->nruns = n;
	for (k = 0; k < n; k++) {
		a->runs[k] = paths[k];
		a->labels[k] = labels ? labels[k] : NULL;
	}
}

static int row_of(const struct cmp_row *rows, int nrows, const char *name)
{
	int i;

	for (i = 0; i < nrows; i++)
		if (!strcmp(rows[i].name, name))
			return i;
	return -1;
}

static char *json(struct cmp_run *runs, unsigned int n, struct cmp_row *rows,
		  int nrows)
{
	struct srtt_mem mem;

	cmp_print(srtt_mem_begin(&mem, true, false), runs, n, rows,
		  (unsigned int)nrows);
	return srtt_mem_end(&mem);
}

/* the same path twice, the guest's interrupt 1 us longer in the second */
static void aligned(void)
{
	char *p[2] = { write_run("idle", 120, 0, 500, false),
		       write_run("load", 120, 0, 1500, false) };
	const char *labels[2] = { "idle", NULL };
	struct cmp_row rows[CMP_MAX_ROWS];
	struct cmp_run runs[2];
	struct srtt_args a;
	struct cmp_diff d;
	int nrows, i, irq;
	char *out;

	args_for(&a, 2, p, labels);
	KTAP_EXPECT_EQ(cmp_load(runs, &a), 0);
	KTAP_EXPECT_STR(runs[0].label, "idle");
	/* no --label: the file's name without .csv */
	KTAP_EXPECT(strstr(runs[1].label, ".load") != NULL, "label %s",
		    runs[1].label);
	nrows = cmp_rows(runs, 2, rows, CMP_MAX_ROWS);
	KTAP_EXPECT(nrows == (int)runs[0].r.ncomp + 1, "rows %d, comps %u",
		    nrows, runs[0].r.ncomp);
	KTAP_EXPECT(rows[0].rtt, "the RTT first");
	irq = row_of(rows, nrows, "guest_irq");
	KTAP_EXPECT(irq > 0, "a guest_irq row");
	KTAP_EXPECT_EQ(cmp_diff(cmp_find(&runs[0].r, &rows[irq]),
				cmp_find(&runs[1].r, &rows[irq]), &d), 0);
	KTAP_EXPECT(d.d50 == 1000 && d.lo == 1000 && d.hi == 1000 && d.moved,
		    "guest_irq +1000 [%" PRId64 ", %" PRId64 "]", d.lo, d.hi);
	for (i = 1; i < nrows; i++) {
		if (i == irq)
			continue;
		cmp_diff(cmp_find(&runs[0].r, &rows[i]),
			 cmp_find(&runs[1].r, &rows[i]), &d);
		KTAP_EXPECT(d.d50 == 0 && !d.moved, "%s did not move: %" PRId64,
			    rows[i].name, d.d50);
	}
	KTAP_EXPECT_EQ(cmp_moved_most(runs, 1, rows, nrows, &d), irq);
	out = json(runs, 2, rows, nrows);
	KTAP_EXPECT_CONTAINS(out, "\"moved_most\":[{\"label\":\"");
	KTAP_EXPECT_CONTAINS(out, "\"against\":\"idle\",\"name\":\"guest_irq\",\"d50_ns\":1000,\"d50_low_ns\":1000,\"d50_high_ns\":1000,\"moved\":true}");
	/* p99 from 100 values: 120 have it */
	KTAP_EXPECT(!strstr(out, "\"p99_ns\":null"), "p99 of 120 values");
	free(out);
	cmp_free(runs, 2);
	for (i = 0; i < 2; i++) {
		unlink(p[i]);
		free(p[i]);
	}
}

/*
 * Without the guest's rx_irq the wire and the interrupt are one merged
 * component: a row of its own, not visible in the run with both, and the
 * two rows not visible in it; the first run's p99 of 50 values is null.
 */
static void merged_lines_up(void)
{
	char *p[2] = { write_run("split", 50, 0, 500, false),
		       write_run("merged", 150, 0, 500, true) };
	struct cmp_row rows[CMP_MAX_ROWS];
	struct cmp_run runs[2];
	struct srtt_args a;
	struct cmp_diff d;
	int nrows, irq, m, i;
	char *out;

	args_for(&a, 2, p, NULL);
	KTAP_EXPECT_EQ(cmp_load(runs, &a), 0);
	nrows = cmp_rows(runs, 2, rows, CMP_MAX_ROWS);
	irq = row_of(rows, nrows, "guest_irq");
	m = -1;
	for (i = 0; i < nrows; i++)
		if (rows[i].merged && strstr(rows[i].name, "guest_irq"))
			m = i;
	KTAP_EXPECT(irq > 0 && m > 0, "guest_irq %d, merged with it %d", irq, m);
	if (irq <= 0 || m <= 0)
		goto out;
	KTAP_EXPECT(cmp_find(&runs[0].r, &rows[irq]) &&
		    !cmp_find(&runs[1].r, &rows[irq]), "guest_irq in the first only");
	KTAP_EXPECT(!cmp_find(&runs[0].r, &rows[m]) &&
		    cmp_find(&runs[1].r, &rows[m]), "%s in the second only",
		    rows[m].name);
	KTAP_EXPECT_EQ(cmp_diff(cmp_find(&runs[0].r, &rows[m]),
				cmp_find(&runs[1].r, &rows[m]), &d), -ENOENT);
	/* in path order: the merged row where its first part is */
	KTAP_EXPECT(m < irq || rows[m].parts & rows[irq].parts,
		    "merged row %d, guest_irq %d", m, irq);
	out = json(runs, 2, rows, nrows);
	KTAP_EXPECT_CONTAINS(out, "\"visible\":false}");
	KTAP_EXPECT_CONTAINS(out, "\"p99_ns\":null");
	/* the merged row is the second run's only */
	KTAP_EXPECT_CONTAINS(out, "\"d50_ns\":null");
	free(out);
out:
	cmp_free(runs, 2);
	for (i = 0; i < 2; i++) {
		unlink(p[i]);
		free(p[i]);
	}
}

/* labels from file names: outside characters as '_', repeats as runN */
static void labels(void)
{
	char *p = write_run("a b", 10, 0, 500, false);
	char *paths[2] = { p, p };
	struct cmp_run runs[2];
	struct srtt_args a;

	args_for(&a, 2, paths, NULL);
	KTAP_EXPECT_EQ(cmp_load(runs, &a), 0);
	KTAP_EXPECT(strstr(runs[0].label, ".a_b") &&
		    strspn(runs[0].label, SRTT_COMPARE_LABEL_CHARS) ==
		    strlen(runs[0].label), "label %s", runs[0].label);
	KTAP_EXPECT_STR(runs[1].label, "run2");
	cmp_free(runs, 2);
	unlink(p);
	free(p);
}

struct load_arg {
	struct cmp_run	runs[2];
	struct srtt_args a;
};

static int load_fn(void *arg)
{
	struct load_arg *l = arg;

	return cmp_load(l->runs, &l->a);
}

/* a missing file and a file that is no probe CSV: refused, named */
static void bad_files_named(void)
{
	char *good = write_run("good", 20, 0, 500, false);
	char bad[] = "/tmp/test_compare.bad.XXXXXX";
	char *paths[2] = { good, (char *)"/nonexistent/run.csv" };
	struct load_arg l;
	char *err;
	int ret, fd;

	args_for(&l.a, 2, paths, NULL);
	err = srtt_capture_fd(2, load_fn, &l, &ret);
	KTAP_EXPECT_EQ(ret, -ENOENT);
	KTAP_EXPECT_CONTAINS(err, "compare: /nonexistent/run.csv: No such file");
	free(err);

	fd = mkstemp(bad);
	if (fd < 0 || write(fd, "a,b\n1,2\n", 8) != 8)
		abort();
	close(fd);
	paths[1] = bad;
	args_for(&l.a, 2, paths, NULL);
	err = srtt_capture_fd(2, load_fn, &l, &ret);
	KTAP_EXPECT_EQ(ret, -EINVAL);
	KTAP_EXPECT(strstr(err, "compare: ") && strstr(err, bad) &&
		    strstr(err, "not a sriov-rtt probe CSV"), "said: %s", err);
	free(err);
	unlink(bad);
	unlink(good);
	free(good);
}

static int parse(int argc, char **argv, struct srtt_args *a)
{
	srtt_args_init(a);
	return srtt_parse_compare("compare", argc, argv, a);
}

struct parse_arg {
	int		argc;
	char		**argv;
	struct srtt_args a;
};

static int parse_fn(void *arg)
{
	struct parse_arg *p = arg;

	return parse(p->argc, p->argv, &p->a);
}

#define EXPECT_REFUSED(msg, ...) do {					\
	char *__v[] = { __VA_ARGS__ };					\
	struct parse_arg __p = { ARRAY_SIZE(__v), __v, { 0 } };		\
	int __r;							\
	char *__e = srtt_capture_fd(2, parse_fn, &__p, &__r);		\
	KTAP_EXPECT_EQ(__r, SRTT_EXIT_USAGE);				\
	KTAP_EXPECT_CONTAINS(__e, msg);					\
	free(__e);							\
} while (0)

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

static void arguments(void)
{
	char *ok[] = { "--label", "idle", "a.csv", "b.csv", "--svg", "c.svg" };
	char *many[SRTT_COMPARE_MAX_RUNS + 1];
	struct parse_arg p;
	struct srtt_args a;
	unsigned int k;
	char *err;
	int ret;

	KTAP_EXPECT_EQ(parse(ARRAY_SIZE(ok), ok, &a), SRTT_EXIT_OK);
	KTAP_EXPECT(a.nruns == 2 && !strcmp(a.labels[0], "idle") &&
		    !a.labels[1] && !strcmp(a.svg, "c.svg"), "parsed");
	EXPECT_REFUSED("needs two runs or more", "a.csv");
	EXPECT_REFUSED("--label twice before a RUN.csv", "--label", "x",
		       "--label", "y", "a.csv", "b.csv");
	EXPECT_REFUSED("two runs labelled \"x\"", "--label", "x", "a.csv",
		       "--label", "x", "b.csv");
	EXPECT_REFUSED("--label names no RUN.csv after it: \"x\"", "a.csv",
		       "b.csv", "--label", "x");
	EXPECT_REFUSED("not \"a b\"", "--label", "a b", "a.csv", "b.csv");
	EXPECT_REFUSED("--svg needs a FILE", "a.csv", "b.csv", "--svg");
	EXPECT_REFUSED("unknown option \"-x\"", "a.csv", "b.csv", "-x");
	for (k = 0; k <= SRTT_COMPARE_MAX_RUNS; k++)
		many[k] = "r.csv";
	p.argc = ARRAY_SIZE(many);
	p.argv = many;
	err = srtt_capture_fd(2, parse_fn, &p, &ret);
	KTAP_EXPECT_EQ(ret, SRTT_EXIT_USAGE);
	KTAP_EXPECT_CONTAINS(err, "at most 16 runs");
	free(err);
}

static int svg_fn(void *arg)
{
	char **argv = arg;

	return srtt_main(6, argv);
}

/* the chart: inside its viewBox, a bar per run, the RTT marks */
static void chart(void)
{
	char *p[2] = { write_run("c1", 30, 0, 500, false),
		       write_run("c2", 30, 2000, 500, false) };
	char svg[] = "/tmp/test_compare.svg.XXXXXX";
	char *argv[] = { "sriov-rtt", "compare", p[0], p[1], "--svg", svg,
			 NULL };
	char *out, *text;
	double w = 0, h = 0;
	FILE *fp;
	int ret, fd = mkstemp(svg);

	if (fd < 0)
		abort();
	close(fd);
	out = srtt_capture_fd(1, svg_fn, argv, &ret);
	KTAP_EXPECT_EQ(ret, SRTT_EXIT_OK);
	KTAP_EXPECT_CONTAINS(out, "moved most, against");
	fp = fopen(svg, "r");
	if (!fp)
		abort();
	text = srtt_slurp(fp);
	KTAP_EXPECT(sscanf(strstr(text, "viewBox=\"") + 9, "0 0 %lf %lf",
			   &w, &h) == 2 && w > 0 && h > 0, "viewBox");
	KTAP_EXPECT_CONTAINS(text, "<title>RTT p50 ");
	KTAP_EXPECT_CONTAINS(text, "<title>RTT p90 ");
	KTAP_EXPECT_CONTAINS(text, ": guest_irq p50 0.500 us</title>");
	KTAP_EXPECT_CONTAINS(text, "</svg>\n");
	free(text);
	free(out);
	unlink(svg);
	unlink(p[0]);
	unlink(p[1]);
	free(p[0]);
	free(p[1]);
}

/* column @name's index in the CSV header @hdr, or -1 */
static int csv_col(const char *hdr, const char *name)
{
	size_t len = strlen(name);
	const char *s = hdr;
	int i = 0;

	for (;;) {
		if (!strncmp(s, name, len) && (s[len] == ',' || s[len] == '\n'))
			return i;
		s = strpbrk(s, ",\n");
		if (!s || *s == '\n')
			return -1;
		s++;
		i++;
	}
}

/* field @i of the CSV line @line into @buf */
static void csv_field(const char *line, int i, char *buf, size_t size)
{
	const char *s = line;

	for (; i > 0 && s; i--) {
		s = strpbrk(s, ",\n");
		s = s && *s == ',' ? s + 1 : NULL;
	}
	if (!s)
		s = "";
	snprintf(buf, size, "%.*s", (int)strcspn(s, ",\n"), s);
}

/*
 * A run that split the wire from the guest's interrupt and one that
 * could not write the same columns: the merged value in the first
 * part's column, "merged:FIRST" in guest_irq's, and each row's numbers
 * still sum to its RTT.
 */
static void csv_columns(void)
{
	char *p[2] = { write_run("csplit", 20, 0, 500, false),
		       write_run("cmerged", 20, 0, 500, true) };
	char *out[2] = { NULL, NULL }, *hdr[2], *line, f[32];
	struct cmp_run runs[2];
	struct srtt_args a;
	size_t size, hlen;
	int k, c, rtt, net, irq, first, rows;
	FILE *fp;

	args_for(&a, 2, p, NULL);
	KTAP_EXPECT_EQ(cmp_load(runs, &a), 0);
	for (k = 0; k < 2; k++) {
		fp = open_memstream(&out[k], &size);
		KTAP_EXPECT_EQ(bd_write_csv(&runs[k].r, fp), 0);
		fclose(fp);
		/* the comment lines (notifications) before the header */
		for (hdr[k] = out[k]; *hdr[k] == '#';)
			hdr[k] = strchr(hdr[k], '\n') + 1;
	}
	hlen = strcspn(hdr[0], "\n");
	KTAP_EXPECT(hlen == strcspn(hdr[1], "\n") &&
		    !strncmp(hdr[0], hdr[1], hlen), "the same header");
	rtt = csv_col(hdr[0], "rtt_ns");
	net = csv_col(hdr[0], "c_network_ns");
	irq = csv_col(hdr[0], "c_guest_irq_ns");
	first = csv_col(hdr[0], "c_host_stack_tx_ns");
	KTAP_EXPECT(rtt > 0 && net > rtt && irq == net + 1 && first > rtt &&
		    csv_col(hdr[0], "c_host_stack_rx_ns") == first + 11 &&
		    csv_col(hdr[0], "c_forward_ns") < 0,
		    "twelve components from c_host_stack_tx_ns (%d)", first);
	for (k = 0; k < 2; k++) {
		rows = 0;
		for (line = strchr(hdr[k], '\n') + 1; *line;
		     line = strchr(line, '\n') + 1) {
			long long sum = 0;

			for (c = first; c < first + 12; c++) {
				csv_field(line, c, f, sizeof(f));
				if (c == irq)
					KTAP_EXPECT((strncmp(f, "merged:", 7) == 0) == (k == 1),
						    "run %d: guest_irq %s", k, f);
				if (strncmp(f, "merged:", 7))
					sum += strtoll(f, NULL, 10);
			}
			csv_field(line, rtt, f, sizeof(f));
			KTAP_EXPECT(sum == strtoll(f, NULL, 10) && sum > 0,
				    "run %d: components %lld, rtt %s", k, sum, f);
			rows++;
		}
		KTAP_EXPECT_EQ(rows, 20);
	}
	cmp_free(runs, 2);
	for (k = 0; k < 2; k++) {
		free(out[k]);
		unlink(p[k]);
		free(p[k]);
	}
}

static const struct ktap_case cases[] = {
	KTAP_CASE(aligned),
	KTAP_CASE(merged_lines_up),
	KTAP_CASE(labels),
	KTAP_CASE(bad_files_named),
	KTAP_CASE(arguments),
	KTAP_CASE(chart),
	KTAP_CASE(csv_columns),
};

int main(void)
{
	return KTAP_RUN(cases);
}
