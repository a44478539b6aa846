// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The winiommu authors
 *
 * Logical mappings: MapLogicalRangeEx, the V1 MapLogicalRange and
 * UnmapLogicalRange, called through the tables the getters hand out.
 *
 * Two kinds of case.  Status cases need no device: every documented status
 * in the documented validation order, the output canary untouched on
 * failure, and the address-space rules (overlap, windows, exhaustion,
 * exact partial unmaps) on domains no device is attached to, where a map
 * only records.  DMA cases attach QEMU's edu device behind the guest's real
 * IOMMU and move real bytes through the mappings: RAM -> edu -> RAM, and a
 * device write to an unmapped address must change nothing.
 */
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "winiommu_test.h"
#include "edu.h"

#define RW	(IOMMU_ACCESS_READ | IOMMU_ACCESS_WRITE)

/* A Translate domain with a buddy allocator of @width bits (0: none). */
static void map_domain(struct kunit *test, u32 width, PIOMMU_DMA_RESERVED_REGION regions)
{
	winiommu_test_fx_domain(test, test->priv, DomainTypeTranslate, width, regions);
}

static void contig(IOMMU_MAP_PHYSICAL_ADDRESS *pa, u64 base, u64 size)
{
	memset(pa, 0, sizeof(*pa));
	pa->MapType = MapPhysicalAddressTypeContiguousRange;
	pa->ContiguousRange.Base.QuadPart = base;
	pa->ContiguousRange.Size = size;
}

/* Map kernel memory at @buf: returns the status, the address in @out. */
static NTSTATUS map_buf(struct kunit *test, void *buf, size_t size, ULONG perm,
			u64 *explicit, u64 *min, u64 *max, u64 *out)
{
	struct winiommu_test_fx *f = test->priv;
	IOMMU_MAP_PHYSICAL_ADDRESS pa;

	contig(&pa, virt_to_phys(buf), size);
	return f->v2->MapLogicalRangeEx(f->dom, perm, &pa, explicit, min, max, out);
}

/* One page of RAM the test owns, freed when the case ends. */
static void *map_page(struct kunit *test)
{
	void *p = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_TRUE(test, PAGE_ALIGNED(p));
	return p;
}

/* vmalloc memory freed after the fixture's exit has unmapped it */
static void map_vfree(void *p)
{
	vfree(p);
}

static void *map_vzalloc(struct kunit *test, size_t size)
{
	void *p = vzalloc(size);

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, map_vfree, p), 0);
	return p;
}

static void map_free_2m(void *p)
{
	free_pages((unsigned long)p, get_order(SZ_2M));
}

/* ---- status cases ------------------------------------------------------- */

static void map_bad_domain_test(struct kunit *test)
{
	struct winiommu_test_fx *f = test->priv;
	IOMMU_DMA_DOMAIN_CREATION_FLAGS flags = {};
	IOMMU_MAP_PHYSICAL_ADDRESS pa;
	PIOMMU_DMA_DOMAIN other;
	u64 out, ex = 0x100000;
	void *buf = map_page(test);

	contig(&pa, virt_to_phys(buf), PAGE_SIZE);
	memset(&out, WINIOMMU_TEST_CANARY, sizeof(out));
	KUNIT_EXPECT_EQ(test, f->v2->MapLogicalRangeEx(NULL, RW, &pa, &ex, NULL, NULL, &out),
			STATUS_INVALID_PARAMETER_1);
	KUNIT_EXPECT_EQ(test, f->v2->MapLogicalRangeEx((PIOMMU_DMA_DOMAIN)&pa, RW, &pa, &ex, NULL,
						       NULL, &out),
			STATUS_INVALID_PARAMETER_1);
	if (f->v2->CreateDomainEx(DomainTypeUnmanaged, flags, NULL, NULL, &other) ==
	    STATUS_NOT_SUPPORTED)
		kunit_skip(test, "no IOMMU on this machine");
	KUNIT_EXPECT_EQ(test, f->v2->MapLogicalRangeEx(other, RW, &pa, &ex, NULL, NULL, &out),
			STATUS_INVALID_PARAMETER_1);
	KUNIT_EXPECT_EQ(test, f->v2->UnmapLogicalRange(other, ex, 1), STATUS_INVALID_PARAMETER_1);
	KUNIT_EXPECT_EQ(test, f->v2->DeleteDomain(other), STATUS_SUCCESS);
	KUNIT_ASSERT_EQ(test,
			f->v2->CreateDomainEx(DomainTypePassThrough, flags, NULL, NULL, &other),
			STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, f->v2->MapLogicalRangeEx(other, RW, &pa, &ex, NULL, NULL, &out),
			STATUS_INVALID_PARAMETER_1);
	KUNIT_EXPECT_EQ(test, f->v2->DeleteDomain(other), STATUS_SUCCESS);
	/* a deleted domain */
	KUNIT_EXPECT_EQ(test, f->v2->MapLogicalRangeEx(other, RW, &pa, &ex, NULL, NULL, &out),
			STATUS_INVALID_PARAMETER_1);
	KUNIT_EXPECT_TRUE(test, winiommu_test_untouched(&out, sizeof(out)));
}

