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
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/netfilter_netdev.h>
#include <linux/pci.h>
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

/*
 * A passed-through VF's interrupt being handled on this CPU: between its
 * irq_handler_entry and _exit, KVM's irqfd turns it into a guest vector.
 * Also what a vhost worker's signal stands for (vf SRTT_EVENT_NO_VF).
 */
struct srtt_hv_irq {
	int			irq;		/* 0: none */
	u8			dev_id;
	u16			vf;
	u16			entry;
};

struct srtt_pcpu {
	struct srtt_xmit	xmit[SRTT_XMIT_DEPTH];	/* nested xmits */
	unsigned int		depth;
	u64			softirq_ts;	/* last NET_RX softirq entry */
	struct srtt_hv_irq	hv;
};

/*
 * A guest vector raised for a VF interrupt or a vhost signal and not yet
 * injected, filed by vector: KVM injects it when the vCPU next enters
 * the guest.
 */
struct srtt_hv_armed {
	atomic_t		state;	/* SRTT_HV_* */
	u8			dev_id;
	u8			vector;
	u16			vf;
	u16			entry;
	u64			ts;
};

#define SRTT_HV_FREE		0
#define SRTT_HV_BUSY		1
#define SRTT_HV_ARMED		2
#define SRTT_HV_SLOTS		16
#define SRTT_HV_MAX_AGE_NS	(1000ULL * NSEC_PER_MSEC)

/*
 * A packet followed by its skb pointer: a probe between tx_drv and the
 * driver's release of the skb (tx_done), or a sampled packet through all
 * its stages on one device.
 */
struct srtt_skbt {
	atomic_long_t		skb;	/* 0 free, 1 being written, or the skb */
	const struct net_device	*ndev;
	struct srtt_key		key;
	u16			flags;
	u16			queue;
	bool			rx;	/* released without a tx_done */
	u64			ts;
};

#define SRTT_SKBT_BUSY	1L

static DEFINE_PER_CPU(struct srtt_pcpu, srtt_pcpu);
static struct srtt_skbt srtt_skbt[SRTT_SKB_SLOTS];
static atomic_t srtt_skbt_used;
static DECLARE_BITMAP(srtt_irq_bits, SRTT_IRQ_BITS);
static struct srtt_hv_armed srtt_hv_armed[SRTT_HV_SLOTS];
static atomic_t srtt_hv_armed_n;
static bool srtt_hv_watch;	/* a PF is attached: look for vfio vectors */
static bool srtt_hv_tap;	/* a tap is attached: look for vhost signals */

/* Global counters of what the hooks could not do; see 'stats'. */
static atomic64_t srtt_skbt_full;	/* no slot free to follow an skb */
static atomic64_t srtt_skbt_stale;	/* followed skb never freed in 1 s */
static atomic64_t srtt_skbt_dropped;	/* followed TX skb dropped */
static atomic64_t srtt_xmit_deep;	/* xmit nesting beyond the stack */
static atomic64_t srtt_hv_unmatched;	/* vector armed twice, or never injected */
static unsigned int srtt_irq_unwatchable;	/* protected by srtt_lock */

/* ---- the common hot path ---- */

/*
 * Every hook runs inside a read-side section its caller opened: a
 * tracepoint calls its probes with preemption off, netfilter its hooks
 * under rcu_read_lock(). synchronize_rcu() and kfree_rcu(), all that
 * srtt_table's updates use, wait for both; the hooks take no lock of
 * their own.
 */
static struct srtt_table *srtt_table_hot(void)
{
	return rcu_dereference_check(srtt_table, rcu_read_lock_any_held());
}

static struct srtt_dev *srtt_dev_lookup(const struct net_device *ndev)
{
	struct srtt_table *t = srtt_table_hot();
	unsigned int i;

	if (!t)
		return NULL;
	for (i = 0; i < t->n; i++)
		if (t->devs[i]->ndev == ndev)
			return t->devs[i];
	return NULL;
}

/*
 * Every hook's first look at a packet, from its Ethernet header in the
 * linear part: SRTT_CLS_NONE for nearly all packets, else a candidate or
 * SRTT_CLS_SHORT for srtt_skb_classify(). Inline, like the hook's device
 * lookup: a packet that cannot be a probe costs the hook no call.
 */
