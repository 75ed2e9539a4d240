// SPDX-License-Identifier: GPL-2.0
/* Unit tests for module/hist.c: bucket math, adds, merges, percentiles. */

#include <stdlib.h>

#include "hist.h"
#include "ktap.h"

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rng(void)
{
	return ktap_xorshift(&rng_state);
}

/* Log-uniform up to 60 s, so every octave gets values. */
static uint64_t rng_ns(void)
{
	uint64_t v = rng() >> (rng() % 64);

	return v % (SRTT_HIST_MAX_NS + 1);
}

static struct srtt_hist *hist_new(void)
{
	return calloc(1, sizeof(struct srtt_hist));
}

/* The bucket of v exists and contains v; reports at most 5 misses. */
static int check_contains(uint64_t v, int *reported)
{
	uint32_t idx = srtt_hist_bucket(v);
	uint64_t lo, hi;

	if (idx >= SRTT_HIST_BUCKETS) {
		if ((*reported)++ < 5)
			KTAP_DIAG("value %" PRIu64 ": index %u >= %u", v, idx,
				  SRTT_HIST_BUCKETS);
		return 0;
	}
	lo = srtt_hist_bucket_lo(idx);
	hi = srtt_hist_bucket_hi(idx);
	if (v < lo || v >= hi) {
		if ((*reported)++ < 5)
			KTAP_DIAG("value %" PRIu64 ": bucket %u is [%" PRIu64
				  ", %" PRIu64 ")", v, idx, lo, hi);
		return 0;
	}
	return 1;
}

static void small_values_exact(void)
{
	uint64_t v;

	for (v = 0; v < 32; v++) {
		KTAP_EXPECT_EQ(srtt_hist_bucket(v), v);
		KTAP_EXPECT_EQ(srtt_hist_bucket_lo(v), v);
		KTAP_EXPECT_EQ(srtt_hist_bucket_hi(v), v + 1);
	}
}

static void every_value_to_100000(void)
{
	int bad = 0, reported = 0;
	uint64_t v;

	for (v = 0; v <= 100000; v++)
		bad += !check_contains(v, &reported);
	KTAP_EXPECT_EQ(bad, 0);
}

static void random_values_to_60s(void)
{
	int bad = 0, reported = 0, i, e;
	uint64_t v;

	for (i = 0; i < 1000000; i++)
		bad += !check_contains(rng_ns(), &reported);
	/* Both sides of every power of two up to 2^35, and the end. */
	for (e = 1; e <= 35; e++) {
		v = 1ULL << e;
		bad += !check_contains(v - 1, &reported);
		bad += !check_contains(v, &reported);
		bad += !check_contains(v + 1, &reported);
	}
	bad += !check_contains(SRTT_HIST_MAX_NS - 1, &reported);
	bad += !check_contains(SRTT_HIST_MAX_NS, &reported);
	KTAP_EXPECT_EQ(bad, 0);
}

static void relative_width(void)
{
	uint64_t lo, hi, worst_lo = 0, worst_w = 0;
	uint32_t idx;

	for (idx = 0; idx < SRTT_HIST_BUCKETS; idx++) {
		lo = srtt_hist_bucket_lo(idx);
		hi = srtt_hist_bucket_hi(idx);
		KTAP_EXPECT(hi > lo, "bucket %u [%" PRIu64 ", %" PRIu64 ")",
			    idx, lo, hi);
		if (lo < 16)
			continue;
		/* (hi - lo) / lo <= 1/16, kept in integers */
		KTAP_EXPECT((hi - lo) * 16 <= lo,
			    "bucket %u [%" PRIu64 ", %" PRIu64 ") too wide",
			    idx, lo, hi);
		if ((unsigned __int128)(hi - lo) * worst_lo >=
		    (unsigned __int128)worst_w * lo) {
			worst_lo = lo;
			worst_w = hi - lo;
		}
	}
	/* The worst case is exactly 1/16, at the start of an octave. */
	KTAP_EXPECT_EQ(worst_w * 16, worst_lo);
}