static void map_bad_args_test(struct kunit *test)
{
	struct winiommu_test_fx *f = test->priv;
	IOMMU_MAP_PHYSICAL_ADDRESS pa;
	void *buf = map_page(test);
	u64 phys = virt_to_phys(buf), out, ex = 0x200000, bad_ex = 0x200010;
	PFN_NUMBER pfn = phys >> PAGE_SHIFT;
	PMDL mdl;

	map_domain(test, 0, NULL);
	memset(&out, WINIOMMU_TEST_CANARY, sizeof(out));

	/* _2: reserved permission bits */
	contig(&pa, phys, PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, f->v2->MapLogicalRangeEx(f->dom, 4, &pa, &ex, NULL, NULL, &out),
			STATUS_INVALID_PARAMETER_2);
	KUNIT_EXPECT_EQ(test, f->v2->MapLogicalRangeEx(f->dom, 0x80000001, &pa, &ex, NULL, NULL,
						       &out),
			STATUS_INVALID_PARAMETER_2);
	/* _3: every form of physical memory that is not whole aligned pages */
	KUNIT_EXPECT_EQ(test, f->v2->MapLogicalRangeEx(f->dom, RW, NULL, &ex, NULL, NULL, &out),
			STATUS_INVALID_PARAMETER_3);
	contig(&pa, phys + 8, PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, f->v2->MapLogicalRangeEx(f->dom, RW, &pa, &ex, NULL, NULL, &out),
			STATUS_INVALID_PARAMETER_3);
	contig(&pa, phys, 0);
	KUNIT_EXPECT_EQ(test, f->v2->MapLogicalRangeEx(f->dom, RW, &pa, &ex, NULL, NULL, &out),
			STATUS_INVALID_PARAMETER_3);
	contig(&pa, phys, PAGE_SIZE + 512);
	KUNIT_EXPECT_EQ(test, f->v2->MapLogicalRangeEx(f->dom, RW, &pa, &ex, NULL, NULL, &out),
			STATUS_INVALID_PARAMETER_3);
	pa.MapType = MapPhysicalAddressTypeMax;
	KUNIT_EXPECT_EQ(test, f->v2->MapLogicalRangeEx(f->dom, RW, &pa, &ex, NULL, NULL, &out),
			STATUS_INVALID_PARAMETER_3);
	memset(&pa, 0, sizeof(pa));
	pa.MapType = MapPhysicalAddressTypePfn;
	pa.PfnArray.PageFrame = &pfn;
	pa.PfnArray.NumberOfPages = 0;
	KUNIT_EXPECT_EQ(test, f->v2->MapLogicalRangeEx(f->dom, RW, &pa, &ex, NULL, NULL, &out),
			STATUS_INVALID_PARAMETER_3);
	pa.PfnArray.PageFrame = NULL;
	pa.PfnArray.NumberOfPages = 1;
	KUNIT_EXPECT_EQ(test, f->v2->MapLogicalRangeEx(f->dom, RW, &pa, &ex, NULL, NULL, &out),
			STATUS_INVALID_PARAMETER_3);
	memset(&pa, 0, sizeof(pa));
	pa.MapType = MapPhysicalAddressTypeMdl;
	KUNIT_EXPECT_EQ(test, f->v2->MapLogicalRangeEx(f->dom, RW, &pa, &ex, NULL, NULL, &out),
			STATUS_INVALID_PARAMETER_3);
	mdl = IoAllocateMdl((u8 *)buf + 16, 64, FALSE, FALSE, NULL);
	KUNIT_ASSERT_NOT_NULL(test, mdl);
	MmBuildMdlForNonPagedPool(mdl);
	pa.Mdl.Mdl = mdl;
	KUNIT_EXPECT_EQ(test, f->v2->MapLogicalRangeEx(f->dom, RW, &pa, &ex, NULL, NULL, &out),
			STATUS_INVALID_PARAMETER_3);
	IoFreeMdl(mdl);
	/* _4 before _7, _7 before the cross checks */
	contig(&pa, phys, PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, f->v2->MapLogicalRangeEx(f->dom, RW, &pa, &bad_ex, NULL, NULL, NULL),
			STATUS_INVALID_PARAMETER_4);
	KUNIT_EXPECT_EQ(test, f->v2->MapLogicalRangeEx(f->dom, RW, &pa, NULL, NULL, NULL, NULL),
			STATUS_INVALID_PARAMETER_7);
	/* no explicit address on a domain without an allocator */
	KUNIT_EXPECT_EQ(test, f->v2->MapLogicalRangeEx(f->dom, RW, &pa, NULL, NULL, NULL, &out),
			STATUS_NOT_SUPPORTED);
	KUNIT_EXPECT_TRUE(test, winiommu_test_untouched(&out, sizeof(out)));
}

