/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (C) 2026 The winiommu authors
 *
 * Shared by the KUnit suites of winiommu_test.ko: the suites themselves,
 * the output canaries and the fixture snapshot behind every leak check.
 *
 * The suites reach the Windows routines only through the tables that
 * IoGetIommuInterfaceEx() and IoGetIommuInterface() hand out, as a ported
 * driver does.  From winiommu.h they use only the test-only exports of the
 * WINIOMMU_TEST_NS namespace (counters, parameters, the logical allocator).
 */
#ifndef _WINIOMMU_TEST_H
#define _WINIOMMU_TEST_H

#include <kunit/test.h>
#include <linux/string.h>

#include <wdm.h>

#include "winiommu.h"

/* Every output is pre-filled with this byte and must keep it on failure. */
#define WINIOMMU_TEST_CANARY		0xa5

/* A handle output that the routine under test must not have written. */
#define WINIOMMU_TEST_BAD_DOMAIN	((PIOMMU_DMA_DOMAIN)0xdeadbeefUL)

/* A logical-address output that must stay unwritten on failure. */
#define WINIOMMU_TEST_BAD_ADDR		0xdeadbeefdeadbeefULL

/* True when @len bytes at @p all still hold WINIOMMU_TEST_CANARY. */
static inline bool winiommu_test_untouched(const void *p, size_t len)
{
	return !memchr_inv(p, WINIOMMU_TEST_CANARY, len);
}

/**
 * struct winiommu_test_snap - module state a test case must leave as found.
 * @domains: live domains (winiommu_obj_count(WINIOMMU_OBJ_DOMAIN)).
 * @devices: live DMA devices.
 * @tokens: live logical address tokens.
 * @pasid_devices: live PASID devices.
 * @unmanaged: live Unmanaged domains (the "ASID" budget in use).
 * @params: the module parameters, restored on exit whatever the test did.
 */
struct winiommu_test_snap {
	unsigned long domains;
	unsigned long devices;
	unsigned long tokens;
	unsigned long pasid_devices;
	unsigned int unmanaged;
	struct winiommu_params params;
};

void winiommu_test_snap_take(struct winiommu_test_snap *snap);
void winiommu_test_snap_check(struct kunit *test, const struct winiommu_test_snap *snap);
void winiommu_test_forget(void **arr, unsigned int *n, void *h);

struct device *winiommu_test_root_device(const char *name);

extern struct kunit_suite winiommu_status_suite;
extern struct kunit_suite winiommu_getters_suite;
extern struct kunit_suite winiommu_alloc_suite;
extern struct kunit_suite winiommu_domain_suite;
extern struct kunit_suite winiommu_mapping_suite;
extern struct kunit_suite winiommu_token_suite;
extern struct kunit_suite winiommu_v1_suite;
extern struct kunit_suite winiommu_shadow_suite;
extern struct kunit_suite winiommu_isolation_suite;
extern struct kunit_suite winiommu_device_suite;
extern struct kunit_suite winiommu_device_mock_suite;
extern struct kunit_suite winiommu_pasid_suite;
extern struct kunit_suite winiommu_failnth_suite;
extern struct kunit_suite winiommu_hostile_suite;
extern struct kunit_suite winiommu_stress_suite;

#endif /* _WINIOMMU_TEST_H */
