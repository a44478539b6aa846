// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The winiommu authors
 *
 * Facts about the machine that CreateDomainEx's STATUS_NOT_SUPPORTED cases
 * depend on: is there an IOMMU at all, and is this an x86 guest.
 *
 * "An IOMMU" means one the firmware describes (ACPI DMAR, IVRS, VIOT or
 * IORT; a device-tree node with #iommu-cells) or one Linux already put a
 * device behind.  Devices behind virtio-iommu and SMMUv3 get their IOMMU
 * group only when a driver binds them, so the firmware tables are what
 * answer before any device is attached.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/acpi.h>
#include <linux/iommu.h>
#include <linux/of.h>
#include <linux/pci.h>

#include "winiommu.h"

#ifdef CONFIG_X86
#include <asm/cpufeature.h>
#endif

static bool winiommu_acpi_describes_iommu(void)
{
#ifdef CONFIG_ACPI
	static char sigs[][ACPI_NAMESEG_SIZE + 1] = { "DMAR", "IVRS", "VIOT", "IORT" };
	struct acpi_table_header *hdr;
	int i;

	if (acpi_disabled)
		return false;
	for (i = 0; i < ARRAY_SIZE(sigs); i++) {
		if (ACPI_SUCCESS(acpi_get_table(sigs[i], 0, &hdr))) {
			acpi_put_table(hdr);
			return true;
		}
	}
#endif
	return false;
}

static bool winiommu_of_describes_iommu(void)
{
#ifdef CONFIG_OF
	struct device_node *np = of_find_node_with_property(NULL, "#iommu-cells");

	if (np) {
		of_node_put(np);
		return true;
	}
#endif
	return false;
}

static bool winiommu_some_pci_device_translated(void)
{
#ifdef CONFIG_PCI
	struct pci_dev *pdev = NULL;

	for_each_pci_dev(pdev) {
		if (device_iommu_mapped(&pdev->dev)) {
			pci_dev_put(pdev);
			return true;
		}
	}
#endif
	return false;
}

bool winiommu_platform_has_iommu(void)
{
	return winiommu_acpi_describes_iommu() || winiommu_of_describes_iommu() ||
	       winiommu_some_pci_device_translated();
}

bool winiommu_platform_is_x86_guest(void)
{
#ifdef CONFIG_X86
	return boot_cpu_has(X86_FEATURE_HYPERVISOR);
#else
	return false;
#endif
}
