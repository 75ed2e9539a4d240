// SPDX-License-Identifier: GPL-2.0
/* sriov_rtt: probe classifier (STAMP, ICMP/ICMPv6 echo) on raw bytes. */

#include "classify.h"

#define SRTT_UDP_HLEN		8
#define SRTT_ICMP_HLEN		8	/* type, code, csum, id, seq */

/*
 * Offsets in the STAMP base packet (after the UDP header). The SSID sits at
 * the same place in both directions (RFC 8972 section 3: the reflector
 * copies it); the reflector's own Sequence Number at 0 is its own counter in
 * stateful mode, so the reverse key takes the Session-Sender Sequence
 * Number it echoes.
 */
#define SRTT_STAMP_SEQ		0
#define SRTT_STAMP_SSID		14
#define SRTT_STAMP_SS_SEQ	24

/*
 * srtt_cls_scan() (classify.h) decides everything for non-probes and
 * hands candidates (STAMP port or echo type matched) to srtt_cls_check(),
 * which checks the rest of the headers with the functions below and reads
 * the key.
 */

/*
 * A STAMP candidate: check lengths and read the key. @l4len is what the IP
 * header says the L4 part holds; @mf is set on a first IPv4 fragment,
 * whose UDP length may exceed it.
 */
static int srtt_cls_stamp(const u8 *mac, u32 len, u32 off, u32 l4len,
			  bool mf, struct srtt_key *key)
{
	u32 seq_off, ulen;

	/* The IP packet must hold the UDP header and a STAMP base packet. */
	if (l4len < SRTT_UDP_HLEN + SRTT_STAMP_BASE_LEN)
		return SRTT_CLS_BAD;
	if (len < off + SRTT_UDP_HLEN)
		return SRTT_CLS_SHORT;
	ulen = srtt_get_be16(mac + off + 4);
	if (ulen < SRTT_UDP_HLEN + SRTT_STAMP_BASE_LEN || (ulen > l4len && !mf))
		return SRTT_CLS_BAD;

	off += SRTT_UDP_HLEN;
	seq_off = key->dir == SRTT_DIR_FWD ? SRTT_STAMP_SEQ : SRTT_STAMP_SS_SEQ;
	if (len < off + SRTT_STAMP_SSID + 2 || len < off + seq_off + 4)
		return SRTT_CLS_SHORT;
	key->id = srtt_get_be16(mac + off + SRTT_STAMP_SSID);
	key->seq = srtt_get_be32(mac + off + seq_off);
	return SRTT_CLS_PROBE;
}

/*
 * An echo request or reply candidate: ICMP and ICMPv6 share the layout.
 * An echo whose IP payload is shorter than its header is BAD.
 */
static int srtt_cls_echo(const u8 *mac, u32 len, u32 off, u32 l4len,
			 struct srtt_key *key)
{
	if (l4len < SRTT_ICMP_HLEN)
		return SRTT_CLS_BAD;
	if (len < off + SRTT_ICMP_HLEN)
		return SRTT_CLS_SHORT;
	key->id = srtt_get_be16(mac + off + 4);
	key->seq = srtt_get_be16(mac + off + 6);
	return SRTT_CLS_PROBE;
}

/*
 * Only tags in the packet data move L3 away from offset 14, so @off tells
 * whether there was one.
 */
static u16 srtt_cls_vlan_flag(u32 off)
{
	return off > SRTT_ETH_HLEN ? SRTT_REC_F_VLAN : 0;
}

/*
 * An IPv4 candidate, L3 at @off. A header length that is impossible or
 * larger than the packet means the port or type was read from the wrong
 * place: BAD.
 */
static int srtt_cls_ipv4_cand(const u8 *mac, u32 len, u32 off, u32 cand,
			      struct srtt_key *key, u16 *flags)
{
	struct srtt_key scratch = {
		.probe = SRTT_CLS_CAND_PROBE(cand),
		.dir = SRTT_CLS_CAND_DIR(cand),
	};
	const u8 *ip = mac + off;
	u32 ihl = (ip[0] & 15) * 4;
	u32 tot_len = srtt_get_be16(ip + 2);
	u16 frag = srtt_get_be16(ip + 6);
	int ret;

	if (unlikely((ip[0] >> 4) != 4))
		return SRTT_CLS_NONE;
	if (unlikely(ihl < SRTT_IPV4_HLEN || ihl > tot_len))
		return SRTT_CLS_BAD;

	if (scratch.probe == SRTT_PROBE_STAMP)
		ret = srtt_cls_stamp(mac, len, off + ihl, tot_len - ihl,
				     frag & SRTT_IP_MF, &scratch);
	else
		ret = srtt_cls_echo(mac, len, off + ihl, tot_len - ihl,
				    &scratch);
	if (ret == SRTT_CLS_PROBE) {
		*key = scratch;
		*flags = srtt_cls_vlan_flag(off);
	}
	return ret;
}

