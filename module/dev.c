// SPDX-License-Identifier: GPL-2.0
/*
 * sriov_rtt: attached devices. Attach and detach by name, role detection
 * from the PCI device (PF, VF) or the link type (virtio, veth, tap), and a
 * netdevice notifier that detaches a device that goes away or leaves its
 * namespace, and follows a rename.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/etherdevice.h>
#include <linux/netdevice.h>
#include <linux/pci.h>
#include <linux/rtnetlink.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <net/net_namespace.h>
#include <net/rtnetlink.h>

#include "sriov_rtt.h"

/* protects srtt_devs[], srtt_table updates, srtt_cfg writes and events */
DEFINE_MUTEX(srtt_lock);
struct srtt_config srtt_cfg = {
	.stamp_port = SRTT_CTL_STAMP_PORT_DEFAULT,
	.sample = SRTT_CTL_SAMPLE_DEFAULT,
	.ring_size = SRTT_CTL_RING_SIZE_DEFAULT,
};

struct srtt_table __rcu *srtt_table;
struct srtt_dev *srtt_devs[SRTT_MAX_DEVS];

/* What happened to devices, newest last, for 'devices'. */
static char srtt_events[SRTT_EVENTS][96];
static unsigned int srtt_nevents;

static __printf(1, 2) void srtt_event(const char *fmt, ...)
{
	va_list ap;

	lockdep_assert_held(&srtt_lock);
	va_start(ap, fmt);
	vsnprintf(srtt_events[srtt_nevents % SRTT_EVENTS],
		  sizeof(srtt_events[0]), fmt, ap);
	va_end(ap);
	srtt_nevents++;
}

/*
 * Where a PF's VFs sit: VF n is routing ID PF + offset + n * stride, from
 * its SR-IOV capability (the hot path sees a VF's name only).
 */
static void srtt_vf_rids(struct srtt_dev *d)
{
	int pos = pci_find_ext_capability(d->pdev, PCI_EXT_CAP_ID_SRIOV);

	d->vf_offset = 0;
	d->vf_stride = 0;
	if (!pos ||
	    pci_read_config_word(d->pdev, pos + PCI_SRIOV_VF_OFFSET, &d->vf_offset) ||
	    pci_read_config_word(d->pdev, pos + PCI_SRIOV_VF_STRIDE, &d->vf_stride))
		d->vf_stride = 0;
}

static void srtt_role_detect(struct srtt_dev *d)
{
	struct device *parent = d->ndev->dev.parent;
	const struct rtnl_link_ops *ops = d->ndev->rtnl_link_ops;

	d->role = SRTT_ROLE_OTHER;
	d->vf_index = -1;
	d->pdev = NULL;
	if (parent && dev_is_pci(parent)) {
		d->pdev = to_pci_dev(parent);
		if (d->pdev->is_virtfn) {
			d->role = SRTT_ROLE_VF;
			d->vf_index = pci_iov_vf_id(d->pdev);
		} else if (d->pdev->is_physfn) {
			d->role = SRTT_ROLE_PF;
			srtt_vf_rids(d);
		}
	} else if (parent && parent->bus && !strcmp(parent->bus->name, "virtio")) {
		d->role = SRTT_ROLE_VIRTIO;
	} else if (ops && !strcmp(ops->kind, "veth")) {
		d->role = SRTT_ROLE_VETH;
	} else if (ops && (!strcmp(ops->kind, "tun") ||
			   !strcmp(ops->kind, "macvtap"))) {
		d->role = SRTT_ROLE_TAP;
	}
}

/*
 * The device's own MSI-X/MSI vectors, from its PCI function; a virtio
 * NIC's are its virtio-pci transport's, the parent of its virtio device.
 */
static void srtt_irqs_find(struct srtt_dev *d)
{
	struct pci_dev *pdev = d->pdev;
	struct device *vdev;
	int i, irq;

	d->nirqs = 0;
	for (i = 0; i < SRTT_MAX_IRQS; i++)
		WRITE_ONCE(d->irq_kind[i], 0);	/* srtt_irq_rx() reads it */
	if (!pdev && d->role == SRTT_ROLE_VIRTIO) {
		vdev = d->ndev->dev.parent;
		if (vdev && vdev->parent && dev_is_pci(vdev->parent))
			pdev = to_pci_dev(vdev->parent);
	}
	if (!pdev || (!pdev->msix_enabled && !pdev->msi_enabled))
		return;
	for (i = 0; i < SRTT_MAX_IRQS; i++) {
		irq = pci_irq_vector(pdev, i);
		if (irq < 0)
			break;
		d->irqs[d->nirqs++] = irq;
	}
}

