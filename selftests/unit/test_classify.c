// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for module/classify.c on hand-built packets. Every call gets
 * a heap copy of exactly the bytes it may read, so AddressSanitizer catches
 * a read past the end.
 *
 *   test_classify                    run the tests (KTAP)
 *   test_classify --write-corpus DIR write the packets as fuzzing seeds
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "classify.h"
#include "ktap.h"

#define PKT_MAX		2048

enum { L4_NONE, L4_UDP, L4_TCP, L4_ICMP };
enum { STAMP_NO, STAMP_SENDER, STAMP_REFLECTOR };
enum { TAGS_NONE, TAGS_8021Q, TAGS_QINQ, TAGS_DOUBLE_8021Q };

struct pkt_spec {
	int tags;		/* TAGS_* */
	int ipv6;
	int l4;			/* L4_* */
	uint16_t sport, dport;
	int stamp;		/* STAMP_*: UDP payload layout */
	uint32_t payload;	/* L4 payload bytes; 0 = default */
	uint8_t icmp_type;
	uint16_t id;		/* SSID or echo identifier */
	uint32_t seq;		/* the sequence number the key must carry */
	int ihl;		/* IPv4 header words; 0 = 5 */
	uint16_t frag;		/* IPv4 flags + fragment offset field */
	int trailer;		/* bytes after the IP packet (padding, FCS) */
};

struct pkt {
	uint8_t b[PKT_MAX];
	uint32_t len;
	uint32_t l3, l4;	/* offsets */
};

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v);
}

static uint16_t ip_csum(const uint8_t *p, int n)
{
	uint32_t s = 0;
	int i;

	for (i = 0; i < n; i += 2)
		s += p[i] << 8 | p[i + 1];
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return ~s;
}

