// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The winiommu authors
 *
 * The routines that name devices by their PDO rather than by a DMA device
 * handle: the V1 AttachDevice and DetachDevice, QueryInputMappings (V1, V2,
 * V3), and ConfigureDomain.
 *
 * V1 attach is the V2 one underneath: AttachDevice makes a DMA device for
 * the PDO (CreateDevice) and attaches it (AttachDeviceEx); DetachDevice
 * undoes both.  No logic exists twice.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/acpi.h>
#include <linux/device.h>
#include <linux/slab.h>

#include "winiommu.h"
#include "backend.h"

/* A device attached through the V1 table. */
struct winiommu_v1_link {
	struct list_head node;
	struct device *dev;
	PIOMMU_DMA_DEVICE handle;
	PIOMMU_DMA_DOMAIN domain;
	u32 base;
};

static LIST_HEAD(winiommu_v1_links);		/* under winiommu_v1_lock */
static DEFINE_MUTEX(winiommu_v1_lock);

static struct winiommu_v1_link *winiommu_v1_find(struct device *dev)
{
	struct winiommu_v1_link *l;

	lockdep_assert_held(&winiommu_v1_lock);
	list_for_each_entry(l, &winiommu_v1_links, node)
		if (l->dev == dev)
			return l;
	return NULL;
}

/*
 * The input mapping IDs a V1 caller must pass: its stream IDs for an
 * ACPI-described device on arm64 (which Windows makes the caller name),
 * base 0 and one mapping for every other device.
 */
void winiommu_v1_expected_ids(struct device *dev, u32 *base, u32 *count)
{
	const struct winiommu_backend *be = winiommu_backend_for(dev);
	u32 ids[WINIOMMU_MAX_INPUT_IDS];
	unsigned int n;

	*base = 0;
	*count = 1;
	if (!IS_ENABLED(CONFIG_ARM64) || !has_acpi_companion(dev))
		return;
	n = be->input_ids(dev, ids, WINIOMMU_MAX_INPUT_IDS);
	if (n) {
		*base = ids[0];
		*count = min_t(unsigned int, n, WINIOMMU_MAX_INPUT_IDS);
	}
}

/**
 * winiommu_v1_attach_device() - IOMMU_DOMAIN_ATTACH_DEVICE, the V1 AttachDevice.
 * @Domain: a live domain.
 * @PhysicalDeviceObject: the caller's bound device (&pdev->dev).
 * @InputMappingIdBase: 0, or the first stream ID of an ACPI arm64 device.
 * @MappingCount: 1, or the stream-ID count of an ACPI arm64 device.
 *
 * Return: STATUS_SUCCESS; STATUS_INVALID_PARAMETER_1 for an unknown domain;
 * _2 for a NULL or unregistered device; _3 / _4 for input mapping IDs
 * other than the device's; STATUS_INVALID_PARAMETER when the device is
 * already attached through V1; otherwise what CreateDevice or
 * AttachDeviceEx answer (STATUS_NOT_FOUND without an IOMMU,
 * STATUS_ACCESS_DENIED, STATUS_IN_USE, STATUS_INSUFFICIENT_RESOURCES).
 */
NTSTATUS winiommu_v1_attach_device(PIOMMU_DMA_DOMAIN Domain, PDEVICE_OBJECT PhysicalDeviceObject,
				   ULONG InputMappingIdBase, ULONG MappingCount)
{
	static const char fn[] = "AttachDevice";
	struct winiommu_domain *dom;
	struct winiommu_v1_link *link;
	u32 base, count;
	NTSTATUS st;

	might_sleep();
	dom = winiommu_domain_lookup(fn, Domain, false);
	if (!dom)
		return STATUS_INVALID_PARAMETER_1;
	winiommu_domain_put(dom);	/* AttachDeviceEx looks it up again */
	if (!PhysicalDeviceObject || !device_is_registered(PhysicalDeviceObject)) {
		winiommu_reject(fn, "PhysicalDeviceObject %p is not a registered device",
				PhysicalDeviceObject);
		return STATUS_INVALID_PARAMETER_2;
	}
	winiommu_v1_expected_ids(PhysicalDeviceObject, &base, &count);
	if (InputMappingIdBase != base) {
		winiommu_reject(fn, "InputMappingIdBase %u, the device's is %u", InputMappingIdBase,
				base);
		return STATUS_INVALID_PARAMETER_3;
	}
	if (MappingCount != count) {
		winiommu_reject(fn, "MappingCount %u, the device has %u", MappingCount, count);
		return STATUS_INVALID_PARAMETER_4;
	}
	link = kzalloc(sizeof(*link), GFP_KERNEL);
	if (!link)
		return STATUS_INSUFFICIENT_RESOURCES;

	mutex_lock(&winiommu_v1_lock);
	if (winiommu_v1_find(PhysicalDeviceObject)) {
		winiommu_reject(fn, "the device is already attached (DetachDevice first)");
		st = STATUS_INVALID_PARAMETER;
		goto err_unlock;
	}
	st = winiommu_create_device(PhysicalDeviceObject, NULL, &link->handle);
	if (!NT_SUCCESS(st))
		goto err_unlock;
	st = winiommu_attach_device_ex(Domain, link->handle);
	if (!NT_SUCCESS(st)) {
		winiommu_delete_device(link->handle);
		goto err_unlock;
	}
	link->dev = PhysicalDeviceObject;
	link->domain = Domain;
	link->base = base;
	list_add_tail(&link->node, &winiommu_v1_links);
	mutex_unlock(&winiommu_v1_lock);
	return STATUS_SUCCESS;

err_unlock:
	mutex_unlock(&winiommu_v1_lock);
	kfree(link);
	return st;
}

