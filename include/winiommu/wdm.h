/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (C) 2026 The winiommu authors
 *
 * The Windows face of winiommu.
 *
 * A Windows driver ported to Linux adds -I<winiommu>/include/winiommu to its
 * ccflags and writes "#include <wdm.h>".  It then finds the part of the
 * Windows kernel interface that winiommu implements: the DMA IOMMU interface
 * (IoGetIommuInterfaceEx and DMA_IOMMU_INTERFACE_EX with its V1, V2 and V3
 * tables, the legacy IoGetIommuInterface), the types those routines take,
 * and the MDL with the few MDL routines needed to describe memory.  Names,
 * member order, enumerator values and the x64 layout are Windows' own, so
 * driver logic written against the Windows header compiles unchanged; the
 * layout is checked at compile time at the end of this file.
 *
 * Base types follow the Windows LLP64 model: LONG and ULONG are 32 bits on
 * every architecture, unlike the Linux "long".
 *
 * Pages: every rule of the interface is stated in 4 KiB pages (page-aligned
 * physical memory, whole pages, page-aligned logical addresses, PFNs of
 * 4 KiB frames in MDLs and PFN arrays).  Ported drivers must keep those
 * 4 KiB semantics, and winiommu is built only where the Linux PAGE_SIZE is
 * 4096, so that a Linux PFN is a Windows PFN.
 *
 * Deliberately absent: the Windows PAGE_ALIGN() (Linux has a PAGE_ALIGN that
 * rounds up where Windows rounds down; use PAGE_ALIGN_DOWN() or MDL StartVa),
 * and anything of the WDK header outside the IOMMU interface and the MDL.
 *
 * This header is the one place where Windows names are used: checkpatch's
 * CamelCase and "do not add new typedefs" reports on this file and on
 * ntstatus.h are expected and intended, and scripts/style.sh accepts
 * them (CamelCase anywhere, for the names declared here).  It also tells
 * checkpatch the type names typedef'd here, which it cannot learn from a
 * typedef and would otherwise read, followed by "*name", as a
 * multiplication.  Everything else in winiommu uses Linux names.
 */
#ifndef _WINIOMMU_WDM_H
#define _WINIOMMU_WDM_H

#include <linux/types.h>
#include <linux/stddef.h>
#include <linux/build_bug.h>
#include <asm/bitsperlong.h>
#include <asm/byteorder.h>
#include <asm/page.h>

#include "ntstatus.h"

#if PAGE_SIZE != 4096
#error "winiommu requires 4 KiB pages (PAGE_SIZE == 4096)"
#endif

/* ------------------------------------------------------------------------
 * Base types (LLP64)
 * ------------------------------------------------------------------------
 */

#define VOID void

typedef void *PVOID;
typedef char CHAR, *PCHAR;
typedef unsigned char UCHAR, *PUCHAR;
typedef s16 CSHORT;
typedef s16 SHORT;
typedef u16 USHORT;
typedef s32 LONG, *PLONG;
typedef u32 ULONG, *PULONG;
typedef s64 LONGLONG;
typedef u64 ULONGLONG;
typedef u64 ULONG64;
typedef u32 UINT32;
typedef u8 BOOLEAN, *PBOOLEAN;

#ifndef TRUE
#define TRUE 1
#endif
#ifndef FALSE
#define FALSE 0
#endif

/*
 * Pointer-sized unsigned integers.  Windows makes SIZE_T an alias of
 * ULONG_PTR; here SIZE_T is the Linux size_t (same width everywhere), so
 * that it meets the IOMMU core's size_t arguments and "%zu" without casts.
 */
typedef unsigned long ULONG_PTR;
typedef size_t SIZE_T;

typedef PVOID HANDLE;

/* Nameless struct and union members, spelled as in the WDK. */
#ifndef DUMMYSTRUCTNAME
#define DUMMYSTRUCTNAME
#endif
#ifndef DUMMYUNIONNAME
#define DUMMYUNIONNAME
#endif

/* Calling convention marker: meaningless on Linux. */
#ifndef NTAPI
#define NTAPI
#endif

/* SAL annotations, kept in declarations for readability; they expand to nothing. */
#ifndef _In_
#define _In_
#endif
#ifndef _In_opt_
#define _In_opt_
#endif
#ifndef _Out_
#define _Out_
#endif
#ifndef _Out_opt_
#define _Out_opt_
#endif
#ifndef _Inout_
#define _Inout_
#endif
#ifndef _Inout_opt_
#define _Inout_opt_
#endif

/* 64-bit signed value that can also be seen as two 32-bit halves. */
typedef union _LARGE_INTEGER {
	struct {
#ifdef __BIG_ENDIAN
		LONG HighPart;
		ULONG LowPart;
#else
		ULONG LowPart;
		LONG HighPart;
#endif
	} DUMMYSTRUCTNAME;
	struct {
#ifdef __BIG_ENDIAN
		LONG HighPart;
		ULONG LowPart;
#else
		ULONG LowPart;
		LONG HighPart;
#endif
	} u;
	LONGLONG QuadPart;
} LARGE_INTEGER, *PLARGE_INTEGER;

typedef LARGE_INTEGER PHYSICAL_ADDRESS, *PPHYSICAL_ADDRESS;

/* Page frame number of a 4 KiB frame; pointer-sized as on Windows. */
typedef unsigned long PFN_NUMBER, *PPFN_NUMBER;

typedef struct _LIST_ENTRY {
	struct _LIST_ENTRY *Flink;
	struct _LIST_ENTRY *Blink;
} LIST_ENTRY, *PLIST_ENTRY;

/*
 * A Windows PDO is, for winiommu, the Linux device the ported driver is
 * bound to: pass &pdev->dev wherever the interface takes a PDEVICE_OBJECT.
 */
struct device;
typedef struct device DEVICE_OBJECT, *PDEVICE_OBJECT;

/* IRPs and processes do not exist here; the types stay opaque. */
struct _IRP;
typedef struct _IRP IRP, *PIRP;
struct _EPROCESS;

/* ------------------------------------------------------------------------
 * Memory descriptor list
 * ------------------------------------------------------------------------
 *
 * The header is laid out as on Windows x64 (0x30 bytes) and is followed
 * directly by an array of PFN_NUMBER, one per 4 KiB page spanned by the
 * buffer [StartVa + ByteOffset, + ByteCount).
 */
typedef struct _MDL {
	struct _MDL *Next;
	CSHORT Size;		/* header + PFN array, in bytes */
	CSHORT MdlFlags;	/* MDL_* */
	struct _EPROCESS *Process;
	PVOID MappedSystemVa;
	PVOID StartVa;		/* page-aligned start of the buffer */
	ULONG ByteCount;	/* buffer length in bytes */
	ULONG ByteOffset;	/* offset of the buffer in its first page */
} MDL, *PMDL;

#define MDL_MAPPED_TO_SYSTEM_VA		0x0001
#define MDL_PAGES_LOCKED		0x0002
#define MDL_SOURCE_IS_NONPAGED_POOL	0x0004
#define MDL_ALLOCATED_FIXED_SIZE	0x0008
#define MDL_PARTIAL			0x0010
#define MDL_PARTIAL_HAS_BEEN_MAPPED	0x0020
#define MDL_IO_PAGE_READ		0x0040
#define MDL_WRITE_OPERATION		0x0080
#define MDL_LOCKED_PAGE_TABLES		0x0100
#define MDL_PARENT_MAPPED_SYSTEM_VA	MDL_LOCKED_PAGE_TABLES
#define MDL_FREE_EXTRA_PTES		0x0200
#define MDL_DESCRIBES_AWE		0x0400
#define MDL_IO_SPACE			0x0800
#define MDL_NETWORK_HEADER		0x1000
#define MDL_MAPPING_CAN_FAIL		0x2000
#define MDL_PAGE_CONTENTS_INVARIANT	0x4000
#define MDL_ALLOCATED_MUST_SUCCEED	MDL_PAGE_CONTENTS_INVARIANT
#define MDL_INTERNAL			0x8000

/* Offset of a virtual address within its 4 KiB page. */
#define BYTE_OFFSET(Va)	((ULONG)((ULONG_PTR)(Va) & (PAGE_SIZE - 1)))

/* Number of pages needed for Size bytes, rounded up. */
#define BYTES_TO_PAGES(Size) \
	((ULONG)(((ULONG_PTR)(Size) + PAGE_SIZE - 1) >> PAGE_SHIFT))

/* Size rounded up to a whole number of pages. */
#define ROUND_TO_PAGES(Size) \
	(((ULONG_PTR)(Size) + PAGE_SIZE - 1) & ~((ULONG_PTR)PAGE_SIZE - 1))