static void buckets_contiguous_monotonic(void)
{
	uint64_t v, prev_idx = 0, idx;
	uint32_t i;
	int e;

	KTAP_EXPECT_EQ(srtt_hist_bucket_lo(0), 0);
	for (i = 0; i + 1 < SRTT_HIST_BUCKETS; i++)
		if (!KTAP_EXPECT_EQ(srtt_hist_bucket_hi(i),
				    srtt_hist_bucket_lo(i + 1)))
			break;

	/* Index never decreases along increasing values. */
	for (e = 0; e < 36; e++) {
		for (v = 1ULL << e; v < (2ULL << e) &&
		     v <= SRTT_HIST_MAX_NS; v += (1ULL << e) / 64 + 1) {
			idx = srtt_hist_bucket(v);
			if (!KTAP_EXPECT(idx >= prev_idx, "v %" PRIu64
					 " index %" PRIu64 " < %" PRIu64,
					 v, idx, prev_idx))
				return;
			prev_idx = idx;
		}
	}
	KTAP_EXPECT_EQ(prev_idx, SRTT_HIST_BUCKETS - 1);
}

static void last_bucket_holds_60s(void)
{
	uint32_t last = SRTT_HIST_BUCKETS - 1;

	KTAP_EXPECT_EQ(srtt_hist_bucket(SRTT_HIST_MAX_NS), last);
	KTAP_EXPECT_EQ(srtt_hist_bucket_lo(last), 57982058496ULL);
	KTAP_EXPECT_EQ(srtt_hist_bucket_hi(last), 60129542144ULL);
	/* The bucket below starts below 60 s minus one width: no gap. */
	KTAP_EXPECT_EQ(srtt_hist_bucket(srtt_hist_bucket_lo(last) - 1),
		       last - 1);
}

static void add_zero_and_one(void)
{
	struct srtt_hist *h = hist_new();

	srtt_hist_add(h, 0);
	srtt_hist_add(h, 1);
	KTAP_EXPECT_EQ(h->bucket[0], 1);
	KTAP_EXPECT_EQ(h->bucket[1], 1);
	KTAP_EXPECT_EQ(h->count, 2);
	KTAP_EXPECT_EQ(h->over, 0);
	KTAP_EXPECT_EQ(h->min, 0);
	KTAP_EXPECT_EQ(h->max, 1);
	KTAP_EXPECT_EQ(h->sum, 1);
	free(h);
}

static void add_60s_in_range(void)
{
	struct srtt_hist *h = hist_new();

	srtt_hist_add(h, SRTT_HIST_MAX_NS);
	KTAP_EXPECT_EQ(h->bucket[SRTT_HIST_BUCKETS - 1], 1);
	KTAP_EXPECT_EQ(h->count, 1);
	KTAP_EXPECT_EQ(h->over, 0);
	KTAP_EXPECT_EQ(h->min, SRTT_HIST_MAX_NS);
	KTAP_EXPECT_EQ(h->max, SRTT_HIST_MAX_NS);
	KTAP_EXPECT_EQ(srtt_hist_percentile(h, 990000), SRTT_HIST_MAX_NS);
	free(h);
}

static void add_over_range(void)
{
	struct srtt_hist *h = hist_new();
	uint64_t in_buckets = 0;
	uint32_t i;

	srtt_hist_add(h, 5000);
	srtt_hist_add(h, SRTT_HIST_MAX_NS + 1);
	srtt_hist_add(h, U64_MAX);
	for (i = 0; i < SRTT_HIST_BUCKETS; i++)
		in_buckets += h->bucket[i];
	KTAP_EXPECT_EQ(h->over, 2);
	KTAP_EXPECT_EQ(h->count, 1);
	KTAP_EXPECT_EQ(in_buckets, 1);
	KTAP_EXPECT_EQ(h->max, 5000);
	KTAP_EXPECT_EQ(h->sum, 5000);
	KTAP_EXPECT_EQ(srtt_hist_total(h), 3);
	free(h);
}

