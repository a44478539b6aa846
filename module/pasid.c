// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The winiommu authors
 *
 * PASID devices (V3): CreatePasidDevice, DeletePasidDevice,
 * AttachPasidDevice, DetachPasidDevice and QueryDeviceInfo.
 *
 * A Windows IOMMU_DMA_PASID_DEVICE is one PASID of a DMA device created
 * with a PasidTaggedDma configuration: DMA the device tags with that PASID
 * is translated by the domain the PASID device is attached to, while its
 * untagged DMA stays with whatever domain the device itself is in
 * (AttachDeviceEx).  The PASID comes from the backend's allocator (on
 * Linux the core's global PASID space, shared with SVA, limited to what
 * the device and its IOMMU support).  Attaching uses the Windows domain's
 * Linux domain for the device's IOMMU instance, creating and filling it
 * by replay when it is the first, as AttachDeviceEx does; the device's
 * reserved regions (MSI windows, RMRRs) concern its untagged DMA and are
 * merged only when the device itself attaches.
 *
 * DMA ownership: the IOMMU core will not hand a device's DMA ownership
 * over, nor take it back, while any of its PASIDs is attached.  So the
 * first PASID attach claims the device's DMA ownership if AttachDeviceEx
 * has not (its untagged DMA is then blocked until it attaches), and the
 * claim is kept until neither the device nor any of its PASIDs is
 * attached: DetachDeviceEx leaves PASID attachments alone, as the
 * contract says.  Like AttachDeviceEx this needs a bound driver that set
 * driver_managed_dma.
 *
 * Locking: everything a PASID device has (attachment, life) is under its
 * parent's winiommu_device.lock, taken before any domain's lock, so PASID
 * attach and detach serialise with the parent's own attach, detach and
 * delete.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/slab.h>

#include "winiommu.h"
#include "backend.h"

/**
 * struct winiommu_pasid_device - a Windows IOMMU_DMA_PASID_DEVICE.
 * @obj: registry header; the handle is the address of this struct.
 * @parent: the DMA device it belongs to (a reference is held).
 * @pasid: its PASID, given back at DeletePasidDevice.
 * @dead: DeletePasidDevice has unpublished it.
 * @domain: the domain it is attached to (holds a reference), or NULL.
 * @hwdom: the Linux domain its PASID is attached to.
 */
struct winiommu_pasid_device {
	struct winiommu_obj obj;
	struct winiommu_device *parent;
	u32 pasid;
	bool dead;				/* under parent->lock */
	struct winiommu_domain *domain;		/* under parent->lock */
	struct winiommu_hwdom *hwdom;		/* under parent->lock */
};

static struct winiommu_device *winiommu_pasid_parent_lookup(const char *fn,
							    PIOMMU_DMA_DEVICE handle)
{
	struct winiommu_obj *obj = winiommu_obj_get(handle, WINIOMMU_OBJ_DEVICE);

	if (!obj) {
		winiommu_reject(fn, "DmaDevice %p is not a live device", handle);
		return NULL;
	}
	return container_of(obj, struct winiommu_device, obj);
}

static struct winiommu_pasid_device *winiommu_pasid_lookup(const char *fn,
							   PIOMMU_DMA_PASID_DEVICE handle)
{
	struct winiommu_obj *obj = winiommu_obj_get(handle, WINIOMMU_OBJ_PASID_DEVICE);

	if (!obj) {
		winiommu_reject(fn, "PasidDevice %p is not a live PASID device", handle);
		return NULL;
	}
	return container_of(obj, struct winiommu_pasid_device, obj);
}

static void winiommu_pasid_put(struct winiommu_pasid_device *pdev)
{
	winiommu_obj_put(&pdev->obj);
}

static void winiommu_pasid_release(struct winiommu_obj *obj)
{
	struct winiommu_pasid_device *pdev = container_of(obj, struct winiommu_pasid_device, obj);

	winiommu_device_put(pdev->parent);
	kfree_rcu(pdev, obj.rcu);
}

/* @wdev is still published: DeleteDevice, which unpublishes under its lock, has not won. */
static bool winiommu_device_live(struct winiommu_device *wdev)
{
	struct winiommu_obj *obj;

	lockdep_assert_held(&wdev->lock);
	obj = winiommu_obj_get((void *)wdev->obj.handle, WINIOMMU_OBJ_DEVICE);
	if (!obj)
		return false;
	winiommu_obj_put(obj);		/* ours is still held: never the last */
	return obj == &wdev->obj;
}