/**
 * winiommu_v1_detach_device() - IOMMU_DOMAIN_DETACH_DEVICE, the V1 DetachDevice.
 * @Domain: the domain the device was attached to.
 * @PhysicalDeviceObject: the device.
 * @InputMappingId: the base ID it was attached with.
 *
 * Return: STATUS_SUCCESS; STATUS_INVALID_PARAMETER_1 when the device is not
 * attached to @Domain; _2 when it was not attached through V1; _3 for
 * another base ID.
 */
NTSTATUS winiommu_v1_detach_device(PIOMMU_DMA_DOMAIN Domain, PDEVICE_OBJECT PhysicalDeviceObject,
				   ULONG InputMappingId)
{
	static const char fn[] = "DetachDevice";
	struct winiommu_v1_link *link;
	NTSTATUS st;

	might_sleep();
	mutex_lock(&winiommu_v1_lock);
	link = PhysicalDeviceObject ? winiommu_v1_find(PhysicalDeviceObject) : NULL;
	if (!link) {
		winiommu_reject(fn, "PhysicalDeviceObject %p was not attached with AttachDevice",
				PhysicalDeviceObject);
		st = STATUS_INVALID_PARAMETER_2;
	} else if (link->domain != Domain) {
		winiommu_reject(fn, "the device is attached to another domain");
		st = STATUS_INVALID_PARAMETER_1;
	} else if (InputMappingId != link->base) {
		winiommu_reject(fn, "InputMappingId %u, attached with %u", InputMappingId,
				link->base);
		st = STATUS_INVALID_PARAMETER_3;
	} else {
		st = winiommu_detach_device_ex(link->handle);
		if (NT_SUCCESS(st))
			st = winiommu_delete_device(link->handle);
		if (NT_SUCCESS(st)) {
			list_del(&link->node);
			kfree(link);
		}
	}
	mutex_unlock(&winiommu_v1_lock);
	return st;
}

/* Module unload: V1 attachments a driver left behind. */
void winiommu_v1_exit(void)
{
	struct winiommu_v1_link *link, *next;

	mutex_lock(&winiommu_v1_lock);
	list_for_each_entry_safe(link, next, &winiommu_v1_links, node) {
		dev_warn(link->dev, "still attached through AttachDevice at unload: detaching\n");
		winiommu_detach_device_ex(link->handle);
		winiommu_delete_device(link->handle);
		list_del(&link->node);
		kfree(link);
	}
	mutex_unlock(&winiommu_v1_lock);
}

/**
 * winiommu_query_input_mappings() - IOMMU_QUERY_INPUT_MAPPINGS, QueryInputMappings.
 * @PhysicalDeviceObject: the device.
 * @Buffer: receives INPUT_MAPPING_ELEMENTs.
 * @BufferLength: @Buffer's size in bytes.
 * @ReturnLength: optional; receives the bytes written, or needed.
 *
 * The IDs are the device's SMMU stream IDs where the IOMMU has them
 * (fwspec), else its PCI requester ID (bus << 8 | devfn) as one element:
 * Windows answers only on arm64; on x86 winiommu returns the requester ID
 * rather than failing, a documented divergence.
 *
 * Return: STATUS_SUCCESS; STATUS_BUFFER_TOO_SMALL with the needed size in
 * @ReturnLength and nothing written; STATUS_INVALID_PARAMETER_1 for a NULL
 * or unregistered device; _2 for a NULL @Buffer that would be written;
 * STATUS_UNSUCCESSFUL when no IOMMU translates the device.
 */
