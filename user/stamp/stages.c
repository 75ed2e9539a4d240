// SPDX-License-Identifier: GPL-2.0
/* sriov_rtt: this kernel's stage stamps from the records group (stages.h). */

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <sys/socket.h>

#include "stages.h"

#define STAGES_BUF	65536
#define STAGES_RCVBUF	(4 << 20)

#ifndef SOL_NETLINK
#define SOL_NETLINK	270
#endif

/* ---- the table ---- */

/* A key lives in one of WAYS slots; a new key evicts the oldest of them. */
#define WAYS	4

int srtt_stages_tab_init(struct srtt_stages_tab *t, size_t slots)
{
	memset(t, 0, sizeof(*t));
	if (slots < WAYS || (slots & (slots - 1)) || slots > (1U << 20))
		return -EINVAL;
	t->e = calloc(slots, sizeof(*t->e));
	if (!t->e)
		return -ENOMEM;
	t->size = slots;
	return 0;
}

void srtt_stages_tab_free(struct srtt_stages_tab *t)
{
	free(t->e);
	t->e = NULL;
	t->size = 0;
	free(t->ev);
	t->ev = NULL;
	t->nev = 0;
	t->ev_cap = 0;
}

/* Rings are per CPU: events come nearly, not quite, in time order. */
static void event_add(struct srtt_stages_tab *t, const struct srtt_record *r)
{
	size_t i;

	if (t->nev == t->ev_cap) {
		size_t cap = t->ev_cap ? t->ev_cap * 2 : 1024;
		struct srtt_record *ev;

		if (cap > SRTT_STAGES_EVENTS_MAX)
			cap = SRTT_STAGES_EVENTS_MAX;
		ev = cap > t->ev_cap ? realloc(t->ev, cap * sizeof(*ev)) : NULL;
		if (!ev) {
			t->ev_dropped++;
			return;
		}
		t->ev = ev;
		t->ev_cap = cap;
	}
	for (i = t->nev; i > 0 && t->ev[i - 1].ts > r->ts; i--)
		;
	memmove(&t->ev[i + 1], &t->ev[i], (t->nev - i) * sizeof(*r));
	t->ev[i] = *r;
	t->nev++;
}

