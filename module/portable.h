/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sriov_rtt: the few definitions the pure-logic files (classify.c, hist.c)
 * need, so that one source builds in the kernel and in user space, where it
 * is unit-tested, fuzzed and instruction-counted. Those files use nothing
 * else from either world.
 */
#ifndef _SRTT_PORTABLE_H
#define _SRTT_PORTABLE_H

#ifdef __KERNEL__

#include <linux/types.h>
#include <linux/string.h>
#include <linux/kernel.h>
#include <linux/bitops.h>
#include <linux/math64.h>
#include <linux/errno.h>	/* EINVAL, E2BIG, ERANGE; snprintf is in kernel.h */

#else /* user space */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <errno.h>		/* EINVAL, E2BIG, ERANGE (control.c) */
#include <stdarg.h>
#include <stdio.h>		/* snprintf (control.c, abi.c) */
#include <linux/types.h>

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s32 s32;
typedef __s64 s64;

#ifndef U16_MAX
#define U16_MAX		((u16)~0U)
#endif
#ifndef U32_MAX
#define U32_MAX		((u32)~0U)
#endif
#ifndef U64_MAX
#define U64_MAX		((u64)~0ULL)
#endif

#ifndef BIT
#define BIT(nr)		(1UL << (nr))
#endif

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

#ifndef likely
#define likely(x)	__builtin_expect(!!(x), 1)
#endif
#ifndef unlikely
#define unlikely(x)	__builtin_expect(!!(x), 0)
#endif
/* what the kernel's hot path needs inlined, the user builds may keep */
#ifndef __always_inline
#define __always_inline	inline
#endif
#ifndef noinline
#define noinline	__attribute__((__noinline__))
#endif
#ifndef __printf
#define __printf(a, b)	__attribute__((format(printf, a, b)))
#endif

/* As <linux/bitops.h>: 1-based index of the most significant set bit. */
static inline int fls64(u64 x)
{
	return x ? 64 - __builtin_clzll(x) : 0;
}

/* As the kernel's: the length written (not the length wanted). */
static inline __printf(3, 4)
int scnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!size)
		return 0;
	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	if (n < 0)
		return 0;
	return (size_t)n < size ? n : (int)(size - 1);
}

/* As <linux/math64.h>. */
static inline u64 div64_u64(u64 dividend, u64 divisor)
{
	return dividend / divisor;
}

#endif /* __KERNEL__ */

/*
 * Big-endian loads and stores at any alignment, built from bytes: the same
 * in both worlds (compilers turn them into one load and a byte swap), and
 * independent of where <asm/unaligned.h> lives in a given kernel.
 */
static inline u16 srtt_get_be16(const u8 *p)
{
	return (u16)(p[0] << 8 | p[1]);
}

static inline u32 srtt_get_be32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

static inline u64 srtt_get_be64(const u8 *p)
{
	return (u64)srtt_get_be32(p) << 32 | srtt_get_be32(p + 4);
}

static inline void srtt_put_be16(u8 *p, u16 v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static inline void srtt_put_be32(u8 *p, u32 v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static inline void srtt_put_be64(u8 *p, u64 v)
{
	srtt_put_be32(p, v >> 32);
	srtt_put_be32(p + 4, v);
}

#endif /* _SRTT_PORTABLE_H */
