// SPDX-License-Identifier: GPL-2.0
/*
 * sriov-rtt-reflector: STAMP session-reflector (RFC 8762 unauthenticated
 * mode, stateless or stateful; RFC 8972 SSID and TLVs) that also answers
 * the sriov_rtt TLVs a sriov-rtt session-sender asks for: the reflector
 * kernel's stage stamps, follow-up stamps of the previous reply, boot id.
 * Documentation/sriov-rtt-reflector.8.rst is its manual.
 *
 * Clocks. T2 and T3 in the reply are both CLOCK_REALTIME so that T3 - T2
 * means something to any STAMP sender: T2 is the kernel's software
 * receive stamp (SO_TIMESTAMPING), T3 the time read just before
 * sendmsg(). The precise transmit stamps of a reply (software and, when
 * the NIC gives them, hardware) exist only after it left; they travel in
 * the follow-up TLV of the next reply in the same session, together with
 * the hardware receive stamp of its request. Hardware stamps are PHC
 * time and are never written into T2/T3.
 */

#define _GNU_SOURCE		/* struct in6_pktinfo */

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <linux/net_tstamp.h>
#include <linux/sriov_rtt.h>

#include "lib/notify.h"
#include "lib/records.h"
#include "lib/tstamp.h"
#include "stamp/stages.h"
#include "stamp/stamp.h"

/* Exit codes; the manual lists them. */
enum {
	REFL_EXIT_OK	= 0,
	REFL_EXIT_USAGE	= 1,
	REFL_EXIT_SETUP	= 2,	/* socket, bind, interface, timestamping */
};

#define REFL_SESSIONS		1024	/* stateful counters, follow-ups */
#define REFL_BUCKETS		1024	/* per-source rate limits */
#define REFL_PROBES		8	/* slots tried before evicting */
#define REFL_PENDING		256	/* replies awaiting their TX stamp */
/*
 * Replies a session remembers for its follow-ups: the first FOLLOW_UP of a
 * request describes the last, the second the oldest of the others that
 * had no RX or no TX stage when it was last described (a reflector
 * behind its requests starts no records flush), else the one before the
 * last. A reply's keys leave the table when it leaves this history.
 */
#define REFL_DONE		6
#define REFL_STAGE_SLOTS	4096	/* probe keys kept, see stamp/stages.h */
#define REFL_FLUSH_MS		200	/* a trailer's records flush, at most */
/* a stage farther than this before T2 or after T3 is another packet's */
#define REFL_STAGE_WINDOW_NS	1000000000ULL
#define REFL_RETRY_NS		1000000000ULL	/* reopen the source after */
#define REFL_BOOT_ID		"/proc/sys/kernel/random/boot_id"
#define REFL_PTP_KVM		"KVM virtual PTP"

struct refl_opts {
	uint16_t	port;
	const char	*bind;
	const char	*ifname;
	unsigned int	rate;		/* replies per second per source, 0 off */
	unsigned long	count;		/* exit after this many replies, 0 never */
	bool		stateful;
	bool		no_stages;
	unsigned int	hold_us;	/* test option: hold each reply */
	int		verbose;
};

struct refl_stats {
	uint64_t	received;
	uint64_t	replied;
	uint64_t	rate_limited;
	uint64_t	malformed;	/* no reply: shorter than 14 or too long */
	uint64_t	light;		/* TWAMP-Light requests (below 44 bytes) */
	uint64_t	padding;	/* zeros past the base, copied as padding */
	uint64_t	tlv_malformed;	/* replied, some TLV marked M */
	uint64_t	send_errors;
	uint64_t	tx_stamps;	/* TX stamps matched to a reply */
	uint64_t	no_rx_stamp;	/* T2 from clock_gettime() instead */
	uint64_t	flushes;	/* records flushes started, never waited on */
	uint64_t	trailer_flushes;	/* flushes a trailer waited on */
	uint64_t	flush_errors;
	uint64_t	stale;		/* records outside their request's window */
	uint64_t	followups;	/* FOLLOW_UP TLVs filled about a reply */
	uint64_t	notify_reads;	/* notification counters read */
	uint64_t	notify_max_ns;	/* the longest read */
};

/*
 * An earlier reply of a session, as FOLLOW_UP TLVs describe it: its TX
 * stamps, and where its request's and its own stages must lie in this
 * kernel's CLOCK_MONOTONIC.
 */
struct refl_done {
	struct srtt_stamp_follow_up fu;	/* flags VALID once it was sent */
	uint32_t	ifindex;	/* where its request came in */
	uint64_t	t2_mono;	/* its T2 in this kernel's MONOTONIC */
	uint64_t	t3_mono;	/* its T3, likewise */
	uint64_t	loss_mark;	/* src.loss_events when it was sent */
	bool		complete;	/* described with RX and TX stages */
};

/* One session: source address and port plus SSID (RFC 8972 section 3). */
struct refl_session {
	bool		used;
	struct in6_addr	addr;
	uint16_t	port;
	uint16_t	ssid;
	uint32_t	next_seq;	/* stateful mode: own Sequence Number */
	uint64_t	last_use;
	uint64_t	start_mono;	/* its first request, this MONOTONIC */
	struct refl_done done[REFL_DONE];	/* the last reply first */
	struct srtt_stamp_bracket hc;	/* hypervisor clock, after a reply */
	bool		have_hc;
	/* notifications: read after the first reply with stages, then */
	bool		nt_based;
	struct srtt_notify nt_base;
	uint32_t	nt_requests;	/* requests since */
};

struct refl_bucket {
	bool		used;
	struct in6_addr	addr;
	double		tokens;
	uint64_t	last_ns;
};

struct refl_pending {
	bool		used;
	uint32_t	key;		/* SOF_TIMESTAMPING_OPT_ID */
	unsigned int	session;
	uint16_t	ssid;
	uint32_t	ss_seq;
};

struct refl_ctx {
	struct refl_opts	o;
	struct refl_stats	st;
	int			fd;
	int			family;
	uint16_t		ee;
	uint64_t		ee_bound_ns;
	uint8_t			boot_id[SRTT_STAMP_BOOT_ID_LEN];
	bool			have_boot_id;
	int			ptp_fd;		/* ptp_kvm: the hypervisor's clock */
	char			ptp_name[32];
	uint64_t		ptp_reads, ptp_errors;
	uint32_t		tskey;		/* next OPT_ID key */
	struct srtt_recsock	src;		/* this kernel's records group */
	struct srtt_stages_tab	tab;		/* its records of probes */
	bool			have_src;
	int			src_err;	/* why not, when !have_src */
	uint64_t		src_tried;	/* CLOCK_MONOTONIC of the last try */
	uint64_t		tick;
	struct refl_session	sess[REFL_SESSIONS];
	struct refl_bucket	bucket[REFL_BUCKETS];
	struct refl_pending	pending[REFL_PENDING];
	uint8_t			rx[65536];
	uint8_t			tx[65536];
};

static volatile sig_atomic_t refl_stop;

static void refl_on_signal(int sig)
{
	(void)sig;
	refl_stop = 1;
}

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return srtt_stamp_timespec_ns(&ts);
}

static const char *addr_str(const struct in6_addr *a, char *buf, size_t n)
{
	if (IN6_IS_ADDR_V4MAPPED(a))
		return inet_ntop(AF_INET, &a->s6_addr[12], buf, (socklen_t)n);
	return inet_ntop(AF_INET6, a, buf, (socklen_t)n);
}

