/* SPDX-License-Identifier: GPL-2.0 */
/* sriov_rtt: definitions private to the module. */
#ifndef _SRTT_SRIOV_RTT_H
#define _SRTT_SRIOV_RTT_H

#include <linux/sriov_rtt.h>

int srtt_debugfs_init(void);
void srtt_debugfs_fini(void);

#endif /* _SRTT_SRIOV_RTT_H */
