/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (C) 2026 The winiommu authors
 *
 * compat.h - every difference between the kernels winiommu supports
 * (6.1 LTS, 6.12 LTS, newest mainline).  This is the only file that may test
 * LINUX_VERSION_CODE; everything else calls the helpers defined here.
 */
#ifndef _WINIOMMU_COMPAT_H
#define _WINIOMMU_COMPAT_H

#include <linux/version.h>
#include <linux/export.h>
#include <linux/module.h>

/*
 * Symbol namespaces: a bare token before 6.13, a string literal from 6.13
 * on (EXPORT_SYMBOL_NS_GPL and MODULE_IMPORT_NS both changed).
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 13, 0)
#define WINIOMMU_TEST_NS "WINIOMMU_TEST"
#else
#define WINIOMMU_TEST_NS WINIOMMU_TEST
#endif

#endif /* _WINIOMMU_COMPAT_H */