/**
 * winiommu_hwdom_domain_alloc() - the Linux domain for a new hwdom of @wdev.
 * @wdev: the device whose attach makes the hwdom.
 *
 * A device set up for PASID-tagged DMA gets a domain its PASIDs can join
 * too (newer kernels refuse a PASID attach while the device's own domain
 * was not allocated for PASIDs); every other device a plain paging domain.
 *
 * Return: the domain, or an ERR_PTR.
 */
struct iommu_domain *winiommu_hwdom_domain_alloc(struct winiommu_device *wdev)
{
	if (winiommu_pasid_tagged(wdev))
		return wdev->be->domain_alloc_pasid(wdev->dev);
	return wdev->be->domain_alloc(wdev->dev);
}

/* ---- CreatePasidDevice / DeletePasidDevice ------------------------------- */

/**
 * winiommu_create_pasid_device() - IOMMU_PASID_DEVICE_CREATE, CreatePasidDevice.
 * @DmaDevice: a device created with a Pasid entry of type PasidTaggedDma.
 * @PasidDeviceOut: receives the PASID device; untouched on failure.
 * @AsidOut: receives its PASID (1 .. the device's PASIDs - 1); untouched
 *	on failure.
 *
 * Takes the parent's lock: serialises with its DeleteDevice.
 *
 * Return: STATUS_SUCCESS; STATUS_INVALID_PARAMETER_1 for an unknown device
 * or one not set up for PASID-tagged DMA (no PasidTaggedDma entry at
 * CreateDevice, which refuses one where the device or IOMMU lacks PASID
 * support); _2 / _3 for a NULL @PasidDeviceOut / @AsidOut;
 * STATUS_NONE_MAPPED when no PASID is free; STATUS_INSUFFICIENT_RESOURCES
 * without memory.
 */
NTSTATUS winiommu_create_pasid_device(PIOMMU_DMA_DEVICE DmaDevice,
				      PIOMMU_DMA_PASID_DEVICE *PasidDeviceOut, PULONG AsidOut)
{
	static const char fn[] = "CreatePasidDevice";
	struct winiommu_pasid_device *pdev;
	struct winiommu_device *wdev;
	NTSTATUS st;
	int pasid;

	might_sleep();
	wdev = winiommu_pasid_parent_lookup(fn, DmaDevice);
	if (!wdev)
		return STATUS_INVALID_PARAMETER_1;
	if (!winiommu_pasid_tagged(wdev) || wdev->be->max_pasids(wdev->dev) < 2) {
		if (READ_ONCE(winiommu_params.log_rejects))
			dev_warn_ratelimited(wdev->dev, "%s: the device was not created for PASID-tagged DMA (a Pasid entry of type PasidTaggedDma)\n",
					     fn);
		st = STATUS_INVALID_PARAMETER_1;
		goto out_put;
	}
	if (!PasidDeviceOut || !AsidOut) {
		winiommu_reject(fn, "%s is NULL", PasidDeviceOut ? "AsidOut" : "PasidDeviceOut");
		st = PasidDeviceOut ? STATUS_INVALID_PARAMETER_3 : STATUS_INVALID_PARAMETER_2;
		goto out_put;
	}
	pdev = kzalloc(sizeof(*pdev), GFP_KERNEL);
	if (!pdev) {
		st = STATUS_INSUFFICIENT_RESOURCES;
		goto out_put;
	}
	winiommu_obj_init(&pdev->obj, WINIOMMU_OBJ_PASID_DEVICE, winiommu_pasid_release);

	mutex_lock(&wdev->lock);
	if (!winiommu_device_live(wdev)) {
		st = STATUS_INVALID_PARAMETER_1;	/* a racing DeleteDevice won */
		goto err_unlock;
	}
	pasid = wdev->be->pasid_alloc(wdev->dev);
	if (pasid < 0) {
		st = pasid == -ENOMEM ? STATUS_INSUFFICIENT_RESOURCES : STATUS_NONE_MAPPED;
		if (READ_ONCE(winiommu_params.log_rejects))
			dev_warn_ratelimited(wdev->dev, "%s: no PASID left (%d)\n", fn, pasid);
		goto err_unlock;
	}
	pdev->pasid = pasid;
	pdev->parent = wdev;		/* our reference goes with it */
	if (winiommu_obj_publish(&pdev->obj, pdev)) {
		st = STATUS_INSUFFICIENT_RESOURCES;
		goto err_free_pasid;
	}
	wdev->nr_pasid_devices++;
	mutex_unlock(&wdev->lock);
	*PasidDeviceOut = (PIOMMU_DMA_PASID_DEVICE)pdev;
	*AsidOut = pasid;
	return STATUS_SUCCESS;

err_free_pasid:
	wdev->be->pasid_free(wdev->dev, pasid);
err_unlock:
	mutex_unlock(&wdev->lock);
	kfree(pdev);			/* never published */
out_put:
	winiommu_device_put(wdev);
	return st;
}

