// SPDX-License-Identifier: GPL-2.0
/*
 * Malformed requests to the sriov_rtt generic netlink family: each must be
 * refused with its errno and extended-ACK text, and change nothing.
 * Raw netlink (no libnl) so every byte of the request is the test's.
 *
 *   nl_malformed [IFNAME]   IFNAME: a device that exists and is attached
 *
 * KTAP on stdout; exit 1 if any case failed, 4 if the family is missing.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include <linux/sriov_rtt.h>

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

struct req {
	struct nlmsghdr nlh;
	struct genlmsghdr genl;
	char buf[512];
};

static int fd;
static uint16_t family;
static unsigned int seq, ntest, nfail;

static void put_attr(struct req *r, uint16_t type, const void *data, size_t len)
{
	struct nlattr *a = (struct nlattr *)((char *)r + NLMSG_ALIGN(r->nlh.nlmsg_len));

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	memcpy((char *)a + NLA_HDRLEN, data, len);
	r->nlh.nlmsg_len = NLMSG_ALIGN(r->nlh.nlmsg_len) + NLA_ALIGN(a->nla_len);
}

static void init_req(struct req *r, uint16_t type, uint8_t cmd, uint16_t flags)
{
	memset(r, 0, sizeof(*r));
	r->nlh.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
	r->nlh.nlmsg_type = type;
	r->nlh.nlmsg_flags = NLM_F_REQUEST | flags;
	r->nlh.nlmsg_seq = ++seq;
	r->genl.cmd = cmd;
	r->genl.version = 1;
}

/*
 * Send @r; return the errno of the ACK (0 for success) and copy the
 * extack message into @msg. Replies before the ACK (a doit's answer) are
 * handed to @reply when non-NULL.
 */
static int transact(struct req *r, char *msg, size_t msglen,
		    void (*reply)(struct nlmsghdr *, void *), void *arg)
{
	char buf[65536];
	ssize_t n;

	if (msg)
		msg[0] = 0;
	if (send(fd, r, r->nlh.nlmsg_len, 0) < 0)
		return -errno;
	for (;;) {
		struct nlmsghdr *h;

		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0)
			return -errno;
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_seq != r->nlh.nlmsg_seq)
				continue;
			if (h->nlmsg_type == NLMSG_DONE)
				return 0;
			if (h->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(h);
				size_t off = sizeof(*e);
				struct nlattr *a;

				if (!(h->nlmsg_flags & NLM_F_CAPPED))
					off += e->msg.nlmsg_len - sizeof(e->msg);
				a = (struct nlattr *)((char *)e + NLMSG_ALIGN(off));
				while ((char *)a + NLA_HDRLEN <= (char *)h + h->nlmsg_len &&
				       a->nla_len >= NLA_HDRLEN &&
				       (char *)a + a->nla_len <= (char *)h + h->nlmsg_len) {
					if (a->nla_type == NLMSGERR_ATTR_MSG && msg)
						snprintf(msg, msglen, "%.*s",
							 (int)(a->nla_len - NLA_HDRLEN),
							 (char *)a + NLA_HDRLEN);
					a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len));
				}
				return e->error;
			}
			if (reply)
				reply(h, arg);
		}
	}
}

static struct nlattr *find_attr(struct nlmsghdr *h, size_t hdr, uint16_t type)
{
	struct nlattr *a = (struct nlattr *)((char *)NLMSG_DATA(h) + hdr);
	int len = h->nlmsg_len - NLMSG_LENGTH(hdr);

	while (len >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && a->nla_len <= len) {
		if ((a->nla_type & NLA_TYPE_MASK) == type)
			return a;
		len -= NLA_ALIGN(a->nla_len);
		a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len));
	}
	return NULL;
}

static void got_family(struct nlmsghdr *h, void *arg __attribute__((unused)))
{
	struct nlattr *a = find_attr(h, GENL_HDRLEN, CTRL_ATTR_FAMILY_ID);

	if (a)
		family = *(uint16_t *)((char *)a + NLA_HDRLEN);
}

/* The state a refused request must not change. */
struct state {
	uint16_t port;
	uint32_t sample, ring;
	unsigned int ndevs;
};

static void got_config(struct nlmsghdr *h, void *arg)
{
	struct state *s = arg;
	struct nlattr *a;

	a = find_attr(h, GENL_HDRLEN, SRTT_A_CFG_STAMP_PORT);
	if (a)
		s->port = *(uint16_t *)((char *)a + NLA_HDRLEN);
	a = find_attr(h, GENL_HDRLEN, SRTT_A_CFG_SAMPLE);
	if (a)
		s->sample = *(uint32_t *)((char *)a + NLA_HDRLEN);
	a = find_attr(h, GENL_HDRLEN, SRTT_A_CFG_RING_SIZE);
	if (a)
		s->ring = *(uint32_t *)((char *)a + NLA_HDRLEN);
}

static void got_dev(struct nlmsghdr *h __attribute__((unused)), void *arg)
{
	((struct state *)arg)->ndevs++;
}

static void state(struct state *s)
{
	struct req r;

	memset(s, 0, sizeof(*s));
	init_req(&r, family, SRTT_CMD_CONFIG_GET, NLM_F_ACK);
	transact(&r, NULL, 0, got_config, s);
	init_req(&r, family, SRTT_CMD_DEV_GET, NLM_F_DUMP);
	transact(&r, NULL, 0, got_dev, s);
}

