/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (C) 2026 The winiommu authors
 *
 * backend.h - the only way winiommu reaches an IOMMU.
 *
 * The routines and the address space never call the IOMMU core; they call
 * a backend.  The Linux backend (backend_linux.c) is the IOMMU core; a
 * mock backend, registered by the KUnit suites for devices they create,
 * records calls on a software page table so that error paths real IOMMUs
 * never take can be driven on purpose.
 */
#ifndef _WINIOMMU_BACKEND_H
#define _WINIOMMU_BACKEND_H

#include <linux/iommu.h>
#include <linux/list.h>

/**
 * struct winiommu_backend - what winiommu needs from an IOMMU.
 * @name: for messages and debugfs.
 * @owns: true if this backend serves @dev (the Linux backend serves all
 *	devices the mock does not claim).
 * @group_get: the device's IOMMU group with a reference, or NULL when no
 *	IOMMU translates the device.
 * @group_put: drop the reference from @group_get.
 * @instance: key of the IOMMU instance behind the device.
 * @input_ids: the device's input mapping IDs (SMMU stream IDs, or the PCI
 *	requester ID): fills up to @max and returns how many there are.
 * @default_identity: the group's default domain is an identity domain.
 * @claim_dma: take DMA ownership (the device's bound driver must have set
 *	driver_managed_dma); @release_dma gives it back.
 * @domain_alloc: a paging domain for @dev's IOMMU (ERR_PTR on failure);
 *	@domain_free frees it.
 * @attach: attach @group to @d; @detach undoes it (back to the blocking
 *	domain while owned).
 * @resv_regions: the group's reserved regions, as iommu_resv_regions on
 *	@head, freed with @put_resv_regions.
 * @msi_cookie: give @d a software MSI window at @base (SW_MSI regions).
 * @set_fault_handler: have @d's driver report translation faults to
 *	@handler (optional; drivers that only log never call it).
 * @dev_faults_on: have @dev's IOMMU driver report the device's own
 *	translation faults to winiommu_dev_fault(@data, ...) (optional:
 *	drivers with a per-device fault path, SMMUv3 on 6.1 - 6.8); 0 or a
 *	negative errno, -EOPNOTSUPP where the kernel has no such path.
 * @dev_faults_off: undo @dev_faults_on; once it returns no report is in
 *	flight.
 * @max_pasids: PASIDs @dev can use, PASID 0 (untagged DMA) included;
 *	0 or 1 when it cannot issue PASID-tagged DMA.
 * @domain_alloc_pasid: a paging domain that can also be attached to PASIDs
 *	of @dev (and to its RID), ERR_PTR on failure; freed by @domain_free.
 * @pasid_alloc: a free PASID of @dev (1 .. @max_pasids - 1), or -ENOSPC
 *	when none is left; @pasid_free gives it back.
 * @attach_pasid: make @d translate @dev's DMA tagged with @pasid;
 *	@detach_pasid undoes it.  winiommu holds the device's DMA ownership
 *	while any PASID is attached (the core refuses to hand ownership over
 *	while PASIDs are attached).
 * @map: map [@iova, @iova + @size) to @pa; @unmap unmaps, gathering the
 *	IOTLB invalidation; @iotlb_sync completes a gather; @flush_all
 *	invalidates the domain's whole IOTLB; @iova_to_phys translates.
 */
struct winiommu_backend {
	const char *name;
	bool (*owns)(struct device *dev);
	struct iommu_group *(*group_get)(struct device *dev);
	void (*group_put)(struct iommu_group *group);
	const void *(*instance)(struct device *dev);
	unsigned int (*input_ids)(struct device *dev, u32 *ids, unsigned int max);
	bool (*default_identity)(struct device *dev);
	int (*claim_dma)(struct device *dev, struct iommu_group *group, void *owner);
	void (*release_dma)(struct device *dev, struct iommu_group *group);
	struct iommu_domain *(*domain_alloc)(struct device *dev);
	void (*domain_free)(struct iommu_domain *d);
	int (*attach)(struct iommu_domain *d, struct device *dev, struct iommu_group *group);
	void (*detach)(struct iommu_domain *d, struct device *dev, struct iommu_group *group);
	int (*resv_regions)(struct device *dev, struct iommu_group *group, struct list_head *head);
	void (*put_resv_regions)(struct list_head *head);
	int (*msi_cookie)(struct iommu_domain *d, dma_addr_t base);
	void (*set_fault_handler)(struct iommu_domain *d, iommu_fault_handler_t handler,
				  void *token);
	int (*dev_faults_on)(struct device *dev, void *data);
	void (*dev_faults_off)(struct device *dev);
	u32 (*max_pasids)(struct device *dev);
	struct iommu_domain *(*domain_alloc_pasid)(struct device *dev);
	int (*pasid_alloc)(struct device *dev);
	void (*pasid_free)(struct device *dev, u32 pasid);
	int (*attach_pasid)(struct iommu_domain *d, struct device *dev, u32 pasid);
	void (*detach_pasid)(struct iommu_domain *d, struct device *dev, u32 pasid);
	int (*map)(struct iommu_domain *d, unsigned long iova, phys_addr_t pa, size_t size,
		   int prot, gfp_t gfp);
	size_t (*unmap)(struct iommu_domain *d, unsigned long iova, size_t size,
			struct iommu_iotlb_gather *gather);
	void (*iotlb_sync)(struct iommu_domain *d, struct iommu_iotlb_gather *gather);
	void (*flush_all)(struct iommu_domain *d);
	phys_addr_t (*iova_to_phys)(struct iommu_domain *d, dma_addr_t iova);
};

extern const struct winiommu_backend winiommu_linux_backend;

const struct winiommu_backend *winiommu_backend_for(struct device *dev);
int winiommu_register_test_backend(const struct winiommu_backend *be);
void winiommu_unregister_test_backend(const struct winiommu_backend *be);

#endif /* _WINIOMMU_BACKEND_H */
