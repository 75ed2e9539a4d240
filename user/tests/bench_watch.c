// SPDX-License-Identifier: GPL-2.0
/*
 * bench_watch: `sriov-rtt watch`'s per-record path on this machine, no
 * module needed. A stream of records messages as the module multicasts
 * them (SRTT_CMD_RECORDS, SRTT_REC_BATCH records each, four stages a
 * probe) goes through libnl's own receive path (nl_recvmsgs()
 * with the socket's recv replaced, as fuzz_records does) into the records
 * reader, and each record into the line watch writes, batched as watch
 * batches it (srtt_lines_add(), one srtt_lines_flush() a read). Output
 * to stdout.
 *
 *   bench_watch [-j] RECORDS
 *
 * Prints on stderr: "records N seconds S records/s R". Run
 * under callgrind (scripts/bench-watch) for instructions per record.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <linux/genetlink.h>
#include <netlink/netlink.h>
#include <netlink/handlers.h>
#include <netlink/msg.h>

#include "lib/records.h"
#include "lib/show.h"
#include <linux/sriov_rtt_nl.h>

#define BATCH	384		/* the module's SRTT_REC_BATCH */

static unsigned char *stream;	/* one read's bytes: one message */
static size_t stream_len;
static uint64_t left, made;	/* messages to hand out; records made */
static bool given;		/* one message a poll, as watch's reads */

static struct {
	struct srtt_lines lines;	/* watch's own batch */
	uint64_t	records;
	bool		json;
} out;

/* The next message: BATCH records of fresh stamps, as one recvmsg(). */
static int bench_recv(struct nl_sock *sk, struct sockaddr_nl *nla,
		      unsigned char **buf, struct ucred **creds)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)stream;
	struct srtt_record *r = (struct srtt_record *)
		((char *)nlmsg_data(nlh) + GENL_HDRLEN + NLA_HDRLEN);
	unsigned int i;

	(void)sk;
	(void)creds;
	memset(nla, 0, sizeof(*nla));
	given = !given;
	if (!left || !given)
		return -NLE_AGAIN;
	left--;
	for (i = 0; i < BATCH; i++, made++) {
		r[i].ts = 86400000000000ULL + made * 2500;	/* a day up */
		r[i].stage = (uint8_t)(made % 4 * 3);
		r[i].key.seq = (uint32_t)(made / 4);
	}
	*buf = malloc(stream_len);
	if (!*buf)
		return -NLE_NOMEM;
	memcpy(*buf, stream, stream_len);
	return (int)stream_len;
}

static int bench_record(void *arg, const struct srtt_record *rec)
{
	(void)arg;
	srtt_lines_add(&out.lines, rec, out.json, stdout);
	out.records++;
	return 0;
}

static const struct srtt_recsock_ops ops = {
	.record = bench_record,
	.strict = true,
};

/* One message as srtt_rec_drain() builds it, BATCH zeroed records. */
static int make_stream(int family)
{
	size_t payload = GENL_HDRLEN + NLA_HDRLEN + BATCH * sizeof(struct srtt_record);
	struct genlmsghdr *g;
	struct nlmsghdr *nlh;
	struct nlattr *a;

	stream_len = NLMSG_SPACE(payload);
	stream = calloc(1, stream_len);
	if (!stream)
		return -ENOMEM;
	nlh = (struct nlmsghdr *)stream;
	nlh->nlmsg_len = (uint32_t)NLMSG_LENGTH(payload);
	nlh->nlmsg_type = (uint16_t)family;
	g = nlmsg_data(nlh);
	g->cmd = SRTT_CMD_RECORDS;
	g->version = SRTT_GENL_VERSION;
	a = (struct nlattr *)((char *)g + GENL_HDRLEN);
	a->nla_type = SRTT_A_RECORDS;
	a->nla_len = (uint16_t)(NLA_HDRLEN + BATCH * sizeof(struct srtt_record));
	return 0;
}

int main(int argc, char **argv)
{
	struct srtt_recsock s;
	struct timespec t0, t1;
	uint64_t want;
	double secs;
	int i = 1, err;

	if (argc > 1 && !strcmp(argv[1], "-j")) {
		out.json = true;
		i++;
	}
	if (i != argc - 1 || !(want = strtoull(argv[i], NULL, 10))) {
		fprintf(stderr, "usage: bench_watch [-j] RECORDS\n");
		return 2;
	}
	left = (want + BATCH - 1) / BATCH;
	if (srtt_lines_init(&out.lines) || make_stream(0x20) ||
	    srtt_recsock_init(&s, 0x20, &ops, NULL)) {
		fprintf(stderr, "bench_watch: out of memory\n");
		return 1;
	}
	nl_cb_overwrite_recv(s.cb, bench_recv);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (left) {
		err = srtt_recsock_read(&s);
		srtt_lines_flush(&out.lines, stdout);
		if (err) {
			fprintf(stderr, "bench_watch: %s\n", s.why);
			return 1;
		}
	}
	fflush(stdout);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	fprintf(stderr, "records %llu seconds %.3f records/s %.0f\n",
		(unsigned long long)out.records, secs, secs > 0 ? (double)out.records / secs : 0);
	srtt_recsock_close(&s);
	free(stream);
	srtt_lines_free(&out.lines);
	return 0;
}