/* Publish a new hot-path table built from srtt_devs[]. */
static int srtt_table_update(void)
{
	struct srtt_table *t, *old;
	unsigned int i;

	lockdep_assert_held(&srtt_lock);
	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	for (i = 0; i < SRTT_MAX_DEVS; i++)
		if (srtt_devs[i])
			t->devs[t->n++] = srtt_devs[i];
	old = rcu_replace_pointer(srtt_table, t, lockdep_is_held(&srtt_lock));
	if (old)
		kfree_rcu(old, rcu);
	srtt_irqs_update();
	return 0;
}

struct srtt_dev *srtt_dev_by_ndev(const struct net_device *ndev)
{
	unsigned int i;

	lockdep_assert_held(&srtt_lock);
	for (i = 0; i < SRTT_MAX_DEVS; i++)
		if (srtt_devs[i] && srtt_devs[i]->ndev == ndev)
			return srtt_devs[i];
	return NULL;
}

static struct srtt_dev *srtt_dev_by_name(const char *name)
{
	unsigned int i;

	lockdep_assert_held(&srtt_lock);
	for (i = 0; i < SRTT_MAX_DEVS; i++)
		if (srtt_devs[i] && !strcmp(srtt_devs[i]->name, name))
			return srtt_devs[i];
	return NULL;
}

static void srtt_dev_free(struct srtt_dev *d)
{
	free_percpu(d->irq_ts);
	free_percpu(d->stats);
	kvfree(d->hist);
	kvfree(d);
}

bool srtt_any_attached(void)
{
	unsigned int i;

	lockdep_assert_held(&srtt_lock);
	for (i = 0; i < SRTT_MAX_DEVS; i++)
		if (srtt_devs[i])
			return true;
	return false;
}

void srtt_reset_all(void)
{
	unsigned int i;

	lockdep_assert_held(&srtt_lock);
	for (i = 0; i < SRTT_MAX_DEVS; i++)
		if (srtt_devs[i])
			srtt_dev_reset(srtt_devs[i]);
}

void srtt_dev_stats_sum(struct srtt_dev *d, struct srtt_dev_stats *sum)
{
	struct srtt_dev_stats *s;
	int cpu, st;

	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		s = per_cpu_ptr(d->stats, cpu);
		for (st = 0; st < __SRTT_STAGE_MAX; st++) {
			sum->hits[st] += READ_ONCE(s->hits[st]);
			sum->lost[st] += READ_ONCE(s->lost[st]);
			sum->bad[st] += READ_ONCE(s->bad[st]);
		}
		for (st = 0; st < SRTT_EVENT_COUNT; st++) {
			sum->ev_hits[st] += READ_ONCE(s->ev_hits[st]);
			sum->ev_lost[st] += READ_ONCE(s->ev_lost[st]);
		}
		sum->impossible += READ_ONCE(s->impossible);
		sum->track_busy += READ_ONCE(s->track_busy);
		sum->track_order += READ_ONCE(s->track_order);
		sum->track_evict += READ_ONCE(s->track_evict);
		sum->irqs += READ_ONCE(s->irqs);
		sum->napi_polls += READ_ONCE(s->napi_polls);
	}
}

void srtt_dev_reset(struct srtt_dev *d)
{
	unsigned int i;
	int cpu;

	for (i = 0; i < SRTT_PAIRS; i++)
		srtt_ahist_reset(&d->hist[i]);
	for_each_possible_cpu(cpu)
		memset(per_cpu_ptr(d->stats, cpu), 0, sizeof(*d->stats));
}