/* An IPv6 candidate, L3 at @off. */
static int srtt_cls_ipv6_cand(const u8 *mac, u32 len, u32 off, u32 cand,
			      struct srtt_key *key, u16 *flags)
{
	struct srtt_key scratch = {
		.probe = SRTT_CLS_CAND_PROBE(cand),
		.dir = SRTT_CLS_CAND_DIR(cand),
	};
	const u8 *ip = mac + off;
	u32 plen = srtt_get_be16(ip + 4);
	int ret;

	if (unlikely((ip[0] >> 4) != 6))
		return SRTT_CLS_NONE;

	if (scratch.probe == SRTT_PROBE_STAMP)
		ret = srtt_cls_stamp(mac, len, off + SRTT_IPV6_HLEN, plen,
				     false, &scratch);
	else
		ret = srtt_cls_echo(mac, len, off + SRTT_IPV6_HLEN, plen,
				    &scratch);
	if (ret == SRTT_CLS_PROBE) {
		*key = scratch;
		*flags = srtt_cls_vlan_flag(off) | SRTT_REC_F_IPV6;
	}
	return ret;
}

/**
 * srtt_cls_check - the second half of srtt_classify()
 * @mac: the Ethernet header, as given to srtt_cls_scan()
 * @len: bytes readable from @mac
 * @cand: a candidate srtt_cls_scan() returned for these bytes
 * @key: set to the probe key when the result is SRTT_CLS_PROBE
 * @flags: set to SRTT_REC_F_IPV6 / SRTT_REC_F_VLAN when SRTT_CLS_PROBE
 *
 * Return: an enum srtt_cls_result.
 */
int srtt_cls_check(const u8 *mac, u32 len, u32 cand, struct srtt_key *key,
		   u16 *flags)
{
	u32 off = SRTT_CLS_CAND_OFF(cand);

	if (cand & SRTT_CLS_CAND_V6)
		return srtt_cls_ipv6_cand(mac, len, off, cand, key, flags);
	return srtt_cls_ipv4_cand(mac, len, off, cand, key, flags);
}

/**
 * srtt_classify - tell whether a packet is a probe and extract its key
 * @mac: the Ethernet header (destination, source, EtherType)
 * @len: bytes readable from @mac; nothing past them is read
 * @cfg: classifier settings
 * @key: set to the probe key when the result is SRTT_CLS_PROBE
 * @flags: set to SRTT_REC_F_IPV6 / SRTT_REC_F_VLAN when SRTT_CLS_PROBE
 *
 * What is recognised:
 * - Ethernet II, optionally with one 802.1Q tag, an 802.1ad tag followed by
 *   an 802.1Q tag, or two 802.1Q tags. Only tags in the packet data are
 *   seen: a tag the NIC stripped (skb->vlan_tci) is the caller's to flag.
 * - IPv4 with any IHL (options are skipped, not parsed); non-first
 *   fragments are NONE. IPv6 whose next header is UDP or ICMPv6 directly:
 *   packets with extension headers (including fragments) are NONE.
 * - STAMP: UDP with destination port == @cfg->stamp_port is the forward
 *   direction (key.seq = Sequence Number), else source port == stamp_port
 *   is the reverse direction (key.seq = Session-Sender Sequence Number at
 *   offset 24), so both directions of one probe share id and seq. key.id
 *   is the SSID. A candidate whose IP or UDP length leaves less than the
 *   44-byte base packet, or whose UDP length exceeds the IP payload (except
 *   on a first IPv4 fragment), is BAD.
 * - ICMP echo request/reply and ICMPv6 echo request/reply: key.id and
 *   key.seq are the echo identifier and sequence number; requests are
 *   forward, replies reverse. An echo whose IP payload is shorter than the
 *   8-byte echo header is BAD.
 * - A non-probe leaves on the EtherType, the IP protocol, the first-
 *   fragment test, the ports or the ICMP type; only a candidate (STAMP
 *   port or echo type matched at IHL * 4) has the rest of its IP header
 *   checked. A candidate whose IHL is below 5 or beyond the total length
 *   is BAD: the header lies and the port or type came from the wrong
 *   place. A wrong IP version behind the EtherType is NONE.
 *
 * Lengths in the IP and UDP headers are trusted only to reject packets;
 * the buffer may end before them (SHORT if the key is not in it yet) or
 * extend past them (padding, trailers). Checksums are not verified.
 *
 * The result depends only on the bytes read, and every read is preceded by
 * a length check returning SHORT, so classifying a prefix of a packet gives
 * either SHORT or the same result and key as the whole packet, and no more
 * than SRTT_CLS_MAX_LEN bytes are ever looked at. @key and @flags are left
 * untouched unless the result is SRTT_CLS_PROBE.
 *
 * Return: an enum srtt_cls_result.
 */
int srtt_classify(const u8 *mac, u32 len, const struct srtt_cls_cfg *cfg,
		  struct srtt_key *key, u16 *flags)
{
	u32 cand = srtt_cls_scan(mac, len, cfg->stamp_port);

	if (!(cand & SRTT_CLS_CAND))
		return cand;
	return srtt_cls_check(mac, len, cand, key, flags);
}
