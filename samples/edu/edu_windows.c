// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The winiommu authors
 *
 * The Windows half of the edu sample: a driver's DMA logic written the way
 * a Windows driver uses the DMA IOMMU interface, compiled unchanged against
 * winiommu's <wdm.h>.  Nothing in this file is Linux: it sees NTSTATUS,
 * PVOID, ULONG, MDLs and the interface table, plus the few platform
 * services of edu.h (registers, memory, time, logging) that a Windows
 * driver would get from WDF, the HAL and the memory manager.
 *
 * At start (probe) it builds the device's DMA setup for one scenario and
 * checks it with real transfers through QEMU's edu device:
 *
 *  translate    a Translate domain with a buddy allocator sized to the
 *               device's DMA width and a reserved hole; buffers described
 *               by MDLs and mapped with MapLogicalRangeEx; a reserved
 *               logical range (token) for a descriptor ring; copies
 *               RAM -> edu -> RAM of one page, across the page seams of a
 *               16-page vmalloc buffer and of a 2 MiB contiguous buffer,
 *               into a token segment; unmapped pages take no writes.
 *  passthrough  a PassThrough domain: the device addresses RAM by its
 *               physical address; MapIdentityRangeEx and
 *               UnmapIdentityRangeEx are accepted and change nothing the
 *               device sees.
 *  unmanaged    an Unmanaged domain: until ConfigureDomain hands over the
 *               driver's own page tables the device reaches nothing; then
 *               it reaches what they map, and a cleared entry is gone once
 *               the driver flushes its address.
 *
 * Everything stays set up while the driver is bound; stop (remove) undoes
 * it in the reverse order Windows prescribes.  Every routine runs at
 * PASSIVE_LEVEL: on Linux, process context.
 */
#include "edu.h"

#define EDU_RW			(IOMMU_ACCESS_READ | IOMMU_ACCESS_WRITE)

/* Bytes per DMA command when a copy is longer (below EDU_DMA_MAX_TRANSFER). */
#define EDU_DMA_STEP		2048

/* Completion polling: every 500 us, for at most 5 s. */
#define EDU_POLL_US		500
#define EDU_DMA_TIMEOUT_NS	5000000000ULL

/* The logical allocator: as wide as the device addresses, at most 48 bits. */
#define EDU_ALLOCATOR_MAX_WIDTH	48

/* A hole the device must never be given (ShouldMap FALSE): 16 MiB, 1 MiB long. */
#define EDU_HOLE_BASE		0x1000000ULL
#define EDU_HOLE_PAGES		256

#define EDU_SCATTER_SIZE	(16 * PAGE_SIZE)	/* vmalloc: 16 scattered pages */
#define EDU_LARGE_SIZE		(2 * 1024 * 1024)	/* one large IOMMU page */
#define EDU_RING_SIZE		(4 * PAGE_SIZE)		/* the descriptor ring */
#define EDU_TOKEN_SIZE		(16 * PAGE_SIZE)	/* logical space reserved for it */
#define EDU_RING_OFFSET		(4 * PAGE_SIZE)		/* where the ring sits in the token */

enum _EDU_MEMORY_KIND {
	EDU_MEMORY_POOL,
	EDU_MEMORY_VIRTUAL,
	EDU_MEMORY_CONTIGUOUS
};

/* A DMA buffer, its MDL and its logical mapping. */
struct _EDU_BUFFER {
	PUCHAR Va;
	SIZE_T Size;
	enum _EDU_MEMORY_KIND kind;
	PMDL Mdl;
	IOMMU_DMA_LOGICAL_ADDRESS logical;
	BOOLEAN mapped;
};

struct _EDU_CONTEXT {
	struct _EDU_DEVICE *device;
	DMA_IOMMU_INTERFACE_EX iommu;
	PDMA_IOMMU_INTERFACE_V2 V2;
	PIOMMU_DMA_DEVICE DmaDevice;
	PIOMMU_DMA_DOMAIN Domain;
	BOOLEAN attached;
	ULONG allocator_width;
	IOMMU_DMA_RESERVED_REGION hole;

	struct _EDU_BUFFER source;	/* one page */
	struct _EDU_BUFFER destination;	/* one page */
	struct _EDU_BUFFER scatter;	/* 16 pages of vmalloc */
	struct _EDU_BUFFER large;	/* 2 MiB, physically contiguous */
	struct _EDU_BUFFER ring;	/* 4 pages, mapped into the token */
	struct _EDU_BUFFER tables[3];	/* unmanaged: the driver's own page tables */
	BOOLEAN destination_identity;

	PIOMMU_DMA_LOGICAL_ADDRESS_TOKEN ring_token;
	IOMMU_DMA_LOGICAL_ADDRESS_TOKEN_MAPPED_SEGMENT ring_segment;
	BOOLEAN ring_mapped;

	/* what the report shows */
	IOMMU_DMA_LOGICAL_ADDRESS highest;
	ULONGLONG bytes_moved;
	ULONGLONG dma_time_ns;
	ULONG transfers;
	ULONG checks;
	ULONG failed;
};

static const char *edu_domain_type_name(IOMMU_DMA_DOMAIN_TYPE Type)
{
	switch (Type) {
	case DomainTypeTranslate:
		return "Translate";
	case DomainTypePassThrough:
		return "PassThrough";
	case DomainTypeUnmanaged:
		return "Unmanaged";
	case DomainTypeTranslateS1:
		return "TranslateS1";
	default:
		return "?";
	}
}

/* The Windows name of the statuses this driver meets. */
static const char *edu_status_name(NTSTATUS status)
{
	switch (status) {
	case STATUS_SUCCESS:
		return "STATUS_SUCCESS";
	case STATUS_UNSUCCESSFUL:
		return "STATUS_UNSUCCESSFUL";
	case STATUS_NOT_IMPLEMENTED:
		return "STATUS_NOT_IMPLEMENTED";
	case STATUS_INVALID_PARAMETER:
		return "STATUS_INVALID_PARAMETER";
	case STATUS_INVALID_PARAMETER_1:
		return "STATUS_INVALID_PARAMETER_1";
	case STATUS_INVALID_PARAMETER_2:
		return "STATUS_INVALID_PARAMETER_2";
	case STATUS_INVALID_PARAMETER_3:
		return "STATUS_INVALID_PARAMETER_3";
	case STATUS_INVALID_PARAMETER_4:
		return "STATUS_INVALID_PARAMETER_4";
	case STATUS_INVALID_PARAMETER_MIX:
		return "STATUS_INVALID_PARAMETER_MIX";
	case STATUS_ACCESS_DENIED:
		return "STATUS_ACCESS_DENIED";
	case STATUS_INSUFFICIENT_RESOURCES:
		return "STATUS_INSUFFICIENT_RESOURCES";
	case STATUS_NOT_SUPPORTED:
		return "STATUS_NOT_SUPPORTED";
	case STATUS_NOT_FOUND:
		return "STATUS_NOT_FOUND";
	case STATUS_RESOURCE_IN_USE:
		return "STATUS_RESOURCE_IN_USE";
	case STATUS_IN_USE:
		return "STATUS_IN_USE";
	case STATUS_IO_TIMEOUT:
		return "STATUS_IO_TIMEOUT";
	default:
		return NT_SUCCESS(status) ? "a success status" : "an error status";
	}
}

