// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The winiommu authors
 *
 * Devices: CreateDevice, DeleteDevice, AttachDeviceEx, DetachDeviceEx,
 * QueryAvailableDomainTypes and the interface state-change callbacks.
 *
 * A Windows IOMMU_DMA_DEVICE is a Linux struct device (the caller's bound
 * device: pass &pdev->dev) with its IOMMU group.  Attaching claims DMA
 * ownership of the device first, so the device's bound driver must set
 * driver_managed_dma = true (a driver using the Linux DMA API would lose
 * its mappings silently otherwise), then attaches the group to the Linux
 * domain of the Windows domain for that IOMMU instance, creating and
 * filling it by replay when it is the first.  Detaching returns the group
 * to its default domain.
 *
 * Locking: winiommu_device.lock, then winiommu_domain.lock; the
 * callback list's winiommu_cb_lock is never held while calling out.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/ioport.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "winiommu.h"
#include "backend.h"

#define WINIOMMU_MAX_DEVICE_CONFIGS	16

/* Devices with a state-change callback. */
static LIST_HEAD(winiommu_cb_devices);		/* under winiommu_cb_lock */
static DEFINE_MUTEX(winiommu_cb_lock);

/* Every live device, for look-ups by struct device (faults, V1). */
static LIST_HEAD(winiommu_all_devices);		/* RCU; writers hold the lock */
static DEFINE_SPINLOCK(winiommu_devices_lock);

/* The owner cookie of every DMA ownership claim winiommu makes. */
static const char winiommu_dma_owner[] = "winiommu";

/* Take @wdev's DMA ownership (its lock is held); released with be->release_dma. */
int winiommu_claim_dma(struct winiommu_device *wdev)
{
	return wdev->be->claim_dma(wdev->dev, wdev->group, (void *)winiommu_dma_owner);
}

static struct winiommu_device *winiommu_device_get(PIOMMU_DMA_DEVICE handle)
{
	struct winiommu_obj *obj = winiommu_obj_get(handle, WINIOMMU_OBJ_DEVICE);

	return obj ? container_of(obj, struct winiommu_device, obj) : NULL;
}

/* Look a caller's device handle up; an unknown one is logged as a porting bug. */
static struct winiommu_device *winiommu_device_lookup(const char *fn, PIOMMU_DMA_DEVICE handle)
{
	struct winiommu_device *wdev = winiommu_device_get(handle);

	if (!wdev)
		winiommu_reject(fn, "DmaDevice %p is not a live device", handle);
	return wdev;
}

void winiommu_device_put(struct winiommu_device *wdev)
{
	winiommu_obj_put(&wdev->obj);
}

/**
 * winiommu_device_find() - the live winiommu device of a Linux device.
 * @dev: the Linux device.
 *
 * Any context (IOMMU drivers report faults from interrupts).
 *
 * Return: the device with a reference (winiommu_device_put()), or NULL.
 */
struct winiommu_device *winiommu_device_find(struct device *dev)
{
	struct winiommu_device *wdev, *found = NULL;

	rcu_read_lock();
	list_for_each_entry_rcu(wdev, &winiommu_all_devices, all_node) {
		if (wdev->dev == dev && kref_get_unless_zero(&wdev->obj.ref)) {
			found = wdev;
			break;
		}
	}
	rcu_read_unlock();
	return found;
}

static void winiommu_device_release(struct winiommu_obj *obj)
{
	struct winiommu_device *wdev = container_of(obj, struct winiommu_device, obj);

	if (wdev->group)
		wdev->be->group_put(wdev->group);
	put_device(wdev->dev);
	mutex_destroy(&wdev->lock);
	kfree_rcu(wdev, obj.rcu);
}

/* ---- available domain types --------------------------------------------- */

static bool winiommu_dev_untrusted(struct device *dev)
{
	return dev_is_pci(dev) && to_pci_dev(dev)->untrusted;
}

/**
 * winiommu_available_types() - the domain types @wdev may join now.
 * @wdev: the device.
 *
 * Return: a 1 << type mask: Translate, Unmanaged and TranslateS1 behind a
 * translating IOMMU (the device has a group); PassThrough as the
 * allow_passthrough and dma_guard_policy parameters allow, with the
 * device's "untrusted" flag (external-facing ports) standing in for
 * Windows' "external".
 */
u32 winiommu_available_types(struct winiommu_device *wdev)
{
	u32 mask = 0;

	if (!wdev->group)
		return 0;
	mask |= BIT(DomainTypeTranslate) | BIT(DomainTypeUnmanaged) | BIT(DomainTypeTranslateS1);
	if (READ_ONCE(winiommu_params.allow_passthrough)) {
		switch (READ_ONCE(winiommu_params.dma_guard_policy)) {
		case 0:
			break;
		case 1:
			if (!winiommu_dev_untrusted(wdev->dev))
				mask |= BIT(DomainTypePassThrough);
			break;
		default:
			mask |= BIT(DomainTypePassThrough);
			break;
		}
	}
	return mask;
}

u32 winiommu_domain_type_bit(const struct winiommu_domain *dom)
{
	switch (dom->kind) {
	case WINIOMMU_DOM_TRANSLATE:
		return BIT(DomainTypeTranslate);
	case WINIOMMU_DOM_PASSTHROUGH:
		return BIT(DomainTypePassThrough);
	case WINIOMMU_DOM_UNMANAGED:
		return BIT(DomainTypeUnmanaged);
	case WINIOMMU_DOM_TRANSLATE_S1:
		return BIT(DomainTypeTranslateS1);
	}
	return 0;
}

