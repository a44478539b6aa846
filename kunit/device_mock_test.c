// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The winiommu authors
 *
 * Devices on the mock backend (mock_backend.h): the paths of CreateDevice,
 * AttachDeviceEx and DetachDeviceEx that real IOMMUs do not take on
 * demand.  Each IOMMU operation is made to fail in turn; a failed attach
 * must leave no Linux domain allocated, no DMA ownership claimed and the
 * device attached nowhere.  The mock's software page table shows what
 * winiommu mapped: replayed reserved regions, mappings in every IOMMU
 * instance, the device's own reserved regions kept out of the allocator.
 * After every case the mock's books must balance and no invariant may be
 * broken.
 */
#include <linux/completion.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "winiommu_test.h"
#include "backend.h"
#include "mock_backend.h"

#define MOCK_TEST_MAX_LIVE	8

#define TYPES_ALL	(BIT(DomainTypeTranslate) | BIT(DomainTypePassThrough) | \
			 BIT(DomainTypeUnmanaged) | BIT(DomainTypeTranslateS1))

/* A Windows ShouldMap region, as in the real-device suite. */
#define MT_RESV_BASE		0x7000000ULL
#define MT_RESV_PAGES		4
#define MT_MAP_ADDR		0x100000ULL

struct mock_fixture {
	struct winiommu_test_snap snap;
	DMA_IOMMU_INTERFACE_EX ex;
	const DMA_IOMMU_INTERFACE_V3 *t;	/* &ex.V3 */
	struct mock_dev *mdevs[MOCK_MAX_DEVS];
	unsigned int nr_mdevs;
	void *devs[MOCK_TEST_MAX_LIVE];		/* PIOMMU_DMA_DEVICE */
	unsigned int nr_devs;
	void *doms[MOCK_TEST_MAX_LIVE];		/* PIOMMU_DMA_DOMAIN */
	unsigned int nr_doms;
	struct page *page;
};

static int mock_init(struct kunit *test)
{
	struct mock_fixture *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);

	if (!f)
		return -ENOMEM;
	return winiommu_mock_case_init(test, f, &f->ex, &f->t, &f->snap);
}

static void mock_exit(struct kunit *test)
{
	struct mock_fixture *f = test->priv;
	NTSTATUS st;

	winiommu_params = f->snap.params;
	memset(winiommu_mock.fail, 0, sizeof(winiommu_mock.fail));
	while (f->nr_devs) {
		PIOMMU_DMA_DEVICE dev = f->devs[--f->nr_devs];

		st = f->t->DetachDeviceEx(dev);
		KUNIT_EXPECT_TRUE(test, st == STATUS_SUCCESS || st == STATUS_INVALID_PARAMETER_1);
		st = f->t->DeleteDevice(dev);
		KUNIT_EXPECT_EQ_MSG(test, st, STATUS_SUCCESS, "deleting left-over device %p", dev);
	}
	while (f->nr_doms) {
		PIOMMU_DMA_DOMAIN dom = f->doms[--f->nr_doms];

		st = f->t->DeleteDomain(dom);
		KUNIT_EXPECT_EQ_MSG(test, st, STATUS_SUCCESS, "deleting left-over domain %p", dom);
	}
	KUNIT_EXPECT_EQ(test, winiommu_mock.group_gets, winiommu_mock.group_puts);
	while (f->nr_mdevs)
		winiommu_mock_dev_remove(f->mdevs[--f->nr_mdevs]);
	if (f->page)
		__free_page(f->page);
	winiommu_mock_expect_balanced(test, "after the case");
	winiommu_test_snap_check(test, &f->snap);
}

/* ---- helpers ---------------------------------------------------------------- */

/* A mock device on @instance reporting the @resv regions. */
static struct mock_dev *mt_mdev(struct kunit *test, unsigned int instance, unsigned int resv)
{
	struct mock_fixture *f = test->priv;
	struct mock_dev *md;
	char name[32];

	snprintf(name, sizeof(name), "winiommu-mock-%u", f->nr_mdevs);
	md = winiommu_mock_dev_add(test, name, instance);
	KUNIT_ASSERT_NOT_NULL(test, md);
	md->resv = resv;
	f->mdevs[f->nr_mdevs++] = md;
	return md;
}

static PIOMMU_DMA_DEVICE mt_device(struct kunit *test, struct mock_dev *md)
{
	struct mock_fixture *f = test->priv;
	PIOMMU_DMA_DEVICE h;

	KUNIT_ASSERT_EQ(test, f->t->CreateDevice(md->dev, NULL, &h), STATUS_SUCCESS);
	KUNIT_ASSERT_LT(test, f->nr_devs, MOCK_TEST_MAX_LIVE);
	f->devs[f->nr_devs++] = h;
	return h;
}

static NTSTATUS mt_delete_device(struct kunit *test, PIOMMU_DMA_DEVICE h)
{
	struct mock_fixture *f = test->priv;
	NTSTATUS st = f->t->DeleteDevice(h);

	if (st == STATUS_SUCCESS)
		winiommu_test_forget(f->devs, &f->nr_devs, h);
	return st;
}

static PIOMMU_DMA_DOMAIN mt_domain_ex(struct kunit *test, u32 type, u32 width,
				      PIOMMU_DMA_RESERVED_REGION resv)
{
	struct mock_fixture *f = test->priv;
	IOMMU_DMA_DOMAIN_CREATION_FLAGS flags = {};
	IOMMU_DMA_LOGICAL_ALLOCATOR_CONFIG cfg = {
		.LogicalAllocatorType = IommuDmaLogicalAllocatorBuddy,
		.BuddyAllocatorConfig.AddressWidth = width,
	};
	PIOMMU_DMA_DOMAIN dom;
	NTSTATUS st;

	st = f->t->CreateDomainEx((IOMMU_DMA_DOMAIN_TYPE)type, flags, width ? &cfg : NULL, resv,
				  &dom);
	if (st == STATUS_NOT_SUPPORTED)
		kunit_skip(test, "CreateDomainEx refuses domains on a machine without IOMMU");
	KUNIT_ASSERT_EQ(test, st, STATUS_SUCCESS);
	KUNIT_ASSERT_LT(test, f->nr_doms, MOCK_TEST_MAX_LIVE);
	f->doms[f->nr_doms++] = dom;
	return dom;
}