static __always_inline u32 srtt_skb_scan(const struct sk_buff *skb)
{
	const u8 *mac;
	int off;

	if (!skb_mac_header_was_set(skb))
		return SRTT_CLS_NONE;
	mac = skb_mac_header(skb);
	off = skb->data - mac;
	if (off < 0)
		return SRTT_CLS_NONE;
	return srtt_cls_scan(mac, skb_headlen(skb) + off,
			     READ_ONCE(srtt_cfg.stamp_port));
}

/* Does the hook go on past srtt_skb_scan()'s @scan: a probe, or sampling? */
static __always_inline bool srtt_skb_wanted(u32 scan)
{
	return unlikely(scan != SRTT_CLS_NONE || READ_ONCE(srtt_cfg.sample));
}

/*
 * A tracepoint's first look at a packet on @ndev: its attached device
 * when the hook has to go on (srtt_skb_wanted()), with *@scan for the
 * rest; NULL for nearly every packet.
 */
static __always_inline struct srtt_dev *
srtt_skb_hook(const struct sk_buff *skb, const struct net_device *ndev,
	      u32 *scan)
{
	struct srtt_dev *d = srtt_dev_lookup(ndev);

	if (!d)
		return NULL;
	*scan = srtt_skb_scan(skb);
	return srtt_skb_wanted(*scan) ? d : NULL;
}

/*
 * Finish what srtt_skb_scan() began. A candidate is checked in the linear
 * part; a packet whose headers or key run on into the fragments (SHORT
 * in the scan or in the check) is copied, at most SRTT_CLS_MAX_LEN bytes,
 * and classified again.
 */
