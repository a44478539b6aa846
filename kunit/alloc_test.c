// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The winiommu authors
 *
 * The logical allocator (alloc.c), driven directly through the test-only
 * winiommu_alloc_*() exports on an allocator the fixture owns.
 *
 * Every block handed out is checked on the spot against an oracle, the
 * list of blocks the case holds and the ranges it reserved: never address
 * 0, below 2^AddressWidth, inside the requested [Min, Max], aligned to the
 * power of two at or above its size, overlapping nothing live.  On exit
 * the case's blocks go back and, for small allocators, the fixture counts
 * the free pages by taking them all: a page lost or handed out twice
 * shows up there.
 */
#include <linux/bitmap.h>
#include <linux/log2.h>
#include <linux/sizes.h>

#include "winiommu_test.h"

/* Most blocks one case holds (width 20 has 255 usable pages). */
#define ALLOC_MAX_BLOCKS	512
#define ALLOC_MAX_RESV		4
/* Allocators up to this many pages get the free-page count on exit. */
#define ALLOC_ORACLE_PAGES	4096

struct alloc_block {
	u64 iova;
	u64 npages;
	bool exact;
};

struct alloc_range {
	u64 start;
	u64 last;
};

struct alloc_fixture {
	struct winiommu_test_snap snap;
	struct winiommu_alloc alloc;
	bool ready;
	struct alloc_block *blocks;
	unsigned int nr_blocks;
	struct alloc_range resv[ALLOC_MAX_RESV];
	unsigned int nr_resv;
};

static int alloc_init(struct kunit *test)
{
	struct alloc_fixture *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);

	if (!f)
		return -ENOMEM;
	f->blocks = kunit_kcalloc(test, ALLOC_MAX_BLOCKS, sizeof(*f->blocks), GFP_KERNEL);
	if (!f->blocks)
		return -ENOMEM;
	winiommu_test_snap_take(&f->snap);
	test->priv = f;
	return 0;
}

/* Build the case's allocator; torn down by alloc_exit(). */
static void alloc_setup(struct kunit *test, u32 width)
{
	struct alloc_fixture *f = test->priv;
	int ret;

	ret = winiommu_alloc_init(&f->alloc, width);
	KUNIT_ASSERT_EQ(test, ret, 0);
	f->ready = true;
}

static u64 alloc_limit(struct alloc_fixture *f)
{
	return BIT_ULL(f->alloc.width) - 1;
}

static bool alloc_overlaps(u64 s1, u64 l1, u64 s2, u64 l2)
{
	return s1 <= l2 && s2 <= l1;
}

/*
 * winiommu_alloc_get() with the oracle's checks.  A block that overlaps a
 * live block or a reserved range is reported and not recorded (so it is
 * never given back twice).
 */
static int alloc_take(struct kunit *test, u64 npages, u64 min, u64 max, u64 *iova)
{
	struct alloc_fixture *f = test->priv;
	u64 got = WINIOMMU_TEST_BAD_ADDR, last, align;
	bool exact = false, clash = false;
	unsigned int i;
	int ret;

	ret = winiommu_alloc_get(&f->alloc, npages, min, max, &got, &exact);
	if (ret) {
		KUNIT_EXPECT_EQ_MSG(test, got, WINIOMMU_TEST_BAD_ADDR,
				    "failed get (%d) wrote the address", ret);
		return ret;
	}
	*iova = got;
	last = got + npages * PAGE_SIZE - 1;
	align = (u64)roundup_pow_of_two(npages) << PAGE_SHIFT;
	KUNIT_EXPECT_NE_MSG(test, got, 0, "address 0 handed out");
	KUNIT_EXPECT_EQ_MSG(test, got & (align - 1), 0,
			    "%llu pages at %#llx not aligned to %#llx", npages, got, align);
	KUNIT_EXPECT_LE_MSG(test, last, alloc_limit(f), "%#llx past 2^%u", got, f->alloc.width);
	KUNIT_EXPECT_GE_MSG(test, got, min, "%#llx below Min %#llx", got, min);
	KUNIT_EXPECT_LE_MSG(test, last, max, "%#llx ends past Max %#llx", got, max);
	for (i = 0; i < f->nr_resv; i++) {
		if (alloc_overlaps(got, last, f->resv[i].start, f->resv[i].last)) {
			KUNIT_FAIL(test, "[%#llx, %#llx] overlaps reserved [%#llx, %#llx]",
				   got, last, f->resv[i].start, f->resv[i].last);
			clash = true;
		}
	}
	for (i = 0; i < f->nr_blocks; i++) {
		const struct alloc_block *b = &f->blocks[i];
		u64 blast = b->iova + b->npages * PAGE_SIZE - 1;

		if (alloc_overlaps(got, last, b->iova, blast)) {
			KUNIT_FAIL(test, "[%#llx, %#llx] handed out while [%#llx, %#llx] is live",
				   got, last, b->iova, blast);
			clash = true;
		}
	}
	if (clash)
		return 0;
	KUNIT_ASSERT_LT(test, f->nr_blocks, ALLOC_MAX_BLOCKS);
	f->blocks[f->nr_blocks++] = (struct alloc_block){ got, npages, exact };
	return 0;
}

