/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sriov_rtt: the per-probe RTT decomposition of the measurement model
 * (Documentation/sriov_rtt.rst). Plain C, integer arithmetic, no I/O: the
 * same source serves `sriov-rtt probe`, `report`, the unit tests and the
 * fuzz target.
 *
 * The path of one probe
 * ---------------------
 *
 * Stamps live in two clock domains: H, the sender's host, and G, the
 * reflector's kernel. Along the path they form a chain of fourteen points:
 *
 *   H: T1 -> tx_drv -> tx_drv_done ->                       (request)
 *   G:       rx_first -> rx_drv -> T2 -> rx_sock -> rx_copy -> T3 ->
 *            tx_drv -> tx_drv_done ->
 *   H:       rx_first -> rx_drv -> T4                          (reply)
 *
 * T2 is the reflector kernel's software receive stamp, taken in
 * netif_receive_skb_internal() before IP, UDP and the socket; rx_sock the
 * datagram queued to the socket; rx_copy the application having copied
 * it out. T1 (app send) and T4 (the sender kernel's receive stamp) are
 * required; the other twelve points are optional (T2/T3 too: a kernel
 * answering ICMP echo has none).
 * rx_first is the first of rx_hw, rx_irq, rx_softirq present, in that
 * pipeline order (not by value): rx_hw only when the caller converted it
 * into the domain's clock (conv != 0), otherwise it is left out and
 * counted in hw_unconverted. rx_drv alone does not make an rx_first: a
 * component is never reported as 0 because one stamp stood for two points.
 *
 * Each gap between two neighbouring points is a part (enum
 * srtt_decomp_part); the two gaps that cross a domain are "forward" and
 * "reverse". The components of design.md are the parts, with forward and
 * reverse combined into "network":
 *
 *   network = (H.rx_first - H.tx_drv_done) - (G.tx_drv_done - G.rx_first)
 *
 * With points missing, a component is the interval between two
 * consecutive PRESENT points of one domain; network is the H-side interval
 * between the last H point before G and the first H point after it, minus
 * the G-side interval between the first and the last G point present (0
 * without any). Every interval is a difference inside one clock, so no
 * clock offset is needed and the values sum to T4 - T1 exactly.
 *
 * A component that covers more than one of the ten components of the model
 * is "merged"; its name joins the part names in path order with '+', and
 * forward + reverse are named "network" once, at the forward position:
 *
 *   no H.tx_drv            host_stack_tx+host_drv_tx = H.tx_drv_done - T1
 *   no guest stage         network+guest_irq+guest_stack_rx+guest_stack_tx+
 *                          guest_drv_tx = (H.rx_first - H.tx_drv_done) -
 *                          (T3 - T2), and reflector = T3 - T2
 *   no stage at all        host_stack_tx+host_drv_tx+network+guest_irq+
 *                          guest_stack_rx+guest_stack_tx+guest_drv_tx+
 *                          host_drv_rx+host_stack_rx = (T4-T1) - (T3-T2)
 *
 * `parts` is the bit set behind a name (a stable key for aggregating many
 * probes) and `missing` the points absent inside the component.
 *
 * Error bounds
 * ------------
 *
 * Every point is in its domain's clock: the kernel's stage stamps natively
 * (CLOCK_MONOTONIC), app stamps (SO_TIMESTAMPING, CLOCK_REALTIME) and PHC
 * stamps only after the caller converted them, e.g. with a bracketed
 * MONOTONIC/REALTIME pair. A stamp names its conversion by index into
 * conv_err_ns[] (0 = native, no error). Stamps that share a conversion
 * share its error, a constant shift, which cancels in their difference:
 *
 *   err(x - y) = 0                              conv(x) == conv(y)
 *              = conv_err[conv(x)] + conv_err[conv(y)]   otherwise
 *
 * so with one bracket per domain T3 - T2 and T4 - T1 are exact while
 * H.tx_drv - T1 carries the H bracket's error. Network adds the H-side and
 * the G-side errors. A caller that converted T1 and T4 with different
 * brackets gives them different indices.
 *
 * Impossible values
 * -----------------
 *
 * A component below 0 by more than its error bound (no true value >= 0 is
 * consistent with it: every part, forward and reverse included, is a
 * duration), above the RTT by more than its bound and the RTT's together
 * (a part of the round trip is no longer than the round trip; another
 * packet's stamp, say) or beyond +-60 s is flagged impossible with the
 * reason, counted
 * in n_impossible, and keeps its value: nothing is clamped, so the sum
 * still holds. Printers use srtt_decomp_value_str(), which says
 * "impossible" instead of a number.
 *
 * Ranges: every stamp is below 2^61 in magnitude and every conversion
 * error at most 2^61, so no computation overflows.
 */
#ifndef _SRTT_DECOMP_H
#define _SRTT_DECOMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/sriov_rtt.h>

struct srtt_offset_sample;
struct srtt_offset_est;

/* What a stamp is: an enum srtt_stage, or one of the two app points. */
#define SRTT_DECOMP_APP_TX	0x80	/* app send: T1 in H, T3 in G */
#define SRTT_DECOMP_APP_RX	0x81	/* app receive: T4 in H, T2 in G */

enum srtt_decomp_dom {
	SRTT_DECOMP_DOM_H,		/* the session-sender's host */
	SRTT_DECOMP_DOM_G,		/* the reflector's kernel (guest) */
	SRTT_DECOMP_NDOM,
};

#define SRTT_DECOMP_MAX_CONV	8	/* conversions one probe may name */
#define SRTT_DECOMP_CONV_NATIVE	0	/* in the domain's clock already */
#define SRTT_DECOMP_CONV_H_APP	1	/* suggested: T1/T4 bracket of H */
#define SRTT_DECOMP_CONV_G_APP	2	/* suggested: T2/T3 bracket of G */

#define SRTT_DECOMP_NS_LIMIT	(1LL << 61)	/* |stamp| must be below */
#define SRTT_DECOMP_ERR_LIMIT	(1ULL << 61)	/* conv_err_ns[] at most */
#define SRTT_DECOMP_MAX_NS	60000000000LL	/* 60 s */

struct srtt_decomp_stamp {
	int64_t		ns;	/* in its domain's clock (after conversion) */
	uint8_t		dom;	/* enum srtt_decomp_dom */
	uint8_t		what;	/* enum srtt_stage or SRTT_DECOMP_APP_* */
	uint8_t		conv;	/* index into conv_err_ns[], 0 = native */
	uint8_t		valid;	/* 0: ignored entirely */
};

struct srtt_decomp_in {
	const struct srtt_decomp_stamp *st;
	size_t		n;
	/* error bound of each conversion; [0] (native) must be 0 */
	uint64_t	conv_err_ns[SRTT_DECOMP_MAX_CONV];
	/*
	 * How far apart the two clocks' rates may be, ppb (at most 10^9;
	 * 0: one clock, or not known): the network component subtracts a G
	 * interval from an H one, so its error grows by this much of the G
	 * interval.
	 */
	uint64_t	rate_err_ppb;
	/*
	 * G's rate minus H's as estimated, ppb (|skew| <= 10^7: 1 %; 0: one
	 * clock, or not known): every G interval is first converted into H
	 * time by it, G point p taken as g0 + (p - g0) * (1 - skew) from the
	 * first G point g0, so that the network component subtracts like
	 * from like and the G parts are H durations; rate_err_ppb is then
	 * the estimate's error, and every G interval's bound grows by that
	 * much of it (plus 1 ns of rounding).
	 */
	int64_t		skew_ppb;
};

/* The points of the path, in path order. */
enum srtt_decomp_pt {
	SRTT_DP_T1,
	SRTT_DP_H_TX_DRV,
	SRTT_DP_H_TX_DRV_DONE,
	SRTT_DP_G_RX_FIRST,
	SRTT_DP_G_RX_DRV,
	SRTT_DP_T2,
	SRTT_DP_G_RX_SOCK,
	SRTT_DP_G_RX_COPY,
	SRTT_DP_T3,
	SRTT_DP_G_TX_DRV,
	SRTT_DP_G_TX_DRV_DONE,
	SRTT_DP_H_RX_FIRST,
	SRTT_DP_H_RX_DRV,
	SRTT_DP_T4,
	SRTT_DP_N,
};

/* Part p is the gap between point p and point p + 1. */
enum srtt_decomp_part {
	SRTT_DC_HOST_STACK_TX,
	SRTT_DC_HOST_DRV_TX,
	SRTT_DC_FORWARD,		/* H.tx_drv_done -> G.rx_first */
	SRTT_DC_GUEST_IRQ,
	SRTT_DC_GUEST_STACK_RX,		/* G.rx_drv -> T2: GRO, the RX stamp */
	SRTT_DC_GUEST_SOCKET_RX,	/* T2 -> G.rx_sock: IP, UDP, socket */
	SRTT_DC_GUEST_WAKEUP,		/* G.rx_sock -> G.rx_copy */
	SRTT_DC_REFLECTOR,		/* G.rx_copy -> T3: the application */
	SRTT_DC_GUEST_STACK_TX,
	SRTT_DC_GUEST_DRV_TX,
	SRTT_DC_REVERSE,		/* G.tx_drv_done -> H.rx_first */
	SRTT_DC_HOST_DRV_RX,
	SRTT_DC_HOST_STACK_RX,
	SRTT_DC_N,
};

#define SRTT_DP_BIT(p)		(1U << (p))
#define SRTT_DC_BIT(p)		(1U << (p))
#define SRTT_DC_NETWORK		(SRTT_DC_BIT(SRTT_DC_FORWARD) | \
				 SRTT_DC_BIT(SRTT_DC_REVERSE))
#define SRTT_DC_ALL		((1U << SRTT_DC_N) - 1)

/* Components in one decomposition: the model's twelve at most. */
#define SRTT_DECOMP_MAX_COMP	12
/* Longest name (every part in one) plus its NUL is 152 bytes. */
#define SRTT_DECOMP_NAME_MAX	160

/* Why a value is impossible. */
#define SRTT_DECOMP_C_NEGATIVE	0x1	/* < 0 by more than its error bound */
#define SRTT_DECOMP_C_HUGE	0x2	/* |value| > 60 s */
#define SRTT_DECOMP_C_OVER_RTT	0x4	/* > the RTT by more than both bounds */

struct srtt_decomp_comp {
	char		name[SRTT_DECOMP_NAME_MAX];
	uint16_t	parts;		/* SRTT_DC_BIT()s it covers */
	uint16_t	missing;	/* SRTT_DP_BIT()s absent inside it */
	int64_t		value_ns;
	uint64_t	err_ns;		/* |value - true value| <= err_ns */
	bool		merged;		/* covers > 1 of the model's ten */
	bool		impossible;
	uint8_t		why;		/* SRTT_DECOMP_C_* when impossible */
};

struct srtt_decomp {
	unsigned int	n;		/* components, in path order */
	struct srtt_decomp_comp c[SRTT_DECOMP_MAX_COMP];
	int64_t		rtt_ns;		/* T4 - T1 == sum of the values */
	uint64_t	rtt_err_ns;
	uint8_t		rtt_why;	/* SRTT_DECOMP_C_* */
	unsigned int	n_impossible;	/* components flagged */
	bool		impossible;	/* a component or the RTT is */
	uint16_t	present;	/* SRTT_DP_BIT()s */
	uint16_t	missing;	/* the optional points absent */
	unsigned int	net;		/* index of the network component */
	/* the points (valid where present) and their conversions */
	int64_t		pt_ns[SRTT_DP_N];
	uint8_t		pt_conv[SRTT_DP_N];
	uint64_t	conv_err_ns[SRTT_DECOMP_MAX_CONV];
	uint64_t	rate_err_ppb;
	int64_t		skew_ppb;	/* G points in pt_ns[] are converted by it */
	/* the enum srtt_stage that gave rx_first, per domain; 0xff: none */
	uint8_t		rx_first_stage[SRTT_DECOMP_NDOM];
	unsigned int	ignored;	/* valid stamps of stages not used */
	unsigned int	hw_unconverted;	/* rx_hw left out: PHC, unconverted */
};

/* Error codes: negative returns. */
enum srtt_decomp_err {
	SRTT_DECOMP_OK		= 0,
	SRTT_DECOMP_EINVAL	= 1,	/* bad domain, stage, conv index, conv_err[0] */
	SRTT_DECOMP_EDUP	= 2,	/* two valid stamps for one point */
	SRTT_DECOMP_ENOAPP	= 3,	/* T1 or T4 missing */
	SRTT_DECOMP_ERANGE	= 4,	/* a stamp or error beyond its limit */
	SRTT_DECOMP_ENOGUEST	= 5,	/* one-way: no G point to split at */
};

const char *srtt_decomp_strerror(int err);

/*
 * Decompose one probe: 0 and *out filled, or a negative SRTT_DECOMP_E*
 * (*out then zeroed). Invalid stamps are skipped; stamps of stages the
 * model does not use (tx_queue, tx_done, rx_stack, ...) are counted in
 * `ignored`. Two valid stamps for one point (say tx_drv of a VLAN device
 * and of its PF) are -SRTT_DECOMP_EDUP: the caller picks the device.
 */
int srtt_decomp(const struct srtt_decomp_in *in, struct srtt_decomp *out);

/* Sum of the component values: T4 - T1 (computed without overflow). */
int64_t srtt_decomp_sum(const struct srtt_decomp *d);

/*
 * The name of a part set, joined with '+' as above, into @buf (always
 * NUL-terminated when @size > 0). Returns the length the full name needs.
 */
size_t srtt_decomp_name(uint16_t parts, char *buf, size_t size);

/* "H.T1", "H.tx_drv", ..., "G.rx_first", ...; NULL beyond SRTT_DP_N. */
const char *srtt_decomp_pt_name(unsigned int pt);

/* Comma-separated point names of @mask; returns the length needed. */
size_t srtt_decomp_pts_str(uint16_t mask, char *buf, size_t size);

/*
 * The value in ns as decimal text, or "impossible"; returns @buf. Needs
 * 21 bytes for any value; shorter buffers get a truncated string.
 */
const char *srtt_decomp_value_str(const struct srtt_decomp_comp *c, char *buf,
				  size_t size);

/*
 * Forward/reverse split of the network component
 * ---------------------------------------------
 *
 * With the clock offset theta = G - H (ns) known within +-theta_err:
 *   forward = (G.first - theta) - H.last_before_G
 *   reverse = H.first_after_G - (G.last - theta)
 * i.e. (G.rx_first - theta) - H.tx_drv_done and
 * H.rx_first - (G.tx_drv_done - theta) when those are present; missing
 * points merge as for the components ("host_drv_tx+forward+guest_irq").
 * Each error bound is theta_err plus the two end points' conversion
 * errors; forward + reverse == the network component exactly. Theta is
 * the offset at the H time of the G events, which lie within
 * [pt_ns[last H before G], pt_ns[first H after G]]: srtt_offset_span()
 * over that interval gives it. -SRTT_DECOMP_ENOGUEST without a G point.
 */
struct srtt_decomp_oneway {
	struct srtt_decomp_comp fwd, rev;
};

int srtt_decomp_oneway(const struct srtt_decomp *d, int64_t theta_ns,
		       uint64_t theta_err_ns, struct srtt_decomp_oneway *out);

/*
 * The NTP-style exchange of this probe for the offset estimator
 * (offset.h): the points closest to the wire (t1 = last H point before G,
 * t2 = first G point, t3 = last G point, t4 = first H point after G) and
 * err_ns from their conversions, as srtt_offset_sample documents.
 * -SRTT_DECOMP_ENOGUEST without a G point.
 */
int srtt_decomp_exchange(const struct srtt_decomp *d,
			 struct srtt_offset_sample *s);

/* The H-time interval the probe's G events lie in (for srtt_offset_span). */
void srtt_decomp_h_span(const struct srtt_decomp *d, int64_t *lo, int64_t *hi);

/*
 * What a rate difference of @ppb (at most 10^9) makes of an interval of
 * @span_ns between two clocks, ns, without overflow.
 */
uint64_t srtt_decomp_drift_ns(int64_t span_ns, uint64_t ppb);

/* The G times of the probe's first and last G point (0, 0 without one). */
void srtt_decomp_g_span(const struct srtt_decomp *d, int64_t *lo, int64_t *hi);

/*
 * srtt_decomp_oneway() with theta from an offset estimate over
 * srtt_decomp_h_span(); a negative SRTT_OFFSET_E* from the estimate is
 * returned as -SRTT_DECOMP_ERANGE.
 */
int srtt_decomp_oneway_est(const struct srtt_decomp *d,
			   const struct srtt_offset_est *est,
			   struct srtt_decomp_oneway *out);

#endif /* _SRTT_DECOMP_H */