/* ---- CreateDevice / DeleteDevice ----------------------------------------- */

/*
 * Check the configuration list: DeviceConfig is its first element, the
 * rest follow NextConfiguration.Flink until NULL or back at the start.
 */
static bool winiommu_check_device_config(struct winiommu_device *wdev,
					 PIOMMU_DEVICE_CREATION_CONFIGURATION cfg)
{
	PIOMMU_DEVICE_CREATION_CONFIGURATION c = cfg;
	unsigned int n = 0, seen = 0;

	while (c) {
		u32 type = c->ConfigType;

		if (++n > WINIOMMU_MAX_DEVICE_CONFIGS || type >= IommuDeviceCreationConfigTypeMax ||
		    (seen & BIT(type)))
			return false;
		seen |= BIT(type);
		switch (type) {
		case IommuDeviceCreationConfigTypeNone:
			break;
		case IommuDeviceCreationConfigTypePasid:
			if (c->Pasid.ConfigType >= PasidConfigTypeMax)
				return false;
			wdev->pasid_config = true;
			wdev->pasid_type = c->Pasid.ConfigType;
			wdev->suppress_pasid_faults = c->Pasid.SuppressPasidFaults;
			break;
		default:
			/*
			 * Acpi: only ACPI-enumerated devices on arm64 carry
			 * their stream IDs this way, and winiommu reads them
			 * from the fwspec; DeviceId: undocumented.  Neither is
			 * expected for the devices Linux gives us.
			 */
			return false;
		}
		c = (PIOMMU_DEVICE_CREATION_CONFIGURATION)c->NextConfiguration.Flink;
		if (c == cfg)
			break;
	}
	return true;
}

/**
 * winiommu_create_device() - IOMMU_DEVICE_CREATE, CreateDevice.
 * @DeviceObject: the Linux device (&pdev->dev), bound to the caller.
 * @DeviceConfig: optional configuration list; only None and Pasid entries
 *	are accepted (no device Linux gives a driver needs an Acpi entry).
 * @DmaDeviceOut: receives the handle; untouched on failure.
 *
 * Return: STATUS_SUCCESS; STATUS_INVALID_PARAMETER for a NULL or
 * unregistered device; STATUS_INVALID_PARAMETER_2 for a configuration the
 * system does not expect; STATUS_INVALID_PARAMETER_3 for a NULL
 * @DmaDeviceOut; STATUS_NOT_FOUND when no IOMMU translates the device (on
 * virtio-iommu and SMMUv3 a device gets its IOMMU group only once a driver
 * binds it); STATUS_NOT_SUPPORTED for a PasidTaggedDma entry when the
 * device or its IOMMU cannot do PASID-tagged DMA (DefaultPasidOnly works
 * everywhere); STATUS_INSUFFICIENT_RESOURCES without memory.
 */
NTSTATUS winiommu_create_device(PDEVICE_OBJECT DeviceObject,
				PIOMMU_DEVICE_CREATION_CONFIGURATION DeviceConfig,
				PIOMMU_DMA_DEVICE *DmaDeviceOut)
{
	static const char fn[] = "CreateDevice";
	struct winiommu_device *wdev;
	int ret;

	might_sleep();
	if (!DeviceObject || !device_is_registered(DeviceObject)) {
		winiommu_reject(fn, "DeviceObject %p is not a registered device", DeviceObject);
		return STATUS_INVALID_PARAMETER;
	}
	wdev = kzalloc(sizeof(*wdev), GFP_KERNEL);
	if (!wdev)
		return STATUS_INSUFFICIENT_RESOURCES;
	if (DeviceConfig && !winiommu_check_device_config(wdev, DeviceConfig)) {
		kfree(wdev);
		dev_warn_ratelimited(DeviceObject, "%s: DeviceConfig is not what this system expects (only None and Pasid entries, no duplicates)\n",
				     fn);
		return STATUS_INVALID_PARAMETER_2;
	}
	if (!DmaDeviceOut) {
		kfree(wdev);
		winiommu_reject(fn, "DmaDeviceOut is NULL");
		return STATUS_INVALID_PARAMETER_3;
	}

	winiommu_obj_init(&wdev->obj, WINIOMMU_OBJ_DEVICE, winiommu_device_release);
	mutex_init(&wdev->lock);
	INIT_LIST_HEAD(&wdev->cb_node);
	INIT_LIST_HEAD(&wdev->all_node);
	spin_lock_init(&wdev->fault_lock);
	wdev->dev = get_device(DeviceObject);
	wdev->be = winiommu_backend_for(DeviceObject);
	wdev->group = wdev->be->group_get(DeviceObject);
	if (!wdev->group) {
		if (READ_ONCE(winiommu_params.log_rejects))
			dev_warn_ratelimited(DeviceObject, "%s: no IOMMU translates this device (behind virtio-iommu or SMMUv3 a device has an IOMMU group only once its driver is bound: call from the bound driver)\n",
					     fn);
		ret = -ENODEV;
		goto err_free;
	}
	/* PASID 0 is untagged DMA's: a device needs two for tagged DMA */
	if (winiommu_pasid_tagged(wdev) && wdev->be->max_pasids(DeviceObject) < 2) {
		if (READ_ONCE(winiommu_params.log_rejects))
			dev_warn_ratelimited(DeviceObject, "%s: PasidTaggedDma asked, but the device or its IOMMU cannot tag DMA with PASIDs\n",
					     fn);
		ret = -EOPNOTSUPP;
		goto err_free;
	}
	wdev->nr_ids = min_t(unsigned int,
			     wdev->be->input_ids(DeviceObject, wdev->ids, WINIOMMU_MAX_INPUT_IDS),
			     WINIOMMU_MAX_INPUT_IDS);
	ret = winiommu_obj_publish(&wdev->obj, wdev);
	if (ret)
		goto err_free;
	spin_lock(&winiommu_devices_lock);
	list_add_tail_rcu(&wdev->all_node, &winiommu_all_devices);
	spin_unlock(&winiommu_devices_lock);
	winiommu_debugfs_device_add(wdev);
	*DmaDeviceOut = (PIOMMU_DMA_DEVICE)wdev;
	return STATUS_SUCCESS;

err_free:
	winiommu_device_put(wdev);	/* drops group and device references */
	if (ret == -ENODEV)
		return STATUS_NOT_FOUND;
	return ret == -EOPNOTSUPP ? STATUS_NOT_SUPPORTED : STATUS_INSUFFICIENT_RESOURCES;
}