/* An unbounded request: the whole allocator. */
static int alloc_take_any(struct kunit *test, u64 npages, u64 *iova)
{
	return alloc_take(test, npages, 0, U64_MAX, iova);
}

/* Give back the live block at @iova. */
static void alloc_give(struct kunit *test, u64 iova)
{
	struct alloc_fixture *f = test->priv;
	unsigned int i;

	for (i = 0; i < f->nr_blocks; i++) {
		struct alloc_block *b = &f->blocks[i];

		if (b->iova != iova)
			continue;
		winiommu_alloc_put(&f->alloc, b->iova, b->npages, b->exact);
		*b = f->blocks[--f->nr_blocks];
		return;
	}
	KUNIT_FAIL(test, "no live block at %#llx", iova);
}

static void alloc_give_all(struct kunit *test)
{
	struct alloc_fixture *f = test->priv;

	while (f->nr_blocks)
		alloc_give(test, f->blocks[f->nr_blocks - 1].iova);
}

/* Withhold [start, last] for good, and tell the oracle. */
static void alloc_reserve(struct kunit *test, u64 start, u64 last)
{
	struct alloc_fixture *f = test->priv;
	int ret;

	KUNIT_ASSERT_LT(test, f->nr_resv, ALLOC_MAX_RESV);
	ret = winiommu_alloc_reserve(&f->alloc, start, last);
	KUNIT_ASSERT_EQ(test, ret, 0);
	f->resv[f->nr_resv++] = (struct alloc_range){ start, last };
}

/* Usable pages not reserved: what an empty allocator must be able to give. */
static unsigned long alloc_free_pages_expected(struct alloc_fixture *f)
{
	unsigned long first = f->alloc.first_pfn, last = f->alloc.last_pfn;
	unsigned long n = last >= first ? last - first + 1 : 0;
	unsigned int i;

	for (i = 0; i < f->nr_resv; i++) {
		unsigned long lo = max_t(unsigned long, f->resv[i].start >> PAGE_SHIFT, first);
		unsigned long hi = min_t(unsigned long, f->resv[i].last >> PAGE_SHIFT, last);

		if (lo <= hi)
			n -= hi - lo + 1;
	}
	return n;
}

/*
 * Take single pages until the allocator says -ENOSPC; each must be new.
 * Returns how many it got; they stay taken until the allocator goes.
 */
static unsigned long alloc_count_free_pages(struct kunit *test)
{
	struct alloc_fixture *f = test->priv;
	unsigned long n = 0, pfn, *seen;
	u64 iova;
	bool exact;
	int ret;

	/* runs from .exit: no assertion may skip the allocator's teardown */
	seen = kunit_kcalloc(test, BITS_TO_LONGS(f->alloc.last_pfn + 1), sizeof(long),
			     GFP_KERNEL);
	if (!seen) {
		KUNIT_FAIL(test, "no memory for the free-page count");
		return 0;
	}
	for (;;) {
		ret = winiommu_alloc_get(&f->alloc, 1, 0, U64_MAX, &iova, &exact);
		if (ret)
			break;
		pfn = iova >> PAGE_SHIFT;
		if (pfn > f->alloc.last_pfn || test_and_set_bit(pfn, seen)) {
			KUNIT_FAIL(test, "page %#llx out of range or handed out twice", iova);
			break;
		}
		n++;
	}
	KUNIT_EXPECT_EQ(test, ret, -ENOSPC);
	return n;
}

