/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (C) 2026 The winiommu authors
 *
 * mock_backend.h - a recording winiommu backend for devices the suites
 * create themselves (root devices), so that the error paths real IOMMUs
 * never take can be driven on purpose.
 *
 * The mock keeps a software page table per domain (an xarray of 4 KiB
 * entries), counts every call, fails any operation on request, and checks
 * the invariants winiommu must keep towards a real IOMMU core at every
 * step: attach only after claiming DMA ownership, release only after
 * detaching, never map a page twice, never unmap what is not mapped, map
 * only inside the aperture, free only unused domains, attach only PASIDs
 * that were allocated and not attached yet, with DMA ownership held, and
 * detach only attached ones.  A broken invariant
 * is counted in winiommu_mock.violations and described in .why.
 */
#ifndef _WINIOMMU_MOCK_BACKEND_H
#define _WINIOMMU_MOCK_BACKEND_H

#include <linux/bitmap.h>
#include <linux/iommu.h>
#include <linux/xarray.h>

#include <wdm.h>

struct kunit;

/* Operations that can be made to fail. */
enum mock_op {
	MOCK_OP_GROUP_GET,	/* group_get returns NULL: no IOMMU */
	MOCK_OP_CLAIM,
	MOCK_OP_ALLOC,
	MOCK_OP_ATTACH,
	MOCK_OP_RESV,
	MOCK_OP_MSI_COOKIE,
	MOCK_OP_MAP,
	MOCK_OP_PASID_ALLOC,
	MOCK_OP_ATTACH_PASID,
	MOCK_OP_NR,
};

/**
 * struct mock_fail - make one operation fail.
 * @err: the errno returned (0: the operation works).
 * @skip: calls that still succeed before the failures start.
 */
struct mock_fail {
	int err;
	unsigned int skip;
};

/* Reserved regions a mock device reports (struct mock_dev.resv bits). */
#define MOCK_RESV_MSI		BIT(0)	/* IOMMU_RESV_MSI at MOCK_MSI_BASE */
#define MOCK_RESV_SW_MSI	BIT(1)	/* IOMMU_RESV_SW_MSI at MOCK_SW_MSI_BASE */
#define MOCK_RESV_DIRECT	BIT(2)	/* IOMMU_RESV_DIRECT at MOCK_DIRECT_BASE */
#define MOCK_RESV_RESERVED	BIT(3)	/* IOMMU_RESV_RESERVED at MOCK_HOLE_BASE */

#define MOCK_MSI_BASE		0xfee00000ULL
#define MOCK_MSI_SIZE		SZ_1M
#define MOCK_SW_MSI_BASE	0x08000000ULL
#define MOCK_SW_MSI_SIZE	SZ_1M
#define MOCK_DIRECT_BASE	0x09000000ULL
#define MOCK_DIRECT_SIZE	(2 * SZ_4K)
#define MOCK_HOLE_BASE		0x0a000000ULL
#define MOCK_HOLE_SIZE		SZ_64K

#define MOCK_APERTURE_END	((1ULL << 48) - 1)
#define MOCK_MAX_DEVS		4
#define MOCK_MAX_INSTANCES	2
#define MOCK_MAX_PASIDS		64	/* largest max_pasids a mock device may have */

struct mock_domain;

/**
 * struct mock_dev - a device served by the mock.
 * @dev: the root device the suite registered.
 * @instance: which mock IOMMU instance it sits behind (< MOCK_MAX_INSTANCES).
 * @identity: its group's default domain is an identity domain.
 * @resv: MOCK_RESV_* regions it reports.
 * @id: its input mapping ID.
 * @group_cookie: the address is its fake struct iommu_group.
 * @group_refs: references from group_get not yet put.
 * @claimed: winiommu holds DMA ownership.
 * @attached: the mock domain it is attached to, or NULL.
 * @max_pasids: PASIDs it can tag DMA with (0: none), at most
 *	MOCK_MAX_PASIDS; set before CreateDevice.
 * @pasids: PASIDs allocated to it (pasid_alloc), from 1 up.
 * @pasid_dom: the mock domain each PASID is attached to, or NULL.
 * @nr_pasids_attached: non-NULL entries of @pasid_dom.
 */
