/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sriov_rtt: the stage stamps sriov_rtt.ko took in this kernel, kept per
 * probe key for the tools that join them to their own STAMP packets
 * (sriov-rtt probe, and sriov-rtt-reflector, which returns them in its
 * replies). The records come from the module's records group
 * (user/lib/records.h): srtt_stages_take() is the reader that files them.
 * Plain C, no sockets: the same file is unit-tested and fuzzed.
 *
 * The table keeps the records of probe packets (not sampled traffic) by
 * probe key, up to SRTT_STAGES_PER_KEY each, in a fixed number of slots,
 * 4-way set-associative: a new key whose four slots are taken evicts the
 * oldest of them (counted in evicted).
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
	uint64_t		dropped;	/* keys deleted once used */
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
/* The same as a reader of the records group (struct srtt_recsock_ops): 0. */
int srtt_stages_take(void *tab, const struct srtt_record *r);
/* The records of @key: their number (0 when none), *out points into @t. */
unsigned int srtt_stages_tab_get(const struct srtt_stages_tab *t,
				 const struct srtt_key *key,
				 const struct srtt_record **out);

/*
 * The records of @key, one per stage of its side (RX for a forward key,
 * TX for a reverse one; srtt_stages_pick() with @ifindex), in stage
 * order, that were stamped in [@lo, @hi]: a record outside belongs to
 * another packet that had the same key (an earlier run, a lost request)
 * and is counted in *@stale instead. At most @max go to @out; returns
 * how many.
 */
unsigned int srtt_stages_collect(const struct srtt_stages_tab *t,
				 const struct srtt_key *key, uint32_t ifindex,
				 uint64_t lo, uint64_t hi,
				 struct srtt_record *out, unsigned int max,
				 uint64_t *stale);

/* Forget the records of @key (a key that was reported and is done with). */
void srtt_stages_tab_del(struct srtt_stages_tab *t, const struct srtt_key *key);

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

#endif /* _SRTT_STAGES_H */
