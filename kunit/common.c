// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The winiommu authors
 *
 * Shared by the suites: the leak check (a snapshot of winiommu's object
 * counters and parameters taken in each case's .init, compared (counters)
 * and restored (parameters) in its .exit), and the fixture of the suites
 * that drive the edu device through the V2 table.
 */
#include <linux/device.h>

#include "winiommu_test.h"
#include "edu.h"

void winiommu_test_snap_take(struct winiommu_test_snap *snap)
{
	snap->domains = winiommu_obj_count(WINIOMMU_OBJ_DOMAIN);
	snap->devices = winiommu_obj_count(WINIOMMU_OBJ_DEVICE);
	snap->tokens = winiommu_obj_count(WINIOMMU_OBJ_TOKEN);
	snap->pasid_devices = winiommu_obj_count(WINIOMMU_OBJ_PASID_DEVICE);
	snap->unmanaged = winiommu_unmanaged_count();
	snap->params = winiommu_params;
}

void winiommu_test_snap_check(struct kunit *test, const struct winiommu_test_snap *snap)
{
	unsigned long domains = winiommu_obj_count(WINIOMMU_OBJ_DOMAIN);
	unsigned int unmanaged = winiommu_unmanaged_count();

	winiommu_params = snap->params;
	KUNIT_EXPECT_EQ_MSG(test, domains, snap->domains,
			    "live domains changed across the case: leaked or over-freed");
	KUNIT_EXPECT_EQ_MSG(test, unmanaged, snap->unmanaged,
			    "Unmanaged-domain budget in use changed across the case");
	KUNIT_EXPECT_EQ_MSG(test, winiommu_obj_count(WINIOMMU_OBJ_DEVICE), snap->devices,
			    "live devices changed across the case: leaked or over-freed");
	KUNIT_EXPECT_EQ_MSG(test, winiommu_obj_count(WINIOMMU_OBJ_TOKEN), snap->tokens,
			    "live tokens changed across the case: leaked or over-freed");
	KUNIT_EXPECT_EQ_MSG(test, winiommu_obj_count(WINIOMMU_OBJ_PASID_DEVICE),
			    snap->pasid_devices,
			    "live PASID devices changed across the case: leaked or over-freed");
}

/*
 * A device no bus or driver owns, for cases that need a struct device of
 * their own; NULL on failure.  Registered without a module owner: on 6.1,
 * root_device_register() from a module's suites fails with -ENOENT (the
 * device's "module" link cannot be made while KUnit runs them).
 */
struct device *winiommu_test_root_device(const char *name)
{
	struct device *dev = __root_device_register(name, NULL);

	if (IS_ERR(dev)) {
		pr_err("root device %s: %ld\n", name, PTR_ERR(dev));
		return NULL;
	}
	return dev;
}

/* Stop tracking handle @h in the fixture array @arr of @n handles. */
void winiommu_test_forget(void **arr, unsigned int *n, void *h)
{
	unsigned int i;

	for (i = 0; i < *n; i++) {
		if (arr[i] == h) {
			arr[i] = arr[--*n];
			return;
		}
	}
}

/* ---- the edu fixture ------------------------------------------------------------------ */

void winiommu_test_fx_setup(struct kunit *test, struct winiommu_test_fx *f)
{
	winiommu_test_snap_take(&f->snap);
	KUNIT_ASSERT_EQ(test, IoGetIommuInterfaceEx(DMA_IOMMU_INTERFACE_EX_VERSION_2, 0, &f->ifc),
			STATUS_SUCCESS);
	f->v2 = &f->ifc.V2;
	f->edu = winiommu_test_edu_get();
}

void winiommu_test_fx_teardown(struct kunit *test, struct winiommu_test_fx *f)
{
	if (f->attached)
		KUNIT_EXPECT_EQ(test, f->v2->DetachDeviceEx(f->dev), STATUS_SUCCESS);
	if (f->dom)
		KUNIT_EXPECT_EQ(test, f->v2->DeleteDomain(f->dom), STATUS_SUCCESS);
	if (f->dev)
		KUNIT_EXPECT_EQ(test, f->v2->DeleteDevice(f->dev), STATUS_SUCCESS);
	winiommu_test_snap_check(test, &f->snap);
}

int winiommu_test_fx_init(struct kunit *test)
{
	struct winiommu_test_fx *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, f);
	winiommu_test_fx_setup(test, f);
	test->priv = f;
	return 0;
}

void winiommu_test_fx_exit(struct kunit *test)
{
	winiommu_test_fx_teardown(test, test->priv);
}

void winiommu_test_fx_domain(struct kunit *test, struct winiommu_test_fx *f,
			     IOMMU_DMA_DOMAIN_TYPE type, u32 width,
			     PIOMMU_DMA_RESERVED_REGION regions)
{
	IOMMU_DMA_LOGICAL_ALLOCATOR_CONFIG cfg = {
		.LogicalAllocatorType = IommuDmaLogicalAllocatorBuddy,
		.BuddyAllocatorConfig.AddressWidth = width,
	};
	IOMMU_DMA_DOMAIN_CREATION_FLAGS flags = {};
	NTSTATUS st;

	st = f->v2->CreateDomainEx(type, flags, width ? &cfg : NULL, regions, &f->dom);
	if (st == STATUS_NOT_SUPPORTED)
		kunit_skip(test, "no IOMMU on this machine");
	KUNIT_ASSERT_EQ(test, st, STATUS_SUCCESS);
}

void winiommu_test_fx_attach(struct kunit *test, struct winiommu_test_fx *f)
{
	if (!f->edu)
		kunit_skip(test, "no edu device bound by winiommu_test_edu");
	KUNIT_ASSERT_EQ(test, f->v2->CreateDevice(&f->edu->pdev->dev, NULL, &f->dev),
			STATUS_SUCCESS);
	KUNIT_ASSERT_EQ(test, f->v2->AttachDeviceEx(f->dom, f->dev), STATUS_SUCCESS);
	f->attached = true;
}
