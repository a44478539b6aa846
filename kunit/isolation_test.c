// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The winiommu authors
 *
 * Isolation, byte for byte, with QEMU's edu device: a logical address the
 * caller has given up, a domain it has left or deleted, and a reserved
 * hole take no device write.  Each case first shows the same transfer
 * landing where the domain allows it, so a write that is dropped is
 * dropped by the IOMMU and not by a broken device.  (The unmap cases of
 * the mapping, token and shadow suites show the rest.)
 */
#include <linux/mm.h>

#include "winiommu_test.h"
#include "edu.h"

#define RW	(IOMMU_ACCESS_READ | IOMMU_ACCESS_WRITE)
#define FILL	0x5a

struct iso_fixture {
	struct winiommu_test_snap snap;
	DMA_IOMMU_INTERFACE_EX ifc;
	DMA_IOMMU_INTERFACE_V2 *v2;
	PIOMMU_DMA_DOMAIN dom;
	PIOMMU_DMA_DEVICE dev;
	struct winiommu_test_edu *edu;
	bool attached;
};

static int iso_init(struct kunit *test)
{
	struct iso_fixture *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, f);
	winiommu_test_snap_take(&f->snap);
	KUNIT_ASSERT_EQ(test, IoGetIommuInterfaceEx(DMA_IOMMU_INTERFACE_EX_VERSION_2, 0, &f->ifc),
			STATUS_SUCCESS);
	f->v2 = &f->ifc.V2;
	f->edu = winiommu_test_edu_get();
	test->priv = f;
	return 0;
}

static void iso_exit(struct kunit *test)
{
	struct iso_fixture *f = test->priv;

	if (f->attached)
		KUNIT_EXPECT_EQ(test, f->v2->DetachDeviceEx(f->dev), STATUS_SUCCESS);
	if (f->dom)
		KUNIT_EXPECT_EQ(test, f->v2->DeleteDomain(f->dom), STATUS_SUCCESS);
	if (f->dev)
		KUNIT_EXPECT_EQ(test, f->v2->DeleteDevice(f->dev), STATUS_SUCCESS);
	winiommu_test_snap_check(test, &f->snap);
}

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
	struct iso_fixture *f = test->priv;
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

/* A Translate domain with a 32-bit allocator and @hole, the edu attached. */
static void iso_setup(struct kunit *test, PIOMMU_DMA_RESERVED_REGION hole)
{
	struct iso_fixture *f = test->priv;
	IOMMU_DMA_LOGICAL_ALLOCATOR_CONFIG buddy = {
		.LogicalAllocatorType = IommuDmaLogicalAllocatorBuddy,
		.BuddyAllocatorConfig.AddressWidth = 32,
	};
	IOMMU_DMA_DOMAIN_CREATION_FLAGS flags = {};
	NTSTATUS st;

	if (!f->edu)
		kunit_skip(test, "no edu device bound by winiommu_test_edu");
	st = f->v2->CreateDomainEx(DomainTypeTranslate, flags, &buddy, hole, &f->dom);
	if (st == STATUS_NOT_SUPPORTED)
		kunit_skip(test, "no IOMMU on this machine");
	KUNIT_ASSERT_EQ(test, st, STATUS_SUCCESS);
	KUNIT_ASSERT_EQ(test, f->v2->CreateDevice(&f->edu->pdev->dev, NULL, &f->dev),
			STATUS_SUCCESS);
	KUNIT_ASSERT_EQ(test, f->v2->AttachDeviceEx(f->dom, f->dev), STATUS_SUCCESS);
	f->attached = true;
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
	struct iso_fixture *f = test->priv;
	u8 *src = iso_page(test), *dst = iso_page(test);
	u64 s, d;

	iso_setup(test, NULL);
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
	struct iso_fixture *f = test->priv;
	u8 *src = iso_page(test), *dst = iso_page(test), *victim = iso_page(test);
	IOMMU_DMA_RESERVED_REGION hole = {
		.Base = virt_to_phys(victim),
		.NumberOfPages = 1,
		.ShouldMap = FALSE,
	};
	u64 s, d;

	if (hole.Base >= SZ_4G)
		kunit_skip(test, "the page is above the 32-bit allocator's reach");
	iso_setup(test, &hole);
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

static struct kunit_case iso_cases[] = {
	KUNIT_CASE(iso_detach_delete_test),
	KUNIT_CASE(iso_hole_test),
	{}
};

struct kunit_suite winiommu_isolation_suite = {
	.name = "winiommu_isolation",
	.init = iso_init,
	.exit = iso_exit,
	.test_cases = iso_cases,
};
