/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sriov-rtt: the module's records multicast group, for every tool that
 * reads it (sriov-rtt watch and probe, sriov-rtt-reflector): one libnl-3
 * socket joined to it (the family and the group resolved by libnl-genl),
 * its batches parsed by srtt_parse_records_msg() (nlmsg.h) and handed
 * on one record at a time, and the records flush.
 *
 * The group delivers every record to every listener, so a probe and a
 * reflector in one kernel both see all of them; debugfs `records` gets
 * nothing while anyone listens (see Documentation/sriov_rtt.rst).
 * Joining it needs CAP_NET_ADMIN in the caller's network namespace (from
 * 6.7 on). The module drains its rings to the group every 10 ms; a
 * records flush (SRTT_CMD_RECORDS_FLUSH) drains them at once, and its
 * answer arrives after the records it drained, so after
 * srtt_recsock_flush() every record stamped before the call has been
 * handed on.
 *
 * Lost records are counted, never hidden: records the module could not
 * keep (its rings were full; SRTT_A_LOST in a batch) and batches this
 * socket dropped (ENOBUFS). A consumer compares loss_events before and
 * after a packet to know whether a missing stage may have been lost.
 */
#ifndef _SRTT_RECORDS_H
#define _SRTT_RECORDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/sriov_rtt.h>

struct nl_sock;
struct nl_cb;
struct srtt_stages_tab;

/* What a reader does with what the group brings. */
struct srtt_recsock_ops {
	/* each record, in order; a nonzero return ends the read with it */
	int	(*record)(void *arg, const struct srtt_record *r);
	/* a batch's SRTT_A_LOST, before its records; may be NULL */
	void	(*lost)(void *arg, uint64_t n);
	/* this socket dropped batches (ENOBUFS); may be NULL */
	void	(*overrun)(void *arg);
	/* a malformed message ends the read (-EPROTO), else it is counted */
	bool	strict;
};

struct srtt_recsock {
	struct nl_sock			*sk;
	struct nl_cb			*cb;
	int				family;
	const struct srtt_recsock_ops	*ops;
	void				*arg;
	uint64_t	lost_kernel;	/* SRTT_A_LOST summed */
	uint64_t	lost_socket;	/* ENOBUFS: batches dropped */
	uint64_t	malformed;	/* messages not understood */
	uint64_t	loss_events;	/* grows with every loss above */
	bool		flush_pending;	/* flush_start()ed, no answer yet */
	uint32_t	flush_seq;	/* the last flush's sequence number */
	bool		acked;		/* its answer came ... */
	int		ack_err;	/* ... with this error (0 or -errno) */
	int		stop;		/* why the read in progress ends */
	char		why[160];	/* what failed or was malformed last */
};

/*
 * Joins the records group: 0, or a negative errno with s->why saying
 * what failed: -ENOENT the family is not registered (module not loaded),
 * -EPROTO it has no records group, -EPERM or -EACCES joining needs
 * CAP_NET_ADMIN, others from the socket calls. Nothing to undo on error.
 */
int srtt_recsock_open(struct srtt_recsock *s,
		      const struct srtt_recsock_ops *ops, void *arg);
void srtt_recsock_close(struct srtt_recsock *s);

/*
 * The reader of sriov-rtt probe and sriov-rtt-reflector: the group's
 * records filed into the stage table @t (stamp/stages.h) of @slots
 * slots, set up here. As srtt_recsock_open(); nothing to undo on error.
 */
int srtt_recsock_open_tab(struct srtt_recsock *s, struct srtt_stages_tab *t,
			  size_t slots);
/* Closes both. */
void srtt_recsock_close_tab(struct srtt_recsock *s, struct srtt_stages_tab *t);

/* The socket to poll() for POLLIN; -1 when closed. */
int srtt_recsock_fd(const struct srtt_recsock *s);

/*
 * Hands on whatever is queued, without blocking: 0, the nonzero return
 * of ops->record that ended the read, or a negative errno (-EPROTO: a
 * malformed message with ops->strict, described in s->why).
 */
int srtt_recsock_read(struct srtt_recsock *s);

/*
 * Asks the module to drain its rings now and reads until its answer:
 * 0, or a negative errno (-ETIMEDOUT after @timeout_ms; the module's
 * own, -ENOTCONN or -EOPNOTSUPP, from its answer).
 */
int srtt_recsock_flush(struct srtt_recsock *s, int timeout_ms);

/*
 * The same without waiting: the request goes out, the records and the
 * answer are read by later srtt_recsock_read() calls, which clear
 * flush_pending at the answer. Nothing is sent while one is pending.
 * 0 or a negative errno.
 */
int srtt_recsock_flush_start(struct srtt_recsock *s);

/* Text for the errors of srtt_recsock_open(), _read() and _flush(). */
const char *srtt_recsock_strerror(int err);

/*
 * For tests: @s set up as srtt_recsock_open() does, for family @family,
 * on a socket that is never connected; a test feeds it through
 * nl_cb_overwrite_recv(s->cb, ...). 0 or -ENOMEM.
 */
int srtt_recsock_init(struct srtt_recsock *s, int family,
		      const struct srtt_recsock_ops *ops, void *arg);

#endif /* _SRTT_RECORDS_H */
