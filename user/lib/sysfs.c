// SPDX-License-Identifier: GPL-2.0
/* sriov-rtt: small sysfs readers. */

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "args.h"
#include "sysfs.h"

int srtt_sysfs_read(const char *path, char *buf, size_t len)
{
	FILE *f;
	int err = 0;

	if (!len)
		return -EINVAL;
	buf[0] = '\0';
	f = fopen(path, "re");
	if (!f)
		return -errno;
	if (!fgets(buf, (int)len, f))
		err = ferror(f) ? -EIO : -ENODATA;
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return err;
}

int srtt_sysfs_u32(const char *path, uint32_t *v)
{
	char buf[32];
	uint64_t n;
	int err;

	err = srtt_sysfs_read(path, buf, sizeof(buf));
	if (err)
		return err;
	if (srtt_parse_u64(buf, &n) || n > UINT32_MAX)
		return -EINVAL;
	*v = (uint32_t)n;
	return 0;
}

int srtt_sysfs_link_name(const char *path, char *buf, size_t len)
{
	char target[PATH_MAX];
	const char *base;
	ssize_t n;

	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return -errno;
	target[n] = '\0';
	base = strrchr(target, '/');
	base = base ? base + 1 : target;
	if (strlen(base) >= len)
		return -ENAMETOOLONG;
	strcpy(buf, base);
	return 0;
}

bool srtt_sysfs_exists(const char *path)
{
	return !access(path, F_OK);
}