/**
 * winiommu_delete_device() - IOMMU_DEVICE_DELETE, DeleteDevice.
 * @DmaDevice: a device from CreateDevice.
 *
 * Return: STATUS_SUCCESS; STATUS_RESOURCE_IN_USE while it is attached, has
 * a state-change callback registered (unregister first, as Windows
 * requires) or has PASID devices (DeletePasidDevice first);
 * STATUS_INVALID_PARAMETER_1 for an unknown handle.
 */
NTSTATUS winiommu_delete_device(PIOMMU_DMA_DEVICE DmaDevice)
{
	static const char fn[] = "DeleteDevice";
	struct winiommu_device *wdev;
	NTSTATUS st = STATUS_SUCCESS;

	might_sleep();
	wdev = winiommu_device_lookup(fn, DmaDevice);
	if (!wdev)
		return STATUS_INVALID_PARAMETER_1;
	mutex_lock(&wdev->lock);
	mutex_lock(&winiommu_cb_lock);
	if (wdev->domain || wdev->cb || wdev->nr_pasid_devices) {
		const char *why = "the parent of PASID devices (DeletePasidDevice first)";

		if (wdev->domain)
			why = "attached (DetachDeviceEx first)";
		else if (wdev->cb)
			why = "registered for state changes (unregister first)";
		st = STATUS_RESOURCE_IN_USE;
		if (READ_ONCE(winiommu_params.log_rejects))
			dev_warn_ratelimited(wdev->dev, "%s: still %s\n", fn, why);
	} else if (!winiommu_obj_unpublish(&wdev->obj)) {
		st = STATUS_INVALID_PARAMETER_1;
	}
	mutex_unlock(&winiommu_cb_lock);
	mutex_unlock(&wdev->lock);
	if (NT_SUCCESS(st)) {
		spin_lock(&winiommu_devices_lock);
		list_del_rcu(&wdev->all_node);
		spin_unlock(&winiommu_devices_lock);
		winiommu_debugfs_device_remove(wdev);
		winiommu_device_put(wdev);	/* the registry's reference */
	}
	winiommu_device_put(wdev);
	return st;
}

/* ---- attach / detach ------------------------------------------------------ */

/* Lowest and highest logical address @dev can reach through @d. */
void winiommu_device_reach(struct device *dev, struct iommu_domain *d, u64 *first, u64 *last)
{
	u64 mask = dma_get_mask(dev);

	*first = 0;
	*last = mask ? mask : U64_MAX;
	if (dev->bus_dma_limit)
		*last = min_t(u64, *last, dev->bus_dma_limit);
	if (d && d->geometry.force_aperture) {
		*first = max_t(u64, *first, d->geometry.aperture_start);
		*last = min_t(u64, *last, d->geometry.aperture_end);
	}
}

/*
 * The group's reserved regions (MSI windows, RMRRs, ...) as they will
 * apply to @dom.  Returns -EEXIST when one collides with a mapping or
 * token of the domain, as VFIO refuses such an attach.
 */
static int winiommu_check_dev_resv(struct winiommu_domain *dom, struct list_head *regions)
{
	struct iommu_resv_region *r;

	lockdep_assert_held(&dom->lock);
	list_for_each_entry(r, regions, list) {
		u64 last = r->start + r->length - 1;
		struct interval_tree_node *it;
		struct winiommu_extent *ext;

		if (r->type == IOMMU_RESV_DIRECT_RELAXABLE || !r->length)
			continue;
		for (it = interval_tree_iter_first(&dom->extents, r->start, last); it;
		     it = interval_tree_iter_next(it, r->start, last)) {
			ext = container_of(it, struct winiommu_extent, it);
			if (!winiommu_extent_is_reserved(ext->kind))
				return -EEXIST;
		}
	}
	return 0;
}

