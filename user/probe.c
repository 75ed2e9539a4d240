// SPDX-License-Identifier: GPL-2.0
/*
 * sriov-rtt probe TARGET: a STAMP session-sender (RFC 8762 unauthenticated
 * mode, RFC 8972 SSID and TLVs). T1 and T4 come from SO_TIMESTAMPING
 * software stamps (TX from the error queue, RX from the control message),
 * with clock_gettime(CLOCK_REALTIME) around send/recv as the fallback; T2
 * and T3 from the reply.
 *
 * Unless --plain, each request asks the reflector for the sriov_rtt TLVs
 * (boot id, its kernel's stages of the request with a clock bracket, and
 * a follow-up with the TX stages of its previous reply); one extra
 * request after the last collects the last follow-up and is not counted.
 * This kernel's stages of each probe come from the module's records group
 * (user/lib/records.h) through the stage table (user/stamp/stages.h).
 * breakdown.c joins it all per packet.
 *
 * sriov-rtt report FILE re-analyses the CSV a probe wrote.
 */

#define _GNU_SOURCE		/* struct in6_pktinfo */

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/errqueue.h>
#include <linux/net_tstamp.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "breakdown.h"
#include "lib/args.h"
#include <netlink/addr.h>
#include <netlink/cache.h>
#include <netlink/route/link.h>
#include <netlink/route/link/sriov.h>
#include <netlink/route/neighbour.h>

#include "lib/json.h"
#include "lib/tstamp.h"
#include "sriov-rtt.h"
#include "lib/records.h"
#include "stamp/stages.h"
#include "stamp/stamp.h"

#define PROBE_BUF		65536

/* SIGINT, SIGTERM: end the run as ping does, with its summary. */
static volatile sig_atomic_t probe_stop;

#define PROBE_SLOTS	8192	/* probe keys the stage table keeps */
#define PROBE_FLUSH_MS	1000

/* Per packet, beside the breakdown's struct bd_pkt. */
struct probe_side {
	int64_t		t1_user;	/* REALTIME ns just before send */
	int64_t		t1_sw;
	int64_t		send_mono;
	struct srtt_stamp_bracket hb;	/* this kernel's, at send */
	uint32_t	rx_ifindex;	/* the reply came in here */
	bool		fu_seen;
	bool		harvested;	/* host stages taken from the table */
	unsigned int	host_found;	/* host stages it got */
	int64_t		rx_mono;	/* when its reply came */
};

struct probe_run {
	const struct srtt_probe_args *o;	/* the options of the run */
	struct bd_run	r;		/* r.p has count + 1 entries */
	struct probe_side *side;
	uint64_t	tx_ids;		/* OPT_ID: successful sends so far */
	uint64_t	*id_seq;	/* OPT_ID -> seq */
	bool		tstamp;		/* SO_TIMESTAMPING accepted */
	bool		trailer_sent, trailer_done;
	struct srtt_notify nt_before;	/* this side's, before the first */
	struct srtt_recsock src;	/* this kernel's records group */
	struct srtt_stages_tab tab;	/* its records of our probes */
	bool		have_src;
	uint8_t		boot_id[SRTT_STAMP_BOOT_ID_LEN];
	bool		have_boot_id;
	/* what the reflector made of our TLVs */
	uint64_t	tlv_unknown, tlv_absent, tlv_bad, gs_seen;
	uint64_t	hc_unknown;	/* HOST_CLOCK returned with U: older */
	uint64_t	harvest_next;	/* first packet not harvested */
	uint64_t	attempted;	/* packets send_one() tried */
	uint16_t	ee;		/* our Error Estimate (adjtimex()) */
	/* the reflector's VF, by its MAC among the PF's VFs; -1 unknown */
	int		refl_vf;
	char		refl_vf_why[96];
	struct sockaddr_storage peer;	/* the target, as resolved */
	socklen_t	peer_len;
};

static int64_t now_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* ---- this kernel's stages ---- */

/* The records group into the table: 0 or a negative errno. */
static int src_open(struct probe_run *pr)
{
	int err = srtt_recsock_open_tab(&pr->src, &pr->tab, PROBE_SLOTS);

	/* the hypervisor's events of a passed-through VF */
	pr->tab.keep_events = !err;
	pr->have_src = !err;
	return err;
}

static void src_close(struct probe_run *pr)
{
	if (pr->have_src)
		srtt_recsock_close_tab(&pr->src, &pr->tab);
	pr->have_src = false;
}

/* ---- socket ---- */

static int sys_fail(const char *what)
{
	fprintf(stderr, "probe: %s: %s\n", what, strerror(errno));
	return SRTT_EXIT_ERROR;
}

static int probe_socket(struct probe_run *pr, int *fdp)
{
	struct addrinfo hints = {
		.ai_socktype = SOCK_DGRAM,
		.ai_protocol = IPPROTO_UDP,
	}, *ai;
	int fd, err, val, one = 1;

	err = getaddrinfo(pr->o->target, pr->o->port, &hints, &ai);
	if (err) {
		fprintf(stderr, "probe: cannot resolve \"%s\": %s\n",
			pr->o->target, gai_strerror(err));
		return SRTT_EXIT_ERROR;
	}
	getnameinfo(ai->ai_addr, ai->ai_addrlen, pr->r.addr, sizeof(pr->r.addr),
		    NULL, 0, NI_NUMERICHOST);
	memcpy(&pr->peer, ai->ai_addr, ai->ai_addrlen);
	pr->peer_len = ai->ai_addrlen;
	fd = socket(ai->ai_family, SOCK_DGRAM | SOCK_CLOEXEC, IPPROTO_UDP);
	if (fd < 0) {
		freeaddrinfo(ai);
		return sys_fail("socket");
	}
	if (connect(fd, ai->ai_addr, ai->ai_addrlen)) {
		err = sys_fail("connect");
		freeaddrinfo(ai);
		close(fd);
		return err;
	}
	if (pr->o->dscp >= 0) {
		val = pr->o->dscp << 2;
		if (ai->ai_family == AF_INET6 ?
		    setsockopt(fd, IPPROTO_IPV6, IPV6_TCLASS, &val, sizeof(val)) :
		    setsockopt(fd, IPPROTO_IP, IP_TOS, &val, sizeof(val))) {
			err = sys_fail("setting the DSCP");
			freeaddrinfo(ai);
			close(fd);
			return err;
		}
	}
	/*
	 * The interface a reply came in on picks the host device's stages;
	 * ICMP errors go to the error queue, one entry each (counted).
	 */
	if (ai->ai_family == AF_INET6) {
		setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &one, sizeof(one));
		setsockopt(fd, IPPROTO_IPV6, IPV6_RECVERR, &one, sizeof(one));
	} else {
		setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one));
		setsockopt(fd, IPPROTO_IP, IP_RECVERR, &one, sizeof(one));
	}
	freeaddrinfo(ai);
	val = SOF_TIMESTAMPING_TX_SOFTWARE | SOF_TIMESTAMPING_RX_SOFTWARE |
	      SOF_TIMESTAMPING_SOFTWARE | SOF_TIMESTAMPING_OPT_TSONLY |
	      SOF_TIMESTAMPING_OPT_ID;
	pr->tstamp = !setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPING, &val,
				 sizeof(val));
	*fdp = fd;
	return SRTT_EXIT_OK;
}

