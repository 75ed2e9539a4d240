// SPDX-License-Identifier: GPL-2.0
/*
 * sriov_rtt: netfilter netdev hooks, one pair per attached device:
 * tx_nf_egress and rx_nf_ingress, last of their chains.
 */

#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/netfilter_netdev.h>

#include "hooks.h"

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
	static const u8 stage[] = { SRTT_STAGE_RX_NF_INGRESS, SRTT_STAGE_TX_NF_EGRESS };
	int i, err;

	for (i = 0; i < ARRAY_SIZE(d->nf_ops); i++) {
		/* a hook only where its stage is wanted: it costs every packet */
		if (!(d->stages & BIT(stage[i])))
			continue;
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