static void build(struct pkt *p, const struct pkt_spec *s)
{
	uint8_t *b = p->b, *l4, *pl;
	uint32_t off = 12, l4len, plen, ihl = (s->ihl ? s->ihl : 5) * 4;
	uint8_t proto;
	uint32_t i;

	memset(p, 0, sizeof(*p));
	memcpy(b, "\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01", 12);
	if (s->tags == TAGS_8021Q || s->tags == TAGS_DOUBLE_8021Q) {
		put16(b + off, 0x8100);
		put16(b + off + 2, 100);
		off += 4;
	}
	if (s->tags == TAGS_QINQ) {
		put16(b + off, 0x88a8);
		put16(b + off + 2, 200);
		off += 4;
	}
	if (s->tags == TAGS_QINQ || s->tags == TAGS_DOUBLE_8021Q) {
		put16(b + off, 0x8100);
		put16(b + off + 2, 300);
		off += 4;
	}
	put16(b + off, s->ipv6 ? 0x86dd : 0x0800);
	p->l3 = off + 2;

	switch (s->l4) {
	case L4_UDP:
		proto = 17;
		plen = s->payload ? s->payload :
		       s->stamp ? SRTT_STAMP_BASE_LEN : 32;
		l4len = 8 + plen;
		break;
	case L4_TCP:
		proto = 6;
		plen = s->payload;
		l4len = 20 + plen;
		break;
	case L4_ICMP:
		proto = s->ipv6 ? 58 : 1;
		plen = s->payload ? s->payload : 56;
		l4len = 8 + plen;
		break;
	default:
		proto = 59;	/* IPv6 "no next header", IPv4 unassigned */
		plen = 0;
		l4len = s->payload;
		break;
	}

	if (s->ipv6) {
		uint8_t *ip = b + p->l3;

		ip[0] = 0x60;
		put16(ip + 4, l4len);
		ip[6] = proto;
		ip[7] = 64;
		ip[8] = 0xfd;
		ip[23] = 1;
		ip[24] = 0xfd;
		ip[39] = 2;
		p->l4 = p->l3 + 40;
	} else {
		uint8_t *ip = b + p->l3;

		ip[0] = 0x40 | ihl / 4;
		put16(ip + 2, ihl + l4len);
		put16(ip + 4, 0x1234);
		put16(ip + 6, s->frag);
		ip[8] = 64;
		ip[9] = proto;
		put32(ip + 12, 0x0a000001);
		put32(ip + 16, 0x0a000002);
		for (i = 20; i < ihl; i++)
			ip[i] = i + 1 < ihl ? 1 : 0;	/* NOPs, then EOL */
		put16(ip + 10, ip_csum(ip, ihl));
		p->l4 = p->l3 + ihl;
	}

	l4 = b + p->l4;
	switch (s->l4) {
	case L4_UDP:
		put16(l4, s->sport);
		put16(l4 + 2, s->dport);
		put16(l4 + 4, l4len);
		pl = l4 + 8;
		for (i = 0; i < plen; i++)
			pl[i] = 0x40 + i;
		if (s->stamp == STAMP_SENDER) {
			memset(pl, 0, plen);
			put32(pl + 0, s->seq);
			put32(pl + 4, 0xe9a1b2c3);	/* timestamp */
			put32(pl + 8, 0x11223344);
			put16(pl + 12, 0x8001);		/* error estimate */
			put16(pl + 14, s->id);		/* SSID */
		} else if (s->stamp == STAMP_REFLECTOR) {
			memset(pl, 0, plen);
			put32(pl + 0, ~s->seq);		/* reflector's own */
			put32(pl + 4, 0xe9a1b2c4);
			put16(pl + 12, 0x8001);
			put16(pl + 14, s->id);
			put32(pl + 16, 0xe9a1b2c4);	/* receive timestamp */
			put32(pl + 24, s->seq);		/* session-sender seq */
			put32(pl + 28, 0xe9a1b2c3);
			put16(pl + 36, 0x8001);
			pl[40] = 255;			/* session-sender TTL */
		}
		break;
	case L4_TCP:
		put16(l4, s->sport);
		put16(l4 + 2, s->dport);
		put32(l4 + 4, 1);
		l4[12] = 5 << 4;
		l4[13] = 0x02;				/* SYN */
		put16(l4 + 14, 64240);
		break;
	case L4_ICMP:
		l4[0] = s->icmp_type;
		put16(l4 + 4, s->id);
		put16(l4 + 6, s->seq);
		for (i = 0; i < plen; i++)
			l4[8 + i] = 0x10 + i;
		if (!s->ipv6)
			put16(l4 + 2, ip_csum(l4, l4len + (l4len & 1)));
		break;
	}

	p->len = p->l4 + l4len;
	for (i = 0; i < (uint32_t)s->trailer; i++)
		b[p->len + i] = 0xee;
	p->len += s->trailer;
}

static void build_arp(struct pkt *p)
{
	memset(p, 0, sizeof(*p));
	memset(p->b, 0xff, 6);
	memcpy(p->b + 6, "\x02\x00\x00\x00\x00\x01", 6);
	put16(p->b + 12, 0x0806);
	memcpy(p->b + 14, "\x00\x01\x08\x00\x06\x04\x00\x01", 8);
	memcpy(p->b + 22, "\x02\x00\x00\x00\x00\x01\x0a\x00\x00\x01", 10);
	memcpy(p->b + 38, "\x0a\x00\x00\x02", 4);
	p->len = 60;	/* padded to the minimum frame */
	p->l3 = 14;
}

static const struct srtt_cls_cfg cfg_default = SRTT_CLS_CFG_DEFAULT;

/* A key pattern no call may leave behind unless it returns PROBE. */
static const struct srtt_key key_poison = { 0xa5, 0xa5, 0xa5a5, 0xa5a5a5a5 };
#define FLAGS_POISON	0xa5a5

struct result {
	int ret;
	struct srtt_key key;
	uint16_t flags;
};

/* Classify the first n bytes of buf from an allocation of exactly n. */
static struct result classify_n(const uint8_t *buf, uint32_t n,
				const struct srtt_cls_cfg *cfg)
{
	uint8_t *copy = malloc(n ? n : 1);
	struct result r = { .key = key_poison, .flags = FLAGS_POISON };

	memcpy(copy, buf, n);
	r.ret = srtt_classify(n ? copy : copy + 1, n, cfg, &r.key, &r.flags);
	free(copy);
	return r;
}

