// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The winiommu authors
 *
 * An external user of winiommu, built on its own against winiommu's
 * Module.symvers (KBUILD_EXTRA_SYMBOLS) the way a ported driver is: it
 * includes only <wdm.h>, gets the V2 table and creates and deletes a
 * domain.  It prints its results as KTAP so that stock kernels, which have
 * no KUnit, still report what ran.
 */
#define pr_fmt(fmt) fmt

#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/printk.h>
#include <linux/string.h>

#include <wdm.h>

static unsigned int extmod_failed;

/*
 * leave=1: also create a domain with a mapping and a token with a mapped
 * segment, and unload without deleting them, as a careless driver would;
 * winiommu's unload must release them cleanly.
 */
static bool leave;
module_param(leave, bool, 0444);
MODULE_PARM_DESC(leave, "leave a domain, a mapping and a token behind at unload (tests winiommu's unload sweep)");

static void *extmod_page;

static void extmod_leave_behind(DMA_IOMMU_INTERFACE_EX *ifc)
{
	IOMMU_DMA_LOGICAL_ALLOCATOR_CONFIG buddy = {
		.LogicalAllocatorType = IommuDmaLogicalAllocatorBuddy,
		.BuddyAllocatorConfig.AddressWidth = 32,
	};
	IOMMU_DMA_DOMAIN_CREATION_FLAGS flags = { .AsUlonglong = 0 };
	IOMMU_DMA_LOGICAL_ADDRESS_TOKEN_MAPPED_SEGMENT seg;
	PIOMMU_DMA_LOGICAL_ADDRESS_TOKEN tok;
	IOMMU_MAP_PHYSICAL_ADDRESS pa = {
		.MapType = MapPhysicalAddressTypeContiguousRange,
	};
	IOMMU_DMA_LOGICAL_ADDRESS la;
	PIOMMU_DMA_DOMAIN dom;

	extmod_page = (void *)__get_free_page(GFP_KERNEL);
	if (!extmod_page ||
	    !NT_SUCCESS(ifc->V2.CreateDomainEx(DomainTypeTranslate, flags, &buddy, NULL, &dom)))
		return;
	pa.ContiguousRange.Base.QuadPart = virt_to_phys(extmod_page);
	pa.ContiguousRange.Size = PAGE_SIZE;
	ifc->V2.MapLogicalRangeEx(dom, IOMMU_ACCESS_READ, &pa, NULL, NULL, NULL, &la);
	if (NT_SUCCESS(ifc->V2.ReserveLogicalAddressRange(dom, 4 * PAGE_SIZE, NULL, NULL, NULL,
							  &tok)))
		ifc->V2.MapReservedLogicalRange(tok, 0, IOMMU_ACCESS_READ, &pa, &seg);
	ifc->V2.CreateDomainEx(DomainTypeUnmanaged, flags, NULL, NULL, &dom);
	pr_info("# winiommu_extmod: leaving two domains, a mapping and a token behind\n");
}

static void extmod_result(unsigned int n, const char *name, NTSTATUS got, NTSTATUS want)
{
	bool ok = got == want;

	if (!ok) {
		extmod_failed++;
		pr_info("    # %s: status %#x, expected %#x\n", name, (u32)got, (u32)want);
	}
	pr_info("    %sok %u %s\n", ok ? "" : "not ", n, name);
}

static int __init extmod_init(void)
{
	IOMMU_DMA_LOGICAL_ALLOCATOR_CONFIG buddy = {
		.LogicalAllocatorType = IommuDmaLogicalAllocatorBuddy,
		.BuddyAllocatorConfig.AddressWidth = 48,
	};
	IOMMU_DMA_DOMAIN_CREATION_FLAGS flags = { .AsUlonglong = 0 };
	DMA_IOMMU_INTERFACE_EX ifc;
	PIOMMU_DMA_DOMAIN dom = NULL;
	NTSTATUS st;

	memset(&ifc, 0, sizeof(ifc));
	pr_info("KTAP version 1\n1..1\n    KTAP version 1\n    # Subtest: winiommu_extmod\n    1..4\n");
	st = IoGetIommuInterfaceEx(DMA_IOMMU_INTERFACE_EX_VERSION_2, 0, &ifc);
	extmod_result(1, "get_interface_v2", st, STATUS_SUCCESS);
	extmod_result(2, "interface_size_v2",
		      NT_SUCCESS(st) && ifc.Size == 0xC0 && ifc.Version == 2 ?
		      STATUS_SUCCESS : STATUS_UNSUCCESSFUL, STATUS_SUCCESS);
	if (NT_SUCCESS(st)) {
		st = ifc.V2.CreateDomainEx(DomainTypeTranslate, flags, &buddy, NULL, &dom);
		extmod_result(3, "create_domain_ex", st, STATUS_SUCCESS);
		st = NT_SUCCESS(st) ? ifc.V2.DeleteDomain(dom) : STATUS_UNSUCCESSFUL;
		extmod_result(4, "delete_domain", st, STATUS_SUCCESS);
	} else {
		extmod_result(3, "create_domain_ex", STATUS_UNSUCCESSFUL, STATUS_SUCCESS);
		extmod_result(4, "delete_domain", STATUS_UNSUCCESSFUL, STATUS_SUCCESS);
	}
	pr_info("%sok 1 winiommu_extmod\n", extmod_failed ? "not " : "");
	if (leave && NT_SUCCESS(st))
		extmod_leave_behind(&ifc);
	return 0;
}

/* The page stays: winiommu maps it until its unload sweep. */
static void __exit extmod_exit(void)
{
}

module_init(extmod_init);
module_exit(extmod_exit);

MODULE_DESCRIPTION("winiommu: an external module built against Module.symvers");
MODULE_LICENSE("GPL");
