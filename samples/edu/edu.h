/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (C) 2026 The winiommu authors
 *
 * edu.h - the seam between the two halves of the edu sample.
 *
 * edu_windows.c is the part a porter brings over from Windows: the
 * driver's DMA logic, written against <wdm.h> only.  edu_linux.c is the
 * Linux pci_driver around it (probe/remove, BAR mapping, DMA mask,
 * driver_managed_dma) and supplies the handful of platform services
 * below, the ones a Windows driver would take from WDF, the HAL or the
 * memory manager (register access, memory, time, logging).  Everything
 * declared here uses Windows types so that edu_windows.c reads like the
 * Windows code it came from; its own names are Linux ones, as everywhere
 * outside <wdm.h>.
 */
#ifndef _WINIOMMU_SAMPLE_EDU_H
#define _WINIOMMU_SAMPLE_EDU_H

#include <linux/compiler_attributes.h>
#include <linux/string.h>

#include <wdm.h>

/* ---- QEMU's edu device (PCI 1234:11e8), BAR 0 -------------------------- */

#define EDU_REG_IDENTIFICATION	0x00
#define EDU_REG_DMA_SOURCE	0x80
#define EDU_REG_DMA_DESTINATION	0x88
#define EDU_REG_DMA_COUNT	0x90
#define EDU_REG_DMA_COMMAND	0x98

#define EDU_DMA_CMD_START	0x1	/* set to start; reads 1 while running */
#define EDU_DMA_CMD_TO_RAM	0x2	/* device buffer -> RAM; else RAM -> buffer */

/*
 * The device's internal DMA buffer as the DMA engine addresses it: 4 KiB
 * at 0x40000.  QEMU 7.2 checks the range one byte short, so a transfer
 * may not end at the buffer's last byte: at most 4095 bytes move at once.
 */
#define EDU_BUFFER_ADDRESS	0x40000ULL
#define EDU_BUFFER_SIZE		4096
#define EDU_DMA_MAX_TRANSFER	(EDU_BUFFER_SIZE - 1)

/* ---- what the shell hands the core ------------------------------------- */

enum _EDU_SCENARIO {
	EDU_SCENARIO_TRANSLATE,		/* Translate domain, buddy allocator, token */
	EDU_SCENARIO_PASSTHROUGH,	/* PassThrough domain: DMA to physical addresses */
	EDU_SCENARIO_UNMANAGED,		/* Unmanaged domain: blocked until ConfigureDomain */
	EDU_SCENARIO_MAX
};

/*
 * The device as the core sees it.  The shell fills the first four
 * members; core belongs to edu_windows.c.
 */
struct _EDU_DEVICE {
	PDEVICE_OBJECT PhysicalDeviceObject;	/* &pdev->dev */
	enum _EDU_SCENARIO scenario;
	ULONG dma_address_width;		/* bits of the device's DMA mask */
	const char *scenario_name;
	PVOID core;
};

/* The core's two entry points, called by the shell at probe and remove. */
NTSTATUS edu_start_device(struct _EDU_DEVICE *device);
VOID edu_stop_device(struct _EDU_DEVICE *device);

/* ---- services the shell provides (edu_linux.c) ------------------------- */

/*
 * Register access in BAR 0: 64 bits for the DMA registers (0x80 on), 32
 * bits below 0x80 (edu ignores other sizes there).
 */
ULONGLONG edu_read_register(struct _EDU_DEVICE *device, ULONG Offset);
VOID edu_write_register(struct _EDU_DEVICE *device, ULONG Offset, ULONGLONG value);
ULONG edu_read_register32(struct _EDU_DEVICE *device, ULONG Offset);

/*
 * Memory, all resident ("nonpaged") and zeroed:
 *  - Pool: small, physically contiguous, naturally aligned for powers of
 *    two up to a few pages (kmalloc; ExAllocatePool2 on Windows);
 *  - Virtual: large, virtually contiguous only (vmalloc; large nonpaged
 *    pool allocations on Windows are the same);
 *  - Contiguous: physically contiguous, aligned to its power-of-two size
 *    (the page allocator; MmAllocateContiguousMemory on Windows).
 */
PVOID edu_allocate_pool(SIZE_T bytes);
VOID edu_free_pool(PVOID Buffer);
PVOID edu_allocate_virtual(SIZE_T bytes);
VOID edu_free_virtual(PVOID Buffer);
PVOID edu_allocate_contiguous(SIZE_T bytes);
VOID edu_free_contiguous(PVOID Buffer, SIZE_T bytes);

/* A monotonic clock in nanoseconds, and a sleep (PASSIVE_LEVEL only). */
ULONGLONG edu_query_time_ns(void);
VOID edu_sleep_microseconds(ULONG microseconds);

/* One line of the driver's report (DbgPrintEx on Windows). */
__printf(2, 3) VOID edu_log(struct _EDU_DEVICE *device, const char *format, ...);

/*
 * Record the result of one self-check; the shell prints them as KTAP when
 * edu_start_device() returns.  detail explains a failure.  Returns passed.
 */
__printf(4, 5) BOOLEAN edu_check(struct _EDU_DEVICE *device, const char *name, BOOLEAN passed,
				 const char *detail, ...);
/* Record a check that cannot run yet, with the reason. */
VOID edu_skip(struct _EDU_DEVICE *device, const char *name, const char *reason);

#ifndef ARRAYSIZE
#define ARRAYSIZE(A)	(sizeof(A) / sizeof((A)[0]))
#endif

#ifndef STATUS_IO_TIMEOUT
#define STATUS_IO_TIMEOUT	((NTSTATUS)0xC00000B5L)
#endif

#endif /* _WINIOMMU_SAMPLE_EDU_H */