static void map_allocator_rules_test(struct kunit *test)
{
	struct winiommu_test_fx *f = test->priv;
	void *buf = map_page(test);
	u64 out, ex = 0x100000, lo = 0x30000, hi = 0x2ffff, hi2 = 0x30fff;

	map_domain(test, 32, NULL);
	memset(&out, WINIOMMU_TEST_CANARY, sizeof(out));
	/* explicit address on a buddy domain */
	KUNIT_EXPECT_EQ(test, map_buf(test, buf, PAGE_SIZE, RW, &ex, NULL, NULL, &out),
			STATUS_NOT_SUPPORTED);
	/* Min > Max */
	KUNIT_EXPECT_EQ(test, map_buf(test, buf, PAGE_SIZE, RW, NULL, &lo, &hi, &out),
			STATUS_INVALID_PARAMETER_MIX);
	KUNIT_EXPECT_TRUE(test, winiommu_test_untouched(&out, sizeof(out)));
	/* a one-page window: exactly that page, then nothing */
	KUNIT_EXPECT_EQ(test, map_buf(test, buf, PAGE_SIZE, RW, NULL, &lo, &hi2, &out),
			STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, out, lo);
	memset(&out, WINIOMMU_TEST_CANARY, sizeof(out));
	KUNIT_EXPECT_EQ(test, map_buf(test, buf, PAGE_SIZE, RW, NULL, &lo, &hi2, &out),
			STATUS_INVALID_PARAMETER_MIX);
	KUNIT_EXPECT_TRUE(test, winiommu_test_untouched(&out, sizeof(out)));
	/* a window that cannot hold two pages */
	KUNIT_EXPECT_EQ(test, map_buf(test, buf, PAGE_SIZE * 2, RW, NULL, &lo, &hi2, &out),
			STATUS_INVALID_PARAMETER_MIX);
	KUNIT_EXPECT_EQ(test, f->v2->UnmapLogicalRange(f->dom, lo, 1), STATUS_SUCCESS);
}

static void map_exhaustion_test(struct kunit *test)
{
	struct winiommu_test_fx *f = test->priv;
	void *buf = map_page(test);
	u64 out[4];
	int i;

	/* 14 bits: pages 1..3 (page 0 is never handed out) */
	map_domain(test, 14, NULL);
	for (i = 0; i < 3; i++) {
		KUNIT_ASSERT_EQ(test, map_buf(test, buf, PAGE_SIZE, RW, NULL, NULL, NULL, &out[i]),
				STATUS_SUCCESS);
		KUNIT_EXPECT_NE(test, out[i], 0);
		KUNIT_EXPECT_LT(test, out[i], 1ULL << 14);
	}
	memset(&out[3], WINIOMMU_TEST_CANARY, sizeof(out[3]));
	KUNIT_EXPECT_EQ(test, map_buf(test, buf, PAGE_SIZE, RW, NULL, NULL, NULL, &out[3]),
			STATUS_INSUFFICIENT_RESOURCES);
	KUNIT_EXPECT_TRUE(test, winiommu_test_untouched(&out[3], sizeof(out[3])));
	/* give one back: it can be had again */
	KUNIT_EXPECT_EQ(test, f->v2->UnmapLogicalRange(f->dom, out[1], 1), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, map_buf(test, buf, PAGE_SIZE, RW, NULL, NULL, NULL, &out[3]),
			STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, out[3], out[1]);
}

static void map_hole_never_allocated_test(struct kunit *test)
{
	IOMMU_DMA_RESERVED_REGION hole = {
		.Base = 4 * PAGE_SIZE, .NumberOfPages = 4, .ShouldMap = FALSE,
	};
	void *buf = map_page(test);
	unsigned int n = 0;
	u64 out;

	/* 16 bits: pages 1..15, minus the hole 4..7: 11 pages */
	map_domain(test, 16, &hole);
	while (map_buf(test, buf, PAGE_SIZE, RW, NULL, NULL, NULL, &out) == STATUS_SUCCESS) {
		KUNIT_EXPECT_FALSE(test, out >= hole.Base && out < hole.Base + 4 * PAGE_SIZE);
		if (++n > 16)
			break;
	}
	KUNIT_EXPECT_EQ(test, n, 11);
}

