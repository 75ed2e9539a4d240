// SPDX-License-Identifier: GPL-2.0
/* sriov-rtt: the module's records group, read with libnl-3 (records.h). */

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>

#include <netlink/netlink.h>
#include <netlink/msg.h>
#include <netlink/socket.h>
#include <netlink/genl/genl.h>
#include <netlink/genl/ctrl.h>

#include "nlmsg.h"
#include "records.h"
#include "stamp/stages.h"

#define RECSOCK_RCVBUF	(4 << 20)	/* about 100 k records */
#define RECSOCK_MSGBUF	65536		/* one batch is at most 16 KiB */

/* libnl's error as the errno it stands for (EIO when none does). */
static int nl_errno(int nlerr)
{
	switch (nlerr < 0 ? -nlerr : nlerr) {
	case NLE_OBJ_NOTFOUND:
		return ENOENT;
	case NLE_PERM:
		return EPERM;
	case NLE_NOACCESS:
		return EACCES;
	case NLE_NOMEM:
		return ENOMEM;
	case NLE_AGAIN:
		return EAGAIN;
	case NLE_INTR:
		return EINTR;
	case NLE_OPNOTSUPP:
		return EOPNOTSUPP;
	case NLE_MSG_TRUNC:
	case NLE_MSG_TOOSHORT:
	case NLE_MSG_OVERFLOW:
	case NLE_PROTO_MISMATCH:
	case NLE_PARSE_ERR:
		return EPROTO;
	}
	return EIO;
}

static int fail(struct srtt_recsock *s, int err, const char *what, int nlerr)
{
	snprintf(s->why, sizeof(s->why), "%s: %s", what, nl_geterror(nlerr));
	return -err;
}

/* ---- messages ---- */

/* Notifications carry sequence number 0, a flush's answer its own. */
static int seq_any(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
	return NL_OK;
}

static int on_records(struct srtt_recsock *s, const struct srtt_records_msg *m)
{
	struct srtt_record rec;
	size_t i;
	int rc;

	if (m->has_lost && m->lost) {
		s->lost_kernel += m->lost;
		s->loss_events++;
		if (s->ops->lost)
			s->ops->lost(s->arg, m->lost);
	}
	for (i = 0; i < m->count; i++) {
		/* the attribute is only 4-byte aligned */
		memcpy(&rec, (const char *)m->data + i * sizeof(rec), sizeof(rec));
		rc = s->ops->record(s->arg, &rec);
		if (rc) {
			s->stop = rc;
			return NL_STOP;
		}
	}
	return NL_OK;
}

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct srtt_recsock *s = arg;
	struct srtt_records_msg m;

	if (nlh->nlmsg_type != s->family)
		return NL_SKIP;
	/* a message without its header is malformed, another command not ours */
	if (genlmsg_valid_hdr(nlh, 0) && genlmsg_hdr(nlh)->cmd != SRTT_CMD_RECORDS)
		return NL_SKIP;
	if (srtt_parse_records_msg(nlh, &m, s->why, sizeof(s->why))) {
		s->malformed++;
		if (!s->ops->strict)
			return NL_SKIP;
		s->stop = -EPROTO;
		return NL_STOP;
	}
	return on_records(s, &m);
}

static void answered(struct srtt_recsock *s, int err)
{
	s->acked = true;
	s->ack_err = err;
	s->flush_pending = false;
}

static int on_ack(struct nl_msg *msg, void *arg)
{
	struct srtt_recsock *s = arg;

	if (s->flush_seq && nlmsg_hdr(msg)->nlmsg_seq == s->flush_seq)
		answered(s, 0);
	return NL_OK;
}

static int on_error(struct sockaddr_nl *who, struct nlmsgerr *e, void *arg)
{
	/* libnl hands over the payload; the header is right before it */
	struct nlmsghdr *nlh = (struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);
	struct srtt_recsock *s = arg;

	(void)who;
	if (s->flush_seq && nlh->nlmsg_seq == s->flush_seq)
		answered(s, e->error > 0 ? -e->error : e->error);
	return NL_SKIP;
}

