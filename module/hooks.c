// SPDX-License-Identifier: GPL-2.0
/*
 * sriov_rtt: the stage hooks. Tracepoints (found by name, most are not
 * exported) and netfilter netdev hooks stamp probe packets on attached
 * devices. Everything here runs in the packet path: no locks, no
 * allocation, no printk; a packet on a device that is not attached, or
 * that is not a probe, leaves after a few compares.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitmap.h>
#include <linux/hash.h>
#include <linux/if_vlan.h>
#include <linux/interrupt.h>
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/netfilter_netdev.h>
#include <linux/percpu.h>
#include <linux/seq_file.h>
#include <linux/skbuff.h>
#include <linux/tracepoint.h>

#include "sriov_rtt.h"

/* IRQ numbers the hot path can watch; larger ones are reported. */
#define SRTT_IRQ_BITS	8192
#define SRTT_XMIT_DEPTH	4

/* A probe between net_dev_start_xmit and net_dev_xmit on this CPU. */
struct srtt_xmit {
	const struct sk_buff	*skb;
	const struct net_device	*ndev;
	struct srtt_key		key;
	u16			flags;
	u16			queue;
};

struct srtt_pcpu {
	struct srtt_xmit	xmit[SRTT_XMIT_DEPTH];	/* nested xmits */
	unsigned int		depth;
	u64			softirq_ts;	/* last NET_RX softirq entry */
};

/* A probe between tx_drv and the skb's release by the driver. */
struct srtt_txf {
	atomic_long_t		skb;	/* 0 free, 1 being written, or the skb */
	const struct net_device	*ndev;
	struct srtt_key		key;
	u16			flags;
	u16			queue;
	u64			ts;
};

#define SRTT_TXF_BUSY	1UL

static DEFINE_PER_CPU(struct srtt_pcpu, srtt_pcpu);
static struct srtt_txf srtt_txf[SRTT_TX_SLOTS];
static atomic_t srtt_txf_used;
static DECLARE_BITMAP(srtt_irq_bits, SRTT_IRQ_BITS);

/* Global counters of what the hooks could not do; see 'stats'. */
static atomic64_t srtt_txf_full;	/* no tx_done slot free */
static atomic64_t srtt_txf_stale;	/* tx_done never seen within 1 s */
static atomic64_t srtt_txf_dropped;	/* freed by kfree_skb: a drop */
static atomic64_t srtt_xmit_deep;	/* xmit nesting beyond the stack */
static unsigned int srtt_irq_unwatchable;	/* protected by srtt_lock */

/* ---- the common hot path ---- */

static struct srtt_dev *srtt_dev_lookup(const struct net_device *ndev)
{
	struct srtt_table *t = rcu_dereference(srtt_table);
	unsigned int i;

	if (!t)
		return NULL;
	for (i = 0; i < t->n; i++)
		if (t->devs[i]->ndev == ndev)
			return t->devs[i];
	return NULL;
}

/*
 * Classify from the Ethernet header. The linear part is enough for
 * nearly every packet; a probe whose headers are split over fragments is
 * copied, at most SRTT_CLS_MAX_LEN bytes.
 */
static int srtt_skb_classify(const struct sk_buff *skb, struct srtt_key *key,
			     u16 *flags)
{
	struct srtt_cls_cfg cfg = { .stamp_port = READ_ONCE(srtt_cfg.stamp_port) };
	u8 buf[SRTT_CLS_MAX_LEN];
	const u8 *mac;
	int off, ret;
	u32 len;

	if (!skb_mac_header_was_set(skb))
		return SRTT_CLS_NONE;
	mac = skb_mac_header(skb);
	off = skb->data - mac;
	if (off < 0)
		return SRTT_CLS_NONE;
	len = skb_headlen(skb) + off;
	*flags = 0;
	ret = srtt_classify(mac, len, &cfg, key, flags);
	if (ret == SRTT_CLS_SHORT && skb->len + off > len) {
		len = min_t(u32, skb->len + off, sizeof(buf));
		if (skb_copy_bits(skb, -off, buf, len))
			return SRTT_CLS_BAD;
		ret = srtt_classify(buf, len, &cfg, key, flags);
	}
	if (skb_vlan_tag_present(skb))
		*flags |= SRTT_REC_F_VLAN;
	return ret;
}

