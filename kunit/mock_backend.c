// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The winiommu authors
 *
 * The mock backend (mock_backend.h): a struct winiommu_backend for root
 * devices the suites register, with fake IOMMU groups and instances, a
 * software page table per domain, call counters, injectable failures and
 * an invariant check at every call.  Every call comes from the suite's
 * own thread through winiommu, so the state needs no lock.
 */
#include <kunit/test.h>
#include <linux/device.h>
#include <linux/slab.h>
#include <linux/stdarg.h>

#include "winiommu.h"
#include "backend.h"
#include "mock_backend.h"
#include "winiommu_test.h"

struct winiommu_mock winiommu_mock;

/* The devices the mock serves; only the suite's thread changes the table. */
static struct mock_dev *mock_devs[MOCK_MAX_DEVS];

/* Fake IOMMU instances: only their addresses matter. */
static const u8 mock_instances[MOCK_MAX_INSTANCES];

/* Page-table entry: physical frame and the IOMMU_READ/WRITE/CACHE bits. */
#define MOCK_PROT_MASK		(IOMMU_READ | IOMMU_WRITE | IOMMU_CACHE)
#define MOCK_PROT_BITS		3

static __printf(1, 2) void mock_violation(const char *fmt, ...)
{
	char buf[sizeof(winiommu_mock.why)];
	va_list args;

	va_start(args, fmt);
	vsnprintf(buf, sizeof(buf), fmt, args);
	va_end(args);
	if (!winiommu_mock.violations++)
		strscpy(winiommu_mock.why, buf, sizeof(winiommu_mock.why));
	pr_err("winiommu mock: invariant broken: %s\n", buf);
}

/* The injected errno for @op, or 0 when this call is to succeed. */
static int mock_should_fail(enum mock_op op)
{
	struct mock_fail *f = &winiommu_mock.fail[op];

	if (!f->err)
		return 0;
	if (f->skip) {
		f->skip--;
		return 0;
	}
	return f->err;
}

static struct mock_dev *mock_dev_of(struct device *dev)
{
	unsigned int i;

	for (i = 0; i < MOCK_MAX_DEVS; i++) {
		struct mock_dev *md = READ_ONCE(mock_devs[i]);

		if (md && md->dev == dev)
			return md;
	}
	return NULL;
}

/* The device behind @dev, checking that @group is its fake group. */
static struct mock_dev *mock_dev_checked(const char *op, struct device *dev,
					 struct iommu_group *group)
{
	struct mock_dev *md = mock_dev_of(dev);

	if (!md) {
		mock_violation("%s: %s is not a mock device", op, dev_name(dev));
		return NULL;
	}
	if (group && group != (struct iommu_group *)&md->group_cookie)
		mock_violation("%s: %s with another device's group", op, dev_name(dev));
	return md;
}

static struct mock_domain *to_mock_domain(struct iommu_domain *d)
{
	return container_of(d, struct mock_domain, domain);
}

/* ---- devices and groups --------------------------------------------------- */

static bool mock_owns(struct device *dev)
{
	return mock_dev_of(dev);
}

static struct iommu_group *mock_group_get(struct device *dev)
{
	struct mock_dev *md = mock_dev_checked("group_get", dev, NULL);

	if (!md || mock_should_fail(MOCK_OP_GROUP_GET))
		return NULL;
	md->group_refs++;
	winiommu_mock.group_gets++;
	return (struct iommu_group *)&md->group_cookie;
}

static void mock_group_put(struct iommu_group *group)
{
	unsigned int i;

	for (i = 0; i < MOCK_MAX_DEVS; i++) {
		struct mock_dev *md = mock_devs[i];

		if (md && group == (struct iommu_group *)&md->group_cookie) {
			if (--md->group_refs < 0)
				mock_violation("group_put: %s's group put once too often",
					       dev_name(md->dev));
			winiommu_mock.group_puts++;
			return;
		}
	}
	mock_violation("group_put: %p is no mock group", group);
}

static const void *mock_instance(struct device *dev)
{
	struct mock_dev *md = mock_dev_checked("instance", dev, NULL);

	return md ? &mock_instances[md->instance] : NULL;
}

static unsigned int mock_input_ids(struct device *dev, u32 *ids, unsigned int max)
{
	struct mock_dev *md = mock_dev_checked("input_ids", dev, NULL);

	if (!md)
		return 0;
	if (max)
		ids[0] = md->id;
	return 1;
}