/* Record a check and count it. */
#define EDU_CHECK(ctx, name, passed, ...)					\
	do {									\
		struct _EDU_CONTEXT *__ctx = (ctx);				\
										\
		__ctx->checks++;						\
		if (!edu_check(__ctx->device, (name), (passed), __VA_ARGS__))	\
			__ctx->failed++;					\
	} while (0)

/* ---- the device's DMA engine ------------------------------------------- */

/*
 * One DMA command: Length bytes between RAM at address (a logical address,
 * or a physical one in a PassThrough domain) and the device's buffer.
 */
static NTSTATUS edu_dma_once(struct _EDU_CONTEXT *ctx, ULONGLONG address, ULONG Length,
			     BOOLEAN to_ram)
{
	struct _EDU_DEVICE *device = ctx->device;
	ULONGLONG start, now;

	if (!Length || Length > EDU_DMA_MAX_TRANSFER)
		return STATUS_INVALID_PARAMETER;
	edu_write_register(device, EDU_REG_DMA_SOURCE, to_ram ? EDU_BUFFER_ADDRESS : address);
	edu_write_register(device, EDU_REG_DMA_DESTINATION, to_ram ? address : EDU_BUFFER_ADDRESS);
	edu_write_register(device, EDU_REG_DMA_COUNT, Length);
	start = edu_query_time_ns();
	edu_write_register(device, EDU_REG_DMA_COMMAND,
			   EDU_DMA_CMD_START | (to_ram ? EDU_DMA_CMD_TO_RAM : 0));
	for (;;) {
		if (!(edu_read_register(device, EDU_REG_DMA_COMMAND) & EDU_DMA_CMD_START))
			break;
		now = edu_query_time_ns();
		if (now - start > EDU_DMA_TIMEOUT_NS)
			return STATUS_IO_TIMEOUT;
		edu_sleep_microseconds(EDU_POLL_US);
	}
	ctx->dma_time_ns += edu_query_time_ns() - start;
	ctx->bytes_moved += Length;
	ctx->transfers++;
	return STATUS_SUCCESS;
}

/* RAM at source -> device -> RAM at destination, in steps. */
static NTSTATUS edu_copy(struct _EDU_CONTEXT *ctx, ULONGLONG source, ULONGLONG destination,
			 ULONG Length)
{
	NTSTATUS status = STATUS_SUCCESS;
	ULONG Offset, step;

	for (Offset = 0; Offset < Length && NT_SUCCESS(status); Offset += step) {
		step = Length - Offset < EDU_DMA_STEP ? Length - Offset : EDU_DMA_STEP;
		status = edu_dma_once(ctx, source + Offset, step, FALSE);
		if (NT_SUCCESS(status))
			status = edu_dma_once(ctx, destination + Offset, step, TRUE);
	}
	return status;
}

/* ---- buffers ------------------------------------------------------------- */

static VOID edu_fill_pattern(PUCHAR Buffer, SIZE_T Length, UCHAR seed)
{
	SIZE_T i;

	for (i = 0; i < Length; i++)
		Buffer[i] = (UCHAR)(seed + i * 13 + (i >> 9));
}

static BOOLEAN edu_same(const VOID *A, const VOID *B, SIZE_T Length)
{
	return !memcmp(A, B, Length);
}

static BOOLEAN edu_all_filled(const UCHAR *Buffer, SIZE_T Length, UCHAR value)
{
	SIZE_T i;

	for (i = 0; i < Length; i++)
		if (Buffer[i] != value)
			return FALSE;
	return TRUE;
}

/* Allocate resident memory and describe it with an MDL. */
static NTSTATUS edu_allocate_buffer(struct _EDU_BUFFER *Buffer, enum _EDU_MEMORY_KIND kind,
				    SIZE_T Size)
{
	switch (kind) {
	case EDU_MEMORY_POOL:
		Buffer->Va = edu_allocate_pool(Size);
		break;
	case EDU_MEMORY_VIRTUAL:
		Buffer->Va = edu_allocate_virtual(Size);
		break;
	case EDU_MEMORY_CONTIGUOUS:
		Buffer->Va = edu_allocate_contiguous(Size);
		break;
	}
	if (!Buffer->Va)
		return STATUS_INSUFFICIENT_RESOURCES;
	Buffer->Size = Size;
	Buffer->kind = kind;
	Buffer->Mdl = IoAllocateMdl(Buffer->Va, (ULONG)Size, FALSE, FALSE, NULL);
	if (!Buffer->Mdl)
		return STATUS_INSUFFICIENT_RESOURCES;
	MmBuildMdlForNonPagedPool(Buffer->Mdl);
	return STATUS_SUCCESS;
}

static VOID edu_free_buffer(struct _EDU_BUFFER *Buffer)
{
	if (Buffer->Mdl)
		IoFreeMdl(Buffer->Mdl);
	if (Buffer->Va) {
		switch (Buffer->kind) {
		case EDU_MEMORY_POOL:
			edu_free_pool(Buffer->Va);
			break;
		case EDU_MEMORY_VIRTUAL:
			edu_free_virtual(Buffer->Va);
			break;
		case EDU_MEMORY_CONTIGUOUS:
			edu_free_contiguous(Buffer->Va, Buffer->Size);
			break;
		}
	}
	memset(Buffer, 0, sizeof(*Buffer));
}

static VOID edu_describe_mdl(struct _EDU_BUFFER *Buffer, PIOMMU_MAP_PHYSICAL_ADDRESS pa)
{
	memset(pa, 0, sizeof(*pa));
	pa->MapType = MapPhysicalAddressTypeMdl;
	pa->Mdl.Mdl = Buffer->Mdl;
}

/* The physical address of the buffer's first byte, from its MDL. */
static ULONGLONG edu_physical(struct _EDU_BUFFER *Buffer)
{
	return ((ULONGLONG)MmGetMdlPfnArray(Buffer->Mdl)[0] << PAGE_SHIFT) +
	       MmGetMdlByteOffset(Buffer->Mdl);
}

