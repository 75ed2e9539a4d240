// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz target: what a netlink socket joined to the records group may
 * read, through libnl's own receive path into the records reader
 * (user/lib/records.c) and the stage table (user/stamp/stages.c). The
 * first two bytes pick the family id and the sequence number of the
 * flush whose answer is awaited; the rest is one read's buffer, handed to
 * libnl at its exact size. Properties: no read outside the buffer (ASan);
 * no more records filed than whole records fit in it; an answer only
 * where an NLMSG_ERROR of that sequence number is.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/netlink.h>
#include <netlink/handlers.h>
#include <netlink/msg.h>

#include "lib/records.h"
#include "stamp/stages.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t *input;
static size_t input_len;
static bool input_read;

static int input_recv(struct nl_sock *sk, struct sockaddr_nl *nla,
		      unsigned char **buf, struct ucred **creds)
{
	(void)sk;
	(void)creds;
	memset(nla, 0, sizeof(*nla));
	if (input_read || !input_len)
		return -NLE_AGAIN;
	input_read = true;
	*buf = malloc(input_len);
	if (!*buf)
		abort();
	memcpy(*buf, input, input_len);
	return (int)input_len;
}

static const struct srtt_recsock_ops ops = {
	.record = srtt_stages_take,
};

/* Is there an NLMSG_ERROR of sequence number @seq in the buffer? */
static bool has_answer(uint32_t seq)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)input;
	int left = (int)input_len;

	for (; nlmsg_ok(nlh, left); nlh = nlmsg_next(nlh, &left))
		if (nlh->nlmsg_type == NLMSG_ERROR && nlh->nlmsg_seq == seq)
			return true;
	return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct srtt_stages_tab t;
	struct srtt_recsock s;
	uint8_t *buf;

	if (size < 2 || size - 2 > INT32_MAX)
		return 0;
	if (!t.size && srtt_stages_tab_init(&t, 64))
		abort();
	t.stored = t.sampled = t.full = 0;
	if (srtt_recsock_init(&s, 0x10 + data[0], &ops, &t))
		abort();
	nl_cb_overwrite_recv(s.cb, input_recv);
	s.flush_seq = data[1];
	/* an exact copy: ASan sees a read one byte past the end */
	buf = malloc(size - 2 ? size - 2 : 1);
	if (!buf)
		abort();
	memcpy(buf, data + 2, size - 2);
	input = buf;
	input_len = size - 2;
	input_read = false;
	srtt_recsock_read(&s);
	if (t.stored + t.sampled + t.full > (size - 2) / sizeof(struct srtt_record))
		abort();
	if (s.acked && (!s.flush_seq || !has_answer(s.flush_seq)))
		abort();
	srtt_recsock_close(&s);
	free(buf);
	return 0;
}

#ifdef SRTT_FUZZ_REPLAY
#include "replay.h"
#endif
