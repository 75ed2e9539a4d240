// SPDX-License-Identifier: GPL-2.0
/*
 * Attach and detach a device as fast as one process can, through the
 * sriov_rtt family or its debugfs control file, for the lifecycle test's
 * race against rmmod: a request in flight while the module goes away is
 * what the init ladder and the module pin must make harmless.
 *
 * Requests go only in the first half of every second of the wall clock,
 * so that every copy of this program pauses at once: in a pause nothing
 * is attached and a pinned module can go. The family and the control file
 * come and go with the module: the family is resolved again after each
 * failure, with a 1 ms pause while neither is there (for insmod to get
 * the CPU).
 *
 *   nl_attach_race netlink|debugfs IFNAME SECONDS
 *
 * Prints "WAY: attaches N detaches N requests N" and exits 0; 1 on bad
 * usage or no netlink socket.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/time.h>

#include <linux/sriov_rtt.h>

#include "nl_raw.h"

#define CONTROL "/sys/kernel/debug/sriov_rtt/control"

static double now(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return tv.tv_sec + tv.tv_usec / 1e6;
}

/* One netlink request: 0, -errno, or -ENOENT with no family (now). */
static int nl_request(uint8_t cmd, const char *ifname)
{
	static uint16_t family;
	struct req r;
	int err;

	if (!family)
		family = nl_family(SRTT_GENL_NAME);
	if (!family)
		return -ENOENT;
	init_req(&r, family, cmd, NLM_F_ACK);
	put_attr(&r, SRTT_A_IFNAME, ifname, strlen(ifname) + 1);
	err = transact(&r, NULL, 0, NULL, NULL);
	if (err)
		family = 0;	/* gone, or another one now: look again */
	return err;
}

/* One line into the control file: 0, -errno, -ENOENT with no module. */
static int dbg_request(const char *verb, const char *ifname)
{
	char line[64];
	int fd, n, err = 0;

	fd = open(CONTROL, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = snprintf(line, sizeof(line), "%s %s\n", verb, ifname);
	if (write(fd, line, n) != n)
		err = -errno;
	close(fd);
	return err;
}

static int request(bool netlink, bool attach, const char *ifname)
{
	if (netlink)
		return nl_request(attach ? SRTT_CMD_DEV_ATTACH :
				  SRTT_CMD_DEV_DETACH, ifname);
	return dbg_request(attach ? "attach" : "detach", ifname);
}

int main(int argc, char **argv)
{
	unsigned long attaches = 0, detaches = 0, requests = 0;
	const char *ifname;
	double stop, phase;
	bool netlink;
	char *end;
	long secs;
	int err;

	if (argc != 4 || (strcmp(argv[1], "netlink") && strcmp(argv[1], "debugfs"))) {
		fprintf(stderr, "usage: nl_attach_race netlink|debugfs IFNAME SECONDS\n");
		return 1;
	}
	netlink = !strcmp(argv[1], "netlink");
	ifname = argv[2];
	secs = strtol(argv[3], &end, 10);
	if (*end || secs < 1 || secs > 3600) {
		fprintf(stderr, "nl_attach_race: SECONDS '%s': want 1 to 3600\n",
			argv[3]);
		return 1;
	}
	if (netlink && nl_open()) {
		perror("nl_attach_race: netlink socket");
		return 1;
	}
	stop = now() + secs;
	while (now() < stop) {
		phase = fmod(now(), 1.0);
		if (phase >= 0.5) {
			usleep((1.0 - phase) * 1e6);
			continue;
		}
		err = request(netlink, true, ifname);
		if (err == -ENOENT) {
			usleep(1000);
			continue;
		}
		requests += 2;
		attaches += !err;
		detaches += !request(netlink, false, ifname);
	}
	printf("%s: attaches %lu detaches %lu requests %lu\n", argv[1],
	       attaches, detaches, requests);
	if (netlink)
		close(nl_fd);
	return 0;
}
