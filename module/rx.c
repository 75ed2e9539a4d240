// SPDX-License-Identifier: GPL-2.0
/*
 * sriov_rtt: the RX stages up to the stack. rx_irq (irq_handler_entry of
 * the device's RX vectors), rx_softirq (NET_RX), rx_hw and rx_drv (the
 * driver hands the skb over: napi_gro_receive_entry and its kin) and
 * rx_stack (netif_receive_skb).
 */

#include <linux/bitmap.h>
#include <linux/interrupt.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>

#include "hooks.h"

/* IRQ numbers the hot path can watch; larger ones are reported. */
#define SRTT_IRQ_BITS	8192

static DECLARE_BITMAP(srtt_irq_bits, SRTT_IRQ_BITS);
static unsigned int srtt_irq_unwatchable;	/* protected by srtt_lock */

/*
 * Does vector @j of @d, in @action, hand packets up? A TX-only vector
 * (igbvf's "-tx-", virtio's "output") does not: it would stand in for the
 * RX interrupt of the next packet. The name is read once per irqaction.
 * srtt_irqs_find() forgets what was read when the device comes up, so an
 * irqaction freed by close and allocated again at the same address by
 * open, under another name, is read anew from NETDEV_UP on.
 */
static bool srtt_irq_rx(struct srtt_dev *d, unsigned int j,
			const struct irqaction *action)
{
	unsigned long kind = READ_ONCE(d->irq_kind[j]);
	bool tx;

	if (likely((kind & ~1UL) == (unsigned long)action))
		return !(kind & 1);
	tx = action->name && (strstr(action->name, "-tx-") ||
			      strstr(action->name, "output"));
	WRITE_ONCE(d->irq_kind[j], (unsigned long)action | tx);
	return !tx;
}

void srtt_tp_irq_entry(void *data, int irq, struct irqaction *action)
{
	struct srtt_table *t;
	struct srtt_dev *d;
	unsigned int i, j;

	if (likely((unsigned int)irq >= SRTT_IRQ_BITS ||
		   !test_bit(irq, srtt_irq_bits))) {
		if (READ_ONCE(srtt_hv_watch) && action->name &&
		    !strncmp(action->name, "vfio-msi", 8))
			srtt_hv_irq_entry(irq, action->name);
		return;
	}
	t = srtt_table_hot();
	for (i = 0; t && i < t->n; i++) {
		d = t->devs[i];
		for (j = 0; j < d->nirqs; j++) {
			if (d->irqs[j] != irq)
				continue;
			this_cpu_inc(d->stats->irqs);
			if (srtt_irq_rx(d, j, action)) {
				this_cpu_write(d->irq_ts->ts, ktime_get_ns());
				this_cpu_write(d->irq_ts->softirq, 0);
			}
		}
	}
}

/* A NAPI poll: counted for the notifications a run cost */
void srtt_tp_napi_poll(void *data, struct napi_struct *napi, int work,
		       int budget)
{
	struct srtt_dev *d = srtt_dev_lookup(napi->dev);

	if (d)
		this_cpu_inc(d->stats->napi_polls);
}

void srtt_tp_softirq_entry(void *data, unsigned int vec_nr)
{
	if (vec_nr == NET_RX_SOFTIRQ)
		this_cpu_write(srtt_pcpu.softirq_ts, ktime_get_ns());
}

/*
 * The driver hands a packet to the stack. For a probe or a sampled
 * packet this also emits the stages before it that are not tied to one
 * skb: the hardware stamp, the last interrupt of this device on this CPU,
 * and the NET_RX softirq that polled it.
 */
static noinline void srtt_rx_drv(struct srtt_dev *d, const struct sk_buff *skb,
				 u32 scan)
{
	struct skb_shared_hwtstamps *hw;
	struct srtt_key key;
	u64 ts, irq_ts, sirq_ts, used;
	u16 flags, queue;

	if (!srtt_skb_key(d, skb, SRTT_STAGE_RX_DRV, scan, &key, &flags,
			  &queue, &ts))
		return;
	hw = skb_hwtstamps((struct sk_buff *)skb);
	if (hw->hwtstamp)
		srtt_emit(d, SRTT_STAGE_RX_HW, ts, ktime_to_ns(hw->hwtstamp),
			  &key, flags | SRTT_REC_F_HWTS, queue);
	/*
	 * The interrupt belongs to this packet if it came on this CPU and
	 * no earlier softirq run has handed packets over since: NAPI polling
	 * on without interrupts, or polling on another CPU, leaves it out.
	 */
	sirq_ts = in_softirq() ? this_cpu_read(srtt_pcpu.softirq_ts) : 0;
	irq_ts = this_cpu_read(d->irq_ts->ts);
	used = this_cpu_read(d->irq_ts->softirq);
	if (irq_ts && irq_ts <= ts && (!used || used == sirq_ts)) {
		this_cpu_write(d->irq_ts->softirq, sirq_ts ?: 1);
		srtt_emit(d, SRTT_STAGE_RX_IRQ, irq_ts, 0, &key, flags, queue);
	} else {
		irq_ts = 0;
	}
	if (sirq_ts && sirq_ts >= irq_ts && sirq_ts <= ts)
		srtt_emit(d, SRTT_STAGE_RX_SOFTIRQ, sirq_ts, 0, &key, flags,
			  queue);
	srtt_emit(d, SRTT_STAGE_RX_DRV, ts, 0, &key, flags, queue);
}

