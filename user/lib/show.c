// SPDX-License-Identifier: GPL-2.0
/* sriov-rtt: text and JSON for records, histograms, statistics, config. */

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "names.h"
#include "show.h"

/* @s then @v in decimal at @p; the end */
static char *put_u64(char *p, const char *s, uint64_t v)
{
	char d[20];
	int n = 0;

	while (*s)
		*p++ = *s++;
	do {
		d[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*p++ = d[--n];
	return p;
}

static char *put_str(char *p, const char *s, const char *v)
{
	while (*s)
		*p++ = *s++;
	while (*v)	/* names of fixed tables: nothing to escape */
		*p++ = *v++;
	return p;
}

static char *put_hex(char *p, const char *s, unsigned int v)
{
	char d[8];
	int n = 0;

	while (*s)
		*p++ = *s++;
	do {
		d[n++] = "0123456789abcdef"[v & 15];
		v >>= 4;
	} while (v);
	while (n)
		*p++ = d[--n];
	return p;
}

size_t srtt_record_fmt(char *buf, const struct srtt_record *rec, bool json)
{
	bool hw = rec->flags & SRTT_REC_F_HWTS;
	bool q = !(rec->flags & SRTT_REC_F_NO_QUEUE);
	char *p = buf;

	p = put_u64(p, json ? "{\"ts\":" : "ts=", rec->ts);
	p = put_str(p, json ? ",\"clock\":\"mono\",\"stage\":\"" :
		    " clock=mono stage=", srtt_stage_name(rec->stage));
	p = put_u64(p, json ? "\",\"dev_id\":" : " dev=", rec->dev_id);
	p = put_u64(p, json ? ",\"ifindex\":" : " ifindex=", rec->ifindex);
	p = put_u64(p, json ? ",\"cpu\":" : " cpu=", rec->cpu);
	if (q)
		p = put_u64(p, json ? ",\"queue\":" : " queue=", rec->queue);
	else
		p = put_str(p, json ? ",\"queue\":" : " queue=",
			    json ? "null" : "-");
	p = put_str(p, json ? ",\"probe\":\"" : " probe=",
		    srtt_probe_name(rec->key.probe));
	p = put_str(p, json ? "\",\"dir\":\"" : " dir=",
		    srtt_dir_name(rec->key.dir));
	p = put_u64(p, json ? "\",\"id\":" : " id=", rec->key.id);
	p = put_u64(p, json ? ",\"seq\":" : " seq=", rec->key.seq);
	if (hw)
		p = put_u64(p, json ? ",\"hwts\":" : " hwts=", rec->hwts);
	else
		p = put_str(p, json ? ",\"hwts\":" : " hwts=",
			    json ? "null" : "-");
	if (json)
		p = put_u64(p, ",\"flags\":", rec->flags);
	else
		p = put_hex(p, " flags=0x", rec->flags);
	p = put_str(p, json ? "}\n" : "\n", "");
	return (size_t)(p - buf);
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