static const char *res_name(int ret)
{
	static const char * const names[] = { "NONE", "PROBE", "SHORT", "BAD" };

	return ret >= 0 && ret < 4 ? names[ret] : "?";
}

#define EXPECT_RES(got, want) \
	KTAP_EXPECT((got) == (want), "%s, want %s", res_name(got), \
		    res_name(want))

static void expect_probe(const struct pkt *p, const struct srtt_cls_cfg *cfg,
			 uint8_t probe, uint8_t dir, uint16_t id, uint32_t seq,
			 uint16_t flags)
{
	struct result r = classify_n(p->b, p->len, cfg);

	if (!EXPECT_RES(r.ret, SRTT_CLS_PROBE))
		return;
	KTAP_EXPECT_EQ(r.key.probe, probe);
	KTAP_EXPECT_EQ(r.key.dir, dir);
	KTAP_EXPECT_EQ(r.key.id, id);
	KTAP_EXPECT_EQ(r.key.seq, seq);
	KTAP_EXPECT_EQ(r.flags, flags);
}

static void expect_ret(const struct pkt *p, const struct srtt_cls_cfg *cfg,
		       int want)
{
	struct result r = classify_n(p->b, p->len, cfg);

	EXPECT_RES(r.ret, want);
	if (r.ret != SRTT_CLS_PROBE) {
		KTAP_EXPECT(!memcmp(&r.key, &key_poison, sizeof(r.key)),
			    "key written on %s", res_name(r.ret));
		KTAP_EXPECT_EQ(r.flags, FLAGS_POISON);
	}
}

static const struct pkt_spec stamp_v4 = {
	.l4 = L4_UDP, .sport = 40000, .dport = SRTT_STAMP_PORT,
	.stamp = STAMP_SENDER, .id = 0x5a5a, .seq = 0x01020304,
};

static const struct pkt_spec stamp_v4_reflector = {
	.l4 = L4_UDP, .sport = SRTT_STAMP_PORT, .dport = 40000,
	.stamp = STAMP_REFLECTOR, .id = 0x5a5a, .seq = 0x01020304,
};

static const struct pkt_spec stamp_v6 = {
	.ipv6 = 1, .l4 = L4_UDP, .sport = 40001, .dport = SRTT_STAMP_PORT,
	.stamp = STAMP_SENDER, .id = 7, .seq = 0xfffffffe,
};

static const struct pkt_spec stamp_v6_vlan_reflector = {
	.tags = TAGS_8021Q, .ipv6 = 1, .l4 = L4_UDP,
	.sport = SRTT_STAMP_PORT, .dport = 40001, .stamp = STAMP_REFLECTOR,
	.payload = 44 + 12, .id = 7, .seq = 99,
};

static const struct pkt_spec stamp_v4_qinq = {
	.tags = TAGS_QINQ, .l4 = L4_UDP, .sport = 40002,
	.dport = SRTT_STAMP_PORT, .stamp = STAMP_SENDER, .id = 3, .seq = 5,
};

static const struct pkt_spec icmp_req = {
	.l4 = L4_ICMP, .icmp_type = 8, .id = 0x1c2d, .seq = 17,
};

static const struct pkt_spec icmp6_rep = {
	.ipv6 = 1, .l4 = L4_ICMP, .icmp_type = 129, .id = 0x1c2e, .seq = 65535,
};

static const struct pkt_spec udp_dns = {
	.l4 = L4_UDP, .sport = 53000, .dport = 53,
};

static const struct pkt_spec tcp_862 = {
	.l4 = L4_TCP, .sport = 40003, .dport = SRTT_STAMP_PORT,
};

static void stamp_ipv4_sender(void)
{
	struct pkt p;

	build(&p, &stamp_v4);
	expect_probe(&p, &cfg_default, SRTT_PROBE_STAMP, SRTT_DIR_FWD,
		     0x5a5a, 0x01020304, 0);
}

static void stamp_ipv4_reflector(void)
{
	struct pkt p;

	build(&p, &stamp_v4_reflector);
	/* seq comes from offset 24, not from the reflector's own at 0 */
	expect_probe(&p, &cfg_default, SRTT_PROBE_STAMP, SRTT_DIR_REV,
		     0x5a5a, 0x01020304, 0);
}