static int64_t ts_ns(const struct timespec *ts)
{
	return (int64_t)ts->tv_sec * 1000000000LL + ts->tv_nsec;
}

static int64_t to_mono(int64_t real, const struct srtt_stamp_bracket *b)
{
	return real - (int64_t)b->real_ns + (int64_t)b->mono_ns;
}

/* One entry of the error queue: 1 read, 0 nothing, <0 error. */
static int read_errqueue(int fd, struct probe_run *pr)
{
	const struct sock_extended_err *ee;
	struct srtt_errq e;
	uint32_t id;
	int rc;

	rc = srtt_errq_read(fd, &e);
	if (rc <= 0)
		return rc;
	ee = e.have_ee ? &e.ee : NULL;
	/*
	 * An ICMP error about a request (IP_RECVERR): one entry each, so
	 * every unreachable is counted once, and reading it clears the
	 * socket's pending error (no POLLERR left to spin on).
	 */
	if (ee && (ee->ee_origin == SO_EE_ORIGIN_ICMP ||
		   ee->ee_origin == SO_EE_ORIGIN_ICMP6)) {
		if ((ee->ee_origin == SO_EE_ORIGIN_ICMP && ee->ee_type == 3) ||
		    (ee->ee_origin == SO_EE_ORIGIN_ICMP6 && ee->ee_type == 1))
			pr->r.refused++;
		else
			pr->r.icmp_other++;
		return 1;
	}
	if (srtt_errq_tx_stamp(&e, &id) && id < pr->tx_ids && e.ts.sw_ns)
		pr->side[pr->id_seq[id]].t1_sw = (int64_t)e.ts.sw_ns;
	return 1;
}

static int send_one(int fd, struct probe_run *pr, uint32_t seq, uint8_t *buf)
{
	struct srtt_stamp_sender s = { .seq = seq, .ssid = pr->o->ssid };
	/* the trailer's own times are not used: it may be longer */
	bool notify = seq == pr->r.count && !pr->o->plain &&
		      pr->o->size + SRTT_PROBE_NOTIFY_BYTES <= SRTT_STAMP_MAX_LEN;
	struct probe_side *ps = &pr->side[seq];
	struct bd_pkt *p = &pr->r.p[seq];
	size_t len = pr->o->size + (notify ? SRTT_PROBE_NOTIFY_BYTES : 0);
	size_t off = 0, room = len - SRTT_STAMP_HLEN;
	uint8_t *tlv = buf + SRTT_STAMP_HLEN;
	struct timespec now;
	int tries, i;

	memset(buf, 0, len);
	if (!pr->o->plain) {
		/*
		 * Zeroed values: the reflector fills them in place. The
		 * trailer asks for the follow-ups alone: no GUEST_STAGES
		 * tells the reflector that its times are not used.
		 */
		if (seq < pr->r.count) {
			srtt_stamp_tlv_put(tlv, room, &off, 0,
					   SRTT_STAMP_TLV_BOOT_ID, NULL,
					   SRTT_STAMP_BOOT_ID_LEN);
			srtt_stamp_tlv_put(tlv, room, &off, 0,
					   SRTT_STAMP_TLV_GUEST_STAGES, NULL,
					   SRTT_STAMP_GS_LEN(0));
		}
		for (i = 0; i < SRTT_PROBE_FOLLOW_UPS; i++)
			srtt_stamp_tlv_put(tlv, room, &off, 0,
					   SRTT_STAMP_TLV_FOLLOW_UP, NULL,
					   SRTT_STAMP_FU_LEN(SRTT_PROBE_STAGE_ROOM));
		if (seq < pr->r.count)
			srtt_stamp_tlv_put(tlv, room, &off, 0,
					   SRTT_STAMP_TLV_HOST_CLOCK, NULL,
					   SRTT_STAMP_HC_LEN);
		/* the reflector's side's notifications, in its reply */
		if (notify)
			srtt_stamp_tlv_put(tlv, room, &off, 0,
					   SRTT_STAMP_TLV_NOTIFY, NULL,
					   SRTT_STAMP_NT_LEN(SRTT_PROBE_NOTIFY_DEVS));
	}
	if (room > off)
		srtt_stamp_tlv_put(tlv, room, &off, 0, SRTT_STAMP_TLV_PADDING,
				   NULL, (uint16_t)(room - off - SRTT_STAMP_TLV_HLEN));
	srtt_stamp_clock_bracket(&ps->hb);
	clock_gettime(CLOCK_REALTIME, &now);
	s.ee = pr->ee;
	s.ts = srtt_stamp_ts_from_timespec(&now, s.ee);
	srtt_stamp_encode_sender(buf, len, &s);
	ps->t1_user = ts_ns(&now);
	ps->send_mono = now_ns(CLOCK_MONOTONIC);
	p->seq = seq;
	if (seq < pr->r.count)
		pr->attempted = seq + 1;
	/*
	 * A pending ICMP error not yet read from the error queue is
	 * reported once, on this send: retry (the queue counts it).
	 */
	for (tries = 0; tries < 2; tries++) {
		if (send(fd, buf, len, 0) == (ssize_t)len)
			break;
		if (errno != ECONNREFUSED && errno != EHOSTUNREACH &&
		    errno != ENETUNREACH && errno != EINTR)
			return sys_fail("send");
	}
	if (tries == 2)
		return SRTT_EXIT_OK;	/* not sent: stays lost */
	p->flags |= BD_SENT;
	pr->id_seq[pr->tx_ids++] = seq;
	if (seq < pr->r.count)
		pr->r.sent++;
	return SRTT_EXIT_OK;
}

/* Find one of our TLVs in a reply: 1 usable, 0 absent, -1 refused. */
static int reply_tlv(struct probe_run *pr, const struct srtt_stamp_reflector *rf,
		     uint8_t type, struct srtt_stamp_tlv *t)
{
	int rc = srtt_stamp_tlv_find(rf->tlv, rf->tlv_len, type, t);

	if (rc < 0) {
		pr->tlv_bad++;
		return -1;
	}
	if (!rc) {
		pr->tlv_absent++;
		return 0;
	}
	if (t->flags & SRTT_STAMP_TLV_F_U) {
		pr->tlv_unknown++;
		return -1;
	}
	if (t->flags & SRTT_STAMP_TLV_F_M) {
		pr->tlv_bad++;
		return -1;
	}
	return 1;
}