static void min_max_sum(void)
{
	struct srtt_hist *h = hist_new();

	srtt_hist_add(h, 700);
	srtt_hist_add(h, 300);
	srtt_hist_add(h, 90000);
	srtt_hist_add(h, 301);
	KTAP_EXPECT_EQ(h->min, 300);
	KTAP_EXPECT_EQ(h->max, 90000);
	KTAP_EXPECT_EQ(h->sum, 700 + 300 + 90000 + 301);
	KTAP_EXPECT_EQ(h->count, 4);
	free(h);
}

/* |got - want| <= want / 16 */
#define EXPECT_NEAR_6_25(got, want) ({					\
	uint64_t __g = (got), __w = (want);				\
	uint64_t __d = __g > __w ? __g - __w : __w - __g;		\
	KTAP_EXPECT(__d * 16 <= __w, "%s = %" PRIu64 ", want %" PRIu64	\
		    " +- 6.25%%", #got, __g, __w);			\
})

static void percentile_uniform_1_to_1000(void)
{
	struct srtt_hist *h = hist_new();
	uint64_t v;

	for (v = 1; v <= 1000; v++)
		srtt_hist_add(h, v);
	EXPECT_NEAR_6_25(srtt_hist_percentile(h, 500000), 500);
	EXPECT_NEAR_6_25(srtt_hist_percentile(h, 900000), 900);
	EXPECT_NEAR_6_25(srtt_hist_percentile(h, 990000), 990);
	EXPECT_NEAR_6_25(srtt_hist_percentile(h, 999000), 999);
	/* Exact figures of this definition (see hist.c). */
	KTAP_EXPECT_EQ(srtt_hist_percentile(h, 500000), 500);
	KTAP_EXPECT_EQ(srtt_hist_percentile(h, 990000), 990);
	KTAP_EXPECT_EQ(srtt_hist_percentile(h, 10000), 10);
	KTAP_EXPECT_EQ(srtt_hist_percentile(h, 0), 1);
	KTAP_EXPECT_EQ(srtt_hist_percentile(h, 1000000), 1000);
	KTAP_EXPECT_EQ(srtt_hist_percentile(h, 2000000), 1000);
	free(h);
}

static void percentile_monotonic(void)
{
	struct srtt_hist *h = hist_new();
	uint64_t prev = 0, p;
	uint32_t pm;
	int i;

	for (i = 0; i < 100000; i++)
		srtt_hist_add(h, rng_ns());
	for (pm = 0; pm <= 1000000; pm += 997) {
		p = srtt_hist_percentile(h, pm);
		if (!KTAP_EXPECT(p >= prev, "p%u = %" PRIu64 " < %" PRIu64,
				 pm, p, prev))
			break;
		prev = p;
	}
	free(h);
}

static void percentile_single_value(void)
{
	struct srtt_hist *h = hist_new();

	srtt_hist_add(h, 12345);
	KTAP_EXPECT_EQ(srtt_hist_percentile(h, 0), 12345);
	KTAP_EXPECT_EQ(srtt_hist_percentile(h, 500000), 12345);
	KTAP_EXPECT_EQ(srtt_hist_percentile(h, 1000000), 12345);
	free(h);
}

static void percentile_empty(void)
{
	struct srtt_hist *h = hist_new();

	KTAP_EXPECT_EQ(srtt_hist_percentile(h, 0), 0);
	KTAP_EXPECT_EQ(srtt_hist_percentile(h, 500000), 0);
	KTAP_EXPECT_EQ(srtt_hist_percentile(h, 1000000), 0);
	free(h);
}

