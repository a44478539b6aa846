// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The winiommu authors
 *
 * The leak check shared by the suites: a snapshot of winiommu's object
 * counters and parameters taken in each case's .init, compared (counters)
 * and restored (parameters) in its .exit.
 */
#include <linux/device.h>

#include "winiommu_test.h"

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
