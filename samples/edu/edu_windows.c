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
 *               driver's own page tables the device reaches nothing.
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
	EduMemoryPool,
	EduMemoryVirtual,
	EduMemoryContiguous
};

/* A DMA buffer, its MDL and its logical mapping. */
struct _EDU_BUFFER {
	PUCHAR Va;
	SIZE_T Size;
	enum _EDU_MEMORY_KIND Kind;
	PMDL Mdl;
	IOMMU_DMA_LOGICAL_ADDRESS Logical;
	BOOLEAN Mapped;
};

struct _EDU_CONTEXT {
	struct _EDU_DEVICE *Device;
	DMA_IOMMU_INTERFACE_EX Iommu;
	PDMA_IOMMU_INTERFACE_V2 V2;
	PIOMMU_DMA_DEVICE DmaDevice;
	PIOMMU_DMA_DOMAIN Domain;
	BOOLEAN Attached;
	ULONG AllocatorWidth;
	IOMMU_DMA_RESERVED_REGION Hole;

	struct _EDU_BUFFER Source;	/* one page */
	struct _EDU_BUFFER Destination;	/* one page */
	struct _EDU_BUFFER Scatter;	/* 16 pages of vmalloc */
	struct _EDU_BUFFER Large;	/* 2 MiB, physically contiguous */
	struct _EDU_BUFFER Ring;	/* 4 pages, mapped into the token */
	BOOLEAN DestinationIdentity;

	PIOMMU_DMA_LOGICAL_ADDRESS_TOKEN RingToken;
	IOMMU_DMA_LOGICAL_ADDRESS_TOKEN_MAPPED_SEGMENT RingSegment;
	BOOLEAN RingMapped;

	/* what the report shows */
	IOMMU_DMA_LOGICAL_ADDRESS Highest;
	ULONGLONG BytesMoved;
	ULONGLONG DmaTimeNs;
	ULONG Transfers;
	ULONG Checks;
	ULONG Failed;
};

static const char *EduDomainTypeName(IOMMU_DMA_DOMAIN_TYPE Type)
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
static const char *EduStatusName(NTSTATUS Status)
{
	switch (Status) {
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
		return NT_SUCCESS(Status) ? "a success status" : "an error status";
	}
}

/* Record a check and count it. */
#define EDU_CHECK(Ctx, Name, Passed, ...)					\
	do {									\
		struct _EDU_CONTEXT *__Ctx = (Ctx);				\
										\
		__Ctx->Checks++;						\
		if (!EduCheck(__Ctx->Device, (Name), (Passed), __VA_ARGS__))	\
			__Ctx->Failed++;					\
	} while (0)

/* ---- the device's DMA engine ------------------------------------------- */

/*
 * One DMA command: Length bytes between RAM at Address (a logical address,
 * or a physical one in a PassThrough domain) and the device's buffer.
 */
static NTSTATUS EduDmaOnce(struct _EDU_CONTEXT *Ctx, ULONGLONG Address, ULONG Length, BOOLEAN ToRam)
{
	struct _EDU_DEVICE *Device = Ctx->Device;
	ULONGLONG Start, Now;

	if (!Length || Length > EDU_DMA_MAX_TRANSFER)
		return STATUS_INVALID_PARAMETER;
	EduWriteRegister(Device, EDU_REG_DMA_SOURCE, ToRam ? EDU_BUFFER_ADDRESS : Address);
	EduWriteRegister(Device, EDU_REG_DMA_DESTINATION, ToRam ? Address : EDU_BUFFER_ADDRESS);
	EduWriteRegister(Device, EDU_REG_DMA_COUNT, Length);
	Start = EduQueryTimeNs();
	EduWriteRegister(Device, EDU_REG_DMA_COMMAND,
			 EDU_DMA_CMD_START | (ToRam ? EDU_DMA_CMD_TO_RAM : 0));
	for (;;) {
		if (!(EduReadRegister(Device, EDU_REG_DMA_COMMAND) & EDU_DMA_CMD_START))
			break;
		Now = EduQueryTimeNs();
		if (Now - Start > EDU_DMA_TIMEOUT_NS)
			return STATUS_IO_TIMEOUT;
		EduSleepMicroseconds(EDU_POLL_US);
	}
	Ctx->DmaTimeNs += EduQueryTimeNs() - Start;
	Ctx->BytesMoved += Length;
	Ctx->Transfers++;
	return STATUS_SUCCESS;
}

/* RAM at Source -> device -> RAM at Destination, in steps. */
static NTSTATUS EduCopy(struct _EDU_CONTEXT *Ctx, ULONGLONG Source, ULONGLONG Destination,
			ULONG Length)
{
	NTSTATUS Status = STATUS_SUCCESS;
	ULONG Offset, Step;

	for (Offset = 0; Offset < Length && NT_SUCCESS(Status); Offset += Step) {
		Step = Length - Offset < EDU_DMA_STEP ? Length - Offset : EDU_DMA_STEP;
		Status = EduDmaOnce(Ctx, Source + Offset, Step, FALSE);
		if (NT_SUCCESS(Status))
			Status = EduDmaOnce(Ctx, Destination + Offset, Step, TRUE);
	}
	return Status;
}

/* ---- buffers ------------------------------------------------------------- */

static VOID EduFillPattern(PUCHAR Buffer, SIZE_T Length, UCHAR Seed)
{
	SIZE_T i;

	for (i = 0; i < Length; i++)
		Buffer[i] = (UCHAR)(Seed + i * 13 + (i >> 9));
}

static BOOLEAN EduSame(const VOID *A, const VOID *B, SIZE_T Length)
{
	return RtlCompareMemory(A, B, Length) == Length;
}

static BOOLEAN EduAllFilled(const UCHAR *Buffer, SIZE_T Length, UCHAR Value)
{
	SIZE_T i;

	for (i = 0; i < Length; i++)
		if (Buffer[i] != Value)
			return FALSE;
	return TRUE;
}

