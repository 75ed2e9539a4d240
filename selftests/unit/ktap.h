/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Minimal KTAP output for the user-space unit tests: one "ok"/"not ok"
 * line per case, "# " diagnostics before a failing case's line, exit
 * status 1 if any case failed.
 */
#ifndef _SRTT_KTAP_H
#define _SRTT_KTAP_H

#include <inttypes.h>
#include <stdio.h>

struct ktap_case {
	const char *name;
	void (*fn)(void);
};

#define KTAP_CASE(f)	{ #f, f }

/* Failed checks in the running case. */
static int ktap_fails;

#define KTAP_DIAG(fmt, ...) \
	printf("# %s:%d: " fmt "\n", __FILE__, __LINE__, ##__VA_ARGS__)

/* Record a failure with a message; evaluates to the condition. */
#define KTAP_EXPECT(cond, fmt, ...) ({					\
	int __ok = !!(cond);						\
	if (!__ok) {							\
		ktap_fails++;						\
		KTAP_DIAG("expected %s: " fmt, #cond, ##__VA_ARGS__);	\
	}								\
	__ok;								\
})

#define KTAP_EXPECT_EQ(got, want) ({					\
	uint64_t __g = (uint64_t)(got), __w = (uint64_t)(want);	\
	KTAP_EXPECT(__g == __w, "%s = %" PRIu64 ", want %" PRIu64,	\
		    #got, __g, __w);					\
})

#define KTAP_EXPECT_LE(got, limit) ({					\
	uint64_t __g = (uint64_t)(got), __l = (uint64_t)(limit);	\
	KTAP_EXPECT(__g <= __l, "%s = %" PRIu64 ", want <= %" PRIu64,	\
		    #got, __g, __l);					\
})

static inline int ktap_run(const struct ktap_case *cases, int n)
{
	int i, failed = 0;

	printf("KTAP version 1\n1..%d\n", n);
	for (i = 0; i < n; i++) {
		ktap_fails = 0;
		cases[i].fn();
		printf("%sok %d %s\n", ktap_fails ? "not " : "", i + 1,
		       cases[i].name);
		fflush(stdout);
		failed += !!ktap_fails;
	}
	printf("# Totals: pass:%d fail:%d skip:0\n", n - failed, failed);
	return failed ? 1 : 0;
}

/* xorshift64* on *@state: deterministic, so a failure reproduces */
static inline uint64_t ktap_xorshift(uint64_t *state)
{
	*state ^= *state >> 12;
	*state ^= *state << 25;
	*state ^= *state >> 27;
	return *state * 0x2545f4914f6cdd1dULL;
}

#define KTAP_RUN(cases) \
	ktap_run(cases, (int)(sizeof(cases) / sizeof((cases)[0])))

#endif /* _SRTT_KTAP_H */
