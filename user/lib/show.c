// SPDX-License-Identifier: GPL-2.0
/* sriov-rtt: text and JSON for records, histograms, statistics, config. */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "names.h"
#include "show.h"

/*
 * The record line without stdio, as fast as it goes (watch at the
 * kernel's rate): literals copied by their compile-time length, decimals
 * two digits a step into their known width.
 */
#define put_lit(p, s)	(memcpy((p), (s), sizeof(s) - 1), (p) + sizeof(s) - 1)

static const char digits2[] =
	"00010203040506070809" "10111213141516171819"
	"20212223242526272829" "30313233343536373839"
	"40414243444546474849" "50515253545556575859"
	"60616263646566676869" "70717273747576777879"
	"80818283848586878889" "90919293949596979899";

#define FMT_INLINE	static inline __attribute__((always_inline))

/* its digits, as many as it has */
FMT_INLINE char *put_dec32(char *p, uint32_t v)
{
	unsigned int n = v < 100 ? (v < 10 ? 1 : 2) :
			 v < 10000 ? (v < 1000 ? 3 : 4) :
			 v < 1000000 ? (v < 100000 ? 5 : 6) :
			 v < 100000000 ? (v < 10000000 ? 7 : 8) :
			 v < 1000000000 ? 9 : 10;
	char *end = p + n, *q = end;

	while (v >= 100) {
		q -= 2;
		memcpy(q, digits2 + (v % 100) * 2, 2);
		v /= 100;
	}
	if (v >= 10)
		memcpy(q - 2, digits2 + v * 2, 2);
	else
		q[-1] = (char)('0' + v);
	return end;
}

/* @v below 10^8 in exactly 8 digits */
FMT_INLINE char *put_dec8(char *p, uint32_t v)
{
	int i;

	for (i = 6; i >= 0; i -= 2) {
		memcpy(p + i, digits2 + (v % 100) * 2, 2);
		v /= 100;
	}
	return p + 8;
}

/* 64-bit arithmetic once per 8 digits, 32-bit within them */
static char *put_dec(char *p, uint64_t v)
{
	if (v <= UINT32_MAX)
		return put_dec32(p, (uint32_t)v);
	p = put_dec(p, v / 100000000);
	return put_dec8(p, (uint32_t)(v % 100000000));
}

FMT_INLINE char *put_hex(char *p, unsigned int v)
{
	char d[8];
	int n = 0;

	do {
		d[n++] = "0123456789abcdef"[v & 15];
		v >>= 4;
	} while (v);
	while (n)
		*p++ = d[--n];
	return p;
}

/*
 * A name of a fixed table (nothing to escape), kept padded to 16 bytes
 * the first time it is asked for: then one 16-byte copy, not a byte a
 * step. The tables are filled on first use; the tools format from one
 * thread.
 */
struct fmt_name {
	char		s[16];
	unsigned char	len;	/* 0: not filled yet */
};

static struct fmt_name fmt_stages[256], fmt_probes[256], fmt_dirs[256];

FMT_INLINE char *put_name(char *p, struct fmt_name *tab, uint8_t i,
			  const char *(*name)(unsigned int))
{
	struct fmt_name *e = &tab[i];

	if (!e->len) {
		const char *v = name(i);
		size_t n = strlen(v);

		if (n >= sizeof(e->s)) {	/* none is, but still right */
			memcpy(p, v, n);
			return p + n;
		}
		memcpy(e->s, v, n);
		e->len = (unsigned char)n;
	}
	memcpy(p, e->s, sizeof(e->s));
	return p + e->len;
}

