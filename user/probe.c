// SPDX-License-Identifier: GPL-2.0
/*
 * sriov-rtt probe TARGET: a STAMP session-sender (RFC 8762 unauthenticated
 * mode, RFC 8972 SSID and Extra Padding TLV). T1 and T4 come from
 * SO_TIMESTAMPING software stamps (TX from the error queue, RX from the
 * control message), with clock_gettime(CLOCK_REALTIME) around send/recv as
 * the fallback; T2 and T3 from the reply. Each probe is decomposed by
 * srtt_decomp() with only T1..T4 present, so the component names (the
 * merged ones included) are decomp's.
 *
 * Not yet: joining the module's records (host and guest stages), the
 * reflector's guest-stage / follow-up TLVs and the clock offset estimate.
 */

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

#include "decomp/decomp.h"
#include "lib/args.h"
#include "lib/json.h"
#include "sriov-rtt.h"
#include "stamp/stamp.h"

#ifndef SCM_TIMESTAMPING
#define SCM_TIMESTAMPING	SO_TIMESTAMPING
#endif

#define PROBE_MAX_COUNT		1000000
#define PROBE_MAX_SECONDS	3600.0
#define PROBE_BUF		65536

struct probe_opts {
	const char	*target;
	const char	*port;
	const char	*csv;
	uint64_t	count;
	int64_t		interval_ns;
	int64_t		timeout_ns;
	unsigned int	size;
	int		dscp;		/* -1: not set */
	uint16_t	ssid;
};

static struct probe_opts popt;

/* per-packet flags */
#define PF_SENT		0x001
#define PF_RECEIVED	0x002	/* a reply within the timeout */
#define PF_LATE		0x004	/* first reply after the timeout */
#define PF_DUP		0x008	/* more than one reply */
#define PF_T1_SW	0x010	/* T1 from SO_TIMESTAMPING */
#define PF_T4_SW	0x020	/* T4 from SO_TIMESTAMPING */
#define PF_IMPOSSIBLE	0x040	/* a component or the RTT is impossible */
#define PF_DECOMP_ERR	0x080	/* srtt_decomp() refused the stamps */

struct probe_pkt {
	unsigned int	flags;
	int64_t		t1_user;	/* REALTIME ns just before send */
	int64_t		t1_sw;
	int64_t		t1, t2, t3, t4;	/* REALTIME ns */
	int64_t		send_mono;
	struct srtt_decomp d;
};

/* One component, aggregated over the packets by its part set. */
#define PROBE_MAX_KEYS	16
struct probe_comp {
	uint16_t	parts;
	bool		merged;
	char		name[SRTT_DECOMP_NAME_MAX];
	int64_t		*v;
	size_t		n, impossible;
};

struct probe_run {
	struct probe_pkt *p;
	uint64_t	sent, received, late, dup, unmatched, malformed;
	uint64_t	refused;	/* ICMP unreachable reported on the socket */
	uint64_t	t1_sw, t4_sw;
	uint64_t	tx_ids;		/* OPT_ID: successful sends so far */
	uint64_t	*id_seq;	/* OPT_ID -> seq */
	bool		tstamp;		/* SO_TIMESTAMPING accepted */
	struct probe_comp comp[PROBE_MAX_KEYS];
	unsigned int	ncomp;
	struct probe_comp rtt;
	uint64_t	decomp_err;
	char		addr[INET6_ADDRSTRLEN];
};

static const char probe_usage[] =
	"probe TARGET [--port N] [--count N] [--interval S] [--size BYTES]\n"
	"             [--dscp N] [--timeout S] [--ssid N] [--csv FILE]";

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
	popt.size = SRTT_STAMP_HLEN;
	popt.dscp = -1;
	popt.ssid = (uint16_t)(getpid() & 0xffff);

	for (i = 0; i < argc; i++) {
		const char *arg = argv[i], *val;

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
		    strcmp(arg, "--ssid") && strcmp(arg, "--csv")) {
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
				return bad_value(arg, val, "a number of packets 1-1000000");
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
		} else if (!strcmp(arg, "--dscp")) {
			if (srtt_parse_u64(val, &v) || v > 63)
				return bad_value(arg, val, "a DSCP 0-63");
			popt.dscp = (int)v;
		} else if (!strcmp(arg, "--ssid")) {
			if (srtt_parse_u64(val, &v) || v > 65535)
				return bad_value(arg, val, "an SSID 0-65535");
			popt.ssid = (uint16_t)v;
		} else {
			popt.csv = val;
		}
	}
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