/* Allocate resident memory and describe it with an MDL. */
static NTSTATUS EduAllocateBuffer(struct _EDU_BUFFER *Buffer, enum _EDU_MEMORY_KIND Kind,
				  SIZE_T Size)
{
	switch (Kind) {
	case EduMemoryPool:
		Buffer->Va = EduAllocatePool(Size);
		break;
	case EduMemoryVirtual:
		Buffer->Va = EduAllocateVirtual(Size);
		break;
	case EduMemoryContiguous:
		Buffer->Va = EduAllocateContiguous(Size);
		break;
	}
	if (!Buffer->Va)
		return STATUS_INSUFFICIENT_RESOURCES;
	Buffer->Size = Size;
	Buffer->Kind = Kind;
	Buffer->Mdl = IoAllocateMdl(Buffer->Va, (ULONG)Size, FALSE, FALSE, NULL);
	if (!Buffer->Mdl)
		return STATUS_INSUFFICIENT_RESOURCES;
	MmBuildMdlForNonPagedPool(Buffer->Mdl);
	return STATUS_SUCCESS;
}

static VOID EduFreeBuffer(struct _EDU_BUFFER *Buffer)
{
	if (Buffer->Mdl)
		IoFreeMdl(Buffer->Mdl);
	if (Buffer->Va) {
		switch (Buffer->Kind) {
		case EduMemoryPool:
			EduFreePool(Buffer->Va);
			break;
		case EduMemoryVirtual:
			EduFreeVirtual(Buffer->Va);
			break;
		case EduMemoryContiguous:
			EduFreeContiguous(Buffer->Va, Buffer->Size);
			break;
		}
	}
	RtlZeroMemory(Buffer, sizeof(*Buffer));
}

static VOID EduDescribeMdl(struct _EDU_BUFFER *Buffer, PIOMMU_MAP_PHYSICAL_ADDRESS Pa)
{
	RtlZeroMemory(Pa, sizeof(*Pa));
	Pa->MapType = MapPhysicalAddressTypeMdl;
	Pa->Mdl.Mdl = Buffer->Mdl;
}

/* The physical address of the buffer's first byte, from its MDL. */
static ULONGLONG EduPhysical(struct _EDU_BUFFER *Buffer)
{
	return ((ULONGLONG)MmGetMdlPfnArray(Buffer->Mdl)[0] << PAGE_SHIFT) +
	       MmGetMdlByteOffset(Buffer->Mdl);
}

/* Map a buffer where the domain's allocator puts it. */
static NTSTATUS EduMapBuffer(struct _EDU_CONTEXT *Ctx, struct _EDU_BUFFER *Buffer,
			     ULONG Permissions)
{
	IOMMU_MAP_PHYSICAL_ADDRESS Pa;
	NTSTATUS Status;

	EduDescribeMdl(Buffer, &Pa);
	Status = Ctx->V2->MapLogicalRangeEx(Ctx->Domain, Permissions, &Pa, NULL, NULL, NULL,
					    &Buffer->Logical);
	if (NT_SUCCESS(Status)) {
		Buffer->Mapped = TRUE;
		if (Buffer->Logical + Buffer->Size - 1 > Ctx->Highest)
			Ctx->Highest = Buffer->Logical + Buffer->Size - 1;
	}
	return Status;
}

static NTSTATUS EduUnmapBuffer(struct _EDU_CONTEXT *Ctx, struct _EDU_BUFFER *Buffer)
{
	NTSTATUS Status;

	Status = Ctx->V2->UnmapLogicalRange(Ctx->Domain, Buffer->Logical,
					    BYTES_TO_PAGES(Buffer->Size));
	if (NT_SUCCESS(Status))
		Buffer->Mapped = FALSE;
	return Status;
}

/* Number of bits needed to write Value. */
static ULONG EduBitWidth(ULONGLONG Value)
{
	ULONG Bits = 0;

	while (Value) {
		Bits++;
		Value >>= 1;
	}
	return Bits;
}

/* ---- copies checked against a shadow ------------------------------------- */

struct _EDU_TRANSFER {
	ULONG From;
	ULONG To;
	ULONG Length;
};

/*
 * Run Transfers inside Buffer (offsets, at logical address Base) through
 * the device, apply them to a shadow copy too, and compare every byte of
 * the buffer with the shadow.
 */
static NTSTATUS EduShadowCopy(struct _EDU_CONTEXT *Ctx, struct _EDU_BUFFER *Buffer, ULONGLONG Base,
			      const struct _EDU_TRANSFER *Transfers, ULONG Count, BOOLEAN *Same)
{
	PUCHAR Shadow;
	NTSTATUS Status = STATUS_SUCCESS;
	ULONG i;

	*Same = FALSE;
	Shadow = EduAllocateVirtual(Buffer->Size);
	if (!Shadow)
		return STATUS_INSUFFICIENT_RESOURCES;
	RtlCopyMemory(Shadow, Buffer->Va, Buffer->Size);
	for (i = 0; i < Count && NT_SUCCESS(Status); i++) {
		Status = EduCopy(Ctx, Base + Transfers[i].From, Base + Transfers[i].To,
				 Transfers[i].Length);
		RtlMoveMemory(Shadow + Transfers[i].To, Shadow + Transfers[i].From,
			      Transfers[i].Length);
	}
	if (NT_SUCCESS(Status))
		*Same = EduSame(Buffer->Va, Shadow, Buffer->Size);
	EduFreeVirtual(Shadow);
	return Status;
}

/* ---- common steps -------------------------------------------------------- */