/* Map a buffer where the domain's allocator puts it. */
static NTSTATUS edu_map_buffer(struct _EDU_CONTEXT *ctx, struct _EDU_BUFFER *Buffer,
			       ULONG Permissions)
{
	IOMMU_MAP_PHYSICAL_ADDRESS pa;
	NTSTATUS status;

	edu_describe_mdl(Buffer, &pa);
	status = ctx->V2->MapLogicalRangeEx(ctx->Domain, Permissions, &pa, NULL, NULL, NULL,
					    &Buffer->logical);
	if (NT_SUCCESS(status)) {
		Buffer->mapped = TRUE;
		if (Buffer->logical + Buffer->Size - 1 > ctx->highest)
			ctx->highest = Buffer->logical + Buffer->Size - 1;
	}
	return status;
}

static NTSTATUS edu_unmap_buffer(struct _EDU_CONTEXT *ctx, struct _EDU_BUFFER *Buffer)
{
	NTSTATUS status;

	status = ctx->V2->UnmapLogicalRange(ctx->Domain, Buffer->logical,
					    BYTES_TO_PAGES(Buffer->Size));
	if (NT_SUCCESS(status))
		Buffer->mapped = FALSE;
	return status;
}

/* Number of bits needed to write value. */
static ULONG edu_bit_width(ULONGLONG value)
{
	ULONG bits = 0;

	while (value) {
		bits++;
		value >>= 1;
	}
	return bits;
}

/* ---- copies checked against a shadow ------------------------------------- */

struct _EDU_TRANSFER {
	ULONG from;
	ULONG to;
	ULONG Length;
};

/*
 * Run transfers inside Buffer (offsets, at logical address Base) through
 * the device, apply them to a shadow copy too, and compare every byte of
 * the buffer with the shadow.
 */
static NTSTATUS edu_shadow_copy(struct _EDU_CONTEXT *ctx, struct _EDU_BUFFER *Buffer,
				ULONGLONG Base, const struct _EDU_TRANSFER *transfers, ULONG count,
				BOOLEAN *same)
{
	PUCHAR shadow;
	NTSTATUS status = STATUS_SUCCESS;
	ULONG i;

	*same = FALSE;
	shadow = edu_allocate_virtual(Buffer->Size);
	if (!shadow)
		return STATUS_INSUFFICIENT_RESOURCES;
	memcpy(shadow, Buffer->Va, Buffer->Size);
	for (i = 0; i < count && NT_SUCCESS(status); i++) {
		status = edu_copy(ctx, Base + transfers[i].from, Base + transfers[i].to,
				  transfers[i].Length);
		memmove(shadow + transfers[i].to, shadow + transfers[i].from,
			transfers[i].Length);
	}
	if (NT_SUCCESS(status))
		*same = edu_same(Buffer->Va, shadow, Buffer->Size);
	edu_free_virtual(shadow);
	return status;
}

/* ---- common steps -------------------------------------------------------- */

/* The interface and the DMA device; FALSE when the scenario cannot go on. */
static BOOLEAN edu_open(struct _EDU_CONTEXT *ctx, IOMMU_DMA_DOMAIN_TYPE wanted)
{
	ULONG available = 0;
	NTSTATUS status;

	status = IoGetIommuInterfaceEx(DMA_IOMMU_INTERFACE_EX_VERSION_2, 0, &ctx->iommu);
	EDU_CHECK(ctx, "get_interface", NT_SUCCESS(status) && ctx->iommu.Size == 0xC0,
		  "IoGetIommuInterfaceEx(VERSION_2): %s, table %zu bytes",
		  edu_status_name(status), NT_SUCCESS(status) ? ctx->iommu.Size : 0);
	if (!NT_SUCCESS(status))
		return FALSE;
	ctx->V2 = &ctx->iommu.V2;

	status = ctx->V2->CreateDevice(ctx->device->PhysicalDeviceObject, NULL, &ctx->DmaDevice);
	EDU_CHECK(ctx, "create_device", NT_SUCCESS(status),
		  "CreateDevice(the PDO): %s", edu_status_name(status));
	if (!NT_SUCCESS(status)) {
		ctx->DmaDevice = NULL;
		return FALSE;
	}

	ctx->V2->QueryAvailableDomainTypes(ctx->DmaDevice, &available);
	EDU_CHECK(ctx, "domain_types", available & (1U << wanted),
		  "QueryAvailableDomainTypes: %#x =%s%s%s%s; %s is %s", available,
		  available & (1U << DomainTypeTranslate) ? " Translate" : "",
		  available & (1U << DomainTypePassThrough) ? " PassThrough" : "",
		  available & (1U << DomainTypeUnmanaged) ? " Unmanaged" : "",
		  available & (1U << DomainTypeTranslateS1) ? " TranslateS1" : "",
		  edu_domain_type_name(wanted),
		  available & (1U << wanted) ? "available" : "NOT available");
	return (available & (1U << wanted)) != 0;
}

static BOOLEAN edu_attach(struct _EDU_CONTEXT *ctx)
{
	NTSTATUS status = ctx->V2->AttachDeviceEx(ctx->Domain, ctx->DmaDevice);

	ctx->attached = NT_SUCCESS(status);
	EDU_CHECK(ctx, "attach_device", ctx->attached, "AttachDeviceEx: %s",
		  edu_status_name(status));
	return ctx->attached;
}

/* ---- translate ------------------------------------------------------------ */

static VOID edu_one_page(struct _EDU_CONTEXT *ctx)
{
	NTSTATUS status;
	BOOLEAN ok;

	status = edu_allocate_buffer(&ctx->source, EDU_MEMORY_POOL, PAGE_SIZE);
	if (NT_SUCCESS(status))
		status = edu_allocate_buffer(&ctx->destination, EDU_MEMORY_POOL, PAGE_SIZE);
	if (NT_SUCCESS(status))
		status = edu_map_buffer(ctx, &ctx->source, IOMMU_ACCESS_READ);
	if (NT_SUCCESS(status))
		status = edu_map_buffer(ctx, &ctx->destination, IOMMU_ACCESS_WRITE);
	if (NT_SUCCESS(status)) {
		edu_fill_pattern(ctx->source.Va, PAGE_SIZE, 0x11);
		status = edu_copy(ctx, ctx->source.logical, ctx->destination.logical, PAGE_SIZE);
	}
	ok = NT_SUCCESS(status) && edu_same(ctx->source.Va, ctx->destination.Va, PAGE_SIZE);
	EDU_CHECK(ctx, "dma_one_page", ok,
		  "one page (pool): %#llx (read) -> edu -> %#llx (write), %lu bytes %s (%s)",
		  ctx->source.logical, ctx->destination.logical, PAGE_SIZE,
		  ok ? "verified" : "DIFFER", edu_status_name(status));
}