static int probe_socket(struct probe_run *r, int *fdp)
{
	struct addrinfo hints = {
		.ai_socktype = SOCK_DGRAM,
		.ai_protocol = IPPROTO_UDP,
	}, *ai;
	int fd, err, val;

	err = getaddrinfo(popt.target, popt.port, &hints, &ai);
	if (err) {
		fprintf(stderr, "probe: cannot resolve \"%s\": %s\n",
			popt.target, gai_strerror(err));
		return SRTT_EXIT_ERROR;
	}
	getnameinfo(ai->ai_addr, ai->ai_addrlen, r->addr, sizeof(r->addr),
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
	freeaddrinfo(ai);
	val = SOF_TIMESTAMPING_TX_SOFTWARE | SOF_TIMESTAMPING_RX_SOFTWARE |
	      SOF_TIMESTAMPING_SOFTWARE | SOF_TIMESTAMPING_OPT_TSONLY |
	      SOF_TIMESTAMPING_OPT_ID;
	r->tstamp = !setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPING, &val,
				sizeof(val));
	*fdp = fd;
	return SRTT_EXIT_OK;
}

static int64_t ts_ns(const struct timespec *ts)
{
	return (int64_t)ts->tv_sec * 1000000000LL + ts->tv_nsec;
}

/* One TX timestamp from the error queue: 1 read, 0 nothing, <0 error. */
static int read_errqueue(int fd, struct probe_run *r)
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
	    ee->ee_info == SCM_TSTAMP_SND && ee->ee_data < r->tx_ids) {
		struct probe_pkt *p = &r->p[r->id_seq[ee->ee_data]];

		if (tss->ts[0].tv_sec || tss->ts[0].tv_nsec)
			p->t1_sw = ts_ns(&tss->ts[0]);
	}
	return 1;
}

static int send_one(int fd, struct probe_run *r, uint32_t seq, uint8_t *buf)
{
	struct srtt_stamp_sender s = { .seq = seq, .ssid = popt.ssid };
	struct probe_pkt *p = &r->p[seq];
	struct timespec now;
	size_t off = 0;
	int tries;

	clock_gettime(CLOCK_REALTIME, &now);
	s.ee = srtt_stamp_ee_encode(1000, false, false);
	s.ts = srtt_stamp_ts_from_timespec(&now, s.ee);
	memset(buf, 0, popt.size);
	srtt_stamp_encode_sender(buf, popt.size, &s);
	if (popt.size > SRTT_STAMP_HLEN)
		srtt_stamp_tlv_put(buf + SRTT_STAMP_HLEN,
				   popt.size - SRTT_STAMP_HLEN, &off, 0,
				   SRTT_STAMP_TLV_PADDING, NULL,
				   (uint16_t)(popt.size - SRTT_STAMP_HLEN -
					      SRTT_STAMP_TLV_HLEN));
	p->t1_user = ts_ns(&now);
	p->send_mono = now_ns(CLOCK_MONOTONIC);
	/* a pending ICMP error is reported once, on this send: retry */
	for (tries = 0; tries < 2; tries++) {
		if (send(fd, buf, popt.size, 0) == (ssize_t)popt.size)
			break;
		if (errno != ECONNREFUSED && errno != EHOSTUNREACH &&
		    errno != ENETUNREACH)
			return sys_fail("send");
		r->refused++;
	}
	if (tries == 2)
		return SRTT_EXIT_OK;	/* not sent: stays lost */
	p->flags |= PF_SENT;
	r->id_seq[r->tx_ids++] = seq;
	r->sent++;
	return SRTT_EXIT_OK;
}

