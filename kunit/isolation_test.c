// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The winiommu authors
 *
 * Isolation, byte for byte, with QEMU's edu device: a logical address the
 * caller has given up, a domain it has left or deleted, and a reserved
 * hole take no device write, and frames that are not RAM are never
 * mapped.  Each case first shows the same transfer landing where the
 * domain allows it, so a write that is dropped is dropped by the IOMMU
 * and not by a broken device.  (The unmap cases of
 * the mapping, token and shadow suites show the rest.)
 */
#include <linux/ioport.h>
#include <linux/mm.h>

#include "winiommu_test.h"
#include "edu.h"

#define RW	(IOMMU_ACCESS_READ | IOMMU_ACCESS_WRITE)
#define FILL	0x5a

static u8 *iso_page(struct kunit *test)
{
	u8 *p = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_TRUE(test, PAGE_ALIGNED(p));
	return p;
}

/* Map one page of RAM; returns its logical address. */
static u64 iso_map(struct kunit *test, void *page, ULONG perm)
{
	struct winiommu_test_fx *f = test->priv;
	IOMMU_MAP_PHYSICAL_ADDRESS pa = {
		.MapType = MapPhysicalAddressTypeContiguousRange,
		.ContiguousRange.Base.QuadPart = virt_to_phys(page),
		.ContiguousRange.Size = PAGE_SIZE,
	};
	u64 out;

	KUNIT_ASSERT_EQ(test, f->v2->MapLogicalRangeEx(f->dom, perm, &pa, NULL, NULL, NULL, &out),
			STATUS_SUCCESS);
	return out;
}

/*
 * A Translate domain with @hole and a 32-bit allocator (or, without
 * @buddy, explicit addresses), the edu attached.
 */
static void iso_setup(struct kunit *test, PIOMMU_DMA_RESERVED_REGION hole, bool buddy)
{
	struct winiommu_test_fx *f = test->priv;

	if (!f->edu)
		kunit_skip(test, "no edu device bound by winiommu_test_edu");
	winiommu_test_fx_domain(test, f, DomainTypeTranslate, buddy ? 32 : 0, hole);
	winiommu_test_fx_attach(test, f);
}

/* Bytes of @p that are not FILL any more. */
static unsigned int iso_changed(const u8 *p)
{
	unsigned int i, n = 0;

	for (i = 0; i < PAGE_SIZE; i++)
		n += p[i] != FILL;
	return n;
}

/*
 * After DetachDeviceEx, and again after DeleteDomain, a device write to
 * the logical address of a page the domain mapped changes nothing.
 */
static void iso_detach_delete_test(struct kunit *test)
{
	struct winiommu_test_fx *f = test->priv;
	u8 *src = iso_page(test), *dst = iso_page(test);
	u64 s, d;

	iso_setup(test, NULL, true);
	s = iso_map(test, src, IOMMU_ACCESS_READ);
	d = iso_map(test, dst, RW);
	memset(src, 0x3c, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, winiommu_test_edu_copy(f->edu, s, d, PAGE_SIZE), 0);
	KUNIT_ASSERT_EQ(test, memcmp(src, dst, PAGE_SIZE), 0);	/* it lands while attached */

	KUNIT_ASSERT_EQ(test, f->v2->DetachDeviceEx(f->dev), STATUS_SUCCESS);
	f->attached = false;
	memset(dst, FILL, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, winiommu_test_edu_dma(f->edu, d, 2048, false), 0);
	KUNIT_EXPECT_EQ_MSG(test, iso_changed(dst), 0, "a write after detach landed");

	KUNIT_ASSERT_EQ(test, f->v2->DeleteDomain(f->dom), STATUS_SUCCESS);
	f->dom = NULL;
	KUNIT_ASSERT_EQ(test, winiommu_test_edu_dma(f->edu, d, 2048, false), 0);
	KUNIT_EXPECT_EQ_MSG(test, iso_changed(dst), 0, "a write after DeleteDomain landed");
}

/*
 * A hole (a reserved region with ShouldMap FALSE) placed at the physical
 * address of a page: were the IOMMU to pass the device's write through
 * untranslated, the page would change; it does not.  Next to the hole the
 * domain still maps and the write lands.
 */