static PIOMMU_DMA_DOMAIN mt_domain(struct kunit *test, u32 type)
{
	return mt_domain_ex(test, type, 0, NULL);
}

static NTSTATUS mt_delete_domain(struct kunit *test, PIOMMU_DMA_DOMAIN dom)
{
	struct mock_fixture *f = test->priv;
	NTSTATUS st = f->t->DeleteDomain(dom);

	if (st == STATUS_SUCCESS)
		winiommu_test_forget(f->doms, &f->nr_doms, dom);
	return st;
}

static phys_addr_t mt_page(struct kunit *test)
{
	struct mock_fixture *f = test->priv;

	if (!f->page)
		f->page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	KUNIT_ASSERT_NOT_NULL(test, f->page);
	return page_to_phys(f->page);
}

/* MapLogicalRangeEx of one page: explicit address, or inside [*min, *max]. */
static NTSTATUS mt_map(struct kunit *test, PIOMMU_DMA_DOMAIN dom, phys_addr_t pa, u64 *explicit,
		       u64 *min, u64 *max, u64 *out)
{
	struct mock_fixture *f = test->priv;
	IOMMU_MAP_PHYSICAL_ADDRESS map = {
		.MapType = MapPhysicalAddressTypeContiguousRange,
		.ContiguousRange.Base.QuadPart = pa,
		.ContiguousRange.Size = PAGE_SIZE,
	};

	return f->t->MapLogicalRangeEx(dom, IOMMU_ACCESS_READ | IOMMU_ACCESS_WRITE, &map,
				       explicit, min, max, out);
}

/* @addr is free in @dom: a page can be mapped there (and is unmapped again). */
static void mt_expect_free(struct kunit *test, PIOMMU_DMA_DOMAIN dom, u64 addr)
{
	struct mock_fixture *f = test->priv;
	u64 out;

	NTSTATUS st = mt_map(test, dom, mt_page(test), &addr, NULL, NULL, &out);

	KUNIT_EXPECT_EQ_MSG(test, st, STATUS_SUCCESS, "mapping at %#llx", addr);
	if (st == STATUS_SUCCESS)
		KUNIT_EXPECT_EQ(test, f->t->UnmapLogicalRange(dom, addr, 1), STATUS_SUCCESS);
}

/* Every page of [start, start + pages) is mapped 1:1 read/write in @m. */
static void mt_expect_identity(struct kunit *test, struct mock_domain *m, u64 start,
			       unsigned int pages)
{
	unsigned int i;
	int prot;

	KUNIT_ASSERT_NOT_NULL(test, m);
	for (i = 0; i < pages; i++) {
		u64 a = start + (u64)i * PAGE_SIZE;

		KUNIT_EXPECT_EQ_MSG(test, winiommu_mock_lookup(m, a, &prot), a, "at %#llx", a);
		KUNIT_EXPECT_EQ(test, prot & (IOMMU_READ | IOMMU_WRITE), IOMMU_READ | IOMMU_WRITE);
	}
}

/* ---- CreateDevice / DeleteDevice ------------------------------------------- */

static void mock_create_test(struct kunit *test)
{
	struct mock_fixture *f = test->priv;
	struct mock_dev *md = mt_mdev(test, 0, 0);
	PIOMMU_DMA_DEVICE h, out;
	ULONG mask;

	h = mt_device(test, md);
	KUNIT_EXPECT_EQ(test, winiommu_mock.group_gets, 1);
	KUNIT_EXPECT_EQ(test, md->group_refs, 1);
	KUNIT_EXPECT_EQ(test, winiommu_obj_count(WINIOMMU_OBJ_DEVICE), f->snap.devices + 1);
	/* not a PCI device, so not untrusted: PassThrough under policy 1 */
	WRITE_ONCE(winiommu_params.allow_passthrough, true);
	WRITE_ONCE(winiommu_params.dma_guard_policy, 1);
	f->t->QueryAvailableDomainTypes(h, &mask);
	KUNIT_EXPECT_EQ(test, mask, TYPES_ALL);
	/* creating a device claims nothing and allocates nothing */
	KUNIT_EXPECT_EQ(test, winiommu_mock.claims, 0);
	KUNIT_EXPECT_EQ(test, winiommu_mock.allocs, 0);
	KUNIT_EXPECT_EQ(test, mt_delete_device(test, h), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, winiommu_mock.group_puts, 1);
	KUNIT_EXPECT_EQ(test, md->group_refs, 0);

	/* no group: no IOMMU translates it */
	winiommu_mock.fail[MOCK_OP_GROUP_GET].err = -ENODEV;
	memset(&out, WINIOMMU_TEST_CANARY, sizeof(out));
	KUNIT_EXPECT_EQ(test, f->t->CreateDevice(md->dev, NULL, &out), STATUS_NOT_FOUND);
	KUNIT_EXPECT_TRUE(test, winiommu_test_untouched(&out, sizeof(out)));
	KUNIT_EXPECT_EQ(test, winiommu_obj_count(WINIOMMU_OBJ_DEVICE), f->snap.devices);
	KUNIT_EXPECT_EQ(test, md->group_refs, 0);
}

/* ---- attach / detach --------------------------------------------------------- */