/* An NLMSG_ERROR too short for its struct nlmsgerr. */
static int on_invalid(struct nl_msg *msg, void *arg)
{
	struct srtt_recsock *s = arg;

	(void)msg;
	s->malformed++;
	snprintf(s->why, sizeof(s->why), "a truncated netlink error message");
	return NL_SKIP;
}

/* ---- the socket ---- */

int srtt_recsock_init(struct srtt_recsock *s, int family,
		      const struct srtt_recsock_ops *ops, void *arg)
{
	memset(s, 0, sizeof(*s));
	s->family = family;
	s->ops = ops;
	s->arg = arg;
	s->sk = nl_socket_alloc();
	s->cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!s->sk || !s->cb) {
		srtt_recsock_close(s);
		snprintf(s->why, sizeof(s->why), "out of memory");
		return -ENOMEM;
	}
	nl_cb_set(s->cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, seq_any, NULL);
	nl_cb_set(s->cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, s);
	nl_cb_set(s->cb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, s);
	nl_cb_set(s->cb, NL_CB_INVALID, NL_CB_CUSTOM, on_invalid, s);
	nl_cb_err(s->cb, NL_CB_CUSTOM, on_error, s);
	/* one recvmsg() a batch: no MSG_PEEK first */
	nl_socket_set_msg_buf_size(s->sk, RECSOCK_MSGBUF);
	nl_socket_disable_msg_peek(s->sk);
	return 0;
}

/* The family and the group by name (libnl-genl), then the group joined. */
static int join(struct srtt_recsock *s)
{
	int force = RECSOCK_RCVBUF, grp, err;

	err = nl_connect(s->sk, NETLINK_GENERIC);
	if (err)
		return fail(s, nl_errno(err), "cannot open a generic netlink socket", err);
	s->family = genl_ctrl_resolve(s->sk, SRTT_GENL_NAME);
	if (s->family < 0)
		return fail(s, nl_errno(s->family), "cannot look up the family "
			    SRTT_GENL_NAME, s->family);
	grp = genl_ctrl_resolve_grp(s->sk, SRTT_GENL_NAME, SRTT_GENL_MCGRP_RECORDS);
	if (grp < 0)
		return fail(s, grp == -NLE_OBJ_NOTFOUND ? EPROTO : nl_errno(grp),
			    "the " SRTT_GENL_NAME " family has no multicast group \""
			    SRTT_GENL_MCGRP_RECORDS "\"", grp);
	/* a bigger buffer where allowed (CAP_NET_ADMIN), else rmem_max */
	if (setsockopt(nl_socket_get_fd(s->sk), SOL_SOCKET, SO_RCVBUFFORCE,
		       &force, sizeof(force)))
		nl_socket_set_buffer_size(s->sk, RECSOCK_RCVBUF, 0);
	/* the flush's answer is waited for by srtt_recsock_flush() itself */
	nl_socket_disable_auto_ack(s->sk);
	err = nl_socket_set_nonblocking(s->sk);
	if (err)
		return fail(s, nl_errno(err), "cannot set up the records socket", err);
	err = nl_socket_add_membership(s->sk, grp);
	if (err)
		return fail(s, nl_errno(err), "cannot join the records group", err);
	return 0;
}

int srtt_recsock_open(struct srtt_recsock *s,
		      const struct srtt_recsock_ops *ops, void *arg)
{
	int err;

	err = srtt_recsock_init(s, -1, ops, arg);
	if (err)
		return err;
	err = join(s);
	if (err)
		srtt_recsock_close(s);
	return err;
}

static const struct srtt_recsock_ops tab_ops = {
	.record = srtt_stages_take,
};