static void alloc_exit(struct kunit *test)
{
	struct alloc_fixture *f = test->priv;

	if (f->ready) {
		alloc_give_all(test);
		if (f->alloc.last_pfn <= ALLOC_ORACLE_PAGES) {
			unsigned long expect = alloc_free_pages_expected(f);
			unsigned long got = alloc_count_free_pages(test);

			KUNIT_EXPECT_EQ_MSG(test, got, expect,
					    "free pages after everything was given back");
		}
		winiommu_alloc_destroy(&f->alloc);
	}
	winiommu_test_snap_check(test, &f->snap);
}

/* ---- unbounded requests ------------------------------------------------ */

struct alloc_size_case {
	const char *name;
	u64 npages;
};

static const struct alloc_size_case alloc_size_cases[] = {
	{ "1 page", 1 },
	{ "3 pages", 3 },
	{ "4 pages", 4 },
	{ "5 pages", 5 },
	{ "16 pages", 16 },
	{ "33 pages", 33 },
};

KUNIT_ARRAY_PARAM_DESC(alloc_size, alloc_size_cases, name);

/*
 * Width 20: fill the allocator with n-page blocks.  Each is checked by
 * alloc_take(); their number must be every aligned slot above page 0.
 */
static void alloc_fill_test(struct kunit *test)
{
	const struct alloc_size_case *c = test->param_value;
	u64 align = roundup_pow_of_two(c->npages), pages = 1 << (20 - PAGE_SHIFT);
	unsigned int n = 0;
	u64 iova;
	int ret;

	alloc_setup(test, 20);
	for (;;) {
		ret = alloc_take_any(test, c->npages, &iova);
		if (ret)
			break;
		n++;
		KUNIT_ASSERT_LT(test, n, ALLOC_MAX_BLOCKS);
	}
	KUNIT_EXPECT_EQ(test, ret, -ENOSPC);
	KUNIT_EXPECT_EQ(test, n, (pages - c->npages) / align);
}

/* Width 16: 16 pages, page 0 never used, so exactly 15 single pages. */
static void alloc_exhaust_test(struct kunit *test)
{
	struct alloc_fixture *f = test->priv;
	u64 iova, again;
	unsigned int n;
	int ret;

	alloc_setup(test, 16);
	for (n = 0; n < 15; n++) {
		ret = alloc_take_any(test, 1, &iova);
		KUNIT_ASSERT_EQ_MSG(test, ret, 0, "page %u of 15", n + 1);
	}
	KUNIT_EXPECT_EQ(test, f->nr_blocks, 15);
	ret = alloc_take_any(test, 1, &iova);
	KUNIT_EXPECT_EQ(test, ret, -ENOSPC);

	/* one page back: it is what the next request gets */
	iova = f->blocks[7].iova;
	alloc_give(test, iova);
	ret = alloc_take_any(test, 1, &again);
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, again, iova);
	ret = alloc_take_any(test, 1, &again);
	KUNIT_EXPECT_EQ(test, ret, -ENOSPC);
}

/* More pages than the allocator has: -ENOSPC, or -ERANGE with a window. */
static void alloc_too_big_test(struct kunit *test)
{
	u64 iova = WINIOMMU_TEST_BAD_ADDR;
	int ret;

	alloc_setup(test, 16);
	ret = alloc_take_any(test, 16, &iova);
	KUNIT_EXPECT_EQ(test, ret, -ENOSPC);
	ret = alloc_take(test, 16, 0x1000, 0x8fff, &iova);
	KUNIT_EXPECT_EQ(test, ret, -ERANGE);
	ret = alloc_take_any(test, 1ULL << 40, &iova);
	KUNIT_EXPECT_EQ(test, ret, -ENOSPC);
	KUNIT_EXPECT_EQ(test, iova, WINIOMMU_TEST_BAD_ADDR);
}

struct alloc_width_case {
	const char *name;
	u32 width;
	unsigned int pages;	/* single pages it can give */
};