static void stamp_ipv6_sender(void)
{
	struct pkt p;

	build(&p, &stamp_v6);
	expect_probe(&p, &cfg_default, SRTT_PROBE_STAMP, SRTT_DIR_FWD,
		     7, 0xfffffffe, SRTT_REC_F_IPV6);
}

static void stamp_ipv6_vlan_reflector(void)
{
	struct pkt p;

	build(&p, &stamp_v6_vlan_reflector);
	expect_probe(&p, &cfg_default, SRTT_PROBE_STAMP, SRTT_DIR_REV, 7, 99,
		     SRTT_REC_F_IPV6 | SRTT_REC_F_VLAN);
}

static void stamp_ipv4_qinq_and_double_tag(void)
{
	struct pkt_spec s = stamp_v4_qinq;
	struct pkt p;

	build(&p, &s);
	expect_probe(&p, &cfg_default, SRTT_PROBE_STAMP, SRTT_DIR_FWD, 3, 5,
		     SRTT_REC_F_VLAN);
	s.tags = TAGS_DOUBLE_8021Q;
	build(&p, &s);
	expect_probe(&p, &cfg_default, SRTT_PROBE_STAMP, SRTT_DIR_FWD, 3, 5,
		     SRTT_REC_F_VLAN);
}

static void stamp_custom_port(void)
{
	struct srtt_cls_cfg cfg = { .stamp_port = 5000 };
	struct srtt_cls_cfg off = { .stamp_port = 0 };
	struct pkt_spec s = stamp_v4;
	struct pkt p;

	s.dport = 5000;
	build(&p, &s);
	expect_probe(&p, &cfg, SRTT_PROBE_STAMP, SRTT_DIR_FWD, 0x5a5a,
		     0x01020304, 0);
	expect_ret(&p, &cfg_default, SRTT_CLS_NONE);
	build(&p, &stamp_v4);
	expect_ret(&p, &cfg, SRTT_CLS_NONE);

	/* Port 0 in the configuration turns STAMP off, even for port 0. */
	s.dport = 0;
	build(&p, &s);
	expect_ret(&p, &off, SRTT_CLS_NONE);
}

static void stamp_both_ports_is_forward(void)
{
	struct pkt_spec s = stamp_v4;
	struct pkt p;

	s.sport = SRTT_STAMP_PORT;
	build(&p, &s);
	expect_probe(&p, &cfg_default, SRTT_PROBE_STAMP, SRTT_DIR_FWD,
		     0x5a5a, 0x01020304, 0);
}

static void stamp_with_ip_options_and_trailer(void)
{
	struct pkt_spec s = stamp_v4_reflector;
	struct pkt p;

	s.ihl = 15;
	s.trailer = 4;
	build(&p, &s);
	expect_probe(&p, &cfg_default, SRTT_PROBE_STAMP, SRTT_DIR_REV,
		     0x5a5a, 0x01020304, 0);
}

static void stamp_payload_short_is_bad(void)
{
	struct pkt_spec s = stamp_v4;
	struct pkt p;

	s.payload = SRTT_STAMP_BASE_LEN - 1;
	build(&p, &s);
	expect_ret(&p, &cfg_default, SRTT_CLS_BAD);
	s.ipv6 = 1;
	build(&p, &s);
	expect_ret(&p, &cfg_default, SRTT_CLS_BAD);

	/* Long enough for the IP header, not for the UDP length field. */
	build(&p, &stamp_v4);
	put16(p.b + p.l4 + 4, 8 + SRTT_STAMP_BASE_LEN - 1);
	expect_ret(&p, &cfg_default, SRTT_CLS_BAD);
	put16(p.b + p.l4 + 4, 0);
	expect_ret(&p, &cfg_default, SRTT_CLS_BAD);

	/* Exactly 44 bytes is a probe. */
	s = stamp_v4;
	s.payload = SRTT_STAMP_BASE_LEN;
	build(&p, &s);
	expect_ret(&p, &cfg_default, SRTT_CLS_PROBE);
}

