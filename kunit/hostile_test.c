// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The winiommu authors
 *
 * Hostile input: what a broken or malicious port may pass, through the V3
 * table.  Every handle position gets NULL, freed handles of every kind,
 * live handles of the wrong kind and values that are no handle at all;
 * sizes and page counts near 2^64 and ranges that wrap; frames whose
 * address does not fit a phys_addr_t; MDLs whose byte count runs past
 * their PFN array; enums out of range.  Every call must return its
 * documented status, write no output and map nothing: the mock IOMMU's
 * page tables and winiommu's books stay as they were, and KASAN (in the
 * debug kernel) sees no access outside what the caller handed in.
 */
#include <linux/device.h>
#include <linux/err.h>
#include <linux/mm.h>
#include <linux/random.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include "winiommu_test.h"
#include "backend.h"
#include "mock_backend.h"

#define HX_PASIDS	16
#define HX_WIDTH	32
#define HX_TOKEN_SIZE	SZ_1M
#define HX_EXPLICIT	0x100000ULL	/* where the explicit domain maps */

/**
 * struct hx_fixture - live objects of every kind, and freed ones.
 * @snap: the leak check.
 * @ex: the V3 table.
 * @t: &@ex.V3.
 * @md: the mock device (PASID-capable) and a second one.
 * @dom: a live Translate domain with an allocator, @md[0] attached.
 * @dom_x: a live Translate domain without one (explicit addresses).
 * @dev: the DMA device of @md[0].
 * @tok: a live token of @dom.
 * @pdev: a live PASID device of @dev.
 * @freed: a domain, a device, a token and a PASID device, each deleted.
 * @page: a page the cases map.
 * @pages: pages mapped in @md[0]'s Linux domain after the setup.
 */
struct hx_fixture {
	struct winiommu_test_snap snap;
	DMA_IOMMU_INTERFACE_EX ex;
	const DMA_IOMMU_INTERFACE_V3 *t;
	struct mock_dev *md[2];
	PIOMMU_DMA_DOMAIN dom;
	PIOMMU_DMA_DOMAIN dom_x;
	PIOMMU_DMA_DEVICE dev;
	PIOMMU_DMA_LOGICAL_ADDRESS_TOKEN tok;
	PIOMMU_DMA_PASID_DEVICE pdev;
	void *freed[4];
	struct page *page;
	unsigned long pages;
};

static NTSTATUS hx_create_domain(struct kunit *test, bool alloc, PIOMMU_DMA_DOMAIN *out)
{
	struct hx_fixture *f = test->priv;
	IOMMU_DMA_DOMAIN_CREATION_FLAGS flags = {};
	IOMMU_DMA_LOGICAL_ALLOCATOR_CONFIG buddy = {
		.LogicalAllocatorType = IommuDmaLogicalAllocatorBuddy,
		.BuddyAllocatorConfig.AddressWidth = HX_WIDTH,
	};

	return f->t->CreateDomainEx(DomainTypeTranslate, flags, alloc ? &buddy : NULL, NULL, out);
}

static struct mock_dev *hx_mdev(struct kunit *test, const char *name)
{
	struct mock_dev *md = winiommu_mock_dev_add(test, name, 0);

	KUNIT_ASSERT_NOT_NULL(test, md);
	md->max_pasids = HX_PASIDS;
	return md;
}

static int hx_init(struct kunit *test)
{
	struct hx_fixture *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);

	if (!f)
		return -ENOMEM;
	return winiommu_mock_case_init(test, f, &f->ex, &f->t, &f->snap);
}

static void hx_exit(struct kunit *test)
{
	struct hx_fixture *f = test->priv;
	struct winiommu_mock *m = &winiommu_mock;
	unsigned int i;

	if (f->pdev)
		KUNIT_EXPECT_EQ(test, f->t->DeletePasidDevice(f->pdev), STATUS_SUCCESS);
	if (f->tok)
		KUNIT_EXPECT_EQ(test, f->t->FreeReservedLogicalAddressRange(f->tok),
				STATUS_SUCCESS);
	if (f->dev) {
		f->t->DetachDeviceEx(f->dev);
		KUNIT_EXPECT_EQ(test, f->t->DeleteDevice(f->dev), STATUS_SUCCESS);
	}
	if (f->dom)
		KUNIT_EXPECT_EQ(test, f->t->DeleteDomain(f->dom), STATUS_SUCCESS);
	if (f->dom_x)
		KUNIT_EXPECT_EQ(test, f->t->DeleteDomain(f->dom_x), STATUS_SUCCESS);
	for (i = 0; i < ARRAY_SIZE(f->md); i++)
		if (f->md[i])
			winiommu_mock_dev_remove(f->md[i]);
	if (f->page)
		__free_page(f->page);
	KUNIT_EXPECT_EQ_MSG(test, m->violations, 0, "%s", m->why);
	KUNIT_EXPECT_EQ(test, m->claims, m->releases);
	KUNIT_EXPECT_EQ(test, m->live_domains, 0);
	KUNIT_EXPECT_EQ(test, m->group_gets, m->group_puts);
	KUNIT_EXPECT_EQ(test, m->pasid_allocs, m->pasid_frees);
	winiommu_test_snap_check(test, &f->snap);
}

