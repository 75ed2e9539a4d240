// SPDX-License-Identifier: GPL-2.0
/* sriov_rtt: the stages one probe passes on a device, and their intervals. */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hash.h>
#include <linux/kernel.h>
#include <linux/percpu.h>

#include "sriov_rtt.h"

static void srtt_ahist_add(struct srtt_ahist *a, u64 ns)
{
	s64 v = ns, old;

	if (ns > SRTT_HIST_MAX_NS) {
		atomic64_inc(&a->over);
		return;
	}
	atomic64_inc(&a->bucket[srtt_hist_bucket(ns)]);
	atomic64_add(ns, &a->sum);
	/* min starts at 0 meaning "none": count is bumped last */
	old = atomic64_read(&a->min);
	while ((old == 0 && !atomic64_read(&a->count)) || v < old) {
		if (atomic64_try_cmpxchg(&a->min, &old, v))
			break;
	}
	old = atomic64_read(&a->max);
	while (v > old) {
		if (atomic64_try_cmpxchg(&a->max, &old, v))
			break;
	}
	atomic64_inc(&a->count);
}

void srtt_ahist_snapshot(struct srtt_ahist *a, struct srtt_hist *h)
{
	unsigned int i;

	h->over = atomic64_read(&a->over);
	h->min = atomic64_read(&a->min);
	h->max = atomic64_read(&a->max);
	h->sum = atomic64_read(&a->sum);
	h->count = 0;
	for (i = 0; i < SRTT_HIST_BUCKETS; i++) {
		h->bucket[i] = atomic64_read(&a->bucket[i]);
		h->count += h->bucket[i];
	}
}

void srtt_ahist_reset(struct srtt_ahist *a)
{
	unsigned int i;

	atomic64_set(&a->count, 0);
	atomic64_set(&a->over, 0);
	atomic64_set(&a->min, 0);
	atomic64_set(&a->max, 0);
	atomic64_set(&a->sum, 0);
	for (i = 0; i < SRTT_HIST_BUCKETS; i++)
		atomic64_set(&a->bucket[i], 0);
}

#define SRTT_TRACK_BUSY		BIT_ULL(63)
#define SRTT_TRACK_VALID	BIT_ULL(62)

static u64 srtt_key_pack(const struct srtt_key *key)
{
	return SRTT_TRACK_VALID | (u64)(key->probe & 3) << 49 |
	       (u64)(key->dir & 1) << 48 | (u64)key->id << 32 | key->seq;
}

/*
 * Is the probe in slot @t still between its stages on @d at @ts: short of
 * the last stage of its direction (tx_done, or tx_drv_done where the
 * driver does not release the skb; rx_nf_ingress) and stamped within the
 * last second?
 * Another probe taking the slot then loses the pairs still to come. @ts
 * may lie before the owner's stamp: rx_irq and rx_softirq carry the time
 * their interrupt or softirq began, which can be before the owner's stage.
 */
static bool srtt_track_pending(const struct srtt_dev *d,
			       const struct srtt_track *t, u64 ts)
{
	u8 last = SRTT_STAGE_RX_NF_INGRESS;

	if (srtt_stage_is_tx(t->stage))
		last = srtt_dev_tx_done(d) ? SRTT_STAGE_TX_DONE :
					     SRTT_STAGE_TX_DRV_DONE;
	return t->stage != last && (s64)(ts - t->ts) < (s64)SRTT_TX_MAX_AGE_NS;
}

/*
 * Note that the probe @key passed @stage at @ts on @d. When the same probe
 * passed an earlier stage of the same direction on @d before, the interval
 * goes into that pair's histogram. A slot is owned by one writer at a
 * time: a writer that finds it busy gives up and counts it, it never
 * waits; one that takes the slot from another probe still between its
 * stages counts that. Called with interrupts off.
 */
void srtt_path_stage(struct srtt_dev *d, const struct srtt_key *key,
		     u8 stage, u64 ts)
{
	u64 tag = srtt_key_pack(key);
	struct srtt_track *t = &d->track[hash_64(tag, ilog2(SRTT_TRACK_SLOTS))];
	s64 old = atomic64_read(&t->owner);
	int pair;

	if ((old & SRTT_TRACK_BUSY) ||
	    !atomic64_try_cmpxchg(&t->owner, &old, tag | SRTT_TRACK_BUSY)) {
		this_cpu_inc(d->stats->track_busy);
		return;
	}
	if (old == tag) {
		pair = srtt_pair_index(t->stage, stage);
		if (pair >= 0) {
			if (ts < t->ts || ts - t->ts > SRTT_HIST_MAX_NS)
				this_cpu_inc(d->stats->impossible);
			else
				srtt_ahist_add(&d->hist[pair], ts - t->ts);
		} else if (stage <= t->stage) {
			/*
			 * The same key again from the start (a new ping run),
			 * or a stage that arrived after a later one (a TX
			 * completion on another CPU): start over here.
			 */
			this_cpu_inc(d->stats->track_order);
		}
	} else if ((old & SRTT_TRACK_VALID) && srtt_track_pending(d, t, ts)) {
		this_cpu_inc(d->stats->track_evict);
	}
	t->stage = stage;
	t->ts = ts;
	atomic64_set_release(&t->owner, tag);
}