static int read_reply(int fd, struct probe_run *r, uint8_t *buf)
{
	char ctrl[512];
	struct iovec iov = { .iov_base = buf, .iov_len = PROBE_BUF };
	struct msghdr m = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = ctrl, .msg_controllen = sizeof(ctrl),
	};
	struct srtt_stamp_reflector rf;
	struct timespec t2, t3;
	struct probe_pkt *p;
	struct cmsghdr *c;
	int64_t t4 = 0, t4_user, mono;
	ssize_t len;

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
	for (c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c))
		if (c->cmsg_level == SOL_SOCKET &&
		    c->cmsg_type == SCM_TIMESTAMPING) {
			struct scm_timestamping *tss =
				(struct scm_timestamping *)CMSG_DATA(c);

			t4 = ts_ns(&tss->ts[0]);
		}
	if (srtt_stamp_decode_reflector(buf, (size_t)len, &rf, 0) ||
	    srtt_stamp_ts_to_timespec(rf.rx_ts, rf.ee, &t2) ||
	    srtt_stamp_ts_to_timespec(rf.ts, rf.ee, &t3)) {
		r->malformed++;
		return 1;
	}
	if (rf.ssid != popt.ssid || rf.ss_seq >= popt.count ||
	    !(r->p[rf.ss_seq].flags & PF_SENT)) {
		r->unmatched++;
		return 1;
	}
	p = &r->p[rf.ss_seq];
	if (p->flags & (PF_RECEIVED | PF_LATE)) {
		p->flags |= PF_DUP;
		r->dup++;
		return 1;
	}
	if (mono - p->send_mono > popt.timeout_ns) {
		p->flags |= PF_LATE;
		r->late++;
		return 1;
	}
	p->flags |= PF_RECEIVED;
	r->received++;
	p->t2 = (int64_t)srtt_stamp_timespec_ns(&t2);
	p->t3 = (int64_t)srtt_stamp_timespec_ns(&t3);
	if (t4) {
		p->t4 = t4;
		p->flags |= PF_T4_SW;
	} else {
		p->t4 = t4_user;
	}
	return 1;
}

/* Poll until @until_mono (ns), reading replies and TX stamps. */
static int pump(int fd, struct probe_run *r, uint8_t *buf, int64_t until_mono,
		bool stop_when_done)
{
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		int64_t left = until_mono - now_ns(CLOCK_MONOTONIC);
		int n, err;

		if (stop_when_done && r->received + r->late >= r->sent)
			return SRTT_EXIT_OK;
		if (left <= 0)
			return SRTT_EXIT_OK;
		n = poll(&pfd, 1, (int)((left + 999999) / 1000000));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return sys_fail("poll");
		}
		if (!n)
			continue;
		if (pfd.revents & POLLERR) {
			err = read_errqueue(fd, r);
			if (err < 0 && err != -ECONNREFUSED &&
			    err != -EHOSTUNREACH && err != -ENETUNREACH) {
				errno = -err;
				return sys_fail("reading the error queue");
			}
			if (err < 0)
				r->refused++;
		}
		if (pfd.revents & POLLIN) {
			err = read_reply(fd, r, buf);
			if (err > 1 || err < 0)
				return err;
		}
	}
}

/* ---- decomposition and summary ---- */

static struct probe_comp *comp_get(struct probe_run *r,
				   const struct srtt_decomp_comp *c)
{
	unsigned int i;

	for (i = 0; i < r->ncomp; i++)
		if (r->comp[i].parts == c->parts)
			return &r->comp[i];
	if (r->ncomp == PROBE_MAX_KEYS)
		return NULL;
	r->comp[i].parts = c->parts;
	r->comp[i].merged = c->merged;
	snprintf(r->comp[i].name, sizeof(r->comp[i].name), "%s", c->name);
	r->comp[i].v = calloc(popt.count, sizeof(int64_t));
	if (!r->comp[i].v)
		return NULL;
	r->ncomp++;
	return &r->comp[i];
}

static int decompose(struct probe_run *r)
{
	uint64_t i;
	unsigned int k;

	r->rtt.v = calloc(popt.count, sizeof(int64_t));
	if (!r->rtt.v)
		return -ENOMEM;
	snprintf(r->rtt.name, sizeof(r->rtt.name), "rtt");
	for (i = 0; i < popt.count; i++) {
		struct probe_pkt *p = &r->p[i];
		struct srtt_decomp_stamp st[4] = {
			{ 0, SRTT_DECOMP_DOM_H, SRTT_DECOMP_APP_TX, 0, 1 },
			{ 0, SRTT_DECOMP_DOM_G, SRTT_DECOMP_APP_RX, 0, 1 },
			{ 0, SRTT_DECOMP_DOM_G, SRTT_DECOMP_APP_TX, 0, 1 },
			{ 0, SRTT_DECOMP_DOM_H, SRTT_DECOMP_APP_RX, 0, 1 },
		};
		struct srtt_decomp_in in = { .st = st, .n = 4 };

		if (!(p->flags & PF_SENT))
			continue;
		if (p->t1_sw) {
			p->t1 = p->t1_sw;
			p->flags |= PF_T1_SW;
			r->t1_sw++;
		} else {
			p->t1 = p->t1_user;
		}
		if (!(p->flags & PF_RECEIVED))
			continue;
		if (p->flags & PF_T4_SW)
			r->t4_sw++;
		st[0].ns = p->t1;
		st[1].ns = p->t2;
		st[2].ns = p->t3;
		st[3].ns = p->t4;
		if (srtt_decomp(&in, &p->d)) {
			p->flags |= PF_DECOMP_ERR;
			r->decomp_err++;
			continue;
		}
		if (p->d.impossible)
			p->flags |= PF_IMPOSSIBLE;
		if (p->d.rtt_why)
			r->rtt.impossible++;
		else
			r->rtt.v[r->rtt.n++] = p->d.rtt_ns;
		for (k = 0; k < p->d.n; k++) {
			struct probe_comp *c = comp_get(r, &p->d.c[k]);

			if (!c)
				return -ENOMEM;
			if (p->d.c[k].impossible)
				c->impossible++;
			else
				c->v[c->n++] = p->d.c[k].value_ns;
		}
	}
	return 0;
}