/* Number of pages touched by the buffer [Va, Va + Size). */
#define ADDRESS_AND_SIZE_TO_SPAN_PAGES(Va, Size) \
	((ULONG)((((ULONG_PTR)(Va) & (PAGE_SIZE - 1)) + \
		  (ULONG_PTR)(Size) + PAGE_SIZE - 1) >> PAGE_SHIFT))

/* The PFN array stored right after the MDL header. */
static inline PPFN_NUMBER MmGetMdlPfnArray(PMDL Mdl)
{
	return (PPFN_NUMBER)(Mdl + 1);
}

/* Page-aligned start address of the buffer. */
static inline PVOID MmGetMdlBaseVa(PMDL Mdl)
{
	return Mdl->StartVa;
}

/* Length of the buffer in bytes. */
static inline ULONG MmGetMdlByteCount(PMDL Mdl)
{
	return Mdl->ByteCount;
}

/* Offset of the buffer within its first page. */
static inline ULONG MmGetMdlByteOffset(PMDL Mdl)
{
	return Mdl->ByteOffset;
}

/* Virtual address of the first byte of the buffer. */
static inline PVOID MmGetMdlVirtualAddress(PMDL Mdl)
{
	return (PCHAR)Mdl->StartVa + Mdl->ByteOffset;
}

/* Implemented in module/mdl.c; see the kernel-doc there. */
PMDL IoAllocateMdl(_In_opt_ PVOID VirtualAddress, _In_ ULONG Length,
		   _In_ BOOLEAN SecondaryBuffer, _In_ BOOLEAN ChargeQuota,
		   _Inout_opt_ PIRP Irp);
VOID MmBuildMdlForNonPagedPool(_Inout_ PMDL MemoryDescriptorList);
VOID IoFreeMdl(_In_ PMDL Mdl);

/* ------------------------------------------------------------------------
 * DMA IOMMU interface: versions, permissions, handles (contract §3, §5)
 * ------------------------------------------------------------------------
 */

#define DMA_IOMMU_INTERFACE_VERSION		1
#define DMA_IOMMU_INTERFACE_VERSION_1		1

#define DMA_IOMMU_INTERFACE_EX_VERSION		1
#define DMA_IOMMU_INTERFACE_EX_VERSION_1	1
#define DMA_IOMMU_INTERFACE_EX_VERSION_2	2
/*
 * No public source spells the V3 constant: the WDK metadata predates V3 and
 * still has ..._EX_VERSION_MAX = 2.  Version 3 selects the V3 union member,
 * so winiommu names it ..._EX_VERSION_3 and raises ..._EX_VERSION_MAX to 3.
 */
#define DMA_IOMMU_INTERFACE_EX_VERSION_3	3
#define DMA_IOMMU_INTERFACE_EX_VERSION_MIN	DMA_IOMMU_INTERFACE_EX_VERSION_1
#define DMA_IOMMU_INTERFACE_EX_VERSION_MAX	DMA_IOMMU_INTERFACE_EX_VERSION_3

/* Permissions: bit 0 read, bit 1 write, bits 2-31 reserved (must be 0). */
#define IOMMU_ACCESS_NONE	0
#define IOMMU_ACCESS_READ	1
#define IOMMU_ACCESS_WRITE	2

/* Opaque objects made by CreateDomain[Ex], CreateDevice, CreatePasidDevice. */
typedef struct _IOMMU_DMA_DOMAIN IOMMU_DMA_DOMAIN, *PIOMMU_DMA_DOMAIN;
typedef struct _IOMMU_DMA_DEVICE IOMMU_DMA_DEVICE, *PIOMMU_DMA_DEVICE;
typedef struct _IOMMU_DMA_PASID_DEVICE IOMMU_DMA_PASID_DEVICE, *PIOMMU_DMA_PASID_DEVICE;

/* A device-visible (IO virtual) address. */
typedef ULONGLONG IOMMU_DMA_LOGICAL_ADDRESS, *PIOMMU_DMA_LOGICAL_ADDRESS;

/* ------------------------------------------------------------------------
 * Types (contract §6)
 * ------------------------------------------------------------------------
 */

/* §6.1: in domain-type masks, type t is bit (1 << t). */
typedef enum _IOMMU_DMA_DOMAIN_TYPE {
	DomainTypeTranslate = 0,
	DomainTypePassThrough = 1,
	DomainTypeUnmanaged = 2,
	DomainTypeTranslateS1 = 3,
	DomainTypeMax = 4
} IOMMU_DMA_DOMAIN_TYPE, *PIOMMU_DMA_DOMAIN_TYPE;

/* §6.2: passed by value; no flags defined, must be 0. */
typedef union _IOMMU_DMA_DOMAIN_CREATION_FLAGS {
	struct {
		ULONGLONG Reserved : 64;
	};
	ULONGLONG AsUlonglong;
} IOMMU_DMA_DOMAIN_CREATION_FLAGS, *PIOMMU_DMA_DOMAIN_CREATION_FLAGS;

/* §6.3 */
typedef enum _IOMMU_DMA_LOGICAL_ALLOCATOR_TYPE {
	IommuDmaLogicalAllocatorNone = 0,
	IommuDmaLogicalAllocatorBuddy = 1,
	IommuDmaLogicalAllocatorMax = 2
} IOMMU_DMA_LOGICAL_ALLOCATOR_TYPE, *PIOMMU_DMA_LOGICAL_ALLOCATOR_TYPE;

/* §6.4: AddressWidth is the number of usable logical address bits. */
typedef struct _IOMMU_DMA_LOGICAL_ALLOCATOR_CONFIG {
	IOMMU_DMA_LOGICAL_ALLOCATOR_TYPE LogicalAllocatorType;
	union {
		struct {
			ULONG AddressWidth;
		} BuddyAllocatorConfig;
	};
} IOMMU_DMA_LOGICAL_ALLOCATOR_CONFIG, *PIOMMU_DMA_LOGICAL_ALLOCATOR_CONFIG;

/* §6.5: NULL-terminated list; Base page aligned, size in pages. */
typedef struct _IOMMU_DMA_RESERVED_REGION {
	struct _IOMMU_DMA_RESERVED_REGION *RegionNext;
	IOMMU_DMA_LOGICAL_ADDRESS Base;
	SIZE_T NumberOfPages;
	BOOLEAN ShouldMap;
} IOMMU_DMA_RESERVED_REGION, *PIOMMU_DMA_RESERVED_REGION;

/* §6.6 */
typedef enum _IOMMU_MAP_PHYSICAL_ADDRESS_TYPE {
	MapPhysicalAddressTypeMdl = 0,
	MapPhysicalAddressTypeContiguousRange = 1,
	MapPhysicalAddressTypePfn = 2,
	MapPhysicalAddressTypeMax = 3
} IOMMU_MAP_PHYSICAL_ADDRESS_TYPE, *PIOMMU_MAP_PHYSICAL_ADDRESS_TYPE;

/* §6.7: MapType selects the union member; ContiguousRange.Size is bytes. */
typedef struct _IOMMU_MAP_PHYSICAL_ADDRESS {
	IOMMU_MAP_PHYSICAL_ADDRESS_TYPE MapType;
	union {
		struct {
			PMDL Mdl;
		} Mdl;
		struct {
			PHYSICAL_ADDRESS Base;
			SIZE_T Size;
		} ContiguousRange;
		struct {
			PPFN_NUMBER PageFrame;
			SIZE_T NumberOfPages;
		} PfnArray;
	};
} IOMMU_MAP_PHYSICAL_ADDRESS, *PIOMMU_MAP_PHYSICAL_ADDRESS;

/* §6.8: a reserved logical range; OS-allocated, Size in bytes. */
typedef struct _IOMMU_DMA_LOGICAL_ADDRESS_TOKEN {
	IOMMU_DMA_LOGICAL_ADDRESS LogicalAddressBase;
	SIZE_T Size;
} IOMMU_DMA_LOGICAL_ADDRESS_TOKEN, *PIOMMU_DMA_LOGICAL_ADDRESS_TOKEN;

/* §6.9: one mapped piece of a token; caller storage, bytes. */
typedef struct _IOMMU_DMA_LOGICAL_ADDRESS_TOKEN_MAPPED_SEGMENT {
	PIOMMU_DMA_LOGICAL_ADDRESS_TOKEN OwningToken;
	SIZE_T Offset;
	SIZE_T Size;
} IOMMU_DMA_LOGICAL_ADDRESS_TOKEN_MAPPED_SEGMENT, *PIOMMU_DMA_LOGICAL_ADDRESS_TOKEN_MAPPED_SEGMENT;