static bool mock_default_identity(struct device *dev)
{
	struct mock_dev *md = mock_dev_checked("default_identity", dev, NULL);

	return md && md->identity;
}

static int mock_claim_dma(struct device *dev, struct iommu_group *group, void *owner)
{
	struct mock_dev *md = mock_dev_checked("claim_dma", dev, group);
	int ret;

	if (!md)
		return -ENODEV;
	ret = mock_should_fail(MOCK_OP_CLAIM);
	if (ret)
		return ret;
	if (!owner)
		mock_violation("claim_dma: %s claimed without an owner cookie", dev_name(dev));
	if (md->claimed) {
		mock_violation("claim_dma: %s claimed twice", dev_name(dev));
		return -EPERM;
	}
	if (md->nr_pasids_attached) {
		/* the core refuses ownership changes while PASIDs are attached */
		mock_violation("claim_dma: %s claimed with PASIDs attached", dev_name(dev));
		return -EBUSY;
	}
	md->claimed = true;
	winiommu_mock.claims++;
	return 0;
}

static void mock_release_dma(struct device *dev, struct iommu_group *group)
{
	struct mock_dev *md = mock_dev_checked("release_dma", dev, group);

	if (!md)
		return;
	if (!md->claimed) {
		mock_violation("release_dma: %s was not claimed", dev_name(dev));
		return;
	}
	if (md->attached)
		mock_violation("release_dma: %s released while still attached", dev_name(dev));
	if (md->nr_pasids_attached)
		mock_violation("release_dma: %s released with %u PASID(s) attached (core WARNs)",
			       dev_name(dev), md->nr_pasids_attached);
	md->claimed = false;
	winiommu_mock.releases++;
}

/* ---- domains --------------------------------------------------------------- */

static struct iommu_domain *mock_domain_alloc(struct device *dev)
{
	struct mock_dev *md = mock_dev_checked("domain_alloc", dev, NULL);
	struct mock_domain *m;
	int ret;

	if (!md)
		return ERR_PTR(-ENODEV);
	ret = mock_should_fail(MOCK_OP_ALLOC);
	if (ret)
		return ERR_PTR(ret);
	m = kzalloc(sizeof(*m), GFP_KERNEL);
	if (!m)
		return ERR_PTR(-ENOMEM);
	m->domain.type = IOMMU_DOMAIN_UNMANAGED;
	m->domain.pgsize_bitmap = SZ_4K | SZ_2M;
	m->domain.geometry.aperture_start = 0;
	m->domain.geometry.aperture_end = MOCK_APERTURE_END;
	m->domain.geometry.force_aperture = true;
	xa_init(&m->pt);
	m->instance = md->instance;
	winiommu_mock.allocs++;
	winiommu_mock.live_domains++;
	return &m->domain;
}

static void mock_domain_free(struct iommu_domain *d)
{
	struct mock_domain *m = to_mock_domain(d);

	if (m->users || m->pasid_users)
		mock_violation("domain_free: %u device(s) and %u PASID(s) still attached", m->users,
			       m->pasid_users);
	xa_destroy(&m->pt);
	winiommu_mock.frees++;
	winiommu_mock.live_domains--;
	kfree(m);
}

static int mock_attach(struct iommu_domain *d, struct device *dev, struct iommu_group *group)
{
	struct mock_dev *md = mock_dev_checked("attach", dev, group);
	struct mock_domain *m = to_mock_domain(d);
	int ret;

	if (!md)
		return -ENODEV;
	ret = mock_should_fail(MOCK_OP_ATTACH);
	if (ret)
		return ret;
	if (!md->claimed)
		mock_violation("attach: %s attached without DMA ownership", dev_name(dev));
	if (md->attached) {
		mock_violation("attach: %s is attached already", dev_name(dev));
		return -EBUSY;
	}
	if (m->instance != md->instance) {
		mock_violation("attach: %s to a domain of another IOMMU instance", dev_name(dev));
		return -EINVAL;
	}
	md->attached = m;
	m->users++;
	winiommu_mock.attaches++;
	return 0;
}

static void mock_detach(struct iommu_domain *d, struct device *dev, struct iommu_group *group)
{
	struct mock_dev *md = mock_dev_checked("detach", dev, group);
	struct mock_domain *m = to_mock_domain(d);

	if (!md)
		return;
	if (md->attached != m) {
		mock_violation("detach: %s is not attached to this domain", dev_name(dev));
		return;
	}
	md->attached = NULL;
	m->users--;
	winiommu_mock.detaches++;
}