/* The interface and the DMA device; FALSE when the scenario cannot go on. */
static BOOLEAN EduOpen(struct _EDU_CONTEXT *Ctx, IOMMU_DMA_DOMAIN_TYPE Wanted)
{
	ULONG Available = 0;
	NTSTATUS Status;

	Status = IoGetIommuInterfaceEx(DMA_IOMMU_INTERFACE_EX_VERSION_2, 0, &Ctx->Iommu);
	EDU_CHECK(Ctx, "get_interface", NT_SUCCESS(Status) && Ctx->Iommu.Size == 0xC0,
		  "IoGetIommuInterfaceEx(VERSION_2): %s, table %zu bytes",
		  EduStatusName(Status), NT_SUCCESS(Status) ? Ctx->Iommu.Size : 0);
	if (!NT_SUCCESS(Status))
		return FALSE;
	Ctx->V2 = &Ctx->Iommu.V2;

	Status = Ctx->V2->CreateDevice(Ctx->Device->PhysicalDeviceObject, NULL, &Ctx->DmaDevice);
	EDU_CHECK(Ctx, "create_device", NT_SUCCESS(Status),
		  "CreateDevice(the PDO): %s", EduStatusName(Status));
	if (!NT_SUCCESS(Status)) {
		Ctx->DmaDevice = NULL;
		return FALSE;
	}

	Ctx->V2->QueryAvailableDomainTypes(Ctx->DmaDevice, &Available);
	EDU_CHECK(Ctx, "domain_types", Available & (1U << Wanted),
		  "QueryAvailableDomainTypes: %#x =%s%s%s%s; %s is %s", Available,
		  Available & (1U << DomainTypeTranslate) ? " Translate" : "",
		  Available & (1U << DomainTypePassThrough) ? " PassThrough" : "",
		  Available & (1U << DomainTypeUnmanaged) ? " Unmanaged" : "",
		  Available & (1U << DomainTypeTranslateS1) ? " TranslateS1" : "",
		  EduDomainTypeName(Wanted),
		  Available & (1U << Wanted) ? "available" : "NOT available");
	return (Available & (1U << Wanted)) != 0;
}

static BOOLEAN EduAttach(struct _EDU_CONTEXT *Ctx)
{
	NTSTATUS Status = Ctx->V2->AttachDeviceEx(Ctx->Domain, Ctx->DmaDevice);

	Ctx->Attached = NT_SUCCESS(Status);
	EDU_CHECK(Ctx, "attach_device", Ctx->Attached, "AttachDeviceEx: %s",
		  EduStatusName(Status));
	return Ctx->Attached;
}

/* ---- translate ------------------------------------------------------------ */

static VOID EduOnePage(struct _EDU_CONTEXT *Ctx)
{
	NTSTATUS Status;
	BOOLEAN Ok;

	Status = EduAllocateBuffer(&Ctx->Source, EduMemoryPool, PAGE_SIZE);
	if (NT_SUCCESS(Status))
		Status = EduAllocateBuffer(&Ctx->Destination, EduMemoryPool, PAGE_SIZE);
	if (NT_SUCCESS(Status))
		Status = EduMapBuffer(Ctx, &Ctx->Source, IOMMU_ACCESS_READ);
	if (NT_SUCCESS(Status))
		Status = EduMapBuffer(Ctx, &Ctx->Destination, IOMMU_ACCESS_WRITE);
	if (NT_SUCCESS(Status)) {
		EduFillPattern(Ctx->Source.Va, PAGE_SIZE, 0x11);
		Status = EduCopy(Ctx, Ctx->Source.Logical, Ctx->Destination.Logical, PAGE_SIZE);
	}
	Ok = NT_SUCCESS(Status) && EduSame(Ctx->Source.Va, Ctx->Destination.Va, PAGE_SIZE);
	EDU_CHECK(Ctx, "dma_one_page", Ok,
		  "one page (pool): %#llx (read) -> edu -> %#llx (write), %lu bytes %s (%s)",
		  Ctx->Source.Logical, Ctx->Destination.Logical, PAGE_SIZE,
		  Ok ? "verified" : "DIFFER", EduStatusName(Status));
}

static VOID EduScatter(struct _EDU_CONTEXT *Ctx)
{
	/* every copy crosses a page seam; the last one ends at the buffer's end */
	static const struct _EDU_TRANSFER Transfers[] = {
		{ 0x0C00, 0x8E00, 2048 },
		{ 0x2F80, 0xAFF0, 4095 },
		{ 0x6FC0, 0xF801, 2047 },
	};
	NTSTATUS Status;
	BOOLEAN Same = FALSE;

	Status = EduAllocateBuffer(&Ctx->Scatter, EduMemoryVirtual, EDU_SCATTER_SIZE);
	if (NT_SUCCESS(Status))
		Status = EduMapBuffer(Ctx, &Ctx->Scatter, EDU_RW);
	if (NT_SUCCESS(Status)) {
		EduFillPattern(Ctx->Scatter.Va, EDU_SCATTER_SIZE, 0x22);
		Status = EduShadowCopy(Ctx, &Ctx->Scatter, Ctx->Scatter.Logical, Transfers,
				       ARRAYSIZE(Transfers), &Same);
	}
	EDU_CHECK(Ctx, "dma_mdl_16_pages", NT_SUCCESS(Status) && Same,
		  "16 pages (vmalloc, MDL of 16 PFNs) at %#llx: %u copies across page seams, %lu bytes %s (%s)",
		  Ctx->Scatter.Logical, (ULONG)ARRAYSIZE(Transfers), EDU_SCATTER_SIZE,
		  Same ? "verified" : "DIFFER", EduStatusName(Status));
}

