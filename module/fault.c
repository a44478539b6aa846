// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The winiommu authors
 *
 * Fault reporting: the V1 SetDeviceFaultReporting.
 *
 * A driver that enables reporting for an attached device gets every
 * translation fault of that device as a FAULT_INFORMATION (the ARM64 form
 * on arm64, the X64 form on x86), delivered from a workqueue: process
 * context, as Windows promises PASSIVE_LEVEL.  Faults come from three
 * places and take the same path:
 *  - IOMMU drivers that report faults to the domain's handler
 *    (iommu_set_fault_handler(): AMD-Vi and SMMUv2-class drivers);
 *  - IOMMU drivers that report a device's faults to its own handler
 *    (iommu_register_device_fault_handler(), 6.1 - 6.8: SMMUv3), which
 *    winiommu registers while reporting is enabled;
 *  - winiommu_inject_fault(), also reachable through
 *    /sys/kernel/debug/winiommu/inject_fault, for IOMMUs whose drivers only
 *    log (virtio-iommu, SMMUv3 from 6.9, VT-d) and for tests.
 * Disabling reporting, or detaching the device, stops delivery: once either
 * returns, the handler is not called again.  Neither may be called from
 * the handler itself.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/pci.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>

#include "winiommu.h"
#include "backend.h"

static struct workqueue_struct *winiommu_fault_wq;

struct winiommu_fault_work {
	struct work_struct work;
	struct winiommu_device *wdev;		/* a reference is held */
	FAULT_INFORMATION info;
};

static void winiommu_fault_work_fn(struct work_struct *work)
{
	struct winiommu_fault_work *fw = container_of(work, struct winiommu_fault_work, work);
	struct winiommu_device *wdev = fw->wdev;
	PIOMMU_DEVICE_FAULT_HANDLER handler;
	unsigned long flags;
	void *ctx;

	spin_lock_irqsave(&wdev->fault_lock, flags);
	handler = wdev->fault_handler;
	ctx = wdev->fault_context;
	spin_unlock_irqrestore(&wdev->fault_lock, flags);
	if (handler)
		handler(ctx, &fw->info);
	winiommu_device_put(wdev);
	kfree(fw);
}

static const FAULT_INFORMATION_ARM64_TYPE winiommu_fault_types[] = {
	[WINIOMMU_FAULT_TRANSLATION]	= TranslationFault,
	[WINIOMMU_FAULT_PERMISSION]	= PermissionFault,
	[WINIOMMU_FAULT_ACCESS_FLAG]	= AccessFlagFault,
	[WINIOMMU_FAULT_ADDRESS_SIZE]	= AddressSizeFault,
};

/* Fill the FAULT_INFORMATION form of the running architecture. */
static void winiommu_fault_info(struct winiommu_device *wdev, u64 iova, bool write,
				enum winiommu_fault_kind kind, FAULT_INFORMATION *info)
{
	PVOID domain = wdev->domain;	/* read without the lock: informational */
	FAULT_INFORMATION_ARM64_TYPE type = winiommu_fault_types[kind];

	memset(info, 0, sizeof(*info));
	info->IsStage1 = TRUE;
#ifdef CONFIG_ARM64
	info->Type = FaultInformationArm64;
	info->Arm64.DomainHandle = domain;
	info->Arm64.FaultAddress = (PVOID)(uintptr_t)iova;
	info->Arm64.PhysicalDeviceObject = wdev->dev;
	info->Arm64.InputMappingId = wdev->nr_ids ? wdev->ids[0] : 0;
	info->Arm64.Flags.WriteNotRead = write;
	info->Arm64.Flags.FaultAddressValid = 1;
	info->Arm64.Type = type;
#else
	info->Type = FaultInformationX64;
	info->X64.DomainHandle = domain;
	info->X64.FaultAddress = (PVOID)(uintptr_t)iova;
	info->X64.Flags.FaultAddressValid = 1;
	info->X64.Type = type;
	if (dev_is_pci(wdev->dev))
		info->X64.PciSegment = pci_domain_nr(to_pci_dev(wdev->dev)->bus);
#endif
}

