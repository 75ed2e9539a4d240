// SPDX-License-Identifier: GPL-2.0
/*
 * sriov_rtt: the tracepoint registry. The kernel's tracepoints (found by
 * name: most are not exported) get their probes while some attached
 * device's stage set needs them; KVM's, in the kvm module, when that
 * module comes while anything is attached.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/interrupt.h>
#include <linux/kvm.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include <linux/trace_events.h>
#include <linux/tracepoint.h>
#include <trace/events/irq.h>
#include <trace/events/napi.h>
#include <trace/events/net.h>
#include <trace/events/skb.h>
#include <trace/events/sock.h>
#ifdef __KVM_HAVE_IOAPIC
/* the types trace/events/kvm.h names come with linux/kvm_host.h */
#include <linux/kvm_host.h>
#include <trace/events/kvm.h>
#endif

#include "hooks.h"

/* A field of a trace event, as its format file lists it. */
struct srtt_tp_field {
	const char		*type;
	const char		*name;
};

struct srtt_tp {
	const char		*name;
	void			*probe;
	/* not typed at build time: the event's fields the probe expects */
	const struct srtt_tp_field *fields;
	struct tracepoint	*tp;
	u32			need;	/* the stages that need it */
	bool			registered;
	bool			refused;	/* the event's format differs */
};

#define SRTT_S(stage)		BIT(SRTT_STAGE_##stage)
/* every attached device: its interrupt and NAPI counters, the skb table */
#define SRTT_NEED_ANY		SRTT_STAGES_ALL
/* start_xmit and xmit go together: one pushes what the other pops */
#define SRTT_NEED_XMIT		(SRTT_S(TX_DRV) | SRTT_S(TX_DRV_DONE) |	\
				 SRTT_S(TX_DONE) | SRTT_S(TX_HW))
/* the RX stages: sampling decides at rx_drv for all of them */
#define SRTT_NEED_RX		(SRTT_STAGES_ALL &			\
				 ~GENMASK(SRTT_STAGE_TX_HW, 0))
/* rx_stack files a STAMP probe for rx_sock, which queues it for rx_copy */
#define SRTT_NEED_STACK		(SRTT_S(RX_STACK) | SRTT_S(RX_SOCK) |	\
				 SRTT_S(RX_COPY))

/*
 * @probe, once the kernel's own register_trace_@tp() has taken a pointer
 * of its type: sizeof() does not evaluate the call, so nothing refers to the tracepoint's
 * symbol (most are not exported), but the compiler checks the probe's
 * type against the tracepoint's declaration: a kernel that changed the
 * prototype fails the build with "passing argument 1 of
 * 'register_trace_<tp>' from incompatible pointer type" (an error:
 * -Werror=incompatible-pointer-types, module/Kbuild) instead of calling
 * the probe with arguments it misreads.
 */
