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

/*
 * PASIDs (V3 PASID devices).  winiommu attaches a PASID of a device to one
 * of its paging domains through the core's kernel-DMA PASID interface,
 * which it uses from 6.6 on: iommu_attach_device_pasid() (6.2; a fourth
 * argument, the attach handle, from 6.11), dev->iommu->max_pasids (6.2)
 * and the global PASID allocator shared with SVA (6.6).  Before 6.6 a
 * device has no PASIDs as far as winiommu is concerned.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
#define WINIOMMU_COMPAT_PASID 1
#endif

/*
 * PASIDs @dev can use for tagged DMA, 0 when it cannot: the minimum of the
 * device's PCIe PASID capability and the IOMMU's (dev->iommu->max_pasids,
 * set by the core at probe), and 0 when the driver's paging domains
 * cannot be attached to a PASID (no set_dev_pasid, e.g. AMD before its
 * v2 page-table domains).  PASID 0 stands for untagged DMA, so fewer than
 * two is none.
 */
static inline u32 winiommu_compat_max_pasids(struct device *dev)
{
#ifdef WINIOMMU_COMPAT_PASID
	const struct iommu_domain_ops *ops = NULL;

	if (!dev->iommu || !dev->iommu->iommu_dev || dev->iommu->max_pasids < 2)
		return 0;
	if (dev->iommu->iommu_dev->ops)
		ops = dev->iommu->iommu_dev->ops->default_domain_ops;
	/* drivers without default_domain_ops set ops per domain: trust max_pasids */
	if (ops && !ops->set_dev_pasid)
		return 0;
	return dev->iommu->max_pasids;
#else
	return 0;
#endif
}

/*
 * A paging domain that may be attached to PASIDs: from 6.15 drivers
 * enforce IOMMU_HWPT_ALLOC_PASID (AMD picks its v2 page table for it), and
 * iommu_paging_domain_alloc_flags() exists from 6.13; before, every paging
 * domain of a PASID-capable driver will do.
 */
static inline struct iommu_domain *winiommu_compat_domain_alloc_pasid(struct device *dev)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 15, 0)
	return iommu_paging_domain_alloc_flags(dev, IOMMU_HWPT_ALLOC_PASID);
#else
	return winiommu_compat_domain_alloc(dev);
#endif
}

/* A PASID for @dev from the core's global allocator, or a negative errno. */
static inline int winiommu_compat_alloc_pasid(struct device *dev)
{
#ifdef WINIOMMU_COMPAT_PASID
	ioasid_t pasid = iommu_alloc_global_pasid(dev);

	return pasid == IOMMU_PASID_INVALID ? -ENOSPC : (int)pasid;
#else
	return -EOPNOTSUPP;
#endif
}

static inline void winiommu_compat_free_pasid(struct device *dev, u32 pasid)
{
#ifdef WINIOMMU_COMPAT_PASID
	iommu_free_global_pasid(pasid);
#endif
}

static inline int winiommu_compat_attach_pasid(struct iommu_domain *d, struct device *dev,
					       u32 pasid)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
	return iommu_attach_device_pasid(d, dev, pasid, NULL);
#elif defined(WINIOMMU_COMPAT_PASID)
	return iommu_attach_device_pasid(d, dev, pasid);
#else
	return -EOPNOTSUPP;
#endif
}

static inline void winiommu_compat_detach_pasid(struct iommu_domain *d, struct device *dev,
						u32 pasid)
{
#ifdef WINIOMMU_COMPAT_PASID
	iommu_detach_device_pasid(d, dev, pasid);
#endif
}

#endif /* _WINIOMMU_COMPAT_H */