struct mock_dev {
	struct device *dev;
	unsigned int instance;
	bool identity;
	unsigned int resv;
	u32 id;
	u8 group_cookie;
	int group_refs;
	bool claimed;
	struct mock_domain *attached;
	u32 max_pasids;
	DECLARE_BITMAP(pasids, MOCK_MAX_PASIDS);
	struct mock_domain *pasid_dom[MOCK_MAX_PASIDS];
	unsigned int nr_pasids_attached;
};

/**
 * struct mock_domain - a paging domain of the mock.
 * @domain: what winiommu sees: UNMANAGED, 4 KiB | 2 MiB pages, aperture
 *	0 .. MOCK_APERTURE_END, forced.
 * @pt: the page table, iova >> 12 -> xa_mk_value((pa >> 12) << 3 | prot).
 * @pages: mapped 4 KiB pages.
 * @instance: the instance it was allocated for.
 * @users: devices attached.
 * @pasid_users: PASIDs attached.
 * @pasid_capable: allocated by domain_alloc_pasid: only such domains take
 *	PASIDs (as Linux 6.15+ drivers enforce IOMMU_HWPT_ALLOC_PASID).
 * @msi_base: the MSI cookie's base, valid if @msi_cookie.
 * @msi_cookie: msi_cookie() was called.
 * @fault_handler: what set_fault_handler() installed: the suites call it
 *	as a driver's report_iommu_fault() would.
 * @fault_token: its token.
 */
struct mock_domain {
	struct iommu_domain domain;
	struct xarray pt;
	unsigned long pages;
	unsigned int instance;
	unsigned int users;
	unsigned int pasid_users;
	bool pasid_capable;
	dma_addr_t msi_base;
	bool msi_cookie;
	iommu_fault_handler_t fault_handler;
	void *fault_token;
};

/**
 * struct winiommu_mock - the mock's whole state; reset by winiommu_mock_reset().
 * @fail: injected failures, by operation.
 * @group_gets..@flushes: calls made (failed calls included).
 * @pasid_allocs..@pasid_detaches: successful PASID calls.
 * @largest_map: the largest size one successful map() call covered.
 * @live_domains: domains allocated and not freed.
 * @violations: invariants winiommu broke; @why describes the first one.
 */
struct winiommu_mock {
	struct mock_fail fail[MOCK_OP_NR];
	unsigned int group_gets, group_puts;
	unsigned int claims, releases;
	unsigned int allocs, frees;
	unsigned int attaches, detaches;
	unsigned int resv_gets, resv_puts;
	unsigned int msi_cookies;
	unsigned int maps, unmaps, syncs, flushes;
	unsigned int pasid_allocs, pasid_frees;
	unsigned int pasid_attaches, pasid_detaches;
	size_t largest_map;
	int live_domains;
	unsigned int violations;
	char why[128];
};

extern struct winiommu_mock winiommu_mock;
extern const struct winiommu_backend winiommu_mock_backend;

void winiommu_mock_reset(void);
/* .suite_init / .suite_exit of the suites whose devices the mock serves */
int winiommu_mock_suite_init(struct kunit_suite *suite);
void winiommu_mock_suite_exit(struct kunit_suite *suite);
/* the mock's books balance: everything taken was given back */
void winiommu_mock_expect_balanced(struct kunit *test, const char *when);
/*
 * The start of a case of those suites: the V3 table into @ex and *@t, the
 * mock reset, the leak snapshot into @snap, @fixture as test->priv.
 */
struct winiommu_test_snap;
int winiommu_mock_case_init(struct kunit *test, void *fixture, DMA_IOMMU_INTERFACE_EX *ex,
			    const DMA_IOMMU_INTERFACE_V3 **t, struct winiommu_test_snap *snap);
struct mock_dev *winiommu_mock_dev_add(struct kunit *test, const char *name,
				       unsigned int instance);
void winiommu_mock_dev_remove(struct mock_dev *md);
phys_addr_t winiommu_mock_lookup(struct mock_domain *md, u64 iova, int *prot);

#endif /* _WINIOMMU_MOCK_BACKEND_H */