/* One body, made twice with @json a constant: no branch on it per field. */
static inline __attribute__((always_inline)) size_t
record_fmt(char *buf, const struct srtt_record *rec, const bool json)
{
	char *p = buf;

#define LIT(j, t)	(p = json ? put_lit(p, j) : put_lit(p, t))
	LIT("{\"ts\":", "ts=");
	p = put_dec(p, rec->ts);
	LIT(",\"clock\":\"mono\",\"stage\":\"", " clock=mono stage=");
	p = put_name(p, fmt_stages, rec->stage, srtt_stage_name);
	LIT("\",\"dev_id\":", " dev=");
	p = put_dec32(p, rec->dev_id);
	LIT(",\"ifindex\":", " ifindex=");
	p = put_dec32(p, rec->ifindex);
	LIT(",\"cpu\":", " cpu=");
	p = put_dec32(p, rec->cpu);
	LIT(",\"queue\":", " queue=");
	if (rec->flags & SRTT_REC_F_NO_QUEUE)
		LIT("null", "-");
	else
		p = put_dec32(p, rec->queue);
	LIT(",\"probe\":\"", " probe=");
	p = put_name(p, fmt_probes, rec->key.probe, srtt_probe_name);
	LIT("\",\"dir\":\"", " dir=");
	p = put_name(p, fmt_dirs, rec->key.dir, srtt_dir_name);
	LIT("\",\"id\":", " id=");
	p = put_dec32(p, rec->key.id);
	LIT(",\"seq\":", " seq=");
	p = put_dec32(p, rec->key.seq);
	LIT(",\"hwts\":", " hwts=");
	if (rec->flags & SRTT_REC_F_HWTS)
		p = put_dec(p, rec->hwts);
	else
		LIT("null", "-");
	if (json) {
		p = put_lit(p, ",\"flags\":");
		p = put_dec32(p, rec->flags);
		p = put_lit(p, "}\n");
	} else {
		p = put_lit(p, " flags=0x");
		p = put_hex(p, rec->flags);
		*p++ = '\n';
	}
#undef LIT
	return (size_t)(p - buf);
}

size_t srtt_record_fmt(char *buf, const struct srtt_record *rec, bool json)
{
	return json ? record_fmt(buf, rec, true) : record_fmt(buf, rec, false);
}

int srtt_lines_init(struct srtt_lines *l)
{
	l->len = 0;
	l->buf = malloc(SRTT_LINES_BUF);
	return l->buf ? 0 : -ENOMEM;
}

void srtt_lines_flush(struct srtt_lines *l, FILE *fp)
{
	if (l->len)
		fwrite(l->buf, 1, l->len, fp);
	l->len = 0;
}

void srtt_lines_add(struct srtt_lines *l, const struct srtt_record *rec,
		    bool json, FILE *fp)
{
	if (l->len > SRTT_LINES_BUF - SRTT_RECORD_FMT_MAX)
		srtt_lines_flush(l, fp);
	l->len += srtt_record_fmt(l->buf + l->len, rec, json);
}

void srtt_lines_free(struct srtt_lines *l)
{
	free(l->buf);
	l->buf = NULL;
	l->len = 0;
}

void srtt_show_record(struct srtt_out *o, const struct srtt_record *rec)
{
	char line[SRTT_RECORD_FMT_MAX];

	if (!o->pretty && !o->depth) {	/* the common case, without stdio's */
		size_t n = srtt_record_fmt(line, rec, o->json);

		fwrite(line, 1, n, o->fp);
		return;
	}
	if (!o->json) {		/* the module's own line */
		srtt_record_line(line, sizeof(line), rec);
		fputs(line, o->fp);
		return;
	}
	srtt_open_object(o, NULL);
	srtt_print_u64(o, SRTT_PK_JSON, "ts", NULL, rec->ts);
	srtt_print_string(o, SRTT_PK_JSON, "clock", NULL, "mono");
	srtt_print_string(o, SRTT_PK_JSON, "stage", NULL, srtt_stage_name(rec->stage));
	srtt_print_u64(o, SRTT_PK_JSON, "dev_id", NULL, rec->dev_id);
	srtt_print_u64(o, SRTT_PK_JSON, "ifindex", NULL, rec->ifindex);
	srtt_print_u64(o, SRTT_PK_JSON, "cpu", NULL, rec->cpu);
	if (rec->flags & SRTT_REC_F_NO_QUEUE)
		srtt_print_null(o, SRTT_PK_JSON, "queue", NULL, "-");
	else
		srtt_print_u64(o, SRTT_PK_JSON, "queue", NULL, rec->queue);
	srtt_print_string(o, SRTT_PK_JSON, "probe", NULL,
			  srtt_probe_name(rec->key.probe));
	srtt_print_string(o, SRTT_PK_JSON, "dir", NULL, srtt_dir_name(rec->key.dir));
	srtt_print_u64(o, SRTT_PK_JSON, "id", NULL, rec->key.id);
	srtt_print_u64(o, SRTT_PK_JSON, "seq", NULL, rec->key.seq);
	if (rec->flags & SRTT_REC_F_HWTS)
		srtt_print_u64(o, SRTT_PK_JSON, "hwts", NULL, rec->hwts);
	else
		srtt_print_null(o, SRTT_PK_JSON, "hwts", NULL, "-");
	srtt_print_u64(o, SRTT_PK_JSON, "flags", NULL, rec->flags);
	srtt_close_object(o);
	srtt_print_nl(o);
}