static const struct alloc_width_case alloc_width_cases[] = {
	{ "width 1", 1, 0 },
	{ "width 12", 12, 0 },
	{ "width 13", 13, 1 },
	{ "width 14", 14, 3 },
	{ "width 32", 32, UINT_MAX },
	{ "width 48", 48, UINT_MAX },
	{ "width 63", 63, UINT_MAX },
};

KUNIT_ARRAY_PARAM_DESC(alloc_width, alloc_width_cases, name);

/* Tiny allocators hold exactly their pages; big ones place blocks in range. */
static void alloc_width_test(struct kunit *test)
{
	const struct alloc_width_case *c = test->param_value;
	struct alloc_fixture *f = test->priv;
	unsigned int n;
	u64 iova;
	int ret;

	alloc_setup(test, c->width);
	KUNIT_EXPECT_EQ(test, f->alloc.first_pfn, 1);
	if (c->pages != UINT_MAX) {
		for (n = 0; n < c->pages; n++) {
			ret = alloc_take_any(test, 1, &iova);
			KUNIT_EXPECT_EQ(test, ret, 0);
		}
		ret = alloc_take_any(test, 1, &iova);
		KUNIT_EXPECT_EQ(test, ret, -ENOSPC);
		return;
	}
	/* alloc_take() checks range and alignment of each */
	ret = alloc_take_any(test, 1, &iova);
	KUNIT_EXPECT_EQ(test, ret, 0);
	ret = alloc_take_any(test, 33, &iova);
	KUNIT_EXPECT_EQ(test, ret, 0);
	ret = alloc_take_any(test, 512, &iova);
	KUNIT_EXPECT_EQ(test, ret, 0);
}

/* ---- reserved carve-outs ----------------------------------------------- */

/* Width 20 with two carve-outs: every other page, and only those, is given. */
static void alloc_reserve_test(struct kunit *test)
{
	struct alloc_fixture *f = test->priv;
	unsigned int n = 0;
	u64 iova;
	int ret;

	alloc_setup(test, 20);
	alloc_reserve(test, 0x10000, 0x1ffff);	/* 16 pages */
	alloc_reserve(test, 0x80000, 0x80fff);	/* 1 page */
	for (;;) {
		ret = alloc_take_any(test, 1, &iova);	/* checked against resv */
		if (ret)
			break;
		n++;
		KUNIT_ASSERT_LT(test, n, ALLOC_MAX_BLOCKS);
	}
	KUNIT_EXPECT_EQ(test, ret, -ENOSPC);
	KUNIT_EXPECT_EQ(test, n, 255 - 16 - 1);
	KUNIT_EXPECT_EQ(test, n, alloc_free_pages_expected(f));
	alloc_give_all(test);

	/* a window inside a carve-out has no room; one across it starts after it */
	ret = alloc_take(test, 1, 0x10000, 0x1ffff, &iova);
	KUNIT_EXPECT_EQ(test, ret, -ERANGE);
	ret = alloc_take(test, 1, 0x18000, 0x2ffff, &iova);
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, iova, 0x20000);
}

/* ---- bounded requests (Min/Max windows) -------------------------------- */

/* A one-page window: that page, then nothing; back, then that page again. */
static void alloc_window_single_test(struct kunit *test)
{
	u64 iova = WINIOMMU_TEST_BAD_ADDR, second = WINIOMMU_TEST_BAD_ADDR;
	int ret;

	alloc_setup(test, 20);
	ret = alloc_take(test, 1, 0x5000, 0x5fff, &iova);
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, iova, 0x5000);
	ret = alloc_take(test, 1, 0x5000, 0x5fff, &second);
	KUNIT_EXPECT_EQ(test, ret, -ERANGE);
	KUNIT_EXPECT_EQ(test, second, WINIOMMU_TEST_BAD_ADDR);

	alloc_give(test, 0x5000);
	ret = alloc_take(test, 1, 0x5000, 0x5fff, &second);
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, second, 0x5000);
}

