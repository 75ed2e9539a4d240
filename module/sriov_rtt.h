/* SPDX-License-Identifier: GPL-2.0 */
/* sriov_rtt: definitions private to the module. */
#ifndef _SRTT_SRIOV_RTT_H
#define _SRTT_SRIOV_RTT_H

#include <linux/atomic.h>
#include <linux/if.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>

#include <linux/sriov_rtt.h>

#include "abi.h"
#include "classify.h"
#include "hist.h"

#define SRTT_MAX_DEVS		16	/* attached at once */
#define SRTT_MAX_IRQS		32	/* MSI-X vectors watched per device */
#define SRTT_TRACK_SLOTS	256	/* in-flight probes tracked per device */
#define SRTT_SKB_SLOTS		1024	/* skbs followed: tx_done, samples */
#define SRTT_TX_MAX_AGE_NS	(1000ULL * NSEC_PER_MSEC)
#define SRTT_EVENTS		16	/* device events kept for 'devices' */

/* Per-CPU counters of one device. */
struct srtt_dev_stats {
	u64	hits[__SRTT_STAGE_MAX];		/* records written */
	u64	lost[__SRTT_STAGE_MAX];		/* records dropped, ring full */
	u64	bad[__SRTT_STAGE_MAX];		/* malformed probe packets */
	u64	ev_hits[SRTT_EVENT_COUNT];	/* event records written */
	u64	ev_lost[SRTT_EVENT_COUNT];	/* event records dropped */
	u64	impossible;	/* interval < 0 or > 60 s: not in a histogram */
	u64	track_busy;	/* tracker slot in use by another CPU */
	u64	track_order;	/* stage arrived after a later one */
	u64	track_evict;	/* slot taken from a probe between stages */
	u64	irqs;		/* interrupts on the device's vectors */
	u64	napi_polls;	/* polls of the device's NAPI instances */
	u32	sample_ctr;	/* non-probe packets since the last sample */
};

/*
 * A histogram the hot path adds to from any CPU without a lock; read by
 * taking a snapshot into a struct srtt_hist (hist.c does the math).
 */
struct srtt_ahist {
	atomic64_t	count;
	atomic64_t	over;
	atomic64_t	min;
	atomic64_t	max;
	atomic64_t	sum;
	atomic64_t	bucket[SRTT_HIST_BUCKETS];
};

struct srtt_hist_file;

/*
 * The last interrupt of a device on a CPU, and the NET_RX softirq run that
 * first handed a packet over after it: it serves that run's packets only.
 */
struct srtt_irq_stamp {
	u64	ts;
	u64	softirq;
};

/* One in-flight probe on one device: the last stage it passed. */
struct srtt_track {
	atomic64_t	owner;		/* packed key; SRTT_TRACK_BUSY while written */
	u64		ts;
	u8		stage;
};

/*
 * An attached device. Created and destroyed under srtt_lock with RTNL
 * held; the hot path finds it through the RCU table srtt_table.
 */
struct srtt_dev {
	struct net_device	*ndev;
	netdevice_tracker	tracker;
	u8			id;		/* slot in srtt_devs[] */
	char			name[IFNAMSIZ];	/* protected by srtt_lock */
	enum srtt_role		role;
	int			vf_index;	/* role VF */
	struct pci_dev		*pdev;		/* NULL if not PCI */
	u16			vf_offset;	/* role PF: first VF's RID - PF's */
	u16			vf_stride;	/* role PF: 0 if not known */
	int			irqs[SRTT_MAX_IRQS];
	/* per vector: the irqaction last seen, | 1 if it is TX-only */
	unsigned long		irq_kind[SRTT_MAX_IRQS];
	unsigned int		nirqs;
	struct nf_hook_ops	nf_ops[2];	/* ingress, egress */
	unsigned int		nf_registered;	/* bitmask of nf_ops[] */
	u32			stages;		/* SRTT_STAGES_*: stamped here */
	u8			tx_first;	/* first TX stage: sampling */
	struct dentry		*hist_dir;
	struct srtt_hist_file	*hist_files;