#define srtt_tp_typed(tp, probe)					\
	__builtin_choose_expr(						\
		sizeof(register_trace_##tp((typeof(probe) *)NULL, NULL)), \
		probe, NULL)
#define SRTT_TP(tp, fn, stages)						\
	{ .name = #tp, .probe = srtt_tp_typed(tp, fn), .need = (stages) }

static struct srtt_tp srtt_tps[] = {
	SRTT_TP(net_dev_queue,		   srtt_tp_net_dev_queue,
		SRTT_S(TX_QUEUE)),
	SRTT_TP(net_dev_start_xmit,	   srtt_tp_start_xmit, SRTT_NEED_XMIT),
	SRTT_TP(net_dev_xmit,		   srtt_tp_xmit, SRTT_NEED_XMIT),
	SRTT_TP(consume_skb,		   srtt_tp_consume_skb, SRTT_NEED_ANY),
	SRTT_TP(kfree_skb,		   srtt_tp_kfree_skb, SRTT_NEED_ANY),
	SRTT_TP(irq_handler_entry,	   srtt_tp_irq_entry, SRTT_NEED_ANY),
	SRTT_TP(irq_handler_exit,	   srtt_tp_irq_exit, SRTT_NEED_ANY),
	SRTT_TP(softirq_entry,		   srtt_tp_softirq_entry,
		SRTT_S(RX_IRQ) | SRTT_S(RX_SOFTIRQ)),
	SRTT_TP(napi_poll,		   srtt_tp_napi_poll, SRTT_NEED_ANY),
	SRTT_TP(napi_gro_receive_entry,	   srtt_tp_rx_entry, SRTT_NEED_RX),
	SRTT_TP(napi_gro_frags_entry,	   srtt_tp_rx_entry, SRTT_NEED_RX),
	SRTT_TP(netif_receive_skb_entry,   srtt_tp_rx_entry, SRTT_NEED_RX),
	SRTT_TP(netif_receive_skb_list_entry, srtt_tp_rx_entry,
		SRTT_NEED_RX),
	SRTT_TP(netif_rx_entry,		   srtt_tp_rx_entry, SRTT_NEED_RX),
	/* opens rx_stack's window where no hand-over tracepoint fires */
	SRTT_TP(netif_rx,		   srtt_tp_netif_rx, SRTT_NEED_STACK),
	SRTT_TP(netif_receive_skb,	   srtt_tp_netif_receive_skb,
		SRTT_NEED_STACK),
#ifdef SRTT_HAVE_TP_SK_DATA_READY
	SRTT_TP(sk_data_ready,		   srtt_tp_sk_data_ready,
		SRTT_S(RX_SOCK) | SRTT_S(RX_COPY)),
#endif
#ifdef SRTT_HAVE_TP_SOCK_RECV_LENGTH
	SRTT_TP(sock_recv_length,	   srtt_tp_sock_recv, SRTT_S(RX_COPY)),
#endif
};

/*
 * kvm_inj_virq is declared in arch/x86/kvm/trace.h, which kernel headers
 * do not ship: its probe is checked when kvm comes, against the fields
 * of the kernel's own event (its format file), in order.
 */
static const struct srtt_tp_field srtt_kvm_inj_virq_fields[] = {
	{ "unsigned int",	"vector" },
	{ "bool",		"soft" },
	{ "bool",		"reinjected" },
	{ }
};

/*
 * kvm_msi_set_irq is declared in trace/events/kvm.h beside the IOAPIC
 * events and their kvm_deliver_mode table where the kernel has them there
 * (6.1, 6.12); later kernels moved them into arch/x86/kvm (7.3.4 has
 * neither in that header), and then the event's format is checked.
 */
#ifdef kvm_deliver_mode
#define SRTT_TP_KVM_MSI_SET_IRQ	SRTT_TP(kvm_msi_set_irq, srtt_tp_kvm_msi_set_irq, 0)
#else
static const struct srtt_tp_field srtt_kvm_msi_set_irq_fields[] = {
	{ "__u64",		"address" },
	{ "__u64",		"data" },
	{ }
};

#define SRTT_TP_KVM_MSI_SET_IRQ						\
	{ "kvm_msi_set_irq", srtt_tp_kvm_msi_set_irq, srtt_kvm_msi_set_irq_fields }
#endif

/*
 * KVM's tracepoints live in the kvm module: found and attached when it
 * comes, detached when it goes, by the tracepoint module notifier. Only
 * that notifier's calls (serialized by the tracepoint core) write them.
 */
static struct srtt_tp srtt_kvm_tps[] = {
	SRTT_TP_KVM_MSI_SET_IRQ,
	{ "kvm_inj_virq", srtt_tp_kvm_inj_virq, srtt_kvm_inj_virq_fields },
};

/*
 * Do the fields of @mod's trace event @name read as @want, type and name
 * in order? Without the event (tracing compiled out) nothing can be
 * checked, and the answer is no.
 */
static bool srtt_tp_format_ok(struct module *mod, const char *name,
			      const struct srtt_tp_field *want)
{
#ifdef CONFIG_EVENT_TRACING
	const struct trace_event_fields *f;
	struct trace_event_call *call;
	unsigned int i, n;

	for (i = 0; i < mod->num_trace_events; i++) {
		call = mod->trace_events[i];
		if (strcmp(trace_event_name(call), name))
			continue;
		f = call->class->fields_array;
		for (n = 0; f && f[n].type && want[n].type; n++)
			if (strcmp(f[n].type, want[n].type) ||
			    strcmp(f[n].name, want[n].name))
				break;
		if (f && !f[n].type && !want[n].type)
			return true;
		pr_warn("tracepoint %s: field %u of the kernel's event is '%s %s', this module expects '%s %s'\n",
			name, n, f && f[n].type ? f[n].type : "(none)",
			f && f[n].type ? f[n].name : "",
			want[n].type ?: "(none)", want[n].name ?: "");
		return false;
	}
#endif
	pr_warn("tracepoint %s: no event format to check the probe against\n",
		name);
	return false;
}

static void srtt_kvm_tps_unregister(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(srtt_kvm_tps); i++) {
		if (srtt_kvm_tps[i].registered)
			tracepoint_probe_unregister(srtt_kvm_tps[i].tp,
						    srtt_kvm_tps[i].probe, NULL);
		WRITE_ONCE(srtt_kvm_tps[i].registered, false);
		WRITE_ONCE(srtt_kvm_tps[i].refused, false);
		WRITE_ONCE(srtt_kvm_tps[i].tp, NULL);
	}
}

static void srtt_kvm_tps_register(struct module *mod)
{
	struct tracepoint *tp;
	unsigned int i, j;
	int err;

	for (i = 0; i < mod->num_tracepoints; i++) {
		tp = tracepoint_ptr_deref(&mod->tracepoints_ptrs[i]);
		for (j = 0; j < ARRAY_SIZE(srtt_kvm_tps); j++)
			if (!strcmp(tp->name, srtt_kvm_tps[j].name))
				WRITE_ONCE(srtt_kvm_tps[j].tp, tp);
	}
	for (j = 0; j < ARRAY_SIZE(srtt_kvm_tps); j++) {
		if (!srtt_kvm_tps[j].tp)
			continue;
		if (srtt_kvm_tps[j].fields &&
		    !srtt_tp_format_ok(mod, srtt_kvm_tps[j].name,
				       srtt_kvm_tps[j].fields)) {
			pr_warn("not attaching to tracepoint %s: the hypervisor events it stamps stay off\n",
				srtt_kvm_tps[j].name);
			WRITE_ONCE(srtt_kvm_tps[j].refused, true);
			continue;
		}
		err = tracepoint_probe_register(srtt_kvm_tps[j].tp,
						srtt_kvm_tps[j].probe, NULL);
		if (err) {
			pr_warn("cannot attach to tracepoint %s: %d\n",
				srtt_kvm_tps[j].name, err);
			continue;
		}
		WRITE_ONCE(srtt_kvm_tps[j].registered, true);
	}
}

static int srtt_tp_module_notify(struct notifier_block *nb,
				 unsigned long val, void *data)
{
	struct tp_module *tp_mod = data;

	if (strcmp(tp_mod->mod->name, "kvm"))
		return NOTIFY_OK;
	if (val == MODULE_STATE_COMING)
		srtt_kvm_tps_register(tp_mod->mod);
	else if (val == MODULE_STATE_GOING)
		srtt_kvm_tps_unregister();
	return NOTIFY_OK;
}

static struct notifier_block srtt_tp_module_nb = {
	.notifier_call = srtt_tp_module_notify,
};

static unsigned int srtt_hooks_users;	/* protected by srtt_lock */

static void srtt_tp_find(struct tracepoint *tp, void *priv)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(srtt_tps); i++)
		if (!strcmp(tp->name, srtt_tps[i].name))
			srtt_tps[i].tp = tp;
}

