// SPDX-License-Identifier: GPL-2.0
/* sriov-rtt: a run read back from the CSV bd_csv.c wrote (breakdown.h). */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bd_priv.h"
#include "breakdown.h"
#include "lib/names.h"

/* Split @line at commas in place: the number of fields (at most @max). */
static unsigned int csv_split(char *line, char **f, unsigned int max)
{
	unsigned int n = 0;
	char *p = line;

	line[strcspn(line, "\r\n")] = 0;
	while (n < max) {
		f[n++] = p;
		p = strchr(p, ',');
		if (!p)
			break;
		*p++ = 0;
	}
	return n;
}

static int parse_s64(const char *s, int64_t *v)
{
	char *end;

	if (!*s)
		return 1;	/* absent */
	errno = 0;
	*v = strtoll(s, &end, 10);
	if (errno || *end || *v <= -SRTT_DECOMP_NS_LIMIT ||
	    *v >= SRTT_DECOMP_NS_LIMIT)
		return -1;
	return 0;
}

#define CSV_MAX_COLS	128
#define CSV_MAX_LINE	8192
#define CSV_MAX_ROWS	10000000

/* Where the columns the reader knows are in the file; -1: absent. */
struct csv_cols {
	int		seq, flags, flush;
	int		app[BD_CSV_N_APP];
	int		err[BD_DOMS];
	int		stage[BD_DOMS][__SRTT_STAGE_MAX];
	int		hv[BD_CSV_N_HV];
	int		ptp, ptp_err, ptp_g;
	unsigned int	n;		/* columns in the header */
};

/* The file being read, for the messages. */
struct csv_in {
	FILE		*fp;
	const char	*cmd;
	const char	*path;
	size_t		lineno;
};

/* "CMD: FILE:LINE: what" on stderr: -EINVAL */
static int __attribute__((format(printf, 2, 3)))
csv_bad(const struct csv_in *in, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: %s:%zu: ", in->cmd, in->path, in->lineno);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\n", stderr);
	return -EINVAL;
}

static void col_match(int *col, const char *hdr, const char *name, int k)
{
	if (!strcmp(hdr, name))
		*col = k;
}

/* Header field @k, @hdr: which column it is. */
static void csv_column(struct csv_cols *c, const char *hdr, int k)
{
	char name[64];
	unsigned int d, s;

	for (s = 0; s < BD_CSV_N_HV; s++)
		col_match(&c->hv[s], hdr, bd_csv_hv[s], k);
	col_match(&c->ptp, hdr, "ptp_theta_ns", k);
	col_match(&c->ptp_err, hdr, "ptp_err_ns", k);
	col_match(&c->ptp_g, hdr, "ptp_g_ns", k);
	col_match(&c->seq, hdr, "seq", k);
	col_match(&c->flags, hdr, "flags", k);
	col_match(&c->flush, hdr, "g_flush_us", k);
	for (s = 0; s < BD_CSV_N_APP; s++)
		col_match(&c->app[s], hdr, bd_csv_app[s], k);
	for (d = 0; d < BD_DOMS; d++) {
		snprintf(name, sizeof(name), "%c_conv_err_ns", bd_csv_dom[d]);
		col_match(&c->err[d], hdr, name, k);
		for (s = 0; s < __SRTT_STAGE_MAX; s++) {
			snprintf(name, sizeof(name), "%c_%s_ns", bd_csv_dom[d],
				 srtt_stage_name(s));
			col_match(&c->stage[d][s], hdr, name, k);
		}
	}
}

/* The comment lines before the header (the notifications), the header. */
static int csv_header(struct bd_run *r, struct csv_in *in, struct csv_cols *c)
{
	char line[CSV_MAX_LINE], *hdr[CSV_MAX_COLS], why[96];
	unsigned int k;

	for (;;) {
		if (!fgets(line, sizeof(line), in->fp)) {
			fprintf(stderr, "%s: %s: %s\n", in->cmd, in->path,
				in->lineno == 1 ? "empty file" : "no header");
			return -EINVAL;
		}
		if (line[0] != '#')
			break;
		if (bd_notify_csv_line(r, line, why, sizeof(why)))
			return csv_bad(in, "%s", why);
		in->lineno++;
	}
	memset(c, -1, sizeof(*c));
	c->n = csv_split(line, hdr, CSV_MAX_COLS);
	for (k = 0; k < c->n; k++)
		csv_column(c, hdr[k], (int)k);
	if (c->seq < 0 || c->flags < 0 || c->app[4] < 0 || c->app[7] < 0) {
		fprintf(stderr, "%s: %s: not a sriov-rtt probe CSV "
			"(needs the columns seq, flags, t1_ns .. t4_ns)\n",
			in->cmd, in->path);
		return -EINVAL;
	}
	return 0;
}

static int row_seq(struct bd_pkt *p, const struct csv_in *in, const char *f)
{
	int64_t v;

	if (parse_s64(f, &v) || v < 0 || v > UINT32_MAX)
		return csv_bad(in, "bad seq \"%s\"", f);
	p->seq = (uint32_t)v;
	return 0;
}