/* The index of the first event later than @ts. */
static size_t event_after(const struct srtt_stages_tab *t, uint64_t ts)
{
	size_t lo = 0, hi = t->nev;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (t->ev[mid].ts <= ts)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool event_is(const struct srtt_record *r, unsigned int stage, int vf,
		     int entry)
{
	return r->stage == stage && (vf < 0 || r->queue == vf) &&
	       (entry < 0 || r->key.id == entry);
}

const struct srtt_record *srtt_stages_event(const struct srtt_stages_tab *t,
					    unsigned int stage, uint64_t after,
					    uint64_t before, int vf, int entry)
{
	size_t i;

	for (i = event_after(t, after); i < t->nev && t->ev[i].ts < before; i++)
		if (event_is(&t->ev[i], stage, vf, entry))
			return &t->ev[i];
	return NULL;
}

const struct srtt_record *srtt_stages_event_last(const struct srtt_stages_tab *t,
						 unsigned int stage, uint64_t after,
						 uint64_t before, int vf, int entry)
{
	size_t i = before ? event_after(t, before - 1) : 0;

	while (i-- > 0 && t->ev[i].ts > after)
		if (event_is(&t->ev[i], stage, vf, entry))
			return &t->ev[i];
	return NULL;
}

static bool key_eq(const struct srtt_key *a, const struct srtt_key *b)
{
	return a->probe == b->probe && a->dir == b->dir && a->id == b->id &&
	       a->seq == b->seq;
}

static size_t key_slot(const struct srtt_stages_tab *t, const struct srtt_key *k)
{
	uint64_t h = (uint64_t)k->probe << 49 | (uint64_t)(k->dir & 1) << 48 |
		     (uint64_t)k->id << 32 | k->seq;

	/* splitmix64's finaliser: every input bit reaches the low bits */
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebULL;
	h ^= h >> 31;
	return (size_t)h & (t->size - 1);
}

void srtt_stages_tab_add(struct srtt_stages_tab *t, const struct srtt_record *r)
{
	struct srtt_stages_ent *e, *set, *victim = NULL;
	unsigned int i;

	if (r->flags & SRTT_REC_F_EVENT) {
		if (t->keep_events && r->stage >= SRTT_EVENT_FIRST &&
		    r->stage < __SRTT_EVENT_MAX)
			event_add(t, r);
		return;
	}
	if (r->key.probe == SRTT_PROBE_NONE || (r->flags & SRTT_REC_F_SAMPLED)) {
		t->sampled++;
		return;
	}
	set = &t->e[key_slot(t, &r->key) & ~(size_t)(WAYS - 1)];
	for (i = 0; i < WAYS; i++) {
		e = &set[i];
		if (e->used && key_eq(&e->key, &r->key))
			goto found;
		/* a free slot, else the key filed longest ago */
		if (!victim || (victim->used &&
				(!e->used || e->born < victim->born)))
			victim = e;
	}
	e = victim;
	if (e->used)
		t->evicted++;
	e->used = true;
	e->key = r->key;
	e->n = 0;
	e->born = ++t->tick;
found:
	if (e->n == SRTT_STAGES_PER_KEY) {
		t->full++;
		return;
	}
	e->rec[e->n++] = *r;
	t->stored++;
}

unsigned int srtt_stages_tab_get(const struct srtt_stages_tab *t,
				 const struct srtt_key *key,
				 const struct srtt_record **out)
{
	const struct srtt_stages_ent *set;
	unsigned int i;

	*out = NULL;
	if (!t->size)
		return 0;
	set = &t->e[key_slot(t, key) & ~(size_t)(WAYS - 1)];
	for (i = 0; i < WAYS; i++)
		if (set[i].used && key_eq(&set[i].key, key)) {
			*out = set[i].rec;
			return set[i].n;
		}
	return 0;
}

unsigned int srtt_stages_pick(const struct srtt_record *recs, unsigned int n,
			      bool tx, uint32_t ifindex,
			      const struct srtt_record *out[__SRTT_STAGE_MAX],
			      unsigned int *others)
{
	unsigned int i, found = 0;

	memset(out, 0, sizeof(*out) * __SRTT_STAGE_MAX);
	*others = 0;
	for (i = 0; i < n; i++) {
		const struct srtt_record *r = &recs[i];
		bool is_tx = r->stage <= SRTT_STAGE_TX_HW;

		if (r->stage >= __SRTT_STAGE_MAX || is_tx != tx)
			continue;
		if (!out[r->stage]) {
			out[r->stage] = r;
			found++;
			continue;
		}
		/* a second device saw this stage: the preferred one wins */
		(*others)++;
		if (ifindex && r->ifindex == ifindex &&
		    out[r->stage]->ifindex != ifindex)
			out[r->stage] = r;
	}
	return found;
}

/* ---- netlink messages ---- */

static unsigned int parse_records(const struct genlmsghdr *g, size_t glen,
				  struct srtt_stages_tab *t, uint64_t *lost)
{
	const uint8_t *p = (const uint8_t *)g + GENL_HDRLEN;
	size_t left = glen - GENL_HDRLEN;
	unsigned int bad = 0;

	while (left >= NLA_HDRLEN) {
		const struct nlattr *a = (const struct nlattr *)p;
		size_t alen = a->nla_len, plen, i;
		const uint8_t *data = p + NLA_HDRLEN;

		if (alen < NLA_HDRLEN || alen > left)
			return bad + 1;
		plen = alen - NLA_HDRLEN;
		switch (a->nla_type & NLA_TYPE_MASK) {
		case SRTT_A_RECORDS:
			if (plen % sizeof(struct srtt_record)) {
				bad++;
				break;
			}
			for (i = 0; i < plen; i += sizeof(struct srtt_record)) {
				struct srtt_record r;

				memcpy(&r, data + i, sizeof(r));
				srtt_stages_tab_add(t, &r);
			}
			break;
		case SRTT_A_LOST:
			if (plen != sizeof(uint64_t)) {
				bad++;
				break;
			}
			{
				uint64_t v;

				memcpy(&v, data, sizeof(v));
				*lost += v;
			}
			break;
		}
		alen = NLA_ALIGN(alen);
		if (alen >= left)
			break;
		p += alen;
		left -= alen;
	}
	return bad;
}

unsigned int srtt_stages_parse(const void *buf, size_t len, uint16_t family,
			       uint32_t seq, struct srtt_stages_tab *t,
			       uint64_t *lost, bool *acked, int *err)
{
	const struct nlmsghdr *nh = buf;
	unsigned int bad = 0;
	size_t left = len;

	for (; left >= NLMSG_HDRLEN; ) {
		size_t mlen = nh->nlmsg_len;

		if (mlen < NLMSG_HDRLEN || mlen > left)
			return bad + 1;
		if (nh->nlmsg_type == NLMSG_ERROR) {
			const struct nlmsgerr *e = NLMSG_DATA(nh);

			if (mlen < NLMSG_LENGTH(sizeof(*e)))
				bad++;
			else if (nh->nlmsg_seq == seq) {
				*acked = true;
				*err = e->error;
			}
		} else if (nh->nlmsg_type == family) {
			const struct genlmsghdr *g = NLMSG_DATA(nh);
			size_t glen = mlen - NLMSG_HDRLEN;

			if (glen < GENL_HDRLEN)
				bad++;
			else if (g->cmd == SRTT_CMD_RECORDS)
				bad += parse_records(g, glen, t, lost);
		}
		mlen = NLMSG_ALIGN(mlen);
		if (mlen >= left)
			break;
		left -= mlen;
		nh = (const struct nlmsghdr *)((const uint8_t *)nh + mlen);
	}
	return bad;
}

/* ---- the socket ---- */

struct stages_req {
	struct nlmsghdr		nh;
	struct genlmsghdr	g;
	uint8_t			attrs[64];
};

static int req_send(struct srtt_stages_src *s, uint16_t type, uint16_t flags,
		    uint8_t cmd, const char *name)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct stages_req r;
	size_t alen = 0;

	memset(&r, 0, sizeof(r));
	if (name) {
		struct nlattr *a = (struct nlattr *)r.attrs;
		size_t n = strlen(name) + 1;

		a->nla_type = CTRL_ATTR_FAMILY_NAME;
		a->nla_len = (uint16_t)(NLA_HDRLEN + n);
		memcpy(r.attrs + NLA_HDRLEN, name, n);
		alen = NLA_ALIGN(a->nla_len);
	}
	r.nh.nlmsg_len = (uint32_t)(NLMSG_LENGTH(GENL_HDRLEN) + alen);
	r.nh.nlmsg_type = type;
	r.nh.nlmsg_flags = NLM_F_REQUEST | flags;
	r.nh.nlmsg_seq = ++s->seq;
	r.g.cmd = cmd;
	r.g.version = 1;
	if (sendto(s->fd, &r, r.nh.nlmsg_len, 0, (struct sockaddr *)&sa,
		   sizeof(sa)) < 0)
		return -errno;
	return 0;
}