static uint32_t hash_bytes(const void *p, size_t n, uint32_t h)
{
	const uint8_t *b = p;

	while (n--)
		h = (h ^ *b++) * 16777619u;	/* FNV-1a */
	return h;
}

/* ---- sessions and rate limits ---- */

static unsigned int session_get(struct refl_ctx *c, const struct in6_addr *a,
				uint16_t port, uint16_t ssid)
{
	uint32_t h = hash_bytes(a, sizeof(*a), 2166136261u);
	unsigned int i, idx, victim = 0;
	uint64_t oldest = UINT64_MAX;
	struct refl_session *s;

	h = hash_bytes(&port, sizeof(port), h);
	h = hash_bytes(&ssid, sizeof(ssid), h);
	for (i = 0; i < REFL_PROBES; i++) {
		idx = (h + i) % REFL_SESSIONS;
		s = &c->sess[idx];
		if (s->used && s->port == port && s->ssid == ssid &&
		    !memcmp(&s->addr, a, sizeof(*a)))
			goto found;
		if (!s->used) {
			victim = idx;
			oldest = 0;
		} else if (s->last_use < oldest) {
			victim = idx;
			oldest = s->last_use;
		}
	}
	/* a new session, in a free slot or the least recently used one */
	idx = victim;
	s = &c->sess[idx];
	memset(s, 0, sizeof(*s));
	s->used = true;
	s->addr = *a;
	s->port = port;
	s->ssid = ssid;
found:
	s->last_use = ++c->tick;
	return idx;
}

/* Token bucket per source address: true if a reply may go out now. */
static bool rate_ok(struct refl_ctx *c, const struct in6_addr *a)
{
	uint32_t h = hash_bytes(a, sizeof(*a), 2166136261u);
	unsigned int i, idx, victim = 0;
	uint64_t now = clock_ns(CLOCK_MONOTONIC), oldest = UINT64_MAX;
	double burst = c->o.rate;
	struct refl_bucket *b;

	if (!c->o.rate)
		return true;
	for (i = 0; i < REFL_PROBES; i++) {
		idx = (h + i) % REFL_BUCKETS;
		b = &c->bucket[idx];
		if (b->used && !memcmp(&b->addr, a, sizeof(*a)))
			goto found;
		if (!b->used) {
			victim = idx;
			oldest = 0;
		} else if (b->last_ns < oldest) {
			victim = idx;
			oldest = b->last_ns;
		}
	}
	b = &c->bucket[victim];
	b->used = true;
	b->addr = *a;
	b->tokens = burst;	/* a new source starts with a full bucket */
	b->last_ns = now;
found:
	b->tokens += (double)(now - b->last_ns) * c->o.rate / 1e9;
	if (b->tokens > burst)
		b->tokens = burst;
	b->last_ns = now;
	if (b->tokens < 1.0)
		return false;
	b->tokens -= 1.0;
	return true;
}

/* ---- the reflector kernel's stage stamps ---- */

/*
 * The stage source: sriov_rtt.ko's records group in this kernel
 * (lib/records.h). Opened at start and, while it is missing (module not
 * loaded yet, or unloaded), tried again at most once a second when a
 * request asks for stages.
 */
static bool src_ready(struct refl_ctx *c)
{
	uint64_t now = clock_ns(CLOCK_MONOTONIC);
	int err;

	if (c->have_src || c->o.no_stages)
		return c->have_src;
	if (c->src_tried && now - c->src_tried < REFL_RETRY_NS)
		return false;
	c->src_tried = now;
	err = srtt_recsock_open_tab(&c->src, &c->tab, REFL_STAGE_SLOTS);
	if (err) {
		if (err != c->src_err || c->o.verbose)
			fprintf(stderr, "sriov-rtt-reflector: guest stages: %s\n",
				srtt_recsock_strerror(err));
		c->src_err = err;
		return false;
	}
	if (c->src_err)
		fprintf(stderr, "sriov-rtt-reflector: guest stages: records group joined\n");
	c->src_err = 0;
	c->have_src = true;
	return true;
}

static void src_drop(struct refl_ctx *c, int err)
{
	fprintf(stderr, "sriov-rtt-reflector: guest stages: %s; trying again "
		"in a second\n", srtt_recsock_strerror(err));
	srtt_recsock_close_tab(&c->src, &c->tab);
	c->have_src = false;
	c->src_err = err;
	c->src_tried = clock_ns(CLOCK_MONOTONIC);
}

/*
 * Bring every record stamped so far into the table, waiting for the
 * module's answer: only for a trailer, whose own times nobody uses.
 */
static bool src_flush(struct refl_ctx *c)
{
	int err;

	if (!src_ready(c))
		return false;
	c->st.trailer_flushes++;
	err = srtt_recsock_flush(&c->src, REFL_FLUSH_MS);
	if (!err)
		return true;
	c->st.flush_errors++;
	if (err != -ETIMEDOUT)
		src_drop(c, err);
	return false;
}

/*
 * After a reply: read the records that came, and when no request is
 * waiting ask for the rest without waiting for them, so that the next
 * reply's follow-ups have them. The module also drains every 10 ms by
 * itself: with requests farther apart this only makes it sooner.
 */
static void src_refresh(struct refl_ctx *c)
{
	struct pollfd p = { .fd = c->fd, .events = POLLIN };
	int err;

	if (!c->have_src)
		return;
	err = srtt_recsock_read(&c->src);
	if (err) {
		src_drop(c, err);
		return;
	}
	if (c->src.flush_pending || poll(&p, 1, 0) != 0)
		return;
	err = srtt_recsock_flush_start(&c->src);
	if (err) {
		c->st.flush_errors++;
		src_drop(c, err);
		return;
	}
	c->st.flushes++;
}

/*
 * The stage stamps sriov_rtt.ko took of one probe in this kernel, key
 * (STAMP, @dir, @ssid, @seq), stamped in [@lo, @hi]
 * (srtt_stages_collect()), appended to @out from *@k on, at most @max.
 */
static void guest_stages(struct refl_ctx *c, uint16_t ssid, uint32_t seq,
			 uint8_t dir, uint32_t ifindex, uint64_t lo,
			 uint64_t hi, struct srtt_stamp_stage *out, size_t max,
			 size_t *k)
{
	struct srtt_key key = {
		.probe = SRTT_PROBE_STAMP, .dir = dir, .id = ssid, .seq = seq,
	};
	struct srtt_record rec[__SRTT_STAGE_MAX];
	unsigned int n, i;

	n = srtt_stages_collect(&c->tab, &key, ifindex, lo, hi, rec,
				__SRTT_STAGE_MAX, &c->st.stale);
	for (i = 0; i < n && *k < max; i++) {
		out[*k].stage = rec[i].stage;
		out[*k].flags = (uint8_t)rec[i].flags;
		out[*k].ts_ns = rec[i].ts;
		out[*k].hwts = rec[i].hwts;
		(*k)++;
	}
}

/* A reply reported twice is done with: its keys leave the table. */
static void stages_forget(struct refl_ctx *c, uint16_t ssid, uint32_t seq)
{
	struct srtt_key key = {
		.probe = SRTT_PROBE_STAMP, .id = ssid, .seq = seq,
	};

	if (!c->have_src)
		return;
	key.dir = SRTT_DIR_FWD;
	srtt_stages_tab_del(&c->tab, &key);
	key.dir = SRTT_DIR_REV;
	srtt_stages_tab_del(&c->tab, &key);
}