int srtt_attach(struct net *net, const char *name, u32 stages, char *why,
		size_t whylen)
{
	struct net_device *ndev;
	struct srtt_dev *d;
	unsigned int slot;
	int err;

	ASSERT_RTNL();
	lockdep_assert_held(&srtt_lock);

	ndev = __dev_get_by_name(net, name);
	if (!ndev) {
		snprintf(why, whylen, "attach %s: no such device in this network namespace", name);
		return -ENODEV;
	}
	if (srtt_dev_by_ndev(ndev)) {
		snprintf(why, whylen, "attach %s: already attached", name);
		return -EEXIST;
	}
	if (srtt_dev_by_name(name)) {
		snprintf(why, whylen,
			 "attach %s: a device of that name in another namespace is attached; detach it first",
			 name);
		return -EEXIST;
	}
	for (slot = 0; slot < SRTT_MAX_DEVS; slot++)
		if (!srtt_devs[slot])
			break;
	if (slot == SRTT_MAX_DEVS) {
		snprintf(why, whylen,
			 "attach %s: %d devices are attached already, the most there can be",
			 name, SRTT_MAX_DEVS);
		return -ENOSPC;
	}

	err = -ENOMEM;
	d = kvzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		goto err_why;
	d->hist = kvcalloc(SRTT_PAIRS, sizeof(*d->hist), GFP_KERNEL);
	d->stats = alloc_percpu(struct srtt_dev_stats);
	d->irq_ts = alloc_percpu(struct srtt_irq_stamp);
	if (!d->hist || !d->stats || !d->irq_ts)
		goto err_free;
	d->ndev = ndev;
	d->id = slot;
	d->stages = stages & SRTT_STAGES_ALL;
	/* non-probe traffic is sampled where it first meets the device */
	d->tx_first = SRTT_STAGE_TX_NF_EGRESS;
	while (d->tx_first < SRTT_STAGE_TX_DRV &&
	       !(d->stages & BIT(d->tx_first)))
		d->tx_first++;
	strscpy(d->name, ndev->name, sizeof(d->name));
	srtt_role_detect(d);
	srtt_irqs_find(d);

	err = srtt_hooks_get();
	if (err)
		goto err_free;
	err = srtt_tps_update(d->stages);
	if (err)
		goto err_hooks_put;
	err = srtt_nf_register(d);
	if (err)
		goto err_tps;
	err = srtt_debugfs_dev_add(d);
	if (err)
		goto err_nf_unregister;
	netdev_hold(ndev, &d->tracker, GFP_KERNEL);
	srtt_devs[slot] = d;
	err = srtt_table_update();
	if (err)
		goto err_unpublish;
	srtt_records_start();
	srtt_event("%s: attached as %s", d->name, srtt_role_name(d->role));
	return 0;

err_unpublish:
	srtt_devs[slot] = NULL;
	netdev_put(ndev, &d->tracker);
	srtt_debugfs_dev_del(d);
err_nf_unregister:
	srtt_nf_unregister(d);
err_tps:
	srtt_tps_update(0);
err_hooks_put:
	srtt_hooks_put();
err_free:
	srtt_dev_free(d);
err_why:
	snprintf(why, whylen, "attach %s: failed (%d)", name, err);
	return err;
}

/* Undo an attach: the hot path can no longer find @d when this returns. */
static void srtt_dev_detach(struct srtt_dev *d, const char *reason)
{
	ASSERT_RTNL();
	lockdep_assert_held(&srtt_lock);

	srtt_devs[d->id] = NULL;
	if (srtt_table_update()) {
		/* no memory for a new table: an empty one is always safe */
		struct srtt_table *old;

		old = rcu_replace_pointer(srtt_table, NULL,
					  lockdep_is_held(&srtt_lock));
		synchronize_rcu();
		kfree(old);
		srtt_table_update();
	}
	srtt_nf_unregister(d);
	srtt_tps_update(0);	/* the probes its stages alone needed go */
	srtt_debugfs_dev_del(d);
	srtt_hooks_put();
	if (!srtt_any_attached())
		srtt_records_stop();
	synchronize_rcu();
	srtt_event("%s: detached: %s", d->name, reason);
	netdev_put(d->ndev, &d->tracker);
	srtt_dev_free(d);
}

int srtt_detach(struct net *net, const char *name, char *why, size_t whylen)
{
	struct net_device *ndev;
	struct srtt_dev *d;

	ASSERT_RTNL();
	lockdep_assert_held(&srtt_lock);

	ndev = __dev_get_by_name(net, name);
	d = ndev ? srtt_dev_by_ndev(ndev) : NULL;
	if (!d) {
		snprintf(why, whylen, "detach %s: not attached in this network namespace", name);
		return -ENODEV;
	}
	srtt_dev_detach(d, "by request");
	return 0;
}