/*
 * The reflector's stages of @p from a TLV: the first value of a stage
 * stays (a second follow-up about the same reply repeats it, and may add
 * stages that were not in yet).
 */
static void take_stages(struct bd_pkt *p, const struct srtt_stamp_stage *st,
			unsigned int n, uint64_t *hw)
{
	uint16_t *mask = &p->stage_mask[SRTT_DECOMP_DOM_G];
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (st[i].stage >= __SRTT_STAGE_MAX ||
		    (*mask & (1U << st[i].stage)) ||
		    st[i].ts_ns >= (uint64_t)SRTT_DECOMP_NS_LIMIT)
			continue;
		if (st[i].flags & SRTT_REC_F_HWTS)
			(*hw)++;
		p->stage[SRTT_DECOMP_DOM_G][st[i].stage] = (int64_t)st[i].ts_ns;
		*mask |= 1U << st[i].stage;
	}
}

/* One FOLLOW_UP value: the stages of an earlier reply, @q. */
static void take_follow_up(struct probe_run *pr, const struct srtt_stamp_tlv *t)
{
	struct srtt_stamp_follow_up fu;
	struct bd_pkt *q;

	if ((t->flags & (SRTT_STAMP_TLV_F_U | SRTT_STAMP_TLV_F_M)) ||
	    srtt_stamp_fu_decode(t->value, t->len, &fu) ||
	    !(fu.flags & SRTT_STAMP_FU_F_VALID) || fu.ss_seq >= pr->r.count)
		return;
	q = &pr->r.p[fu.ss_seq];
	/* the entries are the reflector's MONOTONIC: need its bracket */
	if (!(q->flags & BD_RECEIVED) || !(q->flags & BD_G_MONO))
		return;
	pr->side[fu.ss_seq].fu_seen = true;
	if (fu.flags & SRTT_STAMP_FU_F_NO_SOURCE)
		q->flags |= BD_G_NO_SOURCE;
	if (fu.flags & SRTT_STAMP_FU_F_LOST)
		q->flags |= BD_G_LOST;
	take_stages(q, fu.st, fu.count, &pr->r.hw_stamps);
}

/*
 * The reflector's hypervisor clock (ptp_kvm): the offset G - H at the
 * reply, if this host is that hypervisor. H's MONOTONIC at the host's
 * REALTIME comes from this packet's own bracket; the error is both
 * brackets' half widths. A reflector without the TLV (U set) is counted
 * apart: it does not make the other sriov_rtt TLVs unknown.
 */
static void host_clock(struct probe_run *pr, const struct srtt_stamp_reflector *rf,
		       struct bd_pkt *p)
{
	const struct srtt_stamp_bracket *hb = &pr->side[p->seq].hb;
	struct srtt_stamp_bracket b;
	struct srtt_stamp_tlv t;
	uint8_t flags;

	if (srtt_stamp_tlv_find(rf->tlv, rf->tlv_len, SRTT_STAMP_TLV_HOST_CLOCK,
				&t) <= 0)
		return;
	if (t.flags & SRTT_STAMP_TLV_F_U) {
		pr->hc_unknown++;
		return;
	}
	if ((t.flags & SRTT_STAMP_TLV_F_M) ||
	    srtt_stamp_hc_decode(t.value, t.len, &b, &flags) ||
	    (flags & SRTT_STAMP_HC_F_NO_SOURCE) ||
	    b.mono_ns >= (uint64_t)SRTT_DECOMP_NS_LIMIT ||
	    b.real_ns >= (uint64_t)SRTT_DECOMP_NS_LIMIT)
		return;
	p->ptp_theta = (int64_t)b.mono_ns - to_mono((int64_t)b.real_ns, hb);
	p->ptp_err = (uint64_t)b.half_width_ns + hb->half_width_ns;
	p->ptp_g = (int64_t)b.mono_ns;
	p->flags |= BD_PTP;
}

/* The sriov_rtt TLVs of a reply to packet @p. */
/* The trailer's NOTIFY: the reflector's side's notifications. */
static void guest_notify(struct probe_run *pr,
			 const struct srtt_stamp_reflector *rf)
{
	struct bd_notify *nt = &pr->r.nt;
	struct srtt_stamp_tlv t;
	uint8_t flags;
	int rc;

	rc = srtt_stamp_tlv_find(rf->tlv, rf->tlv_len, SRTT_STAMP_TLV_NOTIFY,
				 &t);
	if (rc <= 0 || (t.flags & (SRTT_STAMP_TLV_F_U | SRTT_STAMP_TLV_F_M))) {
		snprintf(nt->guest_why, sizeof(nt->guest_why), "%s",
			 rc <= 0 ? "not in the trailer's reply" :
			 t.flags & SRTT_STAMP_TLV_F_U ?
			 "the reflector does not know the NOTIFY TLV" :
			 "the reflector marked the NOTIFY TLV malformed");
		return;
	}
	if (srtt_stamp_nt_decode(t.value, t.len, &nt->guest,
				 &nt->guest_requests, &flags)) {
		snprintf(nt->guest_why, sizeof(nt->guest_why), "%s",
			 "a malformed NOTIFY TLV in the trailer's reply");
		return;
	}
	if (flags & SRTT_STAMP_NT_F_TRUNCATED && !nt->guest.more)
		nt->guest.more = 1;	/* at least one, of an unknown number */
	nt->guest_read = true;
}

static void reply_tlvs(struct probe_run *pr, const struct srtt_stamp_reflector *rf,
		       struct bd_pkt *p, bool trailer)
{
	struct srtt_stamp_guest_stages gs;
	struct srtt_stamp_tlv_iter it;
	struct srtt_stamp_tlv t;

