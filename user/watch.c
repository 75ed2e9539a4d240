// SPDX-License-Identifier: GPL-2.0
/*
 * sriov-rtt watch: records as the module multicasts them on the "records"
 * group, one line each, until a count, a duration or a signal.
 */

#define _GNU_SOURCE	/* ppoll() */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/socket.h>

#include "lib/nlctx.h"
#include "lib/show.h"
#include "sriov-rtt.h"

#define WATCH_RCVBUF	(4 << 20)	/* about 100 k records */

static volatile sig_atomic_t watch_signal;

static void watch_on_signal(int sig)
{
	watch_signal = sig;
}

struct watch {
	struct srtt_ctx	*ctx;
	int		dev_id;		/* -1: every device */
	uint64_t	limit;		/* records to print; 0: no limit */
	uint64_t	records, lost, overruns;
	bool		done;
	int		err;		/* negative errno */
};

/* Notifications carry sequence number 0: take them all. */
static int watch_seq_ok(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
	return NL_OK;
}

static int watch_msg(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct watch *w = arg;
	struct srtt_out *o = &w->ctx->out;
	struct srtt_records_msg r;
	char why[160];
	size_t i;

	if (nlh->nlmsg_type != w->ctx->family || !genlmsg_valid_hdr(nlh, 0) ||
	    genlmsg_hdr(nlh)->cmd != SRTT_CMD_RECORDS)
		return NL_SKIP;
	if (srtt_parse_records_msg(nlh, &r, why, sizeof(why))) {
		w->err = srtt_ctx_fail(w->ctx, EPROTO,
				       "the kernel sent %s (module and tool versions differ?)",
				       why);
		w->done = true;
		return NL_STOP;
	}
	if (r.has_lost && r.lost) {
		w->lost += r.lost;
		srtt_show_lost(o, r.lost);
	}
	for (i = 0; i < r.count && !w->done; i++) {
		struct srtt_record rec;

		/* the attribute is only 4-byte aligned */
		memcpy(&rec, (const char *)r.data + i * sizeof(rec),
		       sizeof(rec));
		if (w->dev_id >= 0 && rec.dev_id != w->dev_id)
			continue;
		srtt_show_record(o, &rec);
		w->records++;
		if (w->limit && w->records >= w->limit)
			w->done = true;
	}
	fflush(o->fp);
	return w->done ? NL_STOP : NL_OK;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Everything queued on the socket; false when watching must end. */
static bool watch_drain(struct watch *w, struct nl_cb *cb)
{
	struct nl_sock *sk = w->ctx->genl;
	int err;

	while (!w->done) {
		err = nl_recvmsgs_report(sk, cb);
		if (err == 0 || err == -NLE_AGAIN)
			return true;
		if (err > 0)
			continue;
		if (err == -NLE_NOMEM) {
			/* ENOBUFS: the kernel dropped messages for us */
			w->overruns++;
			srtt_show_overrun(&w->ctx->out);
			fflush(w->ctx->out.fp);
			continue;
		}
		w->err = srtt_ctx_fail(w->ctx, EIO, "cannot read records: %s",
				       nl_geterror(err));
		return false;
	}
	return false;
}

static int watch_loop(struct watch *w, struct nl_cb *cb, uint64_t duration_ms)
{
	struct sigaction sa = { .sa_handler = watch_on_signal };
	struct sigaction old_int, old_term;
	uint64_t deadline = now_ms() + duration_ms;
	sigset_t block, old_mask;
	struct pollfd pfd = {
		.fd = nl_socket_get_fd(w->ctx->genl), .events = POLLIN,
	};

	/* signals only interrupt ppoll(): no record is cut in half */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &old_mask);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);

	while (!w->done && !watch_signal) {
		struct timespec ts, *tsp = NULL;
		int n;

		if (duration_ms) {
			uint64_t now = now_ms();

			if (now >= deadline)
				break;
			ts.tv_sec = (time_t)((deadline - now) / 1000);
			ts.tv_nsec = (long)((deadline - now) % 1000) * 1000000;
			tsp = &ts;
		}
		n = ppoll(&pfd, 1, tsp, &old_mask);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			w->err = srtt_ctx_fail(w->ctx, errno, "poll failed: %s",
					       strerror(errno));
			break;
		}
		if (n > 0 && !watch_drain(w, cb))
			break;
	}

	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	sigprocmask(SIG_SETMASK, &old_mask, NULL);
	return w->err;
}

int srtt_cmd_watch(struct srtt_ctx *ctx, const struct srtt_args *a)
{
	struct srtt_what what = { .action = "watch", .cmd = "watch" };
	struct watch w = { .ctx = ctx, .dev_id = a->dev_id, .limit = a->count };
	struct nl_sock *sk = ctx->genl;
	int force = WATCH_RCVBUF, grp, err;
	struct nl_cb *cb;

	if (a->dev) {
		err = srtt_dev_resolve(ctx, "watch", a->dev, &w.dev_id);
		if (err)
			return err;
	}

	grp = genl_ctrl_resolve_grp(sk, SRTT_GENL_NAME,
				    SRTT_GENL_MCGRP_RECORDS);
	if (grp < 0) {
		srtt_ctx_fail(ctx, EPROTO,
			      "the %s family has no multicast group \"%s\" (%s)",
			      SRTT_GENL_NAME, SRTT_GENL_MCGRP_RECORDS,
			      nl_geterror(grp));
		return srtt_report(ctx, &what);
	}
	/* up to net.core.rmem_max, and past it with CAP_NET_ADMIN */
	nl_socket_set_buffer_size(sk, WATCH_RCVBUF, 0);
	setsockopt(nl_socket_get_fd(sk), SOL_SOCKET, SO_RCVBUFFORCE, &force,
		   sizeof(force));
	err = nl_socket_add_membership(sk, grp);
	if (err == -NLE_PERM || err == -NLE_NOACCESS) {
		/* the group is GENL_MCAST_CAP_NET_ADMIN */
		fprintf(stderr, "watch needs CAP_NET_ADMIN: run as root\n");
		return SRTT_EXIT_PERM;
	}
	if (err < 0) {
		srtt_ctx_fail(ctx, EIO, "cannot join the records group: %s",
			      nl_geterror(err));
		return srtt_report(ctx, &what);
	}
	err = nl_socket_set_nonblocking(sk);
	cb = err < 0 ? NULL : nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb) {
		srtt_ctx_fail(ctx, ENOMEM, "cannot set up the records socket");
		return srtt_report(ctx, &what);
	}
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, watch_seq_ok, NULL);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, watch_msg, &w);

	err = watch_loop(&w, cb, a->duration_ms);
	nl_cb_put(cb);
	fflush(ctx->out.fp);
	fprintf(stderr, "watch: %" PRIu64 " records, %" PRIu64 " lost, %" PRIu64
		" overruns\n", w.records, w.lost, w.overruns);
	if (err)
		return srtt_report(ctx, &what);
	return SRTT_EXIT_OK;
}
