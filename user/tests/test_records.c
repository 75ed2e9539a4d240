// SPDX-License-Identifier: GPL-2.0
/*
 * The records group reader (user/lib/records.c) fed through libnl's own
 * receive path: what the group and a flush's answer put on the socket,
 * including truncated and lying messages, socket overruns and a reader
 * that stops. Each read hands libnl a buffer of exactly the bytes "read"
 * so AddressSanitizer catches a read past the end.
 */
#include <errno.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include <netlink/netlink.h>
#include <netlink/handlers.h>

#include "util.h"
#include "lib/records.h"

#define FAMILY	0x1c
#define FEED_MAX	8

/* What the next reads return: a buffer each, or a libnl error. */
static struct {
	const uint8_t	*buf[FEED_MAX];
	size_t		len[FEED_MAX];
	int		err[FEED_MAX];
	unsigned int	n, next;
} feed;

static void feed_reset(void)
{
	memset(&feed, 0, sizeof(feed));
}

static void feed_buf(const void *buf, size_t len)
{
	feed.buf[feed.n] = buf;
	feed.len[feed.n++] = len;
}

static void feed_err(int err)
{
	feed.err[feed.n++] = err;
}

static int feed_recv(struct nl_sock *sk, struct sockaddr_nl *nla,
		     unsigned char **buf, struct ucred **creds)
{
	unsigned int i = feed.next;

	(void)sk;
	(void)creds;
	memset(nla, 0, sizeof(*nla));
	if (i == feed.n)
		return -NLE_AGAIN;
	feed.next++;
	if (feed.err[i])
		return feed.err[i];
	*buf = malloc(feed.len[i]);
	if (!*buf)
		abort();
	memcpy(*buf, feed.buf[i], feed.len[i]);
	return (int)feed.len[i];
}

/* A reader that keeps what it gets. */
struct got {
	struct srtt_record	rec[8];
	unsigned int		n, stop_at;
	uint64_t		lost;
	unsigned int		overruns;
};

static int got_record(void *arg, const struct srtt_record *r)
{
	struct got *g = arg;

	if (g->n < 8)
		g->rec[g->n] = *r;
	g->n++;
	return g->stop_at && g->n == g->stop_at ? 7 : 0;
}

static void got_lost(void *arg, uint64_t n)
{
	((struct got *)arg)->lost += n;
}

static void got_overrun(void *arg)
{
	((struct got *)arg)->overruns++;
}

static const struct srtt_recsock_ops lenient = {
	.record = got_record, .lost = got_lost, .overrun = got_overrun,
};

static const struct srtt_recsock_ops strict = {
	.record = got_record, .lost = got_lost, .overrun = got_overrun,
	.strict = true,
};

static void open_fed(struct srtt_recsock *s, const struct srtt_recsock_ops *ops,
		     struct got *g)
{
	memset(g, 0, sizeof(*g));
	feed_reset();
	if (srtt_recsock_init(s, FAMILY, ops, g))
		abort();
	nl_cb_overwrite_recv(s->cb, feed_recv);
}

static struct srtt_record rec(uint8_t stage, uint32_t seq, uint64_t ts)
{
	struct srtt_record r;

	memset(&r, 0, sizeof(r));
	r.stage = stage;
	r.ifindex = 5;
	r.ts = ts;
	r.key.probe = SRTT_PROBE_STAMP;
	r.key.dir = SRTT_DIR_FWD;
	r.key.id = 3;
	r.key.seq = seq;
	return r;
}

/* A request's RX stages, stamped at 1, 2 and 3 ns. */
static void three(struct srtt_record r[3])
{
	r[0] = rec(SRTT_STAGE_RX_IRQ, 4, 1);
	r[1] = rec(SRTT_STAGE_RX_DRV, 4, 2);
	r[2] = rec(SRTT_STAGE_RX_STACK, 4, 3);
}