static void mock_attach_detach_test(struct kunit *test)
{
	struct mock_fixture *f = test->priv;
	struct mock_dev *md = mt_mdev(test, 0, 0);
	PIOMMU_DMA_DEVICE h = mt_device(test, md);
	PIOMMU_DMA_DOMAIN dom = mt_domain(test, DomainTypeTranslate);
	struct mock_domain *m;

	KUNIT_ASSERT_EQ(test, f->t->AttachDeviceEx(dom, h), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, winiommu_mock.claims, 1);
	KUNIT_EXPECT_EQ(test, winiommu_mock.allocs, 1);
	KUNIT_EXPECT_EQ(test, winiommu_mock.attaches, 1);
	KUNIT_EXPECT_EQ(test, winiommu_mock.resv_gets, winiommu_mock.resv_puts);
	KUNIT_EXPECT_TRUE(test, md->claimed);
	m = md->attached;
	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_EXPECT_EQ(test, m->pages, 0);
	KUNIT_EXPECT_FALSE(test, m->msi_cookie);

	KUNIT_EXPECT_EQ(test, f->t->AttachDeviceEx(dom, h), STATUS_INVALID_PARAMETER);
	KUNIT_EXPECT_EQ(test, winiommu_mock.claims, 1);
	KUNIT_EXPECT_EQ(test, mt_delete_device(test, h), STATUS_RESOURCE_IN_USE);
	KUNIT_EXPECT_EQ(test, mt_delete_domain(test, dom), STATUS_RESOURCE_IN_USE);

	KUNIT_EXPECT_EQ(test, f->t->DetachDeviceEx(h), STATUS_SUCCESS);
	KUNIT_EXPECT_FALSE(test, md->claimed);
	KUNIT_EXPECT_NULL(test, md->attached);
	winiommu_mock_expect_balanced(test, "after detach");
	KUNIT_EXPECT_EQ(test, f->t->DetachDeviceEx(h), STATUS_INVALID_PARAMETER_1);
	KUNIT_EXPECT_EQ(test, winiommu_mock.releases, 1);
}

/* One row per injected failure of an attach. */
struct mock_fail_case {
	const char *name;
	enum mock_op op;
	int err;
	unsigned int skip;
	unsigned int resv;	/* MOCK_RESV_* of the device */
	bool should_map;	/* the domain has a ShouldMap region (replayed) */
	NTSTATUS expect;
};

static const struct mock_fail_case mock_fail_cases[] = {
	{ "attach -ENOSPC", MOCK_OP_ATTACH, -ENOSPC, 0, 0, false, STATUS_INSUFFICIENT_RESOURCES },
	{ "attach -ENOMEM", MOCK_OP_ATTACH, -ENOMEM, 0, 0, false, STATUS_INSUFFICIENT_RESOURCES },
	{ "attach -EBUSY", MOCK_OP_ATTACH, -EBUSY, 0, 0, false, STATUS_ACCESS_DENIED },
	{ "claim -EPERM", MOCK_OP_CLAIM, -EPERM, 0, 0, false, STATUS_ACCESS_DENIED },
	{ "claim -EBUSY", MOCK_OP_CLAIM, -EBUSY, 0, 0, false, STATUS_ACCESS_DENIED },
	{ "domain_alloc -ENOMEM", MOCK_OP_ALLOC, -ENOMEM, 0, 0, false,
	  STATUS_INSUFFICIENT_RESOURCES },
	{ "domain_alloc -ENOSPC", MOCK_OP_ALLOC, -ENOSPC, 0, 0, false,
	  STATUS_INSUFFICIENT_RESOURCES },
	{ "resv_regions -ENOMEM", MOCK_OP_RESV, -ENOMEM, 0, MOCK_RESV_MSI, false,
	  STATUS_INSUFFICIENT_RESOURCES },
	{ "replay map -ENOMEM", MOCK_OP_MAP, -ENOMEM, 0, 0, true,
	  STATUS_INSUFFICIENT_RESOURCES },
	{ "replay map -ENOMEM after one map", MOCK_OP_MAP, -ENOMEM, 1, 0, true,
	  STATUS_INSUFFICIENT_RESOURCES },
	{ "msi_cookie -ENOMEM", MOCK_OP_MSI_COOKIE, -ENOMEM, 0, MOCK_RESV_SW_MSI, false,
	  STATUS_INSUFFICIENT_RESOURCES },
};

KUNIT_ARRAY_PARAM_DESC(mock_fail, mock_fail_cases, name);

static void mock_attach_fail_test(struct kunit *test)
{
	const struct mock_fail_case *c = test->param_value;
	struct mock_fixture *f = test->priv;
	struct mock_dev *md = mt_mdev(test, 0, c->resv);
	PIOMMU_DMA_DEVICE h = mt_device(test, md);
	IOMMU_DMA_RESERVED_REGION resv[2] = {
		{ .RegionNext = &resv[1], .Base = MT_RESV_BASE, .NumberOfPages = MT_RESV_PAGES,
		  .ShouldMap = TRUE },
		{ .Base = MT_RESV_BASE + SZ_1M, .NumberOfPages = 1, .ShouldMap = TRUE },
	};
	PIOMMU_DMA_DOMAIN dom = mt_domain_ex(test, DomainTypeTranslate, 0,
					     c->should_map ? resv : NULL);

	winiommu_mock.fail[c->op].err = c->err;
	winiommu_mock.fail[c->op].skip = c->skip;
	KUNIT_EXPECT_EQ(test, f->t->AttachDeviceEx(dom, h), c->expect);
	KUNIT_EXPECT_FALSE(test, md->claimed);
	KUNIT_EXPECT_NULL(test, md->attached);
	winiommu_mock_expect_balanced(test, "after the failed attach");
	KUNIT_EXPECT_EQ(test, f->t->DetachDeviceEx(h), STATUS_INVALID_PARAMETER_1);
	/* the domain is as it was: not narrowed to the device, none of its regions */
	mt_expect_free(test, dom, SZ_4G);
	if (c->resv & MOCK_RESV_MSI)
		mt_expect_free(test, dom, MOCK_MSI_BASE);
	if (c->resv & MOCK_RESV_SW_MSI)
		mt_expect_free(test, dom, MOCK_SW_MSI_BASE);
	/* nothing is held: both can go, or be used again */
	KUNIT_EXPECT_EQ(test, mt_delete_domain(test, dom), STATUS_SUCCESS);
	dom = mt_domain_ex(test, DomainTypeTranslate, 0, c->should_map ? resv : NULL);
	KUNIT_EXPECT_EQ(test, f->t->AttachDeviceEx(dom, h), c->expect);
	winiommu_mock_expect_balanced(test, "after the second failed attach");

	winiommu_mock.fail[c->op].err = 0;
	KUNIT_ASSERT_EQ(test, f->t->AttachDeviceEx(dom, h), STATUS_SUCCESS);
	if (c->should_map) {
		mt_expect_identity(test, md->attached, MT_RESV_BASE, MT_RESV_PAGES);
		mt_expect_identity(test, md->attached, MT_RESV_BASE + SZ_1M, 1);
	}
	if (c->resv & MOCK_RESV_SW_MSI) {
		KUNIT_EXPECT_TRUE(test, md->attached->msi_cookie);
		KUNIT_EXPECT_EQ(test, md->attached->msi_base, MOCK_SW_MSI_BASE);
	}
	KUNIT_EXPECT_EQ(test, f->t->DetachDeviceEx(h), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, mt_delete_device(test, h), STATUS_SUCCESS);
}