/*
 * When rx_stack's hook last had to look (jiffies): it looks at packets
 * for a second past a packet that may be a probe, or is sampled, on an
 * attached device at a driver hand-over or at netif_rx (where
 * dev_forward_skb(), a macvlan bridge, ipvlan and a BPF ingress redirect
 * come in without a hand-over tracepoint). Every packet netif_receive_skb
 * sees passed one of them first (X.25 WAN drivers aside), on this CPU or
 * on the one that queued it to this one's backlog, whose lock orders the
 * write before the read. Non-probe traffic then pays rx_stack's
 * tracepoint call and two reads, not the device lookup and header scan.
 */
static unsigned long srtt_rx_armed_at;

static __always_inline void srtt_rx_arm(void)
{
	unsigned long now = jiffies;

	if (READ_ONCE(srtt_rx_armed_at) != now)
		WRITE_ONCE(srtt_rx_armed_at, now);
}

void srtt_tp_rx_entry(void *data, const struct sk_buff *skb)
{
	struct srtt_dev *d;
	u32 scan;

	d = srtt_skb_hook(skb, skb->dev, &scan);
	if (d) {
		srtt_rx_arm();
		srtt_rx_drv(d, skb, scan);
	}
}

/* netif_rx: only what may come to netif_receive_skb without a hand-over */
void srtt_tp_netif_rx(void *data, struct sk_buff *skb)
{
	u32 scan;

	if (srtt_skb_hook(skb, skb->dev, &scan))
		srtt_rx_arm();
}

/* rx_stack, and a STAMP probe filed for rx_sock */
static noinline void srtt_rx_stack(struct srtt_dev *d,
				   const struct sk_buff *skb, u32 scan)
{
	struct srtt_key key;
	u16 flags, queue;
	u64 ts;

	if (!srtt_skb_key(d, skb, SRTT_STAGE_RX_STACK, scan, &key, &flags,
			  &queue, &ts))
		return;
	srtt_emit(d, SRTT_STAGE_RX_STACK, ts, 0, &key, flags, queue);
	if (key.probe == SRTT_PROBE_STAMP)
		srtt_rx_recent_add(skb, d, &key, flags, queue, ts);
}

void srtt_tp_netif_receive_skb(void *data, struct sk_buff *skb)
{
	struct srtt_dev *d;
	u32 scan;

	/* unsigned: right across a wrap; closed for 2^32 jiffies at worst */
	if (likely(jiffies - READ_ONCE(srtt_rx_armed_at) > HZ))
		return;
	d = srtt_skb_hook(skb, skb->dev, &scan);
	if (d)
		srtt_rx_stack(d, skb, scan);
}

/* Recompute the watched IRQ set from the attached devices. */
void srtt_irqs_update(void)
{
	unsigned int i, j, skipped = 0;
	bool pf = false, tap = false;
	struct srtt_dev *d;

	lockdep_assert_held(&srtt_lock);
	bitmap_zero(srtt_irq_bits, SRTT_IRQ_BITS);
	for (i = 0; i < SRTT_MAX_DEVS; i++) {
		d = srtt_devs[i];
		if (!d)
			continue;
		pf |= d->role == SRTT_ROLE_PF;
		tap |= d->role == SRTT_ROLE_TAP;
		for (j = 0; j < d->nirqs; j++) {
			if ((unsigned int)d->irqs[j] < SRTT_IRQ_BITS)
				set_bit(d->irqs[j], srtt_irq_bits);
			else
				skipped++;
		}
	}
	srtt_irq_unwatchable = skipped;
	srtt_hv_set(pf, tap);
}

void srtt_rx_show(struct seq_file *m)
{
	lockdep_assert_held(&srtt_lock);
	seq_printf(m, "irq: unwatchable %u\n", srtt_irq_unwatchable);
}