static size_t put_attr(uint8_t *p, uint16_t type, const void *data, size_t n)
{
	struct nlattr a = { .nla_len = (uint16_t)(NLA_HDRLEN + n),
			    .nla_type = type };

	memcpy(p, &a, sizeof(a));
	memcpy(p + NLA_HDRLEN, data, n);
	memset(p + NLA_HDRLEN + n, 0, NLA_ALIGN(n) - n);
	return NLA_HDRLEN + NLA_ALIGN(n);
}

/* A RECORDS notification with @n records and optionally a LOST count. */
static size_t records_msg(uint8_t *p, const struct srtt_record *r,
			  unsigned int n, uint64_t lost)
{
	struct nlmsghdr nh = { .nlmsg_type = FAMILY };
	struct genlmsghdr g = { .cmd = SRTT_CMD_RECORDS,
				.version = SRTT_GENL_VERSION };
	size_t len = NLMSG_HDRLEN;

	memcpy(p + len, &g, sizeof(g));
	len += GENL_HDRLEN;
	if (lost)
		len += put_attr(p + len, SRTT_A_LOST, &lost, sizeof(lost));
	len += put_attr(p + len, SRTT_A_RECORDS, r, n * sizeof(*r));
	nh.nlmsg_len = (uint32_t)len;
	memcpy(p, &nh, sizeof(nh));
	return len;
}

/* A RECORDS notification whose array is 4 bytes short of whole records. */
static size_t partial_msg(uint8_t *p, const struct srtt_record *r,
			  unsigned int n)
{
	size_t len = records_msg(p, r, n, 0);
	struct nlattr a;

	memcpy(&a, p + NLMSG_HDRLEN + GENL_HDRLEN, sizeof(a));
	a.nla_len -= 4;
	memcpy(p + NLMSG_HDRLEN + GENL_HDRLEN, &a, sizeof(a));
	return len;
}

static size_t ack_msg(uint8_t *p, uint32_t seq, int error)
{
	struct nlmsghdr nh = {
		.nlmsg_len = NLMSG_LENGTH(sizeof(struct nlmsgerr)),
		.nlmsg_type = NLMSG_ERROR, .nlmsg_seq = seq,
	};
	struct nlmsgerr e = { .error = error };

	memcpy(p, &nh, sizeof(nh));
	memcpy(p + NLMSG_HDRLEN, &e, sizeof(e));
	return NLMSG_ALIGN(nh.nlmsg_len);
}

/* Records in order, SRTT_A_LOST counted, a flush's answer by its seq. */
static void records_and_ack(void)
{
	struct srtt_record r[3];
	struct srtt_recsock s;
	uint8_t buf[1024];
	struct got g;
	size_t len;

	three(r);
	len = records_msg(buf, r, 2, 0);
	len += records_msg(buf + len, r + 2, 1, 17);
	len += ack_msg(buf + len, 41, 0);

	open_fed(&s, &lenient, &g);
	s.flush_seq = 40;
	feed_buf(buf, len);
	KTAP_EXPECT_EQ(srtt_recsock_read(&s), 0);
	KTAP_EXPECT(!s.acked, "an ACK of seq 41 is not the answer to 40");
	KTAP_EXPECT_EQ(g.n, 3);
	KTAP_EXPECT(g.rec[0].ts == 1 && g.rec[1].ts == 2 && g.rec[2].ts == 3,
		    "in order");
	KTAP_EXPECT_EQ(g.lost, 17);
	KTAP_EXPECT_EQ(s.lost_kernel, 17);
	KTAP_EXPECT_EQ(s.loss_events, 1);
	KTAP_EXPECT_EQ(s.malformed, 0);

	feed_reset();
	s.flush_seq = 41;
	s.flush_pending = true;
	feed_buf(buf, len);
	KTAP_EXPECT_EQ(srtt_recsock_read(&s), 0);
	KTAP_EXPECT(s.acked && !s.ack_err && !s.flush_pending,
		    "acked %d err %d pending %d", s.acked, s.ack_err,
		    s.flush_pending);

	/* the module's error in the answer, as a negative errno */
	len = ack_msg(buf, 9, -ENOTCONN);
	feed_reset();
	s.flush_seq = 9;
	s.acked = false;
	feed_buf(buf, len);
	KTAP_EXPECT_EQ(srtt_recsock_read(&s), 0);
	KTAP_EXPECT(s.acked && s.ack_err == -ENOTCONN, "err %d", s.ack_err);
	srtt_recsock_close(&s);
}