/* ---- reserved regions ---------------------------------------------------------- */

/*
 * The device's regions: MSI windows and holes stay unmapped and out of the
 * allocator, a software MSI window gets the cookie; the domain's ShouldMap
 * region is replayed 1:1.
 */
static void mock_resv_carve_out_test(struct kunit *test)
{
	struct mock_fixture *f = test->priv;
	struct mock_dev *md = mt_mdev(test, 0, MOCK_RESV_MSI | MOCK_RESV_SW_MSI |
					   MOCK_RESV_RESERVED);
	PIOMMU_DMA_DEVICE h = mt_device(test, md);
	IOMMU_DMA_RESERVED_REGION resv = {
		.Base = MT_RESV_BASE, .NumberOfPages = MT_RESV_PAGES, .ShouldMap = TRUE,
	};
	PIOMMU_DMA_DOMAIN dom = mt_domain_ex(test, DomainTypeTranslate, 32, &resv);
	static const struct {
		u64 base;
		u64 size;
	} holes[] = {
		{ MOCK_MSI_BASE, MOCK_MSI_SIZE },
		{ MOCK_SW_MSI_BASE, MOCK_SW_MSI_SIZE },
		{ MOCK_HOLE_BASE, MOCK_HOLE_SIZE },
	};
	phys_addr_t pa = mt_page(test);
	struct mock_domain *m;
	unsigned int i, n;

	KUNIT_ASSERT_EQ(test, f->t->AttachDeviceEx(dom, h), STATUS_SUCCESS);
	m = md->attached;
	KUNIT_ASSERT_NOT_NULL(test, m);
	mt_expect_identity(test, m, MT_RESV_BASE, MT_RESV_PAGES);
	KUNIT_EXPECT_EQ(test, m->pages, MT_RESV_PAGES);
	KUNIT_EXPECT_TRUE(test, m->msi_cookie);
	KUNIT_EXPECT_EQ(test, m->msi_base, MOCK_SW_MSI_BASE);
	KUNIT_EXPECT_EQ(test, winiommu_mock.msi_cookies, 1);

	/*
	 * A window of two pages on each side of a hole: exactly four
	 * single pages fit, none inside the hole, then no more.
	 */
	for (i = 0; i < ARRAY_SIZE(holes); i++) {
		u64 min = holes[i].base - 2 * PAGE_SIZE;
		u64 max = holes[i].base + holes[i].size + 2 * PAGE_SIZE - 1;
		u64 got[4], out = WINIOMMU_TEST_BAD_ADDR;

		for (n = 0; n < ARRAY_SIZE(got); n++) {
			KUNIT_ASSERT_EQ_MSG(test, mt_map(test, dom, pa, NULL, &min, &max, &got[n]),
					    STATUS_SUCCESS, "hole %u, page %u", i, n);
			KUNIT_EXPECT_TRUE_MSG(test, got[n] >= min && got[n] + PAGE_SIZE - 1 <= max,
					      "%#llx outside the window", got[n]);
			KUNIT_EXPECT_TRUE_MSG(test, got[n] + PAGE_SIZE <= holes[i].base ||
					      got[n] >= holes[i].base + holes[i].size,
					      "%#llx inside the hole at %#llx", got[n],
					      holes[i].base);
			KUNIT_EXPECT_EQ(test, winiommu_mock_lookup(m, got[n], NULL), pa);
		}
		KUNIT_EXPECT_EQ(test, mt_map(test, dom, pa, NULL, &min, &max, &out),
				STATUS_INVALID_PARAMETER_MIX);
		KUNIT_EXPECT_EQ(test, out, WINIOMMU_TEST_BAD_ADDR);
		for (n = 0; n < ARRAY_SIZE(got); n++)
			KUNIT_EXPECT_EQ(test, f->t->UnmapLogicalRange(dom, got[n], 1),
					STATUS_SUCCESS);
	}
	KUNIT_EXPECT_EQ(test, m->pages, MT_RESV_PAGES);
	KUNIT_EXPECT_EQ(test, f->t->DetachDeviceEx(h), STATUS_SUCCESS);
}