static void stamp_udp_length_lies_is_bad(void)
{
	struct pkt p;

	build(&p, &stamp_v4);
	put16(p.b + p.l4 + 4, 8 + SRTT_STAMP_BASE_LEN + 1);
	expect_ret(&p, &cfg_default, SRTT_CLS_BAD);
	build(&p, &stamp_v6);
	put16(p.b + p.l4 + 4, 8 + SRTT_STAMP_BASE_LEN + 1);
	expect_ret(&p, &cfg_default, SRTT_CLS_BAD);
}

static void stamp_buffer_cut_is_short(void)
{
	struct pkt p;

	/* Headers say 44 bytes; the buffer ends inside the SSID. */
	build(&p, &stamp_v4);
	p.len = p.l4 + 8 + 15;
	expect_ret(&p, &cfg_default, SRTT_CLS_SHORT);
	/* The reflector key needs the Session-Sender Sequence Number. */
	build(&p, &stamp_v4_reflector);
	p.len = p.l4 + 8 + 27;
	expect_ret(&p, &cfg_default, SRTT_CLS_SHORT);
	p.len = p.l4 + 8 + 28;
	expect_ret(&p, &cfg_default, SRTT_CLS_PROBE);
}

/*
 * IHL is honoured to find the ports or the ICMP type; when what is found
 * there makes the packet a candidate, an impossible IHL makes it BAD.
 */
static void ipv4_ihl_lies(void)
{
	struct pkt p;

	/* IHL 15 (60 bytes) in a 72-byte packet whose total length says 40 */
	build(&p, &stamp_v4);
	p.b[p.l3] = 0x4f;
	put16(p.b + p.l3 + 2, 40);
	put16(p.b + p.l3 + 60 + 2, SRTT_STAMP_PORT);
	expect_ret(&p, &cfg_default, SRTT_CLS_BAD);
	/* The same with no STAMP port at offset 60: not a candidate */
	put16(p.b + p.l3 + 60 + 2, 53);
	expect_ret(&p, &cfg_default, SRTT_CLS_NONE);
	/* A real 60-byte header and a good STAMP packet, total length 40 */
	{
		struct pkt_spec s = stamp_v4;

		s.ihl = 15;
		build(&p, &s);
		expect_ret(&p, &cfg_default, SRTT_CLS_PROBE);
		put16(p.b + p.l3 + 2, 40);
		expect_ret(&p, &cfg_default, SRTT_CLS_BAD);
	}

	/* IHL 4: the "ports" are the destination address, 10.0.3.94 */
	build(&p, &stamp_v4);
	p.b[p.l3] = 0x44;
	put16(p.b + p.l3 + 18, SRTT_STAMP_PORT);
	expect_ret(&p, &cfg_default, SRTT_CLS_BAD);
	/* IHL 1: the ICMP "type" is the IP ID's first byte, here 8 */
	build(&p, &icmp_req);
	p.b[p.l3] = 0x41;
	put16(p.b + p.l3 + 4, 0x0800);
	expect_ret(&p, &cfg_default, SRTT_CLS_BAD);
	/* IHL 0: the "type" is the version/IHL byte, never an echo type */
	p.b[p.l3] = 0x40;
	expect_ret(&p, &cfg_default, SRTT_CLS_NONE);

	/* IHL 15, total length fine, buffer ends inside the options */
	build(&p, &stamp_v4);
	p.b[p.l3] = 0x4f;
	put16(p.b + p.l3 + 2, 60 + 8 + SRTT_STAMP_BASE_LEN);
	p.len = p.l3 + 40;
	expect_ret(&p, &cfg_default, SRTT_CLS_SHORT);
	/* Total length shorter than the header plus UDP: BAD */
	build(&p, &stamp_v4);
	put16(p.b + p.l3 + 2, 24);
	expect_ret(&p, &cfg_default, SRTT_CLS_BAD);
	/* Version is not 4 behind an IPv4 EtherType */
	build(&p, &stamp_v4);
	p.b[p.l3] = 0x65;
	expect_ret(&p, &cfg_default, SRTT_CLS_NONE);
	build(&p, &stamp_v6);
	p.b[p.l3] = 0x45;
	expect_ret(&p, &cfg_default, SRTT_CLS_NONE);
}