/* ---- the hypervisor's clock ---- */

/*
 * The KVM PTP clock (ptp_kvm): the hypervisor's CLOCK_REALTIME. Looked
 * for once, by its clock name; -1 when there is none.
 */
static void open_host_clock(struct refl_ctx *c)
{
	char path[64], name[64];
	unsigned int i;
	FILE *f;

	c->ptp_fd = -1;
	for (i = 0; i < 32 && c->ptp_fd < 0; i++) {
		snprintf(path, sizeof(path), "/sys/class/ptp/ptp%u/clock_name", i);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(name, sizeof(name), f) &&
		    !strncmp(name, REFL_PTP_KVM, strlen(REFL_PTP_KVM))) {
			snprintf(c->ptp_name, sizeof(c->ptp_name), "/dev/ptp%u", i);
			c->ptp_fd = open(c->ptp_name, O_RDONLY | O_CLOEXEC);
		}
		fclose(f);
	}
}

/*
 * This kernel's MONOTONIC against the hypervisor's REALTIME: the
 * narrowest of three MONOTONIC, PTP, MONOTONIC brackets. false when the
 * clock cannot be read.
 */
static bool read_host_clock(struct refl_ctx *c, struct srtt_stamp_bracket *b)
{
	clockid_t id = ((~(clockid_t)c->ptp_fd) << 3) | 3;	/* FD_TO_CLOCKID */
	struct timespec m1, h, m2;
	uint64_t w, best = UINT64_MAX;
	int i;

	if (c->ptp_fd < 0)
		return false;
	c->ptp_reads++;
	for (i = 0; i < 3; i++) {
		if (clock_gettime(CLOCK_MONOTONIC, &m1) || clock_gettime(id, &h) ||
		    clock_gettime(CLOCK_MONOTONIC, &m2)) {
			c->ptp_errors++;
			return false;
		}
		w = srtt_stamp_timespec_ns(&m2) - srtt_stamp_timespec_ns(&m1);
		if (w < best) {
			best = w;
			b->mono_ns = srtt_stamp_timespec_ns(&m1) + w / 2;
			b->real_ns = srtt_stamp_timespec_ns(&h);
			b->half_width_ns = (uint32_t)((w + 1) / 2);
		}
	}
	return true;
}

/* ---- TLVs ---- */

struct refl_fill {
	struct refl_ctx		*c;
	struct refl_session	*s;
	uint16_t		ssid;
	uint32_t		ss_seq;
	uint32_t		ifindex;	/* the request came in here */
	bool			src;		/* a stage source to read */
	bool			trailer;	/* its times are not used */
	unsigned int		fu_n;		/* FOLLOW_UP TLVs filled so far */
	struct srtt_stamp_bracket clk;	/* MONOTONIC/REALTIME at this reply */
};

/* FOLLOW_UP about @d: its stamps, its request's RX and its TX stages. */
static void fill_follow_up(struct refl_fill *f, struct refl_done *d,
			   struct srtt_stamp_follow_up *fu)
{
	struct refl_session *s = f->s;
	size_t k = 0, rx;
	uint64_t lo;

	*fu = d->fu;
	if (!(fu->flags & SRTT_STAMP_FU_F_VALID))
		return;
	f->c->st.followups++;
	if (!f->src) {
		fu->flags |= SRTT_STAMP_FU_F_NO_SOURCE;
		return;
	}
	lo = d->t2_mono > REFL_STAGE_WINDOW_NS ?
	     d->t2_mono - REFL_STAGE_WINDOW_NS : 0;
	if (s->start_mono > REFL_STAGE_WINDOW_NS &&
	    lo < s->start_mono - REFL_STAGE_WINDOW_NS)
		lo = s->start_mono - REFL_STAGE_WINDOW_NS;
	/* RX: before T3 (rx_stack and later follow T2 itself) */
	guest_stages(f->c, f->ssid, fu->ss_seq, SRTT_DIR_FWD, d->ifindex, lo,
		     d->t3_mono, fu->st, SRTT_STAMP_STAGES_MAX, &k);
	rx = k;
	/* TX: from the bracket read before T3 on */
	guest_stages(f->c, f->ssid, fu->ss_seq, SRTT_DIR_REV, d->ifindex,
		     d->t3_mono - f->clk.half_width_ns,
		     d->t3_mono + REFL_STAGE_WINDOW_NS, fu->st,
		     SRTT_STAMP_STAGES_MAX, &k);
	fu->count = (uint8_t)k;
	d->complete = rx && k > rx;
	if (f->c->src.loss_events != d->loss_mark)
		fu->flags |= SRTT_STAMP_FU_F_LOST;
}

/* What the @n-th FOLLOW_UP of a request describes (see REFL_DONE). */
static struct refl_done *follow_up_of(struct refl_session *s, unsigned int n)
{
	int i;

	if (!n)
		return &s->done[0];
	for (i = REFL_DONE - 1; i > 0; i--)
		if ((s->done[i].fu.flags & SRTT_STAMP_FU_F_VALID) &&
		    !s->done[i].complete)
			return &s->done[i];
	return &s->done[1];
}

/* The notification counters, and how long reading them took */
static void notify_read(struct refl_ctx *c, struct srtt_notify *nt)
{
	uint64_t t0 = clock_ns(CLOCK_MONOTONIC), dt;

	srtt_notify_read(nt);
	dt = clock_ns(CLOCK_MONOTONIC) - t0;
	c->st.notify_reads++;
	if (dt > c->st.notify_max_ns)
		c->st.notify_max_ns = dt;
}

/*
 * NOTIFY: in a trailer, this side's notifications since the session's
 * first reply (read now: a trailer's times are not used); in any other
 * request nothing is read before the reply.
 */
static int fill_notify(struct refl_fill *f, uint8_t *value, size_t len)
{
	struct refl_session *s = f->s;
	struct srtt_notify nt = { .err = 0 };

	if (!f->trailer)
		return srtt_stamp_nt_fill(value, len, &nt, 0,
					  SRTT_STAMP_NT_F_NOT_TRAILER);
	if (!s->nt_based || s->nt_base.err) {
		nt.err = s->nt_based ? s->nt_base.err : EAGAIN;
		return srtt_stamp_nt_fill(value, len, &nt, s->nt_requests, 0);
	}
	notify_read(f->c, &nt);
	srtt_notify_since(&nt, &s->nt_base);
	return srtt_stamp_nt_fill(value, len, &nt, s->nt_requests, 0);
}