static int srtt_skb_classify(const struct sk_buff *skb, u32 scan,
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

/* ---- following an skb: tx_done of probes, every stage of samples ---- */

static struct srtt_skbt *srtt_skbt_slot(const struct sk_buff *skb)
{
	return &srtt_skbt[hash_ptr(skb, ilog2(SRTT_SKB_SLOTS))];
}

static void srtt_skbt_add(const struct sk_buff *skb,
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

/* Take @skb's entry out of the table into @c; false if it has none. */
static bool srtt_skbt_take(const struct sk_buff *skb, struct srtt_skbt *c)
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
	atomic_long_set_release(&f->skb, 0);
	atomic_dec(&srtt_skbt_used);
	return true;
}

/* Copy @skb's entry without taking it out. */
static bool srtt_skbt_find(const struct sk_buff *skb, struct srtt_skbt *c)
{
	struct srtt_skbt *f;
	long cur = (long)skb;

	if (!atomic_read(&srtt_skbt_used))
		return false;
	f = srtt_skbt_slot(skb);
	if (atomic_long_read(&f->skb) != cur ||
	    !atomic_long_try_cmpxchg_acquire(&f->skb, &cur, SRTT_SKBT_BUSY))
		return false;
	c->ndev = f->ndev;
	c->key = f->key;
	c->flags = f->flags;
	c->queue = f->queue;
	atomic_long_set_release(&f->skb, cur);
	return true;
}

/* ---- the key of a packet at a stage ---- */

static u16 srtt_queue(const struct sk_buff *skb, u8 stage, u16 *flags)
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
static bool srtt_skb_key(struct srtt_dev *d, const struct sk_buff *skb,
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
	if (stage == SRTT_STAGE_TX_NF_EGRESS || stage == SRTT_STAGE_RX_DRV)
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
static noinline void srtt_skb_stage(struct srtt_dev *d,
				    const struct sk_buff *skb, u8 stage,
				    u32 scan)
{
	struct srtt_key key;
	u16 flags, queue;
	u64 ts;

	if (srtt_skb_key(d, skb, stage, scan, &key, &flags, &queue, &ts))
		srtt_emit(d, stage, ts, 0, &key, flags, queue);
}

static __always_inline void srtt_skb_stage_dev(const struct sk_buff *skb,
					       const struct net_device *ndev,
					       u8 stage)
{
	struct srtt_dev *d;
	u32 scan;

	d = srtt_skb_hook(skb, ndev, &scan);
	if (d)
		srtt_skb_stage(d, skb, stage, scan);
}

/* ---- TX ---- */

static void srtt_tp_net_dev_queue(void *data, struct sk_buff *skb)
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

static void srtt_tp_start_xmit(void *data, const struct sk_buff *skb,
			       const struct net_device *ndev)
{
	struct srtt_dev *d;
	u32 scan;

	d = srtt_skb_hook(skb, ndev, &scan);
	if (d)
		srtt_tx_drv(d, skb, ndev, scan);
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
	d = srtt_dev_lookup(ndev);
	if (d)
		srtt_emit(d, SRTT_STAGE_TX_DRV_DONE, ktime_get_ns(), 0, &x.key,
			  x.flags, x.queue);
}

/* An skb freed while the table follows some: is it one of them? */
static noinline void srtt_skb_freed(const struct sk_buff *skb, bool consumed)
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

static void srtt_tp_consume_skb(void *data, SRTT_TP_CONSUME_SKB_ARGS)
{
	if (unlikely(atomic_read(&srtt_skbt_used)))
		srtt_skb_freed(skb, true);
}

/*
 * Many drivers free transmitted skbs with dev_kfree_skb_any(), which is
 * traced as kfree_skb with no drop reason: that is a completion too. A
 * drop with a reason is not.
 */
static void srtt_tp_kfree_skb(void *data, SRTT_TP_KFREE_SKB_ARGS)
{
	if (unlikely(atomic_read(&srtt_skbt_used)))
		srtt_skb_freed(skb, reason == SKB_DROP_REASON_NOT_SPECIFIED);
}

/* ---- the hypervisor: a VF that a guest owns through vfio-pci ---- */

static void srtt_emit_event(struct srtt_dev *d, u8 event, u64 ts, u16 vf,
			    u16 entry, u32 seq)
{
	struct srtt_record rec = {
		.ts = ts,
		.ifindex = d->ndev->ifindex,
		.queue = vf,
		.stage = event,
		.dev_id = d->id,
		.flags = SRTT_REC_F_EVENT,
		.key = { .probe = SRTT_PROBE_NONE, .id = entry, .seq = seq },
	};
	unsigned long irqflags;

	local_irq_save(irqflags);
	rec.cpu = smp_processor_id();
	if (srtt_ring_put(&rec))
		this_cpu_inc(d->stats->ev_hits[event - SRTT_EVENT_FIRST]);
	else
		this_cpu_inc(d->stats->ev_lost[event - SRTT_EVENT_FIRST]);
	local_irq_restore(irqflags);
}

/* Hex digits up to @end; advances *@p, -1 when there are none. */
static long srtt_hex(const char **p, char end)
{
	const char *s = *p;
	long v = 0;
	int n = 0;

	for (; *s && *s != end && n < 8; s++, n++) {
		int h = hex_to_bin(*s);

		if (h < 0)
			return -1;
		v = v * 16 + h;
	}
	if (!n || *s != end)
		return -1;
	*p = s + 1;
	return v;
}

/*
 * vfio-pci names a vector "vfio-msix[ENTRY](DDDD:BB:DD.F)" (or vfio-msi):
 * find the attached PF whose VF that is.
 */
static struct srtt_dev *srtt_hv_vf(struct srtt_table *t, const char *name,
				   u16 *vf, u16 *entry)
{
	long dom, bus, slot, fn, rid;
	int e, i, n;
	const char *p = name + 8;
	struct pci_dev *pdev;
	struct srtt_dev *d;

	if (*p == 'x')
		p++;
	if (*p++ != '[')
		return NULL;
	e = 0;
	for (n = 0; *p >= '0' && *p <= '9' && n < 5; p++, n++)
		e = e * 10 + (*p - '0');
	if (!n || *p++ != ']' || *p++ != '(')
		return NULL;
	dom = srtt_hex(&p, ':');
	bus = srtt_hex(&p, ':');
	slot = srtt_hex(&p, '.');
	fn = srtt_hex(&p, ')');
	if (dom < 0 || bus < 0 || slot < 0 || fn < 0)
		return NULL;
	for (i = 0; i < t->n; i++) {
		d = t->devs[i];
		pdev = d->pdev;
		if (d->role != SRTT_ROLE_PF || !pdev || !d->vf_stride ||
		    pci_domain_nr(pdev->bus) != dom)
			continue;
		/* this VF's offset from the first one, in strides */
		rid = (bus << 8 | PCI_DEVFN(slot, fn)) -
		      (pdev->bus->number << 8 | pdev->devfn) - d->vf_offset;
		if (rid < 0 || rid % d->vf_stride ||
		    rid / d->vf_stride >= pci_num_vf(pdev))
			continue;
		*vf = rid / d->vf_stride;
		*entry = e;
		return d;
	}
	return NULL;
}

static void srtt_hv_irq_entry(int irq, const char *name)
{
	struct srtt_table *t;
	struct srtt_dev *d;
	u16 vf, entry;

	t = srtt_table_hot();
	d = t ? srtt_hv_vf(t, name, &vf, &entry) : NULL;
	if (d) {
		srtt_emit_event(d, SRTT_EVENT_HV_IRQ, ktime_get_ns(), vf, entry,
				irq);
		/* a hard interrupt handler: this CPU's, with interrupts off */
		*this_cpu_ptr(&srtt_pcpu.hv) = (struct srtt_hv_irq) {
			.irq = irq, .dev_id = d->id, .vf = vf, .entry = entry,
		};
	}
}

static void srtt_tp_irq_exit(void *data, int irq, struct irqaction *action,
			     int ret)
{
	if (unlikely(this_cpu_read(srtt_pcpu.hv.irq) == irq))
		this_cpu_write(srtt_pcpu.hv.irq, 0);
}

/*
 * KVM's irqfd turns the eventfd that vfio-pci signals into an MSI for
 * the guest, still inside the host's interrupt handler: the MSI's data
 * holds the guest's vector.
 */
/*
 * A vhost worker signals its guest (virtio-net's used ring has new
 * entries) through the same irqfd path, in process context. The worker
 * is not tied to a device here: the first attached tap device stands for
 * it. False when there is none.
 */
static bool srtt_hv_vhost(struct srtt_hv_irq *hv, u8 vector)
{
	struct srtt_table *t;
	unsigned int i;
	bool found = false;

	t = srtt_table_hot();
	for (i = 0; t && i < t->n && !found; i++) {
		if (t->devs[i]->role != SRTT_ROLE_TAP)
			continue;
		*hv = (struct srtt_hv_irq) {
			.dev_id = t->devs[i]->id, .vf = SRTT_EVENT_NO_VF,
		};
		srtt_emit_event(t->devs[i], SRTT_EVENT_HV_SIGNAL,
				ktime_get_ns(), SRTT_EVENT_NO_VF, 0, vector);
		found = true;
	}
	return found;
}

static void srtt_tp_kvm_msi_set_irq(void *data, u64 address, u64 msi_data)
{
	struct srtt_hv_armed *a;
	u8 vector = msi_data & 0xff;
	struct srtt_hv_irq hv;
	int old;

	if (this_cpu_read(srtt_pcpu.hv.irq) && in_hardirq()) {
		hv = *this_cpu_ptr(&srtt_pcpu.hv);
		this_cpu_write(srtt_pcpu.hv.irq, 0);
	} else if (likely(!READ_ONCE(srtt_hv_tap)) || in_interrupt() ||
		   strncmp(current->comm, "vhost-", 6) ||
		   !srtt_hv_vhost(&hv, vector)) {
		return;
	}
	a = &srtt_hv_armed[vector % SRTT_HV_SLOTS];
	old = atomic_read(&a->state);
	if (old == SRTT_HV_BUSY ||
	    !atomic_try_cmpxchg_acquire(&a->state, &old, SRTT_HV_BUSY)) {
		atomic64_inc(&srtt_hv_unmatched);
		return;
	}
	if (old == SRTT_HV_ARMED)
		atomic64_inc(&srtt_hv_unmatched);	/* never injected */
	else
		atomic_inc(&srtt_hv_armed_n);
	a->dev_id = hv.dev_id;
	a->vector = vector;
	a->vf = hv.vf;
	a->entry = hv.entry;
	a->ts = ktime_get_ns();
	atomic_set_release(&a->state, SRTT_HV_ARMED);
}

/*
 * The vCPU enters the guest with an interrupt to inject. A vector armed
 * by a VF interrupt is taken to be that interrupt: vectors are per guest,
 * so another guest's interrupt on the same vector inside the same window
 * would be taken for it (Documentation/sriov_rtt.rst says so).
 */
static void srtt_tp_kvm_inj_virq(void *data, unsigned int vector, bool soft,
				 bool reinjected)
{
	struct srtt_hv_armed *a;
	struct srtt_table *t;
	u64 now, armed_ts;
	int old = SRTT_HV_ARMED;
	u16 vf, entry;
	u8 dev_id;

	if (likely(!atomic_read(&srtt_hv_armed_n)) || soft || reinjected)
		return;
	a = &srtt_hv_armed[vector % SRTT_HV_SLOTS];
	if (atomic_read(&a->state) != SRTT_HV_ARMED || a->vector != vector ||
	    !atomic_try_cmpxchg_acquire(&a->state, &old, SRTT_HV_BUSY))
		return;
	dev_id = a->dev_id;
	vf = a->vf;
	entry = a->entry;
	armed_ts = a->ts;
	atomic_set_release(&a->state, SRTT_HV_FREE);
	atomic_dec(&srtt_hv_armed_n);
	now = ktime_get_ns();
	if (now - armed_ts > SRTT_HV_MAX_AGE_NS) {
		atomic64_inc(&srtt_hv_unmatched);
		return;
	}
	t = srtt_table_hot();
	if (t) {
		unsigned int i;

		for (i = 0; i < t->n; i++)
			if (t->devs[i]->id == dev_id)
				srtt_emit_event(t->devs[i], SRTT_EVENT_HV_INJECT,
						now, vf, entry, vector);
	}
}

/* ---- RX ---- */

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

static void srtt_tp_irq_entry(void *data, int irq, struct irqaction *action)
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
		for (j = 0; j < d->nirqs; j++)
			if (d->irqs[j] == irq && srtt_irq_rx(d, j, action)) {
				this_cpu_write(d->irq_ts->ts, ktime_get_ns());
				this_cpu_write(d->irq_ts->softirq, 0);
			}
	}
}