static int row_flags(struct bd_pkt *p, const struct csv_in *in, char *f)
{
	char *tok, *save = NULL;
	unsigned int k;

	for (tok = strtok_r(f, "|", &save); tok;
	     tok = strtok_r(NULL, "|", &save)) {
		if (!strcmp(tok, "lost") || !strcmp(tok, "not_sent"))
			continue;
		for (k = 0; k < BD_CSV_N_FLAGS; k++)
			if (!strcmp(tok, bd_csv_flags[k]))
				break;
		if (k == BD_CSV_N_FLAGS)
			return csv_bad(in, "unknown flag \"%s\"", tok);
		/* results are recomputed, not read */
		if ((1U << k) & (BD_IMPOSSIBLE | BD_DECOMP_ERR))
			continue;
		p->flags |= 1U << k;
	}
	return 0;
}

/* T1..T4, raw and in their domain's clock; a reply needs the latter */
static int row_app(struct bd_pkt *p, const struct csv_in *in,
		   const struct csv_cols *c, char **f)
{
	int64_t *dst[BD_CSV_N_APP] = {
		&p->t1_real, &p->t2_real, &p->t3_real, &p->t4_real,
		&p->t1, &p->t2, &p->t3, &p->t4,
	};
	unsigned int s;
	int rc;

	for (s = 0; s < BD_CSV_N_APP; s++) {
		if (c->app[s] < 0)
			continue;
		rc = parse_s64(f[c->app[s]], dst[s]);
		if (rc < 0 || (rc > 0 && s >= 4 && (p->flags & BD_RECEIVED)))
			return csv_bad(in, "bad or missing %s \"%s\"",
				       bd_csv_app[s], f[c->app[s]]);
	}
	return 0;
}

/* per domain: the app stamps' conversion error, the stage stamps */
static int row_domains(struct bd_pkt *p, const struct csv_in *in,
		       const struct csv_cols *c, char **f)
{
	unsigned int d, s;
	int64_t v;
	int rc;

	for (d = 0; d < BD_DOMS; d++) {
		rc = c->err[d] >= 0 ? parse_s64(f[c->err[d]], &v) : 1;
		if (rc < 0 || (!rc && (v < 0 ||
				       (uint64_t)v > SRTT_DECOMP_ERR_LIMIT)))
			return csv_bad(in, "bad %c_conv_err_ns \"%s\"",
				       bd_csv_dom[d], f[c->err[d]]);
		if (!rc)
			p->conv_err[d] = (uint64_t)v;
		for (s = 0; s < __SRTT_STAGE_MAX; s++) {
			if (c->stage[d][s] < 0)
				continue;
			rc = parse_s64(f[c->stage[d][s]], &v);
			if (rc < 0)
				return csv_bad(in, "bad %c_%s_ns \"%s\"",
					       bd_csv_dom[d], srtt_stage_name(s),
					       f[c->stage[d][s]]);
			if (!rc) {
				p->stage[d][s] = v;
				p->stage_mask[d] |= 1U << s;
			}
		}
	}
	return 0;
}

/* the hypervisor's events (absent in older CSVs) */
static int row_hv(struct bd_pkt *p, const struct csv_in *in,
		  const struct csv_cols *c, char **f)
{
	int64_t v = 0, *dst[BD_CSV_N_HV] = {
		&p->hv_irq, &p->hv_signal, &p->hv_inject, &v,
		&p->fwd_rx_irq, &p->fwd_rx_drv,
	};
	unsigned int s;
	int rc;

	for (s = 0; s < BD_CSV_N_HV; s++) {
		if (c->hv[s] < 0)
			continue;
		rc = parse_s64(f[c->hv[s]], dst[s]);
		if (rc < 0 || (!rc && (*dst[s] < 0 ||
				       (s == BD_CSV_HV_VF && v > 65535))))
			return csv_bad(in, "bad %s \"%s\"", bd_csv_hv[s],
				       f[c->hv[s]]);
		if (s == BD_CSV_HV_VF && !rc)
			p->hv_vf = (uint16_t)v;
	}
	return 0;
}

/* the hypervisor clock's offset: with its error, or neither */
static int row_ptp(struct bd_pkt *p, const struct csv_in *in,
		   const struct csv_cols *c, char **f)
{
	int64_t v;

	if (!(p->flags & BD_PTP))
		return 0;
	if (c->ptp < 0 || c->ptp_err < 0 || c->ptp_g < 0 ||
	    parse_s64(f[c->ptp], &p->ptp_theta) ||
	    parse_s64(f[c->ptp_g], &p->ptp_g) ||
	    parse_s64(f[c->ptp_err], &v) || v < 0 ||
	    (uint64_t)v > SRTT_DECOMP_ERR_LIMIT)
		return csv_bad(in, "ptp_kvm without a good ptp_theta_ns, "
			       "ptp_err_ns and ptp_g_ns");
	p->ptp_err = (uint64_t)v;
	return 0;
}

