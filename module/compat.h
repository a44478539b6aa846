/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (C) 2026 The winiommu authors
 *
 * compat.h - every difference between the kernels winiommu supports
 * (6.1 LTS, 6.12 LTS, newest mainline).  This is the only file that may test
 * LINUX_VERSION_CODE; everything else calls the helpers defined here.
 */
#ifndef _WINIOMMU_COMPAT_H
#define _WINIOMMU_COMPAT_H

#include <linux/version.h>
#include <linux/err.h>
#include <linux/export.h>
#include <linux/gfp.h>
#include <linux/iommu.h>
#include <linux/module.h>

/*
 * Symbol namespaces: a bare token before 6.13, a string literal from 6.13
 * on (EXPORT_SYMBOL_NS_GPL and MODULE_IMPORT_NS both changed).
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 13, 0)
#define WINIOMMU_TEST_NS "WINIOMMU_TEST"
#else
#define WINIOMMU_TEST_NS WINIOMMU_TEST
#endif

/*
 * Paging domain allocation: iommu_paging_domain_alloc(dev) from 6.11
 * (ERR_PTR on failure); before, iommu_domain_alloc(bus), NULL on failure.
 */
static inline struct iommu_domain *winiommu_compat_domain_alloc(struct device *dev)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
	return iommu_paging_domain_alloc(dev);
#else
	struct iommu_domain *d = iommu_domain_alloc(dev->bus);

	return d ? d : ERR_PTR(-ENOMEM);
#endif
}

/* iommu_map() takes a gfp_t from 6.3; iommu_map_atomic() went away then. */
static inline int winiommu_compat_map(struct iommu_domain *d, unsigned long iova,
				      phys_addr_t pa, size_t size, int prot, gfp_t gfp)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
	return iommu_map(d, iova, pa, size, prot, gfp);
#else
	if (gfpflags_allow_blocking(gfp))
		return iommu_map(d, iova, pa, size, prot);
	return iommu_map_atomic(d, iova, pa, size, prot);
#endif
}

/*
 * DMA ownership: per device from 6.2 (other devices of the group may share
 * the owner cookie), per group before.
 */
static inline int winiommu_compat_claim_dma(struct device *dev, struct iommu_group *group,
					    void *owner)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
	return iommu_device_claim_dma_owner(dev, owner);
#else
	return iommu_group_claim_dma_owner(group, owner);
#endif
}

static inline void winiommu_compat_release_dma(struct device *dev, struct iommu_group *group)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
	iommu_device_release_dma_owner(dev);
#else
	iommu_group_release_dma_owner(group);
#endif
}

/*
 * The IOMMU instance a device sits behind, as a key: Linux domains are
 * per instance.  struct dev_iommu has carried iommu_dev since 5.x.
 */
static inline const void *winiommu_compat_iommu_instance(struct device *dev)
{
	return dev->iommu ? (const void *)dev->iommu->iommu_dev : NULL;
}

#endif /* _WINIOMMU_COMPAT_H */
