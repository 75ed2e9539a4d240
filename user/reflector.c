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

#include <linux/errqueue.h>
#include <linux/net_tstamp.h>
#include <linux/sriov_rtt.h>

#include "stages.h"
#include "stamp.h"

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
#define REFL_STAGE_SLOTS	4096	/* probe keys kept, see stages.h */
#define REFL_FLUSH_MS		200	/* wait for a records flush at most */
#define REFL_RETRY_NS		1000000000ULL	/* reopen the source after */
#define REFL_BOOT_ID		"/proc/sys/kernel/random/boot_id"
#define REFL_PTP_KVM		"KVM virtual PTP"

/* Software stamps: clock resolution plus this, see refl_error_bound(). */
#define REFL_SW_MARGIN_NS	1000

struct refl_opts {
	uint16_t	port;
	const char	*bind;
	const char	*ifname;
	unsigned int	rate;		/* replies per second per source, 0 off */
	unsigned long	count;		/* exit after this many replies, 0 never */
	bool		stateful;
	bool		synchronized;
	bool		no_stages;
	unsigned int	hold_us;	/* test option: hold each reply */
	int		verbose;
};

struct refl_stats {
	uint64_t	received;
	uint64_t	replied;
	uint64_t	rate_limited;
	uint64_t	malformed;	/* no reply: shorter than 44 or too long */
	uint64_t	tlv_malformed;	/* replied, some TLV marked M */
	uint64_t	send_errors;
	uint64_t	tx_stamps;	/* TX stamps matched to a reply */
	uint64_t	no_rx_stamp;	/* T2 from clock_gettime() instead */
	uint64_t	flushes;	/* records flushes for stage TLVs */
	uint64_t	flush_errors;
};

/* One session: source address and port plus SSID (RFC 8972 section 3). */
struct refl_session {
	bool		used;
	struct in6_addr	addr;
	uint16_t	port;
	uint16_t	ssid;
	uint32_t	next_seq;	/* stateful mode: own Sequence Number */
	uint64_t	last_use;
	struct srtt_stamp_follow_up fu;	/* about the last reply */
	uint32_t	fu_ifindex;	/* where that reply's request came in */
	uint64_t	loss_mark;	/* src.loss_events at that reply */
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
	struct srtt_stages_src	src;		/* this kernel's stage stamps */
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
 * (stages.h). Opened at start and, while it is missing (module not
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
	err = srtt_stages_open(&c->src, REFL_STAGE_SLOTS);
	if (err) {
		if (err != c->src_err || c->o.verbose)
			fprintf(stderr, "sriov-rtt-reflector: guest stages: %s\n",
				srtt_stages_strerror(err));
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
		"in a second\n", srtt_stages_strerror(err));
	srtt_stages_close(&c->src);
	c->have_src = false;
	c->src_err = err;
	c->src_tried = clock_ns(CLOCK_MONOTONIC);
}

/*
 * Bring every record stamped so far into the table: the module drains its
 * rings on request and answers after the records. False when there is no
 * source (the TLVs then say NO_SOURCE).
 */
static bool src_flush(struct refl_ctx *c)
{
	int err;

	if (!src_ready(c))
		return false;
	c->st.flushes++;
	err = srtt_stages_flush(&c->src, REFL_FLUSH_MS);
	if (!err)
		return true;
	c->st.flush_errors++;
	if (err != -ETIMEDOUT)
		src_drop(c, err);
	return false;
}

/*
 * The stage stamps sriov_rtt.ko took of one probe in this kernel, key
 * (STAMP, @dir, @ssid, @seq): RX stages of the request for SRTT_DIR_FWD,
 * TX stages of the reply for SRTT_DIR_REV, of device @ifindex where more
 * than one device saw the packet. Entries in stage order; returns their
 * number (at most @max).
 */
static int guest_stages(struct refl_ctx *c, uint16_t ssid, uint32_t seq,
			uint8_t dir, uint32_t ifindex,
			struct srtt_stamp_stage *out, size_t max)
{
	const struct srtt_record *recs, *pick[__SRTT_STAGE_MAX];
	struct srtt_key key = {
		.probe = SRTT_PROBE_STAMP, .dir = dir, .id = ssid, .seq = seq,
	};
	unsigned int n, i, others;
	size_t k = 0;