static VOID EduLarge(struct _EDU_CONTEXT *Ctx)
{
	/* across the 1 MiB mark, across 1.5 MiB, into the last byte */
	static const struct _EDU_TRANSFER Transfers[] = {
		{ 0x0FFC00, 0x1FF800, 2048 },
		{ 0x000000, 0x17FC00, 2048 },
		{ 0x0403FF, 0x0C0C01, 1500 },
	};
	NTSTATUS Status;
	BOOLEAN Same = FALSE, Aligned = FALSE;

	Status = EduAllocateBuffer(&Ctx->Large, EduMemoryContiguous, EDU_LARGE_SIZE);
	if (NT_SUCCESS(Status))
		Status = EduMapBuffer(Ctx, &Ctx->Large, EDU_RW);
	if (NT_SUCCESS(Status)) {
		/* the buddy allocator aligns a block to its power-of-two size */
		Aligned = (Ctx->Large.Logical & (EDU_LARGE_SIZE - 1)) == 0;
		EduFillPattern(Ctx->Large.Va, EDU_LARGE_SIZE, 0x33);
		Status = EduShadowCopy(Ctx, &Ctx->Large, Ctx->Large.Logical, Transfers,
				       ARRAYSIZE(Transfers), &Same);
	}
	EDU_CHECK(Ctx, "dma_2m_contiguous", NT_SUCCESS(Status) && Same && Aligned,
		  "2 MiB (contiguous) at %#llx, %s: %u copies, %u bytes %s (%s)",
		  Ctx->Large.Logical, Aligned ? "2 MiB aligned" : "NOT 2 MiB aligned",
		  (ULONG)ARRAYSIZE(Transfers), EDU_LARGE_SIZE, Same ? "verified" : "DIFFER",
		  EduStatusName(Status));
}

static VOID EduTokenRing(struct _EDU_CONTEXT *Ctx)
{
	IOMMU_MAP_PHYSICAL_ADDRESS Pa;
	ULONGLONG RingLogical = 0;
	NTSTATUS Status;
	BOOLEAN Ok = FALSE, Dropped = FALSE;
	PUCHAR Expected;

	Status = EduAllocateBuffer(&Ctx->Ring, EduMemoryPool, EDU_RING_SIZE);
	if (NT_SUCCESS(Status))
		Status = Ctx->V2->ReserveLogicalAddressRange(Ctx->Domain, EDU_TOKEN_SIZE, NULL,
							     NULL, NULL, &Ctx->RingToken);
	if (!NT_SUCCESS(Status))
		Ctx->RingToken = NULL;
	if (NT_SUCCESS(Status)) {
		EduDescribeMdl(&Ctx->Ring, &Pa);
		Status = Ctx->V2->MapReservedLogicalRange(Ctx->RingToken, EDU_RING_OFFSET, EDU_RW,
							  &Pa, &Ctx->RingSegment);
		Ctx->RingMapped = NT_SUCCESS(Status);
	}
	if (NT_SUCCESS(Status)) {
		RingLogical = Ctx->RingToken->LogicalAddressBase + Ctx->RingSegment.Offset;
		if (RingLogical + EDU_RING_SIZE - 1 > Ctx->Highest)
			Ctx->Highest = RingLogical + EDU_RING_SIZE - 1;
		/* a "descriptor" from the source page, across the ring's first seam */
		Status = EduCopy(Ctx, Ctx->Source.Logical + 0x100, RingLogical + 0xC00, 2048);
	}
	if (NT_SUCCESS(Status)) {
		Expected = EduAllocatePool(EDU_RING_SIZE);
		if (Expected) {
			RtlCopyMemory(Expected + 0xC00, Ctx->Source.Va + 0x100, 2048);
			Ok = EduSame(Ctx->Ring.Va, Expected, EDU_RING_SIZE);
			EduFreePool(Expected);
		}
	}
	EDU_CHECK(Ctx, "token_segment_dma", NT_SUCCESS(Status) && Ok,
		  "descriptor ring: token [%#llx, +%lu KiB), segment at offset %#lx = %#llx: 2048 bytes %s (%s)",
		  Ctx->RingToken ? Ctx->RingToken->LogicalAddressBase : 0, EDU_TOKEN_SIZE / 1024,
		  EDU_RING_OFFSET, RingLogical, Ok ? "verified" : "DIFFER", EduStatusName(Status));
	if (!Ctx->RingMapped)
		return;

	/* unmapped, the segment takes no write; mapped again, it works */
	Status = Ctx->V2->UnmapReservedLogicalRange(&Ctx->RingSegment);
	if (NT_SUCCESS(Status)) {
		Ctx->RingMapped = FALSE;
		RtlFillMemory(Ctx->Ring.Va, EDU_RING_SIZE, 0xA5);
		Status = EduDmaOnce(Ctx, RingLogical + 0xC00, 2048, TRUE);
		Dropped = EduAllFilled(Ctx->Ring.Va, EDU_RING_SIZE, 0xA5);
	}
	if (NT_SUCCESS(Status)) {
		EduDescribeMdl(&Ctx->Ring, &Pa);
		Status = Ctx->V2->MapReservedLogicalRange(Ctx->RingToken, EDU_RING_OFFSET, EDU_RW,
							  &Pa, &Ctx->RingSegment);
		Ctx->RingMapped = NT_SUCCESS(Status);
	}
	EDU_CHECK(Ctx, "token_segment_unmap", NT_SUCCESS(Status) && Dropped,
		  "ring segment unmapped: the device's write to %#llx %s; mapped again (%s)",
		  RingLogical, Dropped ? "changed nothing" : "LANDED", EduStatusName(Status));
}

