// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The winiommu authors
 *
 * The Linux half of the edu sample: a pci_driver for QEMU's edu device
 * (1234:11e8) that hands the device to the Windows-style core in
 * edu_windows.c, and the platform services edu.h promises it.
 *
 * What a port needs on the Linux side, and nothing more:
 *  - bind the device (probe/remove), enable it, map BAR 0, enable bus
 *    mastering, set the DMA mask to what the device addresses;
 *  - driver_managed_dma = true: the driver never uses the Linux DMA API,
 *    so the device may leave its default IOMMU domain when the core
 *    attaches it to a Windows domain (AttachDeviceEx claims DMA ownership
 *    and is refused with STATUS_ACCESS_DENIED otherwise);
 *  - pass &pdev->dev wherever the core takes a PDEVICE_OBJECT.
 *
 * The guests have two edu devices; this driver takes the first and leaves
 * the others (-ENODEV).  The module parameter "scenario" picks what the
 * core does (translate, passthrough, unmanaged).  The core's self-check
 * results are printed as KTAP when probe ends, so that test scripts on
 * kernels without KUnit count them; probe succeeds whatever they say.
 */
#define pr_fmt(fmt) fmt

#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/io-64-nonatomic-lo-hi.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include "edu.h"

#define EDU_MAX_RESULTS		24

enum edu_state { EDU_PASS, EDU_FAIL, EDU_SKIP };

struct edu_result {
	enum edu_state state;
	char name[48];
	char note[200];
};

/**
 * struct edu_shell - one bound edu device.
 * @pdev: the PCI device.
 * @bar: BAR 0, the registers.
 * @dev: what the core sees (the PDO, scenario, DMA width, its context).
 * @nr_results: entries used in @results.
 * @results: the core's checks, printed as KTAP at the end of probe.
 */
struct edu_shell {
	struct pci_dev *pdev;
	void __iomem *bar;
	struct _EDU_DEVICE dev;
	unsigned int nr_results;
	struct edu_result results[EDU_MAX_RESULTS];
};

static const char * const edu_scenarios[EDU_SCENARIO_MAX] = {
	[EDU_SCENARIO_TRANSLATE] = "translate",
	[EDU_SCENARIO_PASSTHROUGH] = "passthrough",
	[EDU_SCENARIO_UNMANAGED] = "unmanaged",
};

static char *scenario = "translate";
module_param(scenario, charp, 0444);
MODULE_PARM_DESC(scenario,
		 "translate (default): Translate domain, allocator, token; passthrough: DMA to physical addresses; unmanaged: the driver's own page tables (ConfigureDomain)");

static enum _EDU_SCENARIO edu_scenario;

/* Only the first edu device is ours. */
static DEFINE_MUTEX(edu_owner_lock);
static struct pci_dev *edu_owner;	/* under edu_owner_lock */

static struct edu_shell *edu_shell_of(struct _EDU_DEVICE *device)
{
	return container_of(device, struct edu_shell, dev);
}

/* ---- services for the core (edu.h) ---------------------------------------- */

ULONGLONG edu_read_register(struct _EDU_DEVICE *device, ULONG Offset)
{
	return readq(edu_shell_of(device)->bar + Offset);
}

VOID edu_write_register(struct _EDU_DEVICE *device, ULONG Offset, ULONGLONG value)
{
	writeq(value, edu_shell_of(device)->bar + Offset);
}

ULONG edu_read_register32(struct _EDU_DEVICE *device, ULONG Offset)
{
	return readl(edu_shell_of(device)->bar + Offset);
}

PVOID edu_allocate_pool(SIZE_T bytes)
{
	return kzalloc(bytes, GFP_KERNEL);
}

VOID edu_free_pool(PVOID Buffer)
{
	kfree(Buffer);
}

PVOID edu_allocate_virtual(SIZE_T bytes)
{
	return vzalloc(bytes);
}

VOID edu_free_virtual(PVOID Buffer)
{
	vfree(Buffer);
}

PVOID edu_allocate_contiguous(SIZE_T bytes)
{
	struct page *page = alloc_pages(GFP_KERNEL | __GFP_ZERO | __GFP_NOWARN, get_order(bytes));

	return page ? page_address(page) : NULL;
}

VOID edu_free_contiguous(PVOID Buffer, SIZE_T bytes)
{
	free_pages((unsigned long)Buffer, get_order(bytes));
}

ULONGLONG edu_query_time_ns(void)
{
	return ktime_get_ns();
}

VOID edu_sleep_microseconds(ULONG microseconds)
{
	usleep_range(microseconds, microseconds + microseconds / 2 + 1);
}

VOID edu_log(struct _EDU_DEVICE *device, const char *format, ...)
{
	struct va_format vaf;
	va_list args;

	va_start(args, format);
	vaf.fmt = format;
	vaf.va = &args;
	dev_info(&edu_shell_of(device)->pdev->dev, "%pV\n", &vaf);
	va_end(args);
}

static struct edu_result *edu_add_result(struct edu_shell *shell, const char *name,
					 enum edu_state state)
{
	struct edu_result *r;

	if (shell->nr_results == EDU_MAX_RESULTS) {
		dev_warn(&shell->pdev->dev, "result %s dropped: more than %d checks\n", name,
			 EDU_MAX_RESULTS);
		return NULL;
	}
	r = &shell->results[shell->nr_results++];
	r->state = state;
	snprintf(r->name, sizeof(r->name), "%s.%s", shell->dev.scenario_name, name);
	return r;
}