int srtt_hooks_init(void)
{
	srtt_sock_init();
	for_each_kernel_tracepoint(srtt_tp_find, NULL);
	return 0;
}

/*
 * After @gone's probes were unregistered and none runs any more, forget
 * what they kept per CPU for a later call of their partner: a pushed
 * xmit that no net_dev_xmit pops, a softirq entry that is not the last.
 */
static void srtt_tps_forget(const unsigned long *gone)
{
	struct srtt_pcpu *pc;
	unsigned int i, cpu;
	bool xmit = false, sirq = false;

	for_each_set_bit(i, gone, ARRAY_SIZE(srtt_tps)) {
		xmit |= srtt_tps[i].probe == (void *)srtt_tp_xmit;
		sirq |= srtt_tps[i].probe == (void *)srtt_tp_softirq_entry;
	}
	for_each_possible_cpu(cpu) {
		pc = per_cpu_ptr(&srtt_pcpu, cpu);
		if (xmit)
			pc->depth = 0;
		if (sirq)
			pc->softirq_ts = 0;
	}
}

/* Unregister the probes in @gone and wait until none of them runs. */
static void srtt_tps_unregister(const unsigned long *gone)
{
	unsigned int i;

	if (bitmap_empty(gone, ARRAY_SIZE(srtt_tps)))
		return;
	for_each_set_bit(i, gone, ARRAY_SIZE(srtt_tps)) {
		tracepoint_probe_unregister(srtt_tps[i].tp, srtt_tps[i].probe,
					    NULL);
		srtt_tps[i].registered = false;
	}
	tracepoint_synchronize_unregister();
	srtt_tps_forget(gone);
}

