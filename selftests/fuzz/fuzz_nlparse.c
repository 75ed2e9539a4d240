// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz target: the CLI's parsing of the netlink messages the kernel sends
 * it (user/lib/nlmsg.c): srtt_parse_{dev,stats,hist,config,records}_msg()
 * and srtt_nlmsg_error() for NLMSG_ERROR/NLMSG_DONE with extended ACKs.
 *
 * Input: byte 0 picks the parser, byte 1 the nlmsg_flags (NLM_F_CAPPED,
 * NLM_F_ACK_TLVS), the rest is the message after its struct nlmsghdr
 * (the genetlink header and the attributes, or the error payload).
 * nlmsg_len is exactly what libnl would have handed on: the header plus
 * the rest, in a buffer of exactly that size (so ASan sees any read past
 * it).
 *
 * Properties beyond ASan/UBSan:
 * - a parser returns 0 or -EPROTO; on -EPROTO it says why (a non-empty,
 *   terminated text);
 * - strings it copied out are terminated inside their field;
 * - records point inside the message and fill whole records only;
 * - a histogram's count is the sum of its buckets;
 * - srtt_nlmsg_error() returns 0 or a negative value, and its text is
 *   terminated.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/nlctx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_str(const char *s, size_t len)
{
	if (!memchr(s, '\0', len))
		abort();
}

static void check_ret(int err, const char *why, size_t len)
{
#ifdef SRTT_FUZZ_REPLAY
	printf("# %s\n", err ? why : "parsed");
#endif
	if (err == 0)
		return;
	if (err != -EPROTO)
		abort();
	check_str(why, len);
	if (!why[0])
		abort();
}

enum { P_DEV, P_STATS, P_HIST, P_CONFIG, P_RECORDS, P_ERROR, P_DONE, P_NR };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct srtt_stats_msg s;
	static struct srtt_hist_msg h;
	struct srtt_records_msg r;
	struct srtt_config_msg c;
	struct srtt_dev_msg d;
	struct nlmsghdr *nlh;
	char why[128];
	size_t len, i;
	uint64_t sum;
	int err;

	if (size < 2 || size - 2 > UINT32_MAX - NLMSG_HDRLEN)
		return 0;
	len = NLMSG_HDRLEN + size - 2;
	nlh = calloc(1, len);
	if (!nlh)
		abort();
	nlh->nlmsg_len = (uint32_t)len;
	nlh->nlmsg_type = 0x20;
	nlh->nlmsg_flags = data[1] & 0x01 ? NLM_F_CAPPED : 0;
	if (data[1] & 0x02)
		nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
	memcpy((char *)nlh + NLMSG_HDRLEN, data + 2, size - 2);
	memset(why, 0x5a, sizeof(why));

	switch (data[0] % P_NR) {
	case P_DEV:
		err = srtt_parse_dev_msg(nlh, &d, why, sizeof(why));
		check_ret(err, why, sizeof(why));
		check_str(d.ifname, sizeof(d.ifname));
		check_str(d.pci, sizeof(d.pci));
		break;
	case P_STATS:
		err = srtt_parse_stats_msg(nlh, &s, why, sizeof(why));
		check_ret(err, why, sizeof(why));
		check_str(s.ifname, sizeof(s.ifname));
		break;
	case P_HIST:
		err = srtt_parse_hist_msg(nlh, &h, why, sizeof(why));
		check_ret(err, why, sizeof(why));
		if (err)
			break;
		check_str(h.ifname, sizeof(h.ifname));
		for (sum = 0, i = 0; i < SRTT_HIST_BUCKETS; i++)
			sum += h.h.bucket[i];
		if (sum != h.h.count)
			abort();
		break;
	case P_CONFIG:
		err = srtt_parse_config_msg(nlh, &c, why, sizeof(why));
		check_ret(err, why, sizeof(why));
		break;
	case P_RECORDS:
		err = srtt_parse_records_msg(nlh, &r, why, sizeof(why));
		check_ret(err, why, sizeof(why));
		if (err || !r.count)
			break;
		if ((const char *)r.data < (const char *)nlh ||
		    (const char *)r.data + r.count * sizeof(struct srtt_record) >
		    (const char *)nlh + len)
			abort();
		break;
	case P_ERROR:
	case P_DONE:
		nlh->nlmsg_type = data[0] % P_NR == P_ERROR ? NLMSG_ERROR :
			NLMSG_DONE;
		err = srtt_nlmsg_error(nlh, why, sizeof(why));
		if (err > 0)
			abort();
		check_str(why, sizeof(why));
#ifdef SRTT_FUZZ_REPLAY
		printf("# error %d \"%s\"\n", err, why);
#endif
		break;
	}
	free(nlh);
	return 0;
}

#ifdef SRTT_FUZZ_REPLAY
#include "replay.h"
#endif