static int cmp_s64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* Nearest rank: the smallest value with at least @permille/1000 at or below. */
static int64_t pct(const int64_t *v, size_t n, unsigned int permille)
{
	size_t rank = (size_t)(((uint64_t)n * permille + 999) / 1000);

	if (rank < 1)
		rank = 1;
	return v[rank - 1];
}

static void us_str(int64_t ns, char *buf, size_t size)
{
	uint64_t a = ns < 0 ? -(uint64_t)ns : (uint64_t)ns;

	snprintf(buf, size, "%s%" PRIu64 ".%03" PRIu64, ns < 0 ? "-" : "",
		 a / 1000, a % 1000);
}

static const struct {
	const char	*key;
	unsigned int	permille;
} stats_cols[] = {
	{ "min", 0 }, { "p50", 500 }, { "p90", 900 }, { "p99", 990 },
	{ "p99.9", 999 }, { "max", 1000 },
};

static void print_comp(struct srtt_out *o, struct probe_comp *c)
{
	char key[32], us[32];
	size_t i;

	qsort(c->v, c->n, sizeof(*c->v), cmp_s64);
	srtt_open_object(o, NULL);
	srtt_print_string(o, SRTT_PK_ANY, "name", "  %-60s", c->name);
	srtt_print_bool(o, SRTT_PK_JSON, "merged", "%s", c->merged, "merged", "");
	srtt_print_u64(o, SRTT_PK_ANY, "count", " %6" PRIu64, c->n);
	for (i = 0; i < sizeof(stats_cols) / sizeof(stats_cols[0]); i++) {
		snprintf(key, sizeof(key), "%s_ns", stats_cols[i].key);
		if (!c->n) {
			srtt_print_null(o, SRTT_PK_ANY, key, " %10s", "-");
			continue;
		}
		int64_t v = stats_cols[i].permille ?
			pct(c->v, c->n, stats_cols[i].permille) : c->v[0];

		us_str(v, us, sizeof(us));
		srtt_print_string(o, SRTT_PK_TEXT, NULL, " %10s", us);
		srtt_print_s64(o, SRTT_PK_JSON, key, NULL, v);
	}
	srtt_print_u64(o, SRTT_PK_ANY, "impossible", " %10" PRIu64, c->impossible);
	srtt_print_nl(o);
	srtt_close_object(o);
}

