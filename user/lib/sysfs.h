/* SPDX-License-Identifier: GPL-2.0 */
/* sriov-rtt: reading the few sysfs files that describe SR-IOV devices. */
#ifndef _SRTT_SYSFS_H
#define _SRTT_SYSFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* First line of a sysfs file, newline removed; 0 or negative errno. */
int srtt_sysfs_read(const char *path, char *buf, size_t len);
/* A decimal sysfs file; 0 or negative errno. */
int srtt_sysfs_u32(const char *path, uint32_t *v);
/* Last component of a symlink's target ("0000:01:10.0", "igbvf"). */
int srtt_sysfs_link_name(const char *path, char *buf, size_t len);
bool srtt_sysfs_exists(const char *path);

#endif /* _SRTT_SYSFS_H */