static VOID edu_scatter(struct _EDU_CONTEXT *ctx)
{
	/* every copy crosses a page seam; the last one ends at the buffer's end */
	static const struct _EDU_TRANSFER transfers[] = {
		{ 0x0C00, 0x8E00, 2048 },
		{ 0x2F80, 0xAFF0, 4095 },
		{ 0x6FC0, 0xF801, 2047 },
	};
	NTSTATUS status;
	BOOLEAN same = FALSE;

	status = edu_allocate_buffer(&ctx->scatter, EDU_MEMORY_VIRTUAL, EDU_SCATTER_SIZE);
	if (NT_SUCCESS(status))
		status = edu_map_buffer(ctx, &ctx->scatter, EDU_RW);
	if (NT_SUCCESS(status)) {
		edu_fill_pattern(ctx->scatter.Va, EDU_SCATTER_SIZE, 0x22);
		status = edu_shadow_copy(ctx, &ctx->scatter, ctx->scatter.logical, transfers,
					 ARRAYSIZE(transfers), &same);
	}
	EDU_CHECK(ctx, "dma_mdl_16_pages", NT_SUCCESS(status) && same,
		  "16 pages (vmalloc, MDL of 16 PFNs) at %#llx: %u copies across page seams, %lu bytes %s (%s)",
		  ctx->scatter.logical, (ULONG)ARRAYSIZE(transfers), EDU_SCATTER_SIZE,
		  same ? "verified" : "DIFFER", edu_status_name(status));
}

static VOID edu_large(struct _EDU_CONTEXT *ctx)
{
	/* across the 1 MiB mark, across 1.5 MiB, into the last byte */
	static const struct _EDU_TRANSFER transfers[] = {
		{ 0x0FFC00, 0x1FF800, 2048 },
		{ 0x000000, 0x17FC00, 2048 },
		{ 0x0403FF, 0x0C0C01, 1500 },
	};
	NTSTATUS status;
	BOOLEAN same = FALSE, aligned = FALSE;

	status = edu_allocate_buffer(&ctx->large, EDU_MEMORY_CONTIGUOUS, EDU_LARGE_SIZE);
	if (NT_SUCCESS(status))
		status = edu_map_buffer(ctx, &ctx->large, EDU_RW);
	if (NT_SUCCESS(status)) {
		/* the buddy allocator aligns a block to its power-of-two size */
		aligned = (ctx->large.logical & (EDU_LARGE_SIZE - 1)) == 0;
		edu_fill_pattern(ctx->large.Va, EDU_LARGE_SIZE, 0x33);
		status = edu_shadow_copy(ctx, &ctx->large, ctx->large.logical, transfers,
					 ARRAYSIZE(transfers), &same);
	}
	EDU_CHECK(ctx, "dma_2m_contiguous", NT_SUCCESS(status) && same && aligned,
		  "2 MiB (contiguous) at %#llx, %s: %u copies, %u bytes %s (%s)",
		  ctx->large.logical, aligned ? "2 MiB aligned" : "NOT 2 MiB aligned",
		  (ULONG)ARRAYSIZE(transfers), EDU_LARGE_SIZE, same ? "verified" : "DIFFER",
		  edu_status_name(status));
}

static VOID edu_token_ring(struct _EDU_CONTEXT *ctx)
{
	IOMMU_MAP_PHYSICAL_ADDRESS pa;
	ULONGLONG ring_logical = 0;
	NTSTATUS status;
	BOOLEAN ok = FALSE, dropped = FALSE;
	PUCHAR expected;

	status = edu_allocate_buffer(&ctx->ring, EDU_MEMORY_POOL, EDU_RING_SIZE);
	if (NT_SUCCESS(status))
		status = ctx->V2->ReserveLogicalAddressRange(ctx->Domain, EDU_TOKEN_SIZE, NULL,
							     NULL, NULL, &ctx->ring_token);
	if (!NT_SUCCESS(status))
		ctx->ring_token = NULL;
	if (NT_SUCCESS(status)) {
		edu_describe_mdl(&ctx->ring, &pa);
		status = ctx->V2->MapReservedLogicalRange(ctx->ring_token, EDU_RING_OFFSET, EDU_RW,
							  &pa, &ctx->ring_segment);
		ctx->ring_mapped = NT_SUCCESS(status);
	}
	if (NT_SUCCESS(status)) {
		ring_logical = ctx->ring_token->LogicalAddressBase + ctx->ring_segment.Offset;
		if (ring_logical + EDU_RING_SIZE - 1 > ctx->highest)
			ctx->highest = ring_logical + EDU_RING_SIZE - 1;
		/* a "descriptor" from the source page, across the ring's first seam */
		status = edu_copy(ctx, ctx->source.logical + 0x100, ring_logical + 0xC00, 2048);
	}
	if (NT_SUCCESS(status)) {
		expected = edu_allocate_pool(EDU_RING_SIZE);
		if (expected) {
			memcpy(expected + 0xC00, ctx->source.Va + 0x100, 2048);
			ok = edu_same(ctx->ring.Va, expected, EDU_RING_SIZE);
			edu_free_pool(expected);
		}
	}
	EDU_CHECK(ctx, "token_segment_dma", NT_SUCCESS(status) && ok,
		  "descriptor ring: token [%#llx, +%lu KiB), segment at offset %#lx = %#llx: 2048 bytes %s (%s)",
		  ctx->ring_token ? ctx->ring_token->LogicalAddressBase : 0, EDU_TOKEN_SIZE / 1024,
		  EDU_RING_OFFSET, ring_logical, ok ? "verified" : "DIFFER",
		  edu_status_name(status));
	if (!ctx->ring_mapped)
		return;

	/* unmapped, the segment takes no write; mapped again, it works */
	status = ctx->V2->UnmapReservedLogicalRange(&ctx->ring_segment);
	if (NT_SUCCESS(status)) {
		ctx->ring_mapped = FALSE;
		memset(ctx->ring.Va, 0xA5, EDU_RING_SIZE);
		status = edu_dma_once(ctx, ring_logical + 0xC00, 2048, TRUE);
		dropped = edu_all_filled(ctx->ring.Va, EDU_RING_SIZE, 0xA5);
	}
	if (NT_SUCCESS(status)) {
		edu_describe_mdl(&ctx->ring, &pa);
		status = ctx->V2->MapReservedLogicalRange(ctx->ring_token, EDU_RING_OFFSET, EDU_RW,
							  &pa, &ctx->ring_segment);
		ctx->ring_mapped = NT_SUCCESS(status);
	}
	EDU_CHECK(ctx, "token_segment_unmap", NT_SUCCESS(status) && dropped,
		  "ring segment unmapped: the device's write to %#llx %s; mapped again (%s)",
		  ring_logical, dropped ? "changed nothing" : "LANDED", edu_status_name(status));
}