static void ipv4_fragments(void)
{
	struct pkt_spec s = stamp_v4;
	struct pkt p;

	s.frag = 185;		/* offset 1480, no L4 header */
	build(&p, &s);
	expect_ret(&p, &cfg_default, SRTT_CLS_NONE);
	s.frag = 0x2000 | 185;
	build(&p, &s);
	expect_ret(&p, &cfg_default, SRTT_CLS_NONE);
	s = icmp_req;
	s.frag = 1;
	build(&p, &s);
	expect_ret(&p, &cfg_default, SRTT_CLS_NONE);

	/* First fragment: the UDP length covers the whole datagram. */
	s = stamp_v4;
	s.frag = 0x2000;
	build(&p, &s);
	put16(p.b + p.l4 + 4, 3000);
	expect_probe(&p, &cfg_default, SRTT_PROBE_STAMP, SRTT_DIR_FWD,
		     0x5a5a, 0x01020304, 0);
	/* Same without MF: the UDP length lies. */
	p.b[p.l3 + 6] = 0;
	expect_ret(&p, &cfg_default, SRTT_CLS_BAD);
	/* DF is not a fragment at all. */
	s.frag = 0x4000;
	build(&p, &s);
	expect_ret(&p, &cfg_default, SRTT_CLS_PROBE);
}

static void not_probes(void)
{
	struct pkt_spec s;
	struct pkt p;

	build(&p, &udp_dns);
	expect_ret(&p, &cfg_default, SRTT_CLS_NONE);
	s = udp_dns;
	s.ipv6 = 1;
	s.tags = TAGS_8021Q;
	build(&p, &s);
	expect_ret(&p, &cfg_default, SRTT_CLS_NONE);
	build(&p, &tcp_862);
	expect_ret(&p, &cfg_default, SRTT_CLS_NONE);
	s = tcp_862;
	s.ipv6 = 1;
	build(&p, &s);
	expect_ret(&p, &cfg_default, SRTT_CLS_NONE);
	build_arp(&p);
	expect_ret(&p, &cfg_default, SRTT_CLS_NONE);
	/* IPv6 extension header before UDP: not parsed (documented). */
	build(&p, &stamp_v6);
	p.b[p.l3 + 6] = 0;
	expect_ret(&p, &cfg_default, SRTT_CLS_NONE);
	/* Unknown EtherType behind a VLAN tag */
	build(&p, &stamp_v6_vlan_reflector);
	put16(p.b + 16, 0x88cc);
	expect_ret(&p, &cfg_default, SRTT_CLS_NONE);
}

static void icmp_echo(void)
{
	struct pkt_spec s = icmp_req;
	struct pkt p;

	build(&p, &s);
	expect_probe(&p, &cfg_default, SRTT_PROBE_ICMP, SRTT_DIR_FWD,
		     0x1c2d, 17, 0);
	s.icmp_type = 0;
	s.tags = TAGS_8021Q;
	build(&p, &s);
	expect_probe(&p, &cfg_default, SRTT_PROBE_ICMP, SRTT_DIR_REV,
		     0x1c2d, 17, SRTT_REC_F_VLAN);
	/* A minimal echo (no data) in a 60-byte padded frame */
	s = icmp_req;
	s.payload = 0;
	build(&p, &s);
	put16(p.b + p.l3 + 2, 28);
	p.len = 60;
	expect_probe(&p, &cfg_default, SRTT_PROBE_ICMP, SRTT_DIR_FWD,
		     0x1c2d, 17, 0);
}

static void icmpv6_echo(void)
{
	struct pkt_spec s = icmp6_rep;
	struct pkt p;

	build(&p, &s);
	expect_probe(&p, &cfg_default, SRTT_PROBE_ICMPV6, SRTT_DIR_REV,
		     0x1c2e, 65535, SRTT_REC_F_IPV6);
	s.icmp_type = 128;
	build(&p, &s);
	expect_probe(&p, &cfg_default, SRTT_PROBE_ICMPV6, SRTT_DIR_FWD,
		     0x1c2e, 65535, SRTT_REC_F_IPV6);
	/* ICMPv4 type numbers mean nothing in ICMPv6 and vice versa */
	s.icmp_type = 8;
	build(&p, &s);
	expect_ret(&p, &cfg_default, SRTT_CLS_NONE);
	s = icmp_req;
	s.icmp_type = 128;
	build(&p, &s);
	expect_ret(&p, &cfg_default, SRTT_CLS_NONE);
}