/*
 * Merge the group's reserved regions into @dom: new extents (kept for the
 * domain's life), carved out of the allocator, DIRECT ones mapped 1:1 in
 * every Linux domain but @fresh, a new one the caller fills by replay
 * (which maps every direct extent, these included: mapping them here too
 * would map them twice).  Ranges already covered by a reserved extent are
 * skipped, so a second device of the same kind adds nothing.
 */
static int winiommu_merge_dev_resv(struct winiommu_domain *dom, struct list_head *regions,
				   struct winiommu_hwdom *fresh)
{
	struct winiommu_hwdom *hw, *done;
	struct iommu_resv_region *r;
	struct winiommu_extent *ext;
	int ret;

	lockdep_assert_held(&dom->lock);
	list_for_each_entry(r, regions, list) {
		u64 last = r->start + r->length - 1;
		bool direct = r->type == IOMMU_RESV_DIRECT;

		if (r->type == IOMMU_RESV_DIRECT_RELAXABLE || !r->length)
			continue;
		ext = winiommu_aspace_first_overlap(dom, r->start, last);
		if (ext && ext->it.start <= r->start && ext->it.last >= last &&
		    winiommu_extent_is_direct(ext->kind) == direct)
			continue;
		/*
		 * The extent goes in last: the next attach skips a region
		 * the domain records, so by then it must be out of the
		 * allocator and mapped everywhere.  A failure leaves at most
		 * the range withheld from the allocator: harmless, and
		 * reserving it again is a no-op.
		 */
		if (dom->alloc && r->start <= winiommu_alloc_last_addr(dom->alloc)) {
			ret = winiommu_alloc_reserve(dom->alloc, r->start, last);
			if (ret)
				return ret;
		}
		ext = kzalloc(sizeof(*ext), GFP_KERNEL);
		if (!ext)
			return -ENOMEM;
		list_for_each_entry(hw, &dom->hwdoms, node) {
			if (!direct)
				break;
			if (hw == fresh)
				continue;
			ret = winiommu_aspace_map_direct(dom, hw, r->start, last);
			if (ret)
				goto err_unmap;
		}
		winiommu_aspace_insert(dom, ext, r->start, last,
				       direct ? WINIOMMU_EXT_DEV_DIRECT : WINIOMMU_EXT_DEV_HOLE);
	}
	return 0;

err_unmap:
	list_for_each_entry(done, &dom->hwdoms, node) {
		struct iommu_iotlb_gather gather;

		if (done == hw)
			break;
		if (done == fresh || !done->domain)
			continue;
		iommu_iotlb_gather_init(&gather);
		done->be->unmap(done->domain, r->start, r->length, &gather);
		done->be->iotlb_sync(done->domain, &gather);
	}
	kfree(ext);
	return ret;
}

struct winiommu_ram_walk {
	struct winiommu_domain *dom;
	struct winiommu_hwdom *hw;
	int ret;
};

/* The lowest reserved extent overlapping [start, last], or NULL. */
static struct winiommu_extent *winiommu_first_reserved(struct winiommu_domain *dom, u64 start,
						       u64 last)
{
	struct interval_tree_node *it;

	for (it = interval_tree_iter_first(&dom->extents, start, last); it;
	     it = interval_tree_iter_next(it, start, last)) {
		struct winiommu_extent *ext = container_of(it, struct winiommu_extent, it);

		if (winiommu_extent_is_reserved(ext->kind))
			return ext;
	}
	return NULL;
}

static int winiommu_map_ram_range(struct resource *res, void *arg)
{
	struct winiommu_ram_walk *w = arg;
	u64 start = PAGE_ALIGN(res->start), end = (res->end + 1) & PAGE_MASK;
	struct winiommu_extent *ext;

	/*
	 * Map around the reserved extents inside this RAM range (holes stay
	 * holes, direct ones were mapped by replay).  Identity ranges of a
	 * PassThrough domain are bookkeeping only: RAM under them is mapped.
	 */
	while (start < end) {
		u64 stop = end;

		ext = winiommu_first_reserved(w->dom, start, end - 1);
		if (ext && ext->it.start <= start) {
			start = ext->it.last + 1;
			continue;
		}
		if (ext)
			stop = ext->it.start;
		w->ret = w->hw->be->map(w->hw->domain, start, start, stop - start,
					IOMMU_READ | IOMMU_WRITE | IOMMU_CACHE, GFP_KERNEL);
		if (w->ret)
			return w->ret;
		start = stop;
	}
	return 0;
}

/* PassThrough on a translating group: map all System RAM 1:1. */
static int winiommu_map_all_ram(struct winiommu_domain *dom, struct winiommu_hwdom *hw)
{
	struct winiommu_ram_walk w = { .dom = dom, .hw = hw };

	walk_iomem_res_desc(IORES_DESC_NONE, IORESOURCE_SYSTEM_RAM | IORESOURCE_BUSY, 0, -1,
			    &w, winiommu_map_ram_range);
	return w.ret;
}

struct winiommu_hwdom *winiommu_find_hwdom(struct winiommu_domain *dom,
					   const struct winiommu_backend *be,
					   const void *instance)
{
	struct winiommu_hwdom *hw;

	list_for_each_entry(hw, &dom->hwdoms, node)
		if (hw->be == be && hw->instance == instance)
			return hw;
	return NULL;
}