NTSTATUS winiommu_query_input_mappings(PDEVICE_OBJECT PhysicalDeviceObject,
				       PINPUT_MAPPING_ELEMENT Buffer, ULONG BufferLength,
				       PULONG ReturnLength)
{
	static const char fn[] = "QueryInputMappings";
	const struct winiommu_backend *be;
	u32 ids[WINIOMMU_MAX_INPUT_IDS];
	struct iommu_group *group;
	unsigned int n, i;
	ULONG need;

	if (!PhysicalDeviceObject || !device_is_registered(PhysicalDeviceObject)) {
		winiommu_reject(fn, "PhysicalDeviceObject %p is not a registered device",
				PhysicalDeviceObject);
		return STATUS_INVALID_PARAMETER_1;
	}
	be = winiommu_backend_for(PhysicalDeviceObject);
	group = be->group_get(PhysicalDeviceObject);
	if (!group) {
		winiommu_reject(fn, "no IOMMU translates the device");
		return STATUS_UNSUCCESSFUL;
	}
	n = min_t(unsigned int, be->input_ids(PhysicalDeviceObject, ids, WINIOMMU_MAX_INPUT_IDS),
		  WINIOMMU_MAX_INPUT_IDS);
	be->group_put(group);
	if (!n)
		return STATUS_UNSUCCESSFUL;
	need = n * sizeof(INPUT_MAPPING_ELEMENT);
	if (BufferLength < need) {
		if (ReturnLength)
			*ReturnLength = need;
		return STATUS_BUFFER_TOO_SMALL;
	}
	if (!Buffer) {
		winiommu_reject(fn, "Buffer is NULL");
		return STATUS_INVALID_PARAMETER_2;
	}
	for (i = 0; i < n; i++)
		Buffer[i].InputMappingId = ids[i];
	if (ReturnLength)
		*ReturnLength = need;
	return STATUS_SUCCESS;
}

/*
 * An ARM64 stage-1 configuration winiommu could shadow: tables 4 KiB
 * aligned, input sizes a 4 KiB-granule VMSA walk allows (25..48 bits; 0
 * turns that TTBR off, which then must be 0), at least one TTBR in use
 * when translation is on.
 */
static bool winiommu_arm64_config_ok(const DOMAIN_CONFIGURATION_ARM64 *c)
{
	u64 t0 = c->Ttbr0.QuadPart, t1 = c->Ttbr1.QuadPart;

	if ((c->InputSize0 && (c->InputSize0 < 25 || c->InputSize0 > 48)) ||
	    (c->InputSize1 && (c->InputSize1 < 25 || c->InputSize1 > 48)))
		return false;
	if ((!c->InputSize0 && t0) || (!c->InputSize1 && t1))
		return false;
	if (!PAGE_ALIGNED(t0) || !PAGE_ALIGNED(t1))
		return false;
	if (c->TranslationEnabled && !c->InputSize0 && !c->InputSize1)
		return false;
	return true;
}

/**
 * winiommu_configure_domain() - IOMMU_DOMAIN_CONFIGURE, ConfigureDomain.
 * @Domain: an Unmanaged (or V1 caller-managed) domain.
 * @Configuration: the caller's page-table configuration.
 *
 * Handing the IOMMU the caller's own page tables has no Linux counterpart,
 * so winiommu walks them (AArch64 VMSA stage 1, 4 KiB granule) and maps
 * every valid translation into the domain's Linux domains: see shadow.c.
 * Until the caller flushes, the domain keeps the translations it saw.
 *
 * Return: STATUS_SUCCESS; STATUS_INVALID_PARAMETER_1 for an OS-managed
 * domain (V1 OsManagedPageTable TRUE, every V2 type but Unmanaged); _2 for
 * a NULL or malformed configuration, or malformed tables (a reserved
 * descriptor, a table or a translation outside RAM); STATUS_NOT_SUPPORTED
 * for the system-reserved X64 form and for translations the attached
 * devices cannot address; STATUS_INSUFFICIENT_RESOURCES when memory, or
 * the bound on descriptors one walk reads, runs out.  On failure the
 * domain keeps its earlier configuration.
 */
NTSTATUS winiommu_configure_domain(PIOMMU_DMA_DOMAIN Domain, PDOMAIN_CONFIGURATION Configuration)
{
	static const char fn[] = "ConfigureDomain";
	struct winiommu_domain *dom = winiommu_domain_get(Domain);
	NTSTATUS st;

	might_sleep();
	if (!dom || dom->kind != WINIOMMU_DOM_UNMANAGED) {
		winiommu_reject(fn, "Domain %p is not a live caller-managed (Unmanaged) domain",
				Domain);
		st = STATUS_INVALID_PARAMETER_1;
	} else if (!Configuration) {
		winiommu_reject(fn, "Configuration is NULL");
		st = STATUS_INVALID_PARAMETER_2;
	} else if (Configuration->Type == DomainConfigurationX64) {
		winiommu_reject(fn, "the X64 configuration is reserved for the system");
		st = STATUS_NOT_SUPPORTED;
	} else if (Configuration->Type != DomainConfigurationArm64 ||
		   !winiommu_arm64_config_ok(&Configuration->Arm64)) {
		winiommu_reject(fn, "Configuration is not a valid ARM64 stage-1 configuration");
		st = STATUS_INVALID_PARAMETER_2;
	} else {
		mutex_lock(&dom->lock);
		st = dom->dead ? STATUS_INVALID_PARAMETER_1 :
				 winiommu_shadow_configure(dom, &Configuration->Arm64);
		mutex_unlock(&dom->lock);
		if (!NT_SUCCESS(st))
			winiommu_dom_reject(fn, dom, "the tables cannot be shadowed (%s)",
					    winiommu_status_name(st));
	}
	if (dom)
		winiommu_domain_put(dom);
	return st;
}
