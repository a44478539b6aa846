// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The winiommu authors
 *
 * The NTSTATUS table: every status winiommu can return, with its name and
 * the errno it stands for, and the translation of errno values coming back
 * from the Linux IOMMU core into NTSTATUS.
 *
 * The routine layer returns the documented NTSTATUS of each case itself
 * (STATUS_INVALID_PARAMETER_n, STATUS_NOT_FOUND for a device without an
 * IOMMU, ...).  winiommu_status_from_errno() is only the fallback for an
 * error the contract does not name, so it maps each errno to the Windows
 * code of the same meaning.  The two directions are not inverses: several
 * errno values share one status and several statuses one errno.
 */

#include <linux/errno.h>
#include <linux/kernel.h>

#include "status.h"

/**
 * winiommu_status_from_errno() - NTSTATUS for a Linux error code
 * @err: 0 or a negative errno, as returned by the IOMMU core
 *
 * Return: the NTSTATUS of the same meaning; STATUS_UNSUCCESSFUL for an
 * errno with no closer Windows equivalent.
 */
NTSTATUS winiommu_status_from_errno(int err)
{
	switch (err) {
	case 0:
		return STATUS_SUCCESS;
	/*
	 * Out of memory, or out of IDs / IO virtual space / ASIDs: what
	 * the contract calls STATUS_INSUFFICIENT_RESOURCES (never
	 * STATUS_NO_MEMORY, which no routine documents).
	 */
	case -ENOMEM:
	case -ENOSPC:
		return STATUS_INSUFFICIENT_RESOURCES;
	/* Not allowed by policy (DMA ownership, untrusted device). */
	case -EPERM:
	case -EACCES:
		return STATUS_ACCESS_DENIED;
	/* The IOMMU driver or hardware lacks the feature. */
	case -EOPNOTSUPP:
	case -ENOTSUPP:
		return STATUS_NOT_SUPPORTED;
	/*
	 * No IOMMU or no such device.  CreateDevice returns
	 * STATUS_NOT_FOUND for a device without an IOMMU by itself.
	 */
	case -ENODEV:
		return STATUS_NO_SUCH_DEVICE;
	/*
	 * Bad argument; -ERANGE is io-pgtable's "address beyond the
	 * table's input or output size".
	 */
	case -EINVAL:
	case -ERANGE:
		return STATUS_INVALID_PARAMETER;
	/* Something looked up is not there. */
	case -ENOENT:
		return STATUS_NOT_FOUND;
	/*
	 * A page-table entry is already present: the contract's
	 * collision code for the map and reserve routines.
	 */
	case -EEXIST:
		return STATUS_IN_USE;
	/*
	 * The device or its group is in use elsewhere (DMA ownership
	 * claimed, attached to another domain).  Not used for allocation
	 * failures: those are -ENOMEM/-ENOSPC above.  STATUS_DEVICE_BUSY
	 * has warning severity: NT_SUCCESS() is false, NT_ERROR() too.
	 */
	case -EBUSY:
		return STATUS_DEVICE_BUSY;
	/* -EIO, -EFAULT, -ETIMEDOUT and the rest. */
	default:
		return STATUS_UNSUCCESSFUL;
	}
}

struct winiommu_status_entry {
	NTSTATUS status;
	int err;
	const char *name;
};

#define WINIOMMU_STATUS(st, e)	{ .status = (st), .err = (e), .name = #st }

/*
 * Every NTSTATUS of ntstatus.h, with the errno a Linux caller receives for
 * it (probe routines, debugfs, the sample driver).
 */