/*
 * Register the probes that the attached devices' stage sets, and @extra
 * (a device on its way in), need, and unregister those no set needs any
 * more: a hook is in only while some device wants one of its stages.
 * On an error the probes are as they were before.
 */
int srtt_tps_update(u32 extra)
{
	DECLARE_BITMAP(added, ARRAY_SIZE(srtt_tps)) = { };
	DECLARE_BITMAP(gone, ARRAY_SIZE(srtt_tps)) = { };
	u32 want = extra;
	unsigned int i;
	int err;

	lockdep_assert_held(&srtt_lock);
	for (i = 0; i < SRTT_MAX_DEVS; i++)
		if (srtt_devs[i])
			want |= srtt_devs[i]->stages;
	for (i = 0; i < ARRAY_SIZE(srtt_tps); i++) {
		if (!srtt_tps[i].tp || srtt_tps[i].registered ||
		    !(srtt_tps[i].need & want))
			continue;
		err = tracepoint_probe_register(srtt_tps[i].tp,
						srtt_tps[i].probe, NULL);
		if (err) {
			pr_err("cannot attach to tracepoint %s: %d\n",
			       srtt_tps[i].name, err);
			srtt_tps_unregister(added);
			return err;
		}
		srtt_tps[i].registered = true;
		__set_bit(i, added);
	}
	for (i = 0; i < ARRAY_SIZE(srtt_tps); i++)
		if (srtt_tps[i].registered && !(srtt_tps[i].need & want))
			__set_bit(i, gone);
	srtt_tps_unregister(gone);
	return 0;
}

/*
 * The first attach pins the module and follows KVM's tracepoints: the
 * probes are its code, so it cannot be unloaded while any is in (rmmod
 * says it is in use; "detach-all" takes everything out).
 * srtt_tps_update() registers the stages' probes.
 */
int srtt_hooks_get(void)
{
	int err;

	lockdep_assert_held(&srtt_lock);
	if (srtt_hooks_users) {
		srtt_hooks_users++;
		return 0;
	}
	if (!try_module_get(THIS_MODULE))
		return -ENODEV;		/* on its way out */
	/* attaches to kvm's tracepoints now if it is loaded */
	err = register_tracepoint_module_notifier(&srtt_tp_module_nb);
	if (err) {
		pr_err("cannot follow module tracepoints: %d\n", err);
		module_put(THIS_MODULE);
		return err;
	}
	srtt_hooks_users = 1;
	return 0;
}

void srtt_hooks_put(void)
{
	lockdep_assert_held(&srtt_lock);
	if (--srtt_hooks_users)
		return;
	/*
	 * detaches from kvm's tracepoints, synchronized below; the last
	 * device's srtt_tps_update() took the stages' probes out
	 */
	unregister_tracepoint_module_notifier(&srtt_tp_module_nb);
	tracepoint_synchronize_unregister();
	srtt_skbt_reset();
	srtt_hv_reset();
	/* no probe runs any more (waited for above) */
	module_put(THIS_MODULE);
}

void srtt_hooks_fini(void)
{
	WARN_ON_ONCE(srtt_hooks_users);
}

void srtt_hooks_show(struct seq_file *m)
{
	unsigned int i;

	lockdep_assert_held(&srtt_lock);
	for (i = 0; i < ARRAY_SIZE(srtt_tps); i++)
		seq_printf(m, "tracepoint: %s %s\n", srtt_tps[i].name,
			   !srtt_tps[i].tp ? "missing" :
			   srtt_tps[i].registered ? "attached" : "idle");
	srtt_skbt_show(m);
	srtt_tx_show(m);
	srtt_rx_show(m);
	for (i = 0; i < ARRAY_SIZE(srtt_kvm_tps); i++)
		seq_printf(m, "tracepoint: %s %s\n", srtt_kvm_tps[i].name,
			   READ_ONCE(srtt_kvm_tps[i].registered) ? "attached" :
			   READ_ONCE(srtt_kvm_tps[i].refused) ?
			   "refused (the kernel's event format differs: see dmesg)" :
			   "idle (needs the kvm module and a device attached)");
	srtt_hv_show(m);
}
