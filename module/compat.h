/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernels sriov_rtt builds against (Debian's 6.1
 * and 6.12), kept in one place. Force-included into every object; each
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

/* v6.11, "net: add rx_sk to trace_kfree_skb". */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
#define SRTT_TP_KFREE_SKB_ARGS		struct sk_buff *skb, void *location, \
					enum skb_drop_reason reason,         \
					struct sock *rx_sk
#else
#define SRTT_TP_KFREE_SKB_ARGS		struct sk_buff *skb, void *location, \
					enum skb_drop_reason reason
#endif

/*
 * The attributes of a dump request. v6.2, "genetlink: add genl_info to
 * dumpit info" (with the split ops rework) moved them into info.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
#define srtt_dumpit_attrs(cb)		(genl_dumpit_info(cb)->info.attrs)
#else
#define srtt_dumpit_attrs(cb)		(genl_dumpit_info(cb)->attrs)
#endif

#endif /* _SRTT_COMPAT_H */