static void map_explicit_overlap_test(struct kunit *test)
{
	IOMMU_DMA_RESERVED_REGION region = {
		.Base = 0x400000, .NumberOfPages = 2, .ShouldMap = TRUE,
	};
	struct winiommu_test_fx *f = test->priv;
	void *buf = map_page(test);
	u64 out, a = 0x100000, b = 0x101000, c = 0x0ff000, r = 0x401000;
	void *two = kunit_kzalloc(test, 2 * PAGE_SIZE, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, two);
	map_domain(test, 0, &region);
	KUNIT_EXPECT_EQ(test, map_buf(test, buf, PAGE_SIZE, RW, &a, NULL, NULL, &out),
			STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, out, a);
	memset(&out, WINIOMMU_TEST_CANARY, sizeof(out));
	KUNIT_EXPECT_EQ(test, map_buf(test, buf, PAGE_SIZE, RW, &a, NULL, NULL, &out),
			STATUS_IN_USE);
	/* partly overlapping from below */
	KUNIT_EXPECT_EQ(test, map_buf(test, two, 2 * PAGE_SIZE, RW, &c, NULL, NULL, &out),
			STATUS_IN_USE);
	/* inside a ShouldMap reserved region */
	KUNIT_EXPECT_EQ(test, map_buf(test, buf, PAGE_SIZE, RW, &r, NULL, NULL, &out),
			STATUS_IN_USE);
	KUNIT_EXPECT_TRUE(test, winiommu_test_untouched(&out, sizeof(out)));
	/* adjacent is fine; IOMMU_ACCESS_NONE occupies without access */
	KUNIT_EXPECT_EQ(test,
			map_buf(test, buf, PAGE_SIZE, IOMMU_ACCESS_NONE, &b, NULL, NULL, &out),
			STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, map_buf(test, buf, PAGE_SIZE, RW, &b, NULL, NULL, &out),
			STATUS_IN_USE);
	KUNIT_EXPECT_EQ(test, f->v2->UnmapLogicalRange(f->dom, a, 2), STATUS_SUCCESS);
}

static void unmap_rules_test(struct kunit *test)
{
	struct winiommu_test_fx *f = test->priv;
	IOMMU_DMA_RESERVED_REGION region = {
		.Base = 0x800000, .NumberOfPages = 1, .ShouldMap = FALSE,
	};
	void *four = kunit_kzalloc(test, 4 * PAGE_SIZE, GFP_KERNEL);
	u64 out, a = 0x100000, g = 0x200000;

	KUNIT_ASSERT_NOT_NULL(test, four);
	map_domain(test, 0, &region);
	KUNIT_ASSERT_EQ(test, map_buf(test, four, 4 * PAGE_SIZE, RW, &a, NULL, NULL, &out),
			STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, f->v2->UnmapLogicalRange(NULL, a, 1), STATUS_INVALID_PARAMETER_1);
	KUNIT_EXPECT_EQ(test, f->v2->UnmapLogicalRange(f->dom, a + 1, 1),
			STATUS_INVALID_PARAMETER_2);
	KUNIT_EXPECT_EQ(test, f->v2->UnmapLogicalRange(f->dom, a, 0), STATUS_INVALID_PARAMETER_3);
	KUNIT_EXPECT_EQ(test, f->v2->UnmapLogicalRange(f->dom, ~0ULL & PAGE_MASK, 2),
			STATUS_INVALID_PARAMETER_3);
	/* not mapped, running past the mapping, a reserved region */
	KUNIT_EXPECT_EQ(test, f->v2->UnmapLogicalRange(f->dom, g, 1), STATUS_INVALID_PARAMETER_2);
	KUNIT_EXPECT_EQ(test, f->v2->UnmapLogicalRange(f->dom, a, 5), STATUS_INVALID_PARAMETER_2);
	KUNIT_EXPECT_EQ(test, f->v2->UnmapLogicalRange(f->dom, a - PAGE_SIZE, 2),
			STATUS_INVALID_PARAMETER_2);
	KUNIT_EXPECT_EQ(test, f->v2->UnmapLogicalRange(f->dom, region.Base, 1),
			STATUS_INVALID_PARAMETER_2);
	/* cut the middle two pages out: exact, and only once */
	KUNIT_EXPECT_EQ(test, f->v2->UnmapLogicalRange(f->dom, a + PAGE_SIZE, 2), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, f->v2->UnmapLogicalRange(f->dom, a + PAGE_SIZE, 1),
			STATUS_INVALID_PARAMETER_2);
	KUNIT_EXPECT_EQ(test, f->v2->UnmapLogicalRange(f->dom, a, 2), STATUS_INVALID_PARAMETER_2);
	/* the two survivors are there, and only they */
	KUNIT_EXPECT_EQ(test, f->v2->UnmapLogicalRange(f->dom, a, 1), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, f->v2->UnmapLogicalRange(f->dom, a + 3 * PAGE_SIZE, 1),
			STATUS_SUCCESS);
	/* two adjacent mappings unmap in one call */
	KUNIT_ASSERT_EQ(test, map_buf(test, four, 2 * PAGE_SIZE, RW, &a, NULL, NULL, &out),
			STATUS_SUCCESS);
	out = a + 2 * PAGE_SIZE;
	KUNIT_ASSERT_EQ(test, map_buf(test, four, 2 * PAGE_SIZE, RW, &out, NULL, NULL, &out),
			STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, f->v2->UnmapLogicalRange(f->dom, a, 4), STATUS_SUCCESS);
}