/* Explicit addresses: a device's region is occupied once it is attached. */
static void mock_resv_explicit_test(struct kunit *test)
{
	struct mock_fixture *f = test->priv;
	struct mock_dev *md = mt_mdev(test, 0, MOCK_RESV_MSI | MOCK_RESV_RESERVED);
	PIOMMU_DMA_DEVICE h = mt_device(test, md);
	PIOMMU_DMA_DOMAIN dom = mt_domain(test, DomainTypeTranslate);
	phys_addr_t pa = mt_page(test);
	u64 addr, out;

	/* before attach nothing is known of the device: the MSI window is free */
	addr = MOCK_MSI_BASE;
	KUNIT_ASSERT_EQ(test, mt_map(test, dom, pa, &addr, NULL, NULL, &out), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, f->t->AttachDeviceEx(dom, h), STATUS_IN_USE);
	KUNIT_EXPECT_NULL(test, md->attached);
	winiommu_mock_expect_balanced(test, "after the refused attach");

	KUNIT_EXPECT_EQ(test, f->t->UnmapLogicalRange(dom, MOCK_MSI_BASE, 1), STATUS_SUCCESS);
	KUNIT_ASSERT_EQ(test, f->t->AttachDeviceEx(dom, h), STATUS_SUCCESS);
	out = WINIOMMU_TEST_BAD_ADDR;
	KUNIT_EXPECT_EQ(test, mt_map(test, dom, pa, &addr, NULL, NULL, &out), STATUS_IN_USE);
	addr = MOCK_HOLE_BASE + PAGE_SIZE;
	KUNIT_EXPECT_EQ(test, mt_map(test, dom, pa, &addr, NULL, NULL, &out), STATUS_IN_USE);
	KUNIT_EXPECT_EQ(test, out, WINIOMMU_TEST_BAD_ADDR);
	KUNIT_EXPECT_EQ(test, md->attached->pages, 0);
	/* just below the window is free */
	addr = MOCK_MSI_BASE - PAGE_SIZE;
	KUNIT_EXPECT_EQ(test, mt_map(test, dom, pa, &addr, NULL, NULL, &out), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, winiommu_mock_lookup(md->attached, addr, NULL), pa);
	KUNIT_EXPECT_EQ(test, f->t->DetachDeviceEx(h), STATUS_SUCCESS);
}

/*
 * A device's IOMMU_RESV_DIRECT region (an RMRR) is mapped 1:1 exactly once
 * in each Linux domain: in the first one, by a second device of the same
 * instance, and in a second instance's domain.
 */
static void mock_resv_direct_test(struct kunit *test)
{
	struct mock_fixture *f = test->priv;
	struct mock_dev *a = mt_mdev(test, 0, MOCK_RESV_DIRECT);
	struct mock_dev *b = mt_mdev(test, 0, MOCK_RESV_DIRECT);
	struct mock_dev *c = mt_mdev(test, 1, MOCK_RESV_DIRECT);
	PIOMMU_DMA_DEVICE ha = mt_device(test, a), hb = mt_device(test, b), hc = mt_device(test, c);
	PIOMMU_DMA_DOMAIN dom = mt_domain(test, DomainTypeTranslate);
	unsigned int pages = MOCK_DIRECT_SIZE / PAGE_SIZE;
	phys_addr_t pa = mt_page(test);
	u64 addr = MOCK_DIRECT_BASE, out;

	KUNIT_ASSERT_EQ(test, f->t->AttachDeviceEx(dom, ha), STATUS_SUCCESS);
	mt_expect_identity(test, a->attached, MOCK_DIRECT_BASE, pages);
	KUNIT_EXPECT_EQ(test, a->attached->pages, pages);
	KUNIT_ASSERT_EQ(test, f->t->AttachDeviceEx(dom, hb), STATUS_SUCCESS);
	KUNIT_EXPECT_PTR_EQ(test, b->attached, a->attached);
	KUNIT_EXPECT_EQ(test, a->attached->pages, pages);
	KUNIT_ASSERT_EQ(test, f->t->AttachDeviceEx(dom, hc), STATUS_SUCCESS);
	KUNIT_EXPECT_PTR_NE(test, c->attached, a->attached);
	mt_expect_identity(test, c->attached, MOCK_DIRECT_BASE, pages);
	KUNIT_EXPECT_EQ(test, c->attached->pages, pages);
	KUNIT_EXPECT_EQ(test, winiommu_mock.violations, 0);
	KUNIT_EXPECT_EQ(test, mt_map(test, dom, pa, &addr, NULL, NULL, &out), STATUS_IN_USE);

	KUNIT_EXPECT_EQ(test, f->t->DetachDeviceEx(hc), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, f->t->DetachDeviceEx(ha), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, f->t->DetachDeviceEx(hb), STATUS_SUCCESS);
	/* the region stays part of the domain: replayed at the next attach */
	KUNIT_ASSERT_EQ(test, f->t->AttachDeviceEx(dom, hc), STATUS_SUCCESS);
	mt_expect_identity(test, c->attached, MOCK_DIRECT_BASE, pages);
	KUNIT_EXPECT_EQ(test, f->t->DetachDeviceEx(hc), STATUS_SUCCESS);
}

/* ---- IOMMU instances ---------------------------------------------------------- */

/*
 * One Linux domain per IOMMU instance: devices of one instance share it,
 * another instance gets its own, and every mapping is in all of them.
 */