static void iso_hole_test(struct kunit *test)
{
	struct winiommu_test_fx *f = test->priv;
	u8 *src = iso_page(test), *dst = iso_page(test), *victim = iso_page(test);
	IOMMU_DMA_RESERVED_REGION hole = {
		.Base = virt_to_phys(victim),
		.NumberOfPages = 1,
		.ShouldMap = FALSE,
	};
	u64 s, d;

	if (hole.Base >= SZ_4G)
		kunit_skip(test, "the page is above the 32-bit allocator's reach");
	iso_setup(test, &hole, true);
	s = iso_map(test, src, IOMMU_ACCESS_READ);
	d = iso_map(test, dst, RW);
	memset(src, 0x3c, PAGE_SIZE);
	memset(victim, FILL, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, winiommu_test_edu_copy(f->edu, s, d, PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, memcmp(src, dst, PAGE_SIZE), 0);
	KUNIT_ASSERT_EQ(test, winiommu_test_edu_copy(f->edu, s, hole.Base, PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ_MSG(test, iso_changed(victim), 0, "a write into the hole landed");
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(iommu_get_domain_for_dev(&f->edu->pdev->dev),
						 hole.Base), 0);
}

#define ISO_AT		0x100000ULL	/* where the device-memory case maps */
#define ISO_TOKEN_AT	0x200000ULL	/* and reserves */

static int iso_ram_end(struct resource *res, void *arg)
{
	u64 *end = arg;

	*end = max_t(u64, *end, PFN_DOWN(res->end + 1));
	return 0;
}

/* Nothing translates at @iova, nor the page after it. */
static void iso_expect_unmapped(struct kunit *test, u64 iova, const char *what)
{
	struct winiommu_test_fx *f = test->priv;
	struct iommu_domain *ld = iommu_get_domain_for_dev(&f->edu->pdev->dev);

	KUNIT_EXPECT_EQ_MSG(test, iommu_iova_to_phys(ld, iova), 0, "%s: %#llx", what, iova);
	KUNIT_EXPECT_EQ_MSG(test, iommu_iova_to_phys(ld, iova + PAGE_SIZE), 0, "%s: %#llx",
			    what, iova + PAGE_SIZE);
}

/*
 * Frames that are not System RAM are never mapped: another device's
 * registers (edu's own BAR 0), a range running off the end of RAM, a frame
 * past it, and a PFN array or MDL with one such frame among RAM.  Each
 * description goes to MapLogicalRangeEx, MapIdentityRangeEx and
 * MapReservedLogicalRange; each is refused with its documented status,
 * writes no output, and the real IOMMU translates nothing at the address
 * it named.  The same address then maps RAM and takes the device's write.
 */
static void iso_device_memory_test(struct kunit *test)
{
	struct winiommu_test_fx *f = test->priv;
	u8 *page = iso_page(test);
	IOMMU_DMA_LOGICAL_ADDRESS_TOKEN_MAPPED_SEGMENT seg;
	PIOMMU_DMA_LOGICAL_ADDRESS_TOKEN tok;
	IOMMU_MAP_PHYSICAL_ADDRESS pa;
	u64 at = ISO_AT, tok_at = ISO_TOKEN_AT, out, bar, ram_end = 0, before, now;
	PFN_NUMBER pfns[2];
	unsigned int i;
	NTSTATUS st;
	PMDL mdl;
	struct {
		const char *what;
		u64 base;	/* contiguous: first byte; else the array's */
		u64 pages;
		int type;
	} cases[5];

	iso_setup(test, NULL, false);
	bar = pci_resource_start(f->edu->pdev, 0);
	walk_iomem_res_desc(IORES_DESC_NONE, IORESOURCE_SYSTEM_RAM | IORESOURCE_BUSY, 0, -1,
			    &ram_end, iso_ram_end);
	KUNIT_ASSERT_NE(test, ram_end, 0);
	KUNIT_ASSERT_TRUE(test, bar && PAGE_ALIGNED(bar));
	cases[0] = (typeof(cases[0])){ "edu's BAR 0", bar, 1,
				       MapPhysicalAddressTypeContiguousRange };
	cases[1] = (typeof(cases[1])){ "the last page of RAM and the next", PFN_PHYS(ram_end - 1),
				       2, MapPhysicalAddressTypeContiguousRange };
	cases[2] = (typeof(cases[2])){ "the first frame past RAM", PFN_PHYS(ram_end), 1,
				       MapPhysicalAddressTypeContiguousRange };
	cases[3] = (typeof(cases[3])){ "a PFN array of RAM and BAR 0", virt_to_phys(page), 2,
				       MapPhysicalAddressTypePfn };
	cases[4] = (typeof(cases[4])){ "an MDL of RAM and BAR 0", virt_to_phys(page), 2,
				       MapPhysicalAddressTypeMdl };
	pfns[0] = PHYS_PFN(virt_to_phys(page));
	pfns[1] = PHYS_PFN(bar);
	mdl = IoAllocateMdl(page, 2 * PAGE_SIZE, FALSE, FALSE, NULL);
	KUNIT_ASSERT_NOT_NULL(test, mdl);
	MmGetMdlPfnArray(mdl)[0] = pfns[0];
	MmGetMdlPfnArray(mdl)[1] = pfns[1];

	st = f->v2->ReserveLogicalAddressRange(f->dom, 2 * PAGE_SIZE, &tok_at, NULL, NULL, &tok);
	KUNIT_ASSERT_EQ(test, st, STATUS_SUCCESS);
	winiommu_stat_read(WINIOMMU_R_MAP_LOGICAL_RANGE_EX, NULL, NULL, &before);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		memset(&pa, 0, sizeof(pa));
		pa.MapType = cases[i].type;
		if (cases[i].type == MapPhysicalAddressTypeContiguousRange) {
			pa.ContiguousRange.Base.QuadPart = cases[i].base;
			pa.ContiguousRange.Size = cases[i].pages << PAGE_SHIFT;
		} else if (cases[i].type == MapPhysicalAddressTypePfn) {
			pa.PfnArray.PageFrame = pfns;
			pa.PfnArray.NumberOfPages = cases[i].pages;
		} else {
			pa.Mdl.Mdl = mdl;
		}
		out = WINIOMMU_TEST_BAD_ADDR;
		KUNIT_EXPECT_EQ_MSG(test, f->v2->MapLogicalRangeEx(f->dom, RW, &pa, &at, NULL, NULL,
								   &out),
				    STATUS_INVALID_PARAMETER_3, "%s", cases[i].what);
		KUNIT_EXPECT_EQ(test, out, WINIOMMU_TEST_BAD_ADDR);
		KUNIT_EXPECT_EQ_MSG(test, f->v2->MapIdentityRangeEx(f->dom, RW, &pa),
				    STATUS_INVALID_PARAMETER_3, "%s", cases[i].what);
		memset(&seg, WINIOMMU_TEST_CANARY, sizeof(seg));
		KUNIT_EXPECT_EQ_MSG(test, f->v2->MapReservedLogicalRange(tok, 0, RW, &pa, &seg),
				    STATUS_INVALID_PARAMETER_4, "%s", cases[i].what);
		KUNIT_EXPECT_TRUE(test, winiommu_test_untouched(&seg, sizeof(seg)));
		iso_expect_unmapped(test, at, cases[i].what);
		iso_expect_unmapped(test, tok_at, cases[i].what);
		iso_expect_unmapped(test, cases[i].base, cases[i].what);
		iso_expect_unmapped(test, bar, cases[i].what);
	}
	winiommu_stat_read(WINIOMMU_R_MAP_LOGICAL_RANGE_EX, NULL, NULL, &now);
	KUNIT_EXPECT_EQ(test, now, before);
	KUNIT_EXPECT_EQ(test, f->v2->FreeReservedLogicalAddressRange(tok), STATUS_SUCCESS);
	IoFreeMdl(mdl);

	/* the address was free: RAM maps there and the device's write lands */
	memset(page, 0x3c, PAGE_SIZE);
	pa.MapType = MapPhysicalAddressTypeContiguousRange;
	pa.ContiguousRange.Base.QuadPart = virt_to_phys(page);
	pa.ContiguousRange.Size = PAGE_SIZE;
	KUNIT_ASSERT_EQ(test, f->v2->MapLogicalRangeEx(f->dom, RW, &pa, &at, NULL, NULL, &out),
			STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, out, ISO_AT);
	KUNIT_ASSERT_EQ(test, winiommu_test_edu_dma(f->edu, at, 2048, true), 0);
	memset(page, FILL, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, winiommu_test_edu_dma(f->edu, at, 2048, false), 0);
	KUNIT_EXPECT_EQ(test, iso_changed(page), 2048);
	KUNIT_EXPECT_EQ(test, f->v2->UnmapLogicalRange(f->dom, at, 1), STATUS_SUCCESS);
}

static struct kunit_case iso_cases[] = {
	KUNIT_CASE(iso_detach_delete_test),
	KUNIT_CASE(iso_hole_test),
	KUNIT_CASE(iso_device_memory_test),
	{}
};

struct kunit_suite winiommu_isolation_suite = {
	.name = "winiommu_isolation",
	.init = winiommu_test_fx_init,
	.exit = winiommu_test_fx_exit,
	.test_cases = iso_cases,
};