static VOID edu_hole_and_window(struct _EDU_CONTEXT *ctx)
{
	IOMMU_DMA_LOGICAL_ADDRESS lo = ctx->hole.Base;
	IOMMU_DMA_LOGICAL_ADDRESS hi = ctx->hole.Base + ctx->hole.NumberOfPages * PAGE_SIZE - 1;
	IOMMU_DMA_LOGICAL_ADDRESS out = 0;
	IOMMU_MAP_PHYSICAL_ADDRESS pa;
	NTSTATUS status;

	/* a window that lies wholly inside the hole has no address to give */
	edu_describe_mdl(&ctx->source, &pa);
	status = ctx->V2->MapLogicalRangeEx(ctx->Domain, IOMMU_ACCESS_READ, &pa, NULL, &lo, &hi,
					    &out);
	if (NT_SUCCESS(status))
		ctx->V2->UnmapLogicalRange(ctx->Domain, out, 1);
	EDU_CHECK(ctx, "reserved_hole_never_allocated", status == STATUS_INVALID_PARAMETER_MIX,
		  "reserved hole [%#llx, %#llx]: a page asked for inside it gets %s (STATUS_INVALID_PARAMETER_MIX expected)",
		  lo, hi, edu_status_name(status));

	/* a window right above it: the lowest free address inside it */
	lo = hi + 1;
	hi = lo + 16 * PAGE_SIZE - 1;
	out = 0;
	status = ctx->V2->MapLogicalRangeEx(ctx->Domain, IOMMU_ACCESS_READ, &pa, NULL, &lo, &hi,
					    &out);
	if (NT_SUCCESS(status))
		status = ctx->V2->UnmapLogicalRange(ctx->Domain, out, 1);
	EDU_CHECK(ctx, "window_placement", NT_SUCCESS(status) && out == lo,
		  "window [%#llx, %#llx]: a page placed at %#llx, then unmapped (%s)",
		  lo, hi, out, edu_status_name(status));
}

static VOID edu_unmapped_page(struct _EDU_CONTEXT *ctx)
{
	NTSTATUS status;
	BOOLEAN dropped = FALSE;

	/* the device's buffer still holds data; aim it at a page just unmapped */
	status = edu_unmap_buffer(ctx, &ctx->destination);
	if (NT_SUCCESS(status)) {
		memset(ctx->destination.Va, 0x5A, PAGE_SIZE);
		status = edu_dma_once(ctx, ctx->destination.logical, 2048, TRUE);
		dropped = edu_all_filled(ctx->destination.Va, PAGE_SIZE, 0x5A);
	}
	EDU_CHECK(ctx, "unmapped_write_dropped", NT_SUCCESS(status) && dropped,
		  "page unmapped (UnmapLogicalRange): the device's write to %#llx %s (%s)",
		  ctx->destination.logical, dropped ? "changed nothing" : "LANDED",
		  edu_status_name(status));
}

static VOID edu_run_translate(struct _EDU_CONTEXT *ctx)
{
	IOMMU_DMA_DOMAIN_CREATION_FLAGS Flags = { .AsUlonglong = 0 };
	IOMMU_DMA_LOGICAL_ALLOCATOR_CONFIG buddy = {
		.LogicalAllocatorType = IommuDmaLogicalAllocatorBuddy,
	};
	ULONG bits;
	NTSTATUS status;

	ctx->allocator_width = ctx->device->dma_address_width;
	if (ctx->allocator_width > EDU_ALLOCATOR_MAX_WIDTH)
		ctx->allocator_width = EDU_ALLOCATOR_MAX_WIDTH;
	buddy.BuddyAllocatorConfig.AddressWidth = ctx->allocator_width;
	ctx->hole.RegionNext = NULL;
	ctx->hole.Base = EDU_HOLE_BASE;
	ctx->hole.NumberOfPages = EDU_HOLE_PAGES;
	ctx->hole.ShouldMap = FALSE;

	status = ctx->V2->CreateDomainEx(DomainTypeTranslate, Flags, &buddy, &ctx->hole,
					 &ctx->Domain);
	EDU_CHECK(ctx, "create_domain", NT_SUCCESS(status),
		  "CreateDomainEx(Translate, buddy AddressWidth %u, hole [%#llx, +%u pages]): %s",
		  ctx->allocator_width, ctx->hole.Base, EDU_HOLE_PAGES, edu_status_name(status));
	if (!NT_SUCCESS(status)) {
		ctx->Domain = NULL;
		return;
	}
	if (!edu_attach(ctx))
		return;

	edu_one_page(ctx);
	if (!ctx->source.mapped)
		return;
	edu_scatter(ctx);
	edu_large(ctx);
	edu_token_ring(ctx);
	edu_hole_and_window(ctx);
	edu_unmapped_page(ctx);

	bits = edu_bit_width(ctx->highest);
	if (bits < ctx->allocator_width)
		edu_log(ctx->device,
			"allocator: asked for %u bits; addresses handed out reach %#llx (%u bits): winiommu narrowed it at attach to what the IOMMU and the device reach",
			ctx->allocator_width, ctx->highest, bits);
	else
		edu_log(ctx->device,
			"allocator: asked for %u bits; addresses handed out reach %#llx: the whole width is reachable",
			ctx->allocator_width, ctx->highest);
}

/* ---- passthrough ---------------------------------------------------------- */