void winiommu_free_hwdom(struct winiommu_hwdom *hw)
{
	list_del(&hw->node);
	if (hw->domain)
		hw->be->domain_free(hw->domain);
	kfree(hw);
}

/*
 * Intersect *@first..*@last with the domain's reach.  Returns -ERANGE when
 * a mapping or token lies outside the result: the device could not use it.
 * Changes nothing; winiommu_apply_reach() commits the result.
 */
int winiommu_check_reach(struct winiommu_domain *dom, u64 *first, u64 *last)
{
	struct interval_tree_node *it;

	lockdep_assert_held(&dom->lock);
	*first = max(*first, dom->reach_first);
	*last = min(*last, dom->reach_last);
	for (it = interval_tree_iter_first(&dom->extents, 0, ULONG_MAX); it;
	     it = interval_tree_iter_next(it, 0, ULONG_MAX)) {
		struct winiommu_extent *ext = container_of(it, struct winiommu_extent, it);

		if (!winiommu_extent_is_reserved(ext->kind) &&
		    (it->start < *first || it->last > *last))
			return -ERANGE;
	}
	return 0;
}

/* Narrow the allocator and the reach to @first..@last, from winiommu_check_reach(). */
int winiommu_apply_reach(struct winiommu_domain *dom, u64 first, u64 last)
{
	lockdep_assert_held(&dom->lock);
	if (dom->alloc) {
		struct winiommu_alloc *a = dom->alloc;
		u64 lo = first >> PAGE_SHIFT, hi = last >> PAGE_SHIFT;

		if (((last + 1) & ~PAGE_MASK) && hi)
			hi--;
		if (lo > a->first_pfn || hi < a->last_pfn)
			winiommu_alloc_flush(a);	/* no cached block outside */
		if (lo > a->first_pfn) {
			if (winiommu_alloc_reserve(a, (u64)a->first_pfn << PAGE_SHIFT,
						   (lo << PAGE_SHIFT) - 1))
				return -ENOMEM;
			a->first_pfn = lo;
		}
		if (hi < a->last_pfn)
			a->last_pfn = hi;
	}
	dom->reach_first = first;
	dom->reach_last = last;
	return 0;
}

/*
 * Finish a new Linux domain once it is attached: a software MSI window of
 * the device (@regions) gets its cookie; without one, drivers that report
 * translation faults report them to the domain's handler (newer kernels
 * refuse a handler on a domain with an MSI cookie: there, faults are only
 * logged).
 */
int winiommu_hwdom_setup(struct winiommu_hwdom *hw, struct list_head *regions)
{
	struct iommu_resv_region *r;

	list_for_each_entry(r, regions, list)
		if (r->type == IOMMU_RESV_SW_MSI)
			return hw->be->msi_cookie(hw->domain, r->start);
	if (hw->be->set_fault_handler)
		hw->be->set_fault_handler(hw->domain, winiommu_linux_fault, NULL);
	return 0;
}

/*
 * Attach @wdev to @dom: the device's lock and the domain's are held.
 * Returns an errno; every failure leaves both as they were.
 */
static int winiommu_do_attach(struct winiommu_device *wdev, struct winiommu_domain *dom)
{
	const struct winiommu_backend *be = wdev->be;
	const void *instance = be->instance(wdev->dev);
	struct winiommu_hwdom *hw;
	LIST_HEAD(regions);
	bool new_hw = false;
	u64 first, last;
	int ret;

	ret = be->resv_regions(wdev->dev, wdev->group, &regions);
	if (ret)
		return ret;
	ret = winiommu_check_dev_resv(dom, &regions);
	if (ret)
		goto out_regions;

	/*
	 * PassThrough where the group already sits in an identity domain
	 * (not while attached PASIDs hold it in the blocking domain)
	 */
	if (dom->kind == WINIOMMU_DOM_PASSTHROUGH && !wdev->owned &&
	    be->default_identity(wdev->dev)) {
		hw = winiommu_find_hwdom(dom, be, instance);
		if (!hw) {
			hw = kzalloc(sizeof(*hw), GFP_KERNEL);
			if (!hw) {
				ret = -ENOMEM;
				goto out_regions;
			}
			hw->be = be;
			hw->instance = instance;
			hw->identity = true;
			list_add_tail(&hw->node, &dom->hwdoms);
		}
		if (!hw->identity) {
			ret = -EBUSY;
			goto out_regions;
		}
		hw->users++;
		wdev->hwdom = hw;
		goto out_regions;
	}

	/* attached PASIDs hold the claim already (pasid.c) */
	ret = wdev->owned ? 0 : winiommu_claim_dma(wdev);
	if (ret) {
		/*
		 * -EPERM: a DMA-API driver is bound; -EBUSY: another owner;
		 * -EINVAL (6.12+): the device has a firmware direct-mapping
		 * region and may never leave its default domain.  All mean
		 * the device may not join a domain now.
		 */
		ret = -EPERM;
		goto out_regions;
	}

	hw = winiommu_find_hwdom(dom, be, instance);
	if (!hw) {
		hw = kzalloc(sizeof(*hw), GFP_KERNEL);
		if (!hw) {
			ret = -ENOMEM;
			goto err_release;
		}
		hw->be = be;
		hw->instance = instance;
		hw->domain = winiommu_hwdom_domain_alloc(wdev);
		if (IS_ERR(hw->domain)) {
			ret = PTR_ERR(hw->domain);
			kfree(hw);
			goto err_release;
		}
		list_add_tail(&hw->node, &dom->hwdoms);
		new_hw = true;
	} else if (hw->identity) {
		ret = -EBUSY;		/* an instance cannot be both */
		goto err_release;
	}

	ret = be->attach(hw->domain, wdev->dev, wdev->group);
	if (ret)
		goto err_free_hw;

	/*
	 * Geometry and page sizes are final only now.  What can fail without
	 * changing the Windows domain comes first: the reach check, the MSI
	 * cookie of a new Linux domain.  The device's reserved regions then
	 * join the domain for good (a new Linux domain gets them by replay),
	 * and the reach is committed last.
	 */
	winiommu_device_reach(wdev->dev, hw->domain, &first, &last);
	ret = winiommu_check_reach(dom, &first, &last);
	if (ret)
		goto err_detach;
	if (new_hw) {
		ret = winiommu_hwdom_setup(hw, &regions);
		if (ret)
			goto err_detach;
	}
	ret = winiommu_merge_dev_resv(dom, &regions, new_hw ? hw : NULL);
	if (ret)
		goto err_detach;
	if (new_hw) {
		ret = winiommu_aspace_replay(dom, hw);
		if (!ret && dom->kind == WINIOMMU_DOM_PASSTHROUGH) {
			hw->emulated_identity = true;
			ret = winiommu_map_all_ram(dom, hw);
		}
		if (ret)
			goto err_detach;
	}
	ret = winiommu_apply_reach(dom, first, last);
	if (ret)
		goto err_detach;
	hw->users++;
	wdev->hwdom = hw;
	wdev->owned = true;
	goto out_regions;

err_detach:
	be->detach(hw->domain, wdev->dev, wdev->group);
err_free_hw:
	if (new_hw)
		winiommu_free_hwdom(hw);
err_release:
	if (!wdev->owned)
		be->release_dma(wdev->dev, wdev->group);
out_regions:
	be->put_resv_regions(&regions);
	return ret;
}