/* Min and Max are the first and last byte allowed, both inclusive. */
static void alloc_window_bounds_test(struct kunit *test)
{
	u64 iova;
	int ret;

	alloc_setup(test, 20);
	/* the page's last byte 0x5fff is past Max */
	ret = alloc_take(test, 1, 0x5000, 0x5ffe, &iova);
	KUNIT_EXPECT_EQ(test, ret, -ERANGE);
	/* Min inside page 4: the first whole page is 5 */
	ret = alloc_take(test, 1, 0x4001, 0x5fff, &iova);
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, iova, 0x5000);
	/* page 0 is never handed out, even when asked for */
	ret = alloc_take(test, 1, 0, 0xfff, &iova);
	KUNIT_EXPECT_EQ(test, ret, -ERANGE);
	ret = alloc_take(test, 1, 0, 0x1fff, &iova);
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, iova, 0x1000);
	/* two pages filling the window exactly */
	ret = alloc_take(test, 2, 0x6000, 0x7fff, &iova);
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, iova, 0x6000);
	/* Max below Min */
	ret = alloc_take(test, 1, 0x9000, 0x8fff, &iova);
	KUNIT_EXPECT_EQ(test, ret, -ERANGE);
	/* a window entirely above 2^AddressWidth */
	ret = alloc_take(test, 1, 0x100000, 0x1fffff, &iova);
	KUNIT_EXPECT_EQ(test, ret, -ERANGE);
}

/* Three pages are placed on a four-page boundary inside the window. */
static void alloc_window_align_test(struct kunit *test)
{
	u64 iova;
	int ret;

	alloc_setup(test, 20);
	ret = alloc_take(test, 3, 0x5000, 0xcfff, &iova);
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, iova, 0x8000);
	/* next boundary is 0xc000, but 0xc000..0xefff does not fit below 0xcfff */
	ret = alloc_take(test, 3, 0x5000, 0xcfff, &iova);
	KUNIT_EXPECT_EQ(test, ret, -ERANGE);
	ret = alloc_take(test, 3, 0x5000, 0xefff, &iova);
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, iova, 0xc000);
	/* the aligned slot 0x4000 is below Min 0x5000: not used */
	ret = alloc_take(test, 4, 0x5000, 0x7fff, &iova);
	KUNIT_EXPECT_EQ(test, ret, -ERANGE);
}

/* Sixteen one-page requests in a sixteen-page window: lowest first, all. */
static void alloc_window_fill_test(struct kunit *test)
{
	u64 iova = WINIOMMU_TEST_BAD_ADDR;
	unsigned int i;
	int ret;

	alloc_setup(test, 20);
	for (i = 0; i < 16; i++) {
		ret = alloc_take(test, 1, 0x10000, 0x1ffff, &iova);
		KUNIT_ASSERT_EQ_MSG(test, ret, 0, "page %u of 16", i + 1);
		KUNIT_EXPECT_EQ(test, iova, 0x10000 + i * PAGE_SIZE);
	}
	iova = WINIOMMU_TEST_BAD_ADDR;
	ret = alloc_take(test, 1, 0x10000, 0x1ffff, &iova);
	KUNIT_EXPECT_EQ(test, ret, -ERANGE);
	KUNIT_EXPECT_EQ(test, iova, WINIOMMU_TEST_BAD_ADDR);
	/* a hole in the middle is found again */
	alloc_give(test, 0x17000);
	ret = alloc_take(test, 1, 0x10000, 0x1ffff, &iova);
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, iova, 0x17000);
}

/*
 * Pages given back from unbounded requests sit in the iova caches; a
 * window must still find them, and they must not then be handed out
 * again by an unbounded request.
 */
static void alloc_window_cached_test(struct kunit *test)
{
	u64 iova;
	unsigned int n;
	int ret;

	alloc_setup(test, 16);
	for (n = 0; n < 15; n++) {
		ret = alloc_take_any(test, 1, &iova);
		KUNIT_ASSERT_EQ(test, ret, 0);
	}
	alloc_give_all(test);
	ret = alloc_take(test, 1, 0x5000, 0x5fff, &iova);
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, iova, 0x5000);
	/* the other 14, each checked against the live 0x5000 */
	for (n = 0; n < 14; n++) {
		ret = alloc_take_any(test, 1, &iova);
		KUNIT_ASSERT_EQ_MSG(test, ret, 0, "page %u of 14", n + 1);
	}
	ret = alloc_take_any(test, 1, &iova);
	KUNIT_EXPECT_EQ(test, ret, -ENOSPC);
}