/*
 * Live objects of every kind, then one of each kind made and deleted: the
 * freed handles.  Nothing is created after this, so no freed handle's
 * memory can become a live object of the case.
 */
static void hx_objects(struct kunit *test)
{
	IOMMU_DEVICE_CREATION_CONFIGURATION cfg = {
		.ConfigType = IommuDeviceCreationConfigTypePasid,
		.Pasid.ConfigType = PasidConfigTypePasidTaggedDma,
	};
	struct hx_fixture *f = test->priv;
	PIOMMU_DMA_LOGICAL_ADDRESS_TOKEN tok;
	PIOMMU_DMA_PASID_DEVICE pdev;
	PIOMMU_DMA_DOMAIN dom;
	PIOMMU_DMA_DEVICE dev;
	ULONG asid;
	NTSTATUS st;

	f->page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	KUNIT_ASSERT_NOT_NULL(test, f->page);
	st = hx_create_domain(test, true, &f->dom);
	if (st == STATUS_NOT_SUPPORTED)
		kunit_skip(test, "CreateDomainEx refuses domains on a machine without IOMMU");
	KUNIT_ASSERT_EQ(test, st, STATUS_SUCCESS);
	KUNIT_ASSERT_EQ(test, hx_create_domain(test, false, &f->dom_x), STATUS_SUCCESS);
	f->md[0] = hx_mdev(test, "winiommu-hostile-0");
	f->md[1] = hx_mdev(test, "winiommu-hostile-1");
	KUNIT_ASSERT_EQ(test, f->t->CreateDevice(f->md[0]->dev, &cfg, &f->dev), STATUS_SUCCESS);
	KUNIT_ASSERT_EQ(test, f->t->AttachDeviceEx(f->dom, f->dev), STATUS_SUCCESS);
	KUNIT_ASSERT_EQ(test, f->t->ReserveLogicalAddressRange(f->dom, HX_TOKEN_SIZE, NULL, NULL,
							       NULL, &f->tok), STATUS_SUCCESS);
	KUNIT_ASSERT_EQ(test, f->t->CreatePasidDevice(f->dev, &f->pdev, &asid), STATUS_SUCCESS);

	KUNIT_ASSERT_EQ(test, hx_create_domain(test, true, &dom), STATUS_SUCCESS);
	KUNIT_ASSERT_EQ(test, f->t->ReserveLogicalAddressRange(dom, HX_TOKEN_SIZE, NULL, NULL,
							       NULL, &tok), STATUS_SUCCESS);
	KUNIT_ASSERT_EQ(test, f->t->CreateDevice(f->md[1]->dev, &cfg, &dev), STATUS_SUCCESS);
	KUNIT_ASSERT_EQ(test, f->t->CreatePasidDevice(dev, &pdev, &asid), STATUS_SUCCESS);
	KUNIT_ASSERT_EQ(test, f->t->DeletePasidDevice(pdev), STATUS_SUCCESS);
	KUNIT_ASSERT_EQ(test, f->t->DeleteDevice(dev), STATUS_SUCCESS);
	KUNIT_ASSERT_EQ(test, f->t->FreeReservedLogicalAddressRange(tok), STATUS_SUCCESS);
	KUNIT_ASSERT_EQ(test, f->t->DeleteDomain(dom), STATUS_SUCCESS);
	f->freed[0] = dom;
	f->freed[1] = dev;
	f->freed[2] = tok;
	f->freed[3] = pdev;
	f->pages = f->md[0]->attached->pages;
}

/* Nothing reached the IOMMU: the device's Linux domain holds what it held. */
static void hx_expect_nothing_mapped(struct kunit *test, const char *what)
{
	struct hx_fixture *f = test->priv;

	KUNIT_EXPECT_EQ_MSG(test, f->md[0]->attached->pages, f->pages, "%s", what);
	KUNIT_EXPECT_EQ_MSG(test, winiommu_mock.violations, 0, "%s: %s", what, winiommu_mock.why);
}

/* ---- handles ---------------------------------------------------------------------- */

static void hx_state_cb(PIOMMU_INTERFACE_STATE_CHANGE change, PVOID context)
{
}