/**
 * winiommu_delete_pasid_device() - IOMMU_PASID_DEVICE_DELETE, DeletePasidDevice.
 * @PasidDevice: a PASID device attached to no domain.
 *
 * Gives the PASID back at once.  Takes the parent's lock.
 *
 * Return: STATUS_SUCCESS; STATUS_RESOURCE_IN_USE while it is attached
 * (DetachPasidDevice first); STATUS_INVALID_PARAMETER_1 for an unknown or
 * deleted handle.
 */
NTSTATUS winiommu_delete_pasid_device(PIOMMU_DMA_PASID_DEVICE PasidDevice)
{
	static const char fn[] = "DeletePasidDevice";
	struct winiommu_pasid_device *pdev;
	struct winiommu_device *wdev;
	NTSTATUS st = STATUS_SUCCESS;

	might_sleep();
	pdev = winiommu_pasid_lookup(fn, PasidDevice);
	if (!pdev)
		return STATUS_INVALID_PARAMETER_1;
	wdev = pdev->parent;
	mutex_lock(&wdev->lock);
	if (pdev->dead) {
		st = STATUS_INVALID_PARAMETER_1;	/* a racing delete won */
	} else if (pdev->domain) {
		st = STATUS_RESOURCE_IN_USE;
	} else if (!winiommu_obj_unpublish(&pdev->obj)) {
		st = STATUS_INVALID_PARAMETER_1;
	} else {
		pdev->dead = true;
		wdev->be->pasid_free(wdev->dev, pdev->pasid);
		wdev->nr_pasid_devices--;
	}
	mutex_unlock(&wdev->lock);
	if (NT_SUCCESS(st))
		winiommu_pasid_put(pdev);	/* the registry's reference */
	else if (st == STATUS_RESOURCE_IN_USE && READ_ONCE(winiommu_params.log_rejects))
		dev_warn_ratelimited(wdev->dev, "%s: PASID %u is still attached (DetachPasidDevice first)\n",
				     fn, pdev->pasid);
	winiommu_pasid_put(pdev);
	return st;
}

/* ---- AttachPasidDevice / DetachPasidDevice ------------------------------- */

/*
 * Attach @pdev's PASID to @dom: the parent's lock and the domain's are
 * held.  Returns an errno; every failure leaves the device, the domain and
 * the DMA ownership as they were.
 */
static int winiommu_do_attach_pasid(struct winiommu_pasid_device *pdev,
				    struct winiommu_domain *dom)
{
	struct winiommu_device *wdev = pdev->parent;
	const struct winiommu_backend *be = wdev->be;
	const void *instance = be->instance(wdev->dev);
	bool claimed = false, new_hw = false;
	struct winiommu_hwdom *hw;
	LIST_HEAD(regions);
	u64 first, last;
	int ret;

	lockdep_assert_held(&wdev->lock);
	lockdep_assert_held(&dom->lock);
	hw = winiommu_find_hwdom(dom, be, instance);
	if (hw && hw->identity)
		return -EBUSY;		/* the instance's devices stay in identity */
	if (!wdev->owned) {
		ret = winiommu_claim_dma(wdev);
		if (ret)
			return -EPERM;	/* a DMA-API driver is bound, or another owner */
		claimed = true;
	}
	if (!hw) {
		/* a new Linux domain may need the SW_MSI window for its cookie */
		ret = be->resv_regions(wdev->dev, wdev->group, &regions);
		if (ret)
			goto err_release;
		new_hw = true;
		hw = kzalloc(sizeof(*hw), GFP_KERNEL);
		if (!hw) {
			ret = -ENOMEM;
			goto err_regions;
		}
		hw->be = be;
		hw->instance = instance;
		hw->domain = be->domain_alloc_pasid(wdev->dev);
		if (IS_ERR(hw->domain)) {
			ret = PTR_ERR(hw->domain);
			kfree(hw);
			goto err_regions;
		}
		list_add_tail(&hw->node, &dom->hwdoms);
	}

