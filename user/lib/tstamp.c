// SPDX-License-Identifier: GPL-2.0
/* sriov-rtt: SO_TIMESTAMPING stamps out of control messages (tstamp.h). */

#include <errno.h>
#include <string.h>
#include <time.h>
#include <netinet/in.h>
#include <linux/net_tstamp.h>

#include "tstamp.h"

#ifndef SCM_TIMESTAMPING
#define SCM_TIMESTAMPING	SO_TIMESTAMPING
#endif

static uint64_t ts_ns(const struct timespec *ts)
{
	return (uint64_t)ts->tv_sec * 1000000000ULL + (uint64_t)ts->tv_nsec;
}

bool srtt_tstamp_cmsg(const struct cmsghdr *c, struct srtt_tstamp *t)
{
	struct timespec ts[3];	/* struct scm_timestamping: software, -, raw */

	if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_TIMESTAMPING ||
	    c->cmsg_len < CMSG_LEN(sizeof(ts)))
		return false;
	memcpy(ts, CMSG_DATA(c), sizeof(ts));
	t->sw_ns = ts_ns(&ts[0]);
	t->hw_ns = ts_ns(&ts[2]);
	return true;
}

static bool is_recverr(const struct cmsghdr *c)
{
	return (c->cmsg_level == SOL_IP && c->cmsg_type == IP_RECVERR) ||
	       (c->cmsg_level == SOL_IPV6 && c->cmsg_type == IPV6_RECVERR);
}

int srtt_errq_read(int fd, struct srtt_errq *e)
{
	char ctrl[512];
	struct msghdr m = { .msg_control = ctrl, .msg_controllen = sizeof(ctrl) };
	struct cmsghdr *c;

	memset(e, 0, sizeof(*e));
	if (recvmsg(fd, &m, MSG_ERRQUEUE | MSG_DONTWAIT) < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK ||
		       errno == EINTR ? 0 : -errno;
	for (c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
		if (srtt_tstamp_cmsg(c, &e->ts)) {
			e->have_ts = true;
		} else if (is_recverr(c) &&
			   c->cmsg_len >= CMSG_LEN(sizeof(e->ee))) {
			memcpy(&e->ee, CMSG_DATA(c), sizeof(e->ee));
			e->have_ee = true;
		}
	}
	return 1;
}

bool srtt_errq_tx_stamp(const struct srtt_errq *e, uint32_t *id)
{
	if (!e->have_ts || !e->have_ee || e->ee.ee_errno != ENOMSG ||
	    e->ee.ee_origin != SO_EE_ORIGIN_TIMESTAMPING ||
	    e->ee.ee_info != SCM_TSTAMP_SND)
		return false;
	*id = e->ee.ee_data;
	return true;
}
