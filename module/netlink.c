// SPDX-License-Identifier: GPL-2.0
/*
 * sriov_rtt: the generic netlink family "sriov_rtt". Spec:
 * Documentation/netlink/specs/sriov_rtt.yaml; its policies, one per
 * operation, and the operations table are generated from it into
 * netlink-gen.c. Strict validation; writes need CAP_NET_ADMIN; every
 * rejection says why in the extended ACK. Records go to the "records"
 * multicast group.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/netdevice.h>
#include <linux/pci.h>
#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "sriov_rtt.h"
#include "control.h"
#include "netlink-gen.h"

static struct genl_family srtt_genl_family;

/*
 * An extack message built at run time (attach/detach say which device and
 * why). The ack is sent before genl_mutex is released, and the family
 * runs its ops under it, so one buffer serves every request; 6.1 has no
 * formatted extack messages.
 */
static char srtt_nl_why_buf[SRTT_CTL_WHY_LEN];

static void srtt_nl_why(struct genl_info *info, const char *why)
{
	strscpy(srtt_nl_why_buf, why, sizeof(srtt_nl_why_buf));
	info->extack->_msg = srtt_nl_why_buf;
}

/* ---- device attributes ---- */

static int srtt_nl_put_dev(struct sk_buff *skb, struct srtt_dev *d)
{
	struct device *parent = d->ndev->dev.parent;
	unsigned int i;

	if (nla_put_u32(skb, SRTT_A_IFINDEX, d->ndev->ifindex) ||
	    nla_put_string(skb, SRTT_A_IFNAME, d->name) ||
	    nla_put_u8(skb, SRTT_A_DEV_ID, d->id) ||
	    nla_put_u8(skb, SRTT_A_DEV_ROLE, d->role) ||
	    nla_put_u32(skb, SRTT_A_DEV_NETNS_INO, dev_net(d->ndev)->ns.inum) ||
	    nla_put_u32(skb, SRTT_A_DEV_STAGES, d->stages))
		return -EMSGSIZE;
	if (d->pdev && nla_put_string(skb, SRTT_A_DEV_PCI, pci_name(d->pdev)))
		return -EMSGSIZE;
	if (parent && parent->driver &&
	    nla_put_string(skb, SRTT_A_DEV_DRIVER, parent->driver->name))
		return -EMSGSIZE;
	if (d->role == SRTT_ROLE_PF &&
	    nla_put_u32(skb, SRTT_A_DEV_NUM_VFS, pci_num_vf(d->pdev)))
		return -EMSGSIZE;
	if (d->role == SRTT_ROLE_VF &&
	    (nla_put_u32(skb, SRTT_A_DEV_VF_INDEX, d->vf_index) ||
	     nla_put_string(skb, SRTT_A_DEV_PF_PCI, pci_name(pci_physfn(d->pdev)))))
		return -EMSGSIZE;
	for (i = 0; i < d->nirqs; i++)
		if (nla_put_u32(skb, SRTT_A_DEV_IRQ, d->irqs[i]))
			return -EMSGSIZE;
	return 0;
}

static int srtt_nl_fill_dev(struct sk_buff *skb, struct srtt_dev *d, u32 portid,
			    u32 seq, int flags, u8 cmd)
{
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &srtt_genl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (srtt_nl_put_dev(skb, d)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/*
 * The name of the device a request means: SRTT_A_IFINDEX or SRTT_A_IFNAME
 * in the requester's namespace. Called with RTNL held.
 */
static struct net_device *srtt_nl_dev(struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct net_device *ndev;

	if (info->attrs[SRTT_A_IFINDEX]) {
		ndev = __dev_get_by_index(net, nla_get_u32(info->attrs[SRTT_A_IFINDEX]));
		if (!ndev)
			NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[SRTT_A_IFINDEX],
					    "no device with this ifindex in this network namespace");
		return ndev;
	}
	if (info->attrs[SRTT_A_IFNAME]) {
		ndev = __dev_get_by_name(net, nla_data(info->attrs[SRTT_A_IFNAME]));
		if (!ndev)
			NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[SRTT_A_IFNAME],
					    "no device of this name in this network namespace");
		return ndev;
	}
	NL_SET_ERR_MSG_MOD(info->extack, "SRTT_A_IFINDEX or SRTT_A_IFNAME is required");
	return NULL;
}

