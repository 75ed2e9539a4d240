/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sriov_rtt: probe classifier. Recognises STAMP (RFC 8762/8972) and
 * ICMP/ICMPv6 echo packets from raw bytes starting at the Ethernet header.
 * Pure logic (see portable.h): the same source runs in the module and in
 * the user-space unit tests, fuzz target and benchmark.
 */
#ifndef _SRTT_CLASSIFY_H
#define _SRTT_CLASSIFY_H

#include "portable.h"
#include <linux/sriov_rtt.h>

struct srtt_cls_cfg {
	u16	stamp_port;	/* host order; 0 turns STAMP recognition off */
};

#define SRTT_CLS_CFG_DEFAULT	{ .stamp_port = SRTT_STAMP_PORT }

enum srtt_cls_result {
	SRTT_CLS_NONE = 0,	/* not a probe */
	SRTT_CLS_PROBE = 1,	/* a probe; *key and *flags are written */
	SRTT_CLS_SHORT = 2,	/* may be a probe, the buffer ends too soon */
	SRTT_CLS_BAD = 3,	/* looks like a probe but is malformed */
};

/*
 * srtt_classify() never reads more than this many bytes from @mac: the
 * worst case is 802.1ad + 802.1Q tags, IPv4 with IHL 15, UDP and a STAMP
 * reflector packet up to the Session-Sender Sequence Number. A caller that
 * gets SRTT_CLS_SHORT can copy min(packet length, SRTT_CLS_MAX_LEN) bytes
 * into a buffer and call again; SHORT then means the packet is truncated.
 */
#define SRTT_CLS_MAX_LEN	(14 + 4 + 4 + 60 + 8 + 28)

/*
 * Size of the unauthenticated STAMP base packet (RFC 8762 section 4.2,
 * RFC 8972 section 3), session-sender and session-reflector alike.
 */
#define SRTT_STAMP_BASE_LEN	44

int srtt_classify(const u8 *mac, u32 len, const struct srtt_cls_cfg *cfg,
		  struct srtt_key *key, u16 *flags);

#endif /* _SRTT_CLASSIFY_H */
