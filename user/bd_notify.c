// SPDX-License-Identifier: GPL-2.0
/*
 * sriov-rtt: the notifications of a run (struct bd_notify): printed per
 * probe with the summary, and kept in the CSV as comment lines before
 * the header, which bd_csv_read.c hands back here:
 *
 *   # sriov-rtt notify host side probes=30 err=0 more=0
 *   # sriov-rtt notify host dev ifname=enp0s3 irqs=61 napi_polls=62 hv=1
 *     hv_irq=30 hv_inject=30 hv_signal=0 co_err=0 co_have=5 adaptive=0
 *     rx_usecs=3 rx_frames=0 tx_usecs=3 tx_frames=0   (one line)
 *   # sriov-rtt notify guest side requests=30 err=0 more=0
 *   # sriov-rtt notify guest none why=TEXT              (not reported)
 */

#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bd_priv.h"
#include "breakdown.h"
#include "lib/names.h"

#define NT_PREFIX	"# sriov-rtt notify "

/* @v per @n as "1.25", or "-" when nothing was sent */
static const char *per(uint64_t v, uint64_t n, char *buf, size_t len)
{
	uint64_t c;

	if (!n) {
		snprintf(buf, len, "-");
		return buf;
	}
	c = (v * 100 + n / 2) / n;
	snprintf(buf, len, "%" PRIu64 ".%02" PRIu64, c / 100, c % 100);
	return buf;
}

static void print_count(struct srtt_out *o, const char *key, uint64_t v,
			uint64_t n)
{
	char a[32], fmt[48];

	srtt_print_u64(o, SRTT_PK_JSON, key, NULL, v);
	snprintf(fmt, sizeof(fmt), " %s %%s", key);
	srtt_print_string(o, SRTT_PK_TEXT, NULL, fmt, per(v, n, a, sizeof(a)));
}

static void print_moderation(struct srtt_out *o, const struct srtt_coalesce *c)
{
	static const char * const key[] = {
		"rx_usecs", "rx_frames", "tx_usecs", "tx_frames",
		"adaptive_rx", "adaptive_tx",
	};
	const uint64_t val[] = {
		c->rx_usecs, c->rx_frames, c->tx_usecs, c->tx_frames,
		c->adaptive_rx, c->adaptive_tx,
	};
	char buf[160];
	unsigned int i;

	srtt_print_string(o, SRTT_PK_TEXT, NULL, "; moderation %s",
			  srtt_coalesce_str(c, buf, sizeof(buf)));
	if (c->err || !c->have) {
		srtt_print_null(o, SRTT_PK_JSON, "moderation", NULL, NULL);
		srtt_print_string(o, SRTT_PK_JSON, "moderation_why", NULL,
				  srtt_coalesce_str(c, buf, sizeof(buf)));
		return;
	}
	srtt_open_object(o, "moderation");
	for (i = 0; i < 6; i++)
		if (c->have & (1u << i))
			srtt_print_u64(o, SRTT_PK_JSON, key[i], NULL, val[i]);
	srtt_close_object(o);
}

static void print_side(struct srtt_out *o, const char *side,
		       const struct srtt_notify *nt, uint64_t n)
{
	unsigned int i;

	srtt_open_array(o, "devices");
	for (i = 0; i < nt->n; i++) {
		const struct srtt_notify_dev *d = &nt->dev[i];

		srtt_open_object(o, NULL);
		srtt_print_string(o, SRTT_PK_TEXT, NULL, "    %-5s", side);
		srtt_print_string(o, SRTT_PK_ANY, "ifname", " %-12s", d->ifname);
		print_count(o, "irqs", d->irqs, n);
		print_count(o, "napi_polls", d->napi_polls, n);
		if (d->hv) {
			print_count(o, "hv_irq", d->hv_irq, n);
			print_count(o, "hv_inject", d->hv_inject, n);
			print_count(o, "hv_signal", d->hv_signal, n);
		}
		print_moderation(o, &d->co);
		srtt_close_object(o);
		srtt_print_nl(o);
	}
	srtt_close_array(o);
	if (nt->more)
		srtt_print_u64(o, SRTT_PK_ANY, "devices_left_out",
			       "    %s: %" PRIu64 " more devices left out\n",
			       nt->more);
}

static const char *nt_strerror(int err)
{
	return err == ENOENT ? "the module is not loaded" :
	       err == EPROTO ? "the reflector's side has no module counters" :
	       strerror(err);
}

