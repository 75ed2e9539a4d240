// SPDX-License-Identifier: GPL-2.0
/* sriov_rtt: the debugfs tree, /sys/kernel/debug/sriov_rtt. */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/seq_file.h>

#include "sriov_rtt.h"

static struct dentry *srtt_dir;

static int srtt_version_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%s\n", SRTT_VERSION);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(srtt_version);

int srtt_debugfs_init(void)
{
	struct dentry *dir;

	dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	if (IS_ERR(dir))
		return PTR_ERR(dir);

	debugfs_create_file("version", 0400, dir, NULL, &srtt_version_fops);
	srtt_dir = dir;
	return 0;
}

void srtt_debugfs_fini(void)
{
	debugfs_remove_recursive(srtt_dir);
	srtt_dir = NULL;
}