static void percentile_interpolates_in_bucket(void)
{
	struct srtt_hist *h = hist_new();
	uint32_t idx = srtt_hist_bucket(1024);
	int i;

	/* Bucket [1024, 1088): four samples, seen as at 1032/1048/1064/1080. */
	KTAP_EXPECT_EQ(srtt_hist_bucket_lo(idx), 1024);
	KTAP_EXPECT_EQ(srtt_hist_bucket_hi(idx), 1088);
	srtt_hist_add(h, 1024);
	srtt_hist_add(h, 1030);
	srtt_hist_add(h, 1070);
	srtt_hist_add(h, 1087);
	KTAP_EXPECT_EQ(h->bucket[idx], 4);
	KTAP_EXPECT_EQ(srtt_hist_percentile(h, 250000), 1024);	/* min */
	KTAP_EXPECT_EQ(srtt_hist_percentile(h, 500000), 1048);
	KTAP_EXPECT_EQ(srtt_hist_percentile(h, 750000), 1064);
	KTAP_EXPECT_EQ(srtt_hist_percentile(h, 1000000), 1087);	/* max */

	/* Interpolation is clamped to [min, max]. */
	srtt_hist_reset(h);
	for (i = 0; i < 4; i++)
		srtt_hist_add(h, 1030);
	srtt_hist_add(h, 1031);
	KTAP_EXPECT_EQ(srtt_hist_percentile(h, 800000), 1031);
	KTAP_EXPECT_EQ(srtt_hist_percentile(h, 400000), 1031);
	srtt_hist_reset(h);
	for (i = 0; i < 5; i++)
		srtt_hist_add(h, 1080 + i);
	/* rank 2 of 5 interpolates to 1043, below the minimum 1080 */
	KTAP_EXPECT_EQ(srtt_hist_percentile(h, 400000), 1080);
	free(h);
}

static void percentile_over_range(void)
{
	struct srtt_hist *h = hist_new();
	int i;

	for (i = 1; i <= 90; i++)
		srtt_hist_add(h, i * 1000);
	for (i = 0; i < 10; i++)
		srtt_hist_add(h, SRTT_HIST_MAX_NS + 1 + i);
	KTAP_EXPECT_EQ(srtt_hist_percentile(h, 900000), 90000);
	KTAP_EXPECT_EQ(srtt_hist_percentile(h, 900001), SRTT_HIST_OVER);
	KTAP_EXPECT_EQ(srtt_hist_percentile(h, 990000), SRTT_HIST_OVER);
	EXPECT_NEAR_6_25(srtt_hist_percentile(h, 500000), 50000);

	/* Only over-range samples. */
	srtt_hist_reset(h);
	srtt_hist_add(h, SRTT_HIST_MAX_NS + 1);
	KTAP_EXPECT_EQ(srtt_hist_percentile(h, 0), SRTT_HIST_OVER);
	KTAP_EXPECT_EQ(srtt_hist_percentile(h, 500000), SRTT_HIST_OVER);
	free(h);
}

/*
 * Counts beyond 2^31 in one 2^31-wide bucket: width * (2k - 1) would not
 * fit in 64 bits without the scaling in srtt_hist_percentile().
 */
static void percentile_huge_counts(void)
{
	struct srtt_hist *h = hist_new();
	uint32_t idx = srtt_hist_bucket(50000000000ULL);
	uint64_t lo = srtt_hist_bucket_lo(idx), hi = srtt_hist_bucket_hi(idx);
	uint64_t p, mid;

	h->bucket[idx] = 1ULL << 40;
	h->bucket[idx + 1] = 1ULL << 40;
	h->count = 2ULL << 40;
	h->min = lo;
	h->max = srtt_hist_bucket_hi(idx + 1) - 1;
	/* Rank 2^39 of 2^40 in the bucket: its middle, give or take 0.1 %. */
	p = srtt_hist_percentile(h, 250000);
	mid = lo + (hi - lo) / 2;
	KTAP_EXPECT(p >= mid - (hi - lo) / 1000 && p <= mid + (hi - lo) / 1000,
		    "p25 = %" PRIu64 ", want about %" PRIu64, p, mid);
	p = srtt_hist_percentile(h, 750000);
	mid = hi + (hi - lo) / 2;
	KTAP_EXPECT(p >= mid - (hi - lo) / 1000 && p <= mid + (hi - lo) / 1000,
		    "p75 = %" PRIu64 ", want about %" PRIu64, p, mid);
	free(h);
}

