/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Raw generic netlink for the lab's test programs (no libnl, so every
 * byte of a request is the test's own): build a request, send it and
 * read its answer and ACK, find an attribute, resolve the family.
 */
#ifndef _NL_RAW_H
#define _NL_RAW_H

#include <stddef.h>
#include <stdint.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

struct req {
	struct nlmsghdr nlh;
	struct genlmsghdr genl;
	char buf[512];
};

/* the socket nl_open() opened, and the family nl_family() resolved */
extern int nl_fd;
extern uint16_t nl_family_id;

int nl_open(void);
void put_attr(struct req *r, uint16_t type, const void *data, size_t len);
void init_req(struct req *r, uint16_t type, uint8_t cmd, uint16_t flags);
int transact(struct req *r, char *msg, size_t msglen,
	     void (*reply)(struct nlmsghdr *, void *), void *arg);
struct nlattr *find_attr(struct nlmsghdr *h, size_t hdr, uint16_t type);
uint16_t nl_family(const char *name);

#endif