/* ---- PASIDs ---------------------------------------------------------------- */

static u32 mock_max_pasids(struct device *dev)
{
	struct mock_dev *md = mock_dev_checked("max_pasids", dev, NULL);

	return md ? min_t(u32, md->max_pasids, MOCK_MAX_PASIDS) : 0;
}

static struct iommu_domain *mock_domain_alloc_pasid(struct device *dev)
{
	struct mock_dev *md = mock_dev_checked("domain_alloc_pasid", dev, NULL);
	struct iommu_domain *d;

	if (!md)
		return ERR_PTR(-ENODEV);
	if (!md->max_pasids) {
		/* a real driver answers -EOPNOTSUPP: winiommu must not ask */
		mock_violation("domain_alloc_pasid: %s has no PASIDs", dev_name(dev));
		return ERR_PTR(-EOPNOTSUPP);
	}
	d = mock_domain_alloc(dev);
	if (!IS_ERR(d))
		to_mock_domain(d)->pasid_capable = true;
	return d;
}

static int mock_pasid_alloc(struct device *dev)
{
	struct mock_dev *md = mock_dev_checked("pasid_alloc", dev, NULL);
	unsigned int limit, pasid;
	int ret;

	if (!md)
		return -ENODEV;
	ret = mock_should_fail(MOCK_OP_PASID_ALLOC);
	if (ret)
		return ret;
	limit = mock_max_pasids(dev);
	if (limit < 2) {
		mock_violation("pasid_alloc: %s has no PASIDs", dev_name(dev));
		return -EOPNOTSUPP;
	}
	pasid = find_next_zero_bit(md->pasids, limit, 1);
	if (pasid >= limit)
		return -ENOSPC;
	set_bit(pasid, md->pasids);
	winiommu_mock.pasid_allocs++;
	return pasid;
}

static void mock_pasid_free(struct device *dev, u32 pasid)
{
	struct mock_dev *md = mock_dev_checked("pasid_free", dev, NULL);

	if (!md)
		return;
	if (pasid >= MOCK_MAX_PASIDS || !test_and_clear_bit(pasid, md->pasids)) {
		mock_violation("pasid_free: PASID %u of %s is not allocated", pasid, dev_name(dev));
		return;
	}
	if (md->pasid_dom[pasid])
		mock_violation("pasid_free: PASID %u of %s is still attached", pasid,
			       dev_name(dev));
	winiommu_mock.pasid_frees++;
}

static int mock_attach_pasid(struct iommu_domain *d, struct device *dev, u32 pasid)
{
	struct mock_dev *md = mock_dev_checked("attach_pasid", dev, NULL);
	struct mock_domain *m = to_mock_domain(d);
	int ret;

	if (!md)
		return -ENODEV;
	ret = mock_should_fail(MOCK_OP_ATTACH_PASID);
	if (ret)
		return ret;
	if (!pasid || pasid >= MOCK_MAX_PASIDS || !test_bit(pasid, md->pasids)) {
		mock_violation("attach_pasid: PASID %u of %s is not allocated", pasid,
			       dev_name(dev));
		return -EINVAL;
	}
	if (!md->claimed)
		mock_violation("attach_pasid: %s without DMA ownership", dev_name(dev));
	if (md->pasid_dom[pasid]) {
		mock_violation("attach_pasid: PASID %u of %s is attached already", pasid,
			       dev_name(dev));
		return -EBUSY;
	}
	if (m->instance != md->instance) {
		mock_violation("attach_pasid: %s to a domain of another IOMMU instance",
			       dev_name(dev));
		return -EINVAL;
	}
	/* the driver's answer for a domain not allocated for PASIDs */
	if (!m->pasid_capable)
		return -EOPNOTSUPP;
	md->pasid_dom[pasid] = m;
	md->nr_pasids_attached++;
	m->pasid_users++;
	winiommu_mock.pasid_attaches++;
	return 0;
}

static void mock_detach_pasid(struct iommu_domain *d, struct device *dev, u32 pasid)
{
	struct mock_dev *md = mock_dev_checked("detach_pasid", dev, NULL);
	struct mock_domain *m = to_mock_domain(d);

	if (!md)
		return;
	if (pasid >= MOCK_MAX_PASIDS || md->pasid_dom[pasid] != m) {
		mock_violation("detach_pasid: PASID %u of %s is not attached to this domain", pasid,
			       dev_name(dev));
		return;
	}
	md->pasid_dom[pasid] = NULL;
	md->nr_pasids_attached--;
	m->pasid_users--;
	winiommu_mock.pasid_detaches++;
}