static void srtt_tp_softirq_entry(void *data, unsigned int vec_nr)
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

static void srtt_tp_rx_entry(void *data, const struct sk_buff *skb)
{
	struct srtt_dev *d;
	u32 scan;

	d = srtt_skb_hook(skb, skb->dev, &scan);
	if (d)
		srtt_rx_drv(d, skb, scan);
}

static void srtt_tp_netif_receive_skb(void *data, struct sk_buff *skb)
{
	srtt_skb_stage_dev(skb, skb->dev, SRTT_STAGE_RX_STACK);
}

/* ---- netfilter netdev hooks: one pair per attached device ---- */

static unsigned int srtt_nf_hook(void *priv, struct sk_buff *skb,
				 const struct nf_hook_state *state)
{
	u32 scan = srtt_skb_scan(skb);

	if (srtt_skb_wanted(scan))
		srtt_skb_stage(priv, skb, state->hook == NF_NETDEV_INGRESS ?
			       SRTT_STAGE_RX_NF_INGRESS :
			       SRTT_STAGE_TX_NF_EGRESS, scan);
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
	{ "irq_handler_exit",		 srtt_tp_irq_exit },
	{ "softirq_entry",		 srtt_tp_softirq_entry },
	{ "napi_gro_receive_entry",	 srtt_tp_rx_entry },
	{ "napi_gro_frags_entry",	 srtt_tp_rx_entry },
	{ "netif_receive_skb_entry",	 srtt_tp_rx_entry },
	{ "netif_receive_skb_list_entry", srtt_tp_rx_entry },
	{ "netif_rx_entry",		 srtt_tp_rx_entry },
	{ "netif_receive_skb",		 srtt_tp_netif_receive_skb },
};