/* Every routine that takes a domain, given @h where the domain goes. */
static void hx_bad_domain(struct kunit *test, PIOMMU_DMA_DOMAIN h, unsigned int i)
{
	struct hx_fixture *f = test->priv;
	IOMMU_MAP_PHYSICAL_ADDRESS pa = {
		.MapType = MapPhysicalAddressTypeContiguousRange,
		.ContiguousRange.Base.QuadPart = page_to_phys(f->page),
		.ContiguousRange.Size = PAGE_SIZE,
	};
	IOMMU_DMA_LOGICAL_ADDRESS addr = WINIOMMU_TEST_BAD_ADDR, explicit = HX_EXPLICIT;
	DOMAIN_CONFIGURATION cfg = { .Type = DomainConfigurationArm64 };
	PIOMMU_DMA_LOGICAL_ADDRESS_TOKEN tok = (void *)WINIOMMU_TEST_BAD_DOMAIN;
	ULONGLONG va = HX_EXPLICIT;

	KUNIT_EXPECT_EQ_MSG(test, f->t->DeleteDomain(h), STATUS_INVALID_PARAMETER_1, "handle %u",
			    i);
	KUNIT_EXPECT_EQ_MSG(test, f->t->AttachDeviceEx(h, f->dev), STATUS_INVALID_PARAMETER_1,
			    "handle %u", i);
	KUNIT_EXPECT_EQ_MSG(test, f->t->FlushDomain(h), STATUS_INVALID_PARAMETER_1, "handle %u", i);
	KUNIT_EXPECT_EQ_MSG(test, f->t->FlushDomainByVaList(h, TRUE, 1, &va),
			    STATUS_INVALID_PARAMETER_1, "handle %u", i);
	KUNIT_EXPECT_EQ_MSG(test, f->t->MapLogicalRangeEx(h, IOMMU_ACCESS_READ, &pa, NULL, NULL,
							  NULL, &addr),
			    STATUS_INVALID_PARAMETER_1, "handle %u", i);
	KUNIT_EXPECT_EQ_MSG(test, f->t->MapLogicalRangeEx(h, IOMMU_ACCESS_READ, &pa, &explicit,
							  NULL, NULL, &addr),
			    STATUS_INVALID_PARAMETER_1, "handle %u", i);
	KUNIT_EXPECT_EQ(test, addr, WINIOMMU_TEST_BAD_ADDR);
	KUNIT_EXPECT_EQ_MSG(test, f->t->UnmapLogicalRange(h, HX_EXPLICIT, 1),
			    STATUS_INVALID_PARAMETER_1, "handle %u", i);
	KUNIT_EXPECT_EQ_MSG(test, f->t->MapIdentityRangeEx(h, IOMMU_ACCESS_READ, &pa),
			    STATUS_INVALID_PARAMETER_1, "handle %u", i);
	KUNIT_EXPECT_EQ_MSG(test, f->t->UnmapIdentityRangeEx(h, &pa), STATUS_INVALID_PARAMETER_1,
			    "handle %u", i);
	KUNIT_EXPECT_EQ_MSG(test, f->t->ConfigureDomain(h, &cfg), STATUS_INVALID_PARAMETER_1,
			    "handle %u", i);
	KUNIT_EXPECT_EQ_MSG(test, f->t->ReserveLogicalAddressRange(h, HX_TOKEN_SIZE, NULL, NULL,
								   NULL, &tok),
			    STATUS_INVALID_PARAMETER_1, "handle %u", i);
	KUNIT_EXPECT_PTR_EQ(test, tok, (void *)WINIOMMU_TEST_BAD_DOMAIN);
	KUNIT_EXPECT_EQ_MSG(test, f->t->AttachPasidDevice(h, f->pdev), STATUS_INVALID_PARAMETER_1,
			    "handle %u", i);
}