static void mock_instances_test(struct kunit *test)
{
	struct mock_fixture *f = test->priv;
	struct mock_dev *a = mt_mdev(test, 0, 0), *b = mt_mdev(test, 0, 0);
	struct mock_dev *c = mt_mdev(test, 1, 0);
	PIOMMU_DMA_DEVICE ha = mt_device(test, a), hb = mt_device(test, b), hc = mt_device(test, c);
	PIOMMU_DMA_DOMAIN dom = mt_domain(test, DomainTypeTranslate);
	phys_addr_t pa = mt_page(test);
	u64 addr = MT_MAP_ADDR, out;
	unsigned int syncs;

	KUNIT_ASSERT_EQ(test, mt_map(test, dom, pa, &addr, NULL, NULL, &out), STATUS_SUCCESS);
	KUNIT_ASSERT_EQ(test, f->t->AttachDeviceEx(dom, ha), STATUS_SUCCESS);
	KUNIT_ASSERT_EQ(test, f->t->AttachDeviceEx(dom, hb), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, winiommu_mock.allocs, 1);
	KUNIT_EXPECT_EQ(test, winiommu_mock.attaches, 2);
	KUNIT_EXPECT_PTR_EQ(test, a->attached, b->attached);
	KUNIT_ASSERT_EQ(test, f->t->AttachDeviceEx(dom, hc), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, winiommu_mock.allocs, 2);
	KUNIT_EXPECT_PTR_NE(test, a->attached, c->attached);
	KUNIT_EXPECT_EQ(test, winiommu_mock_lookup(a->attached, MT_MAP_ADDR, NULL), pa);
	KUNIT_EXPECT_EQ(test, winiommu_mock_lookup(c->attached, MT_MAP_ADDR, NULL), pa);

	/* a mapping made now goes to both, an unmap leaves both */
	addr = MT_MAP_ADDR + SZ_1M;
	KUNIT_ASSERT_EQ(test, mt_map(test, dom, pa, &addr, NULL, NULL, &out), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, winiommu_mock_lookup(a->attached, addr, NULL), pa);
	KUNIT_EXPECT_EQ(test, winiommu_mock_lookup(c->attached, addr, NULL), pa);
	syncs = winiommu_mock.syncs;
	KUNIT_EXPECT_EQ(test, f->t->UnmapLogicalRange(dom, addr, 1), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, winiommu_mock_lookup(a->attached, addr, NULL), 0);
	KUNIT_EXPECT_EQ(test, winiommu_mock_lookup(c->attached, addr, NULL), 0);
	KUNIT_EXPECT_EQ(test, winiommu_mock.syncs, syncs + 2);

	/* the shared Linux domain lives until its last device leaves */
	KUNIT_EXPECT_EQ(test, f->t->DetachDeviceEx(ha), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, winiommu_mock.frees, 0);
	KUNIT_EXPECT_EQ(test, winiommu_mock_lookup(b->attached, MT_MAP_ADDR, NULL), pa);
	KUNIT_EXPECT_EQ(test, f->t->DetachDeviceEx(hb), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, winiommu_mock.frees, 1);
	KUNIT_EXPECT_EQ(test, f->t->DetachDeviceEx(hc), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, winiommu_mock.frees, 2);
	KUNIT_EXPECT_EQ(test, winiommu_mock.claims, 3);
}

/* ---- mapping into the Linux domains ------------------------------------------- */

static void mt_free_2m(void *p)
{
	free_pages((unsigned long)p, get_order(SZ_2M));
}

/*
 * Each physically contiguous run reaches the IOMMU as one map() call, so
 * the core can use its largest pages; a scattered PFN array is a call per
 * run; cutting a page out of a 2 MiB mapping leaves exactly the rest.
 */
static void mock_map_runs_test(struct kunit *test)
{
	struct mock_fixture *f = test->priv;
	struct mock_dev *md = mt_mdev(test, 0, 0);
	PIOMMU_DMA_DEVICE h = mt_device(test, md);
	PIOMMU_DMA_DOMAIN dom = mt_domain_ex(test, DomainTypeTranslate, 48, NULL);
	IOMMU_MAP_PHYSICAL_ADDRESS pa = { .MapType = MapPhysicalAddressTypeContiguousRange };
	void *big = (void *)__get_free_pages(GFP_KERNEL, get_order(SZ_2M));
	PFN_NUMBER pfns[3];
	struct mock_domain *m;
	unsigned int maps;
	u64 s, t;

	KUNIT_ASSERT_NOT_NULL(test, big);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, mt_free_2m, big), 0);
	KUNIT_ASSERT_EQ(test, f->t->AttachDeviceEx(dom, h), STATUS_SUCCESS);
	m = md->attached;
	KUNIT_ASSERT_NOT_NULL(test, m);

	pa.ContiguousRange.Base.QuadPart = virt_to_phys(big);
	pa.ContiguousRange.Size = SZ_2M;
	maps = winiommu_mock.maps;
	KUNIT_ASSERT_EQ(test, f->t->MapLogicalRangeEx(dom, IOMMU_ACCESS_READ, &pa, NULL, NULL,
						      NULL, &s), STATUS_SUCCESS);
	KUNIT_EXPECT_TRUE(test, IS_ALIGNED(s, SZ_2M));
	KUNIT_EXPECT_EQ(test, winiommu_mock.maps, maps + 1);
	KUNIT_EXPECT_EQ(test, winiommu_mock.largest_map, SZ_2M);
	KUNIT_EXPECT_EQ(test, m->pages, SZ_2M / PAGE_SIZE);

	/* three pages in reverse order: three runs */
	pfns[0] = (virt_to_phys(big) >> PAGE_SHIFT) + 9;
	pfns[1] = pfns[0] - 4;
	pfns[2] = pfns[0] - 8;
	memset(&pa, 0, sizeof(pa));
	pa.MapType = MapPhysicalAddressTypePfn;
	pa.PfnArray.PageFrame = pfns;
	pa.PfnArray.NumberOfPages = 3;
	maps = winiommu_mock.maps;
	KUNIT_ASSERT_EQ(test, f->t->MapLogicalRangeEx(dom, IOMMU_ACCESS_READ, &pa, NULL, NULL,
						      NULL, &t), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, winiommu_mock.maps, maps + 3);
	KUNIT_EXPECT_EQ(test, winiommu_mock_lookup(m, t + PAGE_SIZE, NULL),
			(phys_addr_t)pfns[1] << PAGE_SHIFT);

	/* cut the middle page of the 2 MiB mapping out */
	KUNIT_ASSERT_EQ(test, f->t->UnmapLogicalRange(dom, s + SZ_1M, 1), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, m->pages, SZ_2M / PAGE_SIZE - 1 + 3);
	KUNIT_EXPECT_EQ(test, winiommu_mock_lookup(m, s + SZ_1M, NULL), 0);
	KUNIT_EXPECT_EQ(test, winiommu_mock_lookup(m, s + SZ_1M + PAGE_SIZE, NULL),
			virt_to_phys(big) + SZ_1M + PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, winiommu_mock_lookup(m, s, NULL), virt_to_phys(big));
	KUNIT_EXPECT_EQ(test, f->t->UnmapLogicalRange(dom, s, SZ_1M / PAGE_SIZE), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, f->t->UnmapLogicalRange(dom, s + SZ_1M + PAGE_SIZE,
						      SZ_1M / PAGE_SIZE - 1), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, f->t->UnmapLogicalRange(dom, t, 3), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, m->pages, 0);
	KUNIT_EXPECT_EQ(test, f->t->DetachDeviceEx(h), STATUS_SUCCESS);
}