/* §6.10 (Pasid: V3) */
typedef enum _IOMMU_DEVICE_CREATION_CONFIGURATION_TYPE {
	IommuDeviceCreationConfigTypeNone = 0,
	IommuDeviceCreationConfigTypeAcpi = 1,
	IommuDeviceCreationConfigTypeDeviceId = 2,
	IommuDeviceCreationConfigTypePasid = 3,
	IommuDeviceCreationConfigTypeMax = 4
} IOMMU_DEVICE_CREATION_CONFIGURATION_TYPE, *PIOMMU_DEVICE_CREATION_CONFIGURATION_TYPE;

/* §6.12: consecutive input mapping (stream) IDs of an ACPI device. */
typedef struct _IOMMU_DEVICE_CREATION_CONFIGURATION_ACPI {
	UINT32 InputMappingBase;
	UINT32 MappingsCount;
} IOMMU_DEVICE_CREATION_CONFIGURATION_ACPI, *PIOMMU_DEVICE_CREATION_CONFIGURATION_ACPI;

/* §6.13 (V3) */
typedef enum _IOMMU_PASID_CONFIGURATION_TYPE {
	PasidConfigTypeDefaultPasidOnly = 0,
	PasidConfigTypePasidTaggedDma = 1,
	PasidConfigTypeMax = 2
} IOMMU_PASID_CONFIGURATION_TYPE, *PIOMMU_PASID_CONFIGURATION_TYPE;

/* §6.14 (V3) */
typedef struct _IOMMU_DEVICE_CREATION_CONFIGURATION_PASID {
	IOMMU_PASID_CONFIGURATION_TYPE ConfigType;
	BOOLEAN SuppressPasidFaults;
} IOMMU_DEVICE_CREATION_CONFIGURATION_PASID, *PIOMMU_DEVICE_CREATION_CONFIGURATION_PASID;

/* §6.11: entries chained through NextConfiguration; ConfigType picks the member. */
typedef struct _IOMMU_DEVICE_CREATION_CONFIGURATION {
	LIST_ENTRY NextConfiguration;
	IOMMU_DEVICE_CREATION_CONFIGURATION_TYPE ConfigType;
	union {
		IOMMU_DEVICE_CREATION_CONFIGURATION_ACPI Acpi;
		PVOID DeviceId;
		IOMMU_DEVICE_CREATION_CONFIGURATION_PASID Pasid;
	};
} IOMMU_DEVICE_CREATION_CONFIGURATION, *PIOMMU_DEVICE_CREATION_CONFIGURATION;

/* §6.15 (V3): output of QueryDeviceInfo; 3 bytes, no padding. */
typedef struct _IOMMU_DMA_DEVICE_INFORMATION {
	BOOLEAN DefaultPasidEnabled;
	BOOLEAN PasidTaggedDmaEnabled;
	BOOLEAN PasidFaultsSuppressed;
} IOMMU_DMA_DEVICE_INFORMATION, *PIOMMU_DMA_DEVICE_INFORMATION;

/* §6.16: set of state items (interest at registration, changes on notify). */
typedef union _IOMMU_INTERFACE_STATE_CHANGE_FIELDS {
	struct {
		ULONG AvailableDomainTypes : 1;
		ULONG Reserved : 31;
	} DUMMYSTRUCTNAME;
	ULONG AsULONG;
} IOMMU_INTERFACE_STATE_CHANGE_FIELDS, *PIOMMU_INTERFACE_STATE_CHANGE_FIELDS;

/* §6.17: AvailableDomainTypes is a (1 << IOMMU_DMA_DOMAIN_TYPE) mask. */
typedef struct _IOMMU_INTERFACE_STATE_CHANGE {
	IOMMU_INTERFACE_STATE_CHANGE_FIELDS PresentFields;
	ULONG AvailableDomainTypes;
} IOMMU_INTERFACE_STATE_CHANGE, *PIOMMU_INTERFACE_STATE_CHANGE;

/* §6.18: one input mapping (SMMU stream) ID; QueryInputMappings element. */
typedef struct _INPUT_MAPPING_ELEMENT {
	ULONG InputMappingId;
} INPUT_MAPPING_ELEMENT, *PINPUT_MAPPING_ELEMENT;

/* §6.19 */
typedef enum _DOMAIN_CONFIGURATION_ARCH {
	DomainConfigurationArm64 = 0,
	DomainConfigurationX64 = 1,
	DomainConfigurationInvalid = 2
} DOMAIN_CONFIGURATION_ARCH, *PDOMAIN_CONFIGURATION_ARCH;

/* §6.21: an SMMU stage-1 context, tables in ARM VMSA format. */
typedef struct _DOMAIN_CONFIGURATION_ARM64 {
	PHYSICAL_ADDRESS Ttbr0;
	PHYSICAL_ADDRESS Ttbr1;
	ULONG Mair0;
	ULONG Mair1;
	UCHAR InputSize0;
	UCHAR InputSize1;
	BOOLEAN CoherentTableWalks;
	BOOLEAN TranslationEnabled;
} DOMAIN_CONFIGURATION_ARM64, *PDOMAIN_CONFIGURATION_ARM64;

/* §6.22: reserved for the system. */
typedef struct _DOMAIN_CONFIGURATION_X64 {
	PHYSICAL_ADDRESS FirstLevelPageTableRoot;
	BOOLEAN TranslationEnabled;
} DOMAIN_CONFIGURATION_X64, *PDOMAIN_CONFIGURATION_X64;

/* §6.20: ConfigureDomain input; Type picks the member. */
typedef struct _DOMAIN_CONFIGURATION {
	DOMAIN_CONFIGURATION_ARCH Type;
	union {
		DOMAIN_CONFIGURATION_ARM64 Arm64;
		DOMAIN_CONFIGURATION_X64 X64;
	};
} DOMAIN_CONFIGURATION, *PDOMAIN_CONFIGURATION;

/* §6.25: note the order differs from DOMAIN_CONFIGURATION_ARCH. */
typedef enum _FAULT_INFORMATION_ARCH {
	FaultInformationInvalid = 0,
	FaultInformationArm64 = 1,
	FaultInformationX64 = 2
} FAULT_INFORMATION_ARCH, *PFAULT_INFORMATION_ARCH;

/* §6.28 */
typedef struct _FAULT_INFORMATION_ARM64_FLAGS {
	ULONG WriteNotRead : 1;
	ULONG InstructionNotData : 1;
	ULONG Privileged : 1;
	ULONG FaultAddressValid : 1;
	ULONG Reserved : 28;
} FAULT_INFORMATION_ARM64_FLAGS, *PFAULT_INFORMATION_ARM64_FLAGS;

/* §6.29: the same enumeration serves both architectures. */
typedef enum _FAULT_INFORMATION_ARM64_TYPE {
	UnsupportedUpstreamTransaction = 0,
	AddressSizeFault = 1,
	TlbMatchConflict = 2,
	ExternalFault = 3,
	PermissionFault = 4,
	AccessFlagFault = 5,
	TranslationFault = 6,
	MaxFaultType = 7
} FAULT_INFORMATION_ARM64_TYPE, *PFAULT_INFORMATION_ARM64_TYPE,
	FAULT_INFORMATION_X64_TYPE, *PFAULT_INFORMATION_X64_TYPE;

/* §6.27 */
typedef struct _FAULT_INFORMATION_ARM64 {
	PVOID DomainHandle;
	PVOID FaultAddress;
	PDEVICE_OBJECT PhysicalDeviceObject;
	ULONG InputMappingId;
	FAULT_INFORMATION_ARM64_FLAGS Flags;
	FAULT_INFORMATION_ARM64_TYPE Type;
	ULONG64 IommuBaseAddress;
} FAULT_INFORMATION_ARM64, *PFAULT_INFORMATION_ARM64;

/* §6.30: no Microsoft page; layout from the public x64 kernel symbols. */
typedef struct _FAULT_INFORMATION_X64_FLAGS {
	ULONG FaultAddressValid : 1;
	ULONG Reserved : 31;
} FAULT_INFORMATION_X64_FLAGS, *PFAULT_INFORMATION_X64_FLAGS;

typedef struct _FAULT_INFORMATION_X64 {
	PVOID DomainHandle;
	PVOID FaultAddress;
	FAULT_INFORMATION_X64_FLAGS Flags;
	FAULT_INFORMATION_X64_TYPE Type;
	ULONG64 IommuBaseAddress;
	ULONG PciSegment;
} FAULT_INFORMATION_X64, *PFAULT_INFORMATION_X64;

