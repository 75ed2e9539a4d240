// SPDX-License-Identifier: GPL-2.0
/*
 * sriov_rtt: the debugfs tree, /sys/kernel/debug/sriov_rtt. For people
 * and tests; the generic netlink family is the interface for tools.
 *
 *   version  control  devices  stats  records  reset  hist/<dev>/<from>-<to>
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/nsproxy.h>
#include <linux/rtnetlink.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "sriov_rtt.h"
#include "control.h"

static struct dentry *srtt_dir;
static struct dentry *srtt_hist_dir;
/* the last rejected control write, protected by srtt_lock */
static char srtt_ctl_error[SRTT_CTL_WHY_LEN];
static int srtt_ctl_errno;

/* A hist/<dev>/<from>-<to> file; lives as long as its device. */
struct srtt_hist_file {
	struct srtt_dev	*d;
	u8		from;
	u8		to;
};

static int srtt_version_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%s\n", SRTT_VERSION);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(srtt_version);

/* ---- control ---- */

static int srtt_control_show(struct seq_file *m, void *v)
{
	mutex_lock(&srtt_lock);
	seq_printf(m, "stamp_port %u\n", srtt_cfg.stamp_port);
	seq_printf(m, "sample %u\n", srtt_cfg.sample);
	seq_printf(m, "ring_size %u\n", srtt_cfg.ring_size);
	if (srtt_ctl_errno)
		seq_printf(m, "last_error %d %s\n", srtt_ctl_errno,
			   srtt_ctl_error);
	else
		seq_puts(m, "last_error 0 none\n");
	mutex_unlock(&srtt_lock);
	return 0;
}

static int srtt_set(const struct srtt_ctl_cmd *cmd, char *why, size_t len)
{
	int err;

	switch (cmd->key) {
	case SRTT_CTL_KEY_STAMP_PORT:
		WRITE_ONCE(srtt_cfg.stamp_port, cmd->value);
		return 0;
	case SRTT_CTL_KEY_SAMPLE:
		WRITE_ONCE(srtt_cfg.sample, cmd->value);
		return 0;
	case SRTT_CTL_KEY_RING_SIZE:
		if (srtt_any_attached()) {
			snprintf(why, len, "set ring_size: detach every device first");
			return -EBUSY;
		}
		err = srtt_ring_resize(cmd->value);
		if (err) {
			snprintf(why, len, "set ring_size %llu: %d", cmd->value, err);
			return err;
		}
		srtt_cfg.ring_size = cmd->value;
		return 0;
	}
	snprintf(why, len, "set: unknown key");
	return -EINVAL;
}

static ssize_t srtt_control_write(struct file *file, const char __user *ubuf,
				  size_t count, loff_t *ppos)
{
	char buf[SRTT_CTL_MAX_LEN + 1], why[SRTT_CTL_WHY_LEN] = "";
	size_t len = min(count, sizeof(buf));
	struct srtt_ctl_cmd cmd;
	struct net *net = current->nsproxy->net_ns;
	int err;

	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	err = srtt_ctl_parse(buf, len, &cmd, why, sizeof(why));

	rtnl_lock();
	mutex_lock(&srtt_lock);
	if (!err) {
		switch (cmd.verb) {
		case SRTT_CTL_ATTACH:
			err = srtt_attach(net, cmd.ifname, cmd.stages, why,
					  sizeof(why));
			break;
		case SRTT_CTL_DETACH:
			err = srtt_detach(net, cmd.ifname, why, sizeof(why));
			break;
		case SRTT_CTL_SET:
			err = srtt_set(&cmd, why, sizeof(why));
			break;
		case SRTT_CTL_RESET:
			srtt_reset_all();
			break;
		case SRTT_CTL_DETACH_ALL:
			srtt_detach_all("by request (detach-all)");
			break;
		}
	}
	srtt_ctl_errno = err;
	strscpy(srtt_ctl_error, err ? why : "", sizeof(srtt_ctl_error));
	mutex_unlock(&srtt_lock);
	rtnl_unlock();
	return err ? err : count;
}

static int srtt_control_open(struct inode *inode, struct file *file)
{
	return single_open(file, srtt_control_show, NULL);
}

static const struct file_operations srtt_control_fops = {
	.owner		= THIS_MODULE,
	.open		= srtt_control_open,
	.read		= seq_read,
	.write		= srtt_control_write,
	.llseek		= seq_lseek,
	.release	= single_release,
};