/**
 * winiommu_attach_device_ex() - IOMMU_DOMAIN_ATTACH_DEVICE_EX, AttachDeviceEx.
 * @Domain: a live domain.
 * @DmaDevice: a live device, attached to no domain.
 *
 * Return: STATUS_SUCCESS; STATUS_INVALID_PARAMETER_1 / _2 for unknown
 * handles; STATUS_INVALID_PARAMETER when the device is already attached;
 * STATUS_ACCESS_DENIED when the type is not available to the device now,
 * or its bound driver uses the DMA API (set driver_managed_dma = true), or
 * another owner holds its group; STATUS_IN_USE when a mapping of the
 * domain collides with the device's reserved regions or lies outside what
 * it can address; STATUS_INSUFFICIENT_RESOURCES when memory or IOMMU
 * domain IDs run out.
 */
NTSTATUS winiommu_attach_device_ex(PIOMMU_DMA_DOMAIN Domain, PIOMMU_DMA_DEVICE DmaDevice)
{
	static const char fn[] = "AttachDeviceEx";
	struct winiommu_domain *dom;
	struct winiommu_device *wdev;
	NTSTATUS st = STATUS_SUCCESS;
	int ret;

	might_sleep();
	dom = winiommu_domain_lookup(fn, Domain, false);
	if (!dom)
		return STATUS_INVALID_PARAMETER_1;
	wdev = winiommu_device_lookup(fn, DmaDevice);
	if (!wdev) {
		winiommu_domain_put(dom);
		return STATUS_INVALID_PARAMETER_2;
	}

	mutex_lock(&wdev->lock);
	if (wdev->domain) {
		st = STATUS_INVALID_PARAMETER;
		if (READ_ONCE(winiommu_params.log_rejects))
			dev_warn_ratelimited(wdev->dev, "%s: already attached to a domain (DetachDeviceEx first)\n",
					     fn);
		goto out_unlock_dev;
	}
	if (!(winiommu_available_types(wdev) & winiommu_domain_type_bit(dom))) {
		st = STATUS_ACCESS_DENIED;
		if (READ_ONCE(winiommu_params.log_rejects))
			dev_warn_ratelimited(wdev->dev, "%s: this domain type is not available to the device now (QueryAvailableDomainTypes)\n",
					     fn);
		goto out_unlock_dev;
	}

	mutex_lock(&dom->lock);
	if (dom->dead) {
		st = STATUS_INVALID_PARAMETER_1;
		goto out_unlock_dom;
	}
	ret = winiommu_do_attach(wdev, dom);
	switch (ret) {
	case 0:
		dom->nr_devices++;
		wdev->domain = dom;	/* our reference on the domain goes with it */
		break;
	case -EPERM:
	case -EBUSY:
		st = STATUS_ACCESS_DENIED;
		if (READ_ONCE(winiommu_params.log_rejects))
			dev_warn_ratelimited(wdev->dev, "%s: cannot take DMA ownership (%d): the bound driver must set driver_managed_dma = true, and no one else may own the IOMMU group\n",
					     fn, ret);
		break;
	case -EEXIST:
	case -ERANGE:
		st = STATUS_IN_USE;
		if (READ_ONCE(winiommu_params.log_rejects))
			dev_warn_ratelimited(wdev->dev, "%s: a mapping of the domain %s\n", fn,
					     ret == -EEXIST ?
					     "collides with a reserved region of the device" :
					     "lies outside what the device can address");
		break;
	case -ENOMEM:
	case -ENOSPC:
		st = STATUS_INSUFFICIENT_RESOURCES;
		break;
	default:
		st = winiommu_status_from_errno(ret);
		dev_warn_ratelimited(wdev->dev, "%s: attach failed (%d)\n", fn, ret);
		break;
	}
out_unlock_dom:
	mutex_unlock(&dom->lock);
out_unlock_dev:
	mutex_unlock(&wdev->lock);
	winiommu_device_put(wdev);
	if (!NT_SUCCESS(st))
		winiommu_domain_put(dom);
	return st;
}