/* Attach or detach the device a request names, with the reason on failure. */
static int srtt_nl_dev_change(struct genl_info *info, u32 stages,
			      int (*change)(struct net *net, const char *name,
					    u32 stages, char *why,
					    size_t whylen))
{
	char why[SRTT_CTL_WHY_LEN];
	struct net_device *ndev;
	int err;

	rtnl_lock();
	mutex_lock(&srtt_lock);
	ndev = srtt_nl_dev(info);
	if (!ndev) {
		err = info->attrs[SRTT_A_IFINDEX] || info->attrs[SRTT_A_IFNAME] ?
		      -ENODEV : -EINVAL;
		goto out;
	}
	err = change(genl_info_net(info), ndev->name, stages, why,
		     sizeof(why));
	if (err)
		srtt_nl_why(info, why);
out:
	mutex_unlock(&srtt_lock);
	rtnl_unlock();
	return err;
}

int sriov_rtt_nl_dev_attach_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *a = info->attrs[SRTT_A_DEV_STAGES];
	u32 stages = a ? nla_get_u32(a) : SRTT_STAGES_DEFAULT;

	if (!stages || stages & ~SRTT_STAGES_ALL) {
		NL_SET_ERR_MSG_ATTR(info->extack, a,
				    "no stage, or a bit past the last stage");
		return -EINVAL;
	}
	return srtt_nl_dev_change(info, stages, srtt_attach);
}

static int srtt_nl_detach(struct net *net, const char *name, u32 stages,
			  char *why, size_t whylen)
{
	return srtt_detach(net, name, why, whylen);
}

int sriov_rtt_nl_dev_detach_doit(struct sk_buff *skb, struct genl_info *info)
{
	return srtt_nl_dev_change(info, 0, srtt_nl_detach);
}

int sriov_rtt_nl_dev_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct net_device *ndev;
	struct sk_buff *msg;
	struct srtt_dev *d;
	int err;

	msg = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	rtnl_lock();
	mutex_lock(&srtt_lock);
	ndev = srtt_nl_dev(info);
	if (!ndev) {
		err = -ENODEV;
		goto err_unlock;
	}
	d = srtt_dev_by_ndev(ndev);
	if (!d) {
		NL_SET_ERR_MSG_MOD(info->extack, "device is not attached");
		err = -ENOENT;
		goto err_unlock;
	}
	err = srtt_nl_fill_dev(msg, d, info->snd_portid, info->snd_seq, 0,
			       SRTT_CMD_DEV_GET);
	if (err)
		goto err_unlock;
	mutex_unlock(&srtt_lock);
	rtnl_unlock();
	return genlmsg_reply(msg, info);

err_unlock:
	mutex_unlock(&srtt_lock);
	rtnl_unlock();
	nlmsg_free(msg);
	return err;
}

/* Dumps walk the device slots; cb->args[0] is the next slot. */
int sriov_rtt_nl_dev_get_dumpit(struct sk_buff *skb,
				struct netlink_callback *cb)
{
	unsigned int slot;
	int err = 0;

	mutex_lock(&srtt_lock);
	for (slot = cb->args[0]; slot < SRTT_MAX_DEVS; slot++) {
		if (!srtt_devs[slot])
			continue;
		err = srtt_nl_fill_dev(skb, srtt_devs[slot],
				       NETLINK_CB(cb->skb).portid,
				       cb->nlh->nlmsg_seq, NLM_F_MULTI,
				       SRTT_CMD_DEV_GET);
		if (err)
			break;
	}
	cb->args[0] = slot;
	mutex_unlock(&srtt_lock);
	return skb->len ? skb->len : err;
}

/* ---- configuration ---- */