	if (pr->o->plain)
		return;
	if (!trailer && reply_tlv(pr, rf, SRTT_STAMP_TLV_BOOT_ID, &t) > 0 &&
	    t.len == SRTT_STAMP_BOOT_ID_LEN && pr->have_boot_id)
		p->flags |= memcmp(t.value, pr->boot_id, SRTT_STAMP_BOOT_ID_LEN) ?
			    BD_OTHER_BOOT : BD_SAME_BOOT;
	if (!trailer && reply_tlv(pr, rf, SRTT_STAMP_TLV_GUEST_STAGES, &t) > 0 &&
	    !srtt_stamp_gs_decode(t.value, t.len, &gs) &&
	    gs.clk.mono_ns < (uint64_t)SRTT_DECOMP_NS_LIMIT &&
	    gs.clk.real_ns < (uint64_t)SRTT_DECOMP_NS_LIMIT) {
		pr->gs_seen++;
		p->flags |= BD_G_MONO;
		p->g_flush_us = gs.flush_us;
		p->conv_err[SRTT_DECOMP_DOM_G] = gs.clk.half_width_ns;
		p->t2 = to_mono(p->t2_real, &gs.clk);
		p->t3 = to_mono(p->t3_real, &gs.clk);
		if (gs.flags & SRTT_STAMP_GS_F_NO_SOURCE)
			p->flags |= BD_G_NO_SOURCE;
		if (gs.flags & SRTT_STAMP_GS_F_LOST)
			p->flags |= BD_G_LOST;
		/* a reflector that waited for its stages sends them here */
		take_stages(p, gs.st, gs.count, &pr->r.hw_stamps);
	}
	if (!trailer)
		host_clock(pr, rf, p);
	else
		guest_notify(pr, rf);
	/* every FOLLOW_UP: the previous reply, and the one before */
	if (reply_tlv(pr, rf, SRTT_STAMP_TLV_FOLLOW_UP, &t) <= 0)
		return;
	srtt_stamp_tlv_iter_init(&it, rf->tlv, rf->tlv_len);
	while (srtt_stamp_tlv_next(&it, &t) == 1)
		if (t.type == SRTT_STAMP_TLV_FOLLOW_UP)
			take_follow_up(pr, &t);
}

/* What a reply's receive says beside its bytes. */
struct probe_rx {
	int64_t		t4_sw;		/* SO_TIMESTAMPING, REALTIME; 0: none */
	int64_t		t4_user;	/* REALTIME right after recvmsg() */
	int64_t		mono;		/* MONOTONIC, likewise */
	uint32_t	ifindex;	/* it came in here (IP_PKTINFO) */
	int64_t		t2, t3;		/* the reply's, REALTIME ns */
};

static void reply_cmsgs(struct msghdr *m, struct probe_rx *rx)
{
	struct srtt_tstamp ts;
	struct cmsghdr *c;

	for (c = CMSG_FIRSTHDR(m); c; c = CMSG_NXTHDR(m, c)) {
		if (srtt_tstamp_cmsg(c, &ts)) {
			rx->t4_sw = (int64_t)ts.sw_ns;
		} else if (c->cmsg_level == SOL_IP && c->cmsg_type == IP_PKTINFO) {
			struct in_pktinfo pi;

			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			rx->ifindex = (uint32_t)pi.ipi_ifindex;
		} else if (c->cmsg_level == SOL_IPV6 &&
			   c->cmsg_type == IPV6_PKTINFO) {
			struct in6_pktinfo pi6;

			memcpy(&pi6, CMSG_DATA(c), sizeof(pi6));
			rx->ifindex = pi6.ipi6_ifindex;
		}
	}
}

/* A reply of ours: the trailer's, a duplicate, late, or packet's T2-T4. */
static void reply_take(struct probe_run *pr,
		       const struct srtt_stamp_reflector *rf,
		       const struct probe_rx *rx)
{
	struct bd_run *r = &pr->r;
	struct bd_pkt *p = &r->p[rf->ss_seq];

	if (rf->ss_seq == r->count) {
		/* the extra request: only its follow-up matters */
		if (!pr->trailer_done) {
			pr->trailer_done = true;
			reply_tlvs(pr, rf, p, true);
		}
		return;
	}
	if (p->flags & (BD_RECEIVED | BD_LATE)) {
		p->flags |= BD_DUP;
		r->dup++;
		return;
	}
	if (rx->mono - pr->side[rf->ss_seq].send_mono > pr->o->timeout_ns) {
		p->flags |= BD_LATE;
		r->late++;
		return;
	}
	p->flags |= BD_RECEIVED;
	r->received++;
	pr->side[rf->ss_seq].rx_ifindex = rx->ifindex;
	pr->side[rf->ss_seq].rx_mono = rx->mono;
	p->t2_real = rx->t2;
	p->t3_real = rx->t3;
	p->t2 = p->t2_real;
	p->t3 = p->t3_real;
	if (rx->t4_sw) {
		p->t4_real = rx->t4_sw;
		p->flags |= BD_T4_SW;
		r->t4_sw++;
	} else {
		p->t4_real = rx->t4_user;
	}
	reply_tlvs(pr, rf, p, false);
}

static int read_reply(int fd, struct probe_run *pr, uint8_t *buf)
{
	char ctrl[512];
	struct iovec iov = { .iov_base = buf, .iov_len = PROBE_BUF };
	struct msghdr m = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = ctrl, .msg_controllen = sizeof(ctrl),
	};
	struct srtt_stamp_reflector rf;
	struct probe_rx rx = { 0 };
	struct bd_run *r = &pr->r;
	struct timespec t2, t3;
	unsigned int missing;
	ssize_t len;
	int rc;

	len = recvmsg(fd, &m, MSG_DONTWAIT);
	rx.t4_user = now_ns(CLOCK_REALTIME);
	rx.mono = now_ns(CLOCK_MONOTONIC);
	if (len < 0) {
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
			return 0;
		/* the error queue counts it (IP_RECVERR) */
		if (errno == ECONNREFUSED || errno == EHOSTUNREACH ||
		    errno == ENETUNREACH)
			return 1;
		return sys_fail("recvmsg");
	}
	reply_cmsgs(&m, &rx);
	/*
	 * A broken TLV list still has a usable base packet; a TWAMP-Light
	 * reflector's shorter RFC 5357 layout carries every field up to the
	 * Sender Timestamp, which is all T1-T4 need.
	 */
	rc = srtt_stamp_decode_reflector_light(buf, (size_t)len, &rf, &missing);
	if ((rc && rc != -SRTT_STAMP_ETLV) ||
	    srtt_stamp_ts_to_timespec(rf.rx_ts, rf.ee, &t2) ||
	    srtt_stamp_ts_to_timespec(rf.ts, rf.ee, &t3)) {
		r->malformed++;
		return 1;
	}
	if (rc)
		pr->tlv_bad++;
	/* RFC 5357 has MBZ where STAMP has the SSID: 0 is a TWAMP peer's */
	if ((rf.ssid != pr->o->ssid && rf.ssid) || rf.ss_seq > r->count ||
	    !(r->p[rf.ss_seq].flags & BD_SENT)) {
		r->unmatched++;
		return 1;
	}
	if (missing && rf.ss_seq < r->count) {
		r->light++;
		if (missing & SRTT_STAMP_MISSING_TTL)
			r->no_ttl++;
	}
	rx.t2 = (int64_t)srtt_stamp_timespec_ns(&t2);
	rx.t3 = (int64_t)srtt_stamp_timespec_ns(&t3);
	reply_take(pr, &rf, &rx);
	return 1;
}