/* Every routine that takes a DMA device, given @h. */
static void hx_bad_device(struct kunit *test, PIOMMU_DMA_DEVICE h, unsigned int i)
{
	struct hx_fixture *f = test->priv;
	IOMMU_INTERFACE_STATE_CHANGE_FIELDS fields = { .AsULONG = 1 };
	PIOMMU_DMA_PASID_DEVICE pdev = (void *)WINIOMMU_TEST_BAD_DOMAIN;
	IOMMU_DMA_DEVICE_INFORMATION info;
	ULONG mask = 0xa5a5a5a5, asid = 0xa5a5a5a5, written = 0xa5a5a5a5;

	KUNIT_EXPECT_EQ_MSG(test, f->t->AttachDeviceEx(f->dom_x, h), STATUS_INVALID_PARAMETER_2,
			    "handle %u", i);
	KUNIT_EXPECT_EQ_MSG(test, f->t->DetachDeviceEx(h), STATUS_INVALID_PARAMETER_1, "handle %u",
			    i);
	KUNIT_EXPECT_EQ_MSG(test, f->t->DeleteDevice(h), STATUS_INVALID_PARAMETER_1, "handle %u",
			    i);
	f->t->QueryAvailableDomainTypes(h, &mask);
	KUNIT_EXPECT_EQ_MSG(test, mask, 0xa5a5a5a5, "handle %u", i);
	KUNIT_EXPECT_EQ_MSG(test, f->t->RegisterInterfaceStateChangeCallback(hx_state_cb, NULL, h,
									     &fields),
			    STATUS_INVALID_PARAMETER_3, "handle %u", i);
	KUNIT_EXPECT_EQ_MSG(test, f->t->UnregisterInterfaceStateChangeCallback(hx_state_cb, h),
			    STATUS_UNSUCCESSFUL, "handle %u", i);
	KUNIT_EXPECT_EQ_MSG(test, f->t->CreatePasidDevice(h, &pdev, &asid),
			    STATUS_INVALID_PARAMETER_1, "handle %u", i);
	KUNIT_EXPECT_PTR_EQ(test, pdev, (void *)WINIOMMU_TEST_BAD_DOMAIN);
	KUNIT_EXPECT_EQ(test, asid, 0xa5a5a5a5);
	memset(&info, WINIOMMU_TEST_CANARY, sizeof(info));
	KUNIT_EXPECT_EQ_MSG(test, f->t->QueryDeviceInfo(h, sizeof(info), &written, &info),
			    STATUS_INVALID_PARAMETER_1, "handle %u", i);
	KUNIT_EXPECT_EQ(test, written, 0xa5a5a5a5);
	KUNIT_EXPECT_TRUE(test, winiommu_test_untouched(&info, sizeof(info)));
}

/* Every routine that takes a token, given @h. */
static void hx_bad_token(struct kunit *test, PIOMMU_DMA_LOGICAL_ADDRESS_TOKEN h, unsigned int i)
{
	struct hx_fixture *f = test->priv;
	IOMMU_MAP_PHYSICAL_ADDRESS pa = {
		.MapType = MapPhysicalAddressTypeContiguousRange,
		.ContiguousRange.Base.QuadPart = page_to_phys(f->page),
		.ContiguousRange.Size = PAGE_SIZE,
	};
	IOMMU_DMA_LOGICAL_ADDRESS_TOKEN_MAPPED_SEGMENT seg;

	KUNIT_EXPECT_EQ_MSG(test, f->t->FreeReservedLogicalAddressRange(h),
			    STATUS_INVALID_PARAMETER_1, "handle %u", i);
	memset(&seg, WINIOMMU_TEST_CANARY, sizeof(seg));
	KUNIT_EXPECT_EQ_MSG(test, f->t->MapReservedLogicalRange(h, 0, IOMMU_ACCESS_READ, &pa, &seg),
			    STATUS_INVALID_PARAMETER_1, "handle %u", i);
	KUNIT_EXPECT_TRUE(test, winiommu_test_untouched(&seg, sizeof(seg)));
	seg.OwningToken = h;
	seg.Offset = 0;
	seg.Size = PAGE_SIZE;
	KUNIT_EXPECT_EQ_MSG(test, f->t->UnmapReservedLogicalRange(&seg), STATUS_INVALID_PARAMETER,
			    "handle %u", i);
	KUNIT_EXPECT_PTR_EQ(test, seg.OwningToken, h);
}

/* Every routine that takes a PASID device, given @h. */
static void hx_bad_pasid(struct kunit *test, PIOMMU_DMA_PASID_DEVICE h, unsigned int i)
{
	struct hx_fixture *f = test->priv;

	KUNIT_EXPECT_EQ_MSG(test, f->t->AttachPasidDevice(f->dom_x, h), STATUS_INVALID_PARAMETER_2,
			    "handle %u", i);
	KUNIT_EXPECT_EQ_MSG(test, f->t->DetachPasidDevice(h), STATUS_INVALID_PARAMETER_1,
			    "handle %u", i);
	KUNIT_EXPECT_EQ_MSG(test, f->t->DeletePasidDevice(h), STATUS_INVALID_PARAMETER_1,
			    "handle %u", i);
}

/*
 * NULL, freed handles, live ones of every other kind and values that are
 * no handle (the registry is consulted before anything is dereferenced),
 * in every handle position of the V3 table.
 */
