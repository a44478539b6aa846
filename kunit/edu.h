/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (C) 2026 The winiommu authors
 *
 * edu.h - the real DMA master of the in-guest tests: QEMU's edu device
 * (PCI 1234:11e8), driven by winiommu_test_edu.ko.
 *
 * The guests have two edu devices.  The first is bound by a driver with
 * driver_managed_dma = true, as a ported Windows driver must be, and is
 * the one the suites attach to domains; the second is bound by a driver
 * that uses the Linux DMA API (no driver_managed_dma), so the suites can
 * show that winiommu refuses to take such a device away from its driver.
 */
#ifndef _WINIOMMU_TEST_EDU_H
#define _WINIOMMU_TEST_EDU_H

#include <linux/pci.h>
#include <linux/types.h>

/*
 * edu's internal buffer, as the device addresses it.  QEMU 7.2's range
 * check is off by one: a transfer may not end at the buffer's last byte,
 * so at most 4095 bytes move at once; winiommu_test_edu_copy() moves more
 * in 2 KiB steps.
 */
#define EDU_BUF_ADDR	0x40000
#define EDU_BUF_SIZE	4096
#define EDU_DMA_MAX	(EDU_BUF_SIZE - 1)

struct winiommu_test_edu {
	struct pci_dev *pdev;
	void __iomem *bar;
};

/* What the guest has, as the check scripts tell winiommu_test_edu.ko. */
extern int winiommu_test_iommu_expected;
extern int winiommu_test_real_faults;
extern unsigned int winiommu_test_stress_seconds;

/* The driver_managed_dma device, or NULL when the guest has none. */
struct winiommu_test_edu *winiommu_test_edu_get(void);
/* The device bound by a DMA-API driver, or NULL. */
struct winiommu_test_edu *winiommu_test_edu_dmaapi_get(void);

/*
 * One edu DMA of @len bytes (<= EDU_DMA_MAX): RAM at logical address
 * @iova into the device's buffer (@to_device), or the buffer out to @iova.
 * Polls for completion; -ETIMEDOUT if the engine never finishes.  The
 * device reports no translation faults: a dropped write simply changes
 * nothing in RAM.
 */
int winiommu_test_edu_dma(struct winiommu_test_edu *edu, u64 iova, u32 len, bool to_device);

/* RAM at @src -> edu -> RAM at @dst, @len bytes, in 2 KiB steps. */
int winiommu_test_edu_copy(struct winiommu_test_edu *edu, u64 src, u64 dst, u32 len);

#endif /* _WINIOMMU_TEST_EDU_H */
