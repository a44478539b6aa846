// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The winiommu authors
 *
 * The Linux backend: winiommu's IOMMU operations carried out by the Linux
 * IOMMU core, for whatever IOMMU driver the machine has.  Kernel-version
 * differences are in compat.h; this file only picks the calls.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/pci.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>

#include "winiommu.h"
#include "backend.h"

static bool linux_owns(struct device *dev)
{
	return true;
}

static struct iommu_group *linux_group_get(struct device *dev)
{
	return iommu_group_get(dev);
}

static void linux_group_put(struct iommu_group *group)
{
	iommu_group_put(group);
}

static const void *linux_instance(struct device *dev)
{
	return winiommu_compat_iommu_instance(dev);
}

static unsigned int linux_input_ids(struct device *dev, u32 *ids, unsigned int max)
{
	struct iommu_fwspec *fwspec = dev_iommu_fwspec_get(dev);
	unsigned int i, n = 0;

	if (fwspec && fwspec->num_ids) {
		n = fwspec->num_ids;
		for (i = 0; i < min(n, max); i++)
			ids[i] = fwspec->ids[i];
	} else if (dev_is_pci(dev)) {
		n = 1;
		if (max)
			ids[0] = pci_dev_id(to_pci_dev(dev));
	}
	return n;
}

static bool linux_default_identity(struct device *dev)
{
	struct iommu_domain *d = iommu_get_domain_for_dev(dev);

	return d && d->type == IOMMU_DOMAIN_IDENTITY;
}

static int linux_claim_dma(struct device *dev, struct iommu_group *group, void *owner)
{
	return winiommu_compat_claim_dma(dev, group, owner);
}

static void linux_release_dma(struct device *dev, struct iommu_group *group)
{
	winiommu_compat_release_dma(dev, group);
}

static struct iommu_domain *linux_domain_alloc(struct device *dev)
{
	return winiommu_compat_domain_alloc(dev);
}

static int linux_attach(struct iommu_domain *d, struct device *dev, struct iommu_group *group)
{
	return iommu_attach_group(d, group);
}

static void linux_detach(struct iommu_domain *d, struct device *dev, struct iommu_group *group)
{
	iommu_detach_group(d, group);
}

static int linux_resv_regions(struct device *dev, struct iommu_group *group,
			      struct list_head *head)
{
	return iommu_get_group_resv_regions(group, head);
}

/* iommu_get_group_resv_regions() entries have no free callback. */
static void linux_put_resv_regions(struct list_head *head)
{
	struct iommu_resv_region *r, *next;

	list_for_each_entry_safe(r, next, head, list) {
		list_del(&r->list);
		kfree(r);
	}
}

static int linux_msi_cookie(struct iommu_domain *d, dma_addr_t base)
{
	return iommu_get_msi_cookie(d, base);
}

static u32 linux_max_pasids(struct device *dev)
{
	return winiommu_compat_max_pasids(dev);
}

static int linux_pasid_alloc(struct device *dev)
{
	return winiommu_compat_alloc_pasid(dev);
}

static void linux_pasid_free(struct device *dev, u32 pasid)
{
	winiommu_compat_free_pasid(dev, pasid);
}

static size_t linux_unmap(struct iommu_domain *d, unsigned long iova, size_t size,
			  struct iommu_iotlb_gather *gather)
{
	return iommu_unmap_fast(d, iova, size, gather);
}

static void linux_iotlb_sync(struct iommu_domain *d, struct iommu_iotlb_gather *gather)
{
	iommu_iotlb_sync(d, gather);
}

static void linux_flush_all(struct iommu_domain *d)
{
	iommu_flush_iotlb_all(d);
}

const struct winiommu_backend winiommu_linux_backend = {
	.name			= "linux",
	.owns			= linux_owns,
	.group_get		= linux_group_get,
	.group_put		= linux_group_put,
	.instance		= linux_instance,
	.input_ids		= linux_input_ids,
	.default_identity	= linux_default_identity,
	.claim_dma		= linux_claim_dma,
	.release_dma		= linux_release_dma,
	.domain_alloc		= linux_domain_alloc,
	.domain_free		= iommu_domain_free,
	.attach			= linux_attach,
	.detach			= linux_detach,
	.resv_regions		= linux_resv_regions,
	.put_resv_regions	= linux_put_resv_regions,
	.msi_cookie		= linux_msi_cookie,
	.set_fault_handler	= iommu_set_fault_handler,
	.dev_faults_on		= winiommu_compat_dev_faults_on,
	.dev_faults_off		= winiommu_compat_dev_faults_off,
	.max_pasids		= linux_max_pasids,
	.domain_alloc_pasid	= winiommu_compat_domain_alloc_pasid,
	.pasid_alloc		= linux_pasid_alloc,
	.pasid_free		= linux_pasid_free,
	.attach_pasid		= winiommu_compat_attach_pasid,
	.detach_pasid		= winiommu_compat_detach_pasid,
	.map			= winiommu_compat_map,
	.unmap			= linux_unmap,
	.iotlb_sync		= linux_iotlb_sync,
	.flush_all		= linux_flush_all,
	.iova_to_phys		= iommu_iova_to_phys,
};

/* ---- backend selection --------------------------------------------------- */

/* The KUnit suites' mock, if registered; it serves the devices it owns. */
static const struct winiommu_backend __rcu *winiommu_test_backend;
static DEFINE_MUTEX(winiommu_backend_lock);

const struct winiommu_backend *winiommu_backend_for(struct device *dev)
{
	const struct winiommu_backend *be;

	rcu_read_lock();
	be = rcu_dereference(winiommu_test_backend);
	if (!be || !be->owns(dev))
		be = &winiommu_linux_backend;
	rcu_read_unlock();
	return be;
}

/**
 * winiommu_register_test_backend() - serve the devices a test backend owns.
 * @be: the backend; its owns() picks the devices it serves.
 *
 * Return: 0, or -EBUSY if a test backend is already registered.
 */
int winiommu_register_test_backend(const struct winiommu_backend *be)
{
	int ret = 0;

	mutex_lock(&winiommu_backend_lock);
	if (rcu_access_pointer(winiommu_test_backend))
		ret = -EBUSY;
	else
		rcu_assign_pointer(winiommu_test_backend, be);
	mutex_unlock(&winiommu_backend_lock);
	return ret;
}
EXPORT_SYMBOL_NS_GPL(winiommu_register_test_backend, WINIOMMU_TEST_NS);

/**
 * winiommu_unregister_test_backend() - stop serving devices with a test backend.
 * @be: the backend given to winiommu_register_test_backend().
 *
 * Returns after an RCU grace period: no lookup still finds @be.
 */
void winiommu_unregister_test_backend(const struct winiommu_backend *be)
{
	mutex_lock(&winiommu_backend_lock);
	if (rcu_access_pointer(winiommu_test_backend) == be)
		RCU_INIT_POINTER(winiommu_test_backend, NULL);
	mutex_unlock(&winiommu_backend_lock);
	synchronize_rcu();
}
EXPORT_SYMBOL_NS_GPL(winiommu_unregister_test_backend, WINIOMMU_TEST_NS);