void srtt_show_lost(struct srtt_out *o, uint64_t lost)
{
	srtt_open_object(o, NULL);
	srtt_print_u64(o, SRTT_PK_ANY, "lost", "lost %" PRIu64, lost);
	srtt_close_object(o);
	srtt_print_nl(o);
}

void srtt_show_overrun(struct srtt_out *o)
{
	srtt_open_object(o, NULL);
	srtt_print_string(o, SRTT_PK_ANY, "lost", "lost %s", "socket-overrun");
	srtt_close_object(o);
	srtt_print_nl(o);
}

/* Column widths: a device name, the longest stage name, a 60 s value. */
#define W_DEV	"15"
#define W_STAGE	"13"
#define W_COUNT	"10"
#define W_NS	"12"

void srtt_show_hist_header(struct srtt_out *o)
{
	char line[160];

	snprintf(line, sizeof(line),
		 "%-" W_DEV "s %-" W_STAGE "s %-" W_STAGE "s %" W_COUNT "s %" W_NS "s %" W_NS "s %" W_NS "s %" W_NS "s %" W_NS "s %" W_NS "s",
		 "dev", "from", "to", "count", "min", srtt_pcts[0].name,
		 srtt_pcts[1].name, srtt_pcts[2].name, srtt_pcts[3].name, "max");
	srtt_print_string(o, SRTT_PK_TEXT, NULL, "%s", line);
	srtt_print_nl(o);
}

/*
 * A value in ns under the JSON key NAME_ns: a number; "-" (null) when
 * empty; ">60s" when it falls among the over-range samples (JSON null
 * and NAME_over_range true: no number is known).
 */
static void print_ns(struct srtt_out *o, const char *name, uint64_t ns,
		     bool empty)
{
	char key[32], over[40];

	snprintf(key, sizeof(key), "%s_ns", name);
	if (empty) {
		srtt_print_null(o, SRTT_PK_ANY, key, " %" W_NS "s", "-");
	} else if (ns == SRTT_HIST_OVER) {
		srtt_print_null(o, SRTT_PK_ANY, key, " %" W_NS "s", ">60s");
		snprintf(over, sizeof(over), "%s_over_range", name);
		srtt_print_bool(o, SRTT_PK_JSON, over, NULL, true, "", "");
	} else {
		srtt_print_u64(o, SRTT_PK_ANY, key, " %" W_NS PRIu64, ns);
	}
}

/*
 * As the module's hist/ files: min, percentiles and max only when
 * in-range samples exist, the percentiles from srtt_hist_percentile().
 */
void srtt_show_hist(struct srtt_out *o, const struct srtt_hist_msg *m)
{
	const struct srtt_hist *h = &m->h;
	bool empty = !h->count;
	unsigned int i;

	srtt_open_object(o, NULL);
	srtt_print_string(o, SRTT_PK_ANY, "ifname", "%-" W_DEV "s", m->ifname);
	if (m->dev_id >= 0)
		srtt_print_u64(o, SRTT_PK_JSON, "dev_id", NULL,
			       (uint64_t)m->dev_id);
	srtt_print_string(o, SRTT_PK_ANY, "from", " %-" W_STAGE "s",
			  srtt_stage_name(m->from));
	srtt_print_string(o, SRTT_PK_ANY, "to", " %-" W_STAGE "s",
			  srtt_stage_name(m->to));
	srtt_print_u64(o, SRTT_PK_ANY, "count", " %" W_COUNT PRIu64, h->count);
	srtt_print_u64(o, SRTT_PK_JSON, "over", NULL, h->over);
	print_ns(o, "min", h->min, empty);
	/* a percentile the sample does not support: "-", JSON null */
	for (i = 0; i < SRTT_NR_PCT; i++)
		print_ns(o, srtt_pcts[i].name,
			 srtt_hist_percentile(h, srtt_pcts[i].ppm),
			 empty || !srtt_hist_pct_supported(srtt_hist_total(h),
							   srtt_pcts[i].ppm));
	print_ns(o, "max", h->max, empty);
	srtt_close_object(o);
	srtt_print_nl(o);
}

