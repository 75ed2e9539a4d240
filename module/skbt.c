// SPDX-License-Identifier: GPL-2.0
/*
 * sriov_rtt: following an skb by its address, without a lock: a probe
 * between tx_drv and the driver's release of the skb (tx_done), or a
 * sampled packet through all its stages on one device. A slot is taken
 * with a cmpxchg to SRTT_SKBT_BUSY, written, and published with the
 * skb's address.
 */

#include <linux/hash.h>
#include <linux/skbuff.h>

#include "hooks.h"

#define SRTT_SKBT_BUSY	1L

static struct srtt_skbt srtt_skbt[SRTT_SKB_SLOTS];
atomic_t srtt_skbt_used;

/* What the table could not do; see 'stats'. */
static atomic64_t srtt_skbt_full;	/* no slot free to follow an skb */
static atomic64_t srtt_skbt_stale;	/* followed skb never freed in 1 s */
static atomic64_t srtt_skbt_dropped;	/* followed TX skb dropped */

static struct srtt_skbt *srtt_skbt_slot(const struct sk_buff *skb)
{
	return &srtt_skbt[hash_ptr(skb, ilog2(SRTT_SKB_SLOTS))];
}

void srtt_skbt_add(const struct sk_buff *skb,
		   const struct net_device *ndev,
		   const struct srtt_key *key, u16 flags, u16 queue,
		   bool rx, u64 ts)
{
	struct srtt_skbt *f = srtt_skbt_slot(skb);
	long old = atomic_long_read(&f->skb);

	if (old == SRTT_SKBT_BUSY ||
	    (old && old != (long)skb &&
	     ts - READ_ONCE(f->ts) < SRTT_TX_MAX_AGE_NS) ||
	    !atomic_long_try_cmpxchg(&f->skb, &old, SRTT_SKBT_BUSY)) {
		atomic64_inc(&srtt_skbt_full);
		return;
	}
	if (old)
		atomic64_inc(&srtt_skbt_stale);
	else
		atomic_inc(&srtt_skbt_used);
	f->ndev = ndev;
	f->key = *key;
	f->flags = flags;
	f->queue = queue;
	f->rx = rx;
	WRITE_ONCE(f->ts, ts);
	atomic_long_set_release(&f->skb, (long)skb);
}

/*
 * Copy @skb's entry into @c, and with @take leave its slot free; false
 * if it has none. The slot is BUSY while it is read.
 */
static __always_inline bool srtt_skbt_get(const struct sk_buff *skb,
					  struct srtt_skbt *c, bool take)
{
	struct srtt_skbt *f;
	long cur = (long)skb;

	if (likely(!atomic_read(&srtt_skbt_used)))
		return false;
	f = srtt_skbt_slot(skb);
	if (atomic_long_read(&f->skb) != cur ||
	    !atomic_long_try_cmpxchg_acquire(&f->skb, &cur, SRTT_SKBT_BUSY))
		return false;
	c->ndev = f->ndev;
	c->key = f->key;
	c->flags = f->flags;
	c->queue = f->queue;
	c->rx = f->rx;
	atomic_long_set_release(&f->skb, take ? 0 : (long)skb);
	if (take)
		atomic_dec(&srtt_skbt_used);
	return true;
}

/* Take @skb's entry out of the table into @c; false if it has none. */
bool srtt_skbt_take(const struct sk_buff *skb, struct srtt_skbt *c)
{
	return srtt_skbt_get(skb, c, true);
}

/* Copy @skb's entry without taking it out. */
bool srtt_skbt_find(const struct sk_buff *skb, struct srtt_skbt *c)
{
	return srtt_skbt_get(skb, c, false);
}

/*
 * An skb freed while the table follows some: is it one of them? A
 * consumed TX skb is its probe's tx_done, a dropped one is counted.
 */
noinline void srtt_skbt_freed(const struct sk_buff *skb, bool consumed)
{
	struct srtt_skbt c;
	struct srtt_dev *d;
	u64 ts;

	if (!srtt_skbt_take(skb, &c) || c.rx)
		return;
	ts = ktime_get_ns();
	if (!consumed) {
		atomic64_inc(&srtt_skbt_dropped);
		return;
	}
	d = srtt_dev_lookup(c.ndev);
	if (d)
		srtt_emit(d, SRTT_STAGE_TX_DONE, ts, 0, &c.key, c.flags,
			  c.queue);
}

/* Nothing followed can finish any more: the hooks are gone. */
void srtt_skbt_reset(void)
{
	unsigned int i;

	for (i = 0; i < SRTT_SKB_SLOTS; i++)
		atomic_long_set(&srtt_skbt[i].skb, 0);
	atomic_set(&srtt_skbt_used, 0);
}

void srtt_skbt_show(struct seq_file *m)
{
	seq_printf(m, "skb_follow: in_flight %d no_slot %lld never_freed %lld tx_dropped %lld\n",
		   atomic_read(&srtt_skbt_used), atomic64_read(&srtt_skbt_full),
		   atomic64_read(&srtt_skbt_stale),
		   atomic64_read(&srtt_skbt_dropped));
}