static int refl_tlv(void *arg, uint8_t type, uint8_t *value, size_t len)
{
	struct srtt_stamp_guest_stages gs = { .count = 0 };
	struct srtt_stamp_follow_up fu;
	struct refl_fill *f = arg;
	uint8_t hcf = 0;

	switch (type) {
	case SRTT_STAMP_TLV_BOOT_ID:
		if (len != SRTT_STAMP_BOOT_ID_LEN)
			return SRTT_STAMP_TLV_BADLEN;
		if (!f->c->have_boot_id)
			return SRTT_STAMP_TLV_UNKNOWN;
		memcpy(value, f->c->boot_id, len);
		return SRTT_STAMP_TLV_RECOGNIZED;
	case SRTT_STAMP_TLV_HOST_CLOCK:
		/* read after the session's previous reply, never before this one */
		if (!f->s->have_hc)
			hcf = SRTT_STAMP_HC_F_NO_SOURCE;
		return srtt_stamp_hc_fill(value, len, &f->s->hc, hcf) ?
			SRTT_STAMP_TLV_BADLEN : SRTT_STAMP_TLV_RECOGNIZED;
	case SRTT_STAMP_TLV_GUEST_STAGES:
		/* this request's stages come in later replies' follow-ups */
		gs.flags = f->src ? SRTT_STAMP_GS_F_DEFERRED :
				    SRTT_STAMP_GS_F_NO_SOURCE;
		gs.clk = f->clk;
		return srtt_stamp_gs_fill(value, len, &gs) < 0 ?
			SRTT_STAMP_TLV_BADLEN : SRTT_STAMP_TLV_RECOGNIZED;
	case SRTT_STAMP_TLV_NOTIFY:
		return fill_notify(f, value, len) ? SRTT_STAMP_TLV_BADLEN :
			SRTT_STAMP_TLV_RECOGNIZED;
	case SRTT_STAMP_TLV_FOLLOW_UP:
		/* the first about the previous reply, a second see REFL_DONE */
		if (f->fu_n < 2)
			fill_follow_up(f, follow_up_of(f->s, f->fu_n), &fu);
		else
			memset(&fu, 0, sizeof(fu));
		f->fu_n++;
		return srtt_stamp_fu_fill(value, len, &fu) < 0 ?
			SRTT_STAMP_TLV_BADLEN : SRTT_STAMP_TLV_RECOGNIZED;
	}
	return srtt_stamp_tlv_default(NULL, type, value, len);
}

/* ---- transmit stamps ---- */

/* Restart the OPT_ID count at 0 (toggling the flag resets it for UDP). */
static int tskey_reset(struct refl_ctx *c, unsigned int flags)
{
	unsigned int off = flags & ~SOF_TIMESTAMPING_OPT_ID;

	if (setsockopt(c->fd, SOL_SOCKET, SO_TIMESTAMPING, &off, sizeof(off)) ||
	    setsockopt(c->fd, SOL_SOCKET, SO_TIMESTAMPING, &flags, sizeof(flags)))
		return -errno;
	c->tskey = 0;
	memset(c->pending, 0, sizeof(c->pending));
	return 0;
}

/* The reply a TX stamp with OPT_ID @key belongs to, or NULL. */
static struct refl_done *pending_reply(struct refl_ctx *c, uint32_t key)
{
	struct refl_pending *p = &c->pending[key % REFL_PENDING];
	struct refl_session *s;
	unsigned int i;

	if (!p->used || p->key != key)
		return NULL;
	s = &c->sess[p->session];
	/* the session may have been evicted and reused since */
	if (!s->used || s->ssid != p->ssid)
		return NULL;
	for (i = 0; i < REFL_DONE; i++)
		if ((s->done[i].fu.flags & SRTT_STAMP_FU_F_VALID) &&
		    s->done[i].fu.ss_seq == p->ss_seq)
			return &s->done[i];
	return NULL;
}

/* Read every queued TX stamp and file it with the reply it belongs to. */
static void drain_errqueue(struct refl_ctx *c)
{
	struct srtt_errq e;
	struct refl_done *d;
	uint32_t key;

	while (srtt_errq_read(c->fd, &e) > 0) {
		if (!srtt_errq_tx_stamp(&e, &key))
			continue;
		d = pending_reply(c, key);
		if (!d)
			continue;
		if (e.ts.sw_ns) {
			d->fu.tx_sw_ns = e.ts.sw_ns;
			d->fu.flags |= SRTT_STAMP_FU_F_TX_SW;
		}
		if (e.ts.hw_ns) {
			d->fu.tx_hw_ns = e.ts.hw_ns;
			d->fu.flags |= SRTT_STAMP_FU_F_TX_HW;
		}
		c->st.tx_stamps++;
	}
}

/* ---- one request ---- */

struct refl_rx {
	struct sockaddr_in6	peer;	/* IPv4 peers as v4-mapped */
	struct in6_addr		local;
	int			ifindex;
	bool			have_local;
	uint8_t			ttl;
	uint64_t		t2_ns;	/* CLOCK_REALTIME */
	uint64_t		rx_hw_ns;
	bool			t2_sw;
};

static void to_mapped(const struct sockaddr_storage *ss, struct sockaddr_in6 *out)
{
	const struct sockaddr_in *in = (const struct sockaddr_in *)ss;

	if (ss->ss_family == AF_INET6) {
		*out = *(const struct sockaddr_in6 *)ss;
		return;
	}
	memset(out, 0, sizeof(*out));
	out->sin6_family = AF_INET6;
	out->sin6_port = in->sin_port;
	out->sin6_addr.s6_addr[10] = 0xff;
	out->sin6_addr.s6_addr[11] = 0xff;
	memcpy(&out->sin6_addr.s6_addr[12], &in->sin_addr, 4);
}

static void parse_rx_cmsgs(struct msghdr *m, struct refl_rx *rx)
{
	struct in6_pktinfo *pi6;
	struct srtt_tstamp ts;
	struct in_pktinfo *pi;
	struct cmsghdr *cm;
	int v;

	for (cm = CMSG_FIRSTHDR(m); cm; cm = CMSG_NXTHDR(m, cm)) {
		if (srtt_tstamp_cmsg(cm, &ts)) {
			rx->t2_ns = ts.sw_ns;
			rx->t2_sw = rx->t2_ns != 0;
			rx->rx_hw_ns = ts.hw_ns;
		} else if ((cm->cmsg_level == SOL_IP && cm->cmsg_type == IP_TTL) ||
			   (cm->cmsg_level == SOL_IPV6 &&
			    cm->cmsg_type == IPV6_HOPLIMIT)) {
			memcpy(&v, CMSG_DATA(cm), sizeof(v));
			rx->ttl = (uint8_t)v;
		} else if (cm->cmsg_level == SOL_IPV6 &&
			   cm->cmsg_type == IPV6_PKTINFO) {
			pi6 = (struct in6_pktinfo *)CMSG_DATA(cm);
			rx->local = pi6->ipi6_addr;
			rx->ifindex = (int)pi6->ipi6_ifindex;
			rx->have_local = true;
		} else if (cm->cmsg_level == SOL_IP &&
			   cm->cmsg_type == IP_PKTINFO) {
			pi = (struct in_pktinfo *)CMSG_DATA(cm);
			memset(&rx->local, 0, sizeof(rx->local));
			rx->local.s6_addr[10] = 0xff;
			rx->local.s6_addr[11] = 0xff;
			memcpy(&rx->local.s6_addr[12], &pi->ipi_spec_dst, 4);
			rx->ifindex = pi->ipi_ifindex;
			rx->have_local = true;
		}
	}
}

/* A local address we may send from: not multicast or broadcast. */
static bool local_usable(const struct in6_addr *a)
{
	if (IN6_IS_ADDR_V4MAPPED(a))
		return a->s6_addr[12] < 224 &&
		       memcmp(&a->s6_addr[12], "\xff\xff\xff\xff", 4);
	return !IN6_IS_ADDR_MULTICAST(a);
}

