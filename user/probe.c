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
 * (user/stamp/stages.h). breakdown.c joins it all per packet.
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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/errqueue.h>
#include <linux/net_tstamp.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "breakdown.h"
#include "lib/args.h"
#include "lib/json.h"
#include "sriov-rtt.h"
#include "stamp/stages.h"
#include "stamp/stamp.h"

#ifndef SCM_TIMESTAMPING
#define SCM_TIMESTAMPING	SO_TIMESTAMPING
#endif

/* about 2.5 KB of state per probe is kept until the end: 250 MB at most */
#define PROBE_MAX_COUNT		100000
#define PROBE_MAX_SECONDS	3600.0
#define PROBE_BUF		65536

struct probe_opts {
	const char	*target;
	const char	*port;
	const char	*csv;
	const char	*svg;
	uint64_t	count;
	int64_t		interval_ns;
	int64_t		timeout_ns;
	unsigned int	size;
	bool		size_set;
	bool		plain;		/* no sriov_rtt TLVs */
	bool		no_stages;	/* do not read this kernel's records */
	bool		serial;		/* one request in flight at a time */
	int		dscp;		/* -1: not set */
	uint16_t	ssid;
};

static struct probe_opts popt;

/* What a request asks for: room for this many stage entries. */
#define PROBE_STAGE_ROOM	8
#define PROBE_TLV_BYTES	(4 * SRTT_STAMP_TLV_HLEN + SRTT_STAMP_BOOT_ID_LEN + \
			 SRTT_STAMP_GS_LEN(PROBE_STAGE_ROOM) +		\
			 SRTT_STAMP_FU_LEN(PROBE_STAGE_ROOM) +		\
			 SRTT_STAMP_HC_LEN)
#define PROBE_TLV_SIZE	(SRTT_STAMP_HLEN + PROBE_TLV_BYTES)
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
	struct bd_run	r;		/* r.p has count + 1 entries */
	struct probe_side *side;
	uint64_t	tx_ids;		/* OPT_ID: successful sends so far */
	uint64_t	*id_seq;	/* OPT_ID -> seq */
	bool		tstamp;		/* SO_TIMESTAMPING accepted */
	bool		trailer_sent, trailer_done;
	struct srtt_stages_src src;
	bool		have_src;
	uint8_t		boot_id[SRTT_STAMP_BOOT_ID_LEN];
	bool		have_boot_id;
	/* what the reflector made of our TLVs */
	uint64_t	tlv_unknown, tlv_absent, tlv_bad, gs_seen;
	uint64_t	hc_unknown;	/* HOST_CLOCK returned with U: older */
	uint64_t	harvest_next;	/* first packet not harvested */
	uint64_t	attempted;	/* packets send_one() tried */
};

static const char probe_usage[] =
	"probe TARGET [--port N] [--count N] [--interval S] [--size BYTES]\n"
	"             [--dscp N] [--timeout S] [--ssid N] [--csv FILE]\n"
	"             [--svg FILE] [--plain] [--no-stages] [--serial]";

static int64_t now_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int parse_seconds(const char *s, int64_t *ns, bool zero_ok)
{
	char *end;
	double d;

	if (!*s || *s == '-' || *s == '+' || *s == ' ')
		return -1;
	errno = 0;
	d = strtod(s, &end);
	if (errno || *end || !isfinite(d) || d < 0 || (!zero_ok && d == 0) ||
	    d > PROBE_MAX_SECONDS)
		return -1;
	*ns = (int64_t)llround(d * 1e9);
	return 0;
}

static int bad_value(const char *opt, const char *val, const char *what)
{
	fprintf(stderr,
		"probe: %s takes %s, not \"%s\"; usage: sriov-rtt %s\n",
		opt, what, val, probe_usage);
	return SRTT_EXIT_USAGE;
}

int srtt_parse_probe(const char *cmd, int argc, char **argv,
		     struct srtt_args *a)
{
	uint64_t v;
	int i;

	(void)a;
	memset(&popt, 0, sizeof(popt));
	popt.port = "862";
	popt.count = 10;
	popt.interval_ns = 100000000LL;
	popt.timeout_ns = 2000000000LL;
	popt.size = 0;
	popt.dscp = -1;
	popt.ssid = (uint16_t)(getpid() & 0xffff);