/* ---- reserved regions ------------------------------------------------------ */

static void mock_free_regions(struct list_head *head)
{
	struct iommu_resv_region *r, *next;

	list_for_each_entry_safe(r, next, head, list) {
		list_del(&r->list);
		kfree(r);
	}
}

static void mock_put_resv_regions(struct list_head *head)
{
	mock_free_regions(head);
	winiommu_mock.resv_puts++;
}

static int mock_resv_regions(struct device *dev, struct iommu_group *group,
			     struct list_head *head)
{
	static const struct {
		unsigned int bit;
		phys_addr_t start;
		size_t len;
		int prot;
		enum iommu_resv_type type;
	} regions[] = {
		{ MOCK_RESV_MSI, MOCK_MSI_BASE, MOCK_MSI_SIZE, IOMMU_WRITE | IOMMU_MMIO,
		  IOMMU_RESV_MSI },
		{ MOCK_RESV_SW_MSI, MOCK_SW_MSI_BASE, MOCK_SW_MSI_SIZE, IOMMU_WRITE | IOMMU_MMIO,
		  IOMMU_RESV_SW_MSI },
		{ MOCK_RESV_DIRECT, MOCK_DIRECT_BASE, MOCK_DIRECT_SIZE, IOMMU_READ | IOMMU_WRITE,
		  IOMMU_RESV_DIRECT },
		{ MOCK_RESV_RESERVED, MOCK_HOLE_BASE, MOCK_HOLE_SIZE, 0, IOMMU_RESV_RESERVED },
	};
	struct mock_dev *md = mock_dev_checked("resv_regions", dev, group);
	unsigned int i;
	int ret;

	if (!md)
		return -ENODEV;
	ret = mock_should_fail(MOCK_OP_RESV);
	if (ret)
		return ret;
	for (i = 0; i < ARRAY_SIZE(regions); i++) {
		struct iommu_resv_region *r;

		if (!(md->resv & regions[i].bit))
			continue;
		r = iommu_alloc_resv_region(regions[i].start, regions[i].len, regions[i].prot,
					    regions[i].type, GFP_KERNEL);
		if (!r) {
			mock_free_regions(head);
			return -ENOMEM;
		}
		list_add_tail(&r->list, head);
	}
	winiommu_mock.resv_gets++;
	return 0;
}

static int mock_msi_cookie(struct iommu_domain *d, dma_addr_t base)
{
	struct mock_domain *m = to_mock_domain(d);
	int ret = mock_should_fail(MOCK_OP_MSI_COOKIE);

	if (ret)
		return ret;
	if (m->msi_cookie) {
		mock_violation("msi_cookie: the domain has one already");
		return -EEXIST;
	}
	m->msi_cookie = true;
	m->msi_base = base;
	winiommu_mock.msi_cookies++;
	return 0;
}

static void mock_set_fault_handler(struct iommu_domain *d, iommu_fault_handler_t handler,
				   void *token)
{
	struct mock_domain *m = to_mock_domain(d);

	if (m->msi_cookie)
		mock_violation("set_fault_handler: newer kernels refuse it with an MSI cookie");
	m->fault_handler = handler;
	m->fault_token = token;
}

/* ---- the page table -------------------------------------------------------- */

static bool mock_range_ok(const char *op, unsigned long iova, size_t size)
{
	if (!size || !IS_ALIGNED(iova | size, SZ_4K)) {
		mock_violation("%s: [%#lx, +%#zx) is not whole 4 KiB pages", op, iova, size);
		return false;
	}
	if (iova + size - 1 < iova || iova + size - 1 > MOCK_APERTURE_END) {
		mock_violation("%s: [%#lx, +%#zx) leaves the aperture", op, iova, size);
		return false;
	}
	return true;
}