static VOID EduHoleAndWindow(struct _EDU_CONTEXT *Ctx)
{
	IOMMU_DMA_LOGICAL_ADDRESS Min = Ctx->Hole.Base;
	IOMMU_DMA_LOGICAL_ADDRESS Max = Ctx->Hole.Base + Ctx->Hole.NumberOfPages * PAGE_SIZE - 1;
	IOMMU_DMA_LOGICAL_ADDRESS Out = 0;
	IOMMU_MAP_PHYSICAL_ADDRESS Pa;
	NTSTATUS Status;

	/* a window that lies wholly inside the hole has no address to give */
	EduDescribeMdl(&Ctx->Source, &Pa);
	Status = Ctx->V2->MapLogicalRangeEx(Ctx->Domain, IOMMU_ACCESS_READ, &Pa, NULL, &Min, &Max,
					    &Out);
	if (NT_SUCCESS(Status))
		Ctx->V2->UnmapLogicalRange(Ctx->Domain, Out, 1);
	EDU_CHECK(Ctx, "reserved_hole_never_allocated", Status == STATUS_INVALID_PARAMETER_MIX,
		  "reserved hole [%#llx, %#llx]: a page asked for inside it gets %s (STATUS_INVALID_PARAMETER_MIX expected)",
		  Min, Max, EduStatusName(Status));

	/* a window right above it: the lowest free address inside it */
	Min = Max + 1;
	Max = Min + 16 * PAGE_SIZE - 1;
	Out = 0;
	Status = Ctx->V2->MapLogicalRangeEx(Ctx->Domain, IOMMU_ACCESS_READ, &Pa, NULL, &Min, &Max,
					    &Out);
	if (NT_SUCCESS(Status))
		Status = Ctx->V2->UnmapLogicalRange(Ctx->Domain, Out, 1);
	EDU_CHECK(Ctx, "window_placement", NT_SUCCESS(Status) && Out == Min,
		  "window [%#llx, %#llx]: a page placed at %#llx, then unmapped (%s)",
		  Min, Max, Out, EduStatusName(Status));
}

static VOID EduUnmappedPage(struct _EDU_CONTEXT *Ctx)
{
	NTSTATUS Status;
	BOOLEAN Dropped = FALSE;

	/* the device's buffer still holds data; aim it at a page just unmapped */
	Status = EduUnmapBuffer(Ctx, &Ctx->Destination);
	if (NT_SUCCESS(Status)) {
		RtlFillMemory(Ctx->Destination.Va, PAGE_SIZE, 0x5A);
		Status = EduDmaOnce(Ctx, Ctx->Destination.Logical, 2048, TRUE);
		Dropped = EduAllFilled(Ctx->Destination.Va, PAGE_SIZE, 0x5A);
	}
	EDU_CHECK(Ctx, "unmapped_write_dropped", NT_SUCCESS(Status) && Dropped,
		  "page unmapped (UnmapLogicalRange): the device's write to %#llx %s (%s)",
		  Ctx->Destination.Logical, Dropped ? "changed nothing" : "LANDED",
		  EduStatusName(Status));
}

static VOID EduRunTranslate(struct _EDU_CONTEXT *Ctx)
{
	IOMMU_DMA_DOMAIN_CREATION_FLAGS Flags = { .AsUlonglong = 0 };
	IOMMU_DMA_LOGICAL_ALLOCATOR_CONFIG Buddy = {
		.LogicalAllocatorType = IommuDmaLogicalAllocatorBuddy,
	};
	ULONG Bits;
	NTSTATUS Status;

	Ctx->AllocatorWidth = Ctx->Device->DmaAddressWidth;
	if (Ctx->AllocatorWidth > EDU_ALLOCATOR_MAX_WIDTH)
		Ctx->AllocatorWidth = EDU_ALLOCATOR_MAX_WIDTH;
	Buddy.BuddyAllocatorConfig.AddressWidth = Ctx->AllocatorWidth;
	Ctx->Hole.RegionNext = NULL;
	Ctx->Hole.Base = EDU_HOLE_BASE;
	Ctx->Hole.NumberOfPages = EDU_HOLE_PAGES;
	Ctx->Hole.ShouldMap = FALSE;

	Status = Ctx->V2->CreateDomainEx(DomainTypeTranslate, Flags, &Buddy, &Ctx->Hole,
					 &Ctx->Domain);
	EDU_CHECK(Ctx, "create_domain", NT_SUCCESS(Status),
		  "CreateDomainEx(Translate, buddy AddressWidth %u, hole [%#llx, +%u pages]): %s",
		  Ctx->AllocatorWidth, Ctx->Hole.Base, EDU_HOLE_PAGES, EduStatusName(Status));
	if (!NT_SUCCESS(Status)) {
		Ctx->Domain = NULL;
		return;
	}
	if (!EduAttach(Ctx))
		return;

	EduOnePage(Ctx);
	if (!Ctx->Source.Mapped)
		return;
	EduScatter(Ctx);
	EduLarge(Ctx);
	EduTokenRing(Ctx);
	EduHoleAndWindow(Ctx);
	EduUnmappedPage(Ctx);

	Bits = EduBitWidth(Ctx->Highest);
	if (Bits < Ctx->AllocatorWidth)
		EduLog(Ctx->Device,
		       "allocator: asked for %u bits; addresses handed out reach %#llx (%u bits): winiommu narrowed it at attach to what the IOMMU and the device reach",
		       Ctx->AllocatorWidth, Ctx->Highest, Bits);
	else
		EduLog(Ctx->Device,
		       "allocator: asked for %u bits; addresses handed out reach %#llx: the whole width is reachable",
		       Ctx->AllocatorWidth, Ctx->Highest);
}

/* ---- passthrough ---------------------------------------------------------- */