static int send_reply(struct refl_ctx *c, const struct refl_rx *rx,
		      size_t len, uint64_t *t3_ns)
{
	char ctrl[CMSG_SPACE(sizeof(struct in6_pktinfo))] = { 0 };
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct iovec iov = { .iov_base = c->tx, .iov_len = len };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct in6_pktinfo *pi6;
	struct in_pktinfo *pi;
	struct cmsghdr *cm;
	struct timespec t3;
	uint64_t ntp;
	int i;

	if (c->family == AF_INET) {
		sin.sin_port = rx->peer.sin6_port;
		memcpy(&sin.sin_addr, &rx->peer.sin6_addr.s6_addr[12], 4);
		m.msg_name = &sin;
		m.msg_namelen = sizeof(sin);
	} else {
		m.msg_name = (void *)&rx->peer;
		m.msg_namelen = sizeof(rx->peer);
	}
	/* answer from the address the request was sent to */
	if (rx->have_local && local_usable(&rx->local)) {
		m.msg_control = ctrl;
		cm = (struct cmsghdr *)ctrl;
		if (c->family == AF_INET) {
			m.msg_controllen = CMSG_SPACE(sizeof(*pi));
			cm->cmsg_level = SOL_IP;
			cm->cmsg_type = IP_PKTINFO;
			cm->cmsg_len = CMSG_LEN(sizeof(*pi));
			pi = (struct in_pktinfo *)CMSG_DATA(cm);
			memcpy(&pi->ipi_spec_dst, &rx->local.s6_addr[12], 4);
		} else {
			m.msg_controllen = CMSG_SPACE(sizeof(*pi6));
			cm->cmsg_level = SOL_IPV6;
			cm->cmsg_type = IPV6_PKTINFO;
			cm->cmsg_len = CMSG_LEN(sizeof(*pi6));
			pi6 = (struct in6_pktinfo *)CMSG_DATA(cm);
			pi6->ipi6_addr = rx->local;
			/* link-local needs the interface; others follow routes */
			if (IN6_IS_ADDR_LINKLOCAL(&rx->local))
				pi6->ipi6_ifindex = (unsigned int)rx->ifindex;
		}
	}

	/* T3: the last thing written before the packet goes */
	clock_gettime(CLOCK_REALTIME, &t3);
	*t3_ns = srtt_stamp_timespec_ns(&t3);
	ntp = srtt_stamp_ntp_from_timespec(&t3);
	for (i = 0; i < 8; i++)
		c->tx[SRTT_STAMP_OFF_TS + i] = (uint8_t)(ntp >> (56 - 8 * i));
	return sendmsg(c->fd, &m, 0) < 0 ? -errno : 0;
}

/*
 * --hold-us: keep the request this long between T2 and T3, a known delay
 * for tests of the decomposition (it must show up in "reflector" only).
 * Spins on CLOCK_MONOTONIC so that the hold is not a sleep's wake-up.
 */
static void hold(unsigned int us)
{
	uint64_t end = clock_ns(CLOCK_MONOTONIC) + (uint64_t)us * 1000;

	while (clock_ns(CLOCK_MONOTONIC) < end)
		;
}

/* Does the request ask for stage stamps (GUEST_STAGES or FOLLOW_UP)? */
static bool wants_tlv(const uint8_t *pkt, size_t len, uint8_t type)
{
	struct srtt_stamp_tlv t;

	return len > SRTT_STAMP_HLEN &&
	       srtt_stamp_tlv_find(pkt + SRTT_STAMP_HLEN, len - SRTT_STAMP_HLEN,
				   type, &t) == 1;
}

static bool wants_stages(const uint8_t *pkt, size_t len)
{
	return wants_tlv(pkt, len, SRTT_STAMP_TLV_GUEST_STAGES) ||
	       wants_tlv(pkt, len, SRTT_STAMP_TLV_FOLLOW_UP);
}

/* REALTIME @real_ns in this kernel's MONOTONIC, by bracket @b */
static uint64_t real_to_mono(uint64_t real_ns, const struct srtt_stamp_bracket *b)
{
	return real_ns - b->real_ns + b->mono_ns;
}

/*
 * Once reply @fill->ss_seq has gone: it becomes the session's last
 * reply, the one before it the second, and the one before that, which
 * two follow-ups have now carried, leaves the stage table.
 */
static void session_sent(struct refl_ctx *c, struct refl_fill *fill,
			 const struct refl_rx *rx, uint64_t t3_real)
{
	struct refl_session *s = fill->s;
	struct refl_done *d;

	if (s->done[REFL_DONE - 1].fu.flags & SRTT_STAMP_FU_F_VALID)
		stages_forget(c, fill->ssid, s->done[REFL_DONE - 1].fu.ss_seq);
	memmove(&s->done[1], &s->done[0], sizeof(s->done[0]) * (REFL_DONE - 1));
	d = &s->done[0];
	memset(d, 0, sizeof(*d));
	d->fu.flags = SRTT_STAMP_FU_F_VALID;
	d->fu.ss_seq = fill->ss_seq;
	d->ifindex = fill->ifindex;
	d->t2_mono = real_to_mono(rx->t2_ns, &fill->clk);
	d->t3_mono = real_to_mono(t3_real, &fill->clk);
	if (c->have_src)
		d->loss_mark = c->src.loss_events;
	if (rx->rx_hw_ns) {
		d->fu.rx_hw_ns = rx->rx_hw_ns;
		d->fu.flags |= SRTT_STAMP_FU_F_RX_HW;
	}
}

/* Whether a datagram gets a reply; counted either way. */
static bool admit(struct refl_ctx *c, size_t len, struct refl_rx *rx)
{
	char a[INET6_ADDRSTRLEN];

	c->st.received++;
	if (len < SRTT_STAMP_LIGHT_LEN || len > SRTT_STAMP_MAX_LEN) {
		c->st.malformed++;
		if (c->o.verbose)
			fprintf(stderr, "%s port %u: %zu bytes, not STAMP: dropped\n",
				addr_str(&rx->peer.sin6_addr, a, sizeof(a)),
				ntohs(rx->peer.sin6_port), len);
		return false;
	}
	if (!rate_ok(c, &rx->peer.sin6_addr)) {
		c->st.rate_limited++;
		return false;
	}
	if (!rx->t2_sw) {
		/* no kernel stamp: the time we saw it, later than the truth */
		rx->t2_ns = clock_ns(CLOCK_REALTIME);
		c->st.no_rx_stamp++;
	}
	return true;
}

static void send_failed(struct refl_ctx *c, const struct refl_rx *rx, int err,
			unsigned int tsflags)
{
	char a[INET6_ADDRSTRLEN];

	c->st.send_errors++;
	if (c->o.verbose)
		fprintf(stderr, "sendmsg to %s: %s\n",
			addr_str(&rx->peer.sin6_addr, a, sizeof(a)),
			strerror(-err));
	/* the OPT_ID count may or may not have moved: restart it */
	drain_errqueue(c);
	tskey_reset(c, tsflags);
}

/*
 * Once the reply has gone: the session, the key its TX stamp will come
 * with, the hypervisor's clock for the session's next reply, and the
 * records of this exchange.
 */