static int srtt_netdev_event(struct notifier_block *nb, unsigned long event,
			     void *ptr)
{
	struct net_device *ndev = netdev_notifier_info_to_dev(ptr);
	struct srtt_dev *d;

	mutex_lock(&srtt_lock);
	d = srtt_dev_by_ndev(ndev);
	if (!d)
		goto out;
	switch (event) {
	case NETDEV_UNREGISTER:
		srtt_dev_detach(d, ndev->reg_state == NETREG_UNREGISTERING ?
				"device unregistered" :
				"device moved to another network namespace");
		break;
	case NETDEV_CHANGENAME:
		srtt_event("%s: renamed to %s", d->name, ndev->name);
		strscpy(d->name, ndev->name, sizeof(d->name));
		srtt_debugfs_dev_rename(d);
		break;
	case NETDEV_UP:
		/* queues and vectors may have been set up anew */
		srtt_irqs_find(d);
		srtt_irqs_update();
		break;
	}
out:
	mutex_unlock(&srtt_lock);
	return NOTIFY_DONE;
}

static struct notifier_block srtt_netdev_nb = {
	.notifier_call = srtt_netdev_event,
};

/* " stages=default|all|NAME,..." and the netfilter hooks it took */
static void srtt_stages_show(struct seq_file *m, const struct srtt_dev *d)
{
	unsigned int st, n = 0;

	if (d->stages == SRTT_STAGES_DEFAULT || d->stages == SRTT_STAGES_ALL) {
		seq_printf(m, " stages=%s", d->stages == SRTT_STAGES_ALL ?
			   "all" : "default");
	} else {
		seq_puts(m, " stages=");
		for (st = 0; st < __SRTT_STAGE_MAX; st++)
			if (d->stages & BIT(st))
				seq_printf(m, "%s%s", n++ ? "," : "",
					   srtt_stage_name(st));
	}
	seq_printf(m, " nf=%s%s%s", d->nf_registered & BIT(0) ? "ingress" : "",
		   d->nf_registered == 3 ? "," : "",
		   d->nf_registered & BIT(1) ? "egress" :
		   d->nf_registered ? "" : "-");
}

void srtt_devices_show(struct seq_file *m)
{
	struct srtt_dev *d;
	unsigned int i, j;

	lockdep_assert_held(&srtt_lock);
	for (i = 0; i < SRTT_MAX_DEVS; i++) {
		d = srtt_devs[i];
		if (!d)
			continue;
		seq_printf(m, "%s id=%u ifindex=%d role=%s", d->name, d->id,
			   d->ndev->ifindex, srtt_role_name(d->role));
		if (d->role == SRTT_ROLE_PF)
			seq_printf(m, " vfs=%d", pci_num_vf(d->pdev));
		if (d->role == SRTT_ROLE_VF)
			seq_printf(m, " vf=%d pf=%s", d->vf_index,
				   pci_name(pci_physfn(d->pdev)));
		srtt_stages_show(m, d);
		seq_printf(m, " pci=%s driver=%s netns=%u irqs=",
			   d->pdev ? pci_name(d->pdev) : "-",
			   d->ndev->dev.parent && d->ndev->dev.parent->driver ?
			   d->ndev->dev.parent->driver->name : "-",
			   dev_net(d->ndev)->ns.inum);
		for (j = 0; j < d->nirqs; j++)
			seq_printf(m, "%s%d", j ? "," : "", d->irqs[j]);
		seq_printf(m, "%s\n", d->nirqs ? "" : "-");
	}
	j = srtt_nevents > SRTT_EVENTS ? srtt_nevents - SRTT_EVENTS : 0;
	for (; j < srtt_nevents; j++)
		seq_printf(m, "event: %s\n", srtt_events[j % SRTT_EVENTS]);
}

int srtt_dev_init(void)
{
	return register_netdevice_notifier(&srtt_netdev_nb);
}

/* Every attached device, in every namespace. */
void srtt_detach_all(const char *reason)
{
	unsigned int i;

	ASSERT_RTNL();
	lockdep_assert_held(&srtt_lock);
	for (i = 0; i < SRTT_MAX_DEVS; i++)
		if (srtt_devs[i])
			srtt_dev_detach(srtt_devs[i], reason);
}

/*
 * Stop listening. While anything is attached the module is pinned
 * (srtt_hooks_get()), and the ways in are gone before this runs: there
 * is nothing left to detach, unless a hook failed to pin.
 */
void srtt_dev_fini(void)
{
	rtnl_lock();
	mutex_lock(&srtt_lock);
	srtt_detach_all("module unloaded");
	kfree(rcu_replace_pointer(srtt_table, NULL, lockdep_is_held(&srtt_lock)));
	mutex_unlock(&srtt_lock);
	rtnl_unlock();
	unregister_netdevice_notifier(&srtt_netdev_nb);
}
