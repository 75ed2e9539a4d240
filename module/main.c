// SPDX-License-Identifier: GPL-2.0
/* sriov_rtt: stage stamps for round-trip time on SR-IOV paths. */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <net/genetlink.h>

#include "sriov_rtt.h"

/*
 * Each part comes up after what it uses and goes down before it: the
 * rings (and their drain), the hooks, the devices, then the two ways in
 * (debugfs, the netlink family). Nothing can attach before the devices'
 * notifier is up, or after they have all been detached on the way out.
 */
static int __init srtt_init(void)
{
	int err;

	err = srtt_ring_init(srtt_cfg.ring_size);
	if (err)
		return err;
	srtt_records_init();
	err = srtt_hooks_init();
	if (err)
		goto err_ring_fini;
	err = srtt_dev_init();
	if (err)
		goto err_hooks_fini;
	err = srtt_debugfs_init();
	if (err)
		goto err_dev_fini;
	err = srtt_netlink_init();
	if (err)
		goto err_debugfs_fini;

	pr_info("version %s loaded\n", SRTT_VERSION);
	return 0;

err_debugfs_fini:
	srtt_debugfs_fini();
err_dev_fini:
	srtt_dev_fini();
err_hooks_fini:
	srtt_hooks_fini();
err_ring_fini:
	srtt_ring_fini();
	return err;
}

static void __exit srtt_exit(void)
{
	srtt_netlink_fini();
	srtt_debugfs_fini();
	srtt_dev_fini();
	srtt_hooks_fini();
	srtt_ring_fini();
}

module_init(srtt_init);
module_exit(srtt_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Round-trip time breakdown for SR-IOV PF/VF packet paths");
MODULE_VERSION(SRTT_VERSION);
MODULE_ALIAS_GENL_FAMILY(SRTT_GENL_NAME);
