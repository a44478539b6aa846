// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The winiommu authors
 *
 * The unload sweep.  A ported driver that unloads without deleting what
 * it created leaves devices, tokens and domains behind; winiommu cannot be
 * unloaded while such a driver is loaded (it uses winiommu's symbols), so
 * by the time winiommu's exit runs, their owners are gone.  The sweep
 * releases everything through the routines themselves, PASID devices
 * first (detached), then devices (detached, callbacks unregistered), then
 * tokens (segments unmapped),
 * then domains, and logs one line per kind of object it had to release.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include "winiommu.h"

static bool winiommu_device_sweep(PIOMMU_DMA_DEVICE h)
{
	struct winiommu_obj *obj = winiommu_obj_get(h, WINIOMMU_OBJ_DEVICE);
	PIOMMU_INTERFACE_STATE_CHANGE_CALLBACK cb;

	if (!obj)
		return false;
	cb = READ_ONCE(container_of(obj, struct winiommu_device, obj)->cb);
	winiommu_obj_put(obj);
	if (cb)
		winiommu_unregister_state_cb(cb, h);
	winiommu_detach_device_ex(h);		/* STATUS_INVALID_PARAMETER_1 if not attached */
	return NT_SUCCESS(winiommu_delete_device(h));
}

void winiommu_release_leftovers(void)
{
	unsigned int pasid_devices = 0, devices = 0, tokens = 0, domains = 0;
	unsigned long h;

	while ((h = winiommu_obj_any(WINIOMMU_OBJ_PASID_DEVICE))) {
		/* STATUS_INVALID_PARAMETER_1 if not attached */
		winiommu_detach_pasid_device((PIOMMU_DMA_PASID_DEVICE)h);
		if (!NT_SUCCESS(winiommu_delete_pasid_device((PIOMMU_DMA_PASID_DEVICE)h)))
			break;
		pasid_devices++;
	}
	while ((h = winiommu_obj_any(WINIOMMU_OBJ_DEVICE))) {
		if (!winiommu_device_sweep((PIOMMU_DMA_DEVICE)h))
			break;
		devices++;
	}
	while ((h = winiommu_obj_any(WINIOMMU_OBJ_TOKEN))) {
		if (!winiommu_token_force_free((PIOMMU_DMA_LOGICAL_ADDRESS_TOKEN)h))
			break;
		tokens++;
	}
	while ((h = winiommu_obj_any(WINIOMMU_OBJ_DOMAIN))) {
		if (!NT_SUCCESS(winiommu_delete_domain((PIOMMU_DMA_DOMAIN)h)))
			break;
		domains++;
	}
	if (pasid_devices)
		pr_warn("unload: %u PASID device(s) left behind by their drivers: detached and deleted\n",
			pasid_devices);
	if (devices)
		pr_warn("unload: %u DMA device(s) left behind by their drivers: detached and deleted\n",
			devices);
	if (tokens)
		pr_warn("unload: %u logical address token(s) left behind: unmapped and freed\n",
			tokens);
	if (domains)
		pr_warn("unload: %u domain(s) left behind: deleted with their mappings\n", domains);
}
