// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The winiommu authors
 *
 * winiommu_test_edu.ko: minimal drivers for QEMU's edu device, giving the
 * KUnit suites a real DMA master behind a real IOMMU.  A separate module
 * from the suites because KUnit runs a module's suites before its
 * module_init() on 6.1, too early to register a PCI driver.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/sizes.h>
#include <linux/io.h>
#include <linux/iopoll.h>
#include <linux/module.h>
#include <linux/pci.h>

#include <wdm.h>

#include "compat.h"
#include "edu.h"

#define EDU_REG_ID		0x00
#define EDU_REG_DMA_SRC		0x80
#define EDU_REG_DMA_DST		0x88
#define EDU_REG_DMA_CNT		0x90
#define EDU_REG_DMA_CMD		0x98
#define EDU_CMD_START		BIT(0)
#define EDU_CMD_TO_RAM		BIT(1)

static struct winiommu_test_edu edu_managed, edu_dmaapi;

/* QEMU's edu addresses 28 bits unless its dma_mask property says more. */
static unsigned int dma_bits = 64;
module_param(dma_bits, uint, 0444);
MODULE_PARM_DESC(dma_bits, "DMA mask width the edu devices are set to (QEMU edu default: 28)");

/*
 * What the guest was booted with, from the check scripts, for the suites
 * of winiommu_test.ko.  They are parameters of this module, not of the
 * suites': before 6.3 KUnit runs a module's suites before its parameters
 * are parsed.  iommu_expected: 1 with an IOMMU, 0 without; -1 (unknown)
 * skips the cases that check the machine itself.
 */
int winiommu_test_iommu_expected = -1;
EXPORT_SYMBOL_NS_GPL(winiommu_test_iommu_expected, WINIOMMU_TEST_NS);
module_param_named(iommu_expected, winiommu_test_iommu_expected, int, 0444);
MODULE_PARM_DESC(iommu_expected, "1: the machine has an IOMMU, 0: it has none, -1: unknown");

/*
 * Whether the IOMMU driver reports an edu DMA fault to winiommu: 1 yes
 * (SMMUv3 before 6.9), 0 it only logs, -1 unknown.
 */
int winiommu_test_real_faults = -1;
EXPORT_SYMBOL_NS_GPL(winiommu_test_real_faults, WINIOMMU_TEST_NS);
module_param_named(real_faults, winiommu_test_real_faults, int, 0444);
MODULE_PARM_DESC(real_faults, "1: the IOMMU driver reports device faults, 0: it only logs, -1: unknown");

/* How long winiommu_stress runs: short in every target, long in the debug guests. */
unsigned int winiommu_test_stress_seconds = 5;
EXPORT_SYMBOL_NS_GPL(winiommu_test_stress_seconds, WINIOMMU_TEST_NS);
module_param_named(stress_seconds, winiommu_test_stress_seconds, uint, 0444);
MODULE_PARM_DESC(stress_seconds, "seconds the winiommu_stress suite runs (1-600, default 5)");

struct winiommu_test_edu *winiommu_test_edu_get(void)
{
	return edu_managed.pdev ? &edu_managed : NULL;
}
EXPORT_SYMBOL_NS_GPL(winiommu_test_edu_get, WINIOMMU_TEST_NS);

struct winiommu_test_edu *winiommu_test_edu_dmaapi_get(void)
{
	return edu_dmaapi.pdev ? &edu_dmaapi : NULL;
}
EXPORT_SYMBOL_NS_GPL(winiommu_test_edu_dmaapi_get, WINIOMMU_TEST_NS);

int winiommu_test_edu_dma(struct winiommu_test_edu *edu, u64 iova, u32 len, bool to_device)
{
	u64 cmd;

	if (!edu || !len || len > EDU_DMA_MAX)
		return -EINVAL;
	writeq(to_device ? iova : EDU_BUF_ADDR, edu->bar + EDU_REG_DMA_SRC);
	writeq(to_device ? EDU_BUF_ADDR : iova, edu->bar + EDU_REG_DMA_DST);
	writeq(len, edu->bar + EDU_REG_DMA_CNT);
	writeq(EDU_CMD_START | (to_device ? 0 : EDU_CMD_TO_RAM), edu->bar + EDU_REG_DMA_CMD);
	return readq_poll_timeout(edu->bar + EDU_REG_DMA_CMD, cmd, !(cmd & EDU_CMD_START),
				  10, 1000000);
}
EXPORT_SYMBOL_NS_GPL(winiommu_test_edu_dma, WINIOMMU_TEST_NS);