	for (i = 0; i < argc; i++) {
		const char *arg = argv[i], *val;

		if (!strcmp(arg, "--plain")) {
			popt.plain = true;
			continue;
		}
		if (!strcmp(arg, "--no-stages")) {
			popt.no_stages = true;
			continue;
		}
		if (!strcmp(arg, "--serial")) {
			popt.serial = true;
			continue;
		}
		if (arg[0] != '-') {
			if (popt.target) {
				fprintf(stderr,
					"%s: one TARGET only, \"%s\" is a second; usage: sriov-rtt %s\n",
					cmd, arg, probe_usage);
				return SRTT_EXIT_USAGE;
			}
			popt.target = arg;
			continue;
		}
		if (strcmp(arg, "--port") && strcmp(arg, "--count") &&
		    strcmp(arg, "--interval") && strcmp(arg, "--size") &&
		    strcmp(arg, "--dscp") && strcmp(arg, "--timeout") &&
		    strcmp(arg, "--ssid") && strcmp(arg, "--csv") &&
		    strcmp(arg, "--svg")) {
			fprintf(stderr,
				"%s: unknown option \"%s\"; usage: sriov-rtt %s\n",
				cmd, arg, probe_usage);
			return SRTT_EXIT_USAGE;
		}
		if (i + 1 >= argc) {
			fprintf(stderr, "%s: %s needs a value; usage: sriov-rtt %s\n",
				cmd, arg, probe_usage);
			return SRTT_EXIT_USAGE;
		}
		val = argv[++i];
		if (!strcmp(arg, "--port")) {
			if (srtt_parse_u64(val, &v) || !v || v > 65535)
				return bad_value(arg, val, "a UDP port 1-65535");
			popt.port = val;
		} else if (!strcmp(arg, "--count")) {
			if (srtt_parse_u64(val, &v) || !v || v > PROBE_MAX_COUNT)
				return bad_value(arg, val, "a number of packets 1-100000");
			popt.count = v;
		} else if (!strcmp(arg, "--interval")) {
			if (parse_seconds(val, &popt.interval_ns, true))
				return bad_value(arg, val, "seconds 0-3600 (e.g. 0.1)");
		} else if (!strcmp(arg, "--timeout")) {
			if (parse_seconds(val, &popt.timeout_ns, false))
				return bad_value(arg, val, "seconds above 0 (e.g. 2)");
		} else if (!strcmp(arg, "--size")) {
			if (srtt_parse_u64(val, &v) || v > SRTT_STAMP_MAX_LEN ||
			    (v != SRTT_STAMP_HLEN &&
			     v < SRTT_STAMP_HLEN + SRTT_STAMP_TLV_HLEN))
				return bad_value(arg, val,
						 "44, or 48-65507 bytes (a padding TLV needs 4)");
			popt.size = (unsigned int)v;
			popt.size_set = true;
		} else if (!strcmp(arg, "--dscp")) {
			if (srtt_parse_u64(val, &v) || v > 63)
				return bad_value(arg, val, "a DSCP 0-63");
			popt.dscp = (int)v;
		} else if (!strcmp(arg, "--ssid")) {
			if (srtt_parse_u64(val, &v) || v > 65535)
				return bad_value(arg, val, "an SSID 0-65535");
			popt.ssid = (uint16_t)v;
		} else if (!strcmp(arg, "--svg")) {
			popt.svg = val;
		} else {
			popt.csv = val;
		}
	}
	if (!popt.plain && popt.size_set && popt.size != PROBE_TLV_SIZE &&
	    popt.size < PROBE_TLV_SIZE + SRTT_STAMP_TLV_HLEN) {
		fprintf(stderr,
			"probe: --size %u is below the %d bytes the sriov_rtt TLVs take "
			"(%d, or %d and more); --plain sends none; usage: sriov-rtt %s\n",
			popt.size, PROBE_TLV_SIZE, PROBE_TLV_SIZE,
			PROBE_TLV_SIZE + SRTT_STAMP_TLV_HLEN, probe_usage);
		return SRTT_EXIT_USAGE;
	}
	if (!popt.size_set)
		popt.size = popt.plain ? SRTT_STAMP_HLEN : PROBE_TLV_SIZE;
	if (!popt.target) {
		fprintf(stderr, "%s needs a TARGET; usage: sriov-rtt %s\n", cmd,
			probe_usage);
		return SRTT_EXIT_USAGE;
	}
	return SRTT_EXIT_OK;
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