static void map_v1_test(struct kunit *test)
{
	DMA_IOMMU_INTERFACE v1;
	void *buf = map_page(test);
	PIOMMU_DMA_DOMAIN d;
	PMDL mdl;
	NTSTATUS st;

	KUNIT_ASSERT_EQ(test, IoGetIommuInterface(DMA_IOMMU_INTERFACE_VERSION_1, &v1),
			STATUS_SUCCESS);
	st = v1.CreateDomain(TRUE, &d);
	if (st == STATUS_NOT_SUPPORTED)
		kunit_skip(test, "no IOMMU on this machine");
	KUNIT_ASSERT_EQ(test, st, STATUS_SUCCESS);
	mdl = IoAllocateMdl(buf, PAGE_SIZE, FALSE, FALSE, NULL);
	KUNIT_ASSERT_NOT_NULL(test, mdl);
	MmBuildMdlForNonPagedPool(mdl);
	KUNIT_EXPECT_EQ(test, v1.MapLogicalRange(d, RW, mdl, 0x300000), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, v1.MapLogicalRange(d, RW, mdl, 0x300000), STATUS_IN_USE);
	KUNIT_EXPECT_EQ(test, v1.MapLogicalRange(d, RW, mdl, 0x300800), STATUS_INVALID_PARAMETER_4);
	KUNIT_EXPECT_EQ(test, v1.MapLogicalRange(d, RW, NULL, 0x400000),
			STATUS_INVALID_PARAMETER_3);
	KUNIT_EXPECT_EQ(test, v1.UnmapLogicalRange(d, 0x300000, 1), STATUS_SUCCESS);
	IoFreeMdl(mdl);
	KUNIT_EXPECT_EQ(test, v1.DeleteDomain(d), STATUS_SUCCESS);
}

/* ---- DMA through the real IOMMU ---------------------------------------- */

/* RAM at @src -> edu -> RAM at @dst, @len bytes. */
static void edu_copy(struct kunit *test, u64 src, u64 dst, u32 len)
{
	struct winiommu_test_fx *f = test->priv;

	KUNIT_ASSERT_EQ(test, winiommu_test_edu_copy(f->edu, src, dst, len), 0);
}

static void fill(void *p, size_t len, u8 seed)
{
	u8 *b = p;
	size_t i;

	for (i = 0; i < len; i++)
		b[i] = (u8)(seed + i * 7 + (i >> 8));
}

static void dma_page_test(struct kunit *test)
{
	void *src = map_page(test), *dst = map_page(test);
	u64 s, d;

	/*
	 * Mapped before the attach, which replays it.  As Windows asks, the
	 * width is the narrowest the devices address (edu: 28 bits unless
	 * QEMU is told more): a mapping the device could not reach makes the
	 * attach fail with STATUS_IN_USE.
	 */
	map_domain(test, 28, NULL);
	KUNIT_ASSERT_EQ(test,
			map_buf(test, src, PAGE_SIZE, IOMMU_ACCESS_READ, NULL, NULL, NULL, &s),
			STATUS_SUCCESS);
	winiommu_test_fx_attach(test, test->priv);
	KUNIT_ASSERT_EQ(test, map_buf(test, dst, PAGE_SIZE, IOMMU_ACCESS_WRITE, NULL, NULL, NULL,
				      &d), STATUS_SUCCESS);
	fill(src, PAGE_SIZE, 0x11);
	edu_copy(test, s, d, PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, memcmp(src, dst, PAGE_SIZE), 0);
}

