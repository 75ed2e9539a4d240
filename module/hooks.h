/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sriov_rtt: what the stage hooks share. Each hook's first look at a
 * packet is inline here: a packet on a device that is not attached, or
 * that cannot be a probe, costs it no call.
 */
#ifndef _SRTT_HOOKS_H
#define _SRTT_HOOKS_H

#include <linux/netdevice.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/seq_file.h>
#include <linux/skbuff.h>
/* the probes' prototypes (compat.h reads kfree_skb's off it) */
#include <trace/events/skb.h>

#include "sriov_rtt.h"

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

/*
 * A STAMP probe rx_stack saw on this CPU, for rx_sock to find by the
 * skb's address (srtt_tp_sk_data_ready()).
 */
#define SRTT_RX_RECENT		16	/* a GRO batch, and more */
#define SRTT_RX_RECENT_NS	(50 * NSEC_PER_MSEC)

struct srtt_rx_recent {
	const void		*skb;	/* NULL: free */
	struct srtt_key		key;
	u16			flags;
	u16			queue;
	u8			dev_id;
	u64			ts;
};

struct srtt_pcpu {
	struct srtt_xmit	xmit[SRTT_XMIT_DEPTH];	/* nested xmits */
	unsigned int		depth;
	struct srtt_rx_recent	rx[SRTT_RX_RECENT];
	unsigned int		rx_next;
	u64			softirq_ts;	/* last NET_RX softirq entry */
	struct srtt_hv_irq	hv;
};

DECLARE_PER_CPU(struct srtt_pcpu, srtt_pcpu);

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

/*
 * Every hook runs inside a read-side section its caller opened: a
 * tracepoint calls its probes with preemption off, netfilter its hooks
 * under rcu_read_lock(). synchronize_rcu() and kfree_rcu(), all that
 * srtt_table's updates use, wait for both; the hooks take no lock of
 * their own.
 */
static inline struct srtt_table *srtt_table_hot(void)
{
	return rcu_dereference_check(srtt_table, rcu_read_lock_any_held());
}

static __always_inline struct srtt_dev *
srtt_dev_lookup(const struct net_device *ndev)
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

/* hooks.c: a probe's or a sampled packet's key, and its records */
int srtt_skb_classify(const struct sk_buff *skb, u32 scan,
		      struct srtt_key *key, u16 *flags);
void srtt_emit(struct srtt_dev *d, u8 stage, u64 ts, u64 hwts,
	       const struct srtt_key *key, u16 flags, u16 queue);
u16 srtt_queue(const struct sk_buff *skb, u8 stage, u16 *flags);
bool srtt_skb_key(struct srtt_dev *d, const struct sk_buff *skb,
		  u8 stage, u32 scan, struct srtt_key *key, u16 *flags,
		  u16 *queue, u64 *ts);
void srtt_skb_stage(struct srtt_dev *d, const struct sk_buff *skb, u8 stage,
		    u32 scan);

/* A stage where only the skb tells the packet, on @ndev */
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

/* skbt.c: following an skb by its address */
extern atomic_t srtt_skbt_used;

static inline bool srtt_skbt_busy(void)
{
	return atomic_read(&srtt_skbt_used);
}

void srtt_skbt_add(const struct sk_buff *skb, const struct net_device *ndev,
		   const struct srtt_key *key, u16 flags, u16 queue, bool rx,
		   u64 ts);
bool srtt_skbt_take(const struct sk_buff *skb, struct srtt_skbt *c);
bool srtt_skbt_find(const struct sk_buff *skb, struct srtt_skbt *c);
void srtt_skbt_freed(const struct sk_buff *skb, bool consumed);
void srtt_skbt_reset(void);
void srtt_skbt_show(struct seq_file *m);

/* tx.c */
void srtt_tp_net_dev_queue(void *data, struct sk_buff *skb);
void srtt_tp_start_xmit(void *data, const struct sk_buff *skb,
			const struct net_device *ndev);
void srtt_tp_xmit(void *data, struct sk_buff *skb, int rc,
		  struct net_device *ndev, unsigned int skb_len);
SRTT_TP_CONSUME_SKB_PROBE(srtt_tp_consume_skb);
SRTT_TP_KFREE_SKB_PROBE(srtt_tp_kfree_skb);
void srtt_tx_show(struct seq_file *m);

/* rx.c */
void srtt_tp_irq_entry(void *data, int irq, struct irqaction *action);
void srtt_tp_softirq_entry(void *data, unsigned int vec_nr);
void srtt_tp_napi_poll(void *data, struct napi_struct *napi, int work,
		       int budget);
void srtt_tp_rx_entry(void *data, const struct sk_buff *skb);
void srtt_tp_netif_rx(void *data, struct sk_buff *skb);
void srtt_tp_netif_receive_skb(void *data, struct sk_buff *skb);
void srtt_rx_show(struct seq_file *m);

/* sock.c */
void srtt_sock_init(void);
void srtt_rx_copied(const struct sk_buff *skb);
#ifdef SRTT_HAVE_TP_SK_DATA_READY
void srtt_rx_recent_add(const struct sk_buff *skb, const struct srtt_dev *d,
			const struct srtt_key *key, u16 flags, u16 queue,
			u64 ts);
void srtt_tp_sk_data_ready(void *data, const struct sock *sk);
#else
static inline void srtt_rx_recent_add(const struct sk_buff *skb,
				      const struct srtt_dev *d,
				      const struct srtt_key *key, u16 flags,
				      u16 queue, u64 ts)
{
}
#endif
#ifdef SRTT_HAVE_TP_SOCK_RECV_LENGTH
void srtt_tp_sock_recv(void *data, struct sock *sk, int ret, int flags);
#endif

/* hv.c */
extern bool srtt_hv_watch;
void srtt_hv_irq_entry(int irq, const char *name);
void srtt_tp_irq_exit(void *data, int irq, struct irqaction *action,
		      int ret);
void srtt_tp_kvm_msi_set_irq(void *data, u64 address, u64 msi_data);
void srtt_tp_kvm_inj_virq(void *data, unsigned int vector, bool soft,
			  bool reinjected);
void srtt_hv_set(bool pf, bool tap);
void srtt_hv_reset(void);
void srtt_hv_show(struct seq_file *m);

#endif /* _SRTT_HOOKS_H */