static void replied(struct refl_ctx *c, struct refl_fill *fill,
		    const struct refl_rx *rx, unsigned int si, size_t len,
		    bool stages, uint64_t t3_real)
{
	struct refl_session *s = fill->s;
	struct refl_pending *pd;

	c->st.replied++;
	if (c->o.stateful)
		s->next_seq++;
	if (stages)
		session_sent(c, fill, rx, t3_real);
	pd = &c->pending[c->tskey % REFL_PENDING];
	*pd = (struct refl_pending){
		.used = true, .key = c->tskey, .session = si,
		.ssid = fill->ssid, .ss_seq = fill->ss_seq,
	};
	c->tskey++;
	drain_errqueue(c);
	if (c->ptp_fd >= 0 && wants_tlv(c->rx, len, SRTT_STAMP_TLV_HOST_CLOCK))
		s->have_hc = read_host_clock(c, &s->hc);
	/* the notifications' baseline, once the session's first reply is out */
	if (stages && !s->nt_based) {
		notify_read(c, &s->nt_base);
		s->nt_based = true;
	}
	if (stages)
		src_refresh(c);
}

static void log_request(const struct refl_rx *rx, const struct refl_fill *fill,
			size_t len, const struct srtt_stamp_reflect_result *res,
			uint32_t seq)
{
	char a[INET6_ADDRSTRLEN];

	fprintf(stderr, "%s port %u: ssid %u seq %u, %zu bytes%s, "
		"%u TLVs (%u unknown, %u malformed) -> seq %u\n",
		addr_str(&rx->peer.sin6_addr, a, sizeof(a)),
		ntohs(rx->peer.sin6_port), fill->ssid, fill->ss_seq, len,
		res->light ? " (TWAMP-Light)" : res->padding ? " (padding)" : "",
		res->tlvs, res->unknown, res->malformed, seq);
}

/*
 * One request. Between T2 (the kernel's receive stamp) and T3 nothing
 * runs but building the reply from what is already known and one
 * MONOTONIC/REALTIME bracket: no records flush, no hypervisor clock, no
 * netlink. What the reply's own stages are is learnt after it has gone
 * and sent with the session's next replies (FOLLOW_UP).
 */
static void handle(struct refl_ctx *c, size_t len, struct refl_rx *rx,
		   unsigned int tsflags)
{
	struct srtt_stamp_reflect_result res;
	struct srtt_stamp_reflect_params p;
	struct refl_fill fill = { .c = c };
	struct refl_session *s;
	bool stages, trailer;
	struct timespec t2;
	uint64_t t3_real;
	unsigned int si;
	int rc;

	if (!admit(c, len, rx))
		return;
	/* a TWAMP-Light request's bytes 14-15 are padding: session 0 */
	if (len >= SRTT_STAMP_HLEN)
		fill.ssid = (uint16_t)(c->rx[SRTT_STAMP_OFF_SSID] << 8 |
				       c->rx[SRTT_STAMP_OFF_SSID + 1]);
	fill.ss_seq = (uint32_t)c->rx[0] << 24 | (uint32_t)c->rx[1] << 16 |
		      (uint32_t)c->rx[2] << 8 | c->rx[3];
	si = session_get(c, &rx->peer.sin6_addr, rx->peer.sin6_port, fill.ssid);
	s = &c->sess[si];
	fill.s = s;
	fill.ifindex = (uint32_t)rx->ifindex;
	stages = wants_stages(c->rx, len);
	trailer = stages && !wants_tlv(c->rx, len, SRTT_STAMP_TLV_GUEST_STAGES);
	fill.trailer = trailer;
	s->nt_requests += s->nt_based;
	if (stages) {
		/*
		 * A trailer's own times are not used: it may wait for the
		 * records of the replies before it.
		 */
		fill.src = trailer ? src_flush(c) : src_ready(c);
		srtt_stamp_clock_bracket(&fill.clk);
		if (!s->start_mono)
			s->start_mono = real_to_mono(rx->t2_ns, &fill.clk);
	}

	t2.tv_sec = (time_t)(rx->t2_ns / 1000000000ULL);
	t2.tv_nsec = (long)(rx->t2_ns % 1000000000ULL);
	p = (struct srtt_stamp_reflect_params){
		.seq = c->o.stateful ? s->next_seq : fill.ss_seq,
		.t2 = srtt_stamp_ntp_from_timespec(&t2),
		.t3 = 0,	/* send_reply() writes it */
		.ee = c->ee,
		.ttl = rx->ttl,
		.tlv_fn = refl_tlv,
		.arg = &fill,
	};
	if (c->o.hold_us)
		hold(c->o.hold_us);
	rc = srtt_stamp_reflect(c->rx, len, c->tx, sizeof(c->tx), &p, &res);
	if (rc < 0) {	/* cannot happen: the length was checked */
		c->st.malformed++;
		return;
	}
	rc = send_reply(c, rx, (size_t)rc, &t3_real);
	c->st.tlv_malformed += res.malformed != 0;
	c->st.light += res.light;
	c->st.padding += res.padding;
	if (rc) {
		send_failed(c, rx, rc, tsflags);
		return;
	}
	/* ---- the reply has gone: what it leaves to do ---- */
	replied(c, &fill, rx, si, len, stages, t3_real);
	if (c->o.verbose)
		log_request(rx, &fill, len, &res, p.seq);
}

/* ---- setup ---- */

static void read_boot_id(struct refl_ctx *c)
{
	char text[64] = "";
	FILE *f = fopen(REFL_BOOT_ID, "r");

	if (f) {
		if (!fgets(text, sizeof(text), f))
			text[0] = 0;
		fclose(f);
	}
	c->have_boot_id = !srtt_stamp_boot_id_parse(text, c->boot_id);
	if (!c->have_boot_id)
		fprintf(stderr, "sriov-rtt-reflector: cannot read %s: boot id "
			"TLVs will be returned as unrecognized\n", REFL_BOOT_ID);
}

static int sockopt(struct refl_ctx *c, int level, int name, int val,
		   const char *what)
{
	if (!setsockopt(c->fd, level, name, &val, sizeof(val)))
		return 0;
	fprintf(stderr, "sriov-rtt-reflector: %s: %s\n", what, strerror(errno));
	return -1;
}

/* What to do about a failed bind(), on stderr. */
static void bind_failed(const struct refl_ctx *c, const char *bind_to, int e)
{
	fprintf(stderr, "sriov-rtt-reflector: bind to [%s]:%u: %s\n",
		bind_to, c->o.port, strerror(e));
	if (e == EACCES)
		fprintf(stderr, "  UDP ports below 1024 need "
			"CAP_NET_BIND_SERVICE: run as root, grant it "
			"(setcap cap_net_bind_service+ep %s), or pick "
			"--port 1024 or above (the sender must use the "
			"same port)\n", "sriov-rtt-reflector");
	else if (e == EADDRINUSE)
		fprintf(stderr, "  another program has this port: "
			"ss -ulpn 'sport = :%u'\n", c->o.port);
	else if (e == EADDRNOTAVAIL)
		fprintf(stderr, "  %s is not an address of this host "
			"(see: ip address)\n", bind_to);
}