int srtt_recsock_open_tab(struct srtt_recsock *s, struct srtt_stages_tab *t,
			  size_t slots)
{
	int err = srtt_stages_tab_init(t, slots);

	if (err) {
		snprintf(s->why, sizeof(s->why), "no stage table: %s",
			 strerror(-err));
		return err;
	}
	err = srtt_recsock_open(s, &tab_ops, t);
	if (err)
		srtt_stages_tab_free(t);
	return err;
}

void srtt_recsock_close_tab(struct srtt_recsock *s, struct srtt_stages_tab *t)
{
	srtt_recsock_close(s);
	srtt_stages_tab_free(t);
}

void srtt_recsock_close(struct srtt_recsock *s)
{
	if (s->cb)
		nl_cb_put(s->cb);
	s->cb = NULL;
	nl_socket_free(s->sk);
	s->sk = NULL;
	s->family = -1;
}

int srtt_recsock_fd(const struct srtt_recsock *s)
{
	return s->sk ? nl_socket_get_fd(s->sk) : -1;
}

int srtt_recsock_read(struct srtt_recsock *s)
{
	int n;

	s->stop = 0;
	for (;;) {
		n = nl_recvmsgs_report(s->sk, s->cb);
		if (s->stop)
			return s->stop;
		if (n >= 0)
			continue;
		if (n == -NLE_AGAIN)
			return 0;
		if (n != -NLE_NOMEM) {
			snprintf(s->why, sizeof(s->why), "cannot read records: %s",
				 nl_geterror(n));
			return -nl_errno(n);
		}
		/* ENOBUFS: the socket dropped batches, how many is unknown */
		s->lost_socket++;
		s->loss_events++;
		if (s->ops->overrun)
			s->ops->overrun(s->arg);
	}
}

/* ---- records flush ---- */

static int flush_send(struct srtt_recsock *s)
{
	struct nl_msg *msg;
	int err;

	msg = nlmsg_alloc();
	if (!msg)
		return -ENOMEM;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, s->family, 0,
			 NLM_F_ACK, SRTT_CMD_RECORDS_FLUSH, SRTT_GENL_VERSION)) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	err = nl_send_auto(s->sk, msg);
	s->flush_seq = nlmsg_hdr(msg)->nlmsg_seq;
	nlmsg_free(msg);
	if (err < 0)
		return -nl_errno(err);
	s->acked = false;
	return 0;
}

int srtt_recsock_flush_start(struct srtt_recsock *s)
{
	int rc;

	if (s->flush_pending)
		return 0;
	rc = flush_send(s);
	if (!rc)
		s->flush_pending = true;
	return rc;
}

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int srtt_recsock_flush(struct srtt_recsock *s, int timeout_ms)
{
	int64_t end = mono_ms() + timeout_ms;
	int rc;

	rc = flush_send(s);
	if (rc)
		return rc;
	/* this flush's answer comes after any earlier one's */
	s->flush_pending = false;
	while (!s->acked) {
		struct pollfd p = { .fd = srtt_recsock_fd(s), .events = POLLIN };
		int64_t left = end - mono_ms();

		if (left <= 0)
			return -ETIMEDOUT;
		rc = poll(&p, 1, (int)left);
		if (rc < 0 && errno != EINTR)
			return -errno;
		if (rc <= 0)
			continue;
		rc = srtt_recsock_read(s);
		if (rc < 0)
			return rc;
	}
	return s->ack_err;
}

const char *srtt_recsock_strerror(int err)
{
	switch (-err) {
	case ENOENT:
		return "sriov_rtt module not loaded (no generic netlink family sriov_rtt)";
	case EPERM:
	case EACCES:
		return "the records group needs CAP_NET_ADMIN";
	case ENOTCONN:
		return "the module saw no listener on the records group";
	case ETIMEDOUT:
		return "the module did not answer a records flush in time";
	case EOPNOTSUPP:
		return "the sriov_rtt module is too old for records flush";
	case EPROTO:
		return "the sriov_rtt family answered something not understood";
	}
	return strerror(-err);
}