static void dma_after_unmap_test(struct kunit *test)
{
	struct winiommu_test_fx *f = test->priv;
	void *src = map_page(test), *dst = map_page(test);
	u64 s, d;

	map_domain(test, 48, NULL);
	winiommu_test_fx_attach(test, test->priv);
	KUNIT_ASSERT_EQ(test, map_buf(test, src, PAGE_SIZE, RW, NULL, NULL, NULL, &s),
			STATUS_SUCCESS);
	KUNIT_ASSERT_EQ(test, map_buf(test, dst, PAGE_SIZE, RW, NULL, NULL, NULL, &d),
			STATUS_SUCCESS);
	fill(src, PAGE_SIZE, 0x22);
	edu_copy(test, s, d, PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, memcmp(src, dst, PAGE_SIZE), 0);

	KUNIT_ASSERT_EQ(test, f->v2->UnmapLogicalRange(f->dom, d, 1), STATUS_SUCCESS);
	memset(dst, 0x5a, PAGE_SIZE);
	fill(src, PAGE_SIZE, 0x33);
	/* the device completes; the IOMMU drops the write */
	edu_copy(test, s, d, PAGE_SIZE);
	KUNIT_EXPECT_FALSE(test, memchr_inv(dst, 0x5a, PAGE_SIZE));
}

/* DMA across the page seams of a three-page buffer mapped from @pa. */
static void dma_seams(struct kunit *test, IOMMU_MAP_PHYSICAL_ADDRESS *pa, const u8 *bytes)
{
	struct winiommu_test_fx *f = test->priv;
	void *dst = map_page(test);
	u64 s, d;

	KUNIT_ASSERT_EQ(test, f->v2->MapLogicalRangeEx(f->dom, IOMMU_ACCESS_READ, pa, NULL, NULL,
						       NULL, &s), STATUS_SUCCESS);
	KUNIT_ASSERT_EQ(test, map_buf(test, dst, PAGE_SIZE, IOMMU_ACCESS_WRITE, NULL, NULL, NULL,
				      &d), STATUS_SUCCESS);
	/* the 4 KiB from the middle of page 0 to the middle of page 1 */
	edu_copy(test, s + PAGE_SIZE / 2, d, PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, memcmp(dst, bytes + PAGE_SIZE / 2, PAGE_SIZE), 0);
	/* and across the seam of pages 1 and 2 */
	edu_copy(test, s + PAGE_SIZE + 100, d, PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, memcmp(dst, bytes + PAGE_SIZE + 100, PAGE_SIZE), 0);
}

static void dma_mdl_vmalloc_test(struct kunit *test)
{
	IOMMU_MAP_PHYSICAL_ADDRESS pa = { .MapType = MapPhysicalAddressTypeMdl };
	u8 *buf = map_vzalloc(test, 3 * PAGE_SIZE);
	PMDL mdl;

	map_domain(test, 48, NULL);
	winiommu_test_fx_attach(test, test->priv);
	fill(buf, 3 * PAGE_SIZE, 0x44);
	mdl = IoAllocateMdl(buf, 3 * PAGE_SIZE, FALSE, FALSE, NULL);
	KUNIT_ASSERT_NOT_NULL(test, mdl);
	MmBuildMdlForNonPagedPool(mdl);
	pa.Mdl.Mdl = mdl;
	dma_seams(test, &pa, buf);
	IoFreeMdl(mdl);
}

static void dma_pfn_array_test(struct kunit *test)
{
	IOMMU_MAP_PHYSICAL_ADDRESS pa = { .MapType = MapPhysicalAddressTypePfn };
	PFN_NUMBER pfns[3];
	u8 *bytes = kunit_kzalloc(test, 3 * PAGE_SIZE, GFP_KERNEL);
	void *pages[3];
	int i;

	KUNIT_ASSERT_NOT_NULL(test, bytes);
	map_domain(test, 48, NULL);
	winiommu_test_fx_attach(test, test->priv);
	/* three pages in reverse physical order: never contiguous */
	for (i = 0; i < 3; i++) {
		pages[i] = map_page(test);
		fill(pages[i], PAGE_SIZE, 0x50 + i);
		memcpy(bytes + i * PAGE_SIZE, pages[i], PAGE_SIZE);
		pfns[i] = virt_to_phys(pages[i]) >> PAGE_SHIFT;
	}
	pa.PfnArray.PageFrame = pfns;
	pa.PfnArray.NumberOfPages = 3;
	dma_seams(test, &pa, bytes);
}