static unsigned int host_stages(struct probe_run *pr, uint32_t seq);

/*
 * Take this kernel's stages of the packets whose records are in by now
 * (the module drains every 10 ms) out of the table, in send order, so a
 * long run never needs more table than a timeout's worth of probes.
 */
#define PROBE_HARVEST_NS	200000000LL	/* after the reply or the timeout */

static void harvest(struct probe_run *pr, bool all)
{
	int64_t now = now_ns(CLOCK_MONOTONIC);

	while (pr->harvest_next < pr->attempted) {
		uint64_t i = pr->harvest_next;
		struct probe_side *ps = &pr->side[i];
		struct bd_pkt *p = &pr->r.p[i];

		if (!all && (p->flags & BD_RECEIVED ?
			     now - ps->rx_mono < PROBE_HARVEST_NS :
			     now - ps->send_mono < pr->o->timeout_ns + PROBE_HARVEST_NS))
			break;
		if (pr->have_src && (p->flags & BD_RECEIVED))
			ps->host_found = host_stages(pr, (uint32_t)i);
		ps->harvested = true;
		pr->harvest_next++;
	}
}

static bool pump_done(const struct probe_run *pr)
{
	if (pr->r.received + pr->r.late < pr->r.sent)
		return false;
	return !pr->trailer_sent || pr->trailer_done;
}

/* Poll until @until_mono (ns), reading replies, TX stamps and records. */
static int pump(int fd, struct probe_run *pr, uint8_t *buf, int64_t until_mono,
		bool stop_when_done)
{
	for (;;) {
		struct pollfd pfd[2] = {
			{ .fd = fd, .events = POLLIN },
			{ .fd = srtt_recsock_fd(&pr->src), .events = POLLIN },
		};
		int64_t left = until_mono - now_ns(CLOCK_MONOTONIC);
		int n, err;

		if (stop_when_done && pump_done(pr))
			return SRTT_EXIT_OK;
		if (left <= 0 || probe_stop)
			return SRTT_EXIT_OK;
		n = poll(pfd, 2, (int)((left + 999999) / 1000000));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return sys_fail("poll");
		}
		if (!n)
			continue;
		if (pfd[1].revents) {
			err = srtt_recsock_read(&pr->src);
			harvest(pr, false);
			if (err) {
				snprintf(pr->r.host_why, sizeof(pr->r.host_why),
					 "records group: %s", srtt_recsock_strerror(err));
				src_close(pr);
			}
		}
		if (pfd[0].revents & POLLERR) {
			/* TX stamps and ICMP errors (IP_RECVERR), one a call */
			err = read_errqueue(fd, pr);
			if (err < 0) {
				errno = -err;
				return sys_fail("reading the error queue");
			}
		}
		if (pfd[0].revents & POLLIN) {
			err = read_reply(fd, pr, buf);
			if (err > 1 || err < 0)
				return err;
		}
	}
}

/* ---- joining ---- */

static void read_boot_id(struct probe_run *pr)
{
	char text[64] = "";
	FILE *f = fopen("/proc/sys/kernel/random/boot_id", "r");

	if (f) {
		if (!fgets(text, sizeof(text), f))
			text[0] = 0;
		fclose(f);
	}
	pr->have_boot_id = !srtt_stamp_boot_id_parse(text, pr->boot_id);
}

/*
 * This kernel's stages of packet @seq: TX of the request, RX of the
 * reply. Each lies between the request's send and its reply's receive
 * (tx_done up to PROBE_HARVEST_NS later): a record outside is another
 * packet's with the same key and is counted, not used.
 */
static unsigned int host_stages(struct probe_run *pr, uint32_t seq)
{
	const struct srtt_record *recs, *pick[__SRTT_STAGE_MAX];
	struct probe_side *ps = &pr->side[seq];
	struct bd_pkt *p = &pr->r.p[seq];
	unsigned int n, s, others, found = 0, dir;
	uint64_t lo = (uint64_t)ps->send_mono;
	uint64_t hi = (uint64_t)(ps->rx_mono + PROBE_HARVEST_NS);

	for (dir = SRTT_DIR_FWD; dir <= SRTT_DIR_REV; dir++) {
		struct srtt_key key = {
			.probe = SRTT_PROBE_STAMP, .dir = (uint8_t)dir,
			.id = pr->o->ssid, .seq = seq,
		};

		n = srtt_stages_tab_get(&pr->tab, &key, &recs);
		if (dir == SRTT_DIR_FWD) {
			/* the request received here too: a VF under vhost */
			srtt_stages_pick(recs, n, false, 0, pick, &others);
			if (pick[SRTT_STAGE_RX_IRQ] &&
			    pick[SRTT_STAGE_RX_IRQ]->ts >= lo &&
			    pick[SRTT_STAGE_RX_IRQ]->ts <= hi)
				p->fwd_rx_irq = (int64_t)pick[SRTT_STAGE_RX_IRQ]->ts;
			if (pick[SRTT_STAGE_RX_DRV] &&
			    pick[SRTT_STAGE_RX_DRV]->ts >= lo &&
			    pick[SRTT_STAGE_RX_DRV]->ts <= hi)
				p->fwd_rx_drv = (int64_t)pick[SRTT_STAGE_RX_DRV]->ts;
		}
		srtt_stages_pick(recs, n, dir == SRTT_DIR_FWD,
				 pr->side[seq].rx_ifindex, pick, &others);
		for (s = 0; s < __SRTT_STAGE_MAX; s++) {
			if (!pick[s] || pick[s]->ts >= (uint64_t)SRTT_DECOMP_NS_LIMIT)
				continue;
			if (pick[s]->ts < lo || pick[s]->ts > hi) {
				pr->r.h_stale++;
				continue;
			}
			if (pick[s]->flags & SRTT_REC_F_HWTS)
				pr->r.hw_stamps++;
			p->stage[SRTT_DECOMP_DOM_H][s] = (int64_t)pick[s]->ts;
			p->stage_mask[SRTT_DECOMP_DOM_H] |= 1U << s;
			found++;
		}
	}
	return found;
}

/*
 * vhost's signal for a request the host's VF handed up: virtio suppresses
 * notifications while the guest polls, so the first signal after it may
 * be another packet's. With the hypervisor clock, the last signal before
 * the guest's interrupt (in this clock, widened by the clock's error and
 * a drift of 1 % of the distance: emulated clocks drift up to 0.4 %);
 * else the first after.
 */