/* §6.26: Type picks the member. */
typedef struct _FAULT_INFORMATION {
	FAULT_INFORMATION_ARCH Type;
	BOOLEAN IsStage1;
	union {
		FAULT_INFORMATION_ARM64 Arm64;
		FAULT_INFORMATION_X64 X64;
	};
} FAULT_INFORMATION, *PFAULT_INFORMATION;

/* §6.24: implemented by the driver; called in process context. */
typedef VOID IOMMU_DEVICE_FAULT_HANDLER(_In_ PVOID Context,
					_In_ PFAULT_INFORMATION FaultInformation);
typedef IOMMU_DEVICE_FAULT_HANDLER *PIOMMU_DEVICE_FAULT_HANDLER;

/* §6.23 */
typedef struct _DEVICE_FAULT_CONFIGURATION {
	PIOMMU_DEVICE_FAULT_HANDLER FaultHandler;
	PVOID FaultContext;
} DEVICE_FAULT_CONFIGURATION, *PDEVICE_FAULT_CONFIGURATION;

/* §7.2.11: implemented by the driver; also called once at registration. */
typedef VOID IOMMU_INTERFACE_STATE_CHANGE_CALLBACK(_In_ PIOMMU_INTERFACE_STATE_CHANGE StateChange,
						   _In_opt_ PVOID Context);
typedef IOMMU_INTERFACE_STATE_CHANGE_CALLBACK *PIOMMU_INTERFACE_STATE_CHANGE_CALLBACK;

/* ------------------------------------------------------------------------
 * Routine types (contract §7).  Each type T also has PT, a pointer to it.
 * ------------------------------------------------------------------------
 */

/*
 * V1 (§7.1).  DELETE, FLUSH_*, QUERY_INPUT_MAPPINGS, UNMAP_LOGICAL_RANGE and
 * DOMAIN_CONFIGURE are reused unchanged by V2 and V3.
 */
typedef NTSTATUS IOMMU_DOMAIN_CREATE(_In_ BOOLEAN OsManagedPageTable,
				     _Out_ PIOMMU_DMA_DOMAIN *DomainOut);
typedef IOMMU_DOMAIN_CREATE *PIOMMU_DOMAIN_CREATE;

typedef NTSTATUS IOMMU_DOMAIN_DELETE(_In_ PIOMMU_DMA_DOMAIN Domain);
typedef IOMMU_DOMAIN_DELETE *PIOMMU_DOMAIN_DELETE;

typedef NTSTATUS IOMMU_DOMAIN_ATTACH_DEVICE(_In_ PIOMMU_DMA_DOMAIN Domain,
					    _In_ PDEVICE_OBJECT PhysicalDeviceObject,
					    _In_ ULONG InputMappingIdBase,
					    _In_ ULONG MappingCount);
typedef IOMMU_DOMAIN_ATTACH_DEVICE *PIOMMU_DOMAIN_ATTACH_DEVICE;

typedef NTSTATUS IOMMU_DOMAIN_DETACH_DEVICE(_In_ PIOMMU_DMA_DOMAIN Domain,
					    _In_ PDEVICE_OBJECT PhysicalDeviceObject,
					    _In_ ULONG InputMappingId);
typedef IOMMU_DOMAIN_DETACH_DEVICE *PIOMMU_DOMAIN_DETACH_DEVICE;

typedef NTSTATUS IOMMU_FLUSH_DOMAIN(_In_ PIOMMU_DMA_DOMAIN Domain);
typedef IOMMU_FLUSH_DOMAIN *PIOMMU_FLUSH_DOMAIN;

typedef NTSTATUS IOMMU_FLUSH_DOMAIN_VA_LIST(_In_ PIOMMU_DMA_DOMAIN Domain,
					    _In_ BOOLEAN LastLevel,
					    _In_ ULONG Number,
					    _In_ PVOID VaList);
typedef IOMMU_FLUSH_DOMAIN_VA_LIST *PIOMMU_FLUSH_DOMAIN_VA_LIST;

/* STATUS_BUFFER_TOO_SMALL still reports the needed size in *ReturnLength. */
typedef NTSTATUS IOMMU_QUERY_INPUT_MAPPINGS(_In_ PDEVICE_OBJECT PhysicalDeviceObject,
					    _Inout_ PINPUT_MAPPING_ELEMENT Buffer,
					    _In_ ULONG BufferLength,
					    _Out_opt_ PULONG ReturnLength);
typedef IOMMU_QUERY_INPUT_MAPPINGS *PIOMMU_QUERY_INPUT_MAPPINGS;

typedef NTSTATUS IOMMU_MAP_LOGICAL_RANGE(_In_ PIOMMU_DMA_DOMAIN Domain,
					 _In_ ULONG Permissions,
					 _In_ PMDL Mdl,
					 _In_ ULONGLONG LogicalAddress);
typedef IOMMU_MAP_LOGICAL_RANGE *PIOMMU_MAP_LOGICAL_RANGE;

typedef NTSTATUS IOMMU_UNMAP_LOGICAL_RANGE(_In_ PIOMMU_DMA_DOMAIN Domain,
					   _In_ ULONGLONG LogicalAddress,
					   _In_ ULONGLONG NumberOfPages);
typedef IOMMU_UNMAP_LOGICAL_RANGE *PIOMMU_UNMAP_LOGICAL_RANGE;

typedef NTSTATUS IOMMU_MAP_IDENTITY_RANGE(_In_ PIOMMU_DMA_DOMAIN Domain,
					  _In_ ULONG Permissions,
					  _In_ PMDL Mdl);
typedef IOMMU_MAP_IDENTITY_RANGE *PIOMMU_MAP_IDENTITY_RANGE;

typedef NTSTATUS IOMMU_UNMAP_IDENTITY_RANGE(_In_ PIOMMU_DMA_DOMAIN Domain,
					    _In_ PMDL Mdl);
typedef IOMMU_UNMAP_IDENTITY_RANGE *PIOMMU_UNMAP_IDENTITY_RANGE;

typedef NTSTATUS IOMMU_SET_DEVICE_FAULT_REPORTING(_In_ PDEVICE_OBJECT PhysicalDeviceObject,
						  _In_ ULONG InputMappingIdBase,
						  _In_ BOOLEAN Enable,
						  _In_opt_ PDEVICE_FAULT_CONFIGURATION FaultConfig);
typedef IOMMU_SET_DEVICE_FAULT_REPORTING *PIOMMU_SET_DEVICE_FAULT_REPORTING;

typedef NTSTATUS IOMMU_DOMAIN_CONFIGURE(_In_ PIOMMU_DMA_DOMAIN Domain,
					_In_ PDOMAIN_CONFIGURATION Configuration);
typedef IOMMU_DOMAIN_CONFIGURE *PIOMMU_DOMAIN_CONFIGURE;

/* V2 (§7.2), also in V3 */
typedef NTSTATUS
IOMMU_DOMAIN_CREATE_EX(_In_ IOMMU_DMA_DOMAIN_TYPE DomainType,
		       _In_ IOMMU_DMA_DOMAIN_CREATION_FLAGS Flags,
		       _In_opt_ PIOMMU_DMA_LOGICAL_ALLOCATOR_CONFIG LogicalAllocatorConfig,
		       _In_opt_ PIOMMU_DMA_RESERVED_REGION ReservedRegions,
		       _Out_ PIOMMU_DMA_DOMAIN *DomainOut);
typedef IOMMU_DOMAIN_CREATE_EX *PIOMMU_DOMAIN_CREATE_EX;

typedef NTSTATUS IOMMU_DOMAIN_ATTACH_DEVICE_EX(_In_ PIOMMU_DMA_DOMAIN Domain,
					       _In_ PIOMMU_DMA_DEVICE DmaDevice);
typedef IOMMU_DOMAIN_ATTACH_DEVICE_EX *PIOMMU_DOMAIN_ATTACH_DEVICE_EX;

typedef NTSTATUS IOMMU_DOMAIN_DETACH_DEVICE_EX(_In_ PIOMMU_DMA_DEVICE DmaDevice);
typedef IOMMU_DOMAIN_DETACH_DEVICE_EX *PIOMMU_DOMAIN_DETACH_DEVICE_EX;