static VOID edu_run_passthrough(struct _EDU_CONTEXT *ctx)
{
	static const struct _EDU_TRANSFER transfers[] = {
		{ 0x0C00, 0x2E00, 2048 },
		{ 0x1F00, 0x3A00, 1536 },
	};
	IOMMU_DMA_DOMAIN_CREATION_FLAGS Flags = { .AsUlonglong = 0 };
	IOMMU_DMA_LOGICAL_ADDRESS out = 0;
	IOMMU_MAP_PHYSICAL_ADDRESS pa;
	NTSTATUS status, refused;
	NTSTATUS map_status = STATUS_UNSUCCESSFUL, unmap_status = STATUS_UNSUCCESSFUL;
	BOOLEAN ok, same = FALSE, during = FALSE, after = FALSE;

	status = ctx->V2->CreateDomainEx(DomainTypePassThrough, Flags, NULL, NULL, &ctx->Domain);
	EDU_CHECK(ctx, "create_domain", NT_SUCCESS(status),
		  "CreateDomainEx(PassThrough, no allocator): %s", edu_status_name(status));
	if (!NT_SUCCESS(status)) {
		ctx->Domain = NULL;
		return;
	}
	if (!edu_attach(ctx))
		return;

	status = edu_allocate_buffer(&ctx->source, EDU_MEMORY_POOL, PAGE_SIZE);
	if (NT_SUCCESS(status))
		status = edu_allocate_buffer(&ctx->destination, EDU_MEMORY_POOL, PAGE_SIZE);
	if (NT_SUCCESS(status))
		status = edu_allocate_buffer(&ctx->ring, EDU_MEMORY_POOL, EDU_RING_SIZE);
	if (!NT_SUCCESS(status)) {
		EDU_CHECK(ctx, "buffers", FALSE, "allocating buffers: %s", edu_status_name(status));
		return;
	}

	/* the device sees physical memory: logical mappings make no sense here */
	edu_describe_mdl(&ctx->source, &pa);
	refused = ctx->V2->MapLogicalRangeEx(ctx->Domain, IOMMU_ACCESS_READ, &pa, NULL, NULL, NULL,
					     &out);
	EDU_CHECK(ctx, "logical_map_refused", refused == STATUS_INVALID_PARAMETER_1,
		  "MapLogicalRangeEx on a PassThrough domain: %s (STATUS_INVALID_PARAMETER_1 expected)",
		  edu_status_name(refused));

	edu_fill_pattern(ctx->source.Va, PAGE_SIZE, 0x44);
	status = edu_copy(ctx, edu_physical(&ctx->source), edu_physical(&ctx->destination),
			  PAGE_SIZE);
	ok = NT_SUCCESS(status) && edu_same(ctx->source.Va, ctx->destination.Va, PAGE_SIZE);
	EDU_CHECK(ctx, "dma_physical", ok,
		  "one page at its physical address %#llx -> edu -> %#llx, %lu bytes %s (%s)",
		  edu_physical(&ctx->source), edu_physical(&ctx->destination), PAGE_SIZE,
		  ok ? "verified" : "DIFFER", edu_status_name(status));

	/* across page seams only where the memory is physically contiguous */
	edu_fill_pattern(ctx->ring.Va, EDU_RING_SIZE, 0x55);
	status = edu_shadow_copy(ctx, &ctx->ring, edu_physical(&ctx->ring), transfers,
				 ARRAYSIZE(transfers), &same);
	EDU_CHECK(ctx, "dma_physical_contiguous", NT_SUCCESS(status) && same,
		  "4 contiguous pages at %#llx: %u copies across page seams, %lu bytes %s (%s)",
		  edu_physical(&ctx->ring), (ULONG)ARRAYSIZE(transfers), EDU_RING_SIZE,
		  same ? "verified" : "DIFFER", edu_status_name(status));

	/* identity ranges: accepted, and the device sees the same either way */
	edu_describe_mdl(&ctx->destination, &pa);
	map_status = ctx->V2->MapIdentityRangeEx(ctx->Domain, EDU_RW, &pa);
	ctx->destination_identity = NT_SUCCESS(map_status);
	if (NT_SUCCESS(map_status)) {
		edu_fill_pattern(ctx->source.Va, PAGE_SIZE, 0x66);
		status = edu_copy(ctx, edu_physical(&ctx->source), edu_physical(&ctx->destination),
				  PAGE_SIZE);
		during = NT_SUCCESS(status) &&
			 edu_same(ctx->source.Va, ctx->destination.Va, PAGE_SIZE);
		unmap_status = ctx->V2->UnmapIdentityRangeEx(ctx->Domain, &pa);
		if (NT_SUCCESS(unmap_status))
			ctx->destination_identity = FALSE;
	}
	if (NT_SUCCESS(unmap_status)) {
		edu_fill_pattern(ctx->source.Va, PAGE_SIZE, 0x77);
		status = edu_copy(ctx, edu_physical(&ctx->source), edu_physical(&ctx->destination),
				  PAGE_SIZE);
		after = NT_SUCCESS(status) &&
			edu_same(ctx->source.Va, ctx->destination.Va, PAGE_SIZE);
	}
	EDU_CHECK(ctx, "identity_range_harmless",
		  NT_SUCCESS(map_status) && NT_SUCCESS(unmap_status) && during && after,
		  "MapIdentityRangeEx %s, UnmapIdentityRangeEx %s of %#llx: DMA there %s while mapped and %s after",
		  edu_status_name(map_status), edu_status_name(unmap_status),
		  edu_physical(&ctx->destination),
		  during ? "works" : "FAILS", after ? "works" : "FAILS");
	edu_log(ctx->device,
		"PassThrough: the device addresses RAM by physical address, every page of it, as if there were no IOMMU");
}

/* ---- unmanaged ------------------------------------------------------------ */

/*
 * Put a known pattern into the device's buffer through a short-lived
 * Translate domain, so that a later write from that buffer can be seen
 * if it landed.  Returns the logical address destination had there.
 */
static BOOLEAN edu_load_pattern(struct _EDU_CONTEXT *ctx, IOMMU_DMA_LOGICAL_ADDRESS *old_logical)
{
	IOMMU_DMA_DOMAIN_CREATION_FLAGS Flags = { .AsUlonglong = 0 };
	IOMMU_DMA_LOGICAL_ALLOCATOR_CONFIG buddy = {
		.LogicalAllocatorType = IommuDmaLogicalAllocatorBuddy,
		.BuddyAllocatorConfig.AddressWidth = 32,
	};
	NTSTATUS status, undo = STATUS_SUCCESS, step;
	BOOLEAN ok = FALSE;

	status = ctx->V2->CreateDomainEx(DomainTypeTranslate, Flags, &buddy, NULL, &ctx->Domain);
	if (!NT_SUCCESS(status)) {
		ctx->Domain = NULL;
		goto out;
	}
	status = ctx->V2->AttachDeviceEx(ctx->Domain, ctx->DmaDevice);
	if (NT_SUCCESS(status)) {
		ctx->attached = TRUE;
		status = edu_map_buffer(ctx, &ctx->source, IOMMU_ACCESS_READ);
	}
	if (NT_SUCCESS(status))
		status = edu_map_buffer(ctx, &ctx->destination, IOMMU_ACCESS_WRITE);
	if (NT_SUCCESS(status)) {
		edu_fill_pattern(ctx->source.Va, PAGE_SIZE, 0x88);
		/* the buffer keeps the second half: the last step moved in */
		status = edu_copy(ctx, ctx->source.logical, ctx->destination.logical, PAGE_SIZE);
		ok = NT_SUCCESS(status) &&
		     edu_same(ctx->source.Va, ctx->destination.Va, PAGE_SIZE);
		*old_logical = ctx->destination.logical;
	}
	/* back out of the Translate domain completely; keep the first failure */
	if (ctx->destination.mapped) {
		step = edu_unmap_buffer(ctx, &ctx->destination);
		undo = NT_SUCCESS(undo) ? step : undo;
	}
	if (ctx->source.mapped) {
		step = edu_unmap_buffer(ctx, &ctx->source);
		undo = NT_SUCCESS(undo) ? step : undo;
	}
	if (ctx->attached) {
		step = ctx->V2->DetachDeviceEx(ctx->DmaDevice);
		undo = NT_SUCCESS(undo) ? step : undo;
		ctx->attached = NT_SUCCESS(step) ? FALSE : TRUE;
	}
	if (!ctx->attached) {
		step = ctx->V2->DeleteDomain(ctx->Domain);
		undo = NT_SUCCESS(undo) ? step : undo;
		if (NT_SUCCESS(step))
			ctx->Domain = NULL;
	}
out:
	EDU_CHECK(ctx, "pattern_loaded_via_translate", ok && NT_SUCCESS(undo),
		  "pattern loaded into the device through a Translate domain, copied back and verified, domain detached and deleted (%s, teardown %s)",
		  edu_status_name(status), edu_status_name(undo));
	return ok && NT_SUCCESS(undo);
}

