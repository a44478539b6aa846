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

struct winiommu_test_edu;

/**
 * struct winiommu_test_fx - the fixture of the suites that drive the edu
 * device through the V2 table (mapping, token, shadow, isolation).
 * @snap: the leak check.
 * @ifc: the table, from IoGetIommuInterfaceEx(DMA_IOMMU_INTERFACE_EX_VERSION_2).
 * @v2: &@ifc.V2.
 * @dom: the case's domain, deleted at the end of the case.
 * @dev: the edu device as a winiommu device, deleted at the end.
 * @edu: the driver_managed_dma edu device, or NULL when the guest has none.
 * @attached: @dev is attached to @dom, detached at the end.
 */
struct winiommu_test_fx {
	struct winiommu_test_snap snap;
	DMA_IOMMU_INTERFACE_EX ifc;
	DMA_IOMMU_INTERFACE_V2 *v2;
	PIOMMU_DMA_DOMAIN dom;
	PIOMMU_DMA_DEVICE dev;
	struct winiommu_test_edu *edu;
	bool attached;
};

void winiommu_test_fx_setup(struct kunit *test, struct winiommu_test_fx *f);
void winiommu_test_fx_teardown(struct kunit *test, struct winiommu_test_fx *f);
/* a case's .init and .exit for a suite whose test->priv is the fixture itself */
int winiommu_test_fx_init(struct kunit *test);
void winiommu_test_fx_exit(struct kunit *test);
/* @f->dom: a domain of @type with a buddy allocator of @width bits (0: none) */
void winiommu_test_fx_domain(struct kunit *test, struct winiommu_test_fx *f,
			     IOMMU_DMA_DOMAIN_TYPE type, u32 width,
			     PIOMMU_DMA_RESERVED_REGION regions);
/* @f->dev: the edu device, attached to @f->dom (the case is skipped without it) */
void winiommu_test_fx_attach(struct kunit *test, struct winiommu_test_fx *f);
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