	n = srtt_stages_tab_get(&c->src.tab, &key, &recs);
	srtt_stages_pick(recs, n, dir == SRTT_DIR_REV, ifindex, pick, &others);
	for (i = 0; i < __SRTT_STAGE_MAX && k < max; i++) {
		if (!pick[i])
			continue;
		out[k].stage = pick[i]->stage;
		out[k].flags = (uint8_t)pick[i]->flags;
		out[k].ts_ns = pick[i]->ts;
		out[k].hwts = pick[i]->hwts;
		k++;
	}
	return (int)k;
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
	uint16_t		flush_us;	/* how long the flush took */
	bool			src;		/* stage source flushed */
	bool			lost;		/* records lost since last reply */
	bool			hc;		/* host clock read: hcb */
	struct srtt_stamp_bracket hcb;
};

static int refl_tlv(void *arg, uint8_t type, uint8_t *value, size_t len)
{
	struct srtt_stamp_guest_stages gs = { .count = 0 };
	struct srtt_stamp_follow_up fu;
	struct refl_fill *f = arg;
	int n;

	switch (type) {
	case SRTT_STAMP_TLV_BOOT_ID:
		if (len != SRTT_STAMP_BOOT_ID_LEN)
			return SRTT_STAMP_TLV_BADLEN;
		if (!f->c->have_boot_id)
			return SRTT_STAMP_TLV_UNKNOWN;
		memcpy(value, f->c->boot_id, len);
		return SRTT_STAMP_TLV_RECOGNIZED;
	case SRTT_STAMP_TLV_HOST_CLOCK:
		return srtt_stamp_hc_fill(value, len, &f->hcb,
					  f->hc ? 0 : SRTT_STAMP_HC_F_NO_SOURCE) ?
			SRTT_STAMP_TLV_BADLEN : SRTT_STAMP_TLV_RECOGNIZED;
	case SRTT_STAMP_TLV_GUEST_STAGES:
		if (f->src) {
			n = guest_stages(f->c, f->ssid, f->ss_seq, SRTT_DIR_FWD,
					 f->ifindex, gs.st, SRTT_STAMP_STAGES_MAX);
			gs.count = (uint8_t)n;
			gs.flush_us = f->flush_us;
			if (f->lost)
				gs.flags |= SRTT_STAMP_GS_F_LOST;
		} else {
			gs.flags |= SRTT_STAMP_GS_F_NO_SOURCE;
		}
		srtt_stamp_clock_bracket(&gs.clk);
		return srtt_stamp_gs_fill(value, len, &gs) < 0 ?
			SRTT_STAMP_TLV_BADLEN : SRTT_STAMP_TLV_RECOGNIZED;
	case SRTT_STAMP_TLV_FOLLOW_UP:
		fu = f->s->fu;
		if ((fu.flags & SRTT_STAMP_FU_F_VALID) && f->src) {
			n = guest_stages(f->c, f->ssid, fu.ss_seq, SRTT_DIR_REV,
					 f->s->fu_ifindex, fu.st,
					 SRTT_STAMP_STAGES_MAX);
			fu.count = (uint8_t)n;
			if (f->lost)
				fu.flags |= SRTT_STAMP_FU_F_LOST;
		} else if (fu.flags & SRTT_STAMP_FU_F_VALID) {
			fu.flags |= SRTT_STAMP_FU_F_NO_SOURCE;
		}
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

/* Read every queued TX stamp and file it with the reply it belongs to. */
static void drain_errqueue(struct refl_ctx *c)
{
	char ctrl[512];
	struct msghdr m;
	struct cmsghdr *cm;
	struct scm_timestamping *tss;
	struct sock_extended_err *ee;
	struct refl_pending *p;
	struct refl_session *s;
	uint64_t sw, hw;

	for (;;) {
		memset(&m, 0, sizeof(m));
		m.msg_control = ctrl;
		m.msg_controllen = sizeof(ctrl);
		if (recvmsg(c->fd, &m, MSG_ERRQUEUE | MSG_DONTWAIT) < 0)
			return;
		tss = NULL;
		ee = NULL;
		for (cm = CMSG_FIRSTHDR(&m); cm; cm = CMSG_NXTHDR(&m, cm)) {
			if (cm->cmsg_level == SOL_SOCKET &&
			    cm->cmsg_type == SO_TIMESTAMPING)
				tss = (struct scm_timestamping *)CMSG_DATA(cm);
			else if ((cm->cmsg_level == SOL_IP &&
				  cm->cmsg_type == IP_RECVERR) ||
				 (cm->cmsg_level == SOL_IPV6 &&
				  cm->cmsg_type == IPV6_RECVERR))
				ee = (struct sock_extended_err *)CMSG_DATA(cm);
		}
		if (!tss || !ee || ee->ee_errno != ENOMSG ||
		    ee->ee_origin != SO_EE_ORIGIN_TIMESTAMPING ||
		    ee->ee_info != SCM_TSTAMP_SND)
			continue;
		p = &c->pending[ee->ee_data % REFL_PENDING];
		if (!p->used || p->key != ee->ee_data)
			continue;
		s = &c->sess[p->session];
		/* the session may have been evicted and reused since */
		if (!s->used || s->ssid != p->ssid ||
		    !(s->fu.flags & SRTT_STAMP_FU_F_VALID) ||
		    s->fu.ss_seq != p->ss_seq)
			continue;
		sw = srtt_stamp_timespec_ns(&tss->ts[0]);
		hw = srtt_stamp_timespec_ns(&tss->ts[2]);
		if (sw) {
			s->fu.tx_sw_ns = sw;
			s->fu.flags |= SRTT_STAMP_FU_F_TX_SW;
		}
		if (hw) {
			s->fu.tx_hw_ns = hw;
			s->fu.flags |= SRTT_STAMP_FU_F_TX_HW;
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
	struct scm_timestamping *tss;
	struct in6_pktinfo *pi6;
	struct in_pktinfo *pi;
	struct cmsghdr *cm;
	int v;

	for (cm = CMSG_FIRSTHDR(m); cm; cm = CMSG_NXTHDR(m, cm)) {
		if (cm->cmsg_level == SOL_SOCKET &&
		    cm->cmsg_type == SO_TIMESTAMPING) {
			tss = (struct scm_timestamping *)CMSG_DATA(cm);
			rx->t2_ns = srtt_stamp_timespec_ns(&tss->ts[0]);
			rx->t2_sw = rx->t2_ns != 0;
			rx->rx_hw_ns = srtt_stamp_timespec_ns(&tss->ts[2]);
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
		      size_t len)
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

static void handle(struct refl_ctx *c, size_t len, struct refl_rx *rx,
		   unsigned int tsflags)
{
	struct srtt_stamp_reflect_result res;
	struct srtt_stamp_reflect_params p;
	struct refl_fill fill = { .c = c };
	struct refl_session *s;
	struct refl_pending *pd;
	struct timespec t2;
	char a[INET6_ADDRSTRLEN];
	unsigned int si;
	int rc;

	c->st.received++;
	if (len < SRTT_STAMP_HLEN || len > SRTT_STAMP_MAX_LEN) {
		c->st.malformed++;
		if (c->o.verbose)
			fprintf(stderr, "%s port %u: %zu bytes, not STAMP: dropped\n",
				addr_str(&rx->peer.sin6_addr, a, sizeof(a)),
				ntohs(rx->peer.sin6_port), len);
		return;
	}
	if (!rate_ok(c, &rx->peer.sin6_addr)) {
		c->st.rate_limited++;
		return;
	}
	if (!rx->t2_sw) {
		/* no kernel stamp: the time we saw it, later than the truth */
		rx->t2_ns = clock_ns(CLOCK_REALTIME);
		c->st.no_rx_stamp++;
	}

	fill.ssid = (uint16_t)(c->rx[SRTT_STAMP_OFF_SSID] << 8 |
			       c->rx[SRTT_STAMP_OFF_SSID + 1]);
	fill.ss_seq = (uint32_t)c->rx[0] << 24 | (uint32_t)c->rx[1] << 16 |
		      (uint32_t)c->rx[2] << 8 | c->rx[3];
	si = session_get(c, &rx->peer.sin6_addr, rx->peer.sin6_port, fill.ssid);
	s = &c->sess[si];
	fill.s = s;
	fill.ifindex = (uint32_t)rx->ifindex;
	/*
	 * The hypervisor's clock as soon as the request is in: its reading
	 * is closest to the request's arrival, where two clocks that drift
	 * apart are compared (the reply may leave much later).
	 */
	if (c->ptp_fd >= 0 && wants_tlv(c->rx, len, SRTT_STAMP_TLV_HOST_CLOCK))
		fill.hc = read_host_clock(c, &fill.hcb);
	if (wants_stages(c->rx, len)) {
		uint64_t t0 = clock_ns(CLOCK_MONOTONIC), us;

		fill.src = src_flush(c);
		us = (clock_ns(CLOCK_MONOTONIC) - t0 + 500) / 1000;
		fill.flush_us = (uint16_t)(us > 65535 ? 65535 : us ? us : 1);
		fill.lost = fill.src && c->src.loss_events != s->loss_mark;
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
	if (res.malformed)
		c->st.tlv_malformed++;

	rc = send_reply(c, rx, (size_t)rc);
	if (rc) {
		c->st.send_errors++;
		if (c->o.verbose)
			fprintf(stderr, "sendmsg to %s: %s\n",
				addr_str(&rx->peer.sin6_addr, a, sizeof(a)),
				strerror(-rc));
		/* the OPT_ID count may or may not have moved: restart it */
		drain_errqueue(c);
		tskey_reset(c, tsflags);
		return;
	}
	c->st.replied++;
	if (c->o.stateful)
		s->next_seq++;

	/* what the next reply of this session reports about this one */
	memset(&s->fu, 0, sizeof(s->fu));
	s->fu.flags = SRTT_STAMP_FU_F_VALID;
	s->fu.ss_seq = fill.ss_seq;
	s->fu_ifindex = fill.ifindex;
	if (fill.src)
		s->loss_mark = c->src.loss_events;
	if (rx->rx_hw_ns) {
		s->fu.rx_hw_ns = rx->rx_hw_ns;
		s->fu.flags |= SRTT_STAMP_FU_F_RX_HW;
	}
	pd = &c->pending[c->tskey % REFL_PENDING];
	*pd = (struct refl_pending){
		.used = true, .key = c->tskey, .session = si,
		.ssid = fill.ssid, .ss_seq = fill.ss_seq,
	};
	c->tskey++;
	drain_errqueue(c);

	if (c->o.verbose)
		fprintf(stderr, "%s port %u: ssid %u seq %u, %zu bytes, "
			"%u TLVs (%u unknown, %u malformed) -> seq %u\n",
			addr_str(&rx->peer.sin6_addr, a, sizeof(a)),
			ntohs(rx->peer.sin6_port), fill.ssid, fill.ss_seq, len,
			res.tlvs, res.unknown, res.malformed, p.seq);
}

/* ---- setup ---- */

/*
 * The Error Estimate of T2/T3: software stamps read CLOCK_REALTIME, so
 * the bound is that clock's resolution plus REFL_SW_MARGIN_NS for where
 * in the stack the stamp is taken. It is the stamps' precision; whether
 * the clock follows UTC is the S bit (--synchronized).
 */
static uint64_t refl_error_bound(void)
{
	struct timespec res;

	if (clock_getres(CLOCK_REALTIME, &res))
		return 1000000;	/* 1 ms: no better claim possible */
	return srtt_stamp_timespec_ns(&res) + REFL_SW_MARGIN_NS;
}

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
		int e = errno;

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
		"  -S, --synchronized     set S: this clock follows UTC\n"
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
	unsigned long v;
	int ch;

	o->port = SRTT_STAMP_PORT;
	while ((ch = getopt_long(argc, argv, "p:b:i:r:sSc:nvh", lo, NULL)) != -1) {
		switch (ch) {
		case 'p':
			if (parse_ulong("--port", optarg, 65535, &v))
				return -1;
			if (!v) {
				fprintf(stderr, "sriov-rtt-reflector: --port 0: "
					"want 1 to 65535\n");
				return -1;
			}
			o->port = (uint16_t)v;
			break;
		case 'b':
			o->bind = optarg;
			break;
		case 'i':
			if (strlen(optarg) >= IFNAMSIZ) {
				fprintf(stderr, "sriov-rtt-reflector: --interface "
					"%s: names are at most %d characters\n",
					optarg, IFNAMSIZ - 1);
				return -1;
			}
			o->ifname = optarg;
			break;
		case 'r':
			if (parse_ulong("--rate", optarg, 10000000, &v))
				return -1;
			o->rate = (unsigned int)v;
			break;
		case 's':
			o->stateful = true;
			break;
		case 'S':
			o->synchronized = true;
			break;
		case 'c':
			if (parse_ulong("--count", optarg, ULONG_MAX, &v))
				return -1;
			o->count = v;
			break;
		case 'n':
			o->no_stages = true;
			break;
		case 'H':
			if (parse_ulong("--hold-us", optarg, 1000000, &v))
				return -1;
			o->hold_us = (unsigned int)v;
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

int main(int argc, char **argv)
{
	const unsigned int tsflags = SOF_TIMESTAMPING_RX_HARDWARE |
		SOF_TIMESTAMPING_RX_SOFTWARE | SOF_TIMESTAMPING_SOFTWARE |
		SOF_TIMESTAMPING_RAW_HARDWARE | SOF_TIMESTAMPING_TX_SOFTWARE |
		SOF_TIMESTAMPING_TX_HARDWARE | SOF_TIMESTAMPING_OPT_ID |
		SOF_TIMESTAMPING_OPT_TSONLY;
	struct sigaction sa = { .sa_handler = refl_on_signal };
	char ctrl[1024];
	struct sockaddr_storage peer;
	struct iovec iov;
	struct msghdr m;
	struct refl_rx rx;
	struct refl_ctx *c;
	struct pollfd pfd[2];
	ssize_t n;
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
	c->ee_bound_ns = refl_error_bound();
	c->ee = srtt_stamp_ee_encode(c->ee_bound_ns, c->o.synchronized, false);
	src_ready(c);

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	fprintf(stderr, "sriov-rtt-reflector: listening on [%s]:%u%s%s, %s, "
		"Error Estimate 0x%04x (%" PRIu64 " ns, %ssynchronized), "
		"guest stages: %s, hypervisor clock: %s\n",
		c->o.bind ? c->o.bind : "::", c->o.port,
		c->o.ifname ? " dev " : "", c->o.ifname ? c->o.ifname : "",
		c->o.stateful ? "stateful" : "stateless", c->ee,
		srtt_stamp_ee_ns(c->ee), c->o.synchronized ? "" : "not ",
		c->o.no_stages ? "off (--no-stages)" :
		c->have_src ? "sriov_rtt records group" :
		srtt_stages_strerror(c->src_err),
		c->ptp_fd >= 0 ? c->ptp_name : "none (no ptp_kvm)");

	while (!refl_stop && (!c->o.count || c->st.replied < c->o.count)) {
		pfd[0].fd = c->fd;
		pfd[0].events = POLLIN;
		/* records of other packets keep coming: do not let them pile up */
		pfd[1].fd = c->have_src ? c->src.fd : -1;
		pfd[1].events = POLLIN;
		pfd[1].revents = 0;
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			perror("sriov-rtt-reflector: poll");
			rc = REFL_EXIT_SETUP;
			break;
		}
		if (pfd[1].revents) {
			rc = srtt_stages_poll(&c->src);
			if (rc)
				src_drop(c, rc);
			rc = 0;
		}
		if (pfd[0].revents & POLLERR)
			drain_errqueue(c);
		if (!(pfd[0].revents & POLLIN))
			continue;
		iov.iov_base = c->rx;
		iov.iov_len = sizeof(c->rx);
		memset(&m, 0, sizeof(m));
		m.msg_name = &peer;
		m.msg_namelen = sizeof(peer);
		m.msg_iov = &iov;
		m.msg_iovlen = 1;
		m.msg_control = ctrl;
		m.msg_controllen = sizeof(ctrl);
		n = recvmsg(c->fd, &m, MSG_DONTWAIT | MSG_TRUNC);
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			perror("sriov-rtt-reflector: recvmsg");
			continue;
		}
		memset(&rx, 0, sizeof(rx));
		to_mapped(&peer, &rx.peer);
		parse_rx_cmsgs(&m, &rx);
		/* MSG_TRUNC: n is the real length, > the buffer: too long */
		handle(c, (size_t)n, &rx, tsflags);
	}
	drain_errqueue(c);
	fprintf(stderr, "sriov-rtt-reflector: received %" PRIu64 ", replied %"
		PRIu64 ", rate-limited %" PRIu64 ", malformed %" PRIu64
		" (TLV-malformed replies %" PRIu64 ", send errors %" PRIu64
		", TX stamps %" PRIu64 ", without RX stamp %" PRIu64 ")\n",
		c->st.received, c->st.replied, c->st.rate_limited,
		c->st.malformed, c->st.tlv_malformed, c->st.send_errors,
		c->st.tx_stamps, c->st.no_rx_stamp);
	if (c->have_src || c->st.flushes)
		fprintf(stderr, "sriov-rtt-reflector: guest stages: %" PRIu64
			" flushes (%" PRIu64 " failed), %" PRIu64 " records of "
			"probes kept, %" PRIu64 " keys evicted, %" PRIu64
			" records lost in the kernel, %" PRIu64
			" socket overruns\n", c->st.flushes, c->st.flush_errors,
			c->src.tab.stored, c->src.tab.evicted, c->src.lost_kernel,
			c->src.lost_socket);
	if (c->ptp_fd >= 0)
		fprintf(stderr, "sriov-rtt-reflector: hypervisor clock %s: %"
			PRIu64 " reads (%" PRIu64 " failed)\n", c->ptp_name,
			c->ptp_reads, c->ptp_errors);
out:
	if (c->have_src)
		srtt_stages_close(&c->src);
	if (c->ptp_fd >= 0)
		close(c->ptp_fd);
	if (c->fd >= 0)
		close(c->fd);
	free(c);
	return rc;
}