BOOLEAN edu_check(struct _EDU_DEVICE *device, const char *name, BOOLEAN passed,
		  const char *detail, ...)
{
	struct edu_shell *shell = edu_shell_of(device);
	struct edu_result *r = edu_add_result(shell, name, passed ? EDU_PASS : EDU_FAIL);
	char note[sizeof(r->note)];
	va_list args;

	va_start(args, detail);
	vsnprintf(note, sizeof(note), detail, args);
	va_end(args);
	if (r)
		strscpy(r->note, note, sizeof(r->note));
	else
		passed = FALSE;
	dev_info(&shell->pdev->dev, "[%s] %s\n", passed ? "ok" : "FAILED", note);
	return passed;
}

VOID edu_skip(struct _EDU_DEVICE *device, const char *name, const char *reason)
{
	struct edu_shell *shell = edu_shell_of(device);
	struct edu_result *r = edu_add_result(shell, name, EDU_SKIP);

	if (r)
		strscpy(r->note, reason, sizeof(r->note));
	dev_info(&shell->pdev->dev, "[not yet] %s\n", reason);
}

/* ---- KTAP ------------------------------------------------------------------ */

static void edu_print_ktap(struct edu_shell *shell)
{
	bool failed = false;
	unsigned int i;

	pr_info("KTAP version 1\n1..1\n    KTAP version 1\n    # Subtest: winiommu_edu\n    1..%u\n",
		shell->nr_results);
	for (i = 0; i < shell->nr_results; i++) {
		struct edu_result *r = &shell->results[i];

		switch (r->state) {
		case EDU_PASS:
			pr_info("    ok %u %s\n", i + 1, r->name);
			break;
		case EDU_SKIP:
			pr_info("    ok %u %s # SKIP %s\n", i + 1, r->name, r->note);
			break;
		case EDU_FAIL:
			failed = true;
			pr_info("    # %s: %s\n", r->name, r->note);
			pr_info("    not ok %u %s\n", i + 1, r->name);
			break;
		}
	}
	pr_info("%sok 1 winiommu_edu\n", failed || !shell->nr_results ? "not " : "");
}

/* ---- the pci_driver ---------------------------------------------------------- */

static int edu_claim(struct pci_dev *pdev)
{
	int ret = 0;

	mutex_lock(&edu_owner_lock);
	if (edu_owner)
		ret = -ENODEV;
	else
		edu_owner = pdev;
	mutex_unlock(&edu_owner_lock);
	return ret;
}

static void edu_unclaim(struct pci_dev *pdev)
{
	mutex_lock(&edu_owner_lock);
	if (edu_owner == pdev)
		edu_owner = NULL;
	mutex_unlock(&edu_owner_lock);
}

static int edu_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct edu_shell *shell;
	NTSTATUS status;
	int ret;

	ret = edu_claim(pdev);
	if (ret) {
		pci_info(pdev, "another edu is already bound to winiommu_edu; leaving this one\n");
		return ret;
	}
	shell = devm_kzalloc(&pdev->dev, sizeof(*shell), GFP_KERNEL);
	if (!shell) {
		ret = -ENOMEM;
		goto err_unclaim;
	}
	ret = pcim_enable_device(pdev);
	if (ret)
		goto err_unclaim;
	shell->bar = pcim_iomap(pdev, 0, 0);
	if (!shell->bar) {
		ret = -ENOMEM;
		goto err_unclaim;
	}
	/* edu addresses 64 bits when QEMU's dma_mask property says so */
	ret = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(64));
	if (ret)
		goto err_unclaim;
	pci_set_master(pdev);

	shell->pdev = pdev;
	shell->dev.PhysicalDeviceObject = &pdev->dev;
	shell->dev.scenario = edu_scenario;
	shell->dev.scenario_name = edu_scenarios[edu_scenario];
	shell->dev.dma_address_width = fls64(dma_get_mask(&pdev->dev));
	pci_set_drvdata(pdev, shell);

	pci_info(pdev, "winiommu_edu: a Windows-style driver, ported onto winiommu, checks its DMA\n");
	status = edu_start_device(&shell->dev);
	if (!NT_SUCCESS(status))
		edu_check(&shell->dev, "start_device", FALSE, "edu_start_device: status %#x",
			  (u32)status);
	edu_print_ktap(shell);
	return 0;

err_unclaim:
	edu_unclaim(pdev);
	return ret;
}

static void edu_remove(struct pci_dev *pdev)
{
	struct edu_shell *shell = pci_get_drvdata(pdev);

	edu_stop_device(&shell->dev);
	pci_clear_master(pdev);
	edu_unclaim(pdev);
}

static const struct pci_device_id edu_ids[] = {
	{ PCI_DEVICE(0x1234, 0x11e8) },
	{ }
};
MODULE_DEVICE_TABLE(pci, edu_ids);

static struct pci_driver edu_driver = {
	.name			= "winiommu_edu",
	.id_table		= edu_ids,
	.probe			= edu_probe,
	.remove			= edu_remove,
	/* no Linux DMA API here: the core attaches the device to its own domains */
	.driver_managed_dma	= true,
};

static int __init edu_init(void)
{
	int i = match_string(edu_scenarios, ARRAY_SIZE(edu_scenarios), scenario);

	if (i < 0) {
		pr_err("winiommu_edu: scenario=%s is not translate, passthrough or unmanaged\n",
		       scenario);
		return -EINVAL;
	}
	edu_scenario = i;
	return pci_register_driver(&edu_driver);
}

static void __exit edu_exit(void)
{
	pci_unregister_driver(&edu_driver);
}

module_init(edu_init);
module_exit(edu_exit);

MODULE_DESCRIPTION("winiommu sample: a Windows-style driver for QEMU's edu device, with a DMA self-check");
MODULE_LICENSE("GPL");