/* ---- devices, stats ---- */

static int srtt_devices_show_file(struct seq_file *m, void *v)
{
	mutex_lock(&srtt_lock);
	srtt_devices_show(m);
	mutex_unlock(&srtt_lock);
	return 0;
}

static int srtt_devices_open(struct inode *inode, struct file *file)
{
	return single_open(file, srtt_devices_show_file, NULL);
}

static const struct file_operations srtt_devices_fops = {
	.owner		= THIS_MODULE,
	.open		= srtt_devices_open,
	.read		= seq_read,
	.llseek		= seq_lseek,
	.release	= single_release,
};

static void srtt_stats_dev(struct seq_file *m, struct srtt_dev *d)
{
	struct srtt_dev_stats sum;
	int st;

	srtt_dev_stats_sum(d, &sum);
	for (st = 0; st < __SRTT_STAGE_MAX; st++)
		seq_printf(m, "%s %s %llu %llu %llu\n", d->name,
			   srtt_stage_name(st), sum.hits[st], sum.lost[st],
			   sum.bad[st]);
	if (d->role == SRTT_ROLE_PF || d->role == SRTT_ROLE_TAP)
		for (st = 0; st < SRTT_EVENT_COUNT; st++)
			seq_printf(m, "%s %s %llu %llu 0\n", d->name,
				   srtt_stage_name(SRTT_EVENT_FIRST + st),
				   sum.ev_hits[st], sum.ev_lost[st]);
	seq_printf(m, "%s: impossible %llu track_busy %llu track_restart %llu track_evict %llu\n",
		   d->name, sum.impossible, sum.track_busy, sum.track_order,
		   sum.track_evict);
	seq_printf(m, "%s: irqs %llu napi_polls %llu\n", d->name, sum.irqs,
		   sum.napi_polls);
}

static int srtt_stats_show(struct seq_file *m, void *v)
{
	unsigned int i;

	mutex_lock(&srtt_lock);
	seq_puts(m, "device stage hits lost bad\n");
	for (i = 0; i < SRTT_MAX_DEVS; i++)
		if (srtt_devs[i])
			srtt_stats_dev(m, srtt_devs[i]);
	srtt_ring_show(m);
	srtt_hooks_show(m);
	mutex_unlock(&srtt_lock);
	return 0;
}

static int srtt_stats_open(struct inode *inode, struct file *file)
{
	return single_open(file, srtt_stats_show, NULL);
}

static const struct file_operations srtt_stats_fops = {
	.owner		= THIS_MODULE,
	.open		= srtt_stats_open,
	.read		= seq_read,
	.llseek		= seq_lseek,
	.release	= single_release,
};

/* ---- records, reset ---- */

static ssize_t srtt_records_read(struct file *file, char __user *ubuf,
				 size_t count, loff_t *ppos)
{
	return srtt_ring_read(ubuf, count);
}

static const struct file_operations srtt_records_fops = {
	.owner		= THIS_MODULE,
	.open		= nonseekable_open,
	.read		= srtt_records_read,
};

static ssize_t srtt_reset_write(struct file *file, const char __user *ubuf,
				size_t count, loff_t *ppos)
{
	mutex_lock(&srtt_lock);
	srtt_reset_all();
	mutex_unlock(&srtt_lock);
	return count;
}

static const struct file_operations srtt_reset_fops = {
	.owner		= THIS_MODULE,
	.open		= nonseekable_open,
	.write		= srtt_reset_write,
};

/* ---- hist/<dev>/<from>-<to> ---- */

static void srtt_print_ns(struct seq_file *m, const char *what, u64 ns)
{
	if (ns == SRTT_HIST_OVER)
		seq_printf(m, "%s >60s\n", what);
	else
		seq_printf(m, "%s %llu\n", what, ns);
}