static void print_summary(struct srtt_out *o, struct probe_run *r)
{
	unsigned int i;
	size_t k;

	srtt_open_object(o, NULL);
	srtt_print_string(o, SRTT_PK_ANY, "target", "STAMP probe to %s", popt.target);
	srtt_print_string(o, SRTT_PK_ANY, "address", " (%s)", r->addr);
	srtt_print_string(o, SRTT_PK_ANY, "port", " port %s", popt.port);
	srtt_print_u64(o, SRTT_PK_ANY, "ssid", ", ssid %" PRIu64, popt.ssid);
	srtt_print_u64(o, SRTT_PK_ANY, "size", ", %" PRIu64 " bytes", popt.size);
	srtt_print_nl(o);
	srtt_print_u64(o, SRTT_PK_ANY, "sent", "  %" PRIu64 " sent", r->sent);
	srtt_print_u64(o, SRTT_PK_ANY, "received", ", %" PRIu64 " received", r->received);
	srtt_print_u64(o, SRTT_PK_ANY, "lost", ", %" PRIu64 " lost",
		       popt.count - r->received);
	srtt_print_u64(o, SRTT_PK_ANY, "late", " (%" PRIu64 " of them late)", r->late);
	srtt_print_u64(o, SRTT_PK_ANY, "duplicate", ", %" PRIu64 " duplicate", r->dup);
	srtt_print_u64(o, SRTT_PK_ANY, "unmatched", ", %" PRIu64 " unmatched", r->unmatched);
	srtt_print_u64(o, SRTT_PK_ANY, "malformed", ", %" PRIu64 " malformed", r->malformed);
	srtt_print_u64(o, SRTT_PK_ANY, "unreachable", ", %" PRIu64 " ICMP unreachable",
		       r->refused);
	srtt_print_nl(o);

	srtt_open_object(o, "timestamps");
	srtt_print_string(o, SRTT_PK_ANY, "t1_source", "  T1: %s",
			  r->t1_sw == r->sent && r->sent ? "SO_TIMESTAMPING software" :
			  !r->t1_sw ? "clock_gettime(CLOCK_REALTIME) before send" :
			  "mixed");
	srtt_print_u64(o, SRTT_PK_ANY, "t1_software", " (software stamps %" PRIu64, r->t1_sw);
	srtt_print_u64(o, SRTT_PK_ANY, "t1_clock_gettime", ", clock_gettime %" PRIu64 ")",
		       r->sent - r->t1_sw);
	srtt_print_nl(o);
	srtt_print_string(o, SRTT_PK_ANY, "t4_source", "  T4: %s",
			  r->t4_sw == r->received && r->received ?
			  "SO_TIMESTAMPING software" :
			  !r->t4_sw ? "clock_gettime(CLOCK_REALTIME) after recvmsg" :
			  "mixed");
	srtt_print_u64(o, SRTT_PK_ANY, "t4_software", " (software stamps %" PRIu64, r->t4_sw);
	srtt_print_u64(o, SRTT_PK_ANY, "t4_clock_gettime", ", clock_gettime %" PRIu64 ")",
		       r->received - r->t4_sw);
	srtt_print_nl(o);
	srtt_print_string(o, SRTT_PK_ANY, "t2_t3_source",
			  "  T2, T3: %s", "from the reply (the reflector's clock)");
	srtt_print_nl(o);
	srtt_close_object(o);

	srtt_print_string(o, SRTT_PK_TEXT, NULL, "  %-60s", "component (us)");
	srtt_print_string(o, SRTT_PK_TEXT, NULL, " %6s", "count");
	for (k = 0; k < sizeof(stats_cols) / sizeof(stats_cols[0]); k++)
		srtt_print_string(o, SRTT_PK_TEXT, NULL, " %10s", stats_cols[k].key);
	srtt_print_string(o, SRTT_PK_TEXT, NULL, " %10s", "impossible");
	srtt_print_nl(o);
	srtt_open_array(o, "components");
	print_comp(o, &r->rtt);
	for (i = 0; i < r->ncomp; i++)
		print_comp(o, &r->comp[i]);
	srtt_close_array(o);
	srtt_print_u64(o, SRTT_PK_ANY, "decomp_errors",
		       r->decomp_err ? "  %" PRIu64 " probes not decomposed\n" : "",
		       r->decomp_err);

	srtt_open_array(o, "merged");
	for (i = 0; i < r->ncomp; i++) {
		if (!r->comp[i].merged)
			continue;
		srtt_print_string(o, SRTT_PK_ANY, NULL,
				  "  merged (stages missing): %s\n", r->comp[i].name);
	}
	srtt_close_array(o);
	srtt_open_array(o, "not_visible");
	srtt_print_string(o, SRTT_PK_ANY, NULL, "  %s\n",
			  "host and guest stages: not visible (module records not joined yet)");
	srtt_print_string(o, SRTT_PK_ANY, NULL, "  %s\n",
			  "one-way forward/reverse: not visible (no clock offset estimate yet)");
	srtt_close_array(o);
	srtt_print_string(o, SRTT_PK_ANY, "note", "  note: %s\n",
			  "T1..T4 only; module integration (records group, guest stage TLVs) comes later");
	srtt_close_object(o);
}

