// SPDX-License-Identifier: GPL-2.0
/*
 * sriov_rtt: the hypervisor's events. A VF that a guest owns through
 * vfio-pci has no netdev here; its interrupt (irq_handler_entry of a
 * "vfio-msi..." vector, found by the PF's VF routing IDs), KVM's MSI for
 * it (kvm_msi_set_irq) and the vCPU's injection (kvm_inj_virq) are
 * stamped as events of the PF. A vhost worker's signal stands in for a
 * tap device.
 */

#include <linux/interrupt.h>
#include <linux/pci.h>
#include <linux/sched.h>

#include "hooks.h"

/*
 * A guest vector raised for a VF interrupt or a vhost signal and not yet
 * injected, filed by vector: KVM injects it when the vCPU next enters
 * the guest.
 */
struct srtt_hv_armed {
	atomic_t		state;	/* SRTT_HV_* */
	u8			dev_id;
	u8			vector;
	u16			vf;
	u16			entry;
	u64			ts;
};

#define SRTT_HV_FREE		0
#define SRTT_HV_BUSY		1
#define SRTT_HV_ARMED		2
#define SRTT_HV_SLOTS		16
#define SRTT_HV_MAX_AGE_NS	(1000ULL * NSEC_PER_MSEC)

static struct srtt_hv_armed srtt_hv_armed[SRTT_HV_SLOTS];
static atomic_t srtt_hv_armed_n;
bool srtt_hv_watch;		/* a PF is attached: look for vfio vectors */
static bool srtt_hv_tap;	/* a tap is attached: look for vhost signals */
static atomic64_t srtt_hv_unmatched;	/* vector armed twice, or never injected */

static void srtt_emit_event(struct srtt_dev *d, u8 event, u64 ts, u16 vf,
			    u16 entry, u32 seq)
{
	struct srtt_record rec = {
		.ts = ts,
		.ifindex = d->ndev->ifindex,
		.queue = vf,
		.stage = event,
		.dev_id = d->id,
		.flags = SRTT_REC_F_EVENT,
		.key = { .probe = SRTT_PROBE_NONE, .id = entry, .seq = seq },
	};
	unsigned long irqflags;

	local_irq_save(irqflags);
	rec.cpu = smp_processor_id();
	if (srtt_ring_put(&rec))
		this_cpu_inc(d->stats->ev_hits[event - SRTT_EVENT_FIRST]);
	else
		this_cpu_inc(d->stats->ev_lost[event - SRTT_EVENT_FIRST]);
	local_irq_restore(irqflags);
}

/* Hex digits up to @end; advances *@p, -1 when there are none. */
static long srtt_hex(const char **p, char end)
{
	const char *s = *p;
	long v = 0;
	int n = 0;

	for (; *s && *s != end && n < 8; s++, n++) {
		int h = hex_to_bin(*s);

		if (h < 0)
			return -1;
		v = v * 16 + h;
	}
	if (!n || *s != end)
		return -1;
	*p = s + 1;
	return v;
}

/*
 * vfio-pci names a vector "vfio-msix[ENTRY](DDDD:BB:DD.F)" (or vfio-msi):
 * find the attached PF whose VF that is.
 */
static struct srtt_dev *srtt_hv_vf(struct srtt_table *t, const char *name,
				   u16 *vf, u16 *entry)
{
	long dom, bus, slot, fn, rid;
	int e, i, n;
	const char *p = name + 8;
	struct pci_dev *pdev;
	struct srtt_dev *d;

	if (*p == 'x')
		p++;
	if (*p++ != '[')
		return NULL;
	e = 0;
	for (n = 0; *p >= '0' && *p <= '9' && n < 5; p++, n++)
		e = e * 10 + (*p - '0');
	if (!n || *p++ != ']' || *p++ != '(')
		return NULL;
	dom = srtt_hex(&p, ':');
	bus = srtt_hex(&p, ':');
	slot = srtt_hex(&p, '.');
	fn = srtt_hex(&p, ')');
	if (dom < 0 || bus < 0 || slot < 0 || fn < 0)
		return NULL;
	for (i = 0; i < t->n; i++) {
		d = t->devs[i];
		pdev = d->pdev;
		if (d->role != SRTT_ROLE_PF || !pdev || !d->vf_stride ||
		    pci_domain_nr(pdev->bus) != dom)
			continue;
		/* this VF's offset from the first one, in strides */
		rid = (bus << 8 | PCI_DEVFN(slot, fn)) -
		      (pdev->bus->number << 8 | pdev->devfn) - d->vf_offset;
		if (rid < 0 || rid % d->vf_stride ||
		    rid / d->vf_stride >= pci_num_vf(pdev))
			continue;
		*vf = rid / d->vf_stride;
		*entry = e;
		return d;
	}
	return NULL;
}

void srtt_hv_irq_entry(int irq, const char *name)
{
	struct srtt_table *t;
	struct srtt_dev *d;
	u16 vf, entry;

	t = srtt_table_hot();
	d = t ? srtt_hv_vf(t, name, &vf, &entry) : NULL;
	if (d) {
		srtt_emit_event(d, SRTT_EVENT_HV_IRQ, ktime_get_ns(), vf, entry,
				irq);
		/* a hard interrupt handler: this CPU's, with interrupts off */
		*this_cpu_ptr(&srtt_pcpu.hv) = (struct srtt_hv_irq) {
			.irq = irq, .dev_id = d->id, .vf = vf, .entry = entry,
		};
	}
}

