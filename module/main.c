// SPDX-License-Identifier: GPL-2.0
/* sriov_rtt: stage stamps for round-trip time on SR-IOV paths. */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>

#include "sriov_rtt.h"

static int __init srtt_init(void)
{
	int err;

	err = srtt_debugfs_init();
	if (err)
		return err;

	pr_info("version %s loaded\n", SRTT_VERSION);
	return 0;
}

static void __exit srtt_exit(void)
{
	srtt_debugfs_fini();
}

module_init(srtt_init);
module_exit(srtt_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Round-trip time breakdown for SR-IOV PF/VF packet paths");
MODULE_VERSION(SRTT_VERSION);