/* Reads only its own device: no srtt_lock, which removal holds. */
static int srtt_hist_show(struct seq_file *m, void *v)
{
	struct srtt_hist_file *f = m->private;
	struct srtt_hist *h;
	unsigned int i;
	int pair;

	pair = srtt_pair_index(f->from, f->to);
	h = kvmalloc(sizeof(*h), GFP_KERNEL);
	if (!h)
		return -ENOMEM;
	srtt_ahist_snapshot(&f->d->hist[pair], h);
	seq_printf(m, "from %s\nto %s\nunit ns\nclock mono\n",
		   srtt_stage_name(f->from), srtt_stage_name(f->to));
	seq_printf(m, "count %llu\nover %llu\n", h->count, h->over);
	if (h->count) {
		srtt_print_ns(m, "min", h->min);
		for (i = 0; i < SRTT_NR_PCT; i++)
			if (srtt_hist_pct_supported(srtt_hist_total(h),
						    srtt_pcts[i].ppm))
				srtt_print_ns(m, srtt_pcts[i].name,
					      srtt_hist_percentile(h, srtt_pcts[i].ppm));
			else	/* too few samples for it */
				seq_printf(m, "%s -\n", srtt_pcts[i].name);
		srtt_print_ns(m, "max", h->max);
	} else {
		seq_puts(m, "min -\n");
		for (i = 0; i < SRTT_NR_PCT; i++)
			seq_printf(m, "%s -\n", srtt_pcts[i].name);
		seq_puts(m, "max -\n");
	}
	seq_puts(m, "buckets lo hi count\n");
	for (i = 0; i < SRTT_HIST_BUCKETS; i++)
		if (h->bucket[i])
			seq_printf(m, "bucket %llu %llu %llu\n",
				   srtt_hist_bucket_lo(i),
				   srtt_hist_bucket_hi(i), h->bucket[i]);
	kvfree(h);
	return 0;
}

static int srtt_hist_open(struct inode *inode, struct file *file)
{
	return single_open(file, srtt_hist_show, inode->i_private);
}

static const struct file_operations srtt_hist_fops = {
	.owner		= THIS_MODULE,
	.open		= srtt_hist_open,
	.read		= seq_read,
	.llseek		= seq_lseek,
	.release	= single_release,
};

int srtt_debugfs_dev_add(struct srtt_dev *d)
{
	struct srtt_hist_file *f;
	char name[40];
	unsigned int n = 0;
	u8 from, to;

	lockdep_assert_held(&srtt_lock);
	d->hist_files = kcalloc(SRTT_PAIRS, sizeof(*d->hist_files), GFP_KERNEL);
	if (!d->hist_files)
		return -ENOMEM;
	d->hist_dir = debugfs_create_dir(d->name, srtt_hist_dir);
	for (from = 0; from < __SRTT_STAGE_MAX; from++) {
		for (to = from + 1; to < __SRTT_STAGE_MAX; to++) {
			if (srtt_pair_index(from, to) < 0)
				continue;
			f = &d->hist_files[n++];
			f->d = d;
			f->from = from;
			f->to = to;
			snprintf(name, sizeof(name), "%s-%s",
				 srtt_stage_name(from), srtt_stage_name(to));
			debugfs_create_file(name, 0400, d->hist_dir, f,
					    &srtt_hist_fops);
		}
	}
	return 0;
}

/* Waits for readers of the device's files to leave. */
void srtt_debugfs_dev_del(struct srtt_dev *d)
{
	debugfs_remove_recursive(d->hist_dir);
	d->hist_dir = NULL;
	kfree(d->hist_files);
	d->hist_files = NULL;
}

void srtt_debugfs_dev_rename(struct srtt_dev *d)
{
	int err;

	err = srtt_debugfs_change_name(srtt_hist_dir, d->hist_dir, d->name);
	if (err)
		pr_warn("hist/%s: cannot follow the rename: %d\n", d->name,
			err);
}

int srtt_debugfs_init(void)
{
	struct dentry *dir;

	dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	if (IS_ERR(dir))
		return PTR_ERR(dir);

	debugfs_create_file("version", 0400, dir, NULL, &srtt_version_fops);
	debugfs_create_file("control", 0600, dir, NULL, &srtt_control_fops);
	debugfs_create_file("devices", 0400, dir, NULL, &srtt_devices_fops);
	debugfs_create_file("stats", 0400, dir, NULL, &srtt_stats_fops);
	debugfs_create_file("records", 0400, dir, NULL, &srtt_records_fops);
	debugfs_create_file("reset", 0200, dir, NULL, &srtt_reset_fops);
	srtt_hist_dir = debugfs_create_dir("hist", dir);
	srtt_dir = dir;
	return 0;
}

void srtt_debugfs_fini(void)
{
	debugfs_remove_recursive(srtt_dir);
	srtt_dir = NULL;
}