int sriov_rtt_nl_config_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **tb = info->attrs;
	int err = 0;

	if (!tb[SRTT_A_CFG_STAMP_PORT] && !tb[SRTT_A_CFG_SAMPLE] &&
	    !tb[SRTT_A_CFG_RING_SIZE]) {
		NL_SET_ERR_MSG_MOD(info->extack, "nothing to set");
		return -EINVAL;
	}
	mutex_lock(&srtt_lock);
	/* check everything before changing anything */
	if (tb[SRTT_A_CFG_RING_SIZE]) {
		u32 size = nla_get_u32(tb[SRTT_A_CFG_RING_SIZE]);

		if (!is_power_of_2(size)) {
			NL_SET_ERR_MSG_ATTR(info->extack, tb[SRTT_A_CFG_RING_SIZE],
					    "ring size must be a power of two");
			err = -ERANGE;
			goto out;
		}
		if (srtt_any_attached()) {
			NL_SET_ERR_MSG_ATTR(info->extack, tb[SRTT_A_CFG_RING_SIZE],
					    "detach every device before changing the ring size");
			err = -EBUSY;
			goto out;
		}
		err = srtt_ring_resize(size);
		if (err) {
			NL_SET_ERR_MSG_MOD(info->extack, "cannot allocate the rings");
			goto out;
		}
		srtt_cfg.ring_size = size;
	}
	if (tb[SRTT_A_CFG_STAMP_PORT])
		WRITE_ONCE(srtt_cfg.stamp_port, nla_get_u16(tb[SRTT_A_CFG_STAMP_PORT]));
	if (tb[SRTT_A_CFG_SAMPLE])
		WRITE_ONCE(srtt_cfg.sample, nla_get_u32(tb[SRTT_A_CFG_SAMPLE]));
out:
	mutex_unlock(&srtt_lock);
	return err;
}

int sriov_rtt_nl_config_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;

	msg = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &srtt_genl_family, 0,
				SRTT_CMD_CONFIG_GET);
	if (!hdr)
		goto err_free;
	mutex_lock(&srtt_lock);
	if (nla_put_u16(msg, SRTT_A_CFG_STAMP_PORT, srtt_cfg.stamp_port) ||
	    nla_put_u32(msg, SRTT_A_CFG_SAMPLE, srtt_cfg.sample) ||
	    nla_put_u32(msg, SRTT_A_CFG_RING_SIZE, srtt_cfg.ring_size)) {
		mutex_unlock(&srtt_lock);
		goto err_free;
	}
	mutex_unlock(&srtt_lock);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_free:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

/* ---- stats ---- */

static bool srtt_nl_filtered(struct netlink_callback *cb, struct srtt_dev *d)
{
	struct nlattr *name = srtt_dumpit_attrs(cb)[SRTT_A_IFNAME];

	/* a name means a device of the requester's namespace */
	return name && (nla_strcmp(name, d->name) ||
			!net_eq(dev_net(d->ndev), sock_net(cb->skb->sk)));
}