/* Detach with the device's lock held; it is attached. */
static void winiommu_do_detach(struct winiommu_device *wdev)
{
	struct winiommu_domain *dom = wdev->domain;
	struct winiommu_hwdom *hw = wdev->hwdom;

	winiommu_fault_stop(wdev);	/* detaching ends fault reporting */

	mutex_lock(&dom->lock);
	if (hw->domain)
		hw->be->detach(hw->domain, wdev->dev, wdev->group);
	/* attached PASIDs keep the claim: DetachDeviceEx leaves them alone */
	if (wdev->owned && !wdev->nr_pasid_attached) {
		wdev->be->release_dma(wdev->dev, wdev->group);
		wdev->owned = false;
	}
	if (!--hw->users)
		winiommu_free_hwdom(hw);
	dom->nr_devices--;
	mutex_unlock(&dom->lock);
	wdev->hwdom = NULL;
	wdev->domain = NULL;
	winiommu_domain_put(dom);
}

/**
 * winiommu_detach_device_ex() - IOMMU_DOMAIN_DETACH_DEVICE_EX, DetachDeviceEx.
 * @DmaDevice: an attached device.
 *
 * The device's group goes back to its default domain.  The last device
 * leaving a Linux domain frees it; the Windows domain keeps its mappings
 * for the next attach.
 *
 * Return: STATUS_SUCCESS; STATUS_INVALID_PARAMETER_1 when the device is
 * unknown or attached to no domain.
 */
NTSTATUS winiommu_detach_device_ex(PIOMMU_DMA_DEVICE DmaDevice)
{
	static const char fn[] = "DetachDeviceEx";
	struct winiommu_device *wdev;
	NTSTATUS st = STATUS_SUCCESS;

	might_sleep();
	wdev = winiommu_device_lookup(fn, DmaDevice);
	if (!wdev)
		return STATUS_INVALID_PARAMETER_1;
	mutex_lock(&wdev->lock);
	if (wdev->domain) {
		winiommu_do_detach(wdev);
	} else {
		st = STATUS_INVALID_PARAMETER_1;
		if (READ_ONCE(winiommu_params.log_rejects))
			dev_warn_ratelimited(wdev->dev, "%s: not attached to any domain\n", fn);
	}
	mutex_unlock(&wdev->lock);
	winiommu_device_put(wdev);
	return st;
}

/* ---- QueryAvailableDomainTypes and state-change callbacks -------------- */

/**
 * winiommu_query_domain_types() - IOMMU_DEVICE_QUERY_DOMAIN_TYPES.
 * @DmaDevice: a live device.
 * @AvailableDomains: receives the 1 << type mask of winiommu_available_types().
 *
 * Return: nothing (VOID); an unknown device or a NULL output is logged
 * and leaves the output untouched.
 */
VOID winiommu_query_domain_types(PIOMMU_DMA_DEVICE DmaDevice, PULONG AvailableDomains)
{
	static const char fn[] = "QueryAvailableDomainTypes";
	struct winiommu_device *wdev;

	wdev = winiommu_device_get(DmaDevice);
	if (!wdev || !AvailableDomains) {
		winiommu_reject(fn, "%s", wdev ? "AvailableDomains is NULL" :
					  "DmaDevice is not a live device");
		if (wdev)
			winiommu_device_put(wdev);
		return;
	}
	*AvailableDomains = winiommu_available_types(wdev);
	winiommu_device_put(wdev);
}

static void winiommu_call_cb(PIOMMU_INTERFACE_STATE_CHANGE_CALLBACK cb, void *ctx, u32 mask)
{
	IOMMU_INTERFACE_STATE_CHANGE change = {
		.PresentFields.AsULONG = 0,
		.AvailableDomainTypes = mask,
	};

	change.PresentFields.AvailableDomainTypes = 1;
	cb(&change, ctx);
}

/**
 * winiommu_register_state_cb() - RegisterInterfaceStateChangeCallback.
 * @StateChangeCallback: the driver's callback.
 * @Context: passed back to it.
 * @DmaDevice: the device it concerns.
 * @StateFields: what it wants to hear about (only AvailableDomainTypes
 *	exists).
 *
 * The callback is called once before this returns, with the current
 * AvailableDomainTypes, and again from a workqueue whenever a policy
 * parameter changes them; never with a winiommu lock held.
 *
 * Return: STATUS_SUCCESS; STATUS_INVALID_PARAMETER_1 for a NULL callback,
 * _3 for an unknown device, _4 for empty or reserved StateFields;
 * STATUS_UNSUCCESSFUL when the device already has a callback.
 */