static int write_csv(struct probe_run *r, const char *path)
{
	FILE *fp = fopen(path, "w");
	char buf[32];
	uint64_t i;
	unsigned int k, j;

	if (!fp)
		return sys_fail(path);
	fprintf(fp, "seq,t1_ns,t2_ns,t3_ns,t4_ns,rtt_ns");
	for (k = 0; k < r->ncomp; k++)
		fprintf(fp, ",%s_ns", r->comp[k].name);
	fprintf(fp, ",flags\n");
	for (i = 0; i < popt.count; i++) {
		struct probe_pkt *p = &r->p[i];
		bool ok = (p->flags & PF_RECEIVED) && !(p->flags & PF_DECOMP_ERR);
		const char *sep = "";

		fprintf(fp, "%" PRIu64, i);
		if (p->flags & PF_SENT)
			fprintf(fp, ",%" PRId64, p->t1);
		else
			fprintf(fp, ",");
		if (p->flags & PF_RECEIVED)
			fprintf(fp, ",%" PRId64 ",%" PRId64 ",%" PRId64,
				p->t2, p->t3, p->t4);
		else
			fprintf(fp, ",,,");
		if (ok && !p->d.rtt_why)
			fprintf(fp, ",%" PRId64, p->d.rtt_ns);
		else
			fprintf(fp, ",%s", ok ? "impossible" : "");
		for (k = 0; k < r->ncomp; k++) {
			const struct srtt_decomp_comp *c = NULL;

			for (j = 0; ok && j < p->d.n; j++)
				if (p->d.c[j].parts == r->comp[k].parts)
					c = &p->d.c[j];
			fprintf(fp, ",%s",
				c ? srtt_decomp_value_str(c, buf, sizeof(buf)) : "");
		}
		fprintf(fp, ",");
#define FLAG(f, s) do { if (p->flags & (f)) { fprintf(fp, "%s%s", sep, s); sep = "|"; } } while (0)
		FLAG(PF_RECEIVED, "received");
		if ((p->flags & PF_SENT) && !(p->flags & PF_RECEIVED)) {
			fprintf(fp, "%slost", sep);
			sep = "|";
		}
		if (!(p->flags & PF_SENT)) {
			fprintf(fp, "%snot_sent", sep);
			sep = "|";
		}
		FLAG(PF_LATE, "late");
		FLAG(PF_DUP, "duplicate");
		FLAG(PF_T1_SW, "t1_sw");
		FLAG(PF_T4_SW, "t4_sw");
		FLAG(PF_IMPOSSIBLE, "impossible");
		FLAG(PF_DECOMP_ERR, "decomp_error");
#undef FLAG
		fprintf(fp, "\n");
	}
	if (fclose(fp))
		return sys_fail(path);
	return SRTT_EXIT_OK;
}

int srtt_cmd_probe(struct srtt_ctx *ctx, const struct srtt_args *a)
{
	struct probe_run r;
	uint8_t *buf = NULL;
	int fd = -1, err;
	uint64_t i;
	int64_t next, end;

	(void)a;
	memset(&r, 0, sizeof(r));
	r.p = calloc(popt.count, sizeof(*r.p));
	r.id_seq = calloc(popt.count, sizeof(*r.id_seq));
	buf = malloc(PROBE_BUF);
	if (!r.p || !r.id_seq || !buf) {
		fprintf(stderr, "probe: out of memory\n");
		err = SRTT_EXIT_ERROR;
		goto out;
	}
	err = probe_socket(&r, &fd);
	if (err)
		goto out;

	next = now_ns(CLOCK_MONOTONIC);
	for (i = 0; i < popt.count; i++) {
		err = pump(fd, &r, buf, next, false);
		if (err)
			goto out;
		err = send_one(fd, &r, (uint32_t)i, buf);
		if (err)
			goto out;
		next += popt.interval_ns;
	}
	end = now_ns(CLOCK_MONOTONIC) + popt.timeout_ns;
	err = pump(fd, &r, buf, end, true);
	if (err)
		goto out;
	/* the last TX stamps may still be queued */
	if (r.tstamp)
		for (i = 0; i < 100 && read_errqueue(fd, &r) > 0; i++)
			;

	if (decompose(&r)) {
		fprintf(stderr, "probe: out of memory\n");
		err = SRTT_EXIT_ERROR;
		goto out;
	}
	print_summary(&ctx->out, &r);
	if (popt.csv)
		err = write_csv(&r, popt.csv);
out:
	if (fd >= 0)
		close(fd);
	for (i = 0; i < r.ncomp; i++)
		free(r.comp[i].v);
	free(r.rtt.v);
	free(r.p);
	free(r.id_seq);
	free(buf);
	return err;
}