/* The family id and the records group from a CTRL_CMD_NEWFAMILY answer. */
static int parse_family(struct srtt_stages_src *s, const struct nlmsghdr *nh)
{
	const uint8_t *p = (const uint8_t *)NLMSG_DATA(nh) + GENL_HDRLEN;
	size_t left = nh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);

	while (left >= NLA_HDRLEN) {
		const struct nlattr *a = (const struct nlattr *)p;
		size_t alen = a->nla_len;

		if (alen < NLA_HDRLEN || alen > left)
			return -EPROTO;
		if (a->nla_type == CTRL_ATTR_FAMILY_ID &&
		    alen >= NLA_HDRLEN + 2)
			memcpy(&s->family, p + NLA_HDRLEN, 2);
		if ((a->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_MCAST_GROUPS) {
			const uint8_t *g = p + NLA_HDRLEN;
			size_t gl = alen - NLA_HDRLEN;

			while (gl >= NLA_HDRLEN) {
				const struct nlattr *grp = (const struct nlattr *)g;
				size_t grl = grp->nla_len, il;
				const uint8_t *in = g + NLA_HDRLEN;
				const char *name = NULL;
				uint32_t id = 0;

				if (grl < NLA_HDRLEN || grl > gl)
					return -EPROTO;
				il = grl - NLA_HDRLEN;
				while (il >= NLA_HDRLEN) {
					const struct nlattr *x = (const struct nlattr *)in;
					size_t xl = x->nla_len;

					if (xl < NLA_HDRLEN || xl > il)
						return -EPROTO;
					if (x->nla_type == CTRL_ATTR_MCAST_GRP_NAME &&
					    xl > NLA_HDRLEN &&
					    in[xl - 1] == '\0')
						name = (const char *)in + NLA_HDRLEN;
					if (x->nla_type == CTRL_ATTR_MCAST_GRP_ID &&
					    xl >= NLA_HDRLEN + 4)
						memcpy(&id, in + NLA_HDRLEN, 4);
					xl = NLA_ALIGN(xl);
					if (xl >= il)
						break;
					in += xl;
					il -= xl;
				}
				if (name && !strcmp(name, SRTT_GENL_MCGRP_RECORDS))
					s->group = id;
				grl = NLA_ALIGN(grl);
				if (grl >= gl)
					break;
				g += grl;
				gl -= grl;
			}
		}
		alen = NLA_ALIGN(alen);
		if (alen >= left)
			break;
		p += alen;
		left -= alen;
	}
	return s->family && s->group ? 0 : -EPROTO;
}

