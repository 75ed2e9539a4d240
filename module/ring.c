// SPDX-License-Identifier: GPL-2.0
/*
 * sriov_rtt: per-CPU record rings. One producer per CPU (the hot path,
 * with interrupts off), one consumer at a time (a reader of debugfs
 * 'records'). Lossless until full; then every record that does not fit is
 * counted per CPU and per stage, and the next drain says so.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "sriov_rtt.h"

struct srtt_ring {
	struct srtt_record	*recs;
	u32			mask;
	u32			head;		/* written by the producer */
	u32			tail;		/* written by the consumer */
	u64			lost[__SRTT_STAGE_MAX];
	u64			lost_events;
	u64			lost_shown;	/* protected by srtt_ring_mutex */
};

static struct srtt_ring __percpu *srtt_rings;
/* protects the consumer side of every ring: tail and lost_shown */
static DEFINE_MUTEX(srtt_ring_mutex);

int srtt_ring_init(u32 size)
{
	struct srtt_ring *r;
	int cpu;

	srtt_rings = alloc_percpu(struct srtt_ring);
	if (!srtt_rings)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		r = per_cpu_ptr(srtt_rings, cpu);
		r->recs = kvzalloc_node(array_size(size, sizeof(*r->recs)),
					GFP_KERNEL, cpu_to_node(cpu));
		if (!r->recs)
			goto err_free;
		r->mask = size - 1;
	}
	return 0;

err_free:
	srtt_ring_fini();
	return -ENOMEM;
}

/* Only with no producer left: hooks unregistered and synchronized. */
void srtt_ring_fini(void)
{
	int cpu;

	if (!srtt_rings)
		return;
	for_each_possible_cpu(cpu)
		kvfree(per_cpu_ptr(srtt_rings, cpu)->recs);
	free_percpu(srtt_rings);
	srtt_rings = NULL;
}

/* Called with interrupts off. */
bool srtt_ring_put(const struct srtt_record *rec)
{
	struct srtt_ring *r = this_cpu_ptr(srtt_rings);
	u32 head = r->head;

	/* pairs with the release of tail in srtt_ring_read(): slot is free */
	if (head - smp_load_acquire(&r->tail) > r->mask) {
		if (rec->stage < __SRTT_STAGE_MAX)
			r->lost[rec->stage]++;
		else
			r->lost_events++;
		return false;
	}
	r->recs[head & r->mask] = *rec;
	/* pairs with the acquire of head in srtt_ring_read(): rec is written */
	smp_store_release(&r->head, head + 1);
	return true;
}

static u64 srtt_ring_lost(struct srtt_ring *r)
{
	u64 sum = READ_ONCE(r->lost_events);
	int s;

	for (s = 0; s < __SRTT_STAGE_MAX; s++)
		sum += READ_ONCE(r->lost[s]);
	return sum;
}

/*
 * Drain: copy whole lines while they fit in @count, consuming what was
 * copied. Lost records since the last drain come first, as one line per
 * CPU.
 */
ssize_t srtt_ring_read(char __user *ubuf, size_t count)
{
	char line[SRTT_RECORD_LINE_MAX];
	struct srtt_record rec;
	struct srtt_ring *r;
	size_t done = 0;
	u32 head, tail;
	int cpu, n;
	u64 lost;

	if (count < SRTT_RECORD_LINE_MAX)
		return -EINVAL;

	mutex_lock(&srtt_ring_mutex);
	for_each_possible_cpu(cpu) {
		r = per_cpu_ptr(srtt_rings, cpu);
		lost = srtt_ring_lost(r);
		if (lost != r->lost_shown) {
			if (count - done < SRTT_RECORD_LINE_MAX)
				break;
			n = scnprintf(line, sizeof(line),
				      "lost cpu=%d count=%llu\n", cpu,
				      lost - r->lost_shown);
			if (copy_to_user(ubuf + done, line, n)) {
				done = done ? done : -EFAULT;
				goto out;
			}
			done += n;
			r->lost_shown = lost;
		}
		tail = r->tail;
		/* pairs with the release in srtt_ring_put(): records are whole */
		head = smp_load_acquire(&r->head);
		while (tail != head && count - done >= SRTT_RECORD_LINE_MAX) {
			rec = r->recs[tail & r->mask];
			n = srtt_record_line(line, sizeof(line), &rec);
			if (copy_to_user(ubuf + done, line, n)) {
				done = done ? done : -EFAULT;
				break;
			}
			done += n;
			tail++;
		}
		/* pairs with the acquire in srtt_ring_put(): slots are read */
		smp_store_release(&r->tail, tail);
		if (count - done < SRTT_RECORD_LINE_MAX)
			break;
	}
out:
	mutex_unlock(&srtt_ring_mutex);
	return done;
}

void srtt_ring_show(struct seq_file *m)
{
	struct srtt_ring *r;
	int cpu, s;

	seq_puts(m, "ring: cpu queued lost");
	for (s = 0; s < __SRTT_STAGE_MAX; s++)
		seq_printf(m, " %s", srtt_stage_name(s));
	seq_puts(m, " events\n");
	for_each_possible_cpu(cpu) {
		r = per_cpu_ptr(srtt_rings, cpu);
		seq_printf(m, "ring: %d %u %llu", cpu,
			   READ_ONCE(r->head) - READ_ONCE(r->tail),
			   srtt_ring_lost(r));
		for (s = 0; s < __SRTT_STAGE_MAX; s++)
			seq_printf(m, " %llu", READ_ONCE(r->lost[s]));
		seq_printf(m, " %llu\n", READ_ONCE(r->lost_events));
	}
}

/* Only while nothing is attached: no producer can run. */
int srtt_ring_resize(u32 size)
{
	int err;

	mutex_lock(&srtt_ring_mutex);
	srtt_ring_fini();
	err = srtt_ring_init(size);
	if (err)
		srtt_ring_init(READ_ONCE(srtt_cfg.ring_size));
	mutex_unlock(&srtt_ring_mutex);
	return err;
}

/*
 * Take up to @max records, CPU by CPU, for the records multicast group;
 * *@lost is what was lost since the last drain of either kind.
 */
unsigned int srtt_ring_take(struct srtt_record *recs, unsigned int max,
			    u64 *lost)
{
	struct srtt_ring *r;
	unsigned int n = 0;
	u32 head, tail;
	u64 l;
	int cpu;

	*lost = 0;
	mutex_lock(&srtt_ring_mutex);
	for_each_possible_cpu(cpu) {
		r = per_cpu_ptr(srtt_rings, cpu);
		l = srtt_ring_lost(r);
		*lost += l - r->lost_shown;
		r->lost_shown = l;
		tail = r->tail;
		/* pairs with the release in srtt_ring_put(): records are whole */
		head = smp_load_acquire(&r->head);
		while (tail != head && n < max)
			recs[n++] = r->recs[tail++ & r->mask];
		/* pairs with the acquire in srtt_ring_put(): slots are read */
		smp_store_release(&r->tail, tail);
	}
	mutex_unlock(&srtt_ring_mutex);
	return n;
}