static VOID EduRunPassThrough(struct _EDU_CONTEXT *Ctx)
{
	static const struct _EDU_TRANSFER Transfers[] = {
		{ 0x0C00, 0x2E00, 2048 },
		{ 0x1F00, 0x3A00, 1536 },
	};
	IOMMU_DMA_DOMAIN_CREATION_FLAGS Flags = { .AsUlonglong = 0 };
	IOMMU_DMA_LOGICAL_ADDRESS Out = 0;
	IOMMU_MAP_PHYSICAL_ADDRESS Pa;
	NTSTATUS Status, Refused;
	NTSTATUS MapStatus = STATUS_UNSUCCESSFUL, UnmapStatus = STATUS_UNSUCCESSFUL;
	BOOLEAN Ok, Same = FALSE, During = FALSE, After = FALSE;

	Status = Ctx->V2->CreateDomainEx(DomainTypePassThrough, Flags, NULL, NULL, &Ctx->Domain);
	EDU_CHECK(Ctx, "create_domain", NT_SUCCESS(Status),
		  "CreateDomainEx(PassThrough, no allocator): %s", EduStatusName(Status));
	if (!NT_SUCCESS(Status)) {
		Ctx->Domain = NULL;
		return;
	}
	if (!EduAttach(Ctx))
		return;

	Status = EduAllocateBuffer(&Ctx->Source, EduMemoryPool, PAGE_SIZE);
	if (NT_SUCCESS(Status))
		Status = EduAllocateBuffer(&Ctx->Destination, EduMemoryPool, PAGE_SIZE);
	if (NT_SUCCESS(Status))
		Status = EduAllocateBuffer(&Ctx->Ring, EduMemoryPool, EDU_RING_SIZE);
	if (!NT_SUCCESS(Status)) {
		EDU_CHECK(Ctx, "buffers", FALSE, "allocating buffers: %s", EduStatusName(Status));
		return;
	}

	/* the device sees physical memory: logical mappings make no sense here */
	EduDescribeMdl(&Ctx->Source, &Pa);
	Refused = Ctx->V2->MapLogicalRangeEx(Ctx->Domain, IOMMU_ACCESS_READ, &Pa, NULL, NULL, NULL,
					     &Out);
	EDU_CHECK(Ctx, "logical_map_refused", Refused == STATUS_INVALID_PARAMETER_1,
		  "MapLogicalRangeEx on a PassThrough domain: %s (STATUS_INVALID_PARAMETER_1 expected)",
		  EduStatusName(Refused));

	EduFillPattern(Ctx->Source.Va, PAGE_SIZE, 0x44);
	Status = EduCopy(Ctx, EduPhysical(&Ctx->Source), EduPhysical(&Ctx->Destination), PAGE_SIZE);
	Ok = NT_SUCCESS(Status) && EduSame(Ctx->Source.Va, Ctx->Destination.Va, PAGE_SIZE);
	EDU_CHECK(Ctx, "dma_physical", Ok,
		  "one page at its physical address %#llx -> edu -> %#llx, %lu bytes %s (%s)",
		  EduPhysical(&Ctx->Source), EduPhysical(&Ctx->Destination), PAGE_SIZE,
		  Ok ? "verified" : "DIFFER", EduStatusName(Status));

	/* across page seams only where the memory is physically contiguous */
	EduFillPattern(Ctx->Ring.Va, EDU_RING_SIZE, 0x55);
	Status = EduShadowCopy(Ctx, &Ctx->Ring, EduPhysical(&Ctx->Ring), Transfers,
			       ARRAYSIZE(Transfers), &Same);
	EDU_CHECK(Ctx, "dma_physical_contiguous", NT_SUCCESS(Status) && Same,
		  "4 contiguous pages at %#llx: %u copies across page seams, %lu bytes %s (%s)",
		  EduPhysical(&Ctx->Ring), (ULONG)ARRAYSIZE(Transfers), EDU_RING_SIZE,
		  Same ? "verified" : "DIFFER", EduStatusName(Status));

	/* identity ranges: accepted, and the device sees the same either way */
	EduDescribeMdl(&Ctx->Destination, &Pa);
	MapStatus = Ctx->V2->MapIdentityRangeEx(Ctx->Domain, EDU_RW, &Pa);
	Ctx->DestinationIdentity = NT_SUCCESS(MapStatus);
	if (NT_SUCCESS(MapStatus)) {
		EduFillPattern(Ctx->Source.Va, PAGE_SIZE, 0x66);
		Status = EduCopy(Ctx, EduPhysical(&Ctx->Source), EduPhysical(&Ctx->Destination),
				 PAGE_SIZE);
		During = NT_SUCCESS(Status) &&
			 EduSame(Ctx->Source.Va, Ctx->Destination.Va, PAGE_SIZE);
		UnmapStatus = Ctx->V2->UnmapIdentityRangeEx(Ctx->Domain, &Pa);
		if (NT_SUCCESS(UnmapStatus))
			Ctx->DestinationIdentity = FALSE;
	}
	if (NT_SUCCESS(UnmapStatus)) {
		EduFillPattern(Ctx->Source.Va, PAGE_SIZE, 0x77);
		Status = EduCopy(Ctx, EduPhysical(&Ctx->Source), EduPhysical(&Ctx->Destination),
				 PAGE_SIZE);
		After = NT_SUCCESS(Status) &&
			EduSame(Ctx->Source.Va, Ctx->Destination.Va, PAGE_SIZE);
	}
	EDU_CHECK(Ctx, "identity_range_harmless",
		  NT_SUCCESS(MapStatus) && NT_SUCCESS(UnmapStatus) && During && After,
		  "MapIdentityRangeEx %s, UnmapIdentityRangeEx %s of %#llx: DMA there %s while mapped and %s after",
		  EduStatusName(MapStatus), EduStatusName(UnmapStatus),
		  EduPhysical(&Ctx->Destination),
		  During ? "works" : "FAILS", After ? "works" : "FAILS");
	EduLog(Ctx->Device,
	       "PassThrough: the device addresses RAM by physical address, every page of it, as if there were no IOMMU");
}

/* ---- unmanaged ------------------------------------------------------------ */

/*
 * Put a known pattern into the device's buffer through a short-lived
 * Translate domain, so that a later write from that buffer can be seen
 * if it landed.  Returns the logical address Destination had there.
 */
