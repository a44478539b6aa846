// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The winiommu authors
 *
 * A hook for the benchmarks (bench/, make bench): the Linux iommu_domain
 * behind a Windows domain, so that raw iommu_map() and iommu_unmap() can
 * be timed on the very domain winiommu maps into, in the same run.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include "winiommu.h"
#include "backend.h"
#include "bench_hooks.h"

/**
 * winiommu_bench_linux_domain() - the Linux domain a device is attached through.
 * @handle: a Windows domain.
 * @dev: a device attached to it with AttachDeviceEx.
 *
 * For benchmarks and tests only.  The caller may map and unmap in the
 * returned domain at logical addresses winiommu never uses (a reserved
 * hole of the Windows domain, ShouldMap FALSE), and must be done with it
 * before @dev is detached: the last detach frees it.
 *
 * Return: the Linux paging domain serving @dev's IOMMU instance in
 * @handle, or NULL when @handle is not a live domain or has none (not
 * attached, or a PassThrough domain left in the group's identity domain).
 */
struct iommu_domain *winiommu_bench_linux_domain(PIOMMU_DMA_DOMAIN handle, struct device *dev)
{
	const struct winiommu_backend *be = winiommu_backend_for(dev);
	struct winiommu_domain *dom = winiommu_domain_get(handle);
	struct iommu_domain *d = NULL;
	struct winiommu_hwdom *hw;

	if (!dom)
		return NULL;
	mutex_lock(&dom->lock);
	hw = winiommu_find_hwdom(dom, be, be->instance(dev));
	if (hw && !hw->identity)
		d = hw->domain;
	mutex_unlock(&dom->lock);
	winiommu_domain_put(dom);
	return d;
}
EXPORT_SYMBOL_NS_GPL(winiommu_bench_linux_domain, WINIOMMU_TEST_NS);