static void srtt_emit(struct srtt_dev *d, u8 stage, u64 ts, u64 hwts,
		      const struct srtt_key *key, u16 flags, u16 queue)
{
	struct srtt_record rec = {
		.ts = ts,
		.hwts = hwts,
		.ifindex = d->ndev->ifindex,
		.queue = queue,
		.stage = stage,
		.dev_id = d->id,
		.flags = flags,
		.key = *key,
	};
	unsigned long irqflags;

	local_irq_save(irqflags);
	rec.cpu = smp_processor_id();
	if (srtt_ring_put(&rec))
		this_cpu_inc(d->stats->hits[stage]);
	else
		this_cpu_inc(d->stats->lost[stage]);
	/* hardware stamps are another clock: never paired with ts */
	if (!(flags & SRTT_REC_F_HWTS))
		srtt_path_stage(d, key, stage, ts);
	local_irq_restore(irqflags);
}

static u16 srtt_rx_queue(const struct sk_buff *skb, u16 *flags)
{
	if (skb_rx_queue_recorded(skb))
		return skb_get_rx_queue(skb);
	*flags |= SRTT_REC_F_NO_QUEUE;
	return 0;
}

/* A stage where only the skb tells the device and the packet. */
static void srtt_skb_stage(struct srtt_dev *d, const struct sk_buff *skb,
			   u8 stage)
{
	struct srtt_key key;
	u16 flags, queue;
	int ret;

	ret = srtt_skb_classify(skb, &key, &flags);
	if (likely(ret == SRTT_CLS_NONE))
		return;
	if (ret != SRTT_CLS_PROBE) {
		this_cpu_inc(d->stats->bad[stage]);
		return;
	}
	if (stage <= SRTT_STAGE_TX_HW)
		queue = skb_get_queue_mapping(skb);
	else
		queue = srtt_rx_queue(skb, &flags);
	srtt_emit(d, stage, ktime_get_ns(), 0, &key, flags, queue);
}

static void srtt_skb_stage_dev(const struct sk_buff *skb,
			       const struct net_device *ndev, u8 stage)
{
	struct srtt_dev *d;

	rcu_read_lock();
	d = srtt_dev_lookup(ndev);
	if (d)
		srtt_skb_stage(d, skb, stage);
	rcu_read_unlock();
}

/* ---- TX ---- */

static void srtt_tp_net_dev_queue(void *data, struct sk_buff *skb)
{
	srtt_skb_stage_dev(skb, skb->dev, SRTT_STAGE_TX_QUEUE);
}

/* Remember the probe until the driver releases the skb (tx_done). */
static void srtt_txf_add(const struct sk_buff *skb, const struct net_device *ndev,
			 const struct srtt_key *key, u16 flags, u16 queue, u64 ts)
{
	struct srtt_txf *f = &srtt_txf[hash_ptr(skb, ilog2(SRTT_TX_SLOTS))];
	long old = atomic_long_read(&f->skb);

	if (old == SRTT_TXF_BUSY) {
		atomic64_inc(&srtt_txf_full);
		return;
	}
	if (old && ts - READ_ONCE(f->ts) < SRTT_TX_MAX_AGE_NS &&
	    old != (long)skb) {
		atomic64_inc(&srtt_txf_full);
		return;
	}
	if (!atomic_long_try_cmpxchg(&f->skb, &old, SRTT_TXF_BUSY)) {
		atomic64_inc(&srtt_txf_full);
		return;
	}
	if (old)
		atomic64_inc(&srtt_txf_stale);
	else
		atomic_inc(&srtt_txf_used);
	f->ndev = ndev;
	f->key = *key;
	f->flags = flags;
	f->queue = queue;
	WRITE_ONCE(f->ts, ts);
	atomic_long_set_release(&f->skb, (long)skb);
}

static void srtt_tp_start_xmit(void *data, const struct sk_buff *skb,
			       const struct net_device *ndev)
{
	struct srtt_pcpu *pc;
	struct srtt_xmit *x;
	struct srtt_dev *d;
	struct srtt_key key;
	u16 flags, queue;
	int ret;
	u64 ts;

	rcu_read_lock();
	d = srtt_dev_lookup(ndev);
	if (!d)
		goto out;
	ret = srtt_skb_classify(skb, &key, &flags);
	if (likely(ret == SRTT_CLS_NONE))
		goto out;
	if (ret != SRTT_CLS_PROBE) {
		this_cpu_inc(d->stats->bad[SRTT_STAGE_TX_DRV]);
		goto out;
	}
	ts = ktime_get_ns();
	queue = skb_get_queue_mapping(skb);
	srtt_emit(d, SRTT_STAGE_TX_DRV, ts, 0, &key, flags, queue);

	/* xmit runs with BH off: this CPU's stack is ours until net_dev_xmit */
	pc = this_cpu_ptr(&srtt_pcpu);
	if (pc->depth < SRTT_XMIT_DEPTH) {
		x = &pc->xmit[pc->depth++];
		x->skb = skb;
		x->ndev = ndev;
		x->key = key;
		x->flags = flags;
		x->queue = queue;
	} else {
		atomic64_inc(&srtt_xmit_deep);
	}
	srtt_txf_add(skb, ndev, &key, flags, queue, ts);
out:
	rcu_read_unlock();
}

