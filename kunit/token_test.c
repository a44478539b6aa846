// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The winiommu authors
 *
 * Identity ranges (MapIdentityRangeEx, UnmapIdentityRangeEx and their V1
 * forms), the flushes, and reserved logical ranges (tokens and their
 * segments), through the V2 table.  Status cases run without a device;
 * the DMA cases move real bytes through QEMU's edu device behind the
 * guest's IOMMU and show that an unmapped page is unreachable.
 */
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/sizes.h>
#include <linux/vmstat.h>
#include <linux/slab.h>

#include "winiommu_test.h"
#include "edu.h"

#define RW	(IOMMU_ACCESS_READ | IOMMU_ACCESS_WRITE)

static void tok_domain(struct kunit *test, IOMMU_DMA_DOMAIN_TYPE type, u32 width)
{
	winiommu_test_fx_domain(test, test->priv, type, width, NULL);
}

static void *tok_page(struct kunit *test)
{
	void *p = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, p);
	return p;
}

static void contig(IOMMU_MAP_PHYSICAL_ADDRESS *pa, void *buf, u64 size)
{
	memset(pa, 0, sizeof(*pa));
	pa->MapType = MapPhysicalAddressTypeContiguousRange;
	pa->ContiguousRange.Base.QuadPart = virt_to_phys(buf);
	pa->ContiguousRange.Size = size;
}

/* ---- identity ranges --------------------------------------------------- */

static void identity_status_test(struct kunit *test)
{
	struct winiommu_test_fx *f = test->priv;
	IOMMU_DMA_DOMAIN_CREATION_FLAGS flags = {};
	IOMMU_MAP_PHYSICAL_ADDRESS pa, other;
	void *buf = tok_page(test), *buf2 = tok_page(test);
	PIOMMU_DMA_DOMAIN d;

	contig(&pa, buf, PAGE_SIZE);
	contig(&other, buf2, PAGE_SIZE);
	/* a buddy allocator forbids explicit addresses */
	tok_domain(test, DomainTypeTranslate, 40);
	KUNIT_EXPECT_EQ(test, f->v2->MapIdentityRangeEx(f->dom, RW, &pa), STATUS_NOT_SUPPORTED);
	KUNIT_EXPECT_EQ(test, f->v2->UnmapIdentityRangeEx(f->dom, &pa), STATUS_NOT_SUPPORTED);
	KUNIT_EXPECT_EQ(test, f->v2->DeleteDomain(f->dom), STATUS_SUCCESS);
	f->dom = NULL;
	/* Unmanaged: _1; PassThrough: accepted */
	KUNIT_ASSERT_EQ(test, f->v2->CreateDomainEx(DomainTypeUnmanaged, flags, NULL, NULL, &d),
			STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, f->v2->MapIdentityRangeEx(d, RW, &pa), STATUS_INVALID_PARAMETER_1);
	KUNIT_EXPECT_EQ(test, f->v2->UnmapIdentityRangeEx(d, &pa), STATUS_INVALID_PARAMETER_1);
	KUNIT_EXPECT_EQ(test, f->v2->DeleteDomain(d), STATUS_SUCCESS);
	KUNIT_ASSERT_EQ(test, f->v2->CreateDomainEx(DomainTypePassThrough, flags, NULL, NULL, &d),
			STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, f->v2->MapIdentityRangeEx(d, RW, &pa), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, f->v2->UnmapIdentityRangeEx(d, &pa), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, f->v2->DeleteDomain(d), STATUS_SUCCESS);
	/* Translate without allocator */
	tok_domain(test, DomainTypeTranslate, 0);
	KUNIT_EXPECT_EQ(test, f->v2->MapIdentityRangeEx(f->dom, 8, &pa),
			STATUS_INVALID_PARAMETER_2);
	KUNIT_EXPECT_EQ(test, f->v2->MapIdentityRangeEx(f->dom, RW, NULL),
			STATUS_INVALID_PARAMETER_3);
	pa.ContiguousRange.Size = 100;
	KUNIT_EXPECT_EQ(test, f->v2->MapIdentityRangeEx(f->dom, RW, &pa),
			STATUS_INVALID_PARAMETER_3);
	KUNIT_EXPECT_EQ(test, f->v2->UnmapIdentityRangeEx(f->dom, &pa), STATUS_INVALID_PARAMETER_2);
	pa.ContiguousRange.Size = PAGE_SIZE;
	KUNIT_EXPECT_EQ(test, f->v2->MapIdentityRangeEx(f->dom, RW, &pa), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, f->v2->MapIdentityRangeEx(f->dom, RW, &pa), STATUS_IN_USE);
	/* unmapping something else is refused and changes nothing */
	KUNIT_EXPECT_EQ(test, f->v2->UnmapIdentityRangeEx(f->dom, &other),
			STATUS_INVALID_PARAMETER_2);
	KUNIT_EXPECT_EQ(test, f->v2->UnmapIdentityRangeEx(f->dom, &pa), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, f->v2->UnmapIdentityRangeEx(f->dom, &pa), STATUS_INVALID_PARAMETER_2);
}