	ret = be->attach_pasid(hw->domain, wdev->dev, pdev->pasid);
	if (ret)
		goto err_free_hw;
	/* as AttachDeviceEx: the domain is final now; check, fill, commit */
	winiommu_device_reach(wdev->dev, hw->domain, &first, &last);
	ret = winiommu_check_reach(dom, &first, &last);
	if (ret)
		goto err_detach;
	if (new_hw) {
		ret = winiommu_hwdom_setup(hw, &regions);
		if (!ret)
			ret = winiommu_aspace_replay(dom, hw);
		if (ret)
			goto err_detach;
	}
	ret = winiommu_apply_reach(dom, first, last);
	if (ret)
		goto err_detach;
	if (new_hw)
		be->put_resv_regions(&regions);
	hw->users++;
	pdev->hwdom = hw;
	wdev->owned = true;
	wdev->nr_pasid_attached++;
	return 0;

err_detach:
	be->detach_pasid(hw->domain, wdev->dev, pdev->pasid);
err_free_hw:
	if (new_hw)
		winiommu_free_hwdom(hw);
err_regions:
	if (new_hw)
		be->put_resv_regions(&regions);
err_release:
	if (claimed)
		be->release_dma(wdev->dev, wdev->group);
	return ret;
}

/* Why an attach that ended in @err (not a lack of memory) was refused. */
static const char *winiommu_pasid_refusal(int err)
{
	switch (err) {
	case -EPERM:
		return "no DMA ownership (driver_managed_dma unset, or another owner)";
	case -ERANGE:
		return "a mapping of the domain lies outside what the device can address";
	case -EBUSY:
		return "the PASID or the IOMMU instance is in use otherwise";
	default:
		return "the IOMMU driver refuses it (a domain made for a device without PASIDs?)";
	}
}

/**
 * winiommu_attach_pasid_device() - IOMMU_DOMAIN_ATTACH_PASID_DEVICE, AttachPasidDevice.
 * @Domain: a live Translate, TranslateS1 or Unmanaged domain (V1 domains
 *	count as Translate or Unmanaged).  PassThrough domains take no PASID
 *	devices: identity for tagged DMA is what the PASID device would have
 *	without winiommu, and DMA Guard withholds it from untrusted devices.
 * @PasidDevice: a PASID device attached to no domain.
 *
 * DMA tagged with the PASID is translated by @Domain from now on.  Claims
 * the parent's DMA ownership if it does not hold it yet (its untagged DMA
 * is blocked until the parent itself attaches).  Takes the parent's lock,
 * then the domain's.
 *
 * Return: STATUS_SUCCESS; STATUS_INVALID_PARAMETER_1 for an unknown or
 * deleted domain or a PassThrough one; STATUS_INVALID_PARAMETER_2 for an
 * unknown PASID device; STATUS_UNSUCCESSFUL when it is attached already;
 * STATUS_ACCESS_DENIED when it may not join this domain now: the type is
 * not available to the parent, the parent's untagged DMA sits in its
 * identity default domain (AttachDeviceEx to a PassThrough domain), its
 * bound driver uses the DMA API (driver_managed_dma unset) or another
 * owner holds its group, the IOMMU driver refuses the PASID (e.g. the
 * Linux domain was made for a device without PASID-tagged DMA), or a
 * mapping of the domain lies outside what the device can address;
 * STATUS_INSUFFICIENT_RESOURCES when memory or IOMMU domain IDs run out.
 */