/* Every truncation, lying lengths, broken attributes: nothing half-read. */
static void malformed(void)
{
	struct srtt_record r[2];
	struct srtt_recsock s;
	uint8_t buf[512];
	struct nlmsghdr nh;
	size_t len, cut;
	struct got g;

	r[0] = rec(SRTT_STAGE_RX_IRQ, 4, 1);
	r[1] = rec(SRTT_STAGE_RX_DRV, 4, 2);
	len = records_msg(buf, r, 2, 5);
	for (cut = 1; cut <= len; cut++) {
		open_fed(&s, &lenient, &g);
		feed_buf(buf, cut);
		srtt_recsock_read(&s);
		KTAP_EXPECT(g.n == 0 || cut == len, "cut %zu: %u records", cut,
			    g.n);
		srtt_recsock_close(&s);
	}

	/* a message length beyond what was read */
	memcpy(&nh, buf, sizeof(nh));
	nh.nlmsg_len = (uint32_t)len + 8;
	memcpy(buf, &nh, sizeof(nh));
	open_fed(&s, &lenient, &g);
	feed_buf(buf, len);
	srtt_recsock_read(&s);
	KTAP_EXPECT_EQ(g.n, 0);

	/* a records array that is not whole records */
	len = partial_msg(buf, r, 2);
	feed_buf(buf, len);
	KTAP_EXPECT_EQ(srtt_recsock_read(&s), 0);
	KTAP_EXPECT_EQ(g.n, 0);
	KTAP_EXPECT_EQ(s.malformed, 1);

	/* a LOST attribute of the wrong size */
	len = NLMSG_HDRLEN + GENL_HDRLEN;
	len += put_attr(buf + len, SRTT_A_LOST, "abc", 3);
	nh = (struct nlmsghdr){ .nlmsg_len = (uint32_t)len, .nlmsg_type = FAMILY };
	memcpy(buf, &nh, sizeof(nh));
	((struct genlmsghdr *)(buf + NLMSG_HDRLEN))->cmd = SRTT_CMD_RECORDS;
	feed_buf(buf, len);
	KTAP_EXPECT_EQ(srtt_recsock_read(&s), 0);
	KTAP_EXPECT_EQ(s.malformed, 2);
	KTAP_EXPECT_EQ(s.lost_kernel, 0);

	/* a truncated netlink error */
	nh = (struct nlmsghdr){ .nlmsg_len = NLMSG_HDRLEN + 4,
				.nlmsg_type = NLMSG_ERROR };
	memset(buf, 0, sizeof(buf));
	memcpy(buf, &nh, sizeof(nh));
	feed_buf(buf, NLMSG_HDRLEN + 4);
	KTAP_EXPECT_EQ(srtt_recsock_read(&s), 0);
	KTAP_EXPECT_EQ(s.malformed, 3);
	KTAP_EXPECT(!s.acked, "no answer");

	/* another family's message is ignored, not an error */
	len = records_msg(buf, r, 2, 0);
	nh.nlmsg_len = (uint32_t)len;
	nh.nlmsg_type = FAMILY + 1;
	memcpy(buf, &nh, sizeof(nh));
	feed_buf(buf, len);
	KTAP_EXPECT_EQ(srtt_recsock_read(&s), 0);
	KTAP_EXPECT_EQ(g.n, 0);
	KTAP_EXPECT_EQ(s.malformed, 3);
	srtt_recsock_close(&s);
}