static void merge_equals_sequential_adds(void)
{
	struct srtt_hist *all = hist_new(), *a = hist_new(), *b = hist_new();
	struct srtt_hist *m = hist_new(), *empty = hist_new();
	uint64_t v;
	int i;

	for (i = 0; i < 20000; i++) {
		v = i % 97 == 0 ? SRTT_HIST_MAX_NS + i : rng_ns();
		srtt_hist_add(all, v);
		srtt_hist_add(i % 3 ? a : b, v);
	}
	srtt_hist_merge(m, a);
	srtt_hist_merge(m, b);
	srtt_hist_merge(m, empty);
	KTAP_EXPECT(!memcmp(m, all, sizeof(*m)), "merge differs from adds");
	KTAP_EXPECT_EQ(m->count, all->count);
	KTAP_EXPECT_EQ(m->over, all->over);
	KTAP_EXPECT_EQ(m->min, all->min);
	KTAP_EXPECT_EQ(m->max, all->max);
	KTAP_EXPECT_EQ(m->sum, all->sum);

	/* b's minimum is lower than a's: merging the other way round. */
	srtt_hist_reset(m);
	srtt_hist_reset(a);
	srtt_hist_reset(b);
	srtt_hist_add(a, 500);
	srtt_hist_add(b, 40);
	srtt_hist_merge(m, a);
	srtt_hist_merge(m, b);
	KTAP_EXPECT_EQ(m->min, 40);
	KTAP_EXPECT_EQ(m->max, 500);
	free(all);
	free(a);
	free(b);
	free(m);
	free(empty);
}

/* p90 from 10 samples, p99 from 100, p99.9 from 1000; p50 from one */
static void percentile_sample_size(void)
{
	KTAP_EXPECT(!srtt_hist_pct_supported(0, 500000), "nothing: no p50");
	KTAP_EXPECT(srtt_hist_pct_supported(1, 500000), "p50 of 1");
	KTAP_EXPECT(!srtt_hist_pct_supported(9, 900000), "p90 of 9");
	KTAP_EXPECT(srtt_hist_pct_supported(10, 900000), "p90 of 10");
	KTAP_EXPECT(!srtt_hist_pct_supported(50, 990000), "p99 of 50");
	KTAP_EXPECT(!srtt_hist_pct_supported(99, 990000), "p99 of 99");
	KTAP_EXPECT(srtt_hist_pct_supported(100, 990000), "p99 of 100");
	KTAP_EXPECT(!srtt_hist_pct_supported(999, 999000), "p99.9 of 999");
	KTAP_EXPECT(srtt_hist_pct_supported(1000, 999000), "p99.9 of 1000");
	KTAP_EXPECT(!srtt_hist_pct_supported(U64_MAX, 1000000), "no p100");
}

static const struct ktap_case cases[] = {
	KTAP_CASE(small_values_exact),
	KTAP_CASE(every_value_to_100000),
	KTAP_CASE(random_values_to_60s),
	KTAP_CASE(relative_width),
	KTAP_CASE(buckets_contiguous_monotonic),
	KTAP_CASE(last_bucket_holds_60s),
	KTAP_CASE(add_zero_and_one),
	KTAP_CASE(add_60s_in_range),
	KTAP_CASE(add_over_range),
	KTAP_CASE(min_max_sum),
	KTAP_CASE(percentile_uniform_1_to_1000),
	KTAP_CASE(percentile_monotonic),
	KTAP_CASE(percentile_single_value),
	KTAP_CASE(percentile_empty),
	KTAP_CASE(percentile_interpolates_in_bucket),
	KTAP_CASE(percentile_over_range),
	KTAP_CASE(percentile_sample_size),
	KTAP_CASE(percentile_huge_counts),
	KTAP_CASE(merge_equals_sequential_adds),
};

int main(void)
{
	return KTAP_RUN(cases);
}