static void check(const char *name, struct req *r, int want_err, const char *want_msg)
{
	struct state before, after;
	char msg[256];
	int err;

	state(&before);
	err = transact(r, msg, sizeof(msg), NULL, NULL);
	state(&after);
	ntest++;
	if (err != -want_err || !strstr(msg, want_msg) ||
	    memcmp(&before, &after, sizeof(before))) {
		printf("# %s: errno %d extack '%s' (want %d '%s'), state %s\n",
		       name, -err, msg, want_err, want_msg,
		       memcmp(&before, &after, sizeof(before)) ? "CHANGED" : "same");
		printf("not ok %u %s\n", ntest, name);
		nfail++;
	} else {
		printf("ok %u %s\n", ntest, name);
	}
}

int main(int argc, char **argv)
{
	const char *ifname = argc > 1 ? argv[1] : "lo";
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	char longname[40];
	struct req r;
	int one = 1;
	uint32_t u32;
	uint16_t u16;
	uint64_t u64;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		perror("netlink socket");
		return 1;
	}
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));

	init_req(&r, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, NLM_F_ACK);
	put_attr(&r, CTRL_ATTR_FAMILY_NAME, SRTT_GENL_NAME, sizeof(SRTT_GENL_NAME));
	transact(&r, NULL, 0, got_family, NULL);
	if (!family) {
		printf("# family %s not found\n", SRTT_GENL_NAME);
		return 4;
	}
	printf("KTAP version 1\n1..13\n");

	init_req(&r, family, SRTT_CMD_DEV_ATTACH, NLM_F_ACK);
	u16 = 1;
	put_attr(&r, SRTT_A_IFINDEX, &u16, sizeof(u16));
	check("attach: IFINDEX of the wrong size", &r, EINVAL, "");

	init_req(&r, family, SRTT_CMD_DEV_ATTACH, NLM_F_ACK);
	check("attach: no IFINDEX or IFNAME", &r, EINVAL, "SRTT_A_IFINDEX or SRTT_A_IFNAME is required");

	init_req(&r, family, SRTT_CMD_DEV_ATTACH, NLM_F_ACK);
	put_attr(&r, SRTT_A_IFNAME, "nosuchdev0", sizeof("nosuchdev0"));
	check("attach: unknown device", &r, ENODEV, "no device of this name");

	init_req(&r, family, SRTT_CMD_DEV_ATTACH, NLM_F_ACK);
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = 0;
	put_attr(&r, SRTT_A_IFNAME, longname, sizeof(longname));
	check("attach: oversized IFNAME", &r, EINVAL, "Attribute failed policy validation");

	init_req(&r, family, SRTT_CMD_DEV_ATTACH, NLM_F_ACK);
	put_attr(&r, SRTT_A_IFNAME, ifname, strlen(ifname) + 1);
	u32 = 7;
	put_attr(&r, SRTT_A_MAX + 3, &u32, sizeof(u32));
	check("attach: unknown attribute", &r, EINVAL, "Unknown attribute type");

	init_req(&r, family, SRTT_CMD_DEV_ATTACH, NLM_F_ACK);
	put_attr(&r, SRTT_A_IFNAME, ifname, strlen(ifname) + 1);
	check("attach: already attached", &r, EEXIST, "already attached");

	init_req(&r, family, SRTT_CMD_CONFIG_SET, NLM_F_ACK);
	check("config: nothing to set", &r, EINVAL, "nothing to set");

	init_req(&r, family, SRTT_CMD_CONFIG_SET, NLM_F_ACK);
	u16 = 0;
	put_attr(&r, SRTT_A_CFG_STAMP_PORT, &u16, sizeof(u16));
	check("config: stamp_port 0 out of range", &r, ERANGE, "");

	init_req(&r, family, SRTT_CMD_CONFIG_SET, NLM_F_ACK);
	u32 = 2000000;
	put_attr(&r, SRTT_A_CFG_SAMPLE, &u32, sizeof(u32));
	check("config: sample 2000000 out of range", &r, ERANGE, "");

	init_req(&r, family, SRTT_CMD_CONFIG_SET, NLM_F_ACK);
	u64 = 862;
	put_attr(&r, SRTT_A_CFG_RING_SIZE, &u64, sizeof(u64));
	check("config: ring_size of the wrong type", &r, EINVAL, "");

	init_req(&r, family, SRTT_CMD_CONFIG_SET, NLM_F_ACK);
	u32 = 128;
	put_attr(&r, SRTT_A_CFG_RING_SIZE, &u32, sizeof(u32));
	check("config: ring_size while attached", &r, EBUSY, "detach every device");

	init_req(&r, family, SRTT_CMD_RECORDS_FLUSH, NLM_F_ACK);
	put_attr(&r, SRTT_A_IFNAME, ifname, strlen(ifname) + 1);
	check("records-flush: takes no attribute", &r, EINVAL, "Unsupported attribute");

	/* this socket has not joined the group, and nobody else listens */
	init_req(&r, family, SRTT_CMD_RECORDS_FLUSH, NLM_F_ACK);
	check("records-flush: nobody listens", &r, ENOTCONN, "nobody listens");

	printf("# Totals: pass:%u fail:%u skip:0\n", ntest - nfail, nfail);
	close(fd);
	return nfail ? 1 : 0;
}