/* The skb may be gone already: use what start_xmit saw, never the skb. */
static void srtt_tp_xmit(void *data, struct sk_buff *skb, int rc,
			 struct net_device *ndev, unsigned int skb_len)
{
	struct srtt_pcpu *pc = this_cpu_ptr(&srtt_pcpu);
	struct srtt_xmit x;
	struct srtt_dev *d;
	int i;

	for (i = (int)pc->depth - 1; i >= 0; i--)
		if (pc->xmit[i].skb == skb && pc->xmit[i].ndev == ndev)
			break;
	if (likely(i < 0))
		return;
	x = pc->xmit[i];
	pc->depth = i;
	if (rc != NETDEV_TX_OK)
		return;		/* requeued: start_xmit comes again */
	rcu_read_lock();
	d = srtt_dev_lookup(ndev);
	if (d)
		srtt_emit(d, SRTT_STAGE_TX_DRV_DONE, ktime_get_ns(), 0, &x.key,
			  x.flags, x.queue);
	rcu_read_unlock();
}

static void srtt_txf_release(const struct sk_buff *skb, bool consumed)
{
	struct srtt_txf *f;
	struct srtt_dev *d;
	long cur = (long)skb;
	struct srtt_txf c;
	u64 ts;

	if (likely(!atomic_read(&srtt_txf_used)))
		return;
	f = &srtt_txf[hash_ptr(skb, ilog2(SRTT_TX_SLOTS))];
	if (atomic_long_read(&f->skb) != cur ||
	    !atomic_long_try_cmpxchg_acquire(&f->skb, &cur, SRTT_TXF_BUSY))
		return;
	ts = ktime_get_ns();
	c = *f;
	atomic_long_set_release(&f->skb, 0);
	atomic_dec(&srtt_txf_used);
	if (!consumed) {
		atomic64_inc(&srtt_txf_dropped);
		return;
	}
	rcu_read_lock();
	d = srtt_dev_lookup(c.ndev);
	if (d)
		srtt_emit(d, SRTT_STAGE_TX_DONE, ts, 0, &c.key, c.flags,
			  c.queue);
	rcu_read_unlock();
}

static void srtt_tp_consume_skb(void *data, SRTT_TP_CONSUME_SKB_ARGS)
{
	srtt_txf_release(skb, true);
}

/*
 * Many drivers free transmitted skbs with dev_kfree_skb_any(), which is
 * traced as kfree_skb with no drop reason: that is a completion too. A
 * drop with a reason is not.
 */
static void srtt_tp_kfree_skb(void *data, SRTT_TP_KFREE_SKB_ARGS)
{
	srtt_txf_release(skb, reason == SKB_DROP_REASON_NOT_SPECIFIED);
}

/* ---- RX ---- */

static void srtt_tp_irq_entry(void *data, int irq, struct irqaction *action)
{
	struct srtt_table *t;
	unsigned int i, j;

	if (likely((unsigned int)irq >= SRTT_IRQ_BITS ||
		   !test_bit(irq, srtt_irq_bits)))
		return;
	rcu_read_lock();
	t = rcu_dereference(srtt_table);
	for (i = 0; t && i < t->n; i++)
		for (j = 0; j < t->devs[i]->nirqs; j++)
			if (t->devs[i]->irqs[j] == irq)
				this_cpu_write(*t->devs[i]->irq_ts,
					       ktime_get_ns());
	rcu_read_unlock();
}

static void srtt_tp_softirq_entry(void *data, unsigned int vec_nr)
{
	if (vec_nr == NET_RX_SOFTIRQ)
		this_cpu_write(srtt_pcpu.softirq_ts, ktime_get_ns());
}

