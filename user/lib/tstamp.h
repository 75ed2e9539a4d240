/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sriov-rtt: SO_TIMESTAMPING stamps out of control messages, for the
 * session-sender (sriov-rtt probe) and the session-reflector alike: a
 * received datagram's (SCM_TIMESTAMPING), and the error queue's entries
 * (a transmit stamp, or an ICMP error with IP_RECVERR / IPV6_RECVERR).
 * See Documentation/networking/timestamping.rst.
 */
#ifndef _SRTT_TSTAMP_H
#define _SRTT_TSTAMP_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include <linux/errqueue.h>

struct srtt_tstamp {
	uint64_t	sw_ns;		/* software, CLOCK_REALTIME; 0: none */
	uint64_t	hw_ns;		/* hardware (raw), PHC time; 0: none */
};

/*
 * If @c is an SCM_TIMESTAMPING message, its stamps go to @t and it
 * returns true; else @t is left alone.
 */
bool srtt_tstamp_cmsg(const struct cmsghdr *c, struct srtt_tstamp *t);

/* One entry of a socket's error queue. */
struct srtt_errq {
	bool				have_ts;	/* SCM_TIMESTAMPING */
	struct srtt_tstamp		ts;
	bool				have_ee;	/* IP(V6)_RECVERR */
	struct sock_extended_err	ee;
};

/*
 * Reads one entry of @fd's error queue without blocking: 1 when @e holds
 * it, 0 when none is queued (or a signal came), else a negative errno.
 */
int srtt_errq_read(int fd, struct srtt_errq *e);

/*
 * Whether @e is the transmit stamp (SCM_TSTAMP_SND) of a datagram sent
 * with SOF_TIMESTAMPING_OPT_ID; its key goes to *@id.
 */
bool srtt_errq_tx_stamp(const struct srtt_errq *e, uint32_t *id);

#endif /* _SRTT_TSTAMP_H */