/*
 * Queue one fault of @wdev for its handler.  Any context.  Returns 0 if it
 * was queued, -ENOENT when reporting is off (the IOMMU driver then logs
 * the fault as it would without winiommu), -ENOMEM.
 */
static int winiommu_fault_queue(struct winiommu_device *wdev, u64 iova, bool write,
				enum winiommu_fault_kind kind)
{
	struct winiommu_fault_work *fw;
	unsigned long flags;
	bool on;

	spin_lock_irqsave(&wdev->fault_lock, flags);
	on = wdev->fault_handler;
	spin_unlock_irqrestore(&wdev->fault_lock, flags);
	if (!on)
		return -ENOENT;
	fw = kzalloc(sizeof(*fw), GFP_ATOMIC);
	if (!fw)
		return -ENOMEM;
	INIT_WORK(&fw->work, winiommu_fault_work_fn);
	kref_get(&wdev->obj.ref);
	fw->wdev = wdev;
	winiommu_fault_info(wdev, iova, write, kind, &fw->info);
	queue_work(winiommu_fault_wq, &fw->work);
	return 0;
}

/* The handler winiommu gives the Linux domains it makes. */
int winiommu_linux_fault(struct iommu_domain *d, struct device *dev, unsigned long iova,
			 int flags, void *token)
{
	struct winiommu_device *wdev = dev ? winiommu_device_find(dev) : NULL;
	int ret;

	if (!wdev)
		return -EOPNOTSUPP;
	ret = winiommu_fault_queue(wdev, iova, flags & IOMMU_FAULT_WRITE,
				   WINIOMMU_FAULT_TRANSLATION);
	winiommu_device_put(wdev);
	return ret ? -EOPNOTSUPP : 0;	/* non-zero: the driver logs it */
}

/*
 * The handler of a device's own faults (see winiommu_device.dev_faults):
 * @data is the winiommu device, alive while the handler is registered.
 */
int winiommu_dev_fault(void *data, u64 iova, bool write, enum winiommu_fault_kind kind)
{
	return winiommu_fault_queue(data, iova, write, kind) ? -EOPNOTSUPP : 0;
}

/**
 * winiommu_inject_fault() - report a translation fault of @dev as if its
 * IOMMU had, through the same delivery path.
 * @dev: a device winiommu knows.
 * @iova: the faulting logical address.
 * @write: a write (else a read).
 *
 * Return: 0 when a handler will be called, -ENODEV for an unknown device,
 * -ENOENT when its reporting is off, -ENOMEM.
 */
int winiommu_inject_fault(struct device *dev, u64 iova, bool write)
{
	struct winiommu_device *wdev = winiommu_device_find(dev);
	int ret;

	if (!wdev)
		return -ENODEV;
	ret = winiommu_fault_queue(wdev, iova, write, WINIOMMU_FAULT_TRANSLATION);
	winiommu_device_put(wdev);
	return ret;
}
EXPORT_SYMBOL_NS_GPL(winiommu_inject_fault, WINIOMMU_TEST_NS);

/*
 * Turn reporting off and wait for calls in flight.  The device's lock is
 * held.  Not from the handler.
 */
void winiommu_fault_stop(struct winiommu_device *wdev)
{
	unsigned long flags;
	bool was;

	if (wdev->dev_faults) {
		wdev->be->dev_faults_off(wdev->dev);
		wdev->dev_faults = false;
	}

	spin_lock_irqsave(&wdev->fault_lock, flags);
	was = wdev->fault_handler;
	wdev->fault_handler = NULL;
	wdev->fault_context = NULL;
	spin_unlock_irqrestore(&wdev->fault_lock, flags);
	if (was)
		flush_workqueue(winiommu_fault_wq);
}

/**
 * winiommu_v1_set_fault_reporting() - IOMMU_SET_DEVICE_FAULT_REPORTING.
 * @PhysicalDeviceObject: an attached device.
 * @InputMappingIdBase: its base input mapping ID, as given to AttachDevice
 *	(0 for every device but ACPI-described ones on arm64).
 * @Enable: TRUE to report faults to @FaultConfig's handler, FALSE to stop.
 * @FaultConfig: handler and context; read only when enabling.
 *
 * Return: STATUS_SUCCESS; STATUS_INVALID_PARAMETER_1 when the device is not
 * attached through winiommu; _2 for another base ID; _4 when enabling
 * without a handler.
 */