	err = getaddrinfo(popt.target, popt.port, &hints, &ai);
	if (err) {
		fprintf(stderr, "probe: cannot resolve \"%s\": %s\n",
			popt.target, gai_strerror(err));
		return SRTT_EXIT_ERROR;
	}
	getnameinfo(ai->ai_addr, ai->ai_addrlen, pr->r.addr, sizeof(pr->r.addr),
		    NULL, 0, NI_NUMERICHOST);
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
	if (popt.dscp >= 0) {
		val = popt.dscp << 2;
		if (ai->ai_family == AF_INET6 ?
		    setsockopt(fd, IPPROTO_IPV6, IPV6_TCLASS, &val, sizeof(val)) :
		    setsockopt(fd, IPPROTO_IP, IP_TOS, &val, sizeof(val))) {
			err = sys_fail("setting the DSCP");
			freeaddrinfo(ai);
			close(fd);
			return err;
		}
	}
	/* the interface a reply came in on picks the host device's stages */
	if (ai->ai_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &one, sizeof(one));
	else
		setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one));
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

/* One TX timestamp from the error queue: 1 read, 0 nothing, <0 error. */
static int read_errqueue(int fd, struct probe_run *pr)
{
	char ctrl[512];
	struct msghdr m = { .msg_control = ctrl, .msg_controllen = sizeof(ctrl) };
	struct sock_extended_err *ee = NULL;
	struct scm_timestamping *tss = NULL;
	struct cmsghdr *c;

	if (recvmsg(fd, &m, MSG_ERRQUEUE | MSG_DONTWAIT) < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -errno;
	for (c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
		if (c->cmsg_level == SOL_SOCKET &&
		    c->cmsg_type == SCM_TIMESTAMPING)
			tss = (struct scm_timestamping *)CMSG_DATA(c);
		else if ((c->cmsg_level == SOL_IP && c->cmsg_type == IP_RECVERR) ||
			 (c->cmsg_level == SOL_IPV6 &&
			  c->cmsg_type == IPV6_RECVERR))
			ee = (struct sock_extended_err *)CMSG_DATA(c);
	}
	if (tss && ee && ee->ee_origin == SO_EE_ORIGIN_TIMESTAMPING &&
	    ee->ee_info == SCM_TSTAMP_SND && ee->ee_data < pr->tx_ids) {
		struct probe_side *ps = &pr->side[pr->id_seq[ee->ee_data]];

		if (tss->ts[0].tv_sec || tss->ts[0].tv_nsec)
			ps->t1_sw = ts_ns(&tss->ts[0]);
	}
	return 1;
}

static int send_one(int fd, struct probe_run *pr, uint32_t seq, uint8_t *buf)
{
	struct srtt_stamp_sender s = { .seq = seq, .ssid = popt.ssid };
	struct probe_side *ps = &pr->side[seq];
	struct bd_pkt *p = &pr->r.p[seq];
	size_t off = 0, room = popt.size - SRTT_STAMP_HLEN;
	uint8_t *tlv = buf + SRTT_STAMP_HLEN;
	struct timespec now;
	int tries;

	memset(buf, 0, popt.size);
	if (!popt.plain) {
		/* zeroed values: the reflector fills them in place */
		srtt_stamp_tlv_put(tlv, room, &off, 0, SRTT_STAMP_TLV_BOOT_ID,
				   NULL, SRTT_STAMP_BOOT_ID_LEN);
		srtt_stamp_tlv_put(tlv, room, &off, 0, SRTT_STAMP_TLV_GUEST_STAGES,
				   NULL, SRTT_STAMP_GS_LEN(PROBE_STAGE_ROOM));
		srtt_stamp_tlv_put(tlv, room, &off, 0, SRTT_STAMP_TLV_FOLLOW_UP,
				   NULL, SRTT_STAMP_FU_LEN(PROBE_STAGE_ROOM));
		srtt_stamp_tlv_put(tlv, room, &off, 0, SRTT_STAMP_TLV_HOST_CLOCK,
				   NULL, SRTT_STAMP_HC_LEN);
	}
	if (room > off)
		srtt_stamp_tlv_put(tlv, room, &off, 0, SRTT_STAMP_TLV_PADDING,
				   NULL, (uint16_t)(room - off - SRTT_STAMP_TLV_HLEN));
	srtt_stamp_clock_bracket(&ps->hb);
	clock_gettime(CLOCK_REALTIME, &now);
	s.ee = srtt_stamp_ee_encode(1000, false, false);
	s.ts = srtt_stamp_ts_from_timespec(&now, s.ee);
	srtt_stamp_encode_sender(buf, popt.size, &s);
	ps->t1_user = ts_ns(&now);
	ps->send_mono = now_ns(CLOCK_MONOTONIC);
	p->seq = seq;
	if (seq < popt.count)
		pr->attempted = seq + 1;
	/* a pending ICMP error is reported once, on this send: retry */
	for (tries = 0; tries < 2; tries++) {
		if (send(fd, buf, popt.size, 0) == (ssize_t)popt.size)
			break;
		if (errno != ECONNREFUSED && errno != EHOSTUNREACH &&
		    errno != ENETUNREACH)
			return sys_fail("send");
		pr->r.refused++;
	}
	if (tries == 2)
		return SRTT_EXIT_OK;	/* not sent: stays lost */
	p->flags |= BD_SENT;
	pr->id_seq[pr->tx_ids++] = seq;
	if (seq < popt.count)
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

static void take_stages(struct bd_pkt *p, const struct srtt_stamp_stage *st,
			unsigned int n, bool tx, uint64_t *hw)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (st[i].stage >= __SRTT_STAGE_MAX ||
		    (st[i].stage <= SRTT_STAGE_TX_HW) != tx ||
		    st[i].ts_ns >= (uint64_t)SRTT_DECOMP_NS_LIMIT)
			continue;
		if (st[i].flags & SRTT_REC_F_HWTS)
			(*hw)++;
		p->stage[SRTT_DECOMP_DOM_G][st[i].stage] = (int64_t)st[i].ts_ns;
		p->stage_mask[SRTT_DECOMP_DOM_G] |= 1U << st[i].stage;
	}
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
static void reply_tlvs(struct probe_run *pr, const struct srtt_stamp_reflector *rf,
		       struct bd_pkt *p, bool trailer)
{
	struct srtt_stamp_guest_stages gs;
	struct srtt_stamp_follow_up fu;
	struct srtt_stamp_tlv t;

	if (popt.plain)
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
		take_stages(p, gs.st, gs.count, false, &pr->r.hw_stamps);
	}
	if (!trailer)
		host_clock(pr, rf, p);
	if (reply_tlv(pr, rf, SRTT_STAMP_TLV_FOLLOW_UP, &t) > 0 &&
	    !srtt_stamp_fu_decode(t.value, t.len, &fu) &&
	    (fu.flags & SRTT_STAMP_FU_F_VALID) && fu.ss_seq < popt.count) {
		struct bd_pkt *q = &pr->r.p[fu.ss_seq];

		/* the entries are the reflector's MONOTONIC: need its bracket */
		if (!(q->flags & BD_RECEIVED) || !(q->flags & BD_G_MONO) ||
		    pr->side[fu.ss_seq].fu_seen)
			return;
		pr->side[fu.ss_seq].fu_seen = true;
		if (fu.flags & SRTT_STAMP_FU_F_NO_SOURCE)
			q->flags |= BD_G_NO_SOURCE;
		if (fu.flags & SRTT_STAMP_FU_F_LOST)
			q->flags |= BD_G_LOST;
		take_stages(q, fu.st, fu.count, true, &pr->r.hw_stamps);
	}
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
	struct bd_run *r = &pr->r;
	struct timespec t2, t3;
	struct bd_pkt *p;
	struct cmsghdr *c;
	int64_t t4 = 0, t4_user, mono;
	uint32_t ifindex = 0;
	ssize_t len;
	int rc;

	len = recvmsg(fd, &m, MSG_DONTWAIT);
	t4_user = now_ns(CLOCK_REALTIME);
	mono = now_ns(CLOCK_MONOTONIC);
	if (len < 0) {
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
			return 0;
		if (errno == ECONNREFUSED || errno == EHOSTUNREACH ||
		    errno == ENETUNREACH) {
			r->refused++;
			return 1;
		}
		return sys_fail("recvmsg");
	}
	for (c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
		if (c->cmsg_level == SOL_SOCKET &&
		    c->cmsg_type == SCM_TIMESTAMPING) {
			struct scm_timestamping *tss =
				(struct scm_timestamping *)CMSG_DATA(c);

			t4 = ts_ns(&tss->ts[0]);
		} else if (c->cmsg_level == SOL_IP && c->cmsg_type == IP_PKTINFO) {
			struct in_pktinfo pi;

			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			ifindex = (uint32_t)pi.ipi_ifindex;
		} else if (c->cmsg_level == SOL_IPV6 &&
			   c->cmsg_type == IPV6_PKTINFO) {
			struct in6_pktinfo pi6;

			memcpy(&pi6, CMSG_DATA(c), sizeof(pi6));
			ifindex = pi6.ipi6_ifindex;
		}
	}
	/* a broken TLV list still has a usable base packet */
	rc = srtt_stamp_decode_reflector(buf, (size_t)len, &rf, 0);
	if ((rc && rc != -SRTT_STAMP_ETLV) ||
	    srtt_stamp_ts_to_timespec(rf.rx_ts, rf.ee, &t2) ||
	    srtt_stamp_ts_to_timespec(rf.ts, rf.ee, &t3)) {
		r->malformed++;
		return 1;
	}
	if (rc)
		pr->tlv_bad++;
	if (rf.ssid != popt.ssid || rf.ss_seq > popt.count ||
	    !(r->p[rf.ss_seq].flags & BD_SENT)) {
		r->unmatched++;
		return 1;
	}
	p = &r->p[rf.ss_seq];
	if (rf.ss_seq == popt.count) {
		/* the extra request: only its follow-up matters */
		if (!pr->trailer_done) {
			pr->trailer_done = true;
			reply_tlvs(pr, &rf, p, true);
		}
		return 1;
	}
	if (p->flags & (BD_RECEIVED | BD_LATE)) {
		p->flags |= BD_DUP;
		r->dup++;
		return 1;
	}
	if (mono - pr->side[rf.ss_seq].send_mono > popt.timeout_ns) {
		p->flags |= BD_LATE;
		r->late++;
		return 1;
	}
	p->flags |= BD_RECEIVED;
	r->received++;
	pr->side[rf.ss_seq].rx_ifindex = ifindex;
	pr->side[rf.ss_seq].rx_mono = mono;
	p->t2_real = (int64_t)srtt_stamp_timespec_ns(&t2);
	p->t3_real = (int64_t)srtt_stamp_timespec_ns(&t3);
	p->t2 = p->t2_real;
	p->t3 = p->t3_real;
	if (t4) {
		p->t4_real = t4;
		p->flags |= BD_T4_SW;
		r->t4_sw++;
	} else {
		p->t4_real = t4_user;
	}
	reply_tlvs(pr, &rf, p, false);
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
			     now - ps->send_mono < popt.timeout_ns + PROBE_HARVEST_NS))
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
			{ .fd = pr->have_src ? pr->src.fd : -1, .events = POLLIN },
		};
		int64_t left = until_mono - now_ns(CLOCK_MONOTONIC);
		int n, err;

		if (stop_when_done && pump_done(pr))
			return SRTT_EXIT_OK;
		if (left <= 0)
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
			err = srtt_stages_poll(&pr->src);
			harvest(pr, false);
			if (err) {
				snprintf(pr->r.host_why, sizeof(pr->r.host_why),
					 "records group: %s", srtt_stages_strerror(err));
				srtt_stages_close(&pr->src);
				pr->have_src = false;
			}
		}
		if (pfd[0].revents & POLLERR) {
			err = read_errqueue(fd, pr);
			if (err < 0 && err != -ECONNREFUSED &&
			    err != -EHOSTUNREACH && err != -ENETUNREACH) {
				errno = -err;
				return sys_fail("reading the error queue");
			}
			if (err < 0)
				pr->r.refused++;
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

/* This kernel's stages of packet @seq: TX of the request, RX of the reply. */
static unsigned int host_stages(struct probe_run *pr, uint32_t seq)
{
	const struct srtt_record *recs, *pick[__SRTT_STAGE_MAX];
	struct bd_pkt *p = &pr->r.p[seq];
	unsigned int n, s, others, found = 0, dir;

	for (dir = SRTT_DIR_FWD; dir <= SRTT_DIR_REV; dir++) {
		struct srtt_key key = {
			.probe = SRTT_PROBE_STAMP, .dir = (uint8_t)dir,
			.id = popt.ssid, .seq = seq,
		};

		n = srtt_stages_tab_get(&pr->src.tab, &key, &recs);
		if (dir == SRTT_DIR_FWD) {
			/* the request received here too: a VF under vhost */
			srtt_stages_pick(recs, n, false, 0, pick, &others);
			if (pick[SRTT_STAGE_RX_IRQ])
				p->fwd_rx_irq = (int64_t)pick[SRTT_STAGE_RX_IRQ]->ts;
			if (pick[SRTT_STAGE_RX_DRV])
				p->fwd_rx_drv = (int64_t)pick[SRTT_STAGE_RX_DRV]->ts;
		}
		srtt_stages_pick(recs, n, dir == SRTT_DIR_FWD,
				 pr->side[seq].rx_ifindex, pick, &others);
		for (s = 0; s < __SRTT_STAGE_MAX; s++) {
			if (!pick[s] || pick[s]->ts >= (uint64_t)SRTT_DECOMP_NS_LIMIT)
				continue;
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
 * The hypervisor's part of the forward path. They are events in time, no
 * packet's: taken by the window from the request leaving this host's
 * driver to its reply coming back. A guest that owns a VF through
 * vfio-pci: the first interrupt of a VF that the host took in it
 * (hv_irq). A virtio guest, the request received by a device of this
 * kernel (fwd_rx_drv): the first signal of a vhost worker after that
 * (hv_signal). Then KVM's first injection of that interrupt into the
 * guest (hv_inject).
 */
static void host_events(struct probe_run *pr, struct bd_pkt *p)
{
	const struct srtt_stages_tab *t = &pr->src.tab;
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
		irq = srtt_stages_event(t, SRTT_EVENT_HV_IRQ, (uint64_t)from,
					(uint64_t)to, -1, -1);
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

static void join(struct probe_run *pr)
{
	struct bd_run *r = &pr->r;
	uint64_t i, with_host = 0, with_guest = 0;
	int err;

	if (pr->have_src) {
		err = srtt_stages_flush(&pr->src, PROBE_FLUSH_MS);
		if (err) {
			snprintf(r->host_why, sizeof(r->host_why),
				 "records flush: %s", srtt_stages_strerror(err));
			srtt_stages_close(&pr->src);
			pr->have_src = false;
		}
	}
	harvest(pr, true);
	for (i = 0; i < popt.count; i++) {
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
		if (!popt.plain && !ps->fu_seen)
			p->flags |= BD_NO_FU;
		if (p->stage_mask[SRTT_DECOMP_DOM_G])
			with_guest++;
		if (pr->side[i].host_found)
			with_host++;
		if (pr->have_src)
			host_events(pr, p);
		if (pr->have_src && (pr->src.loss_events || pr->src.tab.evicted) &&
		    (p->stage_mask[SRTT_DECOMP_DOM_H] &
		     ((1U << SRTT_STAGE_TX_DRV) | (1U << SRTT_STAGE_RX_DRV))) !=
		    ((1U << SRTT_STAGE_TX_DRV) | (1U << SRTT_STAGE_RX_DRV)))
			p->flags |= BD_H_LOST;
	}
	if (pr->have_src) {
		r->h_lost_kernel = pr->src.lost_kernel;
		r->h_lost_socket = pr->src.lost_socket;
		r->h_evicted = pr->src.tab.evicted;
		r->hv_events = pr->src.tab.nev;
		r->hv_events_dropped = pr->src.tab.ev_dropped;
		if (!with_host && r->received && !r->host_why[0])
			snprintf(r->host_why, sizeof(r->host_why), "%s",
				 "no records of these probes: attach the device "
				 "they leave by (sriov-rtt attach DEV)");
	}
	if (popt.plain)
		snprintf(r->guest_why, sizeof(r->guest_why), "%s",
			 "--plain: no sriov_rtt TLVs asked for");
	else if (!r->received)
		snprintf(r->guest_why, sizeof(r->guest_why), "%s", "no replies");
	else if (pr->tlv_unknown)
		snprintf(r->guest_why, sizeof(r->guest_why), "%s",
			 "the reflector does not know the sriov_rtt TLVs "
			 "(a third-party STAMP reflector)");
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

static void run_free(struct probe_run *pr)
{
	if (pr->have_src)
		srtt_stages_close(&pr->src);
	bd_free(&pr->r);
	free(pr->side);
	free(pr->id_seq);
}

static int outputs(struct srtt_ctx *ctx, struct bd_run *r, const char *title,
		   const char *csv, const char *svg)
{
	int err;

	if (bd_analyse(r)) {
		fprintf(stderr, "sriov-rtt: out of memory\n");
		return SRTT_EXIT_ERROR;
	}
	bd_print(&ctx->out, r, title);
	if (csv) {
		err = bd_write_csv(r, csv);
		if (err) {
			fprintf(stderr, "sriov-rtt: %s: %s\n", csv, strerror(-err));
			return SRTT_EXIT_ERROR;
		}
	}
	if (svg) {
		err = bd_write_svg(r, svg);
		if (err) {
			fprintf(stderr, "sriov-rtt: %s: %s\n", svg, strerror(-err));
			return SRTT_EXIT_ERROR;
		}
	}
	return SRTT_EXIT_OK;
}

int srtt_cmd_probe(struct srtt_ctx *ctx, const struct srtt_args *a)
{
	struct probe_run pr;
	uint8_t *buf = NULL;
	int fd = -1, err;
	uint64_t i;
	int64_t next, end;

	(void)a;
	memset(&pr, 0, sizeof(pr));
	pr.r.count = popt.count;
	pr.r.p = calloc(popt.count + 1, sizeof(*pr.r.p));
	pr.side = calloc(popt.count + 1, sizeof(*pr.side));
	pr.id_seq = calloc(popt.count + 1, sizeof(*pr.id_seq));
	buf = malloc(PROBE_BUF);
	if (!pr.r.p || !pr.side || !pr.id_seq || !buf) {
		fprintf(stderr, "probe: out of memory\n");
		err = SRTT_EXIT_ERROR;
		goto out;
	}
	snprintf(pr.r.target, sizeof(pr.r.target), "%s", popt.target);
	snprintf(pr.r.port, sizeof(pr.r.port), "%s", popt.port);
	pr.r.ssid = popt.ssid;
	pr.r.size = popt.size;
	pr.r.tlvs = !popt.plain;
	read_boot_id(&pr);
	if (popt.no_stages) {
		snprintf(pr.r.host_why, sizeof(pr.r.host_why), "%s",
			 "--no-stages");
	} else {
		err = srtt_stages_open(&pr.src, PROBE_SLOTS);
		if (err)
			snprintf(pr.r.host_why, sizeof(pr.r.host_why), "%s",
				 srtt_stages_strerror(err));
		pr.have_src = !err;
		/* the hypervisor's events of a passed-through VF */
		pr.src.tab.keep_events = pr.have_src;
	}
	err = probe_socket(&pr, &fd);
	if (err)
		goto out;

	next = now_ns(CLOCK_MONOTONIC);
	for (i = 0; i < popt.count; i++) {
		/*
		 * --serial: the previous reply (or its timeout) first, then
		 * the interval: no two requests are in flight at once.
		 */
		if (popt.serial && i) {
			err = pump(fd, &pr, buf, now_ns(CLOCK_MONOTONIC) +
				   popt.timeout_ns, true);
			if (err)
				goto out;
			next = now_ns(CLOCK_MONOTONIC) + popt.interval_ns;
		}
		err = pump(fd, &pr, buf, next, false);
		if (err)
			goto out;
		err = send_one(fd, &pr, (uint32_t)i, buf);
		if (err)
			goto out;
		next += popt.interval_ns;
	}
	end = now_ns(CLOCK_MONOTONIC) + popt.timeout_ns;
	err = pump(fd, &pr, buf, end, true);
	if (err)
		goto out;
	/* one more request brings the follow-up about the last reply */
	if (!popt.plain && pr.r.received) {
		err = send_one(fd, &pr, (uint32_t)popt.count, buf);
		if (err)
			goto out;
		pr.trailer_sent = pr.r.p[popt.count].flags & BD_SENT;
		end = now_ns(CLOCK_MONOTONIC) + popt.timeout_ns;
		err = pump(fd, &pr, buf, end, true);
		if (err)
			goto out;
	}
	/* the last TX stamps may still be queued */
	if (pr.tstamp)
		for (i = 0; i < 100 && read_errqueue(fd, &pr) > 0; i++)
			;
	join(&pr);
	err = outputs(ctx, &pr.r, "STAMP probe", popt.csv, popt.svg);
out:
	if (fd >= 0)
		close(fd);
	run_free(&pr);
	free(buf);
	return err;
}

/* ---- report ---- */

static struct {
	const char	*file;
	const char	*svg;
} ropt;

int srtt_parse_report(const char *cmd, int argc, char **argv,
		      struct srtt_args *a)
{
	int i;

	(void)a;
	memset(&ropt, 0, sizeof(ropt));
	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--svg")) {
			if (i + 1 >= argc) {
				fprintf(stderr, "%s: --svg needs a FILE; usage: "
					"sriov-rtt report FILE [--svg OUT]\n", cmd);
				return SRTT_EXIT_USAGE;
			}
			ropt.svg = argv[++i];
		} else if (argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr, "%s: unknown option \"%s\"; usage: "
				"sriov-rtt report FILE [--svg OUT]\n", cmd, argv[i]);
			return SRTT_EXIT_USAGE;
		} else if (ropt.file) {
			fprintf(stderr, "%s: one FILE only; usage: "
				"sriov-rtt report FILE [--svg OUT]\n", cmd);
			return SRTT_EXIT_USAGE;
		} else {
			ropt.file = argv[i];
		}
	}
	if (!ropt.file) {
		fprintf(stderr, "%s needs a FILE (a CSV of sriov-rtt probe "
			"--csv); usage: sriov-rtt report FILE [--svg OUT]\n", cmd);
		return SRTT_EXIT_USAGE;
	}
	return SRTT_EXIT_OK;
}

int srtt_cmd_report(struct srtt_ctx *ctx, const struct srtt_args *a)
{
	struct bd_run r;
	uint64_t i;
	bool host = false, guest = false;
	int err;

	(void)a;
	memset(&r, 0, sizeof(r));
	err = bd_read_csv(&r, ropt.file);
	if (err) {
		bd_free(&r);
		return err == -EINVAL ? SRTT_EXIT_USAGE : SRTT_EXIT_ERROR;
	}
	for (i = 0; i < r.count; i++) {
		host |= r.p[i].stage_mask[SRTT_DECOMP_DOM_H] != 0;
		guest |= r.p[i].stage_mask[SRTT_DECOMP_DOM_G] != 0;
	}
	if (!host)
		snprintf(r.host_why, sizeof(r.host_why), "%s",
			 "none in the file");
	if (!guest)
		snprintf(r.guest_why, sizeof(r.guest_why), "%s",
			 "none in the file");
	err = outputs(ctx, &r, "report of a STAMP probe", NULL, ropt.svg);
	bd_free(&r);
	return err;
}
