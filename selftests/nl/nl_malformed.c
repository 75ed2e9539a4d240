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
#include <linux/sriov_rtt.h>

#include "nl_raw.h"

static unsigned int ntest, nfail;
static uint16_t family;

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
	char longname[40];
	struct req r;
	uint32_t u32;
	uint16_t u16;
	uint64_t u64;

	if (nl_open()) {
		perror("netlink socket");
		return 1;
	}
	family = nl_family(SRTT_GENL_NAME);
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

	/* its policy (netlink-gen.c) ends below every attribute but PAD */
	init_req(&r, family, SRTT_CMD_RECORDS_FLUSH, NLM_F_ACK);
	put_attr(&r, SRTT_A_IFNAME, ifname, strlen(ifname) + 1);
	check("records-flush: takes no attribute", &r, EINVAL, "Unknown attribute type");

	/* this socket has not joined the group, and nobody else listens */
	init_req(&r, family, SRTT_CMD_RECORDS_FLUSH, NLM_F_ACK);
	check("records-flush: nobody listens", &r, ENOTCONN, "nobody listens");

	printf("# Totals: pass:%u fail:%u skip:0\n", ntest - nfail, nfail);
	close(nl_fd);
	return nfail ? 1 : 0;
}