/*
 * KVM's tracepoints live in the kvm module: found and attached when it
 * comes, detached when it goes, by the tracepoint module notifier. Only
 * that notifier's calls (serialized by the tracepoint core) write them.
 */
static struct srtt_tp srtt_kvm_tps[] = {
	{ "kvm_msi_set_irq",		 srtt_tp_kvm_msi_set_irq },
	{ "kvm_inj_virq",		 srtt_tp_kvm_inj_virq },
};

static void srtt_kvm_tps_unregister(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(srtt_kvm_tps); i++) {
		if (srtt_kvm_tps[i].registered)
			tracepoint_probe_unregister(srtt_kvm_tps[i].tp,
						    srtt_kvm_tps[i].probe, NULL);
		WRITE_ONCE(srtt_kvm_tps[i].registered, false);
		WRITE_ONCE(srtt_kvm_tps[i].tp, NULL);
	}
}

static void srtt_kvm_tps_register(struct module *mod)
{
	struct tracepoint *tp;
	unsigned int i, j;
	int err;

	for (i = 0; i < mod->num_tracepoints; i++) {
		tp = tracepoint_ptr_deref(&mod->tracepoints_ptrs[i]);
		for (j = 0; j < ARRAY_SIZE(srtt_kvm_tps); j++)
			if (!strcmp(tp->name, srtt_kvm_tps[j].name))
				WRITE_ONCE(srtt_kvm_tps[j].tp, tp);
	}
	for (j = 0; j < ARRAY_SIZE(srtt_kvm_tps); j++) {
		if (!srtt_kvm_tps[j].tp)
			continue;
		err = tracepoint_probe_register(srtt_kvm_tps[j].tp,
						srtt_kvm_tps[j].probe, NULL);
		if (err) {
			pr_warn("cannot attach to tracepoint %s: %d\n",
				srtt_kvm_tps[j].name, err);
			continue;
		}
		WRITE_ONCE(srtt_kvm_tps[j].registered, true);
	}
}