typedef NTSTATUS
IOMMU_MAP_LOGICAL_RANGE_EX(_In_ PIOMMU_DMA_DOMAIN Domain,
			   _In_ ULONG Permissions,
			   _In_ PIOMMU_MAP_PHYSICAL_ADDRESS PhysicalAddressToMap,
			   _In_opt_ PIOMMU_DMA_LOGICAL_ADDRESS ExplicitLogicalAddress,
			   _In_opt_ PIOMMU_DMA_LOGICAL_ADDRESS MinLogicalAddress,
			   _In_opt_ PIOMMU_DMA_LOGICAL_ADDRESS MaxLogicalAddress,
			   _Out_ PIOMMU_DMA_LOGICAL_ADDRESS LogicalAddressOut);
typedef IOMMU_MAP_LOGICAL_RANGE_EX *PIOMMU_MAP_LOGICAL_RANGE_EX;

typedef NTSTATUS IOMMU_MAP_IDENTITY_RANGE_EX(_In_ PIOMMU_DMA_DOMAIN Domain,
					     _In_ ULONG Permissions,
					     _In_ PIOMMU_MAP_PHYSICAL_ADDRESS PhysicalAddressToMap);
typedef IOMMU_MAP_IDENTITY_RANGE_EX *PIOMMU_MAP_IDENTITY_RANGE_EX;

typedef NTSTATUS
IOMMU_UNMAP_IDENTITY_RANGE_EX(_In_ PIOMMU_DMA_DOMAIN Domain,
			      _In_ PIOMMU_MAP_PHYSICAL_ADDRESS MappedPhysicalAddress);
typedef IOMMU_UNMAP_IDENTITY_RANGE_EX *PIOMMU_UNMAP_IDENTITY_RANGE_EX;

/* Documented to return STATUS_NOT_IMPLEMENTED for any input. */
typedef NTSTATUS
IOMMU_SET_DEVICE_FAULT_REPORTING_EX(_In_ PIOMMU_DMA_DEVICE DmaDevice,
				    _In_ ULONG InputMappingIdBase,
				    _In_ BOOLEAN Enable,
				    _In_opt_ PDEVICE_FAULT_CONFIGURATION FaultConfig);
typedef IOMMU_SET_DEVICE_FAULT_REPORTING_EX *PIOMMU_SET_DEVICE_FAULT_REPORTING_EX;

typedef VOID IOMMU_DEVICE_QUERY_DOMAIN_TYPES(_In_ PIOMMU_DMA_DEVICE DmaDevice,
					     _Out_ PULONG AvailableDomains);
typedef IOMMU_DEVICE_QUERY_DOMAIN_TYPES *PIOMMU_DEVICE_QUERY_DOMAIN_TYPES;

typedef NTSTATUS IOMMU_REGISTER_INTERFACE_STATE_CHANGE_CALLBACK
	(_In_ PIOMMU_INTERFACE_STATE_CHANGE_CALLBACK StateChangeCallback,
	 _In_opt_ PVOID Context,
	 _In_ PIOMMU_DMA_DEVICE DmaDevice,
	 _In_ PIOMMU_INTERFACE_STATE_CHANGE_FIELDS StateFields);
typedef IOMMU_REGISTER_INTERFACE_STATE_CHANGE_CALLBACK
	*PIOMMU_REGISTER_INTERFACE_STATE_CHANGE_CALLBACK;

typedef NTSTATUS IOMMU_UNREGISTER_INTERFACE_STATE_CHANGE_CALLBACK
	(_In_ PIOMMU_INTERFACE_STATE_CHANGE_CALLBACK StateChangeCallback,
	 _In_ PIOMMU_DMA_DEVICE DmaDevice);
typedef IOMMU_UNREGISTER_INTERFACE_STATE_CHANGE_CALLBACK
	*PIOMMU_UNREGISTER_INTERFACE_STATE_CHANGE_CALLBACK;

typedef NTSTATUS
IOMMU_RESERVE_LOGICAL_ADDRESS_RANGE(_In_ PIOMMU_DMA_DOMAIN Domain,
				    _In_ SIZE_T Size,
				    _In_opt_ PIOMMU_DMA_LOGICAL_ADDRESS ExplicitLogicalAddress,
				    _In_opt_ PIOMMU_DMA_LOGICAL_ADDRESS MinLogicalAddress,
				    _In_opt_ PIOMMU_DMA_LOGICAL_ADDRESS MaxLogicalAddress,
				    _Out_ PIOMMU_DMA_LOGICAL_ADDRESS_TOKEN *LogicalAddressToken);
typedef IOMMU_RESERVE_LOGICAL_ADDRESS_RANGE *PIOMMU_RESERVE_LOGICAL_ADDRESS_RANGE;

typedef NTSTATUS IOMMU_FREE_RESERVED_LOGICAL_ADDRESS_RANGE
	(_In_ PIOMMU_DMA_LOGICAL_ADDRESS_TOKEN LogicalAddressToken);
typedef IOMMU_FREE_RESERVED_LOGICAL_ADDRESS_RANGE *PIOMMU_FREE_RESERVED_LOGICAL_ADDRESS_RANGE;

typedef NTSTATUS IOMMU_MAP_RESERVED_LOGICAL_RANGE
	(_Inout_ PIOMMU_DMA_LOGICAL_ADDRESS_TOKEN LogicalAddressToken,
	 _In_ SIZE_T Offset,
	 _In_ ULONG Permissions,
	 _In_ PIOMMU_MAP_PHYSICAL_ADDRESS PhysicalAddressToMap,
	 _Out_ PIOMMU_DMA_LOGICAL_ADDRESS_TOKEN_MAPPED_SEGMENT MappedSegment);
typedef IOMMU_MAP_RESERVED_LOGICAL_RANGE *PIOMMU_MAP_RESERVED_LOGICAL_RANGE;

typedef NTSTATUS IOMMU_UNMAP_RESERVED_LOGICAL_RANGE
	(_Inout_ PIOMMU_DMA_LOGICAL_ADDRESS_TOKEN_MAPPED_SEGMENT MappedSegment);
typedef IOMMU_UNMAP_RESERVED_LOGICAL_RANGE *PIOMMU_UNMAP_RESERVED_LOGICAL_RANGE;

typedef NTSTATUS IOMMU_DEVICE_CREATE(_In_ PDEVICE_OBJECT DeviceObject,
				     _In_opt_ PIOMMU_DEVICE_CREATION_CONFIGURATION DeviceConfig,
				     _Out_ PIOMMU_DMA_DEVICE *DmaDeviceOut);
typedef IOMMU_DEVICE_CREATE *PIOMMU_DEVICE_CREATE;

typedef NTSTATUS IOMMU_DEVICE_DELETE(_In_ PIOMMU_DMA_DEVICE DmaDevice);
typedef IOMMU_DEVICE_DELETE *PIOMMU_DEVICE_DELETE;

/* V3 (§7.3) */
typedef NTSTATUS IOMMU_PASID_DEVICE_CREATE(_In_ PIOMMU_DMA_DEVICE DmaDevice,
					   _Out_ PIOMMU_DMA_PASID_DEVICE *PasidDeviceOut,
					   _Out_ PULONG AsidOut);
typedef IOMMU_PASID_DEVICE_CREATE *PIOMMU_PASID_DEVICE_CREATE;

typedef NTSTATUS IOMMU_PASID_DEVICE_DELETE(_In_ PIOMMU_DMA_PASID_DEVICE PasidDevice);
typedef IOMMU_PASID_DEVICE_DELETE *PIOMMU_PASID_DEVICE_DELETE;

typedef NTSTATUS IOMMU_DOMAIN_ATTACH_PASID_DEVICE(_In_ PIOMMU_DMA_DOMAIN Domain,
						  _In_ PIOMMU_DMA_PASID_DEVICE PasidDevice);
typedef IOMMU_DOMAIN_ATTACH_PASID_DEVICE *PIOMMU_DOMAIN_ATTACH_PASID_DEVICE;

typedef NTSTATUS IOMMU_DOMAIN_DETACH_PASID_DEVICE(_In_ PIOMMU_DMA_PASID_DEVICE PasidDevice);
typedef IOMMU_DOMAIN_DETACH_PASID_DEVICE *PIOMMU_DOMAIN_DETACH_PASID_DEVICE;

typedef NTSTATUS IOMMU_DEVICE_QUERY_INFORMATION(_In_ PIOMMU_DMA_DEVICE DmaDevice,
						_In_ ULONG Size,
						_Out_ PULONG BytesWritten,
						_Out_ PIOMMU_DMA_DEVICE_INFORMATION Buffer);
typedef IOMMU_DEVICE_QUERY_INFORMATION *PIOMMU_DEVICE_QUERY_INFORMATION;