NTSTATUS winiommu_attach_pasid_device(PIOMMU_DMA_DOMAIN Domain,
				      PIOMMU_DMA_PASID_DEVICE PasidDevice)
{
	static const char fn[] = "AttachPasidDevice";
	struct winiommu_pasid_device *pdev;
	struct winiommu_device *wdev;
	struct winiommu_domain *dom;
	NTSTATUS st = STATUS_SUCCESS;
	int ret;

	might_sleep();
	dom = winiommu_domain_lookup(fn, Domain, false);
	if (!dom)
		return STATUS_INVALID_PARAMETER_1;
	pdev = winiommu_pasid_lookup(fn, PasidDevice);
	if (!pdev) {
		winiommu_domain_put(dom);
		return STATUS_INVALID_PARAMETER_2;
	}
	wdev = pdev->parent;
	if (dom->kind == WINIOMMU_DOM_PASSTHROUGH) {
		winiommu_reject(fn, "Domain %p is PassThrough: PASID devices join the other types",
				Domain);
		st = STATUS_INVALID_PARAMETER_1;
		goto out_put;
	}

	mutex_lock(&wdev->lock);
	if (pdev->dead) {
		st = STATUS_INVALID_PARAMETER_2;
		goto out_unlock_dev;
	}
	if (pdev->domain) {
		st = STATUS_UNSUCCESSFUL;
		if (READ_ONCE(winiommu_params.log_rejects))
			dev_warn_ratelimited(wdev->dev, "%s: PASID %u is attached already (DetachPasidDevice first)\n",
					     fn, pdev->pasid);
		goto out_unlock_dev;
	}
	if (!(winiommu_available_types(wdev) & winiommu_domain_type_bit(dom))) {
		st = STATUS_ACCESS_DENIED;
		if (READ_ONCE(winiommu_params.log_rejects))
			dev_warn_ratelimited(wdev->dev, "%s: this domain type is not available to the device now\n",
					     fn);
		goto out_unlock_dev;
	}
	if (wdev->domain && !wdev->owned) {
		st = STATUS_ACCESS_DENIED;
		if (READ_ONCE(winiommu_params.log_rejects))
			dev_warn_ratelimited(wdev->dev, "%s: the device's untagged DMA stays in its identity domain (PassThrough); PASIDs need its DMA ownership\n",
					     fn);
		goto out_unlock_dev;
	}

	mutex_lock(&dom->lock);
	if (dom->dead) {
		st = STATUS_INVALID_PARAMETER_1;
		goto out_unlock_dom;
	}
	ret = winiommu_do_attach_pasid(pdev, dom);
	switch (ret) {
	case 0:
		dom->nr_pasid_devices++;
		pdev->domain = dom;	/* our reference on the domain goes with it */
		break;
	case -ENOMEM:
	case -ENOSPC:
		st = STATUS_INSUFFICIENT_RESOURCES;
		break;
	default:
		st = STATUS_ACCESS_DENIED;
		if (READ_ONCE(winiommu_params.log_rejects))
			dev_warn_ratelimited(wdev->dev, "%s: PASID %u cannot join the domain now (%d): %s\n",
					     fn, pdev->pasid, ret, winiommu_pasid_refusal(ret));
		break;
	}
out_unlock_dom:
	mutex_unlock(&dom->lock);
out_unlock_dev:
	mutex_unlock(&wdev->lock);
out_put:
	winiommu_pasid_put(pdev);
	if (!NT_SUCCESS(st))
		winiommu_domain_put(dom);
	return st;
}

/* Detach @pdev with its parent's lock held; it is attached. */
static void winiommu_do_detach_pasid(struct winiommu_pasid_device *pdev)
{
	struct winiommu_device *wdev = pdev->parent;
	struct winiommu_domain *dom = pdev->domain;
	struct winiommu_hwdom *hw = pdev->hwdom;

	lockdep_assert_held(&wdev->lock);
	mutex_lock(&dom->lock);
	hw->be->detach_pasid(hw->domain, wdev->dev, pdev->pasid);
	if (!--hw->users)
		winiommu_free_hwdom(hw);
	dom->nr_pasid_devices--;
	mutex_unlock(&dom->lock);
	/* the last attachment of the device gives its DMA ownership back */
	if (!--wdev->nr_pasid_attached && !wdev->domain && wdev->owned) {
		wdev->be->release_dma(wdev->dev, wdev->group);
		wdev->owned = false;
	}
	pdev->hwdom = NULL;
	pdev->domain = NULL;
	winiommu_domain_put(dom);
}

/**
 * winiommu_detach_pasid_device() - IOMMU_DOMAIN_DETACH_PASID_DEVICE, DetachPasidDevice.
 * @PasidDevice: an attached PASID device.
 *
 * DMA tagged with the PASID is blocked again.  The last user leaving a
 * Linux domain frees it; the parent's DMA ownership goes back when neither
 * it nor any of its PASIDs is attached.  Takes the parent's lock, then the
 * domain's.
 *
 * Return: STATUS_SUCCESS; STATUS_INVALID_PARAMETER_1 when the PASID device
 * is unknown or attached to no domain.
 */