static void identity_dma_test(struct kunit *test)
{
	struct winiommu_test_fx *f = test->priv;
	IOMMU_MAP_PHYSICAL_ADDRESS pa;
	void *src = tok_page(test), *dst = tok_page(test);
	u64 s = virt_to_phys(src), d = virt_to_phys(dst);

	tok_domain(test, DomainTypeTranslate, 0);
	winiommu_test_fx_attach(test, test->priv);
	contig(&pa, src, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, f->v2->MapIdentityRangeEx(f->dom, IOMMU_ACCESS_READ, &pa),
			STATUS_SUCCESS);
	contig(&pa, dst, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, f->v2->MapIdentityRangeEx(f->dom, IOMMU_ACCESS_WRITE, &pa),
			STATUS_SUCCESS);
	memset(src, 0x3c, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, winiommu_test_edu_copy(f->edu, s, d, PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, memcmp(src, dst, PAGE_SIZE), 0);
	/* unmapped: a device write changes nothing */
	KUNIT_ASSERT_EQ(test, f->v2->UnmapIdentityRangeEx(f->dom, &pa), STATUS_SUCCESS);
	memset(dst, 0x5a, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, winiommu_test_edu_copy(f->edu, s, d, PAGE_SIZE), 0);
	KUNIT_EXPECT_FALSE(test, memchr_inv(dst, 0x5a, PAGE_SIZE));
}

/*
 * PassThrough: an identity range recorded before the attach does not hide
 * its RAM from the device (it is bookkeeping only), before and after its
 * unmap.
 */
static void identity_passthrough_test(struct kunit *test)
{
	struct winiommu_test_fx *f = test->priv;
	IOMMU_MAP_PHYSICAL_ADDRESS pa;
	void *src = tok_page(test), *dst = tok_page(test);
	u64 s = virt_to_phys(src), d = virt_to_phys(dst);

	tok_domain(test, DomainTypePassThrough, 0);
	contig(&pa, dst, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, f->v2->MapIdentityRangeEx(f->dom, RW, &pa), STATUS_SUCCESS);
	winiommu_test_fx_attach(test, test->priv);
	memset(src, 0x2d, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, winiommu_test_edu_copy(f->edu, s, d, PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, memcmp(src, dst, PAGE_SIZE), 0);
	KUNIT_ASSERT_EQ(test, f->v2->UnmapIdentityRangeEx(f->dom, &pa), STATUS_SUCCESS);
	memset(src, 0x2e, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, winiommu_test_edu_copy(f->edu, s, d, PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, memcmp(src, dst, PAGE_SIZE), 0);
}

static void identity_v1_test(struct kunit *test)
{
	DMA_IOMMU_INTERFACE v1;
	void *buf = tok_page(test);
	PIOMMU_DMA_DOMAIN d;
	PMDL mdl;

	KUNIT_ASSERT_EQ(test, IoGetIommuInterface(DMA_IOMMU_INTERFACE_VERSION_1, &v1),
			STATUS_SUCCESS);
	if (v1.CreateDomain(TRUE, &d) != STATUS_SUCCESS)
		kunit_skip(test, "no IOMMU on this machine");
	mdl = IoAllocateMdl(buf, PAGE_SIZE, FALSE, FALSE, NULL);
	KUNIT_ASSERT_NOT_NULL(test, mdl);
	MmBuildMdlForNonPagedPool(mdl);
	KUNIT_EXPECT_EQ(test, v1.MapIdentityRange(d, RW, mdl), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, v1.MapIdentityRange(d, RW, mdl), STATUS_IN_USE);
	KUNIT_EXPECT_EQ(test, v1.UnmapIdentityRange(d, mdl), STATUS_SUCCESS);
	IoFreeMdl(mdl);
	KUNIT_EXPECT_EQ(test, v1.DeleteDomain(d), STATUS_SUCCESS);
}

/* ---- flushes ------------------------------------------------------------- */

static void flush_test(struct kunit *test)
{
	struct winiommu_test_fx *f = test->priv;
	IOMMU_DMA_DOMAIN_CREATION_FLAGS flags = {};
	ULONGLONG va[2] = { 0x1000, 0x5000 };
	PIOMMU_DMA_DOMAIN d;

	tok_domain(test, DomainTypeTranslate, 40);
	KUNIT_EXPECT_EQ(test, f->v2->FlushDomain(f->dom), STATUS_INVALID_PARAMETER_1);
	KUNIT_EXPECT_EQ(test, f->v2->FlushDomainByVaList(f->dom, TRUE, 2, va),
			STATUS_INVALID_PARAMETER_1);
	KUNIT_EXPECT_EQ(test, f->v2->FlushDomain(NULL), STATUS_INVALID_PARAMETER_1);
	KUNIT_ASSERT_EQ(test, f->v2->CreateDomainEx(DomainTypeUnmanaged, flags, NULL, NULL, &d),
			STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, f->v2->FlushDomain(d), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, f->v2->FlushDomainByVaList(d, TRUE, 2, va), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, f->v2->FlushDomainByVaList(d, FALSE, 0, NULL), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, f->v2->FlushDomainByVaList(d, FALSE, 2, NULL),
			STATUS_INVALID_PARAMETER_4);
	KUNIT_EXPECT_EQ(test, f->v2->DeleteDomain(d), STATUS_SUCCESS);
}

/* ---- tokens -------------------------------------------------------------- */

static void token_reserve_status_test(struct kunit *test)
{
	struct winiommu_test_fx *f = test->priv;
	PIOMMU_DMA_LOGICAL_ADDRESS_TOKEN tok, t2;
	u64 ex = 0x100000, bad = 0x100100, lo = 0x200000, hi = 0x1fffff, hi2 = 0x203fff;

	tok_domain(test, DomainTypeTranslate, 32);
	memset(&tok, WINIOMMU_TEST_CANARY, sizeof(tok));
	KUNIT_EXPECT_EQ(test, f->v2->ReserveLogicalAddressRange(NULL, PAGE_SIZE, NULL, NULL, NULL,
								&tok), STATUS_INVALID_PARAMETER_1);
	KUNIT_EXPECT_EQ(test, f->v2->ReserveLogicalAddressRange(f->dom, 0, NULL, NULL, NULL, &tok),
			STATUS_INVALID_PARAMETER_2);
	KUNIT_EXPECT_EQ(test, f->v2->ReserveLogicalAddressRange(f->dom, 100, NULL, NULL, NULL,
								&tok), STATUS_INVALID_PARAMETER_2);
	KUNIT_EXPECT_EQ(test, f->v2->ReserveLogicalAddressRange(f->dom, PAGE_SIZE, &bad, NULL, NULL,
								&tok), STATUS_INVALID_PARAMETER_3);
	KUNIT_EXPECT_EQ(test, f->v2->ReserveLogicalAddressRange(f->dom, PAGE_SIZE, NULL, NULL, NULL,
								NULL), STATUS_INVALID_PARAMETER_6);
	KUNIT_EXPECT_EQ(test, f->v2->ReserveLogicalAddressRange(f->dom, PAGE_SIZE, &ex, NULL, NULL,
								&tok), STATUS_NOT_SUPPORTED);
	KUNIT_EXPECT_EQ(test, f->v2->ReserveLogicalAddressRange(f->dom, PAGE_SIZE, NULL, &lo, &hi,
								&tok),
			STATUS_INVALID_PARAMETER_MIX);
	KUNIT_EXPECT_TRUE(test, winiommu_test_untouched(&tok, sizeof(tok)));
	/* exactly the window */
	KUNIT_ASSERT_EQ(test, f->v2->ReserveLogicalAddressRange(f->dom, 4 * PAGE_SIZE, NULL, &lo,
								&hi2, &tok), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, tok->LogicalAddressBase, lo);
	KUNIT_EXPECT_EQ(test, tok->Size, 4 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, f->v2->ReserveLogicalAddressRange(f->dom, PAGE_SIZE, NULL, &lo, &hi2,
								&t2), STATUS_INVALID_PARAMETER_MIX);
	/* a token keeps the domain */
	KUNIT_EXPECT_EQ(test, f->v2->DeleteDomain(f->dom), STATUS_RESOURCE_IN_USE);
	KUNIT_EXPECT_EQ(test, f->v2->FreeReservedLogicalAddressRange(tok), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, f->v2->FreeReservedLogicalAddressRange(tok),
			STATUS_INVALID_PARAMETER_1);
	KUNIT_EXPECT_EQ(test, f->v2->DeleteDomain(f->dom), STATUS_SUCCESS);
	f->dom = NULL;
	/* explicit addresses without an allocator; overlap */
	tok_domain(test, DomainTypeTranslate, 0);
	KUNIT_ASSERT_EQ(test, f->v2->ReserveLogicalAddressRange(f->dom, 2 * PAGE_SIZE, &ex, NULL,
								NULL, &tok), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, tok->LogicalAddressBase, ex);
	ex += PAGE_SIZE;
	KUNIT_EXPECT_EQ(test, f->v2->ReserveLogicalAddressRange(f->dom, PAGE_SIZE, &ex, NULL, NULL,
								&t2), STATUS_IN_USE);
	/* the token's range is not UnmapLogicalRange's business */
	KUNIT_EXPECT_EQ(test, f->v2->UnmapLogicalRange(f->dom, ex, 1), STATUS_INVALID_PARAMETER_2);
	KUNIT_EXPECT_EQ(test, f->v2->ReserveLogicalAddressRange(f->dom, PAGE_SIZE, NULL, NULL, NULL,
								&t2), STATUS_NOT_SUPPORTED);
	KUNIT_EXPECT_EQ(test, f->v2->FreeReservedLogicalAddressRange(tok), STATUS_SUCCESS);
}

static void token_segment_test(struct kunit *test)
{
	struct winiommu_test_fx *f = test->priv;
	IOMMU_DMA_LOGICAL_ADDRESS_TOKEN_MAPPED_SEGMENT seg, seg2, bogus;
	PIOMMU_DMA_LOGICAL_ADDRESS_TOKEN tok;
	IOMMU_MAP_PHYSICAL_ADDRESS pa;
	void *buf = kunit_kzalloc(test, 2 * PAGE_SIZE, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	tok_domain(test, DomainTypeTranslate, 32);
	KUNIT_ASSERT_EQ(test, f->v2->ReserveLogicalAddressRange(f->dom, 8 * PAGE_SIZE, NULL, NULL,
								NULL, &tok), STATUS_SUCCESS);
	contig(&pa, buf, 2 * PAGE_SIZE);
	memset(&seg, WINIOMMU_TEST_CANARY, sizeof(seg));
	KUNIT_EXPECT_EQ(test, f->v2->MapReservedLogicalRange(NULL, 0, RW, &pa, &seg),
			STATUS_INVALID_PARAMETER_1);
	KUNIT_EXPECT_EQ(test, f->v2->MapReservedLogicalRange(tok, 100, RW, &pa, &seg),
			STATUS_INVALID_PARAMETER_2);
	KUNIT_EXPECT_EQ(test, f->v2->MapReservedLogicalRange(tok, 7 * PAGE_SIZE, RW, &pa, &seg),
			STATUS_INVALID_PARAMETER_2);
	KUNIT_EXPECT_EQ(test, f->v2->MapReservedLogicalRange(tok, 0, 4, &pa, &seg),
			STATUS_INVALID_PARAMETER_3);
	KUNIT_EXPECT_EQ(test, f->v2->MapReservedLogicalRange(tok, 0, RW, NULL, &seg),
			STATUS_INVALID_PARAMETER_4);
	KUNIT_EXPECT_EQ(test, f->v2->MapReservedLogicalRange(tok, 0, RW, &pa, NULL),
			STATUS_INVALID_PARAMETER_5);
	KUNIT_EXPECT_TRUE(test, winiommu_test_untouched(&seg, sizeof(seg)));
	/* map at page 2, then again across it */
	KUNIT_ASSERT_EQ(test, f->v2->MapReservedLogicalRange(tok, 2 * PAGE_SIZE, RW, &pa, &seg),
			STATUS_SUCCESS);
	KUNIT_EXPECT_PTR_EQ(test, seg.OwningToken, tok);
	KUNIT_EXPECT_EQ(test, seg.Offset, 2 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, seg.Size, 2 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, f->v2->MapReservedLogicalRange(tok, 3 * PAGE_SIZE, RW, &pa, &seg2),
			STATUS_RESOURCE_IN_USE);
	KUNIT_EXPECT_EQ(test, f->v2->MapReservedLogicalRange(tok, 4 * PAGE_SIZE, RW, &pa, &seg2),
			STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, f->v2->FreeReservedLogicalAddressRange(tok), STATUS_RESOURCE_IN_USE);
	/* a segment that is not one: half of one, or an unmapped range */
	bogus = seg;
	bogus.Size = PAGE_SIZE;
	KUNIT_EXPECT_EQ(test, f->v2->UnmapReservedLogicalRange(&bogus), STATUS_INVALID_PARAMETER);
	bogus.Offset = 0;
	KUNIT_EXPECT_EQ(test, f->v2->UnmapReservedLogicalRange(&bogus), STATUS_INVALID_PARAMETER);
	bogus = seg;
	bogus.Size = 4 * PAGE_SIZE;	/* two segments are not one */
	KUNIT_EXPECT_EQ(test, f->v2->UnmapReservedLogicalRange(&bogus), STATUS_INVALID_PARAMETER);
	KUNIT_EXPECT_EQ(test, f->v2->UnmapReservedLogicalRange(NULL), STATUS_INVALID_PARAMETER);
	KUNIT_EXPECT_EQ(test, f->v2->UnmapReservedLogicalRange(&seg), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, f->v2->UnmapReservedLogicalRange(&seg2), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, f->v2->UnmapReservedLogicalRange(&seg2), STATUS_INVALID_PARAMETER);
	KUNIT_EXPECT_EQ(test, f->v2->FreeReservedLogicalAddressRange(tok), STATUS_SUCCESS);
	/* a freed token maps nothing */
	KUNIT_EXPECT_EQ(test, f->v2->MapReservedLogicalRange(tok, 0, RW, &pa, &seg),
			STATUS_INVALID_PARAMETER_1);
}

static void token_dma_test(struct kunit *test)
{
	struct winiommu_test_fx *f = test->priv;
	IOMMU_DMA_LOGICAL_ADDRESS_TOKEN_MAPPED_SEGMENT src_seg, dst_seg;
	PIOMMU_DMA_LOGICAL_ADDRESS_TOKEN tok;
	IOMMU_MAP_PHYSICAL_ADDRESS pa;
	void *src = tok_page(test), *dst = tok_page(test);
	u64 base;
	int round;

	/* 28 bits: the narrowest edu; reserved before the attach, replayed by it */
	tok_domain(test, DomainTypeTranslate, 28);
	KUNIT_ASSERT_EQ(test, f->v2->ReserveLogicalAddressRange(f->dom, 4 * PAGE_SIZE, NULL, NULL,
								NULL, &tok), STATUS_SUCCESS);
	base = tok->LogicalAddressBase;
	contig(&pa, src, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, f->v2->MapReservedLogicalRange(tok, 0, IOMMU_ACCESS_READ, &pa,
							     &src_seg), STATUS_SUCCESS);
	winiommu_test_fx_attach(test, test->priv);
	contig(&pa, dst, PAGE_SIZE);
	for (round = 0; round < 3; round++) {
		KUNIT_ASSERT_EQ(test, f->v2->MapReservedLogicalRange(tok, 3 * PAGE_SIZE,
								     IOMMU_ACCESS_WRITE, &pa,
								     &dst_seg), STATUS_SUCCESS);
		memset(src, 0x10 + round, PAGE_SIZE);
		memset(dst, 0, PAGE_SIZE);
		KUNIT_ASSERT_EQ(test, winiommu_test_edu_copy(f->edu, base, base + 3 * PAGE_SIZE,
							     PAGE_SIZE), 0);
		KUNIT_EXPECT_EQ(test, memcmp(src, dst, PAGE_SIZE), 0);
		KUNIT_ASSERT_EQ(test, f->v2->UnmapReservedLogicalRange(&dst_seg), STATUS_SUCCESS);
	}
	/* unmapped segment: the write is dropped */
	memset(dst, 0x5a, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, winiommu_test_edu_copy(f->edu, base, base + 3 * PAGE_SIZE, PAGE_SIZE),
			0);
	KUNIT_EXPECT_FALSE(test, memchr_inv(dst, 0x5a, PAGE_SIZE));
	KUNIT_EXPECT_EQ(test, f->v2->UnmapReservedLogicalRange(&src_seg), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, f->v2->FreeReservedLogicalAddressRange(tok), STATUS_SUCCESS);
}

/*
 * An Unmanaged domain's translations come only from the caller's own page
 * tables (ConfigureDomain); until then an attached device reaches nothing,
 * and winiommu's map routines refuse the domain.
 */
static void unmanaged_blocks_dma_test(struct kunit *test)
{
	struct winiommu_test_fx *f = test->priv;
	IOMMU_MAP_PHYSICAL_ADDRESS pa;
	void *src = tok_page(test), *dst = tok_page(test);
	u64 out, ex = 0x100000;

	tok_domain(test, DomainTypeUnmanaged, 0);
	winiommu_test_fx_attach(test, test->priv);
	contig(&pa, dst, PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, f->v2->MapLogicalRangeEx(f->dom, IOMMU_ACCESS_WRITE, &pa, &ex, NULL,
						       NULL, &out), STATUS_INVALID_PARAMETER_1);
	KUNIT_EXPECT_EQ(test, f->v2->MapIdentityRangeEx(f->dom, IOMMU_ACCESS_WRITE, &pa),
			STATUS_INVALID_PARAMETER_1);
	memset(src, 0x42, PAGE_SIZE);
	memset(dst, 0x5a, PAGE_SIZE);
	/* neither at its physical address nor anywhere else */
	KUNIT_ASSERT_EQ(test, winiommu_test_edu_copy(f->edu, virt_to_phys(src), virt_to_phys(dst),
						     PAGE_SIZE), 0);
	KUNIT_EXPECT_FALSE(test, memchr_inv(dst, 0x5a, PAGE_SIZE));
	KUNIT_ASSERT_EQ(test, winiommu_test_edu_copy(f->edu, ex, virt_to_phys(dst), PAGE_SIZE), 0);
	KUNIT_EXPECT_FALSE(test, memchr_inv(dst, 0x5a, PAGE_SIZE));
}

/*
 * The point of a token: mapping and unmapping segments allocates nothing.
 * winiommu's own bookkeeping has no allocation on that path; the IOMMU's
 * page tables for the range were made at reservation.  The range crosses a
 * 2 MiB boundary, and every round maps a segment somewhere new.
 */
static void token_no_alloc_test(struct kunit *test)
{
	struct winiommu_test_fx *f = test->priv;
	IOMMU_DMA_LOGICAL_ADDRESS_TOKEN_MAPPED_SEGMENT seg;
	PIOMMU_DMA_LOGICAL_ADDRESS_TOKEN tok;
	IOMMU_MAP_PHYSICAL_ADDRESS pa;
	void *buf = kunit_kzalloc(test, 3 * PAGE_SIZE, GFP_KERNEL);
	long before, reserved, after;
	u64 npages = (SZ_2M + SZ_64K) / PAGE_SIZE, off;
	int round;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	tok_domain(test, DomainTypeTranslate, 32);
	winiommu_test_fx_attach(test, test->priv);
	before = winiommu_compat_iommu_table_pages();
	KUNIT_ASSERT_EQ(test, f->v2->ReserveLogicalAddressRange(f->dom, npages * PAGE_SIZE, NULL,
								NULL, NULL, &tok), STATUS_SUCCESS);
	reserved = winiommu_compat_iommu_table_pages();
	contig(&pa, buf, 3 * PAGE_SIZE);
	for (round = 0; round < 64; round++) {
		off = ((u64)round * 97) % (npages - 3);
		KUNIT_ASSERT_EQ(test, f->v2->MapReservedLogicalRange(tok, off * PAGE_SIZE, RW, &pa,
								     &seg), STATUS_SUCCESS);
		KUNIT_ASSERT_EQ(test, f->v2->UnmapReservedLogicalRange(&seg), STATUS_SUCCESS);
	}
	after = winiommu_compat_iommu_table_pages();
	kunit_info(test, "IOMMU table pages: %ld before, %ld after reserving, %ld after 64 map/unmap rounds\n",
		   before, reserved, after);
	KUNIT_EXPECT_EQ(test, after, reserved);
	KUNIT_EXPECT_EQ(test, f->v2->FreeReservedLogicalAddressRange(tok), STATUS_SUCCESS);
	if (before < 0)
		kunit_skip(test,
			   "this kernel does not count IOMMU page-table pages (NR_IOMMU_PAGES, 6.11)");
}

static struct kunit_case tok_cases[] = {
	KUNIT_CASE(token_no_alloc_test),
	KUNIT_CASE(unmanaged_blocks_dma_test),
	KUNIT_CASE(identity_status_test),
	KUNIT_CASE(identity_dma_test),
	KUNIT_CASE(identity_passthrough_test),
	KUNIT_CASE(identity_v1_test),
	KUNIT_CASE(flush_test),
	KUNIT_CASE(token_reserve_status_test),
	KUNIT_CASE(token_segment_test),
	KUNIT_CASE(token_dma_test),
	{}
};

struct kunit_suite winiommu_token_suite = {
	.name = "winiommu_token",
	.init = winiommu_test_fx_init,
	.exit = winiommu_test_fx_exit,
	.test_cases = tok_cases,
};