/*
 * A map that fails in the second of two Linux domains leaves neither
 * holding any of it, the output untouched, and the address free.
 */
static void mock_map_fail_unwind_test(struct kunit *test)
{
	struct mock_fixture *f = test->priv;
	struct mock_dev *a = mt_mdev(test, 0, 0), *b = mt_mdev(test, 1, 0);
	PIOMMU_DMA_DEVICE ha = mt_device(test, a), hb = mt_device(test, b);
	PIOMMU_DMA_DOMAIN dom = mt_domain(test, DomainTypeTranslate);
	phys_addr_t pa = mt_page(test);
	u64 addr = MT_MAP_ADDR, out;

	KUNIT_ASSERT_EQ(test, f->t->AttachDeviceEx(dom, ha), STATUS_SUCCESS);
	KUNIT_ASSERT_EQ(test, f->t->AttachDeviceEx(dom, hb), STATUS_SUCCESS);
	winiommu_mock.fail[MOCK_OP_MAP].err = -ENOMEM;
	winiommu_mock.fail[MOCK_OP_MAP].skip = 1;
	memset(&out, WINIOMMU_TEST_CANARY, sizeof(out));
	KUNIT_EXPECT_EQ(test, mt_map(test, dom, pa, &addr, NULL, NULL, &out),
			STATUS_INSUFFICIENT_RESOURCES);
	KUNIT_EXPECT_TRUE(test, winiommu_test_untouched(&out, sizeof(out)));
	KUNIT_EXPECT_EQ(test, a->attached->pages, 0);
	KUNIT_EXPECT_EQ(test, b->attached->pages, 0);
	winiommu_mock.fail[MOCK_OP_MAP].err = 0;
	mt_expect_free(test, dom, addr);
	KUNIT_EXPECT_EQ(test, f->t->DetachDeviceEx(ha), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, f->t->DetachDeviceEx(hb), STATUS_SUCCESS);
}

/* ---- faults an IOMMU driver reports ----------------------------------------------- */

struct mt_fault_seen {
	struct completion done;
	unsigned int calls;
	u64 addr;
	bool write;
};

static VOID mt_fault_handler(PVOID Context, PFAULT_INFORMATION info)
{
	struct mt_fault_seen *seen = Context;

#ifdef CONFIG_ARM64
	seen->addr = (u64)(uintptr_t)info->Arm64.FaultAddress;
	seen->write = info->Arm64.Flags.WriteNotRead;
#else
	seen->addr = (u64)(uintptr_t)info->X64.FaultAddress;
	seen->write = true;
#endif
	seen->calls++;
	complete(&seen->done);
}

/*
 * A driver that reports faults (report_iommu_fault -> the domain's handler,
 * as AMD-Vi does) reaches the V1 handler through winiommu's Linux fault
 * handler; with reporting off the driver is told to log it itself.
 */
static void mock_fault_report_test(struct kunit *test)
{
	struct mock_fixture *f = test->priv;
	struct mock_dev *md = mt_mdev(test, 0, 0);
	PIOMMU_DMA_DEVICE h = mt_device(test, md);
	PIOMMU_DMA_DOMAIN dom = mt_domain(test, DomainTypeTranslate);
	struct mt_fault_seen *seen = kunit_kzalloc(test, sizeof(*seen), GFP_KERNEL);
	DEVICE_FAULT_CONFIGURATION cfg = { .FaultHandler = mt_fault_handler };
	DMA_IOMMU_INTERFACE v1;
	struct mock_domain *m;

	KUNIT_ASSERT_NOT_NULL(test, seen);
	init_completion(&seen->done);
	cfg.FaultContext = seen;
	KUNIT_ASSERT_EQ(test, IoGetIommuInterface(DMA_IOMMU_INTERFACE_VERSION_1, &v1),
			STATUS_SUCCESS);
	KUNIT_ASSERT_EQ(test, f->t->AttachDeviceEx(dom, h), STATUS_SUCCESS);
	m = md->attached;
	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_ASSERT_NOT_NULL(test, m->fault_handler);
	/* off: the driver logs it */
	KUNIT_EXPECT_NE(test, m->fault_handler(&m->domain, md->dev, 0x7000, IOMMU_FAULT_WRITE,
					       m->fault_token), 0);
	KUNIT_ASSERT_EQ(test, v1.SetDeviceFaultReporting(md->dev, 0, TRUE, &cfg), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, m->fault_handler(&m->domain, md->dev, 0x7000, IOMMU_FAULT_WRITE,
					       m->fault_token), 0);
	KUNIT_ASSERT_GT(test, wait_for_completion_timeout(&seen->done, 5 * HZ), 0);
	KUNIT_EXPECT_EQ(test, seen->calls, 1);
	KUNIT_EXPECT_EQ(test, seen->addr, 0x7000);
	KUNIT_EXPECT_TRUE(test, seen->write);
	KUNIT_EXPECT_EQ(test, v1.SetDeviceFaultReporting(md->dev, 0, FALSE, NULL), STATUS_SUCCESS);
	KUNIT_EXPECT_NE(test, m->fault_handler(&m->domain, md->dev, 0x7000, IOMMU_FAULT_READ,
					       m->fault_token), 0);
	KUNIT_EXPECT_EQ(test, seen->calls, 1);
	KUNIT_EXPECT_EQ(test, f->t->DetachDeviceEx(h), STATUS_SUCCESS);
}