NTSTATUS winiommu_register_state_cb(PIOMMU_INTERFACE_STATE_CHANGE_CALLBACK StateChangeCallback,
				    PVOID Context, PIOMMU_DMA_DEVICE DmaDevice,
				    PIOMMU_INTERFACE_STATE_CHANGE_FIELDS StateFields)
{
	static const char fn[] = "RegisterInterfaceStateChangeCallback";
	struct winiommu_device *wdev;
	NTSTATUS st = STATUS_SUCCESS;
	u32 mask;

	might_sleep();
	if (!StateChangeCallback) {
		winiommu_reject(fn, "StateChangeCallback is NULL");
		return STATUS_INVALID_PARAMETER_1;
	}
	wdev = winiommu_device_lookup(fn, DmaDevice);
	if (!wdev)
		return STATUS_INVALID_PARAMETER_3;
	if (!StateFields || StateFields->AsULONG != 1) {
		winiommu_reject(fn, "StateFields selects %s",
				StateFields ? "nothing or reserved bits" : "nothing (NULL)");
		winiommu_device_put(wdev);
		return STATUS_INVALID_PARAMETER_4;
	}
	mutex_lock(&wdev->lock);
	mutex_lock(&winiommu_cb_lock);
	if (wdev->cb) {
		st = STATUS_UNSUCCESSFUL;
	} else {
		mask = winiommu_available_types(wdev);
		wdev->cb = StateChangeCallback;
		wdev->cb_context = Context;
		wdev->cb_fields = StateFields->AsULONG;
		wdev->cb_mask = mask;
		list_add_tail(&wdev->cb_node, &winiommu_cb_devices);
	}
	mutex_unlock(&winiommu_cb_lock);
	mutex_unlock(&wdev->lock);
	if (NT_SUCCESS(st))
		winiommu_call_cb(StateChangeCallback, Context, mask);
	else if (READ_ONCE(winiommu_params.log_rejects))
		dev_warn_ratelimited(wdev->dev, "%s: the device already has a callback\n", fn);
	winiommu_device_put(wdev);
	return st;
}

static void winiommu_notify_work_fn(struct work_struct *work);
static DECLARE_WORK(winiommu_notify_work, winiommu_notify_work_fn);

/**
 * winiommu_unregister_state_cb() - UnregisterInterfaceStateChangeCallback.
 * @StateChangeCallback: the registered callback.
 * @DmaDevice: its device.
 *
 * Waits for a notification in flight, so the Context may be freed once
 * this returns.
 *
 * Return: STATUS_SUCCESS; STATUS_UNSUCCESSFUL when no such registration
 * exists (unknown device or another callback).
 */
NTSTATUS winiommu_unregister_state_cb(PIOMMU_INTERFACE_STATE_CHANGE_CALLBACK StateChangeCallback,
				      PIOMMU_DMA_DEVICE DmaDevice)
{
	static const char fn[] = "UnregisterInterfaceStateChangeCallback";
	struct winiommu_device *wdev;
	NTSTATUS st = STATUS_SUCCESS;

	might_sleep();
	wdev = winiommu_device_lookup(fn, DmaDevice);
	if (!wdev)
		return STATUS_UNSUCCESSFUL;
	mutex_lock(&winiommu_cb_lock);
	if (!wdev->cb || wdev->cb != StateChangeCallback) {
		st = STATUS_UNSUCCESSFUL;
	} else {
		wdev->cb = NULL;
		wdev->cb_context = NULL;
		list_del_init(&wdev->cb_node);
	}
	mutex_unlock(&winiommu_cb_lock);
	if (NT_SUCCESS(st))
		flush_work(&winiommu_notify_work);
	else
		winiommu_reject(fn, "no such registration for DmaDevice %p", DmaDevice);
	winiommu_device_put(wdev);
	return st;
}

/*
 * Tell every registered driver whose AvailableDomainTypes changed.  The
 * calls are made one by one with no lock held; a registration that went
 * away meanwhile is skipped.
 */
static void winiommu_notify_work_fn(struct work_struct *work)
{
	for (;;) {
		PIOMMU_INTERFACE_STATE_CHANGE_CALLBACK cb = NULL;
		struct winiommu_device *wdev;
		void *ctx = NULL;
		u32 mask = 0;

		mutex_lock(&winiommu_cb_lock);
		list_for_each_entry(wdev, &winiommu_cb_devices, cb_node) {
			mask = winiommu_available_types(wdev);
			if (mask != wdev->cb_mask) {
				wdev->cb_mask = mask;
				cb = wdev->cb;
				ctx = wdev->cb_context;
				break;
			}
		}
		mutex_unlock(&winiommu_cb_lock);
		if (!cb)
			return;
		winiommu_call_cb(cb, ctx, mask);
	}
}

/**
 * winiommu_notify_policy_change() - a policy parameter changed.
 *
 * Calls the state-change callbacks of the devices whose available domain
 * types changed, from a workqueue (process context).
 */
void winiommu_notify_policy_change(void)
{
	schedule_work(&winiommu_notify_work);
}
EXPORT_SYMBOL_NS_GPL(winiommu_notify_policy_change, WINIOMMU_TEST_NS);

void winiommu_devices_exit(void)
{
	flush_work(&winiommu_notify_work);
}