/* The IP-level options: receive ancillary data, reply TTL 255. */
static int ip_opts(struct refl_ctx *c, bool dual)
{
	if (c->family == AF_INET6 &&
	    (sockopt(c, IPPROTO_IPV6, IPV6_V6ONLY, !dual, "IPV6_V6ONLY") ||
	     sockopt(c, IPPROTO_IPV6, IPV6_RECVPKTINFO, 1, "IPV6_RECVPKTINFO") ||
	     sockopt(c, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1, "IPV6_RECVHOPLIMIT") ||
	     sockopt(c, IPPROTO_IPV6, IPV6_UNICAST_HOPS, 255, "IPV6_UNICAST_HOPS")))
		return REFL_EXIT_SETUP;
	if (c->family == AF_INET &&
	    sockopt(c, IPPROTO_IP, IP_PKTINFO, 1, "IP_PKTINFO"))
		return REFL_EXIT_SETUP;
	/* IPv4 TTL, also for v4-mapped peers of the dual-stack socket */
	if ((c->family == AF_INET || dual) &&
	    (sockopt(c, IPPROTO_IP, IP_RECVTTL, 1, "IP_RECVTTL") ||
	     sockopt(c, IPPROTO_IP, IP_TTL, 255, "IP_TTL")))
		return REFL_EXIT_SETUP;
	return 0;
}

static int refl_open(struct refl_ctx *c, unsigned int tsflags)
{
	struct sockaddr_storage ss = { 0 };
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
	struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
	const char *bind_to = c->o.bind ? c->o.bind : "::";
	bool dual = false;
	socklen_t slen;

	if (inet_pton(AF_INET, bind_to, &s4->sin_addr) == 1) {
		c->family = AF_INET;
		s4->sin_family = AF_INET;
		s4->sin_port = htons(c->o.port);
		slen = sizeof(*s4);
	} else if (inet_pton(AF_INET6, bind_to, &s6->sin6_addr) == 1) {
		c->family = AF_INET6;
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(c->o.port);
		dual = IN6_IS_ADDR_UNSPECIFIED(&s6->sin6_addr);
		slen = sizeof(*s6);
	} else {
		fprintf(stderr, "sriov-rtt-reflector: --bind %s is not an IPv4 "
			"or IPv6 address (names are not resolved)\n", bind_to);
		return REFL_EXIT_USAGE;
	}

	c->fd = socket(c->family, SOCK_DGRAM, 0);
	if (c->fd < 0 && errno == EAFNOSUPPORT && !c->o.bind) {
		/* IPv6 disabled in this kernel: any IPv4 address instead */
		fprintf(stderr, "sriov-rtt-reflector: no IPv6 here, IPv4 only\n");
		c->o.bind = "0.0.0.0";
		return refl_open(c, tsflags);
	}
	if (c->fd < 0) {
		perror("sriov-rtt-reflector: socket");
		return REFL_EXIT_SETUP;
	}
	if (ip_opts(c, dual))
		return REFL_EXIT_SETUP;
	if (c->o.ifname &&
	    setsockopt(c->fd, SOL_SOCKET, SO_BINDTODEVICE, c->o.ifname,
		       (socklen_t)strlen(c->o.ifname) + 1)) {
		fprintf(stderr, "sriov-rtt-reflector: --interface %s: %s%s\n",
			c->o.ifname, strerror(errno),
			errno == ENODEV ? " (see: ip link)" :
			errno == EPERM ? " (kernels before 5.7 need CAP_NET_RAW)" : "");
		return REFL_EXIT_SETUP;
	}
	if (setsockopt(c->fd, SOL_SOCKET, SO_TIMESTAMPING, &tsflags,
		       sizeof(tsflags))) {
		fprintf(stderr, "sriov-rtt-reflector: SO_TIMESTAMPING: %s\n",
			strerror(errno));
		return REFL_EXIT_SETUP;
	}

	if (bind(c->fd, (struct sockaddr *)&ss, slen)) {
		bind_failed(c, bind_to, errno);
		return REFL_EXIT_SETUP;
	}
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: sriov-rtt-reflector [OPTIONS]\n"
		"STAMP session-reflector (RFC 8762, RFC 8972) for sriov_rtt.\n\n"
		"  -p, --port PORT        UDP port (default %d)\n"
		"  -b, --bind ADDR        IPv4 or IPv6 address (default: any, both)\n"
		"  -i, --interface IFNAME only packets of this interface\n"
		"  -r, --rate N           replies per second per source (default: no limit)\n"
		"  -s, --stateful         own Sequence Number per session\n"
		"  -c, --count N          exit after N replies\n"
		"  -n, --no-stages        do not read sriov_rtt stage stamps\n"
		"      --hold-us N        hold each reply N us after T2 (tests)\n"
		"  -v, --verbose          one line per packet on stderr\n"
		"  -h, --help\n", SRTT_STAMP_PORT);
}

static int parse_ulong(const char *opt, const char *s, unsigned long max,
		       unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(s, &end, 10);
	if (errno || end == s || *end || *s == '-' || *out > max) {
		fprintf(stderr, "sriov-rtt-reflector: %s %s: want a number "
			"from 0 to %lu\n", opt, s, max);
		return -1;
	}
	return 0;
}

/* The options with a number or a name: 0, or -1 after saying why. */
static int opt_value(int ch, const char *arg, struct refl_opts *o)
{
	unsigned long v;

	switch (ch) {
	case 'p':
		if (parse_ulong("--port", arg, 65535, &v))
			return -1;
		if (!v) {
			fprintf(stderr, "sriov-rtt-reflector: --port 0: "
				"want 1 to 65535\n");
			return -1;
		}
		o->port = (uint16_t)v;
		return 0;
	case 'i':
		if (strlen(arg) >= IFNAMSIZ) {
			fprintf(stderr, "sriov-rtt-reflector: --interface "
				"%s: names are at most %d characters\n",
				arg, IFNAMSIZ - 1);
			return -1;
		}
		o->ifname = arg;
		return 0;
	case 'r':
		if (parse_ulong("--rate", arg, 10000000, &v))
			return -1;
		o->rate = (unsigned int)v;
		return 0;
	case 'c':
		if (parse_ulong("--count", arg, ULONG_MAX, &v))
			return -1;
		o->count = v;
		return 0;
	default:	/* 'H' */
		if (parse_ulong("--hold-us", arg, 1000000, &v))
			return -1;
		o->hold_us = (unsigned int)v;
		return 0;
	}
}