int winiommu_test_edu_copy(struct winiommu_test_edu *edu, u64 src, u64 dst, u32 len)
{
	u32 off, step;
	int ret;

	for (off = 0; off < len; off += step) {
		step = min_t(u32, len - off, SZ_2K);
		ret = winiommu_test_edu_dma(edu, src + off, step, true);
		if (!ret)
			ret = winiommu_test_edu_dma(edu, dst + off, step, false);
		if (ret)
			return ret;
	}
	return 0;
}
EXPORT_SYMBOL_NS_GPL(winiommu_test_edu_copy, WINIOMMU_TEST_NS);

static int edu_setup(struct pci_dev *pdev, struct winiommu_test_edu *edu)
{
	int ret = pcim_enable_device(pdev);

	if (ret)
		return ret;
	edu->bar = pcim_iomap(pdev, 0, 0);
	if (!edu->bar)
		return -ENOMEM;
	ret = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(dma_bits));
	if (ret)
		return ret;
	pci_set_master(pdev);
	edu->pdev = pdev;
	pci_set_drvdata(pdev, edu);
	pci_info(pdev, "edu id %#x ready for the suites\n", readl(edu->bar + EDU_REG_ID));
	return 0;
}

/*
 * leave=1: the managed edu's driver leaves one of every object it can make
 * behind, as a driver that forgets its teardown would: a DMA device with a
 * state-change callback, attached to a Translate domain holding a mapping
 * and a token with a mapped segment, and an Unmanaged domain shadowing a
 * page of its own tables.  Its own memory it frees at unload; unloading
 * winiommu afterwards must release the objects, say so, and leak nothing.
 */
static bool leave;
module_param(leave, bool, 0444);
MODULE_PARM_DESC(leave, "leave a device, domains, a mapping, a token and a callback behind (tests winiommu's unload sweep)");

/* a mapped page, a segment's page, and the level 1, 2 and 3 tables */
static void *edu_left_pages[5];

static VOID edu_left_cb(PIOMMU_INTERFACE_STATE_CHANGE StateChange, PVOID Context)
{
}

static void edu_leave_behind(struct pci_dev *pdev)
{
	IOMMU_DMA_LOGICAL_ADDRESS_TOKEN_MAPPED_SEGMENT seg;
	IOMMU_INTERFACE_STATE_CHANGE_FIELDS fields = { .AvailableDomainTypes = 1 };
	IOMMU_DMA_LOGICAL_ALLOCATOR_CONFIG buddy = {
		.LogicalAllocatorType = IommuDmaLogicalAllocatorBuddy,
		.BuddyAllocatorConfig.AddressWidth = 32,
	};
	IOMMU_DMA_DOMAIN_CREATION_FLAGS flags = {};
	DOMAIN_CONFIGURATION cfg = { .Type = DomainConfigurationArm64 };
	PIOMMU_DMA_DOMAIN dom, unmanaged;
	PIOMMU_DMA_LOGICAL_ADDRESS_TOKEN tok;
	IOMMU_MAP_PHYSICAL_ADDRESS pa = {
		.MapType = MapPhysicalAddressTypeContiguousRange,
		.ContiguousRange.Size = PAGE_SIZE,
	};
	DMA_IOMMU_INTERFACE_EX ifc;
	PIOMMU_DMA_DEVICE dev;
	u64 out, *l1, *l2, *l3;
	NTSTATUS st;
	int i;

	for (i = 0; i < ARRAY_SIZE(edu_left_pages); i++) {
		edu_left_pages[i] = (void *)get_zeroed_page(GFP_KERNEL);
		if (!edu_left_pages[i])
			return;
	}
	st = IoGetIommuInterfaceEx(DMA_IOMMU_INTERFACE_EX_VERSION_2, 0, &ifc);
	if (NT_SUCCESS(st))
		st = ifc.V2.CreateDevice(&pdev->dev, NULL, &dev);
	if (NT_SUCCESS(st))
		st = ifc.V2.RegisterInterfaceStateChangeCallback(edu_left_cb, NULL, dev, &fields);
	if (NT_SUCCESS(st))
		st = ifc.V2.CreateDomainEx(DomainTypeTranslate, flags, &buddy, NULL, &dom);
	if (NT_SUCCESS(st))
		st = ifc.V2.AttachDeviceEx(dom, dev);
	pa.ContiguousRange.Base.QuadPart = virt_to_phys(edu_left_pages[0]);
	if (NT_SUCCESS(st))
		st = ifc.V2.MapLogicalRangeEx(dom, IOMMU_ACCESS_READ, &pa, NULL, NULL, NULL, &out);
	if (NT_SUCCESS(st))
		st = ifc.V2.ReserveLogicalAddressRange(dom, 4 * PAGE_SIZE, NULL, NULL, NULL, &tok);
	pa.ContiguousRange.Base.QuadPart = virt_to_phys(edu_left_pages[1]);
	if (NT_SUCCESS(st))
		st = ifc.V2.MapReservedLogicalRange(tok, PAGE_SIZE, IOMMU_ACCESS_WRITE, &pa, &seg);
	/* 39-bit tables mapping one page at 1 GiB (valid, table/page, AF) */
	l1 = edu_left_pages[2];
	l2 = edu_left_pages[3];
	l3 = edu_left_pages[4];
	l1[1] = virt_to_phys(l2) | 0x3;
	l2[0] = virt_to_phys(l3) | 0x3;
	l3[0] = virt_to_phys(edu_left_pages[0]) | 0x403;
	cfg.Arm64.Ttbr0.QuadPart = virt_to_phys(l1);
	cfg.Arm64.InputSize0 = 39;
	cfg.Arm64.TranslationEnabled = TRUE;
	if (NT_SUCCESS(st))
		st = ifc.V2.CreateDomainEx(DomainTypeUnmanaged, flags, NULL, NULL, &unmanaged);
	if (NT_SUCCESS(st))
		st = ifc.V2.ConfigureDomain(unmanaged, &cfg);
	if (NT_SUCCESS(st))
		pci_info(pdev, "left behind for winiommu's unload sweep: %s\n",
			 "a device with a callback, 2 domains, a mapping, a token with a segment");
	else
		pci_err(pdev, "leave=1: FAILED to make the objects to leave behind (%#x)\n", st);
}

