/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sriov_rtt: STAMP codec. RFC 8762 (Simple Two-Way Active Measurement
 * Protocol) unauthenticated mode with the RFC 8972 Session-Sender
 * Identifier (SSID) and TLVs, plus the three TLVs sriov_rtt defines in the
 * experimental range. Plain C, no I/O: the same source serves the
 * reflector, the session-sender, the unit tests and the fuzz target.
 *
 * Every multi-byte field on the wire is in network byte order. Every
 * decoder takes (buf, len), reads nothing outside it, and says what is
 * wrong through a negative SRTT_STAMP_E* code (srtt_stamp_strerror()).
 *
 * Wire formats (offsets in bytes from the start of the UDP payload)
 * ---------------------------------------------------------------------
 *
 * Session-sender test packet, RFC 8762 section 4.2.1 + RFC 8972 section 3:
 *
 *    0  u32  Sequence Number
 *    4  u64  Timestamp (T1): NTP 32.32, or PTPv2 truncated when Z is set
 *   12  u16  Error Estimate
 *   14  u16  SSID
 *   16  28   MBZ
 *   44  ...  TLVs
 *
 * Session-reflector test packet, RFC 8762 section 4.3.1 + RFC 8972:
 *
 *    0  u32  Sequence Number (stateless: the sender's; stateful: own count)
 *    4  u64  Timestamp (T3)
 *   12  u16  Error Estimate
 *   14  u16  SSID (copied from the sender's packet)
 *   16  u64  Receive Timestamp (T2)
 *   24  u32  Session-Sender Sequence Number
 *   28  u64  Session-Sender Timestamp
 *   36  u16  Session-Sender Error Estimate
 *   38  u16  MBZ
 *   40  u8   Session-Sender TTL (IPv4 TTL / IPv6 Hop Limit as received)
 *   41  3    MBZ
 *   44  ...  TLVs
 *
 * Both bases are 44 bytes, so the TLVs of a request and its reply start at
 * the same offset.
 *
 * Error Estimate (RFC 4656 section 4.1.2, Z from RFC 8186 / RFC 8762):
 *
 *   bit 15 S  clock synchronised to UTC
 *   bit 14 Z  timestamp format: 0 NTP 64-bit, 1 PTPv2 truncated 64-bit
 *   13..8     Scale (6 bits)
 *    7..0     Multiplier (8 bits, never 0)
 *   error = Multiplier * 2^(Scale - 32) seconds
 *
 * TLV (RFC 8972 section 4):
 *
 *    0  u8   Flags: 0x80 U (unrecognized), 0x40 M (malformed),
 *                   0x20 I (integrity), the rest reserved
 *    1  u8   Type
 *    2  u16  Length of the value (not counting this 4-byte header)
 *    4  ...  Value
 *
 * Session-reflector TLV processing (srtt_stamp_reflect(), RFC 8972 sec. 4):
 * the reply carries every TLV of the request, in order, at the same place
 * and with the same length. A TLV of a type the reflector does not
 * understand is copied with U set. A TLV of a type it understands has U
 * cleared, and M set when its length is not valid for the type (the value
 * is then copied unchanged). A TLV whose header or value runs past the end
 * of the packet is malformed: M is set on it, processing stops, and the
 * rest of the packet is copied unchanged. The reply is never longer than
 * the request; a 44-byte request gets a 44-byte RFC 8762 reply.
 *
 * sriov_rtt TLVs (types 240-242, the RFC 8972 "Experimental Use" range)
 * ---------------------------------------------------------------------
 *
 * As with the RFC 8972 Timestamp Information and Follow-Up Telemetry TLVs,
 * the session-sender asks for one by including it with a zeroed value of
 * the size it wants back; the reflector fills that value in place. So a
 * request always says how many bytes the answer may use, the reply is the
 * request's size, and a third-party sender never sees a TLV it did not ask
 * for. Entries that do not fit in the room given are dropped and counted
 * as such (TRUNCATED); nothing else about the TLV changes.
 *
 * A stage entry (20 bytes), used by types 240 and 241:
 *
 *    0  u8   stage: enum srtt_stage (module/uapi/linux/sriov_rtt.h)
 *    1  u8   flags: the low byte of the record's SRTT_REC_F_* flags
 *    2  u16  reserved, zero
 *    4  u64  ts_ns: CLOCK_MONOTONIC of the reflector's kernel
 *   12  u64  hwts:  PHC time in ns, valid when flags has SRTT_REC_F_HWTS
 *
 * Type 240, SRTT_STAMP_TLV_GUEST_STAGES: the reflector's clock bracket
 * for this reply, and the reflector kernel's stage stamps of this request
 * (key: SSID, Session-Sender Sequence Number, direction forward) when it
 * has them before it replies. sriov-rtt-reflector replies first: the
 * stages are in its kernel's records only after the reply has gone, so
 * it sets DEFERRED, count 0, and sends them in the FOLLOW_UP TLVs of
 * later replies. Length 24 + 20 * room, room >= 0:
 *
 *    0  u64  mono_ns: CLOCK_MONOTONIC, middle of the clock bracket
 *    8  u64  real_ns: CLOCK_REALTIME, read between the two MONOTONIC reads
 *   16  u32  half_width_ns: half the bracket's width, the error of
 *            converting between the two clocks with (mono_ns, real_ns)
 *   20  u8   count: entries that follow
 *   21  u8   flags: SRTT_STAMP_GS_F_NO_SOURCE (no stage source in the
 *            reflector's kernel: module not loaded or records not
 *            readable), SRTT_STAMP_GS_F_TRUNCATED (entries dropped),
 *            SRTT_STAMP_GS_F_LOST (records were lost in that kernel
 *            since the session's previous reply: a missing stage may be
 *            a lost one), SRTT_STAMP_GS_F_DEFERRED (the stages of this
 *            request follow in FOLLOW_UP TLVs of later replies)
 *   22  u16  flush_us: how long the reflector waited for its kernel's
 *            records of this request (a records flush) before replying,
 *            in us, 65535 meaning that or more; part of T3 - T2. 0: none
 *            (sriov-rtt-reflector never waits).
 *   24  20 * count stage entries; the rest of the value stays zero
 *
 * T2 and T3 are CLOCK_REALTIME, the stage stamps CLOCK_MONOTONIC: the
 * bracket converts one into the other:
 *   mono(t_real) = t_real - real_ns + mono_ns  +- half_width_ns.
 *
 * Type 241, SRTT_STAMP_TLV_FOLLOW_UP: what the reflector learnt about an
 * EARLIER reply in this session only after that reply had left: its
 * precise transmit stamps, and the kernel's stages of it: the RX stages of
 * its request (key direction forward) and the TX stages of the reply
 * (tx_drv, tx_drv_done, tx_done, ...; direction reverse), both keyed by
 * SSID and that reply's Session-Sender Sequence Number; the entries' stage
 * numbers tell the two apart. The first FOLLOW_UP TLV of a request is
 * answered about the session's previous reply, a second one about the
 * oldest of the five replies before it that had no RX or no TX stage
 * when it was last described, or else the reply before the previous
 * one: every reply's stages arrive at least twice, one lost reply loses
 * none, and a reflector behind its kernel's records still catches up (the
 * later copy may hold stages the first did not have yet, tx_done most
 * often). A request that carries FOLLOW_UP TLVs
 * but no GUEST_STAGES is a trailer (it asks for what is left, and its own
 * times are not used): the reflector may bring its kernel's records in
 * before it answers. Length 32 + 20 * room:
 *
 *    0  u32  ss_seq: Session-Sender Sequence Number of the reply described
 *    4  u8   count: entries that follow
 *    5  u8   flags: SRTT_STAMP_FU_F_* below; without VALID (no earlier
 *            reply in this session) every other field is zero
 *    6  u16  reserved, zero
 *    8  u64  tx_sw_ns: SO_TIMESTAMPING software TX stamp of that reply,
 *            CLOCK_REALTIME ns since 1970: the precise T3 (the reply
 *            itself carried the time read just before sendmsg())
 *   16  u64  tx_hw_ns: hardware TX stamp of that reply, PHC ns
 *   24  u64  rx_hw_ns: hardware RX stamp of that reply's request, PHC ns
 *   32  20 * count stage entries; the rest of the value stays zero
 *
 * The entries are CLOCK_MONOTONIC; convert them with the bracket of the
 * GUEST_STAGES TLV of the reply they describe.
 *
 * Type 242, SRTT_STAMP_TLV_BOOT_ID: exactly 16 bytes, the reflector's
 * /proc/sys/kernel/random/boot_id, the UUID's bytes in text order. The
 * same boot id at both ends means one kernel and one clock: offset 0.
 *
 * Type 243, SRTT_STAMP_TLV_HOST_CLOCK: exactly 24 bytes, the reflector's
 * CLOCK_MONOTONIC against its hypervisor's CLOCK_REALTIME, read through
 * the KVM PTP clock (ptp_kvm) when the reflector's kernel has one:
 *
 *    0  u64  mono_ns: CLOCK_MONOTONIC, middle of the bracket
 *    8  u64  host_real_ns: the hypervisor's CLOCK_REALTIME, read between
 *            the two MONOTONIC reads
 *   16  u32  half_width_ns: half the bracket's width
 *   20  u8   flags: SRTT_STAMP_HC_F_NO_SOURCE (no ptp_kvm clock; the rest
 *            is zero)
 *   21  3 bytes reserved, zero
 *
 * A session-sender on that hypervisor has the clock offset from it with
 * its error: theta = mono_ns - its own MONOTONIC at host_real_ns.
 *
 * Type 244, SRTT_STAMP_TLV_NOTIFY: the notifications the reflector's side
 * took during the session, from its kernel's module: interrupts on each
 * attached device's vectors and the device's NAPI polls, and the
 * device's interrupt moderation (ethtool -c). The reflector reads the
 * counters once after the session's first reply that asked for stages,
 * and answers this TLV in a trailer only (it reads them again before it
 * replies: the trailer's times are not used); in any other request it
 * sets NOT_TRAILER and reads nothing. Length 8 + 52 * room:
 *
 *    0  u32  requests: the session's requests from the one after that
 *            first reply to this trailer, both included
 *    4  u8   count: entries that follow
 *    5  u8   flags: SRTT_STAMP_NT_F_NO_SOURCE (no module counters: the
 *            module is not loaded, or no baseline), SRTT_STAMP_NT_F_TRUNCATED
 *            (devices dropped), SRTT_STAMP_NT_F_NOT_TRAILER
 *    6  u16  reserved, zero
 *    8  52 * count device entries; the rest of the value stays zero:
 *
 *    0  16 bytes ifname, NUL-padded
 *   16  u64  irqs: interrupts on the device's vectors (RX and TX)
 *   24  u64  napi_polls
 *   32  u8   moderation: which values follow (SRTT_CO_* of lib/notify.h:
 *            rx-usecs 0x01, rx-frames 0x02, tx-usecs 0x04, tx-frames
 *            0x08, adaptive-rx 0x10, adaptive-tx 0x20)
 *   33  u8   moderation_err: 0, or why the moderation is not reported
 *            (an errno: EOPNOTSUPP the driver has none)
 *   34  u8   adaptive: 0x01 adaptive-rx on, 0x02 adaptive-tx on
 *   35  u8   reserved, zero
 *   36  u32  rx_usecs, 40 u32 rx_frames, 44 u32 tx_usecs, 48 u32 tx_frames
 */
#ifndef _SRTT_STAMP_H
#define _SRTT_STAMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define SRTT_STAMP_HLEN		44	/* either base packet */
#define SRTT_STAMP_MAX_LEN	65507	/* largest UDP payload over IPv4 */
#define SRTT_STAMP_TLV_HLEN	4

/* Offsets in the base packets. */
#define SRTT_STAMP_OFF_SEQ	0
#define SRTT_STAMP_OFF_TS	4
#define SRTT_STAMP_OFF_EE	12
#define SRTT_STAMP_OFF_SSID	14
#define SRTT_STAMP_OFF_RX_TS	16
#define SRTT_STAMP_OFF_SS_SEQ	24
#define SRTT_STAMP_OFF_SS_TS	28
#define SRTT_STAMP_OFF_SS_EE	36
#define SRTT_STAMP_OFF_SS_TTL	40

/* TLV flags (RFC 8972 section 4). */
#define SRTT_STAMP_TLV_F_U	0x80
#define SRTT_STAMP_TLV_F_M	0x40
#define SRTT_STAMP_TLV_F_I	0x20

/* TLV types: IANA "STAMP TLV Types" and ours (experimental, 240-251). */
enum srtt_stamp_tlv_type {
	SRTT_STAMP_TLV_PADDING		= 1,	/* Extra Padding, RFC 8972 */
	SRTT_STAMP_TLV_LOCATION		= 2,
	SRTT_STAMP_TLV_TS_INFO		= 3,
	SRTT_STAMP_TLV_COS		= 4,
	SRTT_STAMP_TLV_DIRECT		= 5,
	SRTT_STAMP_TLV_ACCESS_REPORT	= 6,
	SRTT_STAMP_TLV_FOLLOW_UP_TELEM	= 7,
	SRTT_STAMP_TLV_HMAC		= 8,
	SRTT_STAMP_TLV_GUEST_STAGES	= 240,	/* sriov_rtt guest stages */
	SRTT_STAMP_TLV_FOLLOW_UP	= 241,	/* sriov_rtt follow-up */
	SRTT_STAMP_TLV_BOOT_ID		= 242,	/* sriov_rtt boot id */
	SRTT_STAMP_TLV_HOST_CLOCK	= 243,	/* sriov_rtt hypervisor clock */
	SRTT_STAMP_TLV_NOTIFY		= 244,	/* sriov_rtt notifications */
};

/* Error codes: negative returns of the decoders. */
enum srtt_stamp_err {
	SRTT_STAMP_OK		= 0,
	SRTT_STAMP_ESHORT	= 1,	/* shorter than the 44-byte base */
	SRTT_STAMP_ELONG	= 2,	/* longer than SRTT_STAMP_MAX_LEN */
	SRTT_STAMP_ETLV		= 3,	/* a TLV header or value runs past the end */
	SRTT_STAMP_EGARBAGE	= 4,	/* strict: a field the RFCs forbid, see anomalies */
	SRTT_STAMP_ETLVLEN	= 5,	/* our TLV: length not valid for its type */
	SRTT_STAMP_ESPACE	= 6,	/* encoder: the buffer is too small */
	SRTT_STAMP_ERANGE	= 7,	/* a time that the format cannot hold */
};

const char *srtt_stamp_strerror(int err);

/* ---- timestamps ---- */

/* Seconds from the NTP epoch (1900) to the Unix epoch (1970). */
#define SRTT_STAMP_NTP_UNIX_OFFSET	2208988800ULL

/*
 * NTP 64-bit: seconds since 1900 (high 32 bits) and a binary fraction.
 * The seconds wrap on 2036-02-07; decoding maps seconds below the Unix
 * epoch offset to era 1, so a decoded time lies in [1970, 2106).
 * Fraction <-> ns rounds to nearest, and ns -> NTP -> ns is exact.
 */
uint64_t srtt_stamp_ntp_from_timespec(const struct timespec *ts);
void srtt_stamp_ntp_to_timespec(uint64_t ntp, struct timespec *ts);

/*
 * PTPv2 truncated (RFC 8877): seconds (high 32 bits) and nanoseconds (low
 * 32 bits) since the PTP epoch 1970; the caller owns the TAI-UTC offset.
 * Decoding fails with -SRTT_STAMP_ERANGE if the nanoseconds are >= 10^9.
 */
uint64_t srtt_stamp_ptp_from_timespec(const struct timespec *ts);
int srtt_stamp_ptp_to_timespec(uint64_t ptp, struct timespec *ts);

/* A STAMP timestamp in the format its Error Estimate's Z bit names. */
int srtt_stamp_ts_to_timespec(uint64_t ts, uint16_t ee, struct timespec *out);
uint64_t srtt_stamp_ts_from_timespec(const struct timespec *ts, uint16_t ee);

/* ns since 1970 of a timespec, saturating; 0 for times before 1970 */
uint64_t srtt_stamp_timespec_ns(const struct timespec *ts);

/* ---- Error Estimate ---- */

#define SRTT_STAMP_EE_S			0x8000
#define SRTT_STAMP_EE_Z			0x4000
#define SRTT_STAMP_EE_SCALE(ee)		(((ee) >> 8) & 0x3f)
#define SRTT_STAMP_EE_MULT(ee)		((ee) & 0xff)

/*
 * The Error Estimate for an error bound of @bound_ns: the smallest Scale
 * whose Multiplier (rounded up, at least 1) fits in 8 bits, so the value
 * it stands for is >= the bound and, for bounds of 1 us and more,
 * < 1.01 times it. 0 encodes as the smallest error (Multiplier 1, Scale
 * 0, 0.23 ns); bounds beyond what 6 bits of Scale reach saturate.
 */
uint16_t srtt_stamp_ee_encode(uint64_t bound_ns, bool synchronized, bool ptp);

/*
 * This host's Error Estimate for CLOCK_REALTIME stamps, RFC 4656 4.1.2:
 * S when the kernel's NTP state says the clock is synchronized to an
 * external source (adjtimex(): not TIME_ERROR, no STA_UNSYNC; ntpd,
 * chronyd and linuxptp's phc2sys keep that state), and the error the
 * kernel keeps for it (esterror) plus the clock's resolution. An
 * unsynchronized clock's esterror is what the kernel says of it (16 s
 * when nothing ever set it). srtt_stamp_ee_local() reads adjtimex() and
 * clock_getres(); srtt_stamp_ee_from_timex() is its pure part (@state:
 * adjtimex()'s return, negative when it failed). *@bound_ns (may be NULL)
 * gets the error in ns.
 */
#define SRTT_STAMP_EE_UNSYNC_NS	16000000000ULL	/* NTP_PHASE_LIMIT, 16 s */
uint16_t srtt_stamp_ee_from_timex(int state, int status, long esterror_us,
				  uint64_t res_ns, uint64_t *bound_ns);
uint16_t srtt_stamp_ee_local(uint64_t *bound_ns);

/* The error an Error Estimate stands for, in ns rounded up (saturating);
 * UINT64_MAX when the Multiplier is 0, which RFC 4656 forbids. */
uint64_t srtt_stamp_ee_ns(uint16_t ee);

/* ---- base packets ---- */

/* Anomalies: fields the RFCs forbid but tell receivers to ignore. */
#define SRTT_STAMP_A_MBZ	0x1	/* an MBZ byte is not zero */
#define SRTT_STAMP_A_EE		0x2	/* Error Estimate Multiplier is 0 */
#define SRTT_STAMP_A_TS		0x4	/* PTP timestamp with ns >= 10^9 */

/* Decoder flags. */
#define SRTT_STAMP_STRICT	0x1	/* anomalies are -SRTT_STAMP_EGARBAGE */

struct srtt_stamp_sender {
	uint32_t	seq;
	uint64_t	ts;		/* raw, format per ee's Z bit */
	uint16_t	ee;
	uint16_t	ssid;
	/* decoder output only */
	const uint8_t	*tlv;		/* the TLV area inside the buffer */
	size_t		tlv_len;
	unsigned int	anomalies;	/* SRTT_STAMP_A_* */
};

struct srtt_stamp_reflector {
	uint32_t	seq;
	uint64_t	ts;		/* T3 */
	uint16_t	ee;
	uint16_t	ssid;
	uint64_t	rx_ts;		/* T2, same format as ts */
	uint32_t	ss_seq;
	uint64_t	ss_ts;		/* T1 as the sender wrote it */
	uint16_t	ss_ee;
	uint8_t		ss_ttl;
	/* decoder output only */
	const uint8_t	*tlv;
	size_t		tlv_len;
	unsigned int	anomalies;
};

/*
 * Decoders: 0 and *out filled, or a negative SRTT_STAMP_E*. With a broken
 * TLV list (-SRTT_STAMP_ETLV) *out is still filled, tlv/tlv_len covering
 * the whole TLV area; everything else leaves *out undefined.
 */
int srtt_stamp_decode_sender(const uint8_t *buf, size_t len,
			     struct srtt_stamp_sender *out, unsigned int flags);
int srtt_stamp_decode_reflector(const uint8_t *buf, size_t len,
				struct srtt_stamp_reflector *out,
				unsigned int flags);

/*
 * TWAMP-Light (RFC 8762 section 4.6). A TWAMP-Light session-sender sends
 * the RFC 5357 unauthenticated test packet: Sequence Number, Timestamp,
 * Error Estimate (14 bytes) and padding, often none; srtt_stamp_reflect()
 * answers one shorter than the base with the 44-byte base reply. A
 * TWAMP-Light reflector answers with the RFC 5357 reflected layout: the
 * STAMP base's fields at the same offsets, MBZ where STAMP has the SSID,
 * 41 bytes (to the Sender TTL) plus padding, or less where it leaves the
 * TTL out, down to the Sender Timestamp at 36 bytes.
 *
 * srtt_stamp_decode_reflector_light() decodes a reply of 36 bytes or more:
 * from 44 bytes on as srtt_stamp_decode_reflector() (no flags); below
 * that the fields present, the rest zero, and *missing says which fields
 * the reply did not carry (SRTT_STAMP_MISSING_*): not visible, not
 * malformed. -SRTT_STAMP_ESHORT below 36 bytes.
 */
#define SRTT_STAMP_LIGHT_LEN		14	/* seq, timestamp, error estimate */
#define SRTT_STAMP_LIGHT_REFL_MIN	36	/* up to the Sender Timestamp */
#define SRTT_STAMP_MISSING_SS_EE	0x1	/* Sender Error Estimate */
#define SRTT_STAMP_MISSING_TTL		0x2	/* Sender TTL */
#define SRTT_STAMP_MISSING_TLVS		0x4	/* no TLV area at all */

int srtt_stamp_decode_reflector_light(const uint8_t *buf, size_t len,
				      struct srtt_stamp_reflector *out,
				      unsigned int *missing);

/* Encoders write the 44-byte base (MBZ zeroed): 44, or -SRTT_STAMP_ESPACE. */
int srtt_stamp_encode_sender(uint8_t *buf, size_t size,
			     const struct srtt_stamp_sender *s);
int srtt_stamp_encode_reflector(uint8_t *buf, size_t size,
				const struct srtt_stamp_reflector *r);

/* ---- TLVs ---- */

struct srtt_stamp_tlv {
	uint8_t		flags;
	uint8_t		type;
	uint16_t	len;		/* value length */
	const uint8_t	*value;
	size_t		off;		/* of the header, from the TLV area */
};

struct srtt_stamp_tlv_iter {
	const uint8_t	*p;
	size_t		len, off;
};

void srtt_stamp_tlv_iter_init(struct srtt_stamp_tlv_iter *it,
			      const uint8_t *tlv, size_t len);

/*
 * Next TLV: 1 and *tlv filled, 0 at the end, -SRTT_STAMP_ETLV when the
 * header or value would run past the end (tlv->off then says where).
 */
int srtt_stamp_tlv_next(struct srtt_stamp_tlv_iter *it,
			struct srtt_stamp_tlv *tlv);

/* Number of well-formed TLVs, or -SRTT_STAMP_ETLV. */
int srtt_stamp_tlv_count(const uint8_t *tlv, size_t len);

/* The first TLV of @type: 1 found, 0 not, -SRTT_STAMP_ETLV before it. */
int srtt_stamp_tlv_find(const uint8_t *tlv, size_t len, uint8_t type,
			struct srtt_stamp_tlv *out);

/*
 * Append a TLV at *off: @value may be NULL for a zeroed value (how a
 * sender asks for one of ours). 0 and *off advanced, or
 * -SRTT_STAMP_ESPACE.
 */
int srtt_stamp_tlv_put(uint8_t *buf, size_t size, size_t *off, uint8_t flags,
		       uint8_t type, const void *value, uint16_t len);

/* ---- sriov_rtt TLVs ---- */

#define SRTT_STAMP_STAGE_LEN		20
#define SRTT_STAMP_GS_HLEN		24
#define SRTT_STAMP_FU_HLEN		32
#define SRTT_STAMP_BOOT_ID_LEN		16
#define SRTT_STAMP_HC_LEN		24
#define SRTT_STAMP_HC_F_NO_SOURCE	0x01
#define SRTT_STAMP_NT_HLEN		8
#define SRTT_STAMP_NT_DEV_LEN		52
#define SRTT_STAMP_NT_LEN(n)	(SRTT_STAMP_NT_HLEN + SRTT_STAMP_NT_DEV_LEN * (n))
#define SRTT_STAMP_NT_F_NO_SOURCE	0x01
#define SRTT_STAMP_NT_F_TRUNCATED	0x02
#define SRTT_STAMP_NT_F_NOT_TRAILER	0x04
#define SRTT_STAMP_STAGES_MAX		32	/* entries a decoder keeps */

/* Value length that leaves room for @n stage entries. */
#define SRTT_STAMP_GS_LEN(n)	(SRTT_STAMP_GS_HLEN + SRTT_STAMP_STAGE_LEN * (n))
#define SRTT_STAMP_FU_LEN(n)	(SRTT_STAMP_FU_HLEN + SRTT_STAMP_STAGE_LEN * (n))

#define SRTT_STAMP_GS_F_NO_SOURCE	0x01
#define SRTT_STAMP_GS_F_TRUNCATED	0x02
#define SRTT_STAMP_GS_F_LOST		0x04	/* records lost: a stage may be missing */
#define SRTT_STAMP_GS_F_DEFERRED	0x08	/* the stages follow in FOLLOW_UP */

#define SRTT_STAMP_FU_F_VALID		0x01	/* describes an earlier reply */
#define SRTT_STAMP_FU_F_TRUNCATED	0x02
#define SRTT_STAMP_FU_F_TX_SW		0x04	/* tx_sw_ns is set */
#define SRTT_STAMP_FU_F_TX_HW		0x08	/* tx_hw_ns is set */
#define SRTT_STAMP_FU_F_RX_HW		0x10	/* rx_hw_ns is set */
#define SRTT_STAMP_FU_F_NO_SOURCE	0x20	/* no stage source */
#define SRTT_STAMP_FU_F_LOST		0x40	/* records lost: a stage may be missing */

struct srtt_stamp_stage {
	uint8_t		stage;		/* enum srtt_stage */
	uint8_t		flags;		/* low byte of SRTT_REC_F_* */
	uint64_t	ts_ns;		/* CLOCK_MONOTONIC */
	uint64_t	hwts;		/* PHC ns */
};

struct srtt_stamp_bracket {
	uint64_t	mono_ns;
	uint64_t	real_ns;
	uint32_t	half_width_ns;
};

struct srtt_stamp_guest_stages {
	struct srtt_stamp_bracket clk;
	uint8_t		flags;		/* SRTT_STAMP_GS_F_* */
	uint8_t		count;
	uint16_t	flush_us;	/* the reflector's records flush */
	struct srtt_stamp_stage st[SRTT_STAMP_STAGES_MAX];
};

struct srtt_stamp_follow_up {
	uint32_t	ss_seq;
	uint8_t		flags;		/* SRTT_STAMP_FU_F_* */
	uint8_t		count;
	uint64_t	tx_sw_ns;
	uint64_t	tx_hw_ns;
	uint64_t	rx_hw_ns;
	struct srtt_stamp_stage st[SRTT_STAMP_STAGES_MAX];
};

/*
 * A CLOCK_MONOTONIC/CLOCK_REALTIME pair read now: the narrowest of three
 * MONOTONIC, REALTIME, MONOTONIC brackets (with srtt_stamp_ee_local(),
 * the only functions here that read a clock). Both ends convert T2/T3 and T1/T4 with it.
 */
void srtt_stamp_clock_bracket(struct srtt_stamp_bracket *b);

/*
 * Fill a value of @len bytes (the room the sender gave) from @in: as many
 * entries as fit, TRUNCATED set when some did not, the rest zeroed.
 * Return the entries written, or -SRTT_STAMP_ETLVLEN when @len is below
 * the fixed part or not the fixed part plus whole entries.
 */
int srtt_stamp_gs_fill(uint8_t *value, size_t len,
		       const struct srtt_stamp_guest_stages *in);
int srtt_stamp_fu_fill(uint8_t *value, size_t len,
		       const struct srtt_stamp_follow_up *in);

/*
 * Decode a value: 0, or -SRTT_STAMP_ETLVLEN when the length does not fit
 * the type or the count claims more entries than the value holds. At most
 * SRTT_STAMP_STAGES_MAX entries are kept (count says how many).
 */
int srtt_stamp_gs_decode(const uint8_t *value, size_t len,
			 struct srtt_stamp_guest_stages *out);
int srtt_stamp_fu_decode(const uint8_t *value, size_t len,
			 struct srtt_stamp_follow_up *out);

/*
 * The HOST_CLOCK value: @b is (mono_ns, the hypervisor's real_ns,
 * half_width_ns). 0, or -SRTT_STAMP_ETLVLEN when @len is not
 * SRTT_STAMP_HC_LEN.
 */
int srtt_stamp_hc_fill(uint8_t *value, size_t len,
		       const struct srtt_stamp_bracket *b, uint8_t flags);
int srtt_stamp_hc_decode(const uint8_t *value, size_t len,
			 struct srtt_stamp_bracket *b, uint8_t *flags);

/*
 * The NOTIFY value: @nt's devices (as many as fit, TRUNCATED set when
 * some did not; NO_SOURCE when @nt->err) and @requests. The decoder
 * fills @nt (err EPROTO for NO_SOURCE) and @requests. 0, or
 * -SRTT_STAMP_ETLVLEN when @len is not 8 plus whole entries, or the
 * count claims more than the value holds.
 */
struct srtt_notify;
int srtt_stamp_nt_fill(uint8_t *value, size_t len,
		       const struct srtt_notify *nt, uint32_t requests,
		       uint8_t flags);
int srtt_stamp_nt_decode(const uint8_t *value, size_t len,
			 struct srtt_notify *nt, uint32_t *requests,
			 uint8_t *flags);

/*
 * boot_id text ("xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", trailing
 * whitespace allowed) -> 16 bytes: 0 or -SRTT_STAMP_EGARBAGE.
 */
int srtt_stamp_boot_id_parse(const char *text, uint8_t out[16]);

/* ---- session-reflector ---- */

/*
 * How the reflector understands one TLV: called with the TLV's type and
 * its value inside the reply, which it may rewrite. Return
 *   SRTT_STAMP_TLV_RECOGNIZED   understood (U cleared),
 *   SRTT_STAMP_TLV_UNKNOWN      not understood (U set, value as received),
 *   SRTT_STAMP_TLV_BADLEN       understood, but the length is not valid
 *                               for the type (M set, value as received).
 */
enum {
	SRTT_STAMP_TLV_UNKNOWN,
	SRTT_STAMP_TLV_RECOGNIZED,
	SRTT_STAMP_TLV_BADLEN,
};

typedef int (*srtt_stamp_tlv_fn)(void *arg, uint8_t type, uint8_t *value,
				 size_t len);

/* What the reflector puts into the base of the reply. */
struct srtt_stamp_reflect_params {
	uint32_t		seq;	/* own Sequence Number */
	uint64_t		t2, t3;	/* raw, format per ee */
	uint16_t		ee;
	uint8_t			ttl;	/* as the request arrived */
	srtt_stamp_tlv_fn	tlv_fn;	/* NULL: only Extra Padding understood */
	void			*arg;
};

struct srtt_stamp_reflect_result {
	unsigned int	tlvs;		/* TLVs handed to tlv_fn or copied */
	unsigned int	unknown;	/* U set */
	unsigned int	malformed;	/* M set */
	bool		stopped;	/* processing stopped at a bad length */
	bool		light;		/* a TWAMP-Light request below 44 bytes */
	bool		padding;	/* zeros past the base: copied as padding */
};

/*
 * Build the reply to the session-sender packet @req (@len bytes) in
 * @reply (@size bytes, which may not alias @req). The reply is exactly
 * @len bytes long, or 44 for a TWAMP-Light request of 14 to 43 bytes
 * (res->light). Bytes past the base that are all zero are padding and
 * copied unchanged (res->padding). Return its length, or a negative
 * SRTT_STAMP_E*: SHORT (below 14 bytes)/LONG (no reply is due) or ESPACE
 * (@size too small). A broken TLV list is not an error: the reply marks
 * it (M) as RFC 8972 says. @res may be NULL.
 */
int srtt_stamp_reflect(const uint8_t *req, size_t len, uint8_t *reply,
		       size_t size, const struct srtt_stamp_reflect_params *p,
		       struct srtt_stamp_reflect_result *res);

/* The TLV understanding srtt_stamp_reflect() has without tlv_fn. */
int srtt_stamp_tlv_default(void *arg, uint8_t type, uint8_t *value,
			   size_t len);

#endif /* _SRTT_STAMP_H */