/*
 * The driver hands a packet to the stack. For a probe this also emits
 * the stages before it that are not tied to one skb: the hardware stamp,
 * the last interrupt of this device on this CPU, and the NET_RX softirq
 * that polled it.
 */
static void srtt_rx_drv(const struct sk_buff *skb)
{
	struct skb_shared_hwtstamps *hw;
	struct srtt_dev *d;
	struct srtt_key key;
	u64 ts, irq_ts, sirq_ts;
	u16 flags, queue;
	int ret;

	rcu_read_lock();
	d = srtt_dev_lookup(skb->dev);
	if (!d)
		goto out;
	ret = srtt_skb_classify(skb, &key, &flags);
	if (likely(ret == SRTT_CLS_NONE))
		goto out;
	if (ret != SRTT_CLS_PROBE) {
		this_cpu_inc(d->stats->bad[SRTT_STAGE_RX_DRV]);
		goto out;
	}
	ts = ktime_get_ns();
	queue = srtt_rx_queue(skb, &flags);
	hw = skb_hwtstamps((struct sk_buff *)skb);
	if (hw->hwtstamp)
		srtt_emit(d, SRTT_STAGE_RX_HW, ts, ktime_to_ns(hw->hwtstamp),
			  &key, flags | SRTT_REC_F_HWTS, queue);
	irq_ts = this_cpu_read(*d->irq_ts);
	if (irq_ts && irq_ts <= ts)
		srtt_emit(d, SRTT_STAGE_RX_IRQ, irq_ts, 0, &key, flags, queue);
	else
		irq_ts = 0;
	sirq_ts = this_cpu_read(srtt_pcpu.softirq_ts);
	if (sirq_ts && sirq_ts >= irq_ts && sirq_ts <= ts && in_softirq())
		srtt_emit(d, SRTT_STAGE_RX_SOFTIRQ, sirq_ts, 0, &key, flags,
			  queue);
	srtt_emit(d, SRTT_STAGE_RX_DRV, ts, 0, &key, flags, queue);
out:
	rcu_read_unlock();
}

static void srtt_tp_rx_entry(void *data, const struct sk_buff *skb)
{
	srtt_rx_drv(skb);
}

static void srtt_tp_netif_receive_skb(void *data, struct sk_buff *skb)
{
	srtt_skb_stage_dev(skb, skb->dev, SRTT_STAGE_RX_STACK);
}

/* ---- netfilter netdev hooks: one pair per attached device ---- */

static unsigned int srtt_nf_hook(void *priv, struct sk_buff *skb,
				 const struct nf_hook_state *state)
{
	struct srtt_dev *d = priv;

	srtt_skb_stage(d, skb, state->hook == NF_NETDEV_INGRESS ?
		       SRTT_STAGE_RX_NF_INGRESS : SRTT_STAGE_TX_NF_EGRESS);
	return NF_ACCEPT;
}

int srtt_nf_register(struct srtt_dev *d)
{
	static const unsigned int hooknum[] = { NF_NETDEV_INGRESS, NF_NETDEV_EGRESS };
	int i, err;

	for (i = 0; i < ARRAY_SIZE(d->nf_ops); i++) {
		d->nf_ops[i] = (struct nf_hook_ops) {
			.hook = srtt_nf_hook,
			.dev = d->ndev,
			.priv = d,
			.pf = NFPROTO_NETDEV,
			.hooknum = hooknum[i],
			.priority = INT_MIN,
		};
		err = nf_register_net_hook(dev_net(d->ndev), &d->nf_ops[i]);
		if (err)
			goto err_unregister;
		d->nf_registered |= BIT(i);
	}
	return 0;

err_unregister:
	srtt_nf_unregister(d);
	return err;
}

void srtt_nf_unregister(struct srtt_dev *d)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(d->nf_ops); i++)
		if (d->nf_registered & BIT(i))
			nf_unregister_net_hook(dev_net(d->ndev), &d->nf_ops[i]);
	d->nf_registered = 0;
}

/* ---- tracepoints, registered while anything is attached ---- */

struct srtt_tp {
	const char		*name;
	void			*probe;
	struct tracepoint	*tp;
	bool			registered;
};