static void icmp_not_echo(void)
{
	struct pkt_spec s = icmp_req;
	struct pkt p;

	s.icmp_type = 3;	/* destination unreachable */
	build(&p, &s);
	expect_ret(&p, &cfg_default, SRTT_CLS_NONE);
	s.icmp_type = 11;	/* time exceeded */
	build(&p, &s);
	expect_ret(&p, &cfg_default, SRTT_CLS_NONE);
	s = icmp6_rep;
	s.icmp_type = 135;	/* neighbour solicitation */
	build(&p, &s);
	expect_ret(&p, &cfg_default, SRTT_CLS_NONE);
	s.icmp_type = 1;	/* destination unreachable */
	build(&p, &s);
	expect_ret(&p, &cfg_default, SRTT_CLS_NONE);
}

static void icmp_echo_header_cut_is_bad(void)
{
	struct pkt p;

	/* IP says 4 bytes of ICMP; the buffer holds more (padding) */
	build(&p, &icmp_req);
	put16(p.b + p.l3 + 2, 20 + 4);
	expect_ret(&p, &cfg_default, SRTT_CLS_BAD);
	build(&p, &icmp6_rep);
	put16(p.b + p.l3 + 4, 7);
	expect_ret(&p, &cfg_default, SRTT_CLS_BAD);
}

/* Every packet the tests know, for the prefix test and the corpus. */
struct named_pkt {
	const char *name;
	struct pkt p;
};

static int all_packets(struct named_pkt *out)
{
	static const struct {
		const char *name;
		const struct pkt_spec *spec;
	} specs[] = {
		{ "stamp_ipv4_sender", &stamp_v4 },
		{ "stamp_ipv4_reflector", &stamp_v4_reflector },
		{ "stamp_ipv6_sender", &stamp_v6 },
		{ "stamp_ipv6_vlan_reflector", &stamp_v6_vlan_reflector },
		{ "stamp_ipv4_qinq", &stamp_v4_qinq },
		{ "icmp_echo_request", &icmp_req },
		{ "icmpv6_echo_reply", &icmp6_rep },
		{ "udp_dns", &udp_dns },
		{ "tcp_syn_862", &tcp_862 },
	};
	struct pkt_spec s;
	int n = 0;
	size_t i;

	for (i = 0; i < sizeof(specs) / sizeof(specs[0]); i++) {
		out[n].name = specs[i].name;
		build(&out[n++].p, specs[i].spec);
	}
	s = stamp_v4_reflector;
	s.tags = TAGS_QINQ;
	s.ihl = 15;
	out[n].name = "stamp_ipv4_qinq_options_reflector";
	build(&out[n++].p, &s);
	s = stamp_v4;
	s.frag = 0x2000 | 100;
	out[n].name = "ipv4_fragment";
	build(&out[n++].p, &s);
	out[n].name = "arp";
	build_arp(&out[n++].p);
	return n;
}

#define MAX_NAMED	16

/*
 * Cut each packet at every length: the result is SHORT or the whole
 * packet's result with the same key, and nothing is read past the cut.
 */
static void truncated_at_every_length(void)
{
	static struct named_pkt pkts[MAX_NAMED];
	int n = all_packets(pkts), i, probes = 0;
	struct result full, r;
	uint32_t cut;

	for (i = 0; i < n; i++) {
		const struct pkt *p = &pkts[i].p;

		full = classify_n(p->b, p->len, &cfg_default);
		probes += full.ret == SRTT_CLS_PROBE;
		for (cut = 0; cut < p->len; cut++) {
			r = classify_n(p->b, cut, &cfg_default);
			if (r.ret == SRTT_CLS_SHORT &&
			    !memcmp(&r.key, &key_poison, sizeof(r.key)))
				continue;
			if (r.ret == full.ret &&
			    !memcmp(&r.key, &full.key, sizeof(r.key)) &&
			    r.flags == full.flags)
				continue;
			KTAP_EXPECT(0, "%s cut at %u: %s, whole packet %s",
				    pkts[i].name, cut, res_name(r.ret),
				    res_name(full.ret));
			break;
		}
	}
	/* The set really exercises probes, not only NONE. */
	KTAP_EXPECT_EQ(probes, 8);
}