static void show_stage_stats(struct srtt_out *o,
			     const struct srtt_stage_stats *st,
			     unsigned int stage)
{
	if (!st->present)
		return;
	srtt_open_object(o, NULL);
	srtt_print_string(o, SRTT_PK_ANY, "stage", "    %-" W_STAGE "s",
			  srtt_stage_name(stage));
	srtt_print_u64(o, SRTT_PK_ANY, "hits", " %14" PRIu64, st->hits);
	srtt_print_u64(o, SRTT_PK_ANY, "lost", " %14" PRIu64, st->lost);
	srtt_print_u64(o, SRTT_PK_ANY, "bad", " %14" PRIu64, st->bad);
	srtt_close_object(o);
	srtt_print_nl(o);
}

void srtt_show_stats(struct srtt_out *o, const struct srtt_stats_msg *s)
{
	char line[96];
	unsigned int i;

	srtt_open_object(o, NULL);
	srtt_print_string(o, SRTT_PK_ANY, "ifname", "%s", s->ifname);
	if (s->dev_id >= 0)
		srtt_print_u64(o, SRTT_PK_ANY, "dev_id", " id %" PRIu64,
			       (uint64_t)s->dev_id);
	srtt_print_u64(o, SRTT_PK_ANY, "impossible", ": impossible %" PRIu64,
		       s->impossible);
	srtt_print_u64(o, SRTT_PK_ANY, "track_busy", " track_busy %" PRIu64,
		       s->track_busy);
	srtt_print_u64(o, SRTT_PK_ANY, "track_restart",
		       " track_restart %" PRIu64, s->track_restart);
	srtt_print_u64(o, SRTT_PK_ANY, "track_evict", " track_evict %" PRIu64,
		       s->track_evict);
	srtt_print_nl(o);
	srtt_print_u64(o, SRTT_PK_ANY, "irqs", "    notifications: irqs %" PRIu64,
		       s->irqs);
	srtt_print_u64(o, SRTT_PK_ANY, "napi_polls", " napi_polls %" PRIu64,
		       s->napi_polls);
	srtt_print_nl(o);
	snprintf(line, sizeof(line), "    %-" W_STAGE "s %14s %14s %14s",
		 "stage", "hits", "lost", "bad");
	srtt_print_string(o, SRTT_PK_TEXT, NULL, "%s", line);
	srtt_print_nl(o);

	srtt_open_array(o, "stages");
	for (i = 0; i < __SRTT_STAGE_MAX; i++)
		show_stage_stats(o, &s->stage[i], i);
	srtt_close_array(o);
	/* a PF's hypervisor events: its VFs' interrupts in guests */
	srtt_open_array(o, "events");
	for (i = 0; i < SRTT_EVENT_COUNT; i++)
		show_stage_stats(o, &s->event[i], SRTT_EVENT_FIRST + i);
	srtt_close_array(o);
	srtt_close_object(o);
}

void srtt_show_config(struct srtt_out *o, const struct srtt_config_msg *c)
{
	srtt_open_object(o, NULL);
	if (c->has_stamp_port) {
		srtt_print_u64(o, SRTT_PK_ANY, "stamp_port", "stamp_port %" PRIu64,
			       c->stamp_port);
		srtt_print_nl(o);
	}
	if (c->has_sample) {
		srtt_print_u64(o, SRTT_PK_ANY, "sample", "sample %" PRIu64,
			       c->sample);
		srtt_print_nl(o);
	}
	if (c->has_ring_size) {
		srtt_print_u64(o, SRTT_PK_ANY, "ring_size", "ring_size %" PRIu64,
			       c->ring_size);
		srtt_print_nl(o);
	}
	srtt_close_object(o);
}