/* ------------------------------------------------------------------------
 * Interface tables (contract §4).  V1 and V2 are not slot compatible: only
 * DMA_IOMMU_INTERFACE_EX.Version says which union member is valid.  V3 is
 * V2 with five routines appended.
 * ------------------------------------------------------------------------
 */

/* Legacy (deprecated) table from IoGetIommuInterface: Version, then V1. */
typedef struct _DMA_IOMMU_INTERFACE {
	ULONG Version;
	PIOMMU_DOMAIN_CREATE CreateDomain;
	PIOMMU_DOMAIN_DELETE DeleteDomain;
	PIOMMU_DOMAIN_ATTACH_DEVICE AttachDevice;
	PIOMMU_DOMAIN_DETACH_DEVICE DetachDevice;
	PIOMMU_FLUSH_DOMAIN FlushDomain;
	PIOMMU_FLUSH_DOMAIN_VA_LIST FlushDomainByVaList;
	PIOMMU_QUERY_INPUT_MAPPINGS QueryInputMappings;
	PIOMMU_MAP_LOGICAL_RANGE MapLogicalRange;
	PIOMMU_UNMAP_LOGICAL_RANGE UnmapLogicalRange;
	PIOMMU_MAP_IDENTITY_RANGE MapIdentityRange;
	PIOMMU_UNMAP_IDENTITY_RANGE UnmapIdentityRange;
	PIOMMU_SET_DEVICE_FAULT_REPORTING SetDeviceFaultReporting;
	PIOMMU_DOMAIN_CONFIGURE ConfigureDomain;
} DMA_IOMMU_INTERFACE, *PDMA_IOMMU_INTERFACE;

typedef struct _DMA_IOMMU_INTERFACE_V1 {
	PIOMMU_DOMAIN_CREATE CreateDomain;
	PIOMMU_DOMAIN_DELETE DeleteDomain;
	PIOMMU_DOMAIN_ATTACH_DEVICE AttachDevice;
	PIOMMU_DOMAIN_DETACH_DEVICE DetachDevice;
	PIOMMU_FLUSH_DOMAIN FlushDomain;
	PIOMMU_FLUSH_DOMAIN_VA_LIST FlushDomainByVaList;
	PIOMMU_QUERY_INPUT_MAPPINGS QueryInputMappings;
	PIOMMU_MAP_LOGICAL_RANGE MapLogicalRange;
	PIOMMU_UNMAP_LOGICAL_RANGE UnmapLogicalRange;
	PIOMMU_MAP_IDENTITY_RANGE MapIdentityRange;
	PIOMMU_UNMAP_IDENTITY_RANGE UnmapIdentityRange;
	PIOMMU_SET_DEVICE_FAULT_REPORTING SetDeviceFaultReporting;
	PIOMMU_DOMAIN_CONFIGURE ConfigureDomain;
} DMA_IOMMU_INTERFACE_V1, *PDMA_IOMMU_INTERFACE_V1;

typedef struct _DMA_IOMMU_INTERFACE_V2 {
	PIOMMU_DOMAIN_CREATE_EX CreateDomainEx;
	PIOMMU_DOMAIN_DELETE DeleteDomain;
	PIOMMU_DOMAIN_ATTACH_DEVICE_EX AttachDeviceEx;
	PIOMMU_DOMAIN_DETACH_DEVICE_EX DetachDeviceEx;
	PIOMMU_FLUSH_DOMAIN FlushDomain;
	PIOMMU_FLUSH_DOMAIN_VA_LIST FlushDomainByVaList;
	PIOMMU_QUERY_INPUT_MAPPINGS QueryInputMappings;
	PIOMMU_MAP_LOGICAL_RANGE_EX MapLogicalRangeEx;
	PIOMMU_UNMAP_LOGICAL_RANGE UnmapLogicalRange;
	PIOMMU_MAP_IDENTITY_RANGE_EX MapIdentityRangeEx;
	PIOMMU_UNMAP_IDENTITY_RANGE_EX UnmapIdentityRangeEx;
	PIOMMU_SET_DEVICE_FAULT_REPORTING_EX SetDeviceFaultReportingEx;
	PIOMMU_DOMAIN_CONFIGURE ConfigureDomain;
	PIOMMU_DEVICE_QUERY_DOMAIN_TYPES QueryAvailableDomainTypes;
	PIOMMU_REGISTER_INTERFACE_STATE_CHANGE_CALLBACK RegisterInterfaceStateChangeCallback;
	PIOMMU_UNREGISTER_INTERFACE_STATE_CHANGE_CALLBACK UnregisterInterfaceStateChangeCallback;
	PIOMMU_RESERVE_LOGICAL_ADDRESS_RANGE ReserveLogicalAddressRange;
	PIOMMU_FREE_RESERVED_LOGICAL_ADDRESS_RANGE FreeReservedLogicalAddressRange;
	PIOMMU_MAP_RESERVED_LOGICAL_RANGE MapReservedLogicalRange;
	PIOMMU_UNMAP_RESERVED_LOGICAL_RANGE UnmapReservedLogicalRange;
	PIOMMU_DEVICE_CREATE CreateDevice;
	PIOMMU_DEVICE_DELETE DeleteDevice;
} DMA_IOMMU_INTERFACE_V2, *PDMA_IOMMU_INTERFACE_V2;

typedef struct _DMA_IOMMU_INTERFACE_V3 {
	PIOMMU_DOMAIN_CREATE_EX CreateDomainEx;
	PIOMMU_DOMAIN_DELETE DeleteDomain;
	PIOMMU_DOMAIN_ATTACH_DEVICE_EX AttachDeviceEx;
	PIOMMU_DOMAIN_DETACH_DEVICE_EX DetachDeviceEx;
	PIOMMU_FLUSH_DOMAIN FlushDomain;
	PIOMMU_FLUSH_DOMAIN_VA_LIST FlushDomainByVaList;
	PIOMMU_QUERY_INPUT_MAPPINGS QueryInputMappings;
	PIOMMU_MAP_LOGICAL_RANGE_EX MapLogicalRangeEx;
	PIOMMU_UNMAP_LOGICAL_RANGE UnmapLogicalRange;
	PIOMMU_MAP_IDENTITY_RANGE_EX MapIdentityRangeEx;
	PIOMMU_UNMAP_IDENTITY_RANGE_EX UnmapIdentityRangeEx;
	PIOMMU_SET_DEVICE_FAULT_REPORTING_EX SetDeviceFaultReportingEx;
	PIOMMU_DOMAIN_CONFIGURE ConfigureDomain;
	PIOMMU_DEVICE_QUERY_DOMAIN_TYPES QueryAvailableDomainTypes;
	PIOMMU_REGISTER_INTERFACE_STATE_CHANGE_CALLBACK RegisterInterfaceStateChangeCallback;
	PIOMMU_UNREGISTER_INTERFACE_STATE_CHANGE_CALLBACK UnregisterInterfaceStateChangeCallback;
	PIOMMU_RESERVE_LOGICAL_ADDRESS_RANGE ReserveLogicalAddressRange;
	PIOMMU_FREE_RESERVED_LOGICAL_ADDRESS_RANGE FreeReservedLogicalAddressRange;
	PIOMMU_MAP_RESERVED_LOGICAL_RANGE MapReservedLogicalRange;
	PIOMMU_UNMAP_RESERVED_LOGICAL_RANGE UnmapReservedLogicalRange;
	PIOMMU_DEVICE_CREATE CreateDevice;
	PIOMMU_DEVICE_DELETE DeleteDevice;
	PIOMMU_PASID_DEVICE_CREATE CreatePasidDevice;
	PIOMMU_PASID_DEVICE_DELETE DeletePasidDevice;
	PIOMMU_DOMAIN_ATTACH_PASID_DEVICE AttachPasidDevice;
	PIOMMU_DOMAIN_DETACH_PASID_DEVICE DetachPasidDevice;
	PIOMMU_DEVICE_QUERY_INFORMATION QueryDeviceInfo;
} DMA_IOMMU_INTERFACE_V3, *PDMA_IOMMU_INTERFACE_V3;

/*
 * Size and Version are filled in by IoGetIommuInterfaceEx.  A caller built
 * against pre-V3 headers owns only the V1/V2 part (0xc0 bytes on x64).
 */
typedef struct _DMA_IOMMU_INTERFACE_EX {
	SIZE_T Size;
	ULONG Version;
	union {
		DMA_IOMMU_INTERFACE_V1 V1;
		DMA_IOMMU_INTERFACE_V2 V2;
		DMA_IOMMU_INTERFACE_V3 V3;
	};
} DMA_IOMMU_INTERFACE_EX, *PDMA_IOMMU_INTERFACE_EX;