static int resolve(struct srtt_stages_src *s)
{
	const struct nlmsghdr *nh;
	ssize_t n;
	int err;

	err = req_send(s, GENL_ID_CTRL, 0, CTRL_CMD_GETFAMILY, SRTT_GENL_NAME);
	if (err)
		return err;
	for (;;) {
		n = recv(s->fd, s->buf, STAGES_BUF, 0);
		if (n < 0)
			return errno == EINTR ? 0 : -errno;
		for (nh = (struct nlmsghdr *)s->buf; NLMSG_OK(nh, (size_t)n);
		     nh = NLMSG_NEXT(nh, n)) {
			if (nh->nlmsg_seq != s->seq)
				continue;
			if (nh->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = NLMSG_DATA(nh);

				if (nh->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
					return -EPROTO;
				return e->error ? e->error : -EPROTO;
			}
			if (nh->nlmsg_type == GENL_ID_CTRL &&
			    nh->nlmsg_len >= NLMSG_LENGTH(GENL_HDRLEN))
				return parse_family(s, nh);
		}
	}
}

int srtt_stages_open(struct srtt_stages_src *s, size_t slots)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct timeval tv = { .tv_sec = 2 };
	int val = STAGES_RCVBUF, err;

	memset(s, 0, sizeof(*s));
	s->fd = -1;
	err = srtt_stages_tab_init(&s->tab, slots);
	if (err)
		return err;
	s->buf = malloc(STAGES_BUF);
	if (!s->buf) {
		err = -ENOMEM;
		goto fail;
	}
	s->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (s->fd < 0 ||
	    bind(s->fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    setsockopt(s->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv))) {
		err = -errno;
		goto fail;
	}
	/* a bigger buffer where allowed; the default one otherwise */
	if (setsockopt(s->fd, SOL_SOCKET, SO_RCVBUFFORCE, &val, sizeof(val)))
		setsockopt(s->fd, SOL_SOCKET, SO_RCVBUF, &val, sizeof(val));
	err = resolve(s);
	if (err)
		goto fail;
	if (setsockopt(s->fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &s->group,
		       sizeof(s->group))) {
		err = -errno;
		goto fail;
	}
	return 0;
fail:
	srtt_stages_close(s);
	return err;
}

void srtt_stages_close(struct srtt_stages_src *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	free(s->buf);
	s->buf = NULL;
	srtt_stages_tab_free(&s->tab);
}

/* One recv: >0 bytes parsed, 0 nothing there, <0 error. */
static int read_once(struct srtt_stages_src *s, int flags, bool *acked,
		     int *err)
{
	uint64_t lost = 0;
	unsigned int bad;
	ssize_t n;

	n = recv(s->fd, s->buf, STAGES_BUF, flags);
	if (n < 0) {
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
			return 0;
		if (errno == ENOBUFS) {
			/* the socket dropped batches: how many is unknown */
			s->lost_socket++;
			s->loss_events++;
			return 1;
		}
		return -errno;
	}
	bad = srtt_stages_parse(s->buf, (size_t)n, s->family, s->seq, &s->tab,
				&lost, acked, err);
	s->malformed += bad;
	if (lost) {
		s->lost_kernel += lost;
		s->loss_events++;
	}
	return 1;
}

int srtt_stages_poll(struct srtt_stages_src *s)
{
	bool acked = false;
	int err = 0, rc;

	do {
		rc = read_once(s, MSG_DONTWAIT, &acked, &err);
	} while (rc > 0);
	return rc;
}

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int srtt_stages_flush(struct srtt_stages_src *s, int timeout_ms)
{
	int64_t end = mono_ms() + timeout_ms;
	bool acked = false;
	int err = 0, rc;

	rc = req_send(s, s->family, NLM_F_ACK, SRTT_CMD_RECORDS_FLUSH, NULL);
	if (rc)
		return rc;
	while (!acked) {
		struct pollfd p = { .fd = s->fd, .events = POLLIN };
		int64_t left = end - mono_ms();

		if (left <= 0)
			return -ETIMEDOUT;
		rc = poll(&p, 1, (int)left);
		if (rc < 0 && errno != EINTR)
			return -errno;
		if (rc <= 0)
			continue;
		rc = read_once(s, MSG_DONTWAIT, &acked, &err);
		if (rc < 0)
			return rc;
	}
	return err;
}

const char *srtt_stages_strerror(int err)
{
	switch (-err) {
	case ENOENT:
		return "sriov_rtt module not loaded (no generic netlink family sriov_rtt)";
	case EPERM:
	case EACCES:
		return "the records group needs CAP_NET_ADMIN";
	case ENOTCONN:
		return "the module saw no listener on the records group";
	case ETIMEDOUT:
		return "the module did not answer a records flush in time";
	case EOPNOTSUPP:
		return "the sriov_rtt module is too old for records flush";
	case EPROTO:
		return "the sriov_rtt family answered something not understood";
	}
	return strerror(-err);
}
