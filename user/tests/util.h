/* SPDX-License-Identifier: GPL-2.0 */
/* sriov-rtt tests: KTAP from the selftests, and output capture. */
#ifndef _SRTT_TEST_UTIL_H
#define _SRTT_TEST_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../selftests/unit/ktap.h"
#include "lib/json.h"

#define KTAP_EXPECT_STR(got, want) ({					\
	const char *__g = (got), *__w = (want);				\
	KTAP_EXPECT(__g && !strcmp(__g, __w),				\
		    "%s =\n#   \"%s\"\n# want\n#   \"%s\"", #got,	\
		    __g ? __g : "(null)", __w);				\
})

#define KTAP_EXPECT_CONTAINS(hay, needle) ({				\
	const char *__h = (hay), *__n = (needle);			\
	KTAP_EXPECT(__h && strstr(__h, __n),				\
		    "%s = \"%s\" lacks \"%s\"", #hay,			\
		    __h ? __h : "(null)", __n);				\
})

/* A writer into memory; srtt_mem_end() returns the text (free it). */
struct srtt_mem {
	struct srtt_out	out;
	char		*buf;
	size_t		len;
	FILE		*fp;
};

static inline struct srtt_out *srtt_mem_begin(struct srtt_mem *m, bool json,
					      bool pretty)
{
	m->buf = NULL;
	m->len = 0;
	m->fp = open_memstream(&m->buf, &m->len);
	if (!m->fp)
		abort();
	srtt_out_init(&m->out, m->fp, json, pretty);
	return &m->out;
}

static inline char *srtt_mem_end(struct srtt_mem *m)
{
	fclose(m->fp);
	return m->buf;
}

/* All of @f from its start, NUL-terminated (free it); closes @f */
static inline char *srtt_slurp(FILE *f)
{
	char *buf;
	long len;

	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)len + 1);
	if (!buf || fread(buf, 1, (size_t)len, f) != (size_t)len)
		abort();
	fclose(f);
	return buf;
}

/*
 * Runs @fn with file descriptor @fd (1 or 2) sent to a temporary file and
 * returns what it wrote (free it); *@ret gets @fn's return value.
 */
static inline char *srtt_capture_fd(int fd, int (*fn)(void *), void *arg,
				    int *ret)
{
	char path[] = "/tmp/srtt-test-XXXXXX";
	FILE *stream = fd == 1 ? stdout : stderr;
	int tmp, saved;
	FILE *f;

	fflush(stream);
	tmp = mkstemp(path);
	if (tmp < 0)
		abort();
	unlink(path);
	saved = dup(fd);
	dup2(tmp, fd);
	*ret = fn(arg);
	fflush(stream);
	dup2(saved, fd);
	close(saved);

	f = fdopen(tmp, "r");
	if (!f)
		abort();
	return srtt_slurp(f);
}

#endif /* _SRTT_TEST_UTIL_H */