static int mock_map(struct iommu_domain *d, unsigned long iova, phys_addr_t pa, size_t size,
		    int prot, gfp_t gfp)
{
	struct mock_domain *m = to_mock_domain(d);
	unsigned long first = iova >> PAGE_SHIFT, n = size >> PAGE_SHIFT, i;
	int ret;

	ret = mock_should_fail(MOCK_OP_MAP);
	if (ret)
		return ret;
	if (!mock_range_ok("map", iova, size))
		return -EINVAL;
	if (!IS_ALIGNED(pa, SZ_4K)) {
		mock_violation("map: physical address %pa is not page aligned", &pa);
		return -EINVAL;
	}
	for (i = 0; i < n; i++) {
		u64 pfn = (u64)(pa >> PAGE_SHIFT) + i;
		u64 pte = (pfn << MOCK_PROT_BITS) | (prot & MOCK_PROT_MASK);

		ret = xa_insert(&m->pt, first + i, xa_mk_value(pte), gfp);
		if (ret)
			break;
	}
	if (ret) {
		if (ret == -EBUSY) {
			mock_violation("map: %#lx is mapped already", (first + i) << PAGE_SHIFT);
			ret = -EEXIST;
		}
		while (i--)
			xa_erase(&m->pt, first + i);
		return ret;
	}
	m->pages += n;
	winiommu_mock.maps++;
	winiommu_mock.largest_map = max(winiommu_mock.largest_map, size);
	return 0;
}

static size_t mock_unmap(struct iommu_domain *d, unsigned long iova, size_t size,
			 struct iommu_iotlb_gather *gather)
{
	struct mock_domain *m = to_mock_domain(d);
	unsigned long first = iova >> PAGE_SHIFT, n = size >> PAGE_SHIFT, i, holes = 0;

	if (!mock_range_ok("unmap", iova, size))
		return 0;
	for (i = 0; i < n; i++) {
		if (xa_erase(&m->pt, first + i))
			m->pages--;
		else
			holes++;
	}
	/* arm-smmu-v3 (io-pgtable-arm) WARNs on a range that is not mapped */
	if (holes)
		mock_violation("unmap: %lu of %lu pages at %#lx were not mapped", holes, n, iova);
	iommu_iotlb_gather_add_range(gather, iova, size);
	winiommu_mock.unmaps++;
	return (n - holes) << PAGE_SHIFT;
}

static void mock_iotlb_sync(struct iommu_domain *d, struct iommu_iotlb_gather *gather)
{
	winiommu_mock.syncs++;
}

static void mock_flush_all(struct iommu_domain *d)
{
	winiommu_mock.flushes++;
}

/* The page-table entry behind @iova: its physical address and prot bits. */
phys_addr_t winiommu_mock_lookup(struct mock_domain *m, u64 iova, int *prot)
{
	void *e = xa_load(&m->pt, iova >> PAGE_SHIFT);
	u64 pte;

	if (prot)
		*prot = 0;
	if (!e)
		return 0;
	pte = xa_to_value(e);
	if (prot)
		*prot = pte & MOCK_PROT_MASK;
	return ((pte >> MOCK_PROT_BITS) << PAGE_SHIFT) | (iova & ~PAGE_MASK);
}

static phys_addr_t mock_iova_to_phys(struct iommu_domain *d, dma_addr_t iova)
{
	return winiommu_mock_lookup(to_mock_domain(d), iova, NULL);
}

const struct winiommu_backend winiommu_mock_backend = {
	.name			= "mock",
	.owns			= mock_owns,
	.group_get		= mock_group_get,
	.group_put		= mock_group_put,
	.instance		= mock_instance,
	.input_ids		= mock_input_ids,
	.default_identity	= mock_default_identity,
	.claim_dma		= mock_claim_dma,
	.release_dma		= mock_release_dma,
	.domain_alloc		= mock_domain_alloc,
	.domain_free		= mock_domain_free,
	.attach			= mock_attach,
	.detach			= mock_detach,
	.resv_regions		= mock_resv_regions,
	.put_resv_regions	= mock_put_resv_regions,
	.msi_cookie		= mock_msi_cookie,
	.set_fault_handler	= mock_set_fault_handler,
	.max_pasids		= mock_max_pasids,
	.domain_alloc_pasid	= mock_domain_alloc_pasid,
	.pasid_alloc		= mock_pasid_alloc,
	.pasid_free		= mock_pasid_free,
	.attach_pasid		= mock_attach_pasid,
	.detach_pasid		= mock_detach_pasid,
	.map			= mock_map,
	.unmap			= mock_unmap,
	.iotlb_sync		= mock_iotlb_sync,
	.flush_all		= mock_flush_all,
	.iova_to_phys		= mock_iova_to_phys,
};

/* ---- for the suites --------------------------------------------------------- */