/* ------------------------------------------------------------------------
 * Entry points (contract §2), exported by winiommu.ko
 * ------------------------------------------------------------------------
 */
NTSTATUS IoGetIommuInterface(_In_ ULONG Version,
			     _Out_ PDMA_IOMMU_INTERFACE InterfaceOut);
NTSTATUS IoGetIommuInterfaceEx(_In_ ULONG Version, _In_ ULONGLONG Flags,
			       _Out_ PDMA_IOMMU_INTERFACE_EX InterfaceOut);

/* ------------------------------------------------------------------------
 * Layout checks: the Windows x64 sizes and offsets (contract §1.2, §4, §6)
 * ------------------------------------------------------------------------
 */
#define __WDM_CHECK_SIZE(type, size)	static_assert(sizeof(type) == (size))
#define __WDM_CHECK_OFFSET(type, member, off) \
	static_assert(offsetof(type, member) == (off))

/* Architecture-independent: the LLP64 widths. */
__WDM_CHECK_SIZE(CHAR, 1);
__WDM_CHECK_SIZE(UCHAR, 1);
__WDM_CHECK_SIZE(BOOLEAN, 1);
__WDM_CHECK_SIZE(CSHORT, 2);
__WDM_CHECK_SIZE(USHORT, 2);
__WDM_CHECK_SIZE(LONG, 4);
__WDM_CHECK_SIZE(ULONG, 4);
__WDM_CHECK_SIZE(UINT32, 4);
__WDM_CHECK_SIZE(NTSTATUS, 4);
__WDM_CHECK_SIZE(LONGLONG, 8);
__WDM_CHECK_SIZE(ULONGLONG, 8);
__WDM_CHECK_SIZE(ULONG64, 8);
__WDM_CHECK_SIZE(LARGE_INTEGER, 8);
__WDM_CHECK_SIZE(IOMMU_DMA_LOGICAL_ADDRESS, 8);
__WDM_CHECK_SIZE(ULONG_PTR, sizeof(void *));
__WDM_CHECK_SIZE(SIZE_T, sizeof(void *));
__WDM_CHECK_SIZE(PFN_NUMBER, sizeof(void *));

/* Enumerations are 32-bit ints. */
__WDM_CHECK_SIZE(IOMMU_DMA_DOMAIN_TYPE, 4);
__WDM_CHECK_SIZE(IOMMU_DMA_LOGICAL_ALLOCATOR_TYPE, 4);
__WDM_CHECK_SIZE(IOMMU_MAP_PHYSICAL_ADDRESS_TYPE, 4);
__WDM_CHECK_SIZE(IOMMU_DEVICE_CREATION_CONFIGURATION_TYPE, 4);
__WDM_CHECK_SIZE(IOMMU_PASID_CONFIGURATION_TYPE, 4);
__WDM_CHECK_SIZE(DOMAIN_CONFIGURATION_ARCH, 4);
__WDM_CHECK_SIZE(FAULT_INFORMATION_ARCH, 4);
__WDM_CHECK_SIZE(FAULT_INFORMATION_ARM64_TYPE, 4);

/* Layouts with no pointer in them. */
__WDM_CHECK_SIZE(IOMMU_DMA_DOMAIN_CREATION_FLAGS, 8);
__WDM_CHECK_SIZE(IOMMU_DMA_LOGICAL_ALLOCATOR_CONFIG, 8);
__WDM_CHECK_OFFSET(IOMMU_DMA_LOGICAL_ALLOCATOR_CONFIG, BuddyAllocatorConfig, 4);
__WDM_CHECK_SIZE(IOMMU_DEVICE_CREATION_CONFIGURATION_ACPI, 8);
__WDM_CHECK_SIZE(IOMMU_DEVICE_CREATION_CONFIGURATION_PASID, 8);
__WDM_CHECK_OFFSET(IOMMU_DEVICE_CREATION_CONFIGURATION_PASID, SuppressPasidFaults, 4);
__WDM_CHECK_SIZE(IOMMU_DMA_DEVICE_INFORMATION, 3);
__WDM_CHECK_SIZE(IOMMU_INTERFACE_STATE_CHANGE_FIELDS, 4);
__WDM_CHECK_SIZE(IOMMU_INTERFACE_STATE_CHANGE, 8);
__WDM_CHECK_SIZE(INPUT_MAPPING_ELEMENT, 4);
__WDM_CHECK_SIZE(FAULT_INFORMATION_ARM64_FLAGS, 4);
__WDM_CHECK_SIZE(FAULT_INFORMATION_X64_FLAGS, 4);

#if BITS_PER_LONG == 64
/* MDL header */
__WDM_CHECK_SIZE(MDL, 0x30);
__WDM_CHECK_OFFSET(MDL, Next, 0x00);
__WDM_CHECK_OFFSET(MDL, Size, 0x08);
__WDM_CHECK_OFFSET(MDL, MdlFlags, 0x0a);
__WDM_CHECK_OFFSET(MDL, Process, 0x10);
__WDM_CHECK_OFFSET(MDL, MappedSystemVa, 0x18);
__WDM_CHECK_OFFSET(MDL, StartVa, 0x20);
__WDM_CHECK_OFFSET(MDL, ByteCount, 0x28);
__WDM_CHECK_OFFSET(MDL, ByteOffset, 0x2c);

/*
 * Types of §6.  (Windows aligns 64-bit members to 8 bytes on 32-bit x86
 * too, Linux i386 does not, so even pointer-free layouts with a
 * PHYSICAL_ADDRESS are checked only here.)
 */
__WDM_CHECK_SIZE(DOMAIN_CONFIGURATION_ARM64, 0x20);
__WDM_CHECK_OFFSET(DOMAIN_CONFIGURATION_ARM64, Ttbr1, 0x08);
__WDM_CHECK_OFFSET(DOMAIN_CONFIGURATION_ARM64, Mair0, 0x10);
__WDM_CHECK_OFFSET(DOMAIN_CONFIGURATION_ARM64, Mair1, 0x14);
__WDM_CHECK_OFFSET(DOMAIN_CONFIGURATION_ARM64, InputSize0, 0x18);
__WDM_CHECK_OFFSET(DOMAIN_CONFIGURATION_ARM64, TranslationEnabled, 0x1b);
__WDM_CHECK_SIZE(DOMAIN_CONFIGURATION_X64, 0x10);
__WDM_CHECK_SIZE(DOMAIN_CONFIGURATION, 0x28);
__WDM_CHECK_OFFSET(DOMAIN_CONFIGURATION, Arm64, 8);
__WDM_CHECK_SIZE(LIST_ENTRY, 0x10);
__WDM_CHECK_SIZE(IOMMU_DMA_RESERVED_REGION, 0x20);
__WDM_CHECK_OFFSET(IOMMU_DMA_RESERVED_REGION, Base, 0x08);
__WDM_CHECK_OFFSET(IOMMU_DMA_RESERVED_REGION, NumberOfPages, 0x10);
__WDM_CHECK_OFFSET(IOMMU_DMA_RESERVED_REGION, ShouldMap, 0x18);
__WDM_CHECK_SIZE(IOMMU_MAP_PHYSICAL_ADDRESS, 0x18);
__WDM_CHECK_OFFSET(IOMMU_MAP_PHYSICAL_ADDRESS, Mdl, 0x08);
__WDM_CHECK_OFFSET(IOMMU_MAP_PHYSICAL_ADDRESS, ContiguousRange.Size, 0x10);
__WDM_CHECK_OFFSET(IOMMU_MAP_PHYSICAL_ADDRESS, PfnArray.NumberOfPages, 0x10);
__WDM_CHECK_SIZE(IOMMU_DMA_LOGICAL_ADDRESS_TOKEN, 0x10);
__WDM_CHECK_SIZE(IOMMU_DMA_LOGICAL_ADDRESS_TOKEN_MAPPED_SEGMENT, 0x18);
__WDM_CHECK_SIZE(IOMMU_DEVICE_CREATION_CONFIGURATION, 0x20);
__WDM_CHECK_OFFSET(IOMMU_DEVICE_CREATION_CONFIGURATION, ConfigType, 0x10);
__WDM_CHECK_OFFSET(IOMMU_DEVICE_CREATION_CONFIGURATION, Acpi, 0x18);
__WDM_CHECK_OFFSET(IOMMU_DEVICE_CREATION_CONFIGURATION, DeviceId, 0x18);
__WDM_CHECK_OFFSET(IOMMU_DEVICE_CREATION_CONFIGURATION, Pasid, 0x18);
__WDM_CHECK_SIZE(DEVICE_FAULT_CONFIGURATION, 0x10);
__WDM_CHECK_SIZE(FAULT_INFORMATION_ARM64, 0x30);
__WDM_CHECK_OFFSET(FAULT_INFORMATION_ARM64, FaultAddress, 0x08);
__WDM_CHECK_OFFSET(FAULT_INFORMATION_ARM64, PhysicalDeviceObject, 0x10);
__WDM_CHECK_OFFSET(FAULT_INFORMATION_ARM64, InputMappingId, 0x18);
__WDM_CHECK_OFFSET(FAULT_INFORMATION_ARM64, Flags, 0x1c);
__WDM_CHECK_OFFSET(FAULT_INFORMATION_ARM64, Type, 0x20);
__WDM_CHECK_OFFSET(FAULT_INFORMATION_ARM64, IommuBaseAddress, 0x28);
__WDM_CHECK_SIZE(FAULT_INFORMATION_X64, 0x28);
__WDM_CHECK_OFFSET(FAULT_INFORMATION_X64, FaultAddress, 0x08);
__WDM_CHECK_OFFSET(FAULT_INFORMATION_X64, Flags, 0x10);
__WDM_CHECK_OFFSET(FAULT_INFORMATION_X64, Type, 0x14);
__WDM_CHECK_OFFSET(FAULT_INFORMATION_X64, IommuBaseAddress, 0x18);
__WDM_CHECK_OFFSET(FAULT_INFORMATION_X64, PciSegment, 0x20);
__WDM_CHECK_SIZE(FAULT_INFORMATION, 0x38);
__WDM_CHECK_OFFSET(FAULT_INFORMATION, IsStage1, 0x04);
__WDM_CHECK_OFFSET(FAULT_INFORMATION, Arm64, 0x08);
__WDM_CHECK_OFFSET(FAULT_INFORMATION, X64, 0x08);

