/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernels sriov_rtt builds against (Debian's 6.1,
 * 6.12 and the newest 7.x line), kept in one place. Force-included into every object; each
 * shim names the upstream change it papers over. No version tests belong
 * in the .c files.
 */
#ifndef _SRTT_COMPAT_H
#define _SRTT_COMPAT_H

#include <linux/version.h>

/*
 * Tracepoint probe arguments, after the leading "void *data".
 * v6.3, "net: add location to trace_consume_skb()".
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
#define SRTT_TP_CONSUME_SKB_ARGS	struct sk_buff *skb, void *location
#else
#define SRTT_TP_CONSUME_SKB_ARGS	struct sk_buff *skb
#endif
/* a probe @fn of consume_skb, declared or defined */
#define SRTT_TP_CONSUME_SKB_PROBE(fn)	void fn(void *data, SRTT_TP_CONSUME_SKB_ARGS)

/*
 * v6.11, "net: add rx_sk to trace_kfree_skb". Later kernels declare
 * rx_sk const (7.3.4 does, 6.12 does not); rather than guess the release
 * between them, the type is read off the kernel's own declaration of the
 * tracepoint (trace/events/skb.h, included where the probe is defined):
 * const when that prototype says so. Any third prototype still fails the
 * build in srtt_tp_typed().
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
#define SRTT_TP_KFREE_SKB_RX_SK						\
	typeof(__builtin_choose_expr(					\
		__builtin_types_compatible_p(typeof(__traceiter_kfree_skb), \
			int (void *, struct sk_buff *, void *,		\
			     enum skb_drop_reason, const struct sock *)), \
		(const struct sock *)NULL, (struct sock *)NULL))
#define SRTT_TP_KFREE_SKB_ARGS		struct sk_buff *skb, void *location, \
					enum skb_drop_reason reason,         \
					SRTT_TP_KFREE_SKB_RX_SK rx_sk
#else
#define SRTT_TP_KFREE_SKB_ARGS		struct sk_buff *skb, void *location, \
					enum skb_drop_reason reason
#endif
/* a probe @fn of kfree_skb, declared or defined */
#define SRTT_TP_KFREE_SKB_PROBE(fn)	void fn(void *data, SRTT_TP_KFREE_SKB_ARGS)

/*
 * The attributes of a dump request. v6.2, "genetlink: add genl_info to
 * dumpit info" (with the split ops rework) moved them into info.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
#define srtt_dumpit_attrs(cb)		(genl_dumpit_info(cb)->info.attrs)
#else
#define srtt_dumpit_attrs(cb)		(genl_dumpit_info(cb)->attrs)
#endif

/*
 * Split operations, a command's do and dump as two entries with a policy
 * each: v6.2, "genetlink: introduce split op representation". The table
 * ynl-gen-c writes (netlink-gen.c) is made of them. 6.1 registers one
 * struct genl_ops per command: there the table is folded into those at
 * registration, and a command with both keeps its do's policy (a dev-get
 * dump on 6.1 accepts, and ignores, ifindex and ifname).
 * srtt_genl_set_split_ops() returns 0 or -ENOMEM; what it took is given
 * back by srtt_genl_free_split_ops() after the family is unregistered.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
#define srtt_genl_set_split_ops(family, sops, n)			\
({									\
	struct genl_family *__f = (family);				\
									\
	__f->split_ops = (sops);					\
	__f->n_split_ops = (n);						\
	0;								\
})
#define srtt_genl_free_split_ops(family)	((void)(family))
#else
#include <linux/types.h>

struct genl_info;
struct netlink_callback;
struct nla_policy;
struct sk_buff;

/* the members of 6.2's struct genl_split_ops that ynl-gen-c fills */
struct genl_split_ops {
	int (*doit)(struct sk_buff *skb, struct genl_info *info);
	int (*dumpit)(struct sk_buff *skb, struct netlink_callback *cb);
	const struct nla_policy *policy;
	unsigned int maxattr;
	u8 cmd;
	u8 internal_flags;
	u8 flags;
	u8 validate;
};