NTSTATUS winiommu_v1_set_fault_reporting(PDEVICE_OBJECT PhysicalDeviceObject,
					 ULONG InputMappingIdBase, BOOLEAN Enable,
					 PDEVICE_FAULT_CONFIGURATION FaultConfig)
{
	static const char fn[] = "SetDeviceFaultReporting";
	struct winiommu_device *wdev;
	NTSTATUS st = STATUS_SUCCESS;
	unsigned long flags;
	u32 base, count;	/* the IDs AttachDevice takes for this device */

	might_sleep();
	wdev = PhysicalDeviceObject ? winiommu_device_find(PhysicalDeviceObject) : NULL;
	if (!wdev) {
		winiommu_reject(fn, "PhysicalDeviceObject %p is not a device winiommu knows",
				PhysicalDeviceObject);
		return STATUS_INVALID_PARAMETER_1;
	}
	mutex_lock(&wdev->lock);
	winiommu_v1_expected_ids(wdev->dev, &base, &count);
	if (!wdev->domain) {
		winiommu_reject(fn, "the device is not attached");
		st = STATUS_INVALID_PARAMETER_1;
	} else if (InputMappingIdBase != base) {
		winiommu_reject(fn, "InputMappingIdBase %u is not the device's",
				InputMappingIdBase);
		st = STATUS_INVALID_PARAMETER_2;
	} else if (Enable && (!FaultConfig || !FaultConfig->FaultHandler)) {
		winiommu_reject(fn, "enabling needs FaultConfig->FaultHandler");
		st = STATUS_INVALID_PARAMETER_4;
	} else if (Enable) {
		spin_lock_irqsave(&wdev->fault_lock, flags);
		wdev->fault_handler = FaultConfig->FaultHandler;
		wdev->fault_context = FaultConfig->FaultContext;
		spin_unlock_irqrestore(&wdev->fault_lock, flags);
		/*
		 * Where the driver reports this device's faults itself, ask
		 * for them; elsewhere (-EOPNOTSUPP, or another handler holds
		 * the device: -EBUSY) faults arrive through the domain's
		 * handler or injection only.
		 */
		if (!wdev->dev_faults && wdev->be->dev_faults_on &&
		    !wdev->be->dev_faults_on(wdev->dev, wdev))
			wdev->dev_faults = true;
	} else {
		winiommu_fault_stop(wdev);
	}
	mutex_unlock(&wdev->lock);
	winiommu_device_put(wdev);
	return st;
}

/* ---- /sys/kernel/debug/winiommu/inject_fault ------------------------------ */

/* "DEVICE IOVA [r|w]": e.g. "0000:00:03.0 0x100000 w". */
static ssize_t winiommu_inject_write(struct file *file, const char __user *ubuf, size_t len,
				     loff_t *ppos)
{
	char buf[96], name[64], rw = 'w';
	struct device *dev;
	unsigned long long iova;
	int n, ret;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	n = sscanf(buf, "%63s %llx %c", name, &iova, &rw);
	if (n < 2 || (rw != 'r' && rw != 'w'))
		return -EINVAL;
	dev = bus_find_device_by_name(&pci_bus_type, NULL, name);
	if (!dev)
		dev = bus_find_device_by_name(&platform_bus_type, NULL, name);
	if (!dev)
		return -ENODEV;
	ret = winiommu_inject_fault(dev, iova, rw == 'w');
	put_device(dev);
	return ret ? ret : len;
}

static const struct file_operations winiommu_inject_fops = {
	.owner = THIS_MODULE,
	.write = winiommu_inject_write,
	.llseek = noop_llseek,
};

int winiommu_fault_init(void)
{
	winiommu_fault_wq = alloc_ordered_workqueue("winiommu_fault", 0);
	if (!winiommu_fault_wq)
		return -ENOMEM;
	if (!IS_ERR_OR_NULL(winiommu_debugfs))
		debugfs_create_file("inject_fault", 0200, winiommu_debugfs, NULL,
				    &winiommu_inject_fops);
	return 0;
}

void winiommu_fault_exit(void)
{
	destroy_workqueue(winiommu_fault_wq);
}