static BOOLEAN EduLoadPattern(struct _EDU_CONTEXT *Ctx, IOMMU_DMA_LOGICAL_ADDRESS *OldLogical)
{
	IOMMU_DMA_DOMAIN_CREATION_FLAGS Flags = { .AsUlonglong = 0 };
	IOMMU_DMA_LOGICAL_ALLOCATOR_CONFIG Buddy = {
		.LogicalAllocatorType = IommuDmaLogicalAllocatorBuddy,
		.BuddyAllocatorConfig.AddressWidth = 32,
	};
	NTSTATUS Status, Undo = STATUS_SUCCESS, Step;
	BOOLEAN Ok = FALSE;

	Status = Ctx->V2->CreateDomainEx(DomainTypeTranslate, Flags, &Buddy, NULL, &Ctx->Domain);
	if (!NT_SUCCESS(Status)) {
		Ctx->Domain = NULL;
		goto out;
	}
	Status = Ctx->V2->AttachDeviceEx(Ctx->Domain, Ctx->DmaDevice);
	if (NT_SUCCESS(Status)) {
		Ctx->Attached = TRUE;
		Status = EduMapBuffer(Ctx, &Ctx->Source, IOMMU_ACCESS_READ);
	}
	if (NT_SUCCESS(Status))
		Status = EduMapBuffer(Ctx, &Ctx->Destination, IOMMU_ACCESS_WRITE);
	if (NT_SUCCESS(Status)) {
		EduFillPattern(Ctx->Source.Va, PAGE_SIZE, 0x88);
		/* the buffer keeps the second half: the last step moved in */
		Status = EduCopy(Ctx, Ctx->Source.Logical, Ctx->Destination.Logical, PAGE_SIZE);
		Ok = NT_SUCCESS(Status) &&
		     EduSame(Ctx->Source.Va, Ctx->Destination.Va, PAGE_SIZE);
		*OldLogical = Ctx->Destination.Logical;
	}
	/* back out of the Translate domain completely; keep the first failure */
	if (Ctx->Destination.Mapped) {
		Step = EduUnmapBuffer(Ctx, &Ctx->Destination);
		Undo = NT_SUCCESS(Undo) ? Step : Undo;
	}
	if (Ctx->Source.Mapped) {
		Step = EduUnmapBuffer(Ctx, &Ctx->Source);
		Undo = NT_SUCCESS(Undo) ? Step : Undo;
	}
	if (Ctx->Attached) {
		Step = Ctx->V2->DetachDeviceEx(Ctx->DmaDevice);
		Undo = NT_SUCCESS(Undo) ? Step : Undo;
		Ctx->Attached = NT_SUCCESS(Step) ? FALSE : TRUE;
	}
	if (!Ctx->Attached) {
		Step = Ctx->V2->DeleteDomain(Ctx->Domain);
		Undo = NT_SUCCESS(Undo) ? Step : Undo;
		if (NT_SUCCESS(Step))
			Ctx->Domain = NULL;
	}
out:
	EDU_CHECK(Ctx, "pattern_loaded_via_translate", Ok && NT_SUCCESS(Undo),
		  "pattern loaded into the device through a Translate domain, copied back and verified, domain detached and deleted (%s, teardown %s)",
		  EduStatusName(Status), EduStatusName(Undo));
	return Ok && NT_SUCCESS(Undo);
}

static VOID EduRunUnmanaged(struct _EDU_CONTEXT *Ctx)
{
	IOMMU_DMA_DOMAIN_CREATION_FLAGS Flags = { .AsUlonglong = 0 };
	IOMMU_DMA_LOGICAL_ADDRESS OldLogical = 0;
	NTSTATUS Status, Write1, Write2;
	BOOLEAN Blocked;

	Status = EduAllocateBuffer(&Ctx->Source, EduMemoryPool, PAGE_SIZE);
	if (NT_SUCCESS(Status))
		Status = EduAllocateBuffer(&Ctx->Destination, EduMemoryPool, PAGE_SIZE);
	if (!NT_SUCCESS(Status)) {
		EDU_CHECK(Ctx, "buffers", FALSE, "allocating buffers: %s", EduStatusName(Status));
		return;
	}
	if (!EduLoadPattern(Ctx, &OldLogical))
		return;

	Status = Ctx->V2->CreateDomainEx(DomainTypeUnmanaged, Flags, NULL, NULL, &Ctx->Domain);
	EDU_CHECK(Ctx, "create_domain", NT_SUCCESS(Status),
		  "CreateDomainEx(Unmanaged): %s", EduStatusName(Status));
	if (!NT_SUCCESS(Status)) {
		Ctx->Domain = NULL;
		return;
	}
	if (!EduAttach(Ctx))
		return;

	Status = Ctx->V2->FlushDomain(Ctx->Domain);
	EDU_CHECK(Ctx, "flush_domain", NT_SUCCESS(Status),
		  "FlushDomain (the owner of an Unmanaged domain flushes its IOTLB): %s",
		  EduStatusName(Status));

	/* the device writes its pattern: to the page's physical address, and where it was */
	RtlFillMemory(Ctx->Destination.Va, PAGE_SIZE, 0x5A);
	Write1 = EduDmaOnce(Ctx, EduPhysical(&Ctx->Destination), 2048, TRUE);
	Write2 = EduDmaOnce(Ctx, OldLogical, 2048, TRUE);
	Blocked = EduAllFilled(Ctx->Destination.Va, PAGE_SIZE, 0x5A);
	EDU_CHECK(Ctx, "write_blocked_until_configure",
		  NT_SUCCESS(Write1) && NT_SUCCESS(Write2) && Blocked,
		  "Unmanaged domain, not configured: the device's writes to %#llx (physical) and %#llx (its old logical address) %s",
		  EduPhysical(&Ctx->Destination), OldLogical,
		  Blocked ? "changed nothing: DMA is blocked until ConfigureDomain" : "LANDED");
	EduSkip(Ctx->Device, "dma_after_configure",
		"ConfigureDomain cannot hand the IOMMU caller-built page tables in winiommu yet: the domain blocks all DMA until it is configured");
}