static const struct srtt_record *vhost_signal(const struct srtt_stages_tab *t,
					      const struct bd_pkt *p, int64_t to)
{
	const int64_t *g = p->stage[SRTT_DECOMP_DOM_G];
	const struct srtt_record *r = NULL;
	int64_t irq_h, slack;

	if ((p->flags & BD_PTP) &&
	    (p->stage_mask[SRTT_DECOMP_DOM_G] & (1U << SRTT_STAGE_RX_IRQ))) {
		slack = (int64_t)p->ptp_err +
			llabs(g[SRTT_STAGE_RX_IRQ] - p->ptp_g) / 100;
		irq_h = g[SRTT_STAGE_RX_IRQ] - p->ptp_theta + slack;
		if (irq_h > p->fwd_rx_drv)
			r = srtt_stages_event_last(t, SRTT_EVENT_HV_SIGNAL,
						   (uint64_t)p->fwd_rx_drv,
						   (uint64_t)(irq_h < to ? irq_h : to),
						   SRTT_EVENT_NO_VF, -1);
	}
	return r ? r : srtt_stages_event(t, SRTT_EVENT_HV_SIGNAL,
					 (uint64_t)p->fwd_rx_drv, (uint64_t)to,
					 SRTT_EVENT_NO_VF, -1);
}

/*
 * Which VF of the PF the replies came in on is the reflector's: the one
 * whose MAC is the target's in the neighbour table of that PF (the MAC
 * the PF gave the VF, the guest's). Another guest's VF interrupts then
 * never stand for the reflector's. pr->refl_vf -1 and refl_vf_why say
 * why when that cannot be known.
 */
static void reflector_vf(struct probe_run *pr)
{
	struct nl_cache *links = NULL, *neigh = NULL;
	struct rtnl_link *pf = NULL;
	struct rtnl_neigh *n = NULL;
	struct nl_addr *dst = NULL, *mac, *vfmac;
	struct rtnl_link_vf *vf;
	struct nl_sock *sk;
	uint32_t ifindex = 0, i, nvf = 0;
	uint64_t k;

	pr->refl_vf = -1;
	for (k = 0; k < pr->r.count && !ifindex; k++)
		if (pr->r.p[k].flags & BD_RECEIVED)
			ifindex = pr->side[k].rx_ifindex;
	sk = nl_socket_alloc();
	if (!ifindex || !sk || nl_connect(sk, NETLINK_ROUTE) ||
	    rtnl_link_alloc_cache(sk, AF_UNSPEC, &links) ||
	    rtnl_neigh_alloc_cache(sk, &neigh)) {
		snprintf(pr->refl_vf_why, sizeof(pr->refl_vf_why), "%s",
			 "no device or neighbour table to find its VF in");
		goto out;
	}
	if (pr->peer.ss_family == AF_INET6)
		dst = nl_addr_build(AF_INET6,
				    &((struct sockaddr_in6 *)&pr->peer)->sin6_addr, 16);
	else
		dst = nl_addr_build(AF_INET,
				    &((struct sockaddr_in *)&pr->peer)->sin_addr, 4);
	pf = rtnl_link_get(links, (int)ifindex);
	n = dst ? rtnl_neigh_get(neigh, (int)ifindex, dst) : NULL;
	mac = n ? rtnl_neigh_get_lladdr(n) : NULL;
	if (!pf || !mac) {
		snprintf(pr->refl_vf_why, sizeof(pr->refl_vf_why), "%s",
			 "the target has no neighbour entry on the device its replies came in on");
		goto out;
	}
	if (rtnl_link_has_vf_list(pf))
		rtnl_link_get_num_vf(pf, &nvf);
	for (i = 0; i < nvf && pr->refl_vf < 0; i++) {
		vf = rtnl_link_vf_get(pf, i);
		if (!vf)
			continue;
		if (!rtnl_link_vf_get_addr(vf, &vfmac) && !nl_addr_cmp(vfmac, mac))
			pr->refl_vf = (int)i;
		rtnl_link_vf_put(vf);
	}
	if (pr->refl_vf < 0)
		snprintf(pr->refl_vf_why, sizeof(pr->refl_vf_why), "%s",
			 "the target's MAC is none of the PF's VFs'");
out:
	if (n)
		rtnl_neigh_put(n);
	if (pf)
		rtnl_link_put(pf);
	nl_addr_put(dst);
	if (neigh)
		nl_cache_free(neigh);
	if (links)
		nl_cache_free(links);
	nl_socket_free(sk);
}

/*
 * The hypervisor's part of the forward path. They are events in time, no
 * packet's: taken by the window from the request leaving this host's
 * driver to its reply coming back. A guest that owns a VF through
 * vfio-pci: the first interrupt of a VF that the host took in it
 * (hv_irq), of the reflector's own VF (reflector_vf()). A virtio
 * guest, the request received by a device of this kernel (fwd_rx_drv):
 * the first signal of a vhost worker after that (hv_signal). Then KVM's first injection of that interrupt into the
 * guest (hv_inject).
 */
static void host_events(struct probe_run *pr, struct bd_pkt *p)
{
	const struct srtt_stages_tab *t = &pr->tab;
	const int64_t *h = p->stage[SRTT_DECOMP_DOM_H];
	const struct srtt_record *irq, *inj;
	int64_t from, to;

	if (!t->nev || !(p->stage_mask[SRTT_DECOMP_DOM_H] & (1U << SRTT_STAGE_TX_DRV)))
		return;
	from = h[SRTT_STAGE_TX_DRV];
	to = p->t4;
	if (p->stage_mask[SRTT_DECOMP_DOM_H] & (1U << SRTT_STAGE_RX_DRV))
		to = h[SRTT_STAGE_RX_DRV];
	if (from <= 0 || to <= from)
		return;
	/*
	 * A request this kernel received itself went up a device of its
	 * own (a VF under a macvtap): vhost's path; else a passed-through VF.
	 * Another guest's VF interrupt in the window is no part of it.
	 */
	if (p->fwd_rx_drv > from && p->fwd_rx_drv < to) {
		irq = vhost_signal(t, p, to);
		if (!irq)
			return;
		p->hv_signal = (int64_t)irq->ts;
	} else {
		/* the reflector's own VF's: another guest's are not this path */
		if (pr->refl_vf < 0)
			return;
		irq = srtt_stages_event(t, SRTT_EVENT_HV_IRQ, (uint64_t)from,
					(uint64_t)to, pr->refl_vf, -1);
		if (!irq)
			return;
		p->hv_irq = (int64_t)irq->ts;
	}
	p->hv_vf = irq->queue;
	inj = srtt_stages_event(t, SRTT_EVENT_HV_INJECT, irq->ts, (uint64_t)to,
				irq->queue, irq->key.id);
	if (inj)
		p->hv_inject = (int64_t)inj->ts;
}

