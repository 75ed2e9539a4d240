// SPDX-License-Identifier: GPL-2.0
/*
 * sriov_rtt: the records group's drain. While anything is attached (the
 * devices' owner, dev.c, starts and stops it) a worker looks for
 * listeners every 10 ms and moves the rings to the "records" multicast
 * group; a records-flush does the same at once. The family is lent by
 * netlink.c while it is registered: without it nothing is drained.
 */

#include <linux/slab.h>
#include <linux/workqueue.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>

#include "sriov_rtt.h"
#include "netlink-gen.h"

/*
 * Records per notification: 384 * 40 bytes plus the headers and
 * skb_shared_info fit one 16 KB allocation, so a listener's receive
 * buffer holds about 95 % payload (a 96-record message took an 8 KB
 * allocation for 3.8 KB of records).
 */
#define SRTT_REC_BATCH		384
#define SRTT_REC_PERIOD_MS	10

/*
 * One drain at a time, so that a flush returns only after every record
 * taken before it was multicast: a listener that sees the flush's answer
 * has them all. Also protects srtt_rec_family.
 */
static DEFINE_MUTEX(srtt_rec_lock);
static const struct genl_family *srtt_rec_family;
static struct delayed_work srtt_rec_work;
static bool srtt_rec_running;	/* protected by srtt_lock */

/* The family to multicast on, from its registration to before its end */
void srtt_records_family(const struct genl_family *family)
{
	mutex_lock(&srtt_rec_lock);
	srtt_rec_family = family;
	mutex_unlock(&srtt_rec_lock);
}

static bool srtt_rec_listeners(const struct genl_family *family)
{
	struct net *net;
	bool any = false;

	rcu_read_lock();
	for_each_net_rcu(net) {
		if (genl_has_listeners(family, net, SRIOV_RTT_NLGRP_RECORDS)) {
			any = true;
			break;
		}
	}
	rcu_read_unlock();
	return any;
}

/* Move everything in the rings to the group, in batches. */
static int srtt_rec_drain(const struct genl_family *family)
{
	struct srtt_record *recs;
	struct nlattr *attr;
	struct sk_buff *msg;
	unsigned int n;
	int err = 0;
	void *hdr;
	u64 lost;

	lockdep_assert_held(&srtt_rec_lock);
	recs = kmalloc_array(SRTT_REC_BATCH, sizeof(*recs), GFP_KERNEL);
	if (!recs)
		return -ENOMEM;
	do {
		n = srtt_ring_take(recs, SRTT_REC_BATCH, &lost);
		if (!n && !lost)
			break;
		msg = genlmsg_new(nla_total_size(n * sizeof(*recs)) +
				  nla_total_size_64bit(sizeof(u64)), GFP_KERNEL);
		if (!msg) {
			err = -ENOMEM;
			break;
		}
		hdr = genlmsg_put(msg, 0, 0, family, 0, SRTT_CMD_RECORDS);
		if (!hdr)
			goto err_free;
		if (lost && nla_put_u64_64bit(msg, SRTT_A_LOST, lost, SRTT_A_PAD))
			goto err_free;
		if (n) {
			attr = nla_reserve(msg, SRTT_A_RECORDS, n * sizeof(*recs));
			if (!attr)
				goto err_free;
			memcpy(nla_data(attr), recs, n * sizeof(*recs));
		}
		genlmsg_end(msg, hdr);
		genlmsg_multicast_allns(family, msg, 0, SRIOV_RTT_NLGRP_RECORDS);
	} while (n == SRTT_REC_BATCH);
	kfree(recs);
	return err;

err_free:
	/* sized for one full batch: cannot happen */
	nlmsg_free(msg);
	kfree(recs);
	return -EMSGSIZE;
}

/*
 * records-flush: drain now. -ENOTCONN when nobody listens (or the family
 * is going), -ENOMEM when a message could not be had.
 */
int srtt_records_flush(void)
{
	int err = -ENOTCONN;

	mutex_lock(&srtt_rec_lock);
	if (srtt_rec_family && srtt_rec_listeners(srtt_rec_family))
		err = srtt_rec_drain(srtt_rec_family);
	mutex_unlock(&srtt_rec_lock);
	return err;
}

static void srtt_rec_work_fn(struct work_struct *work)
{
	srtt_records_flush();
	schedule_delayed_work(&srtt_rec_work,
			      msecs_to_jiffies(SRTT_REC_PERIOD_MS));
}

/* While anything is attached, look for listeners every 10 ms. */
void srtt_records_start(void)
{
	lockdep_assert_held(&srtt_lock);
	if (srtt_rec_running)
		return;
	srtt_rec_running = true;
	schedule_delayed_work(&srtt_rec_work, 0);
}

void srtt_records_stop(void)
{
	lockdep_assert_held(&srtt_lock);
	if (!srtt_rec_running)
		return;
	srtt_rec_running = false;
	cancel_delayed_work_sync(&srtt_rec_work);
}

void srtt_records_init(void)
{
	INIT_DELAYED_WORK(&srtt_rec_work, srtt_rec_work_fn);
}