static struct srtt_tp srtt_tps[] = {
	{ "net_dev_queue",		 srtt_tp_net_dev_queue },
	{ "net_dev_start_xmit",		 srtt_tp_start_xmit },
	{ "net_dev_xmit",		 srtt_tp_xmit },
	{ "consume_skb",		 srtt_tp_consume_skb },
	{ "kfree_skb",			 srtt_tp_kfree_skb },
	{ "irq_handler_entry",		 srtt_tp_irq_entry },
	{ "softirq_entry",		 srtt_tp_softirq_entry },
	{ "napi_gro_receive_entry",	 srtt_tp_rx_entry },
	{ "napi_gro_frags_entry",	 srtt_tp_rx_entry },
	{ "netif_receive_skb_entry",	 srtt_tp_rx_entry },
	{ "netif_receive_skb_list_entry", srtt_tp_rx_entry },
	{ "netif_rx_entry",		 srtt_tp_rx_entry },
	{ "netif_receive_skb",		 srtt_tp_netif_receive_skb },
};

static unsigned int srtt_hooks_users;	/* protected by srtt_lock */

static void srtt_tp_find(struct tracepoint *tp, void *priv)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(srtt_tps); i++)
		if (!strcmp(tp->name, srtt_tps[i].name))
			srtt_tps[i].tp = tp;
}

int srtt_hooks_init(void)
{
	for_each_kernel_tracepoint(srtt_tp_find, NULL);
	return 0;
}

static void srtt_tps_unregister(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(srtt_tps); i++) {
		if (!srtt_tps[i].registered)
			continue;
		tracepoint_probe_unregister(srtt_tps[i].tp, srtt_tps[i].probe,
					    NULL);
		srtt_tps[i].registered = false;
	}
	tracepoint_synchronize_unregister();
}

int srtt_hooks_get(void)
{
	unsigned int i;
	int err;

	lockdep_assert_held(&srtt_lock);
	if (srtt_hooks_users++)
		return 0;
	for (i = 0; i < ARRAY_SIZE(srtt_tps); i++) {
		if (!srtt_tps[i].tp)
			continue;
		err = tracepoint_probe_register(srtt_tps[i].tp,
						srtt_tps[i].probe, NULL);
		if (err) {
			pr_err("cannot attach to tracepoint %s: %d\n",
			       srtt_tps[i].name, err);
			srtt_tps_unregister();
			srtt_hooks_users--;
			return err;
		}
		srtt_tps[i].registered = true;
	}
	return 0;
}

void srtt_hooks_put(void)
{
	unsigned int i;

	lockdep_assert_held(&srtt_lock);
	if (--srtt_hooks_users)
		return;
	srtt_tps_unregister();
	/* nothing in flight can finish any more */
	for (i = 0; i < SRTT_TX_SLOTS; i++)
		atomic_long_set(&srtt_txf[i].skb, 0);
	atomic_set(&srtt_txf_used, 0);
}

void srtt_hooks_fini(void)
{
	WARN_ON_ONCE(srtt_hooks_users);
}

/* Recompute the watched IRQ set from the attached devices. */
void srtt_irqs_update(void)
{
	unsigned int i, j, skipped = 0;
	struct srtt_dev *d;

	lockdep_assert_held(&srtt_lock);
	bitmap_zero(srtt_irq_bits, SRTT_IRQ_BITS);
	for (i = 0; i < SRTT_MAX_DEVS; i++) {
		d = srtt_devs[i];
		if (!d)
			continue;
		for (j = 0; j < d->nirqs; j++) {
			if ((unsigned int)d->irqs[j] < SRTT_IRQ_BITS)
				set_bit(d->irqs[j], srtt_irq_bits);
			else
				skipped++;
		}
	}
	srtt_irq_unwatchable = skipped;
}

void srtt_hooks_show(struct seq_file *m)
{
	unsigned int i;

	lockdep_assert_held(&srtt_lock);
	for (i = 0; i < ARRAY_SIZE(srtt_tps); i++)
		seq_printf(m, "tracepoint: %s %s\n", srtt_tps[i].name,
			   !srtt_tps[i].tp ? "missing" :
			   srtt_tps[i].registered ? "attached" : "idle");
	seq_printf(m, "tx_done: in_flight %d no_slot %lld never_freed %lld dropped %lld\n",
		   atomic_read(&srtt_txf_used), atomic64_read(&srtt_txf_full),
		   atomic64_read(&srtt_txf_stale),
		   atomic64_read(&srtt_txf_dropped));
	seq_printf(m, "xmit: nested_too_deep %lld\n",
		   atomic64_read(&srtt_xmit_deep));
	seq_printf(m, "irq: unwatchable %u\n", srtt_irq_unwatchable);
}