static void hostile_handles_test(struct kunit *test)
{
	struct hx_fixture *f = test->priv;
	unsigned long stack_word = 0;
	void *bad[20];
	unsigned int n = 0, i;

	hx_objects(test);
	bad[n++] = NULL;
	for (i = 0; i < ARRAY_SIZE(f->freed); i++)
		bad[n++] = f->freed[i];
	bad[n++] = f->dom;
	bad[n++] = f->dom_x;
	bad[n++] = f->dev;
	bad[n++] = f->tok;
	bad[n++] = f->pdev;
	bad[n++] = f->md[0]->dev;		/* a struct device, not a DMA device */
	bad[n++] = &stack_word;
	bad[n++] = (void *)1;
	bad[n++] = (void *)0xdeadbeefUL;
	bad[n++] = ERR_PTR(-ENOMEM);
	bad[n++] = (void *)~0UL;
	bad[n++] = (u8 *)f->dom + 8;		/* inside a live object */
	bad[n++] = (void *)(get_random_long() | 1);
	bad[n++] = (void *)(get_random_long() & PAGE_MASK);

	for (i = 0; i < n; i++) {
		if (bad[i] != f->dom && bad[i] != f->dom_x)
			hx_bad_domain(test, bad[i], i);
		if (bad[i] != f->dev)
			hx_bad_device(test, bad[i], i);
		if (bad[i] != f->tok)
			hx_bad_token(test, bad[i], i);
		if (bad[i] != f->pdev)
			hx_bad_pasid(test, bad[i], i);
	}
	kunit_info(test, "%u bad handles in every handle position of 21 routines\n", n);
	hx_expect_nothing_mapped(test, "after the bad handles");
	/* the live objects still work */
	KUNIT_EXPECT_EQ(test, f->t->AttachPasidDevice(f->dom, f->pdev), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, f->t->DetachPasidDevice(f->pdev), STATUS_SUCCESS);
}

/* ---- sizes near 2^64, wrapping ranges, frames without an address -------------------- */

