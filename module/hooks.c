// SPDX-License-Identifier: GPL-2.0
/*
 * sriov_rtt: the stage hooks' common path. Every hook (tx.c, rx.c,
 * sock.c, hv.c, nf.c; registered by tp.c) runs in the packet path: no
 * locks, no allocation, no printk; a packet on a device that is not
 * attached, or that is not a probe, leaves after a few compares
 * (hooks.h). What is left for a probe or a sampled packet is here: its
 * key, and the record of a stage.
 */

#include <linux/if_vlan.h>
#include <linux/skbuff.h>

#include "hooks.h"

DEFINE_PER_CPU(struct srtt_pcpu, srtt_pcpu);

/*
 * Finish what srtt_skb_scan() began. A candidate is checked in the linear
 * part; a packet whose headers or key run on into the fragments (SHORT
 * in the scan or in the check) is copied, at most SRTT_CLS_MAX_LEN bytes,
 * and classified again.
 */
int srtt_skb_classify(const struct sk_buff *skb, u32 scan,
		      struct srtt_key *key, u16 *flags)
{
	struct srtt_cls_cfg cfg = { .stamp_port = READ_ONCE(srtt_cfg.stamp_port) };
	const u8 *mac = skb_mac_header(skb);
	int off = skb->data - mac;
	u32 len = skb_headlen(skb) + off;
	u8 buf[SRTT_CLS_MAX_LEN];
	int ret = SRTT_CLS_SHORT;

	*flags = 0;
	if (scan != SRTT_CLS_SHORT)
		ret = srtt_cls_check(mac, len, scan, key, flags);
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

void srtt_emit(struct srtt_dev *d, u8 stage, u64 ts, u64 hwts,
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

	if (!(d->stages & BIT(stage)))
		return;		/* not in the device's stage set */
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

u16 srtt_queue(const struct sk_buff *skb, u8 stage, u16 *flags)
{
	if (stage <= SRTT_STAGE_TX_HW)
		return skb_get_queue_mapping(skb);
	if (skb_rx_queue_recorded(skb))
		return skb_get_rx_queue(skb);
	*flags |= SRTT_REC_F_NO_QUEUE;
	return 0;
}

/*
 * 1-in-N sampling of the traffic that is not a probe, decided where a
 * packet first meets the device: tx_nf_egress for TX, rx_drv for RX.
 * A sampled packet's key is the device id and a per-device count.
 */
static bool srtt_sample(struct srtt_dev *d, const struct sk_buff *skb,
			u8 stage, u32 every, struct srtt_key *key, u16 *flags,
			u16 *queue, u64 ts)
{
	struct srtt_dev_stats *st = this_cpu_ptr(d->stats);
	struct srtt_skbt stale;

	if (++st->sample_ctr < every) {
		/* an entry left for this address belongs to a freed skb */
		srtt_skbt_take(skb, &stale);
		return false;
	}
	st->sample_ctr = 0;
	*key = (struct srtt_key) {
		.probe = SRTT_PROBE_NONE,
		.dir = stage <= SRTT_STAGE_TX_HW ? SRTT_DIR_FWD : SRTT_DIR_REV,
		.id = d->id,
		.seq = atomic_inc_return(&d->sample_seq),
	};
	*flags = SRTT_REC_F_SAMPLED;
	*queue = srtt_queue(skb, stage, flags);
	srtt_skbt_add(skb, d->ndev, key, *flags, *queue,
		      stage > SRTT_STAGE_TX_HW, ts);
	return true;
}

/*
 * Is the packet on @d at @stage, which srtt_skb_wanted() let through, a
 * probe or a sampled packet, and which?
 */
bool srtt_skb_key(struct srtt_dev *d, const struct sk_buff *skb,
		  u8 stage, u32 scan, struct srtt_key *key, u16 *flags,
		  u16 *queue, u64 *ts)
{
	struct srtt_skbt c;
	u32 every;
	int ret;

	ret = scan == SRTT_CLS_NONE ? SRTT_CLS_NONE :
				      srtt_skb_classify(skb, scan, key, flags);
	if (ret == SRTT_CLS_PROBE) {
		*ts = ktime_get_ns();
		*queue = srtt_queue(skb, stage, flags);
		return true;
	}
	if (unlikely(ret != SRTT_CLS_NONE)) {
		this_cpu_inc(d->stats->bad[stage]);
		return false;
	}
	every = READ_ONCE(srtt_cfg.sample);
	if (likely(!every))
		return false;
	*ts = ktime_get_ns();
	if (stage == d->tx_first || stage == SRTT_STAGE_RX_DRV)
		return srtt_sample(d, skb, stage, every, key, flags, queue,
				   *ts);
	if (stage == SRTT_STAGE_RX_NF_INGRESS ? !srtt_skbt_take(skb, &c) :
						!srtt_skbt_find(skb, &c))
		return false;
	if (c.ndev != d->ndev)
		return false;
	*key = c.key;
	*flags = c.flags & ~SRTT_REC_F_NO_QUEUE;
	*queue = srtt_queue(skb, stage, flags);
	return true;
}

/*
 * A stage where only the skb tells the packet. Out of line, like every
 * hook's work past srtt_skb_wanted(): its frame (a key, a buffer to
 * copy headers into) is not paid by the packets that leave before.
 */
noinline void srtt_skb_stage(struct srtt_dev *d,
			     const struct sk_buff *skb, u8 stage,
			     u32 scan)
{
	struct srtt_key key;
	u16 flags, queue;
	u64 ts;

	if (srtt_skb_key(d, skb, stage, scan, &key, &flags, &queue, &ts))
		srtt_emit(d, stage, ts, 0, &key, flags, queue);
}
