// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The winiommu authors
 *
 * winiommu_test.ko: the KUnit suites of winiommu.  Loaded after
 * winiommu.ko; each suite runs on load and reports through KTAP and
 * debugfs.  The suites live one per file; this file only registers them.
 */
#include <linux/module.h>

#include "winiommu_test.h"

kunit_test_suites(&winiommu_status_suite, &winiommu_getters_suite,
		  &winiommu_alloc_suite, &winiommu_domain_suite,
		  &winiommu_mapping_suite, &winiommu_token_suite, &winiommu_v1_suite);
kunit_test_suites(&winiommu_device_suite, &winiommu_device_mock_suite);
kunit_test_suites(&winiommu_pasid_suite);
kunit_test_suites(&winiommu_failnth_suite, &winiommu_hostile_suite, &winiommu_stress_suite);
kunit_test_suites(&winiommu_shadow_suite);
kunit_test_suites(&winiommu_isolation_suite);

MODULE_DESCRIPTION("KUnit suites for winiommu, the Windows DMA IOMMU interface");
MODULE_AUTHOR("The winiommu authors");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(WINIOMMU_TEST_NS);