void bd_print_notify(struct srtt_out *o, const struct bd_run *r)
{
	const struct bd_notify *nt = &r->nt;

	srtt_open_object(o, "notifications");
	srtt_print_u64(o, SRTT_PK_ANY, "probes",
		       "  notifications per probe (host: %" PRIu64 " probes",
		       nt->probes);
	if (nt->guest_read && !nt->guest.err)
		srtt_print_u64(o, SRTT_PK_ANY, "guest_requests",
			       "; guest: %" PRIu64 " requests",
			       nt->guest_requests);
	srtt_print_string(o, SRTT_PK_TEXT, NULL, "%s", "):");
	srtt_print_nl(o);
	srtt_open_object(o, "host");
	if (!nt->host_read || nt->host.err)
		srtt_print_string(o, SRTT_PK_ANY, "why", "    host: not read (%s)\n",
				  !nt->host_read ? "not in the file" :
				  nt_strerror(nt->host.err));
	else
		print_side(o, "host", &nt->host, nt->probes);
	srtt_close_object(o);
	srtt_open_object(o, "guest");
	if (!nt->guest_read || nt->guest.err)
		srtt_print_string(o, SRTT_PK_ANY, "why", "    guest: not reported (%s)\n",
				  !nt->guest_read ? nt->guest_why :
				  nt_strerror(nt->guest.err));
	else
		print_side(o, "guest", &nt->guest, nt->guest_requests);
	srtt_close_object(o);
	srtt_close_object(o);
}

/* ---- CSV ---- */

static void csv_side(FILE *fp, const char *side, const struct srtt_notify *nt)
{
	unsigned int i;

	for (i = 0; i < nt->n; i++) {
		const struct srtt_notify_dev *d = &nt->dev[i];
		const struct srtt_coalesce *c = &d->co;

		fprintf(fp, NT_PREFIX "%s dev ifname=%s irqs=%" PRIu64
			" napi_polls=%" PRIu64 " hv=%d hv_irq=%" PRIu64
			" hv_inject=%" PRIu64 " hv_signal=%" PRIu64
			" co_err=%d co_have=%" PRIu32 " adaptive=%d rx_usecs=%"
			PRIu32 " rx_frames=%" PRIu32 " tx_usecs=%" PRIu32
			" tx_frames=%" PRIu32 "\n", side, d->ifname, d->irqs,
			d->napi_polls, d->hv, d->hv_irq, d->hv_inject,
			d->hv_signal, c->err, c->have,
			c->adaptive_rx | c->adaptive_tx << 1, c->rx_usecs,
			c->rx_frames, c->tx_usecs, c->tx_frames);
	}
}

void bd_notify_csv_write(const struct bd_run *r, FILE *fp)
{
	const struct bd_notify *nt = &r->nt;

	if (nt->host_read) {
		fprintf(fp, NT_PREFIX "host side probes=%" PRIu64
			" err=%d more=%u\n", nt->probes, nt->host.err,
			nt->host.more);
		csv_side(fp, "host", &nt->host);
	}
	if (nt->guest_read) {
		fprintf(fp, NT_PREFIX "guest side requests=%" PRIu32
			" err=%d more=%u\n", nt->guest_requests, nt->guest.err,
			nt->guest.more);
		csv_side(fp, "guest", &nt->guest);
	} else {
		fprintf(fp, NT_PREFIX "guest none why=%s\n", nt->guest_why);
	}
}

/* key=value of @s: 1 with *@v, 0 when @s is another key, -1 bad value */
static int kv_u64(const char *s, const char *key, uint64_t max, uint64_t *v)
{
	size_t n = strlen(key);
	char *end;

	if (strncmp(s, key, n) || s[n] != '=')
		return 0;
	errno = 0;
	*v = strtoull(s + n + 1, &end, 10);
	if (errno || end == s + n + 1 || *end || *v > max || s[n + 1] == '-')
		return -1;
	return 1;
}

struct nt_key {
	const char	*key;
	uint64_t	max;
	size_t		off;	/* in struct srtt_notify_dev, or ~0 */
	int		size;	/* 8, 4, 1 (bool), or 0: int */
};

#define DEV_KEY(k, m, f, s) { k, m, offsetof(struct srtt_notify_dev, f), s }
static const struct nt_key dev_keys[] = {
	DEV_KEY("irqs", UINT64_MAX, irqs, 8),
	DEV_KEY("napi_polls", UINT64_MAX, napi_polls, 8),
	DEV_KEY("hv", 1, hv, 1),
	DEV_KEY("hv_irq", UINT64_MAX, hv_irq, 8),
	DEV_KEY("hv_inject", UINT64_MAX, hv_inject, 8),
	DEV_KEY("hv_signal", UINT64_MAX, hv_signal, 8),
	DEV_KEY("co_err", 4095, co.err, 0),
	DEV_KEY("co_have", SRTT_CO_ALL, co.have, 4),
	DEV_KEY("rx_usecs", UINT32_MAX, co.rx_usecs, 4),
	DEV_KEY("rx_frames", UINT32_MAX, co.rx_frames, 4),
	DEV_KEY("tx_usecs", UINT32_MAX, co.tx_usecs, 4),
	DEV_KEY("tx_frames", UINT32_MAX, co.tx_frames, 4),
};