/* Why the reflector's stages are missing, if they are. */
static void guest_why(struct probe_run *pr, uint64_t with_guest)
{
	struct bd_run *r = &pr->r;

	if (pr->o->plain)
		snprintf(r->guest_why, sizeof(r->guest_why), "%s",
			 "--plain: no sriov_rtt TLVs asked for");
	else if (!r->received)
		snprintf(r->guest_why, sizeof(r->guest_why), "%s", "no replies");
	else if (pr->tlv_unknown)
		snprintf(r->guest_why, sizeof(r->guest_why), "%s",
			 "the reflector does not know the sriov_rtt TLVs "
			 "(a third-party STAMP reflector)");
	else if (r->light == r->received)
		snprintf(r->guest_why, sizeof(r->guest_why), "%s",
			 "a TWAMP-Light reflector (RFC 5357 layout: no TLVs)");
	else if (!pr->gs_seen)
		snprintf(r->guest_why, sizeof(r->guest_why), "%s",
			 "the replies carry no sriov_rtt TLVs (an RFC 8762 "
			 "reflector without TLV support)");
	else if (r->g_no_source == r->received ||
		 (!with_guest && pr->r.received))
		snprintf(r->guest_why, sizeof(r->guest_why), "%s",
			 "the reflector's kernel gave no stages (sriov_rtt not "
			 "loaded there, its device not attached, or no "
			 "CAP_NET_ADMIN for the reflector)");
}

static void join(struct probe_run *pr)
{
	struct bd_run *r = &pr->r;
	uint64_t i, with_host = 0, with_guest = 0;
	int err;

	if (pr->have_src) {
		err = srtt_recsock_flush(&pr->src, PROBE_FLUSH_MS);
		if (err) {
			snprintf(r->host_why, sizeof(r->host_why),
				 "records flush: %s", srtt_recsock_strerror(err));
			src_close(pr);
		}
	}
	harvest(pr, true);
	if (pr->have_src && pr->tab.nev) {
		reflector_vf(pr);
		if (pr->refl_vf < 0 &&
		    srtt_stages_event(&pr->tab, SRTT_EVENT_HV_IRQ, 0,
				      UINT64_MAX, -1, -1))
			snprintf(r->hv_why, sizeof(r->hv_why), "%s",
				 pr->refl_vf_why);
	}
	for (i = 0; i < pr->r.count; i++) {
		struct probe_side *ps = &pr->side[i];
		struct bd_pkt *p = &r->p[i];

		if (!(p->flags & BD_SENT))
			continue;
		/*
		 * T1 is the app's send time, the STAMP Timestamp: the software
		 * TX stamp is taken inside the driver (skb_tx_timestamp(),
		 * after tx_drv), so it cannot start the path. It goes to the
		 * CSV beside T1.
		 */
		p->t1_real = ps->t1_user;
		if (ps->t1_sw) {
			p->t1_txsw = ps->t1_sw;
			p->flags |= BD_T1_SW;
			r->t1_sw++;
		}
		/* T1 and T4 into this kernel's MONOTONIC, one bracket each */
		p->t1 = to_mono(p->t1_real, &ps->hb);
		p->conv_err[SRTT_DECOMP_DOM_H] = ps->hb.half_width_ns;
		if (!(p->flags & BD_RECEIVED))
			continue;
		p->t4 = to_mono(p->t4_real, &ps->hb);
		if (!pr->o->plain && !ps->fu_seen)
			p->flags |= BD_NO_FU;
		if (p->stage_mask[SRTT_DECOMP_DOM_G])
			with_guest++;
		if (pr->side[i].host_found)
			with_host++;
		if (pr->have_src)
			host_events(pr, p);
		if (pr->have_src && (pr->src.loss_events || pr->tab.evicted) &&
		    (p->stage_mask[SRTT_DECOMP_DOM_H] &
		     ((1U << SRTT_STAGE_TX_DRV) | (1U << SRTT_STAGE_RX_DRV))) !=
		    ((1U << SRTT_STAGE_TX_DRV) | (1U << SRTT_STAGE_RX_DRV)))
			p->flags |= BD_H_LOST;
	}
	if (pr->have_src) {
		r->h_lost_kernel = pr->src.lost_kernel;
		r->h_lost_socket = pr->src.lost_socket;
		r->h_evicted = pr->tab.evicted;
		r->hv_events = pr->tab.nev;
		r->hv_events_dropped = pr->tab.ev_dropped;
		if (!with_host && r->received && !r->host_why[0])
			snprintf(r->host_why, sizeof(r->host_why), "%s",
				 "no records of these probes: attach the device "
				 "they leave by (sriov-rtt attach DEV)");
	}
	guest_why(pr, with_guest);
}

static void run_free(struct probe_run *pr)
{
	src_close(pr);
	bd_free(&pr->r);
	free(pr->side);
	free(pr->id_seq);
}

/* An output file named on the command line, opened before any work. */
struct probe_file {
	const char	*path;
	FILE		*fp;
};

static int file_open(struct probe_file *f, const char *opt, const char *path)
{
	f->path = path;
	f->fp = NULL;
	if (!path)
		return 0;
	f->fp = fopen(path, "w");
	if (f->fp)
		return 0;
	fprintf(stderr, "sriov-rtt: %s %s: %s\n", opt, path, strerror(errno));
	return -1;
}

/* Write with @fn, close: 0, or says what failed on stderr. */
static int file_write(struct probe_file *f, const struct bd_run *r,
		      int (*fn)(const struct bd_run *, FILE *))
{
	int err;

	if (!f->fp)
		return 0;
	err = fn(r, f->fp);
	if (fclose(f->fp) && !err)
		err = -errno;
	f->fp = NULL;
	if (err)
		fprintf(stderr, "sriov-rtt: %s: %s\n", f->path, strerror(-err));
	return err;
}

static void file_close(struct probe_file *f)
{
	if (f->fp)
		fclose(f->fp);
	f->fp = NULL;
}

static int outputs(struct srtt_ctx *ctx, struct bd_run *r, const char *title,
		   struct probe_file *csv, struct probe_file *svg)
{
	int err = 0;

	if (bd_analyse(r)) {
		fprintf(stderr, "sriov-rtt: out of memory\n");
		return SRTT_EXIT_ERROR;
	}
	bd_print(&ctx->out, r, title);
	if (csv && file_write(csv, r, bd_write_csv))
		err = SRTT_EXIT_ERROR;
	if (svg && file_write(svg, r, bd_write_svg))
		err = SRTT_EXIT_ERROR;
	return err;
}

static void probe_on_signal(int sig)
{
	(void)sig;
	probe_stop = 1;
}

/*
 * probe's exit status, as ping's (ping(8)): 0 when a reply came, 1 when
 * none did, 2 for any error (usage, resolve, socket, output files).
 */