static void edu_remove(struct pci_dev *pdev)
{
	struct winiommu_test_edu *edu = pci_get_drvdata(pdev);

	pci_clear_master(pdev);
	edu->pdev = NULL;
}

static const struct pci_device_id edu_ids[] = {
	{ PCI_DEVICE(0x1234, 0x11e8) },
	{ }
};
MODULE_DEVICE_TABLE(pci, edu_ids);

/* First edu: owned the way a ported Windows driver owns its device. */
static int edu_managed_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	int ret;

	if (edu_managed.pdev)
		return -ENODEV;		/* leave the next one to the DMA-API driver */
	ret = edu_setup(pdev, &edu_managed);
	if (!ret && leave)
		edu_leave_behind(pdev);
	return ret;
}

static struct pci_driver edu_managed_driver = {
	.name			= "winiommu_test_edu",
	.id_table		= edu_ids,
	.probe			= edu_managed_probe,
	.remove			= edu_remove,
	.driver_managed_dma	= true,
};

/* Second edu: an ordinary driver that uses the Linux DMA API. */
static int edu_dmaapi_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	if (edu_dmaapi.pdev)
		return -ENODEV;
	return edu_setup(pdev, &edu_dmaapi);
}

static struct pci_driver edu_dmaapi_driver = {
	.name		= "winiommu_test_edu_dmaapi",
	.id_table	= edu_ids,
	.probe		= edu_dmaapi_probe,
	.remove		= edu_remove,
};

static int __init edu_init(void)
{
	int ret = pci_register_driver(&edu_managed_driver);

	if (ret)
		return ret;
	ret = pci_register_driver(&edu_dmaapi_driver);
	if (ret)
		pci_unregister_driver(&edu_managed_driver);
	return ret;
}

static void __exit edu_exit(void)
{
	int i;

	pci_unregister_driver(&edu_dmaapi_driver);
	pci_unregister_driver(&edu_managed_driver);
	/* nothing DMAs any more: the memory goes, winiommu's objects stay */
	for (i = 0; i < ARRAY_SIZE(edu_left_pages); i++)
		free_page((unsigned long)edu_left_pages[i]);
}

module_init(edu_init);
module_exit(edu_exit);

MODULE_DESCRIPTION("winiommu tests: drivers for QEMU's edu DMA device");
MODULE_LICENSE("GPL");