#define srtt_genl_set_split_ops(family, sops, n)			\
({									\
	const struct genl_split_ops *__s = (sops);			\
	struct genl_family *__f = (family);				\
	unsigned int __i, __n = (n), __k = 0;				\
	struct genl_ops *__o;						\
									\
	__o = kcalloc(__n, sizeof(*__o), GFP_KERNEL);			\
	for (__i = 0; __o && __i < __n; __i++) {			\
		if (!__k || __o[__k - 1].cmd != __s[__i].cmd) {		\
			__o[__k].cmd = __s[__i].cmd;			\
			__o[__k].flags = __s[__i].flags &		\
				~(GENL_CMD_CAP_DO | GENL_CMD_CAP_DUMP);	\
			__o[__k].validate = __s[__i].validate;		\
			__o[__k].policy = __s[__i].policy;		\
			__o[__k].maxattr = __s[__i].maxattr;		\
			__k++;						\
		}							\
		if (__s[__i].flags & GENL_CMD_CAP_DO)			\
			__o[__k - 1].doit = __s[__i].doit;		\
		else							\
			__o[__k - 1].dumpit = __s[__i].dumpit;		\
	}								\
	__f->ops = __o;							\
	__f->n_ops = __k;						\
	__o ? 0 : -ENOMEM;						\
})
#define srtt_genl_free_split_ops(family)	kfree((family)->ops)
#endif

/*
 * Range pointers in policies: const from v6.2, "netlink: make range
 * pointers in policies const"; 6.1 declares them writable (it only reads
 * them). ynl-gen-c writes const ranges: netlink-gen.c, the one object
 * built with SRTT_NETLINK_GEN (module/Kbuild), gets a cast. It defines
 * no pr_fmt, so <net/netlink.h> may come first there.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 2, 0) && defined(SRTT_NETLINK_GEN)
#include <net/netlink.h>
#undef NLA_POLICY_FULL_RANGE
#define NLA_POLICY_FULL_RANGE(tp, _range) {				\
	.type = NLA_ENSURE_UINT_OR_BINARY_TYPE(tp),			\
	.validation_type = NLA_VALIDATE_RANGE_PTR,			\
	.range = (struct netlink_range_validation *)(_range),		\
}
#endif

/*
 * hex_to_bin() and the other hex helpers were split out of kernel.h into
 * <linux/hex.h> after 6.1 (6.12 has the header, and kernel.h includes
 * it); the 7.x line's kernel.h no longer includes it (7.3.4: implicit
 * declaration of hex_to_bin). Named wherever the header exists.
 */
#if __has_include("linux/hex.h")
#include <linux/hex.h>
#endif

/*
 * Renaming a debugfs entry in place. v6.14, "saner replacement for
 * debugfs_rename()", added debugfs_change_name() (returns 0 or -errno)
 * and dropped debugfs_rename() (returned the dentry or an ERR_PTR).
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 14, 0)
#define srtt_debugfs_change_name(parent, entry, name)			\
({									\
	(void)(parent);							\
	debugfs_change_name(entry, "%s", name);				\
})
#else
#define srtt_debugfs_change_name(parent, entry, name)			\
({									\
	struct dentry *__dir = (parent);				\
									\
	PTR_ERR_OR_ZERO(debugfs_rename(__dir, entry, __dir, name));	\
})
#endif

/*
 * The sock:sk_data_ready tracepoint (the rx_sock stage): added after
 * 6.1 ("net: add tracepoint for sk_data_ready", v6.5; 6.12 and 7.3.4
 * have it, 6.1 does not). Without it rx_sock is not stamped.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
#define SRTT_HAVE_TP_SK_DATA_READY	1
#endif

/*
 * sock:sock_recv_length (rx_copy of a STAMP socket): "sock: add
 * tracepoint for send recv length", after 6.1 as well (6.12 and 7.3.4
 * have it beside sk_data_ready); taken together with it here.
 */
#ifdef SRTT_HAVE_TP_SK_DATA_READY
#define SRTT_HAVE_TP_SOCK_RECV_LENGTH	1
#endif

#endif /* _SRTT_COMPAT_H */
