/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (C) 2026 The winiommu authors
 *
 * NTSTATUS values returned by the Windows DMA IOMMU interface, with the
 * numbers Windows uses, so that a ported driver compares and logs exactly
 * what it would see on Windows.  Only the codes winiommu can return are
 * listed.  This header stands alone: <wdm.h> includes it, and module code
 * that needs nothing else from the Windows face may include it directly.
 *
 * An NTSTATUS is a 32-bit signed value laid out as
 *   bits 31-30  severity (0 success, 1 informational, 2 warning, 3 error)
 *   bit  29     customer bit (set: not a Microsoft-defined code)
 *   bit  28     reserved
 *   bits 27-16  facility
 *   bits 15-0   code
 *
 * Windows names (CamelCase macros, the NTSTATUS typedef) are intended here.
 */
#ifndef _WINIOMMU_NTSTATUS_H
#define _WINIOMMU_NTSTATUS_H

#include <linux/types.h>

typedef s32 NTSTATUS;

#define STATUS_SUCCESS			((NTSTATUS)0x00000000L)
#define STATUS_DEVICE_BUSY		((NTSTATUS)0x80000011L)
#define STATUS_UNSUCCESSFUL		((NTSTATUS)0xC0000001L)
#define STATUS_NOT_IMPLEMENTED		((NTSTATUS)0xC0000002L)
#define STATUS_INVALID_HANDLE		((NTSTATUS)0xC0000008L)
#define STATUS_INVALID_PARAMETER	((NTSTATUS)0xC000000DL)
#define STATUS_NO_SUCH_DEVICE		((NTSTATUS)0xC000000EL)
#define STATUS_INVALID_DEVICE_REQUEST	((NTSTATUS)0xC0000010L)
#define STATUS_NO_MEMORY		((NTSTATUS)0xC0000017L)
#define STATUS_ACCESS_DENIED		((NTSTATUS)0xC0000022L)
#define STATUS_BUFFER_TOO_SMALL		((NTSTATUS)0xC0000023L)
#define STATUS_INVALID_PARAMETER_MIX	((NTSTATUS)0xC0000030L)
#define STATUS_NONE_MAPPED		((NTSTATUS)0xC0000073L)
#define STATUS_INSUFFICIENT_RESOURCES	((NTSTATUS)0xC000009AL)
#define STATUS_NOT_SUPPORTED		((NTSTATUS)0xC00000BBL)
#define STATUS_INVALID_PARAMETER_1	((NTSTATUS)0xC00000EFL)
#define STATUS_INVALID_PARAMETER_2	((NTSTATUS)0xC00000F0L)
#define STATUS_INVALID_PARAMETER_3	((NTSTATUS)0xC00000F1L)
#define STATUS_INVALID_PARAMETER_4	((NTSTATUS)0xC00000F2L)
#define STATUS_INVALID_PARAMETER_5	((NTSTATUS)0xC00000F3L)
#define STATUS_INVALID_PARAMETER_6	((NTSTATUS)0xC00000F4L)
#define STATUS_INVALID_PARAMETER_7	((NTSTATUS)0xC00000F5L)
#define STATUS_INVALID_PARAMETER_8	((NTSTATUS)0xC00000F6L)
#define STATUS_INVALID_PARAMETER_9	((NTSTATUS)0xC00000F7L)
#define STATUS_INVALID_PARAMETER_10	((NTSTATUS)0xC00000F8L)
#define STATUS_INVALID_PARAMETER_11	((NTSTATUS)0xC00000F9L)
#define STATUS_INVALID_PARAMETER_12	((NTSTATUS)0xC00000FAL)
#define STATUS_NOT_FOUND		((NTSTATUS)0xC0000225L)
#define STATUS_RESOURCE_IN_USE		((NTSTATUS)0xC0000708L)

/*
 * STATUS_IN_USE is what the map and reserve routines return when an explicit
 * logical range is already occupied.  Microsoft documents the name but no
 * public header or symbol set gives its number.  Rather than guess a
 * Microsoft value (and risk aliasing another Microsoft code a driver also
 * tests for), winiommu defines it in the customer space: severity error (3),
 * customer bit 29 set, facility 0, code 1.  Microsoft never assigns codes
 * with the customer bit set, so this value cannot collide with any of
 * theirs.  NT_ERROR() is true for it, as a driver expects.
 */
#define STATUS_IN_USE			((NTSTATUS)0xE0000001L)

/* Success and informational codes (severity 0 and 1) are non-negative. */
#define NT_SUCCESS(status)	(((NTSTATUS)(status)) >= 0)
#define NT_INFORMATION(status)	((((u32)(status)) >> 30) == 1)
#define NT_WARNING(status)	((((u32)(status)) >> 30) == 2)
#define NT_ERROR(status)	((((u32)(status)) >> 30) == 3)

#endif /* _WINIOMMU_NTSTATUS_H */
