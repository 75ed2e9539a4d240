// SPDX-License-Identifier: GPL-2.0
/*
 * sriov_rtt: the TX stages. tx_queue (net_dev_queue), tx_drv and
 * tx_drv_done (net_dev_start_xmit, net_dev_xmit) and tx_done, the
 * driver's release of the skb (consume_skb, kfree_skb), which the
 * skb-follow table (skbt.c) matches to its probe.
 */

#include <linux/netdevice.h>
#include <linux/skbuff.h>

#include "hooks.h"

static atomic64_t srtt_xmit_deep;	/* xmit nesting beyond the stack */

void srtt_tp_net_dev_queue(void *data, struct sk_buff *skb)
{
	srtt_skb_stage_dev(skb, skb->dev, SRTT_STAGE_TX_QUEUE);
}

static noinline void srtt_tx_drv(struct srtt_dev *d, const struct sk_buff *skb,
				 const struct net_device *ndev, u32 scan)
{
	struct srtt_pcpu *pc;
	struct srtt_xmit *x;
	struct srtt_key key;
	u16 flags, queue;
	u64 ts;

	if (!srtt_skb_key(d, skb, SRTT_STAGE_TX_DRV, scan, &key, &flags,
			  &queue, &ts))
		return;
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
	/* a sampled packet is followed already */
	if (!(flags & SRTT_REC_F_SAMPLED) && srtt_dev_tx_done(d))
		srtt_skbt_add(skb, ndev, &key, flags, queue, false, ts);
}

void srtt_tp_start_xmit(void *data, const struct sk_buff *skb,
			const struct net_device *ndev)
{
	struct srtt_dev *d;
	u32 scan;

	d = srtt_skb_hook(skb, ndev, &scan);
	if (d)
		srtt_tx_drv(d, skb, ndev, scan);
}

/* The skb may be gone already: use what start_xmit saw, never the skb. */
void srtt_tp_xmit(void *data, struct sk_buff *skb, int rc,
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
	d = srtt_dev_lookup(ndev);
	if (d)
		srtt_emit(d, SRTT_STAGE_TX_DRV_DONE, ktime_get_ns(), 0, &x.key,
			  x.flags, x.queue);
}

SRTT_TP_CONSUME_SKB_PROBE(srtt_tp_consume_skb)
{
	if (unlikely(srtt_skbt_busy()))
		srtt_skbt_freed(skb, true);
	/* a received skb that a task frees: an application read it */
	if (skb->skb_iif && in_task())
		srtt_rx_copied(skb);
}

/*
 * Many drivers free transmitted skbs with dev_kfree_skb_any(), which is
 * traced as kfree_skb with no drop reason: that is a completion too. A
 * drop with a reason is not.
 */
SRTT_TP_KFREE_SKB_PROBE(srtt_tp_kfree_skb)
{
	if (unlikely(srtt_skbt_busy()))
		srtt_skbt_freed(skb, reason == SKB_DROP_REASON_NOT_SPECIFIED);
}

void srtt_tx_show(struct seq_file *m)
{
	seq_printf(m, "xmit: nested_too_deep %lld\n",
		   atomic64_read(&srtt_xmit_deep));
}
