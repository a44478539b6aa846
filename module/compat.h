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
#include <linux/slab.h>
#include <linux/vmstat.h>

/* What kind of translation fault an IOMMU reported (fault.c maps it to Windows'). */
enum winiommu_fault_kind {
	WINIOMMU_FAULT_TRANSLATION,
	WINIOMMU_FAULT_PERMISSION,
	WINIOMMU_FAULT_ACCESS_FLAG,
	WINIOMMU_FAULT_ADDRESS_SIZE,
};

/* fault.c: queue a fault of the winiommu device @data for its handler. */
int winiommu_dev_fault(void *data, u64 iova, bool write, enum winiommu_fault_kind kind);

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

/*
 * Per-device fault reports (6.1 - 6.8): iommu_register_device_fault_handler()
 * takes one handler per device, which SMMUv3 calls (from its event-queue
 * thread) with every unrecoverable translation, permission, access-flag
 * and address-size event of the device.  The call and its fault record
 * went away in 6.9; from then on no driver reports a device's
 * unrecoverable faults anywhere but the log.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 9, 0)
#define WINIOMMU_COMPAT_DEV_FAULT 1

/*
 * Decode one report: 0 and the address, direction and kind for an
 * unrecoverable fault with a valid address, -EOPNOTSUPP for anything else
 * (page requests belong to SVA, which winiommu does not offer).
 */
static inline int winiommu_compat_dev_fault_decode(const struct iommu_fault *f, u64 *iova,
						   bool *write,
						   enum winiommu_fault_kind *kind)
{
	if (f->type != IOMMU_FAULT_DMA_UNRECOV ||
	    !(f->event.flags & IOMMU_FAULT_UNRECOV_ADDR_VALID))
		return -EOPNOTSUPP;
	*iova = f->event.addr;
	*write = f->event.perm & IOMMU_FAULT_PERM_WRITE;
	switch (f->event.reason) {
	case IOMMU_FAULT_REASON_PERMISSION:
		*kind = WINIOMMU_FAULT_PERMISSION;
		break;
	case IOMMU_FAULT_REASON_ACCESS:
		*kind = WINIOMMU_FAULT_ACCESS_FLAG;
		break;
	case IOMMU_FAULT_REASON_OOR_ADDRESS:
		*kind = WINIOMMU_FAULT_ADDRESS_SIZE;
		break;
	default:
		*kind = WINIOMMU_FAULT_TRANSLATION;
		break;
	}
	return 0;
}

/* Called by the IOMMU driver, in its fault thread, for each fault of a device. */
static inline int winiommu_compat_dev_fault(struct iommu_fault *f, void *data)
{
	enum winiommu_fault_kind kind;
	bool write;
	u64 iova;

	if (winiommu_compat_dev_fault_decode(f, &iova, &write, &kind))
		return -EOPNOTSUPP;
	/* 0 tells the driver the fault was handled: it then logs nothing */
	return winiommu_dev_fault(data, iova, write, kind);
}

static inline int winiommu_compat_dev_faults_on(struct device *dev, void *data)
{
	return iommu_register_device_fault_handler(dev, winiommu_compat_dev_fault, data);
}

static inline void winiommu_compat_dev_faults_off(struct device *dev)
{
	iommu_unregister_device_fault_handler(dev);
}
#else
static inline int winiommu_compat_dev_faults_on(struct device *dev, void *data)
{
	return -EOPNOTSUPP;
}

static inline void winiommu_compat_dev_faults_off(struct device *dev)
{
}
#endif

/*
 * Page-table pages IOMMU drivers hold (the suites prove that token maps
 * allocate none): the NR_IOMMU_PAGES node counter from 6.11, plus every
 * CPU's pending difference; -1 where the kernel does not count them.
 */
static inline long winiommu_compat_iommu_table_pages(void)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
	long v = global_node_page_state(NR_IOMMU_PAGES);
	int cpu;

	for_each_online_cpu(cpu)
		v += per_cpu_ptr(NODE_DATA(0)->per_cpu_nodestats, cpu)->
			vm_node_stat_diff[NR_IOMMU_PAGES];
	return v;
#else
	return -1;
#endif
}

/*
 * KUnit helpers the suites use that 6.1's KUnit lacks, defined only where
 * <kunit/test.h> came first (the suites; winiommu.ko never sees them):
 * KUNIT_EXPECT_MEMEQ (6.2), kunit_add_action_or_reset (6.5) and
 * KUNIT_ARRAY_PARAM_DESC (6.6).
 */
#ifdef _KUNIT_TEST_H
#ifndef KUNIT_EXPECT_MEMEQ
#define KUNIT_EXPECT_MEMEQ(test, left, right, size)				\
	KUNIT_EXPECT_EQ(test, memcmp(left, right, size), 0)
#define KUNIT_EXPECT_MEMEQ_MSG(test, left, right, size, fmt, ...)		\
	KUNIT_EXPECT_EQ_MSG(test, memcmp(left, right, size), 0, fmt, ##__VA_ARGS__)
#endif

#ifndef KUNIT_ARRAY_PARAM_DESC
/* @name_gen_params: each element of @array in turn, described by its @member */
#define KUNIT_ARRAY_PARAM_DESC(name, array, member)				\
	static const void *name##_gen_params(const void *prev, char *desc)	\
	{									\
		typeof((array)[0]) const *first = (array);			\
		typeof(first) p = prev ? (typeof(first))prev + 1 : first;	\
									\
		if (p >= first + sizeof(array) / sizeof((array)[0]))		\
			return NULL;						\
		strscpy(desc, (*p).member, KUNIT_PARAM_DESC_SIZE);		\
		return p;							\
	}
#endif

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 5, 0)
/* A deferred call for the end of the test, on KUnit's resources. */
struct winiommu_compat_kunit_action {
	void (*fn)(void *ctx);
	void *ctx;
};

static inline int winiommu_compat_kunit_action_init(struct kunit_resource *res, void *ctx)
{
	res->data = ctx;
	return 0;
}

static inline void winiommu_compat_kunit_action_free(struct kunit_resource *res)
{
	struct winiommu_compat_kunit_action *a = res->data;

	a->fn(a->ctx);
	kfree(a);
}

static inline int kunit_add_action_or_reset(struct kunit *test, void (*fn)(void *ctx), void *ctx)
{
	struct winiommu_compat_kunit_action *a = kmalloc(sizeof(*a), GFP_KERNEL);

	if (a) {
		a->fn = fn;
		a->ctx = ctx;
		if (kunit_alloc_resource(test, winiommu_compat_kunit_action_init,
					 winiommu_compat_kunit_action_free, GFP_KERNEL, a))
			return 0;
		kfree(a);
	}
	fn(ctx);
	return -ENOMEM;
}
#endif
#endif /* _KUNIT_TEST_H */

#endif /* _WINIOMMU_COMPAT_H */