	struct srtt_track	track[SRTT_TRACK_SLOTS];
	struct srtt_ahist	*hist;		/* [SRTT_PAIRS] */
	struct srtt_dev_stats __percpu *stats;
	struct srtt_irq_stamp __percpu *irq_ts;	/* last IRQ on this CPU */
	atomic_t		sample_seq;	/* key of the last sampled packet */
	struct rcu_head		rcu;
};

/*
 * Does @d's driver release the skbs it transmits (tx_done)? A veth hands
 * the skb itself to its peer: its release is the peer stack's, and
 * tx_drv_done is a veth's last TX stage.
 */
static inline bool srtt_dev_tx_done(const struct srtt_dev *d)
{
	return d->role != SRTT_ROLE_VETH;
}

/* The hot path's view of what is attached, replaced as a whole. */
struct srtt_table {
	unsigned int		n;
	struct srtt_dev		*devs[SRTT_MAX_DEVS];
	struct rcu_head		rcu;
};

/* Settings; written under srtt_lock, read anywhere with READ_ONCE(). */
struct srtt_config {
	u16	stamp_port;
	u32	sample;		/* 1-in-N of non-probe traffic, 0 = off */
	u32	ring_size;	/* records per CPU, power of two */
};

extern struct mutex srtt_lock;
extern struct srtt_config srtt_cfg;
extern struct srtt_table __rcu *srtt_table;
extern struct srtt_dev *srtt_devs[SRTT_MAX_DEVS];

/* dev.c */
int srtt_dev_init(void);
void srtt_dev_fini(void);
int srtt_attach(struct net *net, const char *name, u32 stages, char *why,
		size_t whylen);
int srtt_detach(struct net *net, const char *name, char *why, size_t whylen);
void srtt_devices_show(struct seq_file *m);
void srtt_dev_reset(struct srtt_dev *d);
struct srtt_dev *srtt_dev_by_ndev(const struct net_device *ndev);
bool srtt_any_attached(void);
void srtt_detach_all(const char *reason);
void srtt_reset_all(void);
void srtt_dev_stats_sum(struct srtt_dev *d, struct srtt_dev_stats *sum);

/* tp.c, nf.c, rx.c: the stage hooks */
int srtt_hooks_init(void);
void srtt_hooks_fini(void);
int srtt_hooks_get(void);
int srtt_tps_update(u32 extra);
void srtt_hooks_put(void);
int srtt_nf_register(struct srtt_dev *d);
void srtt_nf_unregister(struct srtt_dev *d);
void srtt_hooks_show(struct seq_file *m);
void srtt_irqs_update(void);

/* ring.c */
int srtt_ring_init(u32 size);
void srtt_ring_fini(void);
int srtt_ring_resize(u32 size);
unsigned int srtt_ring_take(struct srtt_record *recs, unsigned int max,
			    u64 *lost);
bool srtt_ring_put(const struct srtt_record *rec);
ssize_t srtt_ring_read(char __user *buf, size_t count);
void srtt_ring_show(struct seq_file *m);

/* path.c: per-probe stage order and stage-pair histograms */
void srtt_path_stage(struct srtt_dev *d, const struct srtt_key *key,
		     u8 stage, u64 ts);
void srtt_ahist_snapshot(struct srtt_ahist *a, struct srtt_hist *h);
void srtt_ahist_reset(struct srtt_ahist *a);

/* netlink.c */
int srtt_netlink_init(void);
void srtt_netlink_fini(void);

/* records.c: the records group's drain */
struct genl_family;
void srtt_records_init(void);
void srtt_records_family(const struct genl_family *family);
int srtt_records_flush(void);
void srtt_records_start(void);
void srtt_records_stop(void);

/* debugfs.c */
int srtt_debugfs_init(void);
void srtt_debugfs_fini(void);
int srtt_debugfs_dev_add(struct srtt_dev *d);
void srtt_debugfs_dev_del(struct srtt_dev *d);
void srtt_debugfs_dev_rename(struct srtt_dev *d);

#endif /* _SRTT_SRIOV_RTT_H */
