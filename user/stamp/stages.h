/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sriov_rtt: the stage stamps sriov_rtt.ko took in this kernel, for the
 * tools that join them to their own packets (sriov-rtt probe, and
 * sriov-rtt-reflector, which returns them in its replies). Plain netlink,
 * no libnl, so the reflector stays a small program.
 *
 * The records multicast group is the source. It delivers every record to
 * every listener, so a probe and a reflector in one kernel both see all
 * of them; debugfs `records` gets nothing while anyone listens (see
 * Documentation/sriov_rtt.rst). Joining it needs CAP_NET_ADMIN in the
 * caller's network namespace. The module drains its rings to the group
 * every 10 ms; records-flush (SRTT_CMD_RECORDS_FLUSH) drains them at
 * once, and its answer arrives after the records it drained, so after
 * srtt_stages_flush() every record stamped before the call is in the table.
 *
 * The table keeps the records of probe packets (not sampled traffic) by
 * probe key, up to SRTT_STAGES_PER_KEY each, in a fixed number of slots,
 * 4-way set-associative: a new key whose four slots are taken evicts the
 * oldest of them (counted in evicted).
 *
 * Lost records are counted, never hidden: records the module could not
 * keep (its rings were full; SRTT_A_LOST in a batch) and batches this
 * socket dropped (ENOBUFS). A consumer compares loss_events before and
 * after a packet to know whether a missing stage may have been lost.
 */
#ifndef _SRTT_STAGES_H
#define _SRTT_STAGES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/sriov_rtt.h>

#define SRTT_STAGES_PER_KEY	16	/* records kept per probe key */

struct srtt_stages_ent {
	struct srtt_key		key;
	uint8_t			n;
	bool			used;
	uint64_t		born;		/* when the key was filed */
	struct srtt_record	rec[SRTT_STAGES_PER_KEY];
};

struct srtt_stages_tab {
	struct srtt_stages_ent	*e;
	size_t			size;		/* slots, a power of two */
	uint64_t		stored;		/* records filed */
	uint64_t		evicted;	/* keys pushed out by newer ones */
	uint64_t		full;		/* records beyond PER_KEY dropped */
	uint64_t		sampled;	/* non-probe records ignored */
	uint64_t		tick;
	/*
	 * Host events (SRTT_REC_F_EVENT: the hypervisor's handling of a
	 * passed-through VF's interrupt), kept in time order when
	 * keep_events is set, at most SRTT_STAGES_EVENTS_MAX.
	 */
	bool			keep_events;
	struct srtt_record	*ev;
	size_t			nev, ev_cap;
	uint64_t		ev_dropped;	/* beyond the maximum, or no memory */
};

#define SRTT_STAGES_EVENTS_MAX	(1U << 20)

/* @slots: a power of two from 4 to 2^20. 0 or -EINVAL / -ENOMEM. */
int srtt_stages_tab_init(struct srtt_stages_tab *t, size_t slots);
void srtt_stages_tab_free(struct srtt_stages_tab *t);
void srtt_stages_tab_add(struct srtt_stages_tab *t, const struct srtt_record *r);
/* The records of @key: their number (0 when none), *out points into @t. */
unsigned int srtt_stages_tab_get(const struct srtt_stages_tab *t,
				 const struct srtt_key *key,
				 const struct srtt_record **out);

/*
 * The first event of @stage (enum srtt_event) with @after < ts < @before,
 * of VF @vf and MSI-X entry @entry (-1: any); NULL when there is none.
 */
const struct srtt_record *srtt_stages_event(const struct srtt_stages_tab *t,
					    unsigned int stage, uint64_t after,
					    uint64_t before, int vf, int entry);
/* The same, the last such event instead of the first. */
const struct srtt_record *srtt_stages_event_last(const struct srtt_stages_tab *t,
						 unsigned int stage, uint64_t after,
						 uint64_t before, int vf, int entry);

/*
 * From @n records of one key, the one per stage of one side: TX stages
 * (tx) or RX stages (!tx). A record of device @ifindex wins over others
 * for its stage (0: no preference, the first one wins). out[stage] is
 * NULL for a stage without a record. Returns how many stages were found;
 * *others counts the records of other devices that were passed over.
 */
unsigned int srtt_stages_pick(const struct srtt_record *recs, unsigned int n,
			      bool tx, uint32_t ifindex,
			      const struct srtt_record *out[__SRTT_STAGE_MAX],
			      unsigned int *others);

/*
 * Parse @len bytes read from the netlink socket: records of every
 * SRTT_CMD_RECORDS message go to @t, SRTT_A_LOST to *lost. When a
 * message is the answer to request @seq (an NLMSG_ERROR), *acked is set
 * and *err gets its error (0 for an ACK). Malformed messages are skipped
 * and counted in the return value (0: all well-formed).
 */
unsigned int srtt_stages_parse(const void *buf, size_t len, uint16_t family,
			       uint32_t seq, struct srtt_stages_tab *t,
			       uint64_t *lost, bool *acked, int *err);

struct srtt_stages_src {
	int			fd;
	uint16_t		family;
	uint32_t		group;
	uint32_t		seq;
	struct srtt_stages_tab	tab;
	uint64_t		lost_kernel;	/* SRTT_A_LOST summed */
	uint64_t		lost_socket;	/* ENOBUFS: batches dropped */
	uint64_t		malformed;	/* messages not understood */
	uint64_t		loss_events;	/* grows with every loss above */
	uint8_t			*buf;
};

/*
 * Join the records group: 0, or a negative errno: -ENOENT the family is
 * not registered (module not loaded), -EPERM joining needs CAP_NET_ADMIN,
 * others from the socket calls. @slots as for srtt_stages_tab_init().
 */
int srtt_stages_open(struct srtt_stages_src *s, size_t slots);
void srtt_stages_close(struct srtt_stages_src *s);

/* Read whatever is queued without blocking: 0 or a negative errno. */
int srtt_stages_poll(struct srtt_stages_src *s);

/*
 * Ask the module to drain its rings now and read until its answer:
 * 0, or a negative errno (-ETIMEDOUT after @timeout_ms).
 */
int srtt_stages_flush(struct srtt_stages_src *s, int timeout_ms);

/* Text for the errors of srtt_stages_open() and _flush(). */
const char *srtt_stages_strerror(int err);

#endif /* _SRTT_STAGES_H */