static int probe_exit(int err, const struct bd_run *r)
{
	if (err)
		return SRTT_PROBE_EXIT_ERROR;
	return r->received ? SRTT_PROBE_EXIT_REPLIES : SRTT_PROBE_EXIT_NONE;
}

/* The run's state for the options @o: enum srtt_exit. */
static int run_init(struct probe_run *pr, const struct srtt_probe_args *o)
{
	int err;

	pr->o = o;
	pr->r.count = o->count;
	pr->r.p = calloc(o->count + 1, sizeof(*pr->r.p));
	pr->side = calloc(o->count + 1, sizeof(*pr->side));
	pr->id_seq = calloc(o->count + 1, sizeof(*pr->id_seq));
	if (!pr->r.p || !pr->side || !pr->id_seq) {
		fprintf(stderr, "probe: out of memory\n");
		return SRTT_EXIT_ERROR;
	}
	snprintf(pr->r.target, sizeof(pr->r.target), "%s", o->target);
	snprintf(pr->r.port, sizeof(pr->r.port), "%s", o->port);
	pr->r.ssid = o->ssid;
	pr->r.size = o->size;
	pr->r.tlvs = !o->plain;
	pr->ee = srtt_stamp_ee_local(NULL);
	read_boot_id(pr);
	if (o->no_stages) {
		snprintf(pr->r.host_why, sizeof(pr->r.host_why), "%s",
			 "--no-stages");
		return SRTT_EXIT_OK;
	}
	err = src_open(pr);
	if (err)
		snprintf(pr->r.host_why, sizeof(pr->r.host_why), "%s",
			 srtt_recsock_strerror(err));
	return SRTT_EXIT_OK;
}

/* The requests, each --interval after the last, until SIGINT. */
static int run_sends(int fd, struct probe_run *pr, uint8_t *buf)
{
	const struct srtt_probe_args *o = pr->o;
	int64_t next = now_ns(CLOCK_MONOTONIC);
	uint64_t i;
	int err;

	for (i = 0; i < pr->r.count && !probe_stop; i++) {
		/*
		 * --serial: the previous reply (or its timeout) first, then
		 * the interval: no two requests are in flight at once.
		 */
		if (o->serial && i) {
			err = pump(fd, pr, buf, now_ns(CLOCK_MONOTONIC) +
				   o->timeout_ns, true);
			if (err)
				return err;
			next = now_ns(CLOCK_MONOTONIC) + o->interval_ns;
		}
		err = pump(fd, pr, buf, next, false);
		if (err)
			return err;
		if (probe_stop)
			break;
		err = send_one(fd, pr, (uint32_t)i, buf);
		if (err)
			return err;
		next += o->interval_ns;
	}
	/* interrupted: the run is the packets it got to */
	if (probe_stop)
		pr->r.count = pr->attempted;
	return SRTT_EXIT_OK;
}

/* The last replies awaited, then the trailer's follow-ups. */
static int run_finish(int fd, struct probe_run *pr, uint8_t *buf)
{
	int err;

	err = pump(fd, pr, buf, now_ns(CLOCK_MONOTONIC) + pr->o->timeout_ns,
		   true);
	if (err)
		return err;
	/* this side's notifications since the first request */
	srtt_notify_read(&pr->r.nt.host);
	srtt_notify_since(&pr->r.nt.host, &pr->nt_before);
	pr->r.nt.host_read = true;
	pr->r.nt.probes = pr->r.sent;
	snprintf(pr->r.nt.guest_why, sizeof(pr->r.nt.guest_why), "%s",
		 pr->o->plain ? "--plain" : !pr->r.received ?
		 "no replies" : probe_stop ? "interrupted" :
		 "no reply to the trailer");
	/*
	 * One more request brings the follow-ups about the last replies
	 * (the reflector may take its kernel's records in before it answers
	 * this one: its times are not used).
	 */
	if (pr->o->plain || !pr->r.received || probe_stop)
		return SRTT_EXIT_OK;
	err = send_one(fd, pr, (uint32_t)pr->r.count, buf);
	if (err)
		return err;
	pr->trailer_sent = pr->r.p[pr->r.count].flags & BD_SENT;
	return pump(fd, pr, buf, now_ns(CLOCK_MONOTONIC) + pr->o->timeout_ns,
		    true);
}

int srtt_cmd_probe(struct srtt_ctx *ctx, const struct srtt_args *a)
{
	struct sigaction sa = { .sa_handler = probe_on_signal };
	struct probe_file csv = { 0 }, svg = { 0 };
	struct probe_run pr;
	uint8_t *buf;
	int fd = -1, err;
	unsigned int i;

	memset(&pr, 0, sizeof(pr));
	buf = malloc(PROBE_BUF);
	/* a file that cannot be written fails now, not after the run */
	if (file_open(&csv, "--csv", a->csv) ||
	    file_open(&svg, "--svg", a->svg)) {
		err = SRTT_EXIT_ERROR;
		goto out;
	}
	err = buf ? run_init(&pr, &a->probe) : SRTT_EXIT_ERROR;
	if (!buf)
		fprintf(stderr, "probe: out of memory\n");
	if (!err)
		err = probe_socket(&pr, &fd);
	if (err)
		goto out;
	/* no SA_RESTART: poll() returns EINTR and the run ends */
	probe_stop = 0;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	srtt_notify_read(&pr.nt_before);
	err = run_sends(fd, &pr, buf);
	if (!err)
		err = run_finish(fd, &pr, buf);
	if (err)
		goto out;
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	/* the last TX stamps may still be queued */
	if (pr.tstamp)
		for (i = 0; i < 100 && read_errqueue(fd, &pr) > 0; i++)
			;
	join(&pr);
	err = outputs(ctx, &pr.r, probe_stop ? "STAMP probe (interrupted)" :
		      "STAMP probe", &csv, &svg);
out:
	file_close(&csv);
	file_close(&svg);
	if (fd >= 0)
		close(fd);
	err = probe_exit(err, &pr.r);
	run_free(&pr);
	free(buf);
	return err;
}

/* ---- report ---- */

int srtt_cmd_report(struct srtt_ctx *ctx, const struct srtt_args *a)
{
	struct bd_run r;
	struct probe_file svg;
	int err;

	memset(&r, 0, sizeof(r));
	err = bd_read_csv(&r, a->file, "report");
	if (err) {
		bd_free(&r);
		return err == -EINVAL ? SRTT_EXIT_USAGE : SRTT_EXIT_ERROR;
	}
	if (file_open(&svg, "--svg", a->svg)) {
		bd_free(&r);
		return SRTT_EXIT_ERROR;
	}
	err = outputs(ctx, &r, "report of a STAMP probe", NULL, &svg);
	bd_free(&r);
	return err;
}