/* Nothing past SRTT_CLS_MAX_LEN matters, and the worst case needs it all. */
static void max_len_is_exact(void)
{
	static struct named_pkt pkts[MAX_NAMED];
	int n = all_packets(pkts), i;
	struct result full, r;
	struct pkt_spec s;
	struct pkt p;

	for (i = 0; i < n; i++) {
		const struct pkt *q = &pkts[i].p;

		if (q->len <= SRTT_CLS_MAX_LEN)
			continue;
		full = classify_n(q->b, q->len, &cfg_default);
		r = classify_n(q->b, SRTT_CLS_MAX_LEN, &cfg_default);
		KTAP_EXPECT(r.ret == full.ret && !memcmp(&r.key, &full.key,
							 sizeof(r.key)),
			    "%s: %s at SRTT_CLS_MAX_LEN, %s in full",
			    pkts[i].name, res_name(r.ret), res_name(full.ret));
	}
	s = stamp_v4_reflector;
	s.tags = TAGS_QINQ;
	s.ihl = 15;
	build(&p, &s);
	KTAP_EXPECT_EQ(p.l4 + 8 + 28, SRTT_CLS_MAX_LEN);
	r = classify_n(p.b, SRTT_CLS_MAX_LEN - 1, &cfg_default);
	EXPECT_RES(r.ret, SRTT_CLS_SHORT);
	r = classify_n(p.b, SRTT_CLS_MAX_LEN, &cfg_default);
	EXPECT_RES(r.ret, SRTT_CLS_PROBE);
	KTAP_EXPECT_EQ(r.key.seq, s.seq);
}

static int write_corpus(const char *dir)
{
	static struct named_pkt pkts[MAX_NAMED];
	int n = all_packets(pkts), i;
	char path[4096];
	FILE *f;

	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, pkts[i].name);
		f = fopen(path, "wb");
		if (!f || fwrite(pkts[i].p.b, 1, pkts[i].p.len, f) !=
			  pkts[i].p.len || fclose(f)) {
			fprintf(stderr, "cannot write %s: %s\n", path,
				strerror(errno));
			return 1;
		}
	}
	return 0;
}

static const struct ktap_case cases[] = {
	KTAP_CASE(stamp_ipv4_sender),
	KTAP_CASE(stamp_ipv4_reflector),
	KTAP_CASE(stamp_ipv6_sender),
	KTAP_CASE(stamp_ipv6_vlan_reflector),
	KTAP_CASE(stamp_ipv4_qinq_and_double_tag),
	KTAP_CASE(stamp_custom_port),
	KTAP_CASE(stamp_both_ports_is_forward),
	KTAP_CASE(stamp_with_ip_options_and_trailer),
	KTAP_CASE(stamp_payload_short_is_bad),
	KTAP_CASE(stamp_udp_length_lies_is_bad),
	KTAP_CASE(stamp_buffer_cut_is_short),
	KTAP_CASE(ipv4_ihl_lies),
	KTAP_CASE(ipv4_fragments),
	KTAP_CASE(not_probes),
	KTAP_CASE(icmp_echo),
	KTAP_CASE(icmpv6_echo),
	KTAP_CASE(icmp_not_echo),
	KTAP_CASE(icmp_echo_header_cut_is_bad),
	KTAP_CASE(truncated_at_every_length),
	KTAP_CASE(max_len_is_exact),
};

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "--write-corpus"))
		return write_corpus(argv[2]);
	if (argc != 1) {
		fprintf(stderr, "usage: %s [--write-corpus DIR]\n", argv[0]);
		return 2;
	}
	return KTAP_RUN(cases);
}