/* ---- PassThrough ----------------------------------------------------------------- */

static void mock_passthrough_test(struct kunit *test)
{
	struct mock_fixture *f = test->priv;
	struct mock_dev *id = mt_mdev(test, 0, 0), *tr = mt_mdev(test, 1, MOCK_RESV_MSI);
	struct mock_dev *mixed = mt_mdev(test, 0, 0);
	PIOMMU_DMA_DEVICE hid, htr, hmixed;
	PIOMMU_DMA_DOMAIN dom;
	phys_addr_t pa = mt_page(test);
	void *buf = kunit_kmalloc(test, PAGE_SIZE, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	WRITE_ONCE(winiommu_params.allow_passthrough, true);
	WRITE_ONCE(winiommu_params.dma_guard_policy, 1);
	dom = mt_domain(test, DomainTypePassThrough);
	id->identity = true;
	hid = mt_device(test, id);
	htr = mt_device(test, tr);
	hmixed = mt_device(test, mixed);

	/* already in an identity domain: nothing to claim or allocate */
	KUNIT_ASSERT_EQ(test, f->t->AttachDeviceEx(dom, hid), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, winiommu_mock.claims, 0);
	KUNIT_EXPECT_EQ(test, winiommu_mock.allocs, 0);
	KUNIT_EXPECT_NULL(test, id->attached);

	/* a translating group: a paging domain with RAM mapped 1:1 */
	KUNIT_ASSERT_EQ(test, f->t->AttachDeviceEx(dom, htr), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, winiommu_mock.allocs, 1);
	KUNIT_ASSERT_NOT_NULL(test, tr->attached);
	KUNIT_EXPECT_EQ(test, winiommu_mock_lookup(tr->attached, pa, NULL), pa);
	KUNIT_EXPECT_EQ(test, winiommu_mock_lookup(tr->attached, virt_to_phys(buf), NULL),
			virt_to_phys(buf));
	KUNIT_EXPECT_EQ(test, winiommu_mock_lookup(tr->attached, MOCK_MSI_BASE, NULL), 0);
	KUNIT_EXPECT_GT(test, tr->attached->pages, 0);

	/* one instance cannot be both identity and translating */
	KUNIT_EXPECT_EQ(test, f->t->AttachDeviceEx(dom, hmixed), STATUS_ACCESS_DENIED);
	KUNIT_EXPECT_FALSE(test, mixed->claimed);

	KUNIT_EXPECT_EQ(test, mt_delete_domain(test, dom), STATUS_RESOURCE_IN_USE);
	KUNIT_EXPECT_EQ(test, f->t->DetachDeviceEx(htr), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, f->t->DetachDeviceEx(hid), STATUS_SUCCESS);
	winiommu_mock_expect_balanced(test, "after detach");
	KUNIT_EXPECT_EQ(test, mt_delete_domain(test, dom), STATUS_SUCCESS);
}

/* ---- reach -------------------------------------------------------------------- */

/*
 * A mapping the device cannot address (above its 32-bit DMA mask) makes the
 * attach STATUS_IN_USE after the Linux attach: undone, nothing held.
 */
static void mock_reach_test(struct kunit *test)
{
	struct mock_fixture *f = test->priv;
	struct mock_dev *md = mt_mdev(test, 0, 0);
	PIOMMU_DMA_DEVICE h = mt_device(test, md);
	PIOMMU_DMA_DOMAIN dom = mt_domain(test, DomainTypeTranslate);
	phys_addr_t pa = mt_page(test);
	u64 high = SZ_4G, out = WINIOMMU_TEST_BAD_ADDR;

	KUNIT_ASSERT_EQ(test, mt_map(test, dom, pa, &high, NULL, NULL, &out), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, f->t->AttachDeviceEx(dom, h), STATUS_IN_USE);
	KUNIT_EXPECT_EQ(test, winiommu_mock.attaches, 1);
	winiommu_mock_expect_balanced(test, "after the refused attach");
	KUNIT_EXPECT_FALSE(test, md->claimed);

	KUNIT_EXPECT_EQ(test, f->t->UnmapLogicalRange(dom, high, 1), STATUS_SUCCESS);
	KUNIT_ASSERT_EQ(test, f->t->AttachDeviceEx(dom, h), STATUS_SUCCESS);
	out = WINIOMMU_TEST_BAD_ADDR;
	KUNIT_EXPECT_EQ(test, mt_map(test, dom, pa, &high, NULL, NULL, &out),
			STATUS_INVALID_PARAMETER_4);
	KUNIT_EXPECT_EQ(test, out, WINIOMMU_TEST_BAD_ADDR);
	KUNIT_EXPECT_EQ(test, f->t->DetachDeviceEx(h), STATUS_SUCCESS);
}

static struct kunit_case mock_test_cases[] = {
	KUNIT_CASE(mock_create_test),
	KUNIT_CASE(mock_attach_detach_test),
	KUNIT_CASE_PARAM(mock_attach_fail_test, mock_fail_gen_params),
	KUNIT_CASE(mock_resv_carve_out_test),
	KUNIT_CASE(mock_resv_explicit_test),
	KUNIT_CASE(mock_resv_direct_test),
	KUNIT_CASE(mock_instances_test),
	KUNIT_CASE(mock_map_runs_test),
	KUNIT_CASE(mock_map_fail_unwind_test),
	KUNIT_CASE(mock_fault_report_test),
	KUNIT_CASE(mock_passthrough_test),
	KUNIT_CASE(mock_reach_test),
	{}
};

struct kunit_suite winiommu_device_mock_suite = {
	.name = "winiommu_device_mock",
	.suite_init = winiommu_mock_suite_init,
	.suite_exit = winiommu_mock_suite_exit,
	.init = mock_init,
	.exit = mock_exit,
	.test_cases = mock_test_cases,
};
