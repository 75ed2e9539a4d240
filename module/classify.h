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

/* Header fields srtt_cls_scan() reads (network byte order on the wire). */
#define SRTT_ETH_HLEN		14
#define SRTT_VLAN_HLEN		4
#define SRTT_ETH_P_IP		0x0800
#define SRTT_ETH_P_IPV6		0x86dd
#define SRTT_ETH_P_8021Q	0x8100
#define SRTT_ETH_P_8021AD	0x88a8

#define SRTT_IPV4_HLEN		20
#define SRTT_IPV6_HLEN		40
#define SRTT_IP_MF		0x2000
#define SRTT_IP_OFFSET		0x1fff

#define SRTT_PROTO_ICMP		1
#define SRTT_PROTO_UDP		17
#define SRTT_PROTO_ICMPV6	58

#define SRTT_ICMP_ECHOREPLY	0
#define SRTT_ICMP_ECHO		8
#define SRTT_ICMPV6_ECHO	128
#define SRTT_ICMPV6_ECHOREPLY	129

/*
 * A candidate found by srtt_cls_scan(): the STAMP port or the echo type
 * matched. It carries what srtt_cls_check() goes on with: probe type,
 * direction, where L3 starts and whether it is IPv6. NONE (0) and SHORT
 * never have SRTT_CLS_CAND set.
 */
#define SRTT_CLS_CAND		0x80000000u
#define SRTT_CLS_CAND_V6	0x40000000u
#define SRTT_CLS_CAND_MAKE(probe, dir, off) \
	(SRTT_CLS_CAND | (u32)(off) << 16 | (u32)(dir) << 8 | (probe))
#define SRTT_CLS_CAND_PROBE(cand)	((cand) & 0xff)
#define SRTT_CLS_CAND_DIR(cand)		(((cand) >> 8) & 0xff)
#define SRTT_CLS_CAND_OFF(cand)		(((cand) >> 16) & 0xff)

/**
 * srtt_cls_scan - the first half of srtt_classify(), for a hot path
 * @mac: the Ethernet header
 * @len: bytes readable from @mac
 * @stamp_port: the STAMP port, host order; 0 turns STAMP recognition off
 *
 * Reads the EtherType (past up to two VLAN tags), the IP protocol, the
 * fragment offset and the UDP ports or the ICMP type: a non-probe leaves
 * here. Inline so that a hook can reject a packet without a call.
 *
 * Return: SRTT_CLS_NONE, SRTT_CLS_SHORT, or a candidate (SRTT_CLS_CAND
 * set) for srtt_cls_check().
 */
static __always_inline u32 srtt_cls_scan(const u8 *mac, u32 len,
					 u16 stamp_port)
{
	u32 off = SRTT_ETH_HLEN, l4, v6 = 0;
	u8 proto, icmp, echo_req, echo_rep, probe;
	u16 type;

	if (unlikely(len < SRTT_ETH_HLEN))
		return SRTT_CLS_SHORT;
	type = srtt_get_be16(mac + 12);
	if (unlikely(type == SRTT_ETH_P_8021Q || type == SRTT_ETH_P_8021AD)) {
		if (len < off + SRTT_VLAN_HLEN)
			return SRTT_CLS_SHORT;
		type = srtt_get_be16(mac + off + 2);
		off += SRTT_VLAN_HLEN;
		if (type == SRTT_ETH_P_8021Q) {
			if (len < off + SRTT_VLAN_HLEN)
				return SRTT_CLS_SHORT;
			type = srtt_get_be16(mac + off + 2);
			off += SRTT_VLAN_HLEN;
		}
	}

	if (likely(type == SRTT_ETH_P_IP)) {
		if (unlikely(len < off + SRTT_IPV4_HLEN))
			return SRTT_CLS_SHORT;
		proto = mac[off + 9];
		if (proto != SRTT_PROTO_UDP && proto != SRTT_PROTO_ICMP)
			return SRTT_CLS_NONE;
		if (srtt_get_be16(mac + off + 6) & SRTT_IP_OFFSET)
			return SRTT_CLS_NONE;	/* not the first fragment */
		l4 = off + (mac[off] & 15) * 4;
		icmp = SRTT_PROTO_ICMP;
		echo_req = SRTT_ICMP_ECHO;
		echo_rep = SRTT_ICMP_ECHOREPLY;
	} else if (type == SRTT_ETH_P_IPV6) {
		if (unlikely(len < off + SRTT_IPV6_HLEN))
			return SRTT_CLS_SHORT;
		proto = mac[off + 6];	/* extension headers: not a probe */
		l4 = off + SRTT_IPV6_HLEN;
		icmp = SRTT_PROTO_ICMPV6;
		echo_req = SRTT_ICMPV6_ECHO;
		echo_rep = SRTT_ICMPV6_ECHOREPLY;
		v6 = SRTT_CLS_CAND_V6;
	} else {
		return SRTT_CLS_NONE;
	}

	if (proto == SRTT_PROTO_UDP) {
		if (unlikely(len < l4 + 4))
			return SRTT_CLS_SHORT;
		/* port 0 turns STAMP off, even for a packet using port 0 */
		if (srtt_get_be16(mac + l4 + 2) == stamp_port && stamp_port)
			return v6 | SRTT_CLS_CAND_MAKE(SRTT_PROBE_STAMP,
						       SRTT_DIR_FWD, off);
		if (srtt_get_be16(mac + l4) == stamp_port && stamp_port)
			return v6 | SRTT_CLS_CAND_MAKE(SRTT_PROBE_STAMP,
						       SRTT_DIR_REV, off);
		return SRTT_CLS_NONE;
	}
	if (proto == icmp) {
		if (unlikely(len < l4 + 1))
			return SRTT_CLS_SHORT;
		probe = v6 ? SRTT_PROBE_ICMPV6 : SRTT_PROBE_ICMP;
		if (mac[l4] == echo_req)
			return v6 | SRTT_CLS_CAND_MAKE(probe, SRTT_DIR_FWD,
						       off);
		if (mac[l4] == echo_rep)
			return v6 | SRTT_CLS_CAND_MAKE(probe, SRTT_DIR_REV,
						       off);
	}
	return SRTT_CLS_NONE;
}

int srtt_cls_check(const u8 *mac, u32 len, u32 cand, struct srtt_key *key,
		   u16 *flags);
int srtt_classify(const u8 *mac, u32 len, const struct srtt_cls_cfg *cfg,
		  struct srtt_key *key, u16 *flags);

#endif /* _SRTT_CLASSIFY_H */