static const struct winiommu_status_entry winiommu_statuses[] = {
	WINIOMMU_STATUS(STATUS_SUCCESS, 0),
	/* Generic failure with no better description. */
	WINIOMMU_STATUS(STATUS_UNSUCCESSFUL, -EIO),
	/* SetDeviceFaultReportingEx; -ENOSYS is reserved for syscalls. */
	WINIOMMU_STATUS(STATUS_NOT_IMPLEMENTED, -EOPNOTSUPP),
	/* Bad handles and parameters are all caller bugs. */
	WINIOMMU_STATUS(STATUS_INVALID_HANDLE, -EINVAL),
	WINIOMMU_STATUS(STATUS_INVALID_PARAMETER, -EINVAL),
	WINIOMMU_STATUS(STATUS_NO_SUCH_DEVICE, -ENODEV),
	WINIOMMU_STATUS(STATUS_INVALID_DEVICE_REQUEST, -EINVAL),
	WINIOMMU_STATUS(STATUS_NO_MEMORY, -ENOMEM),
	WINIOMMU_STATUS(STATUS_ACCESS_DENIED, -EACCES),
	/* As getxattr(2): the caller's buffer cannot hold the result. */
	WINIOMMU_STATUS(STATUS_BUFFER_TOO_SMALL, -ERANGE),
	/* Min/max limits that no free logical range satisfies. */
	WINIOMMU_STATUS(STATUS_INVALID_PARAMETER_MIX, -EINVAL),
	/* No PASID left to hand out (CreatePasidDevice). */
	WINIOMMU_STATUS(STATUS_NONE_MAPPED, -ENOSPC),
	WINIOMMU_STATUS(STATUS_INSUFFICIENT_RESOURCES, -ENOMEM),
	WINIOMMU_STATUS(STATUS_NOT_SUPPORTED, -EOPNOTSUPP),
	WINIOMMU_STATUS(STATUS_INVALID_PARAMETER_1, -EINVAL),
	WINIOMMU_STATUS(STATUS_INVALID_PARAMETER_2, -EINVAL),
	WINIOMMU_STATUS(STATUS_INVALID_PARAMETER_3, -EINVAL),
	WINIOMMU_STATUS(STATUS_INVALID_PARAMETER_4, -EINVAL),
	WINIOMMU_STATUS(STATUS_INVALID_PARAMETER_5, -EINVAL),
	WINIOMMU_STATUS(STATUS_INVALID_PARAMETER_6, -EINVAL),
	WINIOMMU_STATUS(STATUS_INVALID_PARAMETER_7, -EINVAL),
	WINIOMMU_STATUS(STATUS_INVALID_PARAMETER_8, -EINVAL),
	WINIOMMU_STATUS(STATUS_INVALID_PARAMETER_9, -EINVAL),
	WINIOMMU_STATUS(STATUS_INVALID_PARAMETER_10, -EINVAL),
	WINIOMMU_STATUS(STATUS_INVALID_PARAMETER_11, -EINVAL),
	WINIOMMU_STATUS(STATUS_INVALID_PARAMETER_12, -EINVAL),
	WINIOMMU_STATUS(STATUS_DEVICE_BUSY, -EBUSY),
	/* Notably CreateDevice for a device without an IOMMU. */
	WINIOMMU_STATUS(STATUS_NOT_FOUND, -ENOENT),
	/* An object still in use (attached device, mapped token). */
	WINIOMMU_STATUS(STATUS_RESOURCE_IN_USE, -EBUSY),
	/* A logical range already mapped or reserved. */
	WINIOMMU_STATUS(STATUS_IN_USE, -EEXIST),
};

static const struct winiommu_status_entry *winiommu_status_lookup(NTSTATUS st)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(winiommu_statuses); i++)
		if (winiommu_statuses[i].status == st)
			return &winiommu_statuses[i];
	return NULL;
}

/**
 * winiommu_errno_from_status() - Linux error code for an NTSTATUS
 * @st: any NTSTATUS
 *
 * Return: the errno listed for @st in the status table; for a status not
 * in the table, 0 if NT_SUCCESS(@st) and -EIO otherwise.
 */
int winiommu_errno_from_status(NTSTATUS st)
{
	const struct winiommu_status_entry *entry = winiommu_status_lookup(st);

	if (entry)
		return entry->err;
	return NT_SUCCESS(st) ? 0 : -EIO;
}

/**
 * winiommu_status_name() - symbolic name of an NTSTATUS, for log messages
 * @st: any NTSTATUS
 *
 * Return: a static string such as "STATUS_INVALID_PARAMETER_3", or
 * "STATUS_UNKNOWN" for a status not in the table (print the number as well
 * when that matters).
 */
const char *winiommu_status_name(NTSTATUS st)
{
	const struct winiommu_status_entry *entry = winiommu_status_lookup(st);

	return entry ? entry->name : "STATUS_UNKNOWN";
}

/**
 * winiommu_status_slot() - position of an NTSTATUS in the status table
 * @st: any NTSTATUS
 *
 * Return: 0 .. WINIOMMU_STATUS_SLOTS - 2 for a status of the table, and
 * WINIOMMU_STATUS_SLOTS - 1 for any other: a dense index for counters.
 */
unsigned int winiommu_status_slot(NTSTATUS st)
{
	const struct winiommu_status_entry *entry = winiommu_status_lookup(st);

	return entry ? entry - winiommu_statuses : ARRAY_SIZE(winiommu_statuses);
}

static_assert(ARRAY_SIZE(winiommu_statuses) + 1 == WINIOMMU_STATUS_SLOTS);

/* The status of slot @slot, and whether there is one ("other" has none). */
bool winiommu_status_at(unsigned int slot, NTSTATUS *st)
{
	if (slot >= ARRAY_SIZE(winiommu_statuses))
		return false;
	*st = winiommu_statuses[slot].status;
	return true;
}