static int parse_opts(int argc, char **argv, struct refl_opts *o)
{
	static const struct option lo[] = {
		{ "port", required_argument, NULL, 'p' },
		{ "bind", required_argument, NULL, 'b' },
		{ "interface", required_argument, NULL, 'i' },
		{ "rate", required_argument, NULL, 'r' },
		{ "stateful", no_argument, NULL, 's' },
		{ "synchronized", no_argument, NULL, 'S' },
		{ "count", required_argument, NULL, 'c' },
		{ "no-stages", no_argument, NULL, 'n' },
		{ "hold-us", required_argument, NULL, 'H' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	int ch;

	o->port = SRTT_STAMP_PORT;
	while ((ch = getopt_long(argc, argv, "p:b:i:r:sSc:nvh", lo, NULL)) != -1) {
		switch (ch) {
		case 'p':
		case 'i':
		case 'r':
		case 'c':
		case 'H':
			if (opt_value(ch, optarg, o))
				return -1;
			break;
		case 'b':
			o->bind = optarg;
			break;
		case 's':
			o->stateful = true;
			break;
		case 'S':
			fprintf(stderr, "sriov-rtt-reflector: --synchronized is "
				"gone: the Error Estimate's S bit and error now "
				"come from adjtimex() (the kernel's NTP state)\n");
			return -1;
		case 'n':
			o->no_stages = true;
			break;
		case 'v':
			o->verbose++;
			break;
		case 'h':
			usage(stdout);
			exit(REFL_EXIT_OK);
		default:
			usage(stderr);
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "sriov-rtt-reflector: unexpected argument '%s'\n",
			argv[optind]);
		return -1;
	}
	return 0;
}

/* One datagram off the socket, answered (or counted) */
static void receive_one(struct refl_ctx *c, unsigned int tsflags)
{
	struct sockaddr_storage peer;
	char ctrl[1024];
	struct refl_rx rx;
	struct iovec iov = { .iov_base = c->rx, .iov_len = sizeof(c->rx) };
	struct msghdr m = {
		.msg_name = &peer,
		.msg_namelen = sizeof(peer),
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = ctrl,
		.msg_controllen = sizeof(ctrl),
	};
	ssize_t n;

	n = recvmsg(c->fd, &m, MSG_DONTWAIT | MSG_TRUNC);
	if (n < 0) {
		if (errno != EAGAIN && errno != EINTR)
			perror("sriov-rtt-reflector: recvmsg");
		return;
	}
	memset(&rx, 0, sizeof(rx));
	to_mapped(&peer, &rx.peer);
	parse_rx_cmsgs(&m, &rx);
	/* MSG_TRUNC: n is the real length, > the buffer: too long */
	handle(c, (size_t)n, &rx, tsflags);
}

static void print_start(const struct refl_ctx *c)
{
	fprintf(stderr, "sriov-rtt-reflector: listening on [%s]:%u%s%s, %s, "
		"Error Estimate 0x%04x (%" PRIu64 " ns, %ssynchronized), "
		"guest stages: %s, hypervisor clock: %s\n",
		c->o.bind ? c->o.bind : "::", c->o.port,
		c->o.ifname ? " dev " : "", c->o.ifname ? c->o.ifname : "",
		c->o.stateful ? "stateful" : "stateless", c->ee,
		srtt_stamp_ee_ns(c->ee), c->ee & SRTT_STAMP_EE_S ? "" : "not ",
		c->o.no_stages ? "off (--no-stages)" :
		c->have_src ? "sriov_rtt records group" :
		srtt_recsock_strerror(c->src_err),
		c->ptp_fd >= 0 ? c->ptp_name : "none (no ptp_kvm)");
}

/* Requests until the count or a signal: 0 or REFL_EXIT_SETUP. */
static int serve(struct refl_ctx *c, unsigned int tsflags)
{
	struct pollfd pfd[2];
	int rc;

	while (!refl_stop && (!c->o.count || c->st.replied < c->o.count)) {
		pfd[0].fd = c->fd;
		pfd[0].events = POLLIN;
		/* records of other packets keep coming: do not let them pile up */
		pfd[1].fd = srtt_recsock_fd(&c->src);
		pfd[1].events = POLLIN;
		pfd[1].revents = 0;
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			perror("sriov-rtt-reflector: poll");
			return REFL_EXIT_SETUP;
		}
		if (pfd[0].revents & POLLERR)
			drain_errqueue(c);
		/* a request first: its T2 has passed, the records can wait */
		if (pfd[0].revents & POLLIN)
			receive_one(c, tsflags);
		if (pfd[1].revents && c->have_src) {
			rc = srtt_recsock_read(&c->src);
			if (rc)
				src_drop(c, rc);
		}
	}
	return 0;
}

static void print_summary(const struct refl_ctx *c)
{
	fprintf(stderr, "sriov-rtt-reflector: received %" PRIu64 ", replied %"
		PRIu64 ", rate-limited %" PRIu64 ", malformed %" PRIu64
		" (TWAMP-Light %" PRIu64 ", padding copied %" PRIu64
		", TLV-malformed replies %" PRIu64 ", send errors %" PRIu64
		", TX stamps %" PRIu64 ", without RX stamp %" PRIu64 ")\n",
		c->st.received, c->st.replied, c->st.rate_limited,
		c->st.malformed, c->st.light, c->st.padding,
		c->st.tlv_malformed, c->st.send_errors,
		c->st.tx_stamps, c->st.no_rx_stamp);
	if (c->have_src || c->st.flushes || c->st.trailer_flushes)
		fprintf(stderr, "sriov-rtt-reflector: guest stages: %" PRIu64
			" follow-ups, %" PRIu64 " flushes after replies and %"
			PRIu64 " before trailers (%" PRIu64 " failed), %" PRIu64
			" records of probes kept, %" PRIu64 " keys reported and "
			"dropped, %" PRIu64 " evicted, %" PRIu64 " records "
			"outside their request's time, %" PRIu64
			" records lost in the kernel, %" PRIu64
			" socket overruns\n", c->st.followups, c->st.flushes,
			c->st.trailer_flushes, c->st.flush_errors,
			c->tab.stored, c->tab.dropped,
			c->tab.evicted, c->st.stale, c->src.lost_kernel,
			c->src.lost_socket);
	if (c->st.notify_reads)
		fprintf(stderr, "sriov-rtt-reflector: notification counters "
			"read %" PRIu64 " times (after a session's first reply, "
			"and for its trailer), the longest read %" PRIu64 " us\n",
			c->st.notify_reads, c->st.notify_max_ns / 1000);
	if (c->ptp_fd >= 0)
		fprintf(stderr, "sriov-rtt-reflector: hypervisor clock %s: %"
			PRIu64 " reads (%" PRIu64 " failed)\n", c->ptp_name,
			c->ptp_reads, c->ptp_errors);
}

int main(int argc, char **argv)
{
	const unsigned int tsflags = SOF_TIMESTAMPING_RX_HARDWARE |
		SOF_TIMESTAMPING_RX_SOFTWARE | SOF_TIMESTAMPING_SOFTWARE |
		SOF_TIMESTAMPING_RAW_HARDWARE | SOF_TIMESTAMPING_TX_SOFTWARE |
		SOF_TIMESTAMPING_TX_HARDWARE | SOF_TIMESTAMPING_OPT_ID |
		SOF_TIMESTAMPING_OPT_TSONLY;
	struct sigaction sa = { .sa_handler = refl_on_signal };
	struct refl_ctx *c;
	int rc;

	c = calloc(1, sizeof(*c));
	if (!c) {
		perror("sriov-rtt-reflector");
		return REFL_EXIT_SETUP;
	}
	c->fd = -1;
	c->ptp_fd = -1;
	if (parse_opts(argc, argv, &c->o)) {
		free(c);
		return REFL_EXIT_USAGE;
	}
	rc = refl_open(c, tsflags);
	if (rc)
		goto out;
	read_boot_id(c);
	open_host_clock(c);
	c->ee = srtt_stamp_ee_local(&c->ee_bound_ns);
	src_ready(c);

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	print_start(c);
	rc = serve(c, tsflags);
	drain_errqueue(c);
	print_summary(c);
out:
	if (c->have_src)
		srtt_recsock_close_tab(&c->src, &c->tab);
	if (c->ptp_fd >= 0)
		close(c->ptp_fd);
	if (c->fd >= 0)
		close(c->fd);
	free(c);
	return rc;
}