static int srtt_nl_fill_stats(struct sk_buff *skb, struct srtt_dev *d,
			      struct netlink_callback *cb)
{
	struct srtt_dev_stats sum;
	struct nlattr *nest;
	bool events;
	void *hdr;
	int st;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &srtt_genl_family, NLM_F_MULTI, SRTT_CMD_STATS_GET);
	if (!hdr)
		return -EMSGSIZE;
	srtt_dev_stats_sum(d, &sum);
	if (nla_put_string(skb, SRTT_A_IFNAME, d->name) ||
	    nla_put_u32(skb, SRTT_A_IFINDEX, d->ndev->ifindex) ||
	    nla_put_u8(skb, SRTT_A_DEV_ID, d->id) ||
	    nla_put_u64_64bit(skb, SRTT_A_IMPOSSIBLE, sum.impossible, SRTT_A_PAD) ||
	    nla_put_u64_64bit(skb, SRTT_A_TRACK_BUSY, sum.track_busy, SRTT_A_PAD) ||
	    nla_put_u64_64bit(skb, SRTT_A_TRACK_RESTART, sum.track_order, SRTT_A_PAD) ||
	    nla_put_u64_64bit(skb, SRTT_A_TRACK_EVICT, sum.track_evict, SRTT_A_PAD) ||
	    nla_put_u64_64bit(skb, SRTT_A_IRQS, sum.irqs, SRTT_A_PAD) ||
	    nla_put_u64_64bit(skb, SRTT_A_NAPI_POLLS, sum.napi_polls, SRTT_A_PAD))
		goto err_cancel;
	for (st = 0; st < __SRTT_STAGE_MAX; st++) {
		nest = nla_nest_start(skb, SRTT_A_STAGE_STATS);
		if (!nest ||
		    nla_put_u8(skb, SRTT_A_SS_STAGE, st) ||
		    nla_put_u64_64bit(skb, SRTT_A_SS_HITS, sum.hits[st], SRTT_A_SS_PAD) ||
		    nla_put_u64_64bit(skb, SRTT_A_SS_LOST, sum.lost[st], SRTT_A_SS_PAD) ||
		    nla_put_u64_64bit(skb, SRTT_A_SS_BAD, sum.bad[st], SRTT_A_SS_PAD))
			goto err_cancel;
		nla_nest_end(skb, nest);
	}
	/* hypervisor events: a PF's VFs in guests, a tap's vhost */
	events = d->role == SRTT_ROLE_PF || d->role == SRTT_ROLE_TAP;
	for (st = 0; events && st < SRTT_EVENT_COUNT; st++) {
		nest = nla_nest_start(skb, SRTT_A_STAGE_STATS);
		if (!nest ||
		    nla_put_u8(skb, SRTT_A_SS_STAGE, SRTT_EVENT_FIRST + st) ||
		    nla_put_u64_64bit(skb, SRTT_A_SS_HITS, sum.ev_hits[st], SRTT_A_SS_PAD) ||
		    nla_put_u64_64bit(skb, SRTT_A_SS_LOST, sum.ev_lost[st], SRTT_A_SS_PAD))
			goto err_cancel;
		nla_nest_end(skb, nest);
	}
	genlmsg_end(skb, hdr);
	return 0;

err_cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

int sriov_rtt_nl_stats_get_dumpit(struct sk_buff *skb,
				  struct netlink_callback *cb)
{
	unsigned int slot;
	int err = 0;

	mutex_lock(&srtt_lock);
	for (slot = cb->args[0]; slot < SRTT_MAX_DEVS; slot++) {
		if (!srtt_devs[slot] || srtt_nl_filtered(cb, srtt_devs[slot]))
			continue;
		err = srtt_nl_fill_stats(skb, srtt_devs[slot], cb);
		if (err)
			break;
	}
	cb->args[0] = slot;
	mutex_unlock(&srtt_lock);
	return skb->len ? skb->len : err;
}

/* ---- histograms ---- */

static int srtt_nl_fill_hist(struct sk_buff *skb, struct srtt_dev *d,
			     u8 from, u8 to, struct srtt_hist *h,
			     struct netlink_callback *cb)
{
	struct nlattr *nest;
	unsigned int i;
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &srtt_genl_family, NLM_F_MULTI, SRTT_CMD_HIST_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_string(skb, SRTT_A_IFNAME, d->name) ||
	    nla_put_u8(skb, SRTT_A_DEV_ID, d->id) ||
	    nla_put_u8(skb, SRTT_A_HIST_FROM, from) ||
	    nla_put_u8(skb, SRTT_A_HIST_TO, to) ||
	    nla_put_u64_64bit(skb, SRTT_A_HIST_COUNT, h->count, SRTT_A_PAD) ||
	    nla_put_u64_64bit(skb, SRTT_A_HIST_OVER, h->over, SRTT_A_PAD) ||
	    nla_put_u64_64bit(skb, SRTT_A_HIST_MIN, h->min, SRTT_A_PAD) ||
	    nla_put_u64_64bit(skb, SRTT_A_HIST_MAX, h->max, SRTT_A_PAD) ||
	    nla_put_u64_64bit(skb, SRTT_A_HIST_SUM, h->sum, SRTT_A_PAD))
		goto err_cancel;
	for (i = 0; i < SRTT_HIST_BUCKETS; i++) {
		if (!h->bucket[i])
			continue;
		nest = nla_nest_start(skb, SRTT_A_HIST_BUCKET);
		if (!nest ||
		    nla_put_u32(skb, SRTT_A_HB_INDEX, i) ||
		    nla_put_u64_64bit(skb, SRTT_A_HB_COUNT, h->bucket[i], SRTT_A_HB_PAD))
			goto err_cancel;
		nla_nest_end(skb, nest);
	}
	genlmsg_end(skb, hdr);
	return 0;