/*
 * The driver's own translation tables, as an SMMU driver on Windows
 * writes them: AArch64 stage 1, 4 KiB granule, a 39-bit input (levels 1
 * to 3).  One page at EDU_OWN_VA maps the destination page read/write.
 */
#define EDU_OWN_VA		0x40000000ULL
#define EDU_PTE_VALID		0x1ULL
#define EDU_PTE_TABLE		0x2ULL		/* table (levels 1, 2) or page (level 3) */
#define EDU_PTE_AF		0x400ULL	/* access flag */

/* Descriptors are little-endian ULONGLONGs, like the machine's own. */
static VOID edu_write_pte(struct _EDU_BUFFER *table, ULONG index, ULONGLONG value)
{
	((ULONGLONG *)table->Va)[index] = value;
}

static NTSTATUS edu_configure(struct _EDU_CONTEXT *ctx, BOOLEAN enabled)
{
	DOMAIN_CONFIGURATION config = { .Type = DomainConfigurationArm64 };

	config.Arm64.Ttbr0.QuadPart = edu_physical(&ctx->tables[0]);
	config.Arm64.InputSize0 = 39;
	config.Arm64.CoherentTableWalks = TRUE;
	config.Arm64.TranslationEnabled = enabled;
	return ctx->V2->ConfigureDomain(ctx->Domain, &config);
}

static VOID edu_run_own_tables(struct _EDU_CONTEXT *ctx)
{
	ULONGLONG va = EDU_OWN_VA;
	NTSTATUS status = STATUS_SUCCESS, write;
	BOOLEAN landed;
	ULONG i;

	for (i = 0; i < ARRAYSIZE(ctx->tables) && NT_SUCCESS(status); i++)
		status = edu_allocate_buffer(&ctx->tables[i], EDU_MEMORY_POOL, PAGE_SIZE);
	if (!NT_SUCCESS(status)) {
		EDU_CHECK(ctx, "own_tables", FALSE, "allocating page tables: %s",
			  edu_status_name(status));
		return;
	}
	/* level 1 entry 1 (1 GiB..2 GiB) -> level 2 -> level 3 -> the page */
	edu_write_pte(&ctx->tables[0], (ULONG)(va >> 30) & 511,
		      edu_physical(&ctx->tables[1]) | EDU_PTE_TABLE | EDU_PTE_VALID);
	edu_write_pte(&ctx->tables[1], (ULONG)(va >> 21) & 511,
		      edu_physical(&ctx->tables[2]) | EDU_PTE_TABLE | EDU_PTE_VALID);
	edu_write_pte(&ctx->tables[2], (ULONG)(va >> 12) & 511,
		      edu_physical(&ctx->destination) | EDU_PTE_AF | EDU_PTE_TABLE |
		      EDU_PTE_VALID);

	status = edu_configure(ctx, TRUE);
	memset(ctx->destination.Va, 0x5A, PAGE_SIZE);
	write = NT_SUCCESS(status) ? edu_dma_once(ctx, va, 2048, TRUE) : status;
	/* the device's buffer holds the second half of the pattern */
	landed = edu_same(ctx->destination.Va, ctx->source.Va + 2048, 2048);
	EDU_CHECK(ctx, "dma_after_configure", NT_SUCCESS(status) && NT_SUCCESS(write) && landed,
		  "ConfigureDomain with the driver's own tables (TTBR0 %#llx, 39 bits): %s; the device's write to %#llx %s",
		  edu_physical(&ctx->tables[0]), edu_status_name(status), va,
		  landed ? "landed in the page the tables name, verified" : "DID NOT LAND");

	/* the driver takes the page away and flushes that address */
	edu_write_pte(&ctx->tables[2], (ULONG)(va >> 12) & 511, 0);
	status = ctx->V2->FlushDomainByVaList(ctx->Domain, TRUE, 1, &va);
	memset(ctx->destination.Va, 0x5A, PAGE_SIZE);
	write = edu_dma_once(ctx, va, 2048, TRUE);
	landed = !edu_all_filled(ctx->destination.Va, PAGE_SIZE, 0x5A);
	EDU_CHECK(ctx, "dma_after_unmap_and_flush", NT_SUCCESS(status) && NT_SUCCESS(write) &&
		  !landed,
		  "entry cleared, FlushDomainByVaList(%#llx): %s; the device's write there %s",
		  va, edu_status_name(status),
		  landed ? "LANDED" : "changed nothing: the address is gone");
	status = edu_configure(ctx, FALSE);
	EDU_CHECK(ctx, "configure_off", NT_SUCCESS(status),
		  "ConfigureDomain(TranslationEnabled FALSE): %s", edu_status_name(status));
}

static VOID edu_run_unmanaged(struct _EDU_CONTEXT *ctx)
{
	IOMMU_DMA_DOMAIN_CREATION_FLAGS Flags = { .AsUlonglong = 0 };
	IOMMU_DMA_LOGICAL_ADDRESS old_logical = 0;
	NTSTATUS status, write1, write2;
	BOOLEAN blocked;

	status = edu_allocate_buffer(&ctx->source, EDU_MEMORY_POOL, PAGE_SIZE);
	if (NT_SUCCESS(status))
		status = edu_allocate_buffer(&ctx->destination, EDU_MEMORY_POOL, PAGE_SIZE);
	if (!NT_SUCCESS(status)) {
		EDU_CHECK(ctx, "buffers", FALSE, "allocating buffers: %s", edu_status_name(status));
		return;
	}
	if (!edu_load_pattern(ctx, &old_logical))
		return;

	status = ctx->V2->CreateDomainEx(DomainTypeUnmanaged, Flags, NULL, NULL, &ctx->Domain);
	EDU_CHECK(ctx, "create_domain", NT_SUCCESS(status),
		  "CreateDomainEx(Unmanaged): %s", edu_status_name(status));
	if (!NT_SUCCESS(status)) {
		ctx->Domain = NULL;
		return;
	}
	if (!edu_attach(ctx))
		return;

	status = ctx->V2->FlushDomain(ctx->Domain);
	EDU_CHECK(ctx, "flush_domain", NT_SUCCESS(status),
		  "FlushDomain (the owner of an Unmanaged domain flushes its IOTLB): %s",
		  edu_status_name(status));

	/* the device writes its pattern: to the page's physical address, and where it was */
	memset(ctx->destination.Va, 0x5A, PAGE_SIZE);
	write1 = edu_dma_once(ctx, edu_physical(&ctx->destination), 2048, TRUE);
	write2 = edu_dma_once(ctx, old_logical, 2048, TRUE);
	blocked = edu_all_filled(ctx->destination.Va, PAGE_SIZE, 0x5A);
	EDU_CHECK(ctx, "write_blocked_until_configure",
		  NT_SUCCESS(write1) && NT_SUCCESS(write2) && blocked,
		  "Unmanaged domain, not configured: the device's writes to %#llx (physical) and %#llx (its old logical address) %s",
		  edu_physical(&ctx->destination), old_logical,
		  blocked ? "changed nothing: DMA is blocked until ConfigureDomain" : "LANDED");
	edu_run_own_tables(ctx);
}