/* A strict reader stops at a malformed message and says why. */
static void strict_stops(void)
{
	struct srtt_record r[2];
	struct srtt_recsock s;
	uint8_t bad[256], good[256];
	size_t len, glen;
	struct got g;

	r[0] = rec(SRTT_STAGE_RX_IRQ, 4, 1);
	r[1] = rec(SRTT_STAGE_RX_DRV, 4, 2);
	len = partial_msg(bad, r, 2);
	glen = records_msg(good, r, 2, 0);

	open_fed(&s, &strict, &g);
	feed_buf(bad, len);
	feed_buf(good, glen);
	KTAP_EXPECT_EQ(srtt_recsock_read(&s), -EPROTO);
	KTAP_EXPECT_CONTAINS(s.why, "not a multiple");
	KTAP_EXPECT_EQ(g.n, 0);
	/* the next read goes on after it */
	KTAP_EXPECT_EQ(srtt_recsock_read(&s), 0);
	KTAP_EXPECT_EQ(g.n, 2);
	srtt_recsock_close(&s);
}

/* ENOBUFS is counted and reported, and reading goes on after it. */
static void overrun_counted(void)
{
	struct srtt_record r[1];
	struct srtt_recsock s;
	uint8_t buf[256];
	struct got g;
	size_t len;

	r[0] = rec(SRTT_STAGE_RX_DRV, 4, 2);
	len = records_msg(buf, r, 1, 0);
	open_fed(&s, &lenient, &g);
	feed_err(-NLE_NOMEM);
	feed_buf(buf, len);
	KTAP_EXPECT_EQ(srtt_recsock_read(&s), 0);
	KTAP_EXPECT_EQ(g.overruns, 1);
	KTAP_EXPECT_EQ(s.lost_socket, 1);
	KTAP_EXPECT_EQ(s.loss_events, 1);
	KTAP_EXPECT_EQ(g.n, 1);

	/* another error ends the read, named */
	feed_reset();
	feed_err(-NLE_BAD_SOCK);
	KTAP_EXPECT(srtt_recsock_read(&s) < 0, "a socket error");
	KTAP_EXPECT_CONTAINS(s.why, "cannot read records");
	srtt_recsock_close(&s);
}

/* A reader that has had enough ends the read with its own value. */
static void reader_stops(void)
{
	struct srtt_record r[3];
	struct srtt_recsock s;
	uint8_t buf[512];
	struct got g;
	size_t len;

	three(r);
	len = records_msg(buf, r, 3, 0);
	open_fed(&s, &lenient, &g);
	g.stop_at = 2;
	feed_buf(buf, len);
	feed_buf(buf, len);
	KTAP_EXPECT_EQ(srtt_recsock_read(&s), 7);
	KTAP_EXPECT_EQ(g.n, 2);
	srtt_recsock_close(&s);
}

static void strerror_named(void)
{
	KTAP_EXPECT_CONTAINS(srtt_recsock_strerror(-ENOENT), "not loaded");
	KTAP_EXPECT_CONTAINS(srtt_recsock_strerror(-EPERM), "CAP_NET_ADMIN");
	KTAP_EXPECT_CONTAINS(srtt_recsock_strerror(-EACCES), "CAP_NET_ADMIN");
	KTAP_EXPECT(srtt_recsock_strerror(-EIO)[0] != 0, "EIO");
}

static const struct ktap_case cases[] = {
	KTAP_CASE(records_and_ack),
	KTAP_CASE(malformed),
	KTAP_CASE(strict_stops),
	KTAP_CASE(overrun_counted),
	KTAP_CASE(reader_stops),
	KTAP_CASE(strerror_named),
};

int main(void)
{
	return KTAP_RUN(cases);
}