/* ---- start and stop ------------------------------------------------------- */

/**
 * EduStartDevice() - build the device's DMA setup and check it.
 * @Device: filled by the shell.
 *
 * Return: STATUS_SUCCESS once the checks ran, whatever their results
 * (they are reported); STATUS_INSUFFICIENT_RESOURCES without memory for
 * the context.
 */
NTSTATUS EduStartDevice(struct _EDU_DEVICE *Device)
{
	static const IOMMU_DMA_DOMAIN_TYPE Types[EduScenarioMax] = {
		DomainTypeTranslate, DomainTypePassThrough, DomainTypeUnmanaged,
	};
	IOMMU_DMA_DOMAIN_TYPE Type = Types[Device->Scenario];
	struct _EDU_CONTEXT *Ctx;
	ULONGLONG KibPerSecond = 0;

	Ctx = EduAllocatePool(sizeof(*Ctx));
	if (!Ctx)
		return STATUS_INSUFFICIENT_RESOURCES;
	Ctx->Device = Device;
	Device->Core = Ctx;

	EduLog(Device, "scenario %s: domain type %s; edu id %#x, addresses %u bits",
	       Device->ScenarioName, EduDomainTypeName(Type),
	       EduReadRegister32(Device, EDU_REG_IDENTIFICATION), Device->DmaAddressWidth);
	if (EduOpen(Ctx, Type)) {
		switch (Device->Scenario) {
		case EduScenarioTranslate:
			EduRunTranslate(Ctx);
			break;
		case EduScenarioPassThrough:
			EduRunPassThrough(Ctx);
			break;
		default:
			EduRunUnmanaged(Ctx);
			break;
		}
	}

	if (Ctx->DmaTimeNs)
		KibPerSecond = Ctx->BytesMoved * 1000000000ULL / Ctx->DmaTimeNs / 1024;
	EduLog(Device,
	       "DMA: %llu bytes in %u transfers, %llu ms of DMA: %llu KiB/s (QEMU's edu completes a transfer about %llu ms after it starts, whatever its size)",
	       Ctx->BytesMoved, Ctx->Transfers, Ctx->DmaTimeNs / 1000000, KibPerSecond,
	       Ctx->Transfers ? Ctx->DmaTimeNs / Ctx->Transfers / 1000000 : 0);
	EduLog(Device, "result: %s, %u of %u checks passed (scenario %s)",
	       Ctx->Failed ? "FAILED" : "PASS", Ctx->Checks - Ctx->Failed, Ctx->Checks,
	       Device->ScenarioName);
	return STATUS_SUCCESS;
}

/* Record the first failure of the teardown. */
static VOID EduUndo(struct _EDU_CONTEXT *Ctx, const char *Routine, NTSTATUS Status, ULONG *Calls,
		    ULONG *Errors)
{
	(*Calls)++;
	if (NT_SUCCESS(Status))
		return;
	(*Errors)++;
	EduLog(Ctx->Device, "teardown: %s returned %s", Routine, EduStatusName(Status));
}

/**
 * EduStopDevice() - undo everything EduStartDevice() set up.
 * @Device: the device.
 *
 * Unmaps, frees the token, detaches, deletes the domain and the DMA device,
 * then frees MDLs and memory: the reverse of the setup.
 */
VOID EduStopDevice(struct _EDU_DEVICE *Device)
{
	struct _EDU_CONTEXT *Ctx = Device->Core;
	IOMMU_MAP_PHYSICAL_ADDRESS Pa;
	struct _EDU_BUFFER *Buffers[5];
	ULONG Calls = 0, Errors = 0, i;

	if (!Ctx)
		return;
	Buffers[0] = &Ctx->Source;
	Buffers[1] = &Ctx->Destination;
	Buffers[2] = &Ctx->Scatter;
	Buffers[3] = &Ctx->Large;
	Buffers[4] = &Ctx->Ring;

	if (Ctx->RingMapped)
		EduUndo(Ctx, "UnmapReservedLogicalRange",
			Ctx->V2->UnmapReservedLogicalRange(&Ctx->RingSegment), &Calls, &Errors);
	if (Ctx->RingToken)
		EduUndo(Ctx, "FreeReservedLogicalAddressRange",
			Ctx->V2->FreeReservedLogicalAddressRange(Ctx->RingToken), &Calls, &Errors);
	for (i = 0; i < ARRAYSIZE(Buffers); i++)
		if (Buffers[i]->Mapped)
			EduUndo(Ctx, "UnmapLogicalRange", EduUnmapBuffer(Ctx, Buffers[i]), &Calls,
				&Errors);
	if (Ctx->DestinationIdentity) {
		EduDescribeMdl(&Ctx->Destination, &Pa);
		EduUndo(Ctx, "UnmapIdentityRangeEx",
			Ctx->V2->UnmapIdentityRangeEx(Ctx->Domain, &Pa), &Calls, &Errors);
	}
	if (Ctx->Attached)
		EduUndo(Ctx, "DetachDeviceEx", Ctx->V2->DetachDeviceEx(Ctx->DmaDevice), &Calls,
			&Errors);
	if (Ctx->Domain)
		EduUndo(Ctx, "DeleteDomain", Ctx->V2->DeleteDomain(Ctx->Domain), &Calls, &Errors);
	if (Ctx->DmaDevice)
		EduUndo(Ctx, "DeleteDevice", Ctx->V2->DeleteDevice(Ctx->DmaDevice), &Calls,
			&Errors);
	/* only now may the memory go: no mapping reaches it any more */
	for (i = 0; i < ARRAYSIZE(Buffers); i++)
		EduFreeBuffer(Buffers[i]);
	EduLog(Device, "teardown: %s (%u IOMMU calls, %u failed); MDLs and buffers freed",
	       Errors ? "FAILED" : "clean", Calls, Errors);
	Device->Core = NULL;
	EduFreePool(Ctx);
}