static void dma_should_map_region_test(struct kunit *test)
{
	struct winiommu_test_fx *f = test->priv;
	void *src = map_page(test), *target = map_page(test);
	IOMMU_DMA_RESERVED_REGION region = {
		.Base = virt_to_phys(target), .NumberOfPages = 1, .ShouldMap = TRUE,
	};
	u64 s, out;

	map_domain(test, 48, &region);
	winiommu_test_fx_attach(test, test->priv);
	KUNIT_ASSERT_EQ(test,
			map_buf(test, src, PAGE_SIZE, IOMMU_ACCESS_READ, NULL, NULL, NULL, &s),
			STATUS_SUCCESS);
	fill(src, PAGE_SIZE, 0x66);
	/* logical == physical inside the region */
	edu_copy(test, s, region.Base, PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, memcmp(src, target, PAGE_SIZE), 0);
	/* and no allocation lands there */
	KUNIT_EXPECT_EQ(test, map_buf(test, src, PAGE_SIZE, RW, NULL, &region.Base, &region.Base,
				      &out), STATUS_INVALID_PARAMETER_MIX);
	KUNIT_EXPECT_PTR_NE(test, f->dom, NULL);
}

static void dma_width28_window_test(struct kunit *test)
{
	void *src = map_page(test), *dst = map_page(test);
	u64 s, d, lo = 0x00100000, hi = 0x00100fff;

	map_domain(test, 28, NULL);
	winiommu_test_fx_attach(test, test->priv);
	KUNIT_ASSERT_EQ(test,
			map_buf(test, src, PAGE_SIZE, IOMMU_ACCESS_READ, NULL, NULL, NULL, &s),
			STATUS_SUCCESS);
	KUNIT_EXPECT_LT(test, s, 1ULL << 28);
	KUNIT_ASSERT_EQ(test, map_buf(test, dst, PAGE_SIZE, IOMMU_ACCESS_WRITE, NULL, &lo, &hi, &d),
			STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, d, lo);
	fill(src, PAGE_SIZE, 0x77);
	edu_copy(test, s, d, PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, memcmp(src, dst, PAGE_SIZE), 0);
}

static void dma_large_page_test(struct kunit *test)
{
	struct winiommu_test_fx *f = test->priv;
	struct page *big = alloc_pages(GFP_KERNEL | __GFP_ZERO, get_order(SZ_2M));
	void *dst = map_page(test);
	struct iommu_domain *d;
	u64 s, t;
	u8 *p;

	KUNIT_ASSERT_NOT_NULL(test, big);
	p = page_address(big);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, map_free_2m, p), 0);
	map_domain(test, 48, NULL);
	winiommu_test_fx_attach(test, test->priv);
	fill(p + SZ_2M - PAGE_SIZE, PAGE_SIZE, 0x88);
	KUNIT_ASSERT_EQ(test, map_buf(test, p, SZ_2M, IOMMU_ACCESS_READ, NULL, NULL, NULL, &s),
			STATUS_SUCCESS);
	KUNIT_EXPECT_TRUE(test, IS_ALIGNED(s, SZ_2M));
	d = iommu_get_domain_for_dev(&f->edu->pdev->dev);
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(d, s), page_to_phys(big));
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(d, s + SZ_2M - PAGE_SIZE),
			page_to_phys(big) + SZ_2M - PAGE_SIZE);
	KUNIT_ASSERT_EQ(test,
			map_buf(test, dst, PAGE_SIZE, IOMMU_ACCESS_WRITE, NULL, NULL, NULL, &t),
			STATUS_SUCCESS);
	edu_copy(test, s + SZ_2M - PAGE_SIZE, t, PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, memcmp(dst, p + SZ_2M - PAGE_SIZE, PAGE_SIZE), 0);
	/* cut one page out of the middle: the rest stays mapped */
	KUNIT_EXPECT_EQ(test, f->v2->UnmapLogicalRange(f->dom, s + SZ_1M, 1), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(d, s + SZ_1M), 0);
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(d, s + SZ_1M + PAGE_SIZE),
			page_to_phys(big) + SZ_1M + PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(d, s + SZ_1M - PAGE_SIZE),
			page_to_phys(big) + SZ_1M - PAGE_SIZE);
	memset(dst, 0, PAGE_SIZE);
	edu_copy(test, s + SZ_2M - PAGE_SIZE, t, PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, memcmp(dst, p + SZ_2M - PAGE_SIZE, PAGE_SIZE), 0);
	/* both pieces left are whole mappings now */
	KUNIT_EXPECT_EQ(test, f->v2->UnmapLogicalRange(f->dom, s, SZ_1M / PAGE_SIZE),
			STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, f->v2->UnmapLogicalRange(f->dom, s + SZ_1M + PAGE_SIZE,
						       SZ_1M / PAGE_SIZE - 1), STATUS_SUCCESS);
}