static int srtt_tp_module_notify(struct notifier_block *nb,
				 unsigned long val, void *data)
{
	struct tp_module *tp_mod = data;

	if (strcmp(tp_mod->mod->name, "kvm"))
		return NOTIFY_OK;
	if (val == MODULE_STATE_COMING)
		srtt_kvm_tps_register(tp_mod->mod);
	else if (val == MODULE_STATE_GOING)
		srtt_kvm_tps_unregister();
	return NOTIFY_OK;
}

static struct notifier_block srtt_tp_module_nb = {
	.notifier_call = srtt_tp_module_notify,
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
	/* attaches to kvm's tracepoints now if it is loaded */
	err = register_tracepoint_module_notifier(&srtt_tp_module_nb);
	if (err) {
		pr_err("cannot follow module tracepoints: %d\n", err);
		srtt_tps_unregister();
		srtt_hooks_users--;
		return err;
	}
	srtt_nl_start();
	return 0;
}

void srtt_hooks_put(void)
{
	unsigned int i;

	lockdep_assert_held(&srtt_lock);
	if (--srtt_hooks_users)
		return;
	srtt_nl_stop();
	/* detaches from kvm's tracepoints, synchronized below */
	unregister_tracepoint_module_notifier(&srtt_tp_module_nb);
	srtt_tps_unregister();
	/* nothing followed can finish any more */
	for (i = 0; i < SRTT_SKB_SLOTS; i++)
		atomic_long_set(&srtt_skbt[i].skb, 0);
	atomic_set(&srtt_skbt_used, 0);
	for (i = 0; i < SRTT_HV_SLOTS; i++)
		atomic_set(&srtt_hv_armed[i].state, SRTT_HV_FREE);
	atomic_set(&srtt_hv_armed_n, 0);
}

void srtt_hooks_fini(void)
{
	WARN_ON_ONCE(srtt_hooks_users);
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
	WRITE_ONCE(srtt_hv_watch, pf);
	WRITE_ONCE(srtt_hv_tap, tap);
}

void srtt_hooks_show(struct seq_file *m)
{
	unsigned int i;

	lockdep_assert_held(&srtt_lock);
	for (i = 0; i < ARRAY_SIZE(srtt_tps); i++)
		seq_printf(m, "tracepoint: %s %s\n", srtt_tps[i].name,
			   !srtt_tps[i].tp ? "missing" :
			   srtt_tps[i].registered ? "attached" : "idle");
	seq_printf(m, "skb_follow: in_flight %d no_slot %lld never_freed %lld tx_dropped %lld\n",
		   atomic_read(&srtt_skbt_used), atomic64_read(&srtt_skbt_full),
		   atomic64_read(&srtt_skbt_stale),
		   atomic64_read(&srtt_skbt_dropped));
	seq_printf(m, "xmit: nested_too_deep %lld\n",
		   atomic64_read(&srtt_xmit_deep));
	seq_printf(m, "irq: unwatchable %u\n", srtt_irq_unwatchable);
	for (i = 0; i < ARRAY_SIZE(srtt_kvm_tps); i++)
		seq_printf(m, "tracepoint: %s %s\n", srtt_kvm_tps[i].name,
			   READ_ONCE(srtt_kvm_tps[i].registered) ? "attached" :
			   "idle (needs the kvm module and a device attached)");
	seq_printf(m, "hypervisor: vfio %s vhost %s armed %d unmatched %lld\n",
		   READ_ONCE(srtt_hv_watch) ? "yes" : "no",
		   READ_ONCE(srtt_hv_tap) ? "yes" : "no",
		   atomic_read(&srtt_hv_armed_n),
		   atomic64_read(&srtt_hv_unmatched));
}