NTSTATUS winiommu_detach_pasid_device(PIOMMU_DMA_PASID_DEVICE PasidDevice)
{
	static const char fn[] = "DetachPasidDevice";
	struct winiommu_pasid_device *pdev;
	struct winiommu_device *wdev;
	NTSTATUS st = STATUS_SUCCESS;

	might_sleep();
	pdev = winiommu_pasid_lookup(fn, PasidDevice);
	if (!pdev)
		return STATUS_INVALID_PARAMETER_1;
	wdev = pdev->parent;
	mutex_lock(&wdev->lock);
	if (!pdev->dead && pdev->domain) {
		winiommu_do_detach_pasid(pdev);
	} else {
		st = STATUS_INVALID_PARAMETER_1;
		if (READ_ONCE(winiommu_params.log_rejects))
			dev_warn_ratelimited(wdev->dev, "%s: PASID %u is not attached to any domain\n",
					     fn, pdev->pasid);
	}
	mutex_unlock(&wdev->lock);
	winiommu_pasid_put(pdev);
	return st;
}

/* ---- QueryDeviceInfo ----------------------------------------------------- */

/**
 * winiommu_query_device_info() - IOMMU_DEVICE_QUERY_INFORMATION, QueryDeviceInfo.
 * @DmaDevice: a live device.
 * @Size: bytes at @Buffer, at least sizeof(IOMMU_DMA_DEVICE_INFORMATION) (3).
 * @BytesWritten: receives 3; untouched on failure.
 * @Buffer: receives the information; untouched on failure, and nothing is
 *	written past its first 3 bytes.
 *
 * What the device was set up with, as winiommu carries it out:
 * DefaultPasidEnabled when CreateDevice had a Pasid entry of either type
 * (its untagged DMA is translated by the device's domain, what Linux
 * calls IOMMU_NO_PASID); PasidTaggedDmaEnabled when that entry asked for
 * PasidTaggedDma (CreateDevice refuses it where the device or IOMMU cannot
 * tag DMA, so on the QEMU targets it is never TRUE); PasidFaultsSuppressed
 * whenever tagged DMA is enabled: Linux's IOMMU drivers log faults of
 * PASID-tagged requests and winiommu never reports them to the driver
 * (SuppressPasidFaults = FALSE cannot make them fatal).  Takes no lock:
 * the configuration never changes after CreateDevice.
 *
 * Return: STATUS_SUCCESS; STATUS_INVALID_PARAMETER_1 for an unknown device;
 * STATUS_BUFFER_TOO_SMALL when @Size is under 3; _3 / _4 for a NULL
 * @BytesWritten / @Buffer.
 */
NTSTATUS winiommu_query_device_info(PIOMMU_DMA_DEVICE DmaDevice, ULONG Size,
				    PULONG BytesWritten, PIOMMU_DMA_DEVICE_INFORMATION Buffer)
{
	static const char fn[] = "QueryDeviceInfo";
	IOMMU_DMA_DEVICE_INFORMATION info = {};
	struct winiommu_device *wdev;
	NTSTATUS st = STATUS_SUCCESS;

	might_sleep();
	wdev = winiommu_pasid_parent_lookup(fn, DmaDevice);
	if (!wdev)
		return STATUS_INVALID_PARAMETER_1;
	if (Size < sizeof(info)) {
		winiommu_reject(fn, "Size %u is under sizeof(IOMMU_DMA_DEVICE_INFORMATION) = %zu",
				Size, sizeof(info));
		st = STATUS_BUFFER_TOO_SMALL;
	} else if (!BytesWritten || !Buffer) {
		winiommu_reject(fn, "%s is NULL", BytesWritten ? "Buffer" : "BytesWritten");
		st = BytesWritten ? STATUS_INVALID_PARAMETER_4 : STATUS_INVALID_PARAMETER_3;
	} else {
		info.DefaultPasidEnabled = wdev->pasid_config;
		info.PasidTaggedDmaEnabled = winiommu_pasid_tagged(wdev);
		info.PasidFaultsSuppressed = winiommu_pasid_tagged(wdev);
		memcpy(Buffer, &info, sizeof(info));
		*BytesWritten = sizeof(info);
	}
	winiommu_device_put(wdev);
	return st;
}