/*
 * Blocks of 64 pages to 4 MiB stay cached in the allocator once given back
 * (the iova caches stop at 32 pages).  A cached block is what the next
 * request of its size gets; cached blocks never keep a request of another
 * size, or a window, from fitting: 16 MiB holds seven 2 MiB blocks (the
 * first one would hold page 0), then, with four of them cached, seven
 * again, then one 8 MiB block, then a 2 MiB block inside a window.
 */
static void alloc_big_cache_test(struct kunit *test)
{
	struct alloc_fixture *f = test->priv;
	u64 iova, given[7];
	unsigned int n, i;
	int ret;

	alloc_setup(test, 24);
	for (n = 0; n < 7; n++)
		KUNIT_ASSERT_EQ_MSG(test, alloc_take_any(test, 512, &given[n]), 0, "block %u", n);
	KUNIT_EXPECT_EQ(test, alloc_take_any(test, 512, &iova), -ENOSPC);
	for (n = 0; n < 7; n++)
		alloc_give(test, given[n]);
	KUNIT_EXPECT_EQ(test, f->alloc.big[9 - WINIOMMU_ALLOC_BIG_ORDER].nr,
			WINIOMMU_ALLOC_BIG_DEPTH);
	KUNIT_ASSERT_EQ(test, alloc_take_any(test, 512, &iova), 0);
	/* the last block cached */
	KUNIT_EXPECT_EQ(test, iova, given[WINIOMMU_ALLOC_BIG_DEPTH - 1]);
	for (n = 1; n < 7; n++)
		KUNIT_ASSERT_EQ_MSG(test, alloc_take_any(test, 512, &given[n]), 0, "again %u", n);
	KUNIT_EXPECT_EQ(test, alloc_take_any(test, 512, &iova), -ENOSPC);
	alloc_give_all(test);

	KUNIT_ASSERT_EQ(test, alloc_take_any(test, 2048, &iova), 0);
	KUNIT_EXPECT_EQ(test, iova, SZ_8M);
	alloc_give_all(test);
	for (n = 0; n < 4; n++)
		KUNIT_ASSERT_EQ(test, alloc_take_any(test, 512, &given[n]), 0);
	alloc_give_all(test);
	for (i = 0; i < 4; i++)
		KUNIT_EXPECT_GE(test, given[i], SZ_8M);	/* cached, all above 8 MiB */
	ret = alloc_take(test, 512, SZ_2M, SZ_4M - 1, &iova);
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, iova, SZ_2M);
	ret = alloc_take(test, 512, SZ_8M, SZ_8M + SZ_2M - 1, &iova);
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, iova, SZ_8M);
	alloc_give_all(test);
}

/* A window at least as wide as the allocator is the whole allocator. */
static void alloc_window_wide_test(struct kunit *test)
{
	u64 iova;
	int ret;

	alloc_setup(test, 16);
	ret = alloc_take(test, 1, 0, BIT_ULL(40), &iova);
	KUNIT_ASSERT_EQ(test, ret, 0);
	ret = alloc_take(test, 2, 0x1000, U64_MAX - 1, &iova);
	KUNIT_ASSERT_EQ(test, ret, 0);
}

static struct kunit_case alloc_test_cases[] = {
	KUNIT_CASE_PARAM(alloc_fill_test, alloc_size_gen_params),
	KUNIT_CASE(alloc_exhaust_test),
	KUNIT_CASE(alloc_too_big_test),
	KUNIT_CASE_PARAM(alloc_width_test, alloc_width_gen_params),
	KUNIT_CASE(alloc_reserve_test),
	KUNIT_CASE(alloc_window_single_test),
	KUNIT_CASE(alloc_window_bounds_test),
	KUNIT_CASE(alloc_window_align_test),
	KUNIT_CASE(alloc_window_fill_test),
	KUNIT_CASE(alloc_window_cached_test),
	KUNIT_CASE(alloc_window_wide_test),
	KUNIT_CASE(alloc_big_cache_test),
	{}
};

struct kunit_suite winiommu_alloc_suite = {
	.name = "winiommu_alloc",
	.init = alloc_init,
	.exit = alloc_exit,
	.test_cases = alloc_test_cases,
};