static void hostile_sizes_test(struct kunit *test)
{
	struct hx_fixture *f = test->priv;
	IOMMU_DMA_LOGICAL_ADDRESS addr = WINIOMMU_TEST_BAD_ADDR, explicit;
	IOMMU_DMA_LOGICAL_ADDRESS_TOKEN_MAPPED_SEGMENT seg;
	PIOMMU_DMA_LOGICAL_ADDRESS_TOKEN tok;
	IOMMU_MAP_PHYSICAL_ADDRESS pa = {
		.MapType = MapPhysicalAddressTypeContiguousRange,
	};
	PFN_NUMBER pfns[2];
	unsigned long start = jiffies;
	static const u64 sizes[] = {
		1ULL << 63, U64_MAX & PAGE_MASK, 1ULL << 52, (1ULL << 44) + PAGE_SIZE,
	};
	unsigned int i;

	hx_objects(test);
	pfns[0] = page_to_pfn(f->page);
	pfns[1] = pfns[0] + 1;

	/*
	 * contiguous ranges of any size are one run: refused at once (no RAM
	 * is that large), not walked; from a RAM page too
	 */
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		NTSTATUS st;

		pa.ContiguousRange.Base.QuadPart = 0;
		pa.ContiguousRange.Size = sizes[i];
		st = f->t->MapLogicalRangeEx(f->dom, IOMMU_ACCESS_READ, &pa, NULL, NULL, NULL,
					     &addr);
		KUNIT_EXPECT_EQ_MSG(test, st, STATUS_INVALID_PARAMETER_3, "size %#llx", sizes[i]);
		pa.ContiguousRange.Base.QuadPart = page_to_phys(f->page);
		st = f->t->MapLogicalRangeEx(f->dom, IOMMU_ACCESS_READ, &pa, NULL, NULL, NULL,
					     &addr);
		KUNIT_EXPECT_EQ_MSG(test, st, STATUS_INVALID_PARAMETER_3, "size %#llx", sizes[i]);
		pa.ContiguousRange.Base.QuadPart = PAGE_SIZE;
		explicit = U64_MAX & PAGE_MASK;
		KUNIT_EXPECT_NE(test, f->t->MapLogicalRangeEx(f->dom_x, IOMMU_ACCESS_READ, &pa,
							      &explicit, NULL, NULL, &addr),
				STATUS_SUCCESS);
		st = f->t->UnmapLogicalRange(f->dom, PAGE_SIZE, sizes[i] >> PAGE_SHIFT);
		KUNIT_EXPECT_TRUE_MSG(test, st == STATUS_INVALID_PARAMETER_2 ||
				      st == STATUS_INVALID_PARAMETER_3, "unmap of %#llx: %#x",
				      sizes[i], st);
		/* a token that big has no books: refused, without a warning */
		KUNIT_EXPECT_EQ_MSG(test, f->t->ReserveLogicalAddressRange(f->dom, sizes[i], NULL,
									   NULL, NULL, &tok),
				    STATUS_INSUFFICIENT_RESOURCES, "token of %#llx", sizes[i]);
		explicit = PAGE_SIZE;
		KUNIT_EXPECT_NE(test, f->t->ReserveLogicalAddressRange(f->dom_x, sizes[i],
								       &explicit, NULL, NULL,
								       &tok),
				STATUS_SUCCESS);
	}
	KUNIT_EXPECT_LT_MSG(test, jiffies - start, (unsigned long)(30 * HZ),
			    "huge sizes took %u ms", jiffies_to_msecs(jiffies - start));
	KUNIT_EXPECT_EQ(test, addr, WINIOMMU_TEST_BAD_ADDR);

	/* page counts past 2^52: 2^64 bytes or more, whatever the array holds */
	pa.MapType = MapPhysicalAddressTypePfn;
	pa.PfnArray.PageFrame = pfns;
	pa.PfnArray.NumberOfPages = (1ULL << 52) + 1;
	KUNIT_EXPECT_EQ(test, f->t->MapLogicalRangeEx(f->dom, IOMMU_ACCESS_READ, &pa, NULL, NULL,
						      NULL, &addr), STATUS_INVALID_PARAMETER_3);
	pa.PfnArray.NumberOfPages = U64_MAX;
	KUNIT_EXPECT_EQ(test, f->t->MapLogicalRangeEx(f->dom, IOMMU_ACCESS_READ, &pa, NULL, NULL,
						      NULL, &addr), STATUS_INVALID_PARAMETER_3);
	KUNIT_EXPECT_EQ(test, f->t->MapReservedLogicalRange(f->tok, 0, IOMMU_ACCESS_READ, &pa,
							    &seg), STATUS_INVALID_PARAMETER_2);
	KUNIT_EXPECT_EQ(test, f->t->UnmapLogicalRange(f->dom, PAGE_SIZE, U64_MAX),
			STATUS_INVALID_PARAMETER_3);
	KUNIT_EXPECT_EQ(test, f->t->UnmapLogicalRange(f->dom, U64_MAX & PAGE_MASK, 2),
			STATUS_INVALID_PARAMETER_3);

	/* a frame whose address does not fit a phys_addr_t aliases a real page */
	pfns[1] = pfns[0] + PHYS_PFN(PHYS_ADDR_MAX) + 1;
	pa.PfnArray.NumberOfPages = 2;
	KUNIT_EXPECT_EQ(test, f->t->MapLogicalRangeEx(f->dom, IOMMU_ACCESS_READ, &pa, NULL, NULL,
						      NULL, &addr), STATUS_INVALID_PARAMETER_3);
	KUNIT_EXPECT_EQ(test, f->t->MapReservedLogicalRange(f->tok, 0, IOMMU_ACCESS_READ, &pa,
							    &seg), STATUS_INVALID_PARAMETER_4);
	pfns[0] = U64_MAX;
	pa.PfnArray.NumberOfPages = 1;
	KUNIT_EXPECT_EQ(test, f->t->MapLogicalRangeEx(f->dom, IOMMU_ACCESS_READ, &pa, NULL, NULL,
						      NULL, &addr), STATUS_INVALID_PARAMETER_3);

	/* offsets and segments past the token or 2^64 */
	pa.MapType = MapPhysicalAddressTypeContiguousRange;
	pa.ContiguousRange.Base.QuadPart = page_to_phys(f->page);
	pa.ContiguousRange.Size = PAGE_SIZE;
	KUNIT_EXPECT_EQ(test, f->t->MapReservedLogicalRange(f->tok, U64_MAX & PAGE_MASK,
							    IOMMU_ACCESS_READ, &pa, &seg),
			STATUS_INVALID_PARAMETER_2);
	seg.OwningToken = f->tok;
	seg.Offset = PAGE_SIZE;
	seg.Size = U64_MAX & PAGE_MASK;
	KUNIT_EXPECT_EQ(test, f->t->UnmapReservedLogicalRange(&seg), STATUS_INVALID_PARAMETER);
	seg.Offset = U64_MAX & PAGE_MASK;
	seg.Size = 2 * PAGE_SIZE;
	KUNIT_EXPECT_EQ(test, f->t->UnmapReservedLogicalRange(&seg), STATUS_INVALID_PARAMETER);
	hx_expect_nothing_mapped(test, "after the huge sizes");
	KUNIT_EXPECT_EQ(test, addr, WINIOMMU_TEST_BAD_ADDR);
}

/* ---- MDLs that lie -------------------------------------------------------------------- */

/*
 * An MDL for one page whose ByteCount claims 64: reading 64 frames would
 * run past its PFN array (KASAN reports it in the debug kernel).  And an
 * offset, a partial page, no bytes.
 */
