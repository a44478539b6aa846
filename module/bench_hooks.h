/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (C) 2026 The winiommu authors
 *
 * bench_hooks.h - what winiommu exports for its benchmarks (bench/), in
 * the WINIOMMU_TEST namespace.  Not an interface for ported drivers.
 */
#ifndef _WINIOMMU_BENCH_HOOKS_H
#define _WINIOMMU_BENCH_HOOKS_H

#include <linux/device.h>
#include <linux/iommu.h>

#include <wdm.h>

struct iommu_domain *winiommu_bench_linux_domain(PIOMMU_DMA_DOMAIN handle, struct device *dev);

#endif /* _WINIOMMU_BENCH_HOOKS_H */
