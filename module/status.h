/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (C) 2026 The winiommu authors
 *
 * Conversions between Linux errno values and NTSTATUS codes, and NTSTATUS
 * names for log messages.  The one table behind them is in status.c.
 * Internal to winiommu.ko.
 */
#ifndef _WINIOMMU_STATUS_H
#define _WINIOMMU_STATUS_H

#include <linux/types.h>

#include "ntstatus.h"

NTSTATUS winiommu_status_from_errno(int err);
int winiommu_errno_from_status(NTSTATUS st);
const char *winiommu_status_name(NTSTATUS st);
unsigned int winiommu_status_slot(NTSTATUS st);
bool winiommu_status_at(unsigned int slot, NTSTATUS *st);

/* Slots of the status table, "other" included (see winiommu_status_slot()). */
#define WINIOMMU_STATUS_SLOTS	31

#endif /* _WINIOMMU_STATUS_H */