static void hostile_mdl_test(struct kunit *test)
{
	struct hx_fixture *f = test->priv;
	IOMMU_DMA_LOGICAL_ADDRESS addr = WINIOMMU_TEST_BAD_ADDR, explicit = HX_EXPLICIT;
	IOMMU_DMA_LOGICAL_ADDRESS_TOKEN_MAPPED_SEGMENT seg;
	IOMMU_MAP_PHYSICAL_ADDRESS pa = { .MapType = MapPhysicalAddressTypeMdl };
	static const ULONG counts[] = { 64 * PAGE_SIZE, PAGE_SIZE / 2, 0, 2 * PAGE_SIZE + 1 };
	unsigned int i;
	PMDL mdl;

	hx_objects(test);
	mdl = IoAllocateMdl(page_address(f->page), PAGE_SIZE, FALSE, FALSE, NULL);
	KUNIT_ASSERT_NOT_NULL(test, mdl);
	MmBuildMdlForNonPagedPool(mdl);
	pa.Mdl.Mdl = mdl;
	for (i = 0; i < ARRAY_SIZE(counts); i++) {
		mdl->ByteCount = counts[i];
		KUNIT_EXPECT_EQ_MSG(test, f->t->MapLogicalRangeEx(f->dom, IOMMU_ACCESS_READ, &pa,
								  NULL, NULL, NULL, &addr),
				    STATUS_INVALID_PARAMETER_3, "ByteCount %u", counts[i]);
		KUNIT_EXPECT_EQ_MSG(test, f->t->MapLogicalRangeEx(f->dom_x, IOMMU_ACCESS_READ, &pa,
								  &explicit, NULL, NULL, &addr),
				    STATUS_INVALID_PARAMETER_3, "ByteCount %u", counts[i]);
		KUNIT_EXPECT_EQ_MSG(test,
				    f->t->MapIdentityRangeEx(f->dom_x, IOMMU_ACCESS_READ, &pa),
				    STATUS_INVALID_PARAMETER_3, "ByteCount %u", counts[i]);
		KUNIT_EXPECT_EQ_MSG(test, f->t->MapReservedLogicalRange(f->tok, 0,
									IOMMU_ACCESS_READ, &pa,
									&seg),
				    STATUS_INVALID_PARAMETER_4, "ByteCount %u", counts[i]);
	}
	mdl->ByteCount = PAGE_SIZE;
	mdl->ByteOffset = 8;
	KUNIT_EXPECT_EQ(test, f->t->MapLogicalRangeEx(f->dom, IOMMU_ACCESS_READ, &pa, NULL, NULL,
						      NULL, &addr), STATUS_INVALID_PARAMETER_3);
	mdl->ByteOffset = 0;
	pa.Mdl.Mdl = NULL;
	KUNIT_EXPECT_EQ(test, f->t->MapLogicalRangeEx(f->dom, IOMMU_ACCESS_READ, &pa, NULL, NULL,
						      NULL, &addr), STATUS_INVALID_PARAMETER_3);
	KUNIT_EXPECT_EQ(test, addr, WINIOMMU_TEST_BAD_ADDR);
	hx_expect_nothing_mapped(test, "after the MDLs");
	/* the honest MDL still maps */
	pa.Mdl.Mdl = mdl;
	KUNIT_EXPECT_EQ(test, f->t->MapLogicalRangeEx(f->dom, IOMMU_ACCESS_READ, &pa, NULL, NULL,
						      NULL, &addr), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, f->t->UnmapLogicalRange(f->dom, addr, 1), STATUS_SUCCESS);
	IoFreeMdl(mdl);
}

/* ---- enums and flags out of range, foreign structures ---------------------------------- */