/* ---- start and stop ------------------------------------------------------- */

/**
 * edu_start_device() - build the device's DMA setup and check it.
 * @device: filled by the shell.
 *
 * Return: STATUS_SUCCESS once the checks ran, whatever their results
 * (they are reported); STATUS_INSUFFICIENT_RESOURCES without memory for
 * the context.
 */
NTSTATUS edu_start_device(struct _EDU_DEVICE *device)
{
	static const IOMMU_DMA_DOMAIN_TYPE types[EDU_SCENARIO_MAX] = {
		DomainTypeTranslate, DomainTypePassThrough, DomainTypeUnmanaged,
	};
	IOMMU_DMA_DOMAIN_TYPE Type = types[device->scenario];
	struct _EDU_CONTEXT *ctx;
	ULONGLONG kib_per_second = 0;

	ctx = edu_allocate_pool(sizeof(*ctx));
	if (!ctx)
		return STATUS_INSUFFICIENT_RESOURCES;
	ctx->device = device;
	device->core = ctx;

	edu_log(device, "scenario %s: domain type %s; edu id %#x, addresses %u bits",
		device->scenario_name, edu_domain_type_name(Type),
		edu_read_register32(device, EDU_REG_IDENTIFICATION), device->dma_address_width);
	if (edu_open(ctx, Type)) {
		switch (device->scenario) {
		case EDU_SCENARIO_TRANSLATE:
			edu_run_translate(ctx);
			break;
		case EDU_SCENARIO_PASSTHROUGH:
			edu_run_passthrough(ctx);
			break;
		default:
			edu_run_unmanaged(ctx);
			break;
		}
	}

	if (ctx->dma_time_ns)
		kib_per_second = ctx->bytes_moved * 1000000000ULL / ctx->dma_time_ns / 1024;
	edu_log(device,
		"DMA: %llu bytes in %u transfers, %llu ms of DMA: %llu KiB/s (QEMU's edu completes a transfer about %llu ms after it starts, whatever its size)",
		ctx->bytes_moved, ctx->transfers, ctx->dma_time_ns / 1000000, kib_per_second,
		ctx->transfers ? ctx->dma_time_ns / ctx->transfers / 1000000 : 0);
	edu_log(device, "result: %s, %u of %u checks passed (scenario %s)",
		ctx->failed ? "FAILED" : "PASS", ctx->checks - ctx->failed, ctx->checks,
		device->scenario_name);
	return STATUS_SUCCESS;
}

/* Record the first failure of the teardown. */
static VOID edu_undo(struct _EDU_CONTEXT *ctx, const char *routine, NTSTATUS status, ULONG *calls,
		     ULONG *errors)
{
	(*calls)++;
	if (NT_SUCCESS(status))
		return;
	(*errors)++;
	edu_log(ctx->device, "teardown: %s returned %s", routine, edu_status_name(status));
}

/**
 * edu_stop_device() - undo everything edu_start_device() set up.
 * @device: the device.
 *
 * Unmaps, frees the token, detaches, deletes the domain and the DMA device,
 * then frees MDLs and memory: the reverse of the setup.
 */
VOID edu_stop_device(struct _EDU_DEVICE *device)
{
	struct _EDU_CONTEXT *ctx = device->core;
	IOMMU_MAP_PHYSICAL_ADDRESS pa;
	struct _EDU_BUFFER *buffers[5];
	ULONG calls = 0, errors = 0, i;

	if (!ctx)
		return;
	buffers[0] = &ctx->source;
	buffers[1] = &ctx->destination;
	buffers[2] = &ctx->scatter;
	buffers[3] = &ctx->large;
	buffers[4] = &ctx->ring;

	if (ctx->ring_mapped)
		edu_undo(ctx, "UnmapReservedLogicalRange",
			 ctx->V2->UnmapReservedLogicalRange(&ctx->ring_segment), &calls, &errors);
	if (ctx->ring_token)
		edu_undo(ctx, "FreeReservedLogicalAddressRange",
			 ctx->V2->FreeReservedLogicalAddressRange(ctx->ring_token), &calls,
			 &errors);
	for (i = 0; i < ARRAYSIZE(buffers); i++)
		if (buffers[i]->mapped)
			edu_undo(ctx, "UnmapLogicalRange", edu_unmap_buffer(ctx, buffers[i]),
				 &calls, &errors);
	if (ctx->destination_identity) {
		edu_describe_mdl(&ctx->destination, &pa);
		edu_undo(ctx, "UnmapIdentityRangeEx",
			 ctx->V2->UnmapIdentityRangeEx(ctx->Domain, &pa), &calls, &errors);
	}
	if (ctx->attached)
		edu_undo(ctx, "DetachDeviceEx", ctx->V2->DetachDeviceEx(ctx->DmaDevice), &calls,
			 &errors);
	if (ctx->Domain)
		edu_undo(ctx, "DeleteDomain", ctx->V2->DeleteDomain(ctx->Domain), &calls, &errors);
	if (ctx->DmaDevice)
		edu_undo(ctx, "DeleteDevice", ctx->V2->DeleteDevice(ctx->DmaDevice), &calls,
			 &errors);
	/* only now may the memory go: no mapping reaches it any more */
	for (i = 0; i < ARRAYSIZE(buffers); i++)
		edu_free_buffer(buffers[i]);
	for (i = 0; i < ARRAYSIZE(ctx->tables); i++)
		edu_free_buffer(&ctx->tables[i]);
	edu_log(device, "teardown: %s (%u IOMMU calls, %u failed); MDLs and buffers freed",
		errors ? "FAILED" : "clean", calls, errors);
	device->core = NULL;
	edu_free_pool(ctx);
}