void srtt_tp_irq_exit(void *data, int irq, struct irqaction *action,
		      int ret)
{
	if (unlikely(this_cpu_read(srtt_pcpu.hv.irq) == irq))
		this_cpu_write(srtt_pcpu.hv.irq, 0);
}

/*
 * KVM's irqfd turns the eventfd that vfio-pci signals into an MSI for
 * the guest, still inside the host's interrupt handler: the MSI's data
 * holds the guest's vector.
 */
/*
 * A vhost worker signals its guest (virtio-net's used ring has new
 * entries) through the same irqfd path, in process context. The worker
 * is not tied to a device here: the first attached tap device stands for
 * it. False when there is none.
 */
static bool srtt_hv_vhost(struct srtt_hv_irq *hv, u8 vector)
{
	struct srtt_table *t;
	unsigned int i;
	bool found = false;

	t = srtt_table_hot();
	for (i = 0; t && i < t->n && !found; i++) {
		if (t->devs[i]->role != SRTT_ROLE_TAP)
			continue;
		*hv = (struct srtt_hv_irq) {
			.dev_id = t->devs[i]->id, .vf = SRTT_EVENT_NO_VF,
		};
		srtt_emit_event(t->devs[i], SRTT_EVENT_HV_SIGNAL,
				ktime_get_ns(), SRTT_EVENT_NO_VF, 0, vector);
		found = true;
	}
	return found;
}

void srtt_tp_kvm_msi_set_irq(void *data, u64 address, u64 msi_data)
{
	struct srtt_hv_armed *a;
	u8 vector = msi_data & 0xff;
	struct srtt_hv_irq hv;
	int old;

	if (this_cpu_read(srtt_pcpu.hv.irq) && in_hardirq()) {
		hv = *this_cpu_ptr(&srtt_pcpu.hv);
		this_cpu_write(srtt_pcpu.hv.irq, 0);
	} else if (likely(!READ_ONCE(srtt_hv_tap)) || in_interrupt() ||
		   strncmp(current->comm, "vhost-", 6) ||
		   !srtt_hv_vhost(&hv, vector)) {
		return;
	}
	a = &srtt_hv_armed[vector % SRTT_HV_SLOTS];
	old = atomic_read(&a->state);
	if (old == SRTT_HV_BUSY ||
	    !atomic_try_cmpxchg_acquire(&a->state, &old, SRTT_HV_BUSY)) {
		atomic64_inc(&srtt_hv_unmatched);
		return;
	}
	if (old == SRTT_HV_ARMED)
		atomic64_inc(&srtt_hv_unmatched);	/* never injected */
	else
		atomic_inc(&srtt_hv_armed_n);
	a->dev_id = hv.dev_id;
	a->vector = vector;
	a->vf = hv.vf;
	a->entry = hv.entry;
	a->ts = ktime_get_ns();
	atomic_set_release(&a->state, SRTT_HV_ARMED);
}

/*
 * The vCPU enters the guest with an interrupt to inject. A vector armed
 * by a VF interrupt is taken to be that interrupt: vectors are per guest,
 * so another guest's interrupt on the same vector inside the same window
 * would be taken for it (Documentation/sriov_rtt.rst says so).
 */
void srtt_tp_kvm_inj_virq(void *data, unsigned int vector, bool soft,
			  bool reinjected)
{
	struct srtt_hv_armed *a;
	struct srtt_table *t;
	u64 now, armed_ts;
	int old = SRTT_HV_ARMED;
	u16 vf, entry;
	u8 dev_id;

	if (likely(!atomic_read(&srtt_hv_armed_n)) || soft || reinjected)
		return;
	a = &srtt_hv_armed[vector % SRTT_HV_SLOTS];
	if (atomic_read(&a->state) != SRTT_HV_ARMED || a->vector != vector ||
	    !atomic_try_cmpxchg_acquire(&a->state, &old, SRTT_HV_BUSY))
		return;
	dev_id = a->dev_id;
	vf = a->vf;
	entry = a->entry;
	armed_ts = a->ts;
	atomic_set_release(&a->state, SRTT_HV_FREE);
	atomic_dec(&srtt_hv_armed_n);
	now = ktime_get_ns();
	if (now - armed_ts > SRTT_HV_MAX_AGE_NS) {
		atomic64_inc(&srtt_hv_unmatched);
		return;
	}
	t = srtt_table_hot();
	if (t) {
		unsigned int i;

		for (i = 0; i < t->n; i++)
			if (t->devs[i]->id == dev_id)
				srtt_emit_event(t->devs[i], SRTT_EVENT_HV_INJECT,
						now, vf, entry, vector);
	}
}

/* What the attached devices ask for: called under srtt_lock */
void srtt_hv_set(bool pf, bool tap)
{
	lockdep_assert_held(&srtt_lock);
	WRITE_ONCE(srtt_hv_watch, pf);
	WRITE_ONCE(srtt_hv_tap, tap);
}

/* Nothing armed can be injected any more: the hooks are gone. */
void srtt_hv_reset(void)
{
	unsigned int i;

	for (i = 0; i < SRTT_HV_SLOTS; i++)
		atomic_set(&srtt_hv_armed[i].state, SRTT_HV_FREE);
	atomic_set(&srtt_hv_armed_n, 0);
}

void srtt_hv_show(struct seq_file *m)
{
	seq_printf(m, "hypervisor: vfio %s vhost %s armed %d unmatched %lld\n",
		   READ_ONCE(srtt_hv_watch) ? "yes" : "no",
		   READ_ONCE(srtt_hv_tap) ? "yes" : "no",
		   atomic_read(&srtt_hv_armed_n),
		   atomic64_read(&srtt_hv_unmatched));
}
