// SPDX-License-Identifier: GPL-2.0
/* Raw generic netlink for the lab's test programs (see nl_raw.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "nl_raw.h"

int nl_fd = -1;
uint16_t nl_family_id;
static unsigned int seq;

void put_attr(struct req *r, uint16_t type, const void *data, size_t len)
{
	struct nlattr *a = (struct nlattr *)((char *)r + NLMSG_ALIGN(r->nlh.nlmsg_len));

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	memcpy((char *)a + NLA_HDRLEN, data, len);
	r->nlh.nlmsg_len = NLMSG_ALIGN(r->nlh.nlmsg_len) + NLA_ALIGN(a->nla_len);
}

void init_req(struct req *r, uint16_t type, uint8_t cmd, uint16_t flags)
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
int transact(struct req *r, char *msg, size_t msglen,
		    void (*reply)(struct nlmsghdr *, void *), void *arg)
{
	char buf[65536];
	ssize_t n;

	if (msg)
		msg[0] = 0;
	if (send(nl_fd, r, r->nlh.nlmsg_len, 0) < 0)
		return -errno;
	for (;;) {
		struct nlmsghdr *h;

		n = recv(nl_fd, buf, sizeof(buf), 0);
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

struct nlattr *find_attr(struct nlmsghdr *h, size_t hdr, uint16_t type)
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
		nl_family_id = *(uint16_t *)((char *)a + NLA_HDRLEN);
}

/* The id of family @name, 0 when it is not registered (now). */
uint16_t nl_family(const char *name)
{
	struct req r;

	nl_family_id = 0;
	init_req(&r, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, NLM_F_ACK);
	put_attr(&r, CTRL_ATTR_FAMILY_NAME, name, strlen(name) + 1);
	transact(&r, NULL, 0, got_family, NULL);
	return nl_family_id;
}

/* A bound NETLINK_GENERIC socket with extended ACKs, capped: 0 or -1. */
int nl_open(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int one = 1;

	nl_fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (nl_fd < 0 || bind(nl_fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -1;
	setsockopt(nl_fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(nl_fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	return 0;
}