err_cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/* cb->args[0]: device slot, cb->args[1]: stage pair within it */
int sriov_rtt_nl_hist_get_dumpit(struct sk_buff *skb,
				 struct netlink_callback *cb)
{
	struct srtt_hist *h;
	unsigned int slot;
	u8 from, to;
	int pair, err = 0;

	h = kvmalloc(sizeof(*h), GFP_KERNEL);
	if (!h)
		return -ENOMEM;
	mutex_lock(&srtt_lock);
	for (slot = cb->args[0]; slot < SRTT_MAX_DEVS; slot++, cb->args[1] = 0) {
		struct srtt_dev *d = srtt_devs[slot];

		if (!d || srtt_nl_filtered(cb, d))
			continue;
		for (from = 0; from < __SRTT_STAGE_MAX; from++) {
			for (to = from + 1; to < __SRTT_STAGE_MAX; to++) {
				pair = srtt_pair_index(from, to);
				if (pair < 0 || pair < cb->args[1])
					continue;
				srtt_ahist_snapshot(&d->hist[pair], h);
				err = srtt_nl_fill_hist(skb, d, from, to, h, cb);
				if (err)
					goto out;
				cb->args[1] = pair + 1;
			}
		}
	}
out:
	cb->args[0] = slot;
	mutex_unlock(&srtt_lock);
	kvfree(h);
	return skb->len ? skb->len : err;
}

int sriov_rtt_nl_hist_reset_doit(struct sk_buff *skb, struct genl_info *info)
{
	mutex_lock(&srtt_lock);
	srtt_reset_all();
	mutex_unlock(&srtt_lock);
	return 0;
}

/*
 * records-flush: drain the rings to the group now. Whoever listens on
 * the same socket reads every record stamped before the request ahead of
 * its answer, so a reflector can put the stages of the packet it is
 * answering into the reply instead of waiting for the next 10 ms drain.
 */
int sriov_rtt_nl_records_flush_doit(struct sk_buff *skb,
				    struct genl_info *info)
{
	int err = srtt_records_flush();

	if (err == -ENOTCONN)
		NL_SET_ERR_MSG(info->extack,
			       "nobody listens on the records group: join it first");
	else if (err)
		NL_SET_ERR_MSG(info->extack, "records flush failed: out of memory");
	return err;
}

/* ---- the family ---- */

/*
 * The group as netlink-gen.c has it, and admin-only: 6.12's ynl-gen-c
 * leaves out the spec's group flags, and writes a family struct (which
 * would take its table) for protocol genetlink only.
 */
static const struct genl_multicast_group srtt_genl_mcgrps[] = {
	[SRIOV_RTT_NLGRP_RECORDS] = {
		.name	= SRTT_GENL_MCGRP_RECORDS,
		.flags	= GENL_MCAST_CAP_NET_ADMIN,
	},
};

static struct genl_family srtt_genl_family __ro_after_init = {
	.name		= SRTT_GENL_NAME,
	.version	= SRTT_GENL_VERSION,
	.netnsok	= true,
	.module		= THIS_MODULE,
	.resv_start_op	= SRTT_CMD_HIST_RESET + 1,
	.mcgrps		= srtt_genl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(srtt_genl_mcgrps),
};

int srtt_netlink_init(void)
{
	int err;

	/* the generated operations table, as this kernel takes one */
	err = srtt_genl_set_split_ops(&srtt_genl_family, sriov_rtt_nl_ops,
				      ARRAY_SIZE(sriov_rtt_nl_ops));
	if (err)
		return err;
	err = genl_register_family(&srtt_genl_family);
	if (err)
		goto err_free_ops;
	srtt_records_family(&srtt_genl_family);
	return 0;

err_free_ops:
	srtt_genl_free_split_ops(&srtt_genl_family);
	return err;
}

void srtt_netlink_fini(void)
{
	srtt_records_family(NULL);
	genl_unregister_family(&srtt_genl_family);
	srtt_genl_free_split_ops(&srtt_genl_family);
}