int winiommu_mock_suite_init(struct kunit_suite *suite)
{
	int ret = winiommu_register_test_backend(&winiommu_mock_backend);

	if (ret)
		pr_err("winiommu_test: cannot register the mock backend (%d)\n", ret);
	return ret;
}

void winiommu_mock_suite_exit(struct kunit_suite *suite)
{
	winiommu_unregister_test_backend(&winiommu_mock_backend);
}

int winiommu_mock_case_init(struct kunit *test, void *fixture, DMA_IOMMU_INTERFACE_EX *ex,
			    const DMA_IOMMU_INTERFACE_V3 **t, struct winiommu_test_snap *snap)
{
	if (IoGetIommuInterfaceEx(DMA_IOMMU_INTERFACE_EX_VERSION_3, 0, ex) != STATUS_SUCCESS)
		return -ENODEV;
	*t = &ex->V3;
	winiommu_mock_reset();
	winiommu_test_snap_take(snap);
	test->priv = fixture;
	return 0;
}

void winiommu_mock_expect_balanced(struct kunit *test, const char *when)
{
	struct winiommu_mock *m = &winiommu_mock;

	KUNIT_EXPECT_EQ_MSG(test, m->violations, 0, "%s: %s", when, m->why);
	KUNIT_EXPECT_EQ_MSG(test, m->claims, m->releases, "%s: DMA ownership", when);
	KUNIT_EXPECT_EQ_MSG(test, m->allocs, m->frees, "%s: Linux domains", when);
	KUNIT_EXPECT_EQ_MSG(test, m->live_domains, 0, "%s: Linux domains", when);
	KUNIT_EXPECT_EQ_MSG(test, m->attaches, m->detaches, "%s: attachments", when);
	KUNIT_EXPECT_EQ_MSG(test, m->resv_gets, m->resv_puts, "%s: reserved regions", when);
	KUNIT_EXPECT_EQ_MSG(test, m->pasid_attaches, m->pasid_detaches, "%s: PASID attachments",
			    when);
}

/* Forget all counters, failures and violations. */
void winiommu_mock_reset(void)
{
	memset(&winiommu_mock, 0, sizeof(winiommu_mock));
}

/**
 * winiommu_mock_dev_add() - register a root device the mock serves.
 * @test: for error reports.
 * @name: the root device's name.
 * @instance: the mock IOMMU instance it sits behind.
 *
 * Return: the device, or NULL (reported through @test).
 */
struct mock_dev *winiommu_mock_dev_add(struct kunit *test, const char *name,
				       unsigned int instance)
{
	struct mock_dev *md;
	struct device *dev;
	unsigned int i;

	for (i = 0; i < MOCK_MAX_DEVS && mock_devs[i]; i++)
		;
	if (i == MOCK_MAX_DEVS || instance >= MOCK_MAX_INSTANCES) {
		KUNIT_FAIL(test, "mock: no room for device %s", name);
		return NULL;
	}
	md = kzalloc(sizeof(*md), GFP_KERNEL);
	if (!md) {
		KUNIT_FAIL(test, "mock: out of memory");
		return NULL;
	}
	dev = winiommu_test_root_device(name);
	if (!dev) {
		KUNIT_FAIL(test, "mock: no root device %s", name);
		kfree(md);
		return NULL;
	}
	md->dev = dev;
	md->instance = instance;
	md->id = 0x100 + i;
	WRITE_ONCE(mock_devs[i], md);
	return md;
}

/* Unregister a device from winiommu_mock_dev_add(). */
void winiommu_mock_dev_remove(struct mock_dev *md)
{
	unsigned int i;

	for (i = 0; i < MOCK_MAX_DEVS; i++)
		if (mock_devs[i] == md)
			WRITE_ONCE(mock_devs[i], NULL);
	if (md->group_refs || md->claimed || md->attached)
		mock_violation("%s removed with %d group reference(s)%s%s", dev_name(md->dev),
			       md->group_refs, md->claimed ? ", claimed" : "",
			       md->attached ? ", attached" : "");
	if (md->nr_pasids_attached || !bitmap_empty(md->pasids, MOCK_MAX_PASIDS))
		mock_violation("%s removed with %u PASID(s) attached, %u allocated",
			       dev_name(md->dev), md->nr_pasids_attached,
			       bitmap_weight(md->pasids, MOCK_MAX_PASIDS));
	root_device_unregister(md->dev);
	kfree(md);
}