static int row_flush(struct bd_pkt *p, const struct csv_in *in,
		     const struct csv_cols *c, char **f)
{
	int64_t v;
	int rc;

	if (c->flush < 0)
		return 0;
	rc = parse_s64(f[c->flush], &v);
	if (rc > 0)
		return 0;	/* empty: not reported */
	if (rc < 0 || v < 0 || v > 65535)
		return csv_bad(in, "bad g_flush_us \"%s\"", f[c->flush]);
	p->g_flush_us = (uint32_t)v;
	return 0;
}

/* One line's packet into @p (zeroed): 0, or -EINVAL said on stderr. */
static int csv_row(struct bd_pkt *p, const struct csv_in *in,
		   const struct csv_cols *c, char **f)
{
	int err;

	err = row_seq(p, in, f[c->seq]);
	if (!err)
		err = row_flags(p, in, f[c->flags]);
	if (!err)
		err = row_app(p, in, c, f);
	if (!err)
		err = row_domains(p, in, c, f);
	if (!err)
		err = row_hv(p, in, c, f);
	if (!err)
		err = row_ptp(p, in, c, f);
	if (!err)
		err = row_flush(p, in, c, f);
	return err;
}

/* the counts `probe` keeps as it goes */
static void count_row(struct bd_run *r, const struct bd_pkt *p)
{
	if (p->flags & BD_SENT)
		r->sent++;
	if (p->flags & BD_RECEIVED)
		r->received++;
	if (p->flags & BD_LATE)
		r->late++;
	if (p->flags & BD_DUP)
		r->dup++;
	if (p->flags & BD_T1_SW)
		r->t1_sw++;
	if ((p->flags & BD_T4_SW) && (p->flags & BD_RECEIVED))
		r->t4_sw++;
}

/* Room for one more packet: 0, or -EINVAL, -ENOMEM said on stderr. */
static int csv_grow(struct bd_run *r, size_t *cap, const struct csv_in *in)
{
	struct bd_pkt *np;

	if (r->count != *cap)
		return 0;
	*cap = *cap ? *cap * 2 : 256;
	if (*cap > CSV_MAX_ROWS) {
		fprintf(stderr, "%s: %s: too many rows\n", in->cmd, in->path);
		return -EINVAL;
	}
	np = realloc(r->p, *cap * sizeof(*np));
	if (!np) {
		fprintf(stderr, "%s: out of memory\n", in->cmd);
		return -ENOMEM;
	}
	r->p = np;
	return 0;
}

static int csv_rows(struct bd_run *r, struct csv_in *in,
		    const struct csv_cols *c)
{
	char line[CSV_MAX_LINE], *f[CSV_MAX_COLS];
	size_t cap = 0;
	unsigned int nf;
	int err;

	while (fgets(line, sizeof(line), in->fp)) {
		in->lineno++;
		if (!strchr(line, '\n') && !feof(in->fp))
			return csv_bad(in, "line too long");
		nf = csv_split(line, f, CSV_MAX_COLS);
		if (nf != c->n)
			return csv_bad(in, "%u fields, the header has %u", nf,
				       c->n);
		err = csv_grow(r, &cap, in);
		if (err)
			return err;
		memset(&r->p[r->count], 0, sizeof(r->p[0]));
		err = csv_row(&r->p[r->count], in, c, f);
		if (err)
			return err;
		count_row(r, &r->p[r->count]);
		r->count++;
	}
	return 0;
}

/* A side without a stage in any row: why, for the summary */
static void say_unseen(struct bd_run *r)
{
	bool host = false, guest = false;
	uint64_t i;

	for (i = 0; i < r->count; i++) {
		host |= r->p[i].stage_mask[SRTT_DECOMP_DOM_H] != 0;
		guest |= r->p[i].stage_mask[SRTT_DECOMP_DOM_G] != 0;
	}
	if (!host)
		snprintf(r->host_why, sizeof(r->host_why), "%s",
			 "none in the file");
	if (!guest)
		snprintf(r->guest_why, sizeof(r->guest_why), "%s",
			 "none in the file");
}

int bd_read_csv(struct bd_run *r, const char *path, const char *cmd)
{
	struct csv_in in = { .cmd = cmd, .path = path, .lineno = 1 };
	struct csv_cols cols;
	int err;

	in.fp = fopen(path, "r");
	if (!in.fp) {
		fprintf(stderr, "%s: %s: %s\n", cmd, path, strerror(errno));
		return -errno;
	}
	err = csv_header(r, &in, &cols);
	if (!err)
		err = csv_rows(r, &in, &cols);
	fclose(in.fp);
	if (!err && !r->count) {
		fprintf(stderr, "%s: %s: no packets\n", cmd, path);
		err = -EINVAL;
	}
	if (!err)
		say_unseen(r);
	if (!err && !r->nt.guest_read && !r->nt.guest_why[0])
		snprintf(r->nt.guest_why, sizeof(r->nt.guest_why), "%s",
			 "not in the file");
	return err;
}