/* Tables (§1.2: slot n at n * 8) */
__WDM_CHECK_SIZE(DMA_IOMMU_INTERFACE, 0x70);
__WDM_CHECK_OFFSET(DMA_IOMMU_INTERFACE, CreateDomain, 0x08);
__WDM_CHECK_OFFSET(DMA_IOMMU_INTERFACE, ConfigureDomain, 0x68);
__WDM_CHECK_SIZE(DMA_IOMMU_INTERFACE_V1, 0x68);
__WDM_CHECK_OFFSET(DMA_IOMMU_INTERFACE_V1, QueryInputMappings, 0x30);
__WDM_CHECK_OFFSET(DMA_IOMMU_INTERFACE_V1, SetDeviceFaultReporting, 0x58);
__WDM_CHECK_OFFSET(DMA_IOMMU_INTERFACE_V1, ConfigureDomain, 0x60);
__WDM_CHECK_SIZE(DMA_IOMMU_INTERFACE_V2, 0xb0);
__WDM_CHECK_OFFSET(DMA_IOMMU_INTERFACE_V2, QueryAvailableDomainTypes, 0x68);
__WDM_CHECK_OFFSET(DMA_IOMMU_INTERFACE_V2, ReserveLogicalAddressRange, 0x80);
__WDM_CHECK_OFFSET(DMA_IOMMU_INTERFACE_V2, CreateDevice, 0xa0);
__WDM_CHECK_OFFSET(DMA_IOMMU_INTERFACE_V2, DeleteDevice, 0xa8);
__WDM_CHECK_SIZE(DMA_IOMMU_INTERFACE_V3, 0xd8);
__WDM_CHECK_OFFSET(DMA_IOMMU_INTERFACE_V3, CreateDomainEx, 0x00);
__WDM_CHECK_OFFSET(DMA_IOMMU_INTERFACE_V3, DeleteDomain, 0x08);
__WDM_CHECK_OFFSET(DMA_IOMMU_INTERFACE_V3, AttachDeviceEx, 0x10);
__WDM_CHECK_OFFSET(DMA_IOMMU_INTERFACE_V3, DetachDeviceEx, 0x18);
__WDM_CHECK_OFFSET(DMA_IOMMU_INTERFACE_V3, FlushDomain, 0x20);
__WDM_CHECK_OFFSET(DMA_IOMMU_INTERFACE_V3, FlushDomainByVaList, 0x28);
__WDM_CHECK_OFFSET(DMA_IOMMU_INTERFACE_V3, QueryInputMappings, 0x30);
__WDM_CHECK_OFFSET(DMA_IOMMU_INTERFACE_V3, MapLogicalRangeEx, 0x38);
__WDM_CHECK_OFFSET(DMA_IOMMU_INTERFACE_V3, UnmapLogicalRange, 0x40);
__WDM_CHECK_OFFSET(DMA_IOMMU_INTERFACE_V3, MapIdentityRangeEx, 0x48);
__WDM_CHECK_OFFSET(DMA_IOMMU_INTERFACE_V3, UnmapIdentityRangeEx, 0x50);
__WDM_CHECK_OFFSET(DMA_IOMMU_INTERFACE_V3, SetDeviceFaultReportingEx, 0x58);
__WDM_CHECK_OFFSET(DMA_IOMMU_INTERFACE_V3, ConfigureDomain, 0x60);
__WDM_CHECK_OFFSET(DMA_IOMMU_INTERFACE_V3, QueryAvailableDomainTypes, 0x68);
__WDM_CHECK_OFFSET(DMA_IOMMU_INTERFACE_V3, RegisterInterfaceStateChangeCallback, 0x70);
__WDM_CHECK_OFFSET(DMA_IOMMU_INTERFACE_V3, UnregisterInterfaceStateChangeCallback, 0x78);
__WDM_CHECK_OFFSET(DMA_IOMMU_INTERFACE_V3, ReserveLogicalAddressRange, 0x80);
__WDM_CHECK_OFFSET(DMA_IOMMU_INTERFACE_V3, FreeReservedLogicalAddressRange, 0x88);
__WDM_CHECK_OFFSET(DMA_IOMMU_INTERFACE_V3, MapReservedLogicalRange, 0x90);
__WDM_CHECK_OFFSET(DMA_IOMMU_INTERFACE_V3, UnmapReservedLogicalRange, 0x98);
__WDM_CHECK_OFFSET(DMA_IOMMU_INTERFACE_V3, CreateDevice, 0xa0);
__WDM_CHECK_OFFSET(DMA_IOMMU_INTERFACE_V3, DeleteDevice, 0xa8);
__WDM_CHECK_OFFSET(DMA_IOMMU_INTERFACE_V3, CreatePasidDevice, 0xb0);
__WDM_CHECK_OFFSET(DMA_IOMMU_INTERFACE_V3, DeletePasidDevice, 0xb8);
__WDM_CHECK_OFFSET(DMA_IOMMU_INTERFACE_V3, AttachPasidDevice, 0xc0);
__WDM_CHECK_OFFSET(DMA_IOMMU_INTERFACE_V3, DetachPasidDevice, 0xc8);
__WDM_CHECK_OFFSET(DMA_IOMMU_INTERFACE_V3, QueryDeviceInfo, 0xd0);
__WDM_CHECK_SIZE(DMA_IOMMU_INTERFACE_EX, 0xe8);
__WDM_CHECK_OFFSET(DMA_IOMMU_INTERFACE_EX, Size, 0x00);
__WDM_CHECK_OFFSET(DMA_IOMMU_INTERFACE_EX, Version, 0x08);
__WDM_CHECK_OFFSET(DMA_IOMMU_INTERFACE_EX, V1, 0x10);
__WDM_CHECK_OFFSET(DMA_IOMMU_INTERFACE_EX, V2, 0x10);
__WDM_CHECK_OFFSET(DMA_IOMMU_INTERFACE_EX, V3, 0x10);
/* The EX sizes a getter reports per version: 0x78, 0xc0, 0xe8. */
static_assert(offsetof(DMA_IOMMU_INTERFACE_EX, V1) +
	      sizeof(DMA_IOMMU_INTERFACE_V1) == 0x78);
static_assert(offsetof(DMA_IOMMU_INTERFACE_EX, V2) +
	      sizeof(DMA_IOMMU_INTERFACE_V2) == 0xc0);
#else
/* 32-bit: only the legacy table size is known from the symbols. */
__WDM_CHECK_SIZE(DMA_IOMMU_INTERFACE, 0x38);
#endif /* BITS_PER_LONG == 64 */

#undef __WDM_CHECK_OFFSET
#undef __WDM_CHECK_SIZE

#endif /* _WINIOMMU_WDM_H */