static void put_field(void *base, const struct nt_key *k, uint64_t v)
{
	char *p = (char *)base + k->off;

	if (k->size == 8)
		*(uint64_t *)(void *)p = v;
	else if (k->size == 4)
		*(uint32_t *)(void *)p = (uint32_t)v;
	else if (k->size == 1)
		*(bool *)p = v;
	else
		*(int *)(void *)p = (int)v;
}

/* the fields of a dev line after "dev " */
static int dev_line(struct srtt_notify *nt, char *s, char *why, size_t len)
{
	struct srtt_notify_dev *d;
	char *tok, *save = NULL;
	unsigned int i;
	uint64_t v;
	int rc;

	if (nt->n == SRTT_NOTIFY_DEVS) {
		nt->more++;
		return 0;
	}
	d = &nt->dev[nt->n];
	memset(d, 0, sizeof(*d));
	d->dev_id = -1;
	for (tok = strtok_r(s, " \n", &save); tok;
	     tok = strtok_r(NULL, " \n", &save)) {
		if (!strncmp(tok, "ifname=", 7)) {
			if (!tok[7] || strlen(tok + 7) >= IFNAMSIZ)
				goto bad;
			snprintf(d->ifname, sizeof(d->ifname), "%s", tok + 7);
			continue;
		}
		if (!strncmp(tok, "adaptive=", 9)) {
			rc = kv_u64(tok, "adaptive", 3, &v);
			if (rc < 0)
				goto bad;
			d->co.adaptive_rx = v & 1;
			d->co.adaptive_tx = !!(v & 2);
			continue;
		}
		for (i = 0, rc = 0; i < ARRAY_SIZE(dev_keys) && !rc; i++) {
			rc = kv_u64(tok, dev_keys[i].key, dev_keys[i].max, &v);
			if (rc > 0)
				put_field(d, &dev_keys[i], v);
		}
		if (rc < 0)
			goto bad;
		/* a key of a later version: left alone */
	}
	if (!d->ifname[0]) {
		snprintf(why, len, "a device without ifname=");
		return -EINVAL;
	}
	nt->n++;
	return 0;
bad:
	snprintf(why, len, "bad field \"%.40s\"", tok);
	return -EINVAL;
}

/* probes=/requests=, err= and more= of a side line */
static int side_line(struct bd_run *r, bool host, char *s, char *why,
		     size_t len)
{
	struct srtt_notify *nt = host ? &r->nt.host : &r->nt.guest;
	char *tok, *save = NULL;
	uint64_t v;
	int rc;

	for (tok = strtok_r(s, " \n", &save); tok;
	     tok = strtok_r(NULL, " \n", &save)) {
		if ((rc = kv_u64(tok, host ? "probes" : "requests",
				 host ? UINT64_MAX : UINT32_MAX, &v)) > 0) {
			if (host)
				r->nt.probes = v;
			else
				r->nt.guest_requests = (uint32_t)v;
		} else if (!rc && (rc = kv_u64(tok, "err", 4095, &v)) > 0) {
			nt->err = (int)v;
		} else if (!rc && (rc = kv_u64(tok, "more", UINT32_MAX, &v)) > 0) {
			nt->more = (unsigned int)v;
		}
		if (rc < 0) {
			snprintf(why, len, "bad field \"%.40s\"", tok);
			return -EINVAL;
		}
	}
	if (host)
		r->nt.host_read = true;
	else
		r->nt.guest_read = true;
	return 0;
}

int bd_notify_csv_line(struct bd_run *r, char *line, char *why, size_t len)
{
	char *s = line + strlen(NT_PREFIX);
	bool host;

	if (strncmp(line, NT_PREFIX, strlen(NT_PREFIX)))
		return 0;	/* another comment */
	if (!strncmp(s, "host ", 5))
		host = true;
	else if (!strncmp(s, "guest ", 6))
		host = false;
	else
		goto bad;
	s += host ? 5 : 6;
	if (!strncmp(s, "side ", 5) || !strcmp(s, "side\n"))
		return side_line(r, host, s + 4, why, len);
	if (!strncmp(s, "dev ", 4)) {
		if (!(host ? r->nt.host_read : r->nt.guest_read)) {
			snprintf(why, len, "a device before its side line");
			return -EINVAL;
		}
		return dev_line(host ? &r->nt.host : &r->nt.guest, s + 4, why,
				len);
	}
	if (!host && !strncmp(s, "none why=", 9)) {
		snprintf(r->nt.guest_why, sizeof(r->nt.guest_why), "%.*s",
			 (int)strcspn(s + 9, "\n"), s + 9);
		return 0;
	}
bad:
	snprintf(why, len, "not a notify line");
	return -EINVAL;
}