static void hostile_enums_test(struct kunit *test)
{
	struct hx_fixture *f = test->priv;
	IOMMU_DMA_DOMAIN_CREATION_FLAGS flags = {};
	IOMMU_DMA_LOGICAL_ALLOCATOR_CONFIG cfg = {
		.LogicalAllocatorType = IommuDmaLogicalAllocatorBuddy,
	};
	IOMMU_DMA_RESERVED_REGION resv = { .Base = PAGE_SIZE, .NumberOfPages = U64_MAX };
	IOMMU_DEVICE_CREATION_CONFIGURATION dcfg = { .ConfigType = 99 };
	IOMMU_MAP_PHYSICAL_ADDRESS pa = { .MapType = 99 };
	PIOMMU_DMA_DOMAIN dom = WINIOMMU_TEST_BAD_DOMAIN;
	PIOMMU_DMA_DEVICE dev = (void *)WINIOMMU_TEST_BAD_DOMAIN;
	IOMMU_DMA_LOGICAL_ADDRESS addr = WINIOMMU_TEST_BAD_ADDR;
	static const u32 widths[] = { 0, 64, 65, U32_MAX };
	struct device *unregistered;
	unsigned int i;

	hx_objects(test);
	KUNIT_EXPECT_EQ(test, f->t->CreateDomainEx((IOMMU_DMA_DOMAIN_TYPE)7, flags, NULL, NULL,
						   &dom), STATUS_INVALID_PARAMETER_1);
	KUNIT_EXPECT_EQ(test, f->t->CreateDomainEx((IOMMU_DMA_DOMAIN_TYPE)U32_MAX, flags, NULL,
						   NULL, &dom), STATUS_INVALID_PARAMETER_1);
	flags.AsUlonglong = 1ULL << 63;
	KUNIT_EXPECT_EQ(test, f->t->CreateDomainEx(DomainTypeTranslate, flags, NULL, NULL, &dom),
			STATUS_INVALID_PARAMETER_2);
	flags.AsUlonglong = 0;
	for (i = 0; i < ARRAY_SIZE(widths); i++) {
		cfg.BuddyAllocatorConfig.AddressWidth = widths[i];
		KUNIT_EXPECT_EQ_MSG(test, f->t->CreateDomainEx(DomainTypeTranslate, flags, &cfg,
							       NULL, &dom),
				    STATUS_INVALID_PARAMETER_3, "AddressWidth %u", widths[i]);
	}
	cfg.LogicalAllocatorType = 99;
	KUNIT_EXPECT_EQ(test, f->t->CreateDomainEx(DomainTypeTranslate, flags, &cfg, NULL, &dom),
			STATUS_INVALID_PARAMETER_3);
	/* a reserved region of 2^64 pages, one that wraps, one looping on itself */
	KUNIT_EXPECT_EQ(test, f->t->CreateDomainEx(DomainTypeTranslate, flags, NULL, &resv, &dom),
			STATUS_INVALID_PARAMETER_4);
	resv.Base = U64_MAX & PAGE_MASK;
	resv.NumberOfPages = 2;
	KUNIT_EXPECT_EQ(test, f->t->CreateDomainEx(DomainTypeTranslate, flags, NULL, &resv, &dom),
			STATUS_INVALID_PARAMETER_4);
	resv.Base = PAGE_SIZE;
	resv.NumberOfPages = 1;
	resv.RegionNext = &resv;
	KUNIT_EXPECT_EQ(test, f->t->CreateDomainEx(DomainTypeTranslate, flags, NULL, &resv, &dom),
			STATUS_INVALID_PARAMETER_4);
	KUNIT_EXPECT_PTR_EQ(test, dom, WINIOMMU_TEST_BAD_DOMAIN);

	KUNIT_EXPECT_EQ(test, f->t->MapLogicalRangeEx(f->dom, IOMMU_ACCESS_READ, &pa, NULL, NULL,
						      NULL, &addr), STATUS_INVALID_PARAMETER_3);
	pa.MapType = MapPhysicalAddressTypeContiguousRange;
	pa.ContiguousRange.Base.QuadPart = page_to_phys(f->page);
	pa.ContiguousRange.Size = PAGE_SIZE;
	KUNIT_EXPECT_EQ(test, f->t->MapLogicalRangeEx(f->dom, 0x80000000, &pa, NULL, NULL, NULL,
						      &addr), STATUS_INVALID_PARAMETER_2);
	KUNIT_EXPECT_EQ(test, addr, WINIOMMU_TEST_BAD_ADDR);

	/* device configurations: unknown type, unknown PASID type, a list looping back */
	KUNIT_EXPECT_EQ(test, f->t->CreateDevice(f->md[1]->dev, &dcfg, &dev),
			STATUS_INVALID_PARAMETER_2);
	dcfg.ConfigType = IommuDeviceCreationConfigTypePasid;
	dcfg.Pasid.ConfigType = 99;
	KUNIT_EXPECT_EQ(test, f->t->CreateDevice(f->md[1]->dev, &dcfg, &dev),
			STATUS_INVALID_PARAMETER_2);
	/* a struct device no bus ever registered */
	unregistered = kzalloc(sizeof(*unregistered), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, unregistered);
	KUNIT_EXPECT_EQ(test, f->t->CreateDevice(unregistered, NULL, &dev),
			STATUS_INVALID_PARAMETER);
	KUNIT_EXPECT_EQ(test, f->t->CreateDevice(NULL, NULL, &dev), STATUS_INVALID_PARAMETER);
	kfree(unregistered);
	KUNIT_EXPECT_PTR_EQ(test, dev, (void *)WINIOMMU_TEST_BAD_DOMAIN);
	hx_expect_nothing_mapped(test, "after the enums");
}

static struct kunit_case hostile_test_cases[] = {
	KUNIT_CASE(hostile_handles_test),
	KUNIT_CASE(hostile_sizes_test),
	KUNIT_CASE(hostile_mdl_test),
	KUNIT_CASE(hostile_enums_test),
	{}
};

struct kunit_suite winiommu_hostile_suite = {
	.name = "winiommu_hostile",
	.suite_init = winiommu_mock_suite_init,
	.suite_exit = winiommu_mock_suite_exit,
	.init = hx_init,
	.exit = hx_exit,
	.test_cases = hostile_test_cases,
};