/*
 * The counters of /sys/kernel/debug/winiommu/counters move exactly as the
 * calls a driver makes through the tables: one call each, failures
 * counted apart, the bytes mapped now up and back down; a V1 call counts
 * under its own name, not under the V2 routine it is built on.
 */
static void map_counters_test(struct kunit *test)
{
	struct winiommu_test_fx *f = test->priv;
	DMA_IOMMU_INTERFACE v1;
	u64 calls[2], failed[2], bytes[2], v1calls[2], out, addr = 0x40000;
	void *buf = map_page(test);
	PMDL mdl;

	map_domain(test, 0, NULL);
	winiommu_stat_read(WINIOMMU_R_MAP_LOGICAL_RANGE_EX, &calls[0], &failed[0], &bytes[0]);
	winiommu_stat_read(WINIOMMU_R_MAP_LOGICAL_RANGE, &v1calls[0], NULL, NULL);
	KUNIT_ASSERT_EQ(test, map_buf(test, buf, PAGE_SIZE, RW, &addr, NULL, NULL, &out),
			STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, map_buf(test, buf, PAGE_SIZE, RW, &addr, NULL, NULL, &out),
			STATUS_IN_USE);
	winiommu_stat_read(WINIOMMU_R_MAP_LOGICAL_RANGE_EX, &calls[1], &failed[1], &bytes[1]);
	KUNIT_EXPECT_EQ(test, calls[1] - calls[0], 2);
	KUNIT_EXPECT_EQ(test, failed[1] - failed[0], 1);
	KUNIT_EXPECT_EQ(test, bytes[1] - bytes[0], PAGE_SIZE);

	KUNIT_ASSERT_EQ(test, IoGetIommuInterface(DMA_IOMMU_INTERFACE_VERSION_1, &v1),
			STATUS_SUCCESS);
	mdl = IoAllocateMdl(buf, PAGE_SIZE, FALSE, FALSE, NULL);
	KUNIT_ASSERT_NOT_NULL(test, mdl);
	MmBuildMdlForNonPagedPool(mdl);
	KUNIT_EXPECT_EQ(test, v1.MapLogicalRange(f->dom, RW, mdl, 0x80000), STATUS_SUCCESS);
	IoFreeMdl(mdl);
	winiommu_stat_read(WINIOMMU_R_MAP_LOGICAL_RANGE_EX, &calls[0], NULL, &bytes[0]);
	winiommu_stat_read(WINIOMMU_R_MAP_LOGICAL_RANGE, &v1calls[1], NULL, NULL);
	KUNIT_EXPECT_EQ(test, calls[0], calls[1]);	/* not counted as MapLogicalRangeEx */
	KUNIT_EXPECT_EQ(test, v1calls[1] - v1calls[0], 1);
	KUNIT_EXPECT_EQ(test, bytes[0] - bytes[1], PAGE_SIZE);

	KUNIT_EXPECT_EQ(test, f->v2->UnmapLogicalRange(f->dom, 0x40000, 1), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, f->v2->UnmapLogicalRange(f->dom, 0x80000, 1), STATUS_SUCCESS);
	winiommu_stat_read(WINIOMMU_R_UNMAP_LOGICAL_RANGE, NULL, NULL, &bytes[1]);
	KUNIT_EXPECT_EQ(test, bytes[0] - bytes[1], 2 * PAGE_SIZE);
}

static struct kunit_case map_cases[] = {
	KUNIT_CASE(map_counters_test),
	KUNIT_CASE(map_bad_domain_test),
	KUNIT_CASE(map_bad_args_test),
	KUNIT_CASE(map_allocator_rules_test),
	KUNIT_CASE(map_exhaustion_test),
	KUNIT_CASE(map_hole_never_allocated_test),
	KUNIT_CASE(map_explicit_overlap_test),
	KUNIT_CASE(unmap_rules_test),
	KUNIT_CASE(map_v1_test),
	KUNIT_CASE(dma_page_test),
	KUNIT_CASE(dma_after_unmap_test),
	KUNIT_CASE(dma_mdl_vmalloc_test),
	KUNIT_CASE(dma_pfn_array_test),
	KUNIT_CASE(dma_should_map_region_test),
	KUNIT_CASE(dma_width28_window_test),
	KUNIT_CASE(dma_large_page_test),
	{}
};

struct kunit_suite winiommu_mapping_suite = {
	.name = "winiommu_mapping",
	.init = winiommu_test_fx_init,
	.exit = winiommu_test_fx_exit,
	.test_cases = map_cases,
};
