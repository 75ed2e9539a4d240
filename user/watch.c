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

#include "lib/nlctx.h"
#include "lib/records.h"
#include "lib/show.h"
#include "sriov-rtt.h"

#define WATCH_BUF	(1 << 20)	/* stdio's, when nothing is batched */

static volatile sig_atomic_t watch_signal;

static void watch_on_signal(int sig)
{
	watch_signal = sig;
}

struct watch {
	struct srtt_ctx	*ctx;
	struct srtt_recsock rs;
	int		dev_id;		/* -1: every device */
	uint64_t	limit;		/* records to print; 0: no limit */
	uint64_t	records;
	bool		tty;		/* output to a terminal: flushed often */
	struct srtt_lines lines;	/* unpretty: lines formatted here */
	bool		done;
	int		err;		/* negative errno */
};

static int watch_record(void *arg, const struct srtt_record *rec)
{
	struct watch *w = arg;

	if (w->dev_id >= 0 && rec->dev_id != w->dev_id)
		return 0;
	if (w->lines.buf)
		srtt_lines_add(&w->lines, rec, w->ctx->out.json, w->ctx->out.fp);
	else
		srtt_show_record(&w->ctx->out, rec);
	w->records++;
	if (w->limit && w->records >= w->limit)
		w->done = true;
	return w->done;
}

static void watch_lost(void *arg, uint64_t n)
{
	struct watch *w = arg;

	srtt_lines_flush(&w->lines, w->ctx->out.fp);
	srtt_show_lost(&w->ctx->out, n);
}

static void watch_overrun(void *arg)
{
	struct watch *w = arg;

	/* ENOBUFS: the kernel dropped messages for us */
	srtt_lines_flush(&w->lines, w->ctx->out.fp);
	srtt_show_overrun(&w->ctx->out);
	fflush(w->ctx->out.fp);
}

static const struct srtt_recsock_ops watch_ops = {
	.record = watch_record,
	.lost = watch_lost,
	.overrun = watch_overrun,
	.strict = true,
};

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Everything queued on the socket; false when watching must end. */
static bool watch_drain(struct watch *w)
{
	int err = srtt_recsock_read(&w->rs);

	/* each batch written at once; a terminal's flushed at once too */
	srtt_lines_flush(&w->lines, w->ctx->out.fp);
	if (w->tty)
		fflush(w->ctx->out.fp);
	if (err == -EPROTO)
		w->err = srtt_ctx_bad_reply(w->ctx, w->rs.why);
	else if (err < 0)
		w->err = srtt_ctx_fail(w->ctx, EIO, "%s", w->rs.why);
	return !err && !w->done;
}

static int watch_loop(struct watch *w, uint64_t duration_ms)
{
	struct sigaction sa = { .sa_handler = watch_on_signal };
	struct sigaction old_int, old_term;
	uint64_t deadline = now_ms() + duration_ms;
	sigset_t block, old_mask;
	struct pollfd pfd = {
		.fd = srtt_recsock_fd(&w->rs), .events = POLLIN,
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
		if (n > 0 && !watch_drain(w))
			break;
	}

	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	sigprocmask(SIG_SETMASK, &old_mask, NULL);
	return w->err;
}

/* Joins the records group; an enum srtt_exit after explaining a failure. */
static int watch_join(struct watch *w, const struct srtt_what *what)
{
	int err = srtt_recsock_open(&w->rs, &watch_ops, w);

	if (err == -EPERM || err == -EACCES) {
		/* the group is GENL_MCAST_CAP_NET_ADMIN */
		fprintf(stderr, "watch needs CAP_NET_ADMIN: run as root\n");
		return SRTT_EXIT_PERM;
	}
	if (err) {
		srtt_ctx_fail(w->ctx, err == -EPROTO ? EPROTO : EIO, "%s",
			      w->rs.why);
		return srtt_report(w->ctx, what);
	}
	return SRTT_EXIT_OK;
}

int srtt_cmd_watch(struct srtt_ctx *ctx, const struct srtt_args *a)
{
	struct srtt_what what = { .action = "watch", .cmd = "watch" };
	struct watch w = { .ctx = ctx, .dev_id = a->dev_id, .limit = a->count };
	int err;

	if (a->dev) {
		err = srtt_dev_resolve(ctx, "watch", a->dev, &w.dev_id);
		if (err)
			return err;
	}
	err = watch_join(&w, &what);
	if (err)
		return err;
	w.tty = isatty(fileno(ctx->out.fp));
	/*
	 * One line a record: formatted into w.lines and handed to stdio a
	 * batch at once, which writes so much straight through (no copy into
	 * its own buffer). Pretty JSON goes through the JSON writer, buffered.
	 */
	if (!ctx->out.pretty && !ctx->out.depth)
		srtt_lines_init(&w.lines);	/* else, or failing, unbatched */
	if (!w.tty && !w.lines.buf)
		setvbuf(ctx->out.fp, NULL, _IOFBF, WATCH_BUF);
	err = watch_loop(&w, a->duration_ms);
	srtt_lines_flush(&w.lines, ctx->out.fp);
	fflush(ctx->out.fp);
	srtt_lines_free(&w.lines);
	fprintf(stderr, "watch: %" PRIu64 " records, %" PRIu64 " lost, %" PRIu64
		" overruns\n", w.records, w.rs.lost_kernel, w.rs.lost_socket);
	srtt_recsock_close(&w.rs);
	if (err)
		return srtt_report(ctx, &what);
	return SRTT_EXIT_OK;
}
