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

#endif /* _SRTT_COMPAT_H */
