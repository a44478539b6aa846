// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The winiommu authors
 *
 * The call layer: what the interface tables point at.  Each entry calls
 * the routine that implements it, then records the call for trace-cmd and
 * perf users (the routine's winiommu:* event with its key arguments, its
 * NTSTATUS and its duration) and for debugfs (calls and failures per
 * routine, failures per NTSTATUS).  Routines that call each other inside
 * winiommu (the V1 routines are built on V2) call the implementations, so
 * each call of a driver is recorded once, under the name it used.
 *
 * The cost on a call is a static-key test per event and a per-CPU
 * increment; the clock is read only while the event is enabled.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ktime.h>
#include <linux/percpu.h>

#include "winiommu.h"

#define CREATE_TRACE_POINTS
#include "trace.h"

const char *const winiommu_routine_names[WINIOMMU_NR_ROUTINES] = {
	[WINIOMMU_R_CREATE_DOMAIN] = "CreateDomain",
	[WINIOMMU_R_CREATE_DOMAIN_EX] = "CreateDomainEx",
	[WINIOMMU_R_DELETE_DOMAIN] = "DeleteDomain",
	[WINIOMMU_R_ATTACH_DEVICE] = "AttachDevice",
	[WINIOMMU_R_DETACH_DEVICE] = "DetachDevice",
	[WINIOMMU_R_ATTACH_DEVICE_EX] = "AttachDeviceEx",
	[WINIOMMU_R_DETACH_DEVICE_EX] = "DetachDeviceEx",
	[WINIOMMU_R_FLUSH_DOMAIN] = "FlushDomain",
	[WINIOMMU_R_FLUSH_DOMAIN_VA_LIST] = "FlushDomainByVaList",
	[WINIOMMU_R_QUERY_INPUT_MAPPINGS] = "QueryInputMappings",
	[WINIOMMU_R_MAP_LOGICAL_RANGE] = "MapLogicalRange",
	[WINIOMMU_R_MAP_LOGICAL_RANGE_EX] = "MapLogicalRangeEx",
	[WINIOMMU_R_UNMAP_LOGICAL_RANGE] = "UnmapLogicalRange",
	[WINIOMMU_R_MAP_IDENTITY_RANGE] = "MapIdentityRange",
	[WINIOMMU_R_MAP_IDENTITY_RANGE_EX] = "MapIdentityRangeEx",
	[WINIOMMU_R_UNMAP_IDENTITY_RANGE] = "UnmapIdentityRange",
	[WINIOMMU_R_UNMAP_IDENTITY_RANGE_EX] = "UnmapIdentityRangeEx",
	[WINIOMMU_R_SET_DEVICE_FAULT_REPORTING] = "SetDeviceFaultReporting",
	[WINIOMMU_R_SET_DEVICE_FAULT_REPORTING_EX] = "SetDeviceFaultReportingEx",
	[WINIOMMU_R_CONFIGURE_DOMAIN] = "ConfigureDomain",
	[WINIOMMU_R_QUERY_AVAILABLE_DOMAIN_TYPES] = "QueryAvailableDomainTypes",
	[WINIOMMU_R_REGISTER_STATE_CHANGE_CALLBACK] = "RegisterInterfaceStateChangeCallback",
	[WINIOMMU_R_UNREGISTER_STATE_CHANGE_CALLBACK] = "UnregisterInterfaceStateChangeCallback",
	[WINIOMMU_R_RESERVE_LOGICAL_ADDRESS_RANGE] = "ReserveLogicalAddressRange",
	[WINIOMMU_R_FREE_RESERVED_LOGICAL_ADDRESS_RANGE] = "FreeReservedLogicalAddressRange",
	[WINIOMMU_R_MAP_RESERVED_LOGICAL_RANGE] = "MapReservedLogicalRange",
	[WINIOMMU_R_UNMAP_RESERVED_LOGICAL_RANGE] = "UnmapReservedLogicalRange",
	[WINIOMMU_R_CREATE_DEVICE] = "CreateDevice",
	[WINIOMMU_R_DELETE_DEVICE] = "DeleteDevice",
	[WINIOMMU_R_CREATE_PASID_DEVICE] = "CreatePasidDevice",
	[WINIOMMU_R_DELETE_PASID_DEVICE] = "DeletePasidDevice",
	[WINIOMMU_R_ATTACH_PASID_DEVICE] = "AttachPasidDevice",
	[WINIOMMU_R_DETACH_PASID_DEVICE] = "DetachPasidDevice",
	[WINIOMMU_R_QUERY_DEVICE_INFO] = "QueryDeviceInfo",
};

/* Start of a call: the clock, only when its event is traced. */
static inline u64 winiommu_call_begin(bool traced)
{
	return traced ? ktime_get_ns() : 0;
}

static inline u64 winiommu_call_ns(u64 t0)
{
	return t0 ? ktime_get_ns() - t0 : 0;
}

/* The pages of an MDL, or 0 for none. */
static inline u64 winiommu_call_mdl_pages(PMDL mdl)
{
	return mdl ? MmGetMdlByteCount(mdl) >> PAGE_SHIFT : 0;
}

NTSTATUS winiommu_call_create_domain(BOOLEAN OsManagedPageTable, PIOMMU_DMA_DOMAIN *DomainOut)
{
	u64 t0 = winiommu_call_begin(trace_create_domain_enabled());
	NTSTATUS st = winiommu_create_domain(OsManagedPageTable, DomainOut);

	trace_create_domain(NT_SUCCESS(st) ? *DomainOut : NULL, NULL, OsManagedPageTable, 0, st,
			    winiommu_call_ns(t0));
	winiommu_stat_call(WINIOMMU_R_CREATE_DOMAIN, st);
	return st;
}

NTSTATUS winiommu_call_create_domain_ex(IOMMU_DMA_DOMAIN_TYPE DomainType,
					IOMMU_DMA_DOMAIN_CREATION_FLAGS Flags,
					PIOMMU_DMA_LOGICAL_ALLOCATOR_CONFIG LogicalAllocatorConfig,
					PIOMMU_DMA_RESERVED_REGION ReservedRegions,
					PIOMMU_DMA_DOMAIN *DomainOut)
{
	u64 t0 = winiommu_call_begin(trace_create_domain_ex_enabled());
	NTSTATUS st = winiommu_create_domain_ex(DomainType, Flags, LogicalAllocatorConfig,
						ReservedRegions, DomainOut);
	u64 width = 0;

	if (LogicalAllocatorConfig &&
	    LogicalAllocatorConfig->LogicalAllocatorType == IommuDmaLogicalAllocatorBuddy)
		width = LogicalAllocatorConfig->BuddyAllocatorConfig.AddressWidth;
	trace_create_domain_ex(NT_SUCCESS(st) ? *DomainOut : NULL, ReservedRegions, DomainType,
			       width, st, winiommu_call_ns(t0));
	winiommu_stat_call(WINIOMMU_R_CREATE_DOMAIN_EX, st);
	return st;
}

NTSTATUS winiommu_call_delete_domain(PIOMMU_DMA_DOMAIN Domain)
{
	u64 t0 = winiommu_call_begin(trace_delete_domain_enabled());
	NTSTATUS st = winiommu_delete_domain(Domain);

	trace_delete_domain(Domain, NULL, 0, 0, st, winiommu_call_ns(t0));
	winiommu_stat_call(WINIOMMU_R_DELETE_DOMAIN, st);
	return st;
}

NTSTATUS winiommu_call_v1_attach_device(PIOMMU_DMA_DOMAIN Domain,
					PDEVICE_OBJECT PhysicalDeviceObject,
					ULONG InputMappingIdBase, ULONG MappingCount)
{
	u64 t0 = winiommu_call_begin(trace_attach_device_enabled());
	NTSTATUS st = winiommu_v1_attach_device(Domain, PhysicalDeviceObject, InputMappingIdBase,
						MappingCount);

	trace_attach_device(Domain, PhysicalDeviceObject, InputMappingIdBase, MappingCount, st,
			    winiommu_call_ns(t0));
	winiommu_stat_call(WINIOMMU_R_ATTACH_DEVICE, st);
	return st;
}

NTSTATUS winiommu_call_v1_detach_device(PIOMMU_DMA_DOMAIN Domain,
					PDEVICE_OBJECT PhysicalDeviceObject,
					ULONG InputMappingId)
{
	u64 t0 = winiommu_call_begin(trace_detach_device_enabled());
	NTSTATUS st = winiommu_v1_detach_device(Domain, PhysicalDeviceObject, InputMappingId);

	trace_detach_device(Domain, PhysicalDeviceObject, InputMappingId, 0, st,
			    winiommu_call_ns(t0));
	winiommu_stat_call(WINIOMMU_R_DETACH_DEVICE, st);
	return st;
}

NTSTATUS winiommu_call_attach_device_ex(PIOMMU_DMA_DOMAIN Domain, PIOMMU_DMA_DEVICE DmaDevice)
{
	u64 t0 = winiommu_call_begin(trace_attach_device_ex_enabled());
	NTSTATUS st = winiommu_attach_device_ex(Domain, DmaDevice);

	trace_attach_device_ex(Domain, DmaDevice, 0, 0, st, winiommu_call_ns(t0));
	winiommu_stat_call(WINIOMMU_R_ATTACH_DEVICE_EX, st);
	return st;
}

NTSTATUS winiommu_call_detach_device_ex(PIOMMU_DMA_DEVICE DmaDevice)
{
	u64 t0 = winiommu_call_begin(trace_detach_device_ex_enabled());
	NTSTATUS st = winiommu_detach_device_ex(DmaDevice);

	trace_detach_device_ex(DmaDevice, NULL, 0, 0, st, winiommu_call_ns(t0));
	winiommu_stat_call(WINIOMMU_R_DETACH_DEVICE_EX, st);
	return st;
}

NTSTATUS winiommu_call_flush_domain(PIOMMU_DMA_DOMAIN Domain)
{
	u64 t0 = winiommu_call_begin(trace_flush_domain_enabled());
	NTSTATUS st = winiommu_flush_domain(Domain);

	trace_flush_domain(Domain, NULL, 0, 0, st, winiommu_call_ns(t0));
	winiommu_stat_call(WINIOMMU_R_FLUSH_DOMAIN, st);
	return st;
}

NTSTATUS winiommu_call_flush_domain_va_list(PIOMMU_DMA_DOMAIN Domain, BOOLEAN LastLevel,
					    ULONG Number, PVOID VaList)
{
	u64 t0 = winiommu_call_begin(trace_flush_domain_va_list_enabled());
	NTSTATUS st = winiommu_flush_domain_va_list(Domain, LastLevel, Number, VaList);

	trace_flush_domain_va_list(Domain, VaList, LastLevel, Number, st, winiommu_call_ns(t0));
	winiommu_stat_call(WINIOMMU_R_FLUSH_DOMAIN_VA_LIST, st);
	return st;
}

NTSTATUS winiommu_call_query_input_mappings(PDEVICE_OBJECT PhysicalDeviceObject,
					    PINPUT_MAPPING_ELEMENT Buffer, ULONG BufferLength,
					    PULONG ReturnLength)
{
	u64 t0 = winiommu_call_begin(trace_query_input_mappings_enabled());
	NTSTATUS st = winiommu_query_input_mappings(PhysicalDeviceObject, Buffer, BufferLength,
						    ReturnLength);

	trace_query_input_mappings(PhysicalDeviceObject, Buffer, BufferLength,
				   ReturnLength ? *ReturnLength : 0, st, winiommu_call_ns(t0));
	winiommu_stat_call(WINIOMMU_R_QUERY_INPUT_MAPPINGS, st);
	return st;
}

NTSTATUS winiommu_call_v1_map_logical_range(PIOMMU_DMA_DOMAIN Domain, ULONG Permissions,
					    PMDL Mdl, ULONGLONG LogicalAddress)
{
	u64 t0 = winiommu_call_begin(trace_map_logical_range_enabled());
	NTSTATUS st = winiommu_v1_map_logical_range(Domain, Permissions, Mdl, LogicalAddress);

	trace_map_logical_range(Domain, Mdl, Permissions, LogicalAddress, st,
				winiommu_call_ns(t0));
	winiommu_stat_call(WINIOMMU_R_MAP_LOGICAL_RANGE, st);
	return st;
}

NTSTATUS winiommu_call_map_logical_range_ex(PIOMMU_DMA_DOMAIN Domain, ULONG Permissions,
					    PIOMMU_MAP_PHYSICAL_ADDRESS PhysicalAddressToMap,
					    PIOMMU_DMA_LOGICAL_ADDRESS ExplicitLogicalAddress,
					    PIOMMU_DMA_LOGICAL_ADDRESS MinLogicalAddress,
					    PIOMMU_DMA_LOGICAL_ADDRESS MaxLogicalAddress,
					    PIOMMU_DMA_LOGICAL_ADDRESS LogicalAddressOut)
{
	u64 t0 = winiommu_call_begin(trace_map_logical_range_ex_enabled());
	NTSTATUS st = winiommu_map_logical_range_ex(Domain, Permissions, PhysicalAddressToMap,
						    ExplicitLogicalAddress, MinLogicalAddress,
						    MaxLogicalAddress, LogicalAddressOut);

	trace_map_logical_range_ex(Domain, PhysicalAddressToMap, Permissions,
				   NT_SUCCESS(st) ? *LogicalAddressOut : 0, st,
				   winiommu_call_ns(t0));
	winiommu_stat_call(WINIOMMU_R_MAP_LOGICAL_RANGE_EX, st);
	return st;
}

NTSTATUS winiommu_call_unmap_logical_range(PIOMMU_DMA_DOMAIN Domain, ULONGLONG LogicalAddress,
					   ULONGLONG NumberOfPages)
{
	u64 t0 = winiommu_call_begin(trace_unmap_logical_range_enabled());
	NTSTATUS st = winiommu_unmap_logical_range(Domain, LogicalAddress, NumberOfPages);

	trace_unmap_logical_range(Domain, NULL, LogicalAddress, NumberOfPages, st,
				  winiommu_call_ns(t0));
	winiommu_stat_call(WINIOMMU_R_UNMAP_LOGICAL_RANGE, st);
	return st;
}

NTSTATUS winiommu_call_v1_map_identity_range(PIOMMU_DMA_DOMAIN Domain, ULONG Permissions,
					     PMDL Mdl)
{
	u64 t0 = winiommu_call_begin(trace_map_identity_range_enabled());
	NTSTATUS st = winiommu_v1_map_identity_range(Domain, Permissions, Mdl);

	trace_map_identity_range(Domain, Mdl, Permissions, winiommu_call_mdl_pages(Mdl), st,
				 winiommu_call_ns(t0));
	winiommu_stat_call(WINIOMMU_R_MAP_IDENTITY_RANGE, st);
	return st;
}

NTSTATUS winiommu_call_map_identity_range_ex(PIOMMU_DMA_DOMAIN Domain, ULONG Permissions,
					     PIOMMU_MAP_PHYSICAL_ADDRESS PhysicalAddressToMap)
{
	u64 t0 = winiommu_call_begin(trace_map_identity_range_ex_enabled());
	NTSTATUS st = winiommu_map_identity_range_ex(Domain, Permissions, PhysicalAddressToMap);

	trace_map_identity_range_ex(Domain, PhysicalAddressToMap, Permissions,
				    PhysicalAddressToMap ? PhysicalAddressToMap->MapType : 0, st,
				    winiommu_call_ns(t0));
	winiommu_stat_call(WINIOMMU_R_MAP_IDENTITY_RANGE_EX, st);
	return st;
}

NTSTATUS winiommu_call_v1_unmap_identity_range(PIOMMU_DMA_DOMAIN Domain, PMDL Mdl)
{
	u64 t0 = winiommu_call_begin(trace_unmap_identity_range_enabled());
	NTSTATUS st = winiommu_v1_unmap_identity_range(Domain, Mdl);

	trace_unmap_identity_range(Domain, Mdl, 0, 0, st, winiommu_call_ns(t0));
	winiommu_stat_call(WINIOMMU_R_UNMAP_IDENTITY_RANGE, st);
	return st;
}

NTSTATUS winiommu_call_unmap_identity_range_ex(PIOMMU_DMA_DOMAIN Domain,
					       PIOMMU_MAP_PHYSICAL_ADDRESS MappedPhysicalAddress)
{
	u64 t0 = winiommu_call_begin(trace_unmap_identity_range_ex_enabled());
	NTSTATUS st = winiommu_unmap_identity_range_ex(Domain, MappedPhysicalAddress);

	trace_unmap_identity_range_ex(Domain, MappedPhysicalAddress, 0,
				      MappedPhysicalAddress ? MappedPhysicalAddress->MapType : 0,
				      st, winiommu_call_ns(t0));
	winiommu_stat_call(WINIOMMU_R_UNMAP_IDENTITY_RANGE_EX, st);
	return st;
}

NTSTATUS winiommu_call_v1_set_fault_reporting(PDEVICE_OBJECT PhysicalDeviceObject,
					      ULONG InputMappingIdBase, BOOLEAN Enable,
					      PDEVICE_FAULT_CONFIGURATION FaultConfig)
{
	u64 t0 = winiommu_call_begin(trace_set_device_fault_reporting_enabled());
	NTSTATUS st = winiommu_v1_set_fault_reporting(PhysicalDeviceObject, InputMappingIdBase,
						      Enable, FaultConfig);

	trace_set_device_fault_reporting(PhysicalDeviceObject, FaultConfig, InputMappingIdBase,
					 Enable, st, winiommu_call_ns(t0));
	winiommu_stat_call(WINIOMMU_R_SET_DEVICE_FAULT_REPORTING, st);
	return st;
}

/* Windows documents this routine as unimplemented: the faithful answer. */
NTSTATUS winiommu_call_set_fault_reporting_ex(PIOMMU_DMA_DEVICE DmaDevice,
					      ULONG InputMappingIdBase, BOOLEAN Enable,
					      PDEVICE_FAULT_CONFIGURATION FaultConfig)
{
	NTSTATUS st = STATUS_NOT_IMPLEMENTED;

	trace_set_device_fault_reporting_ex(DmaDevice, FaultConfig, InputMappingIdBase, Enable,
					    st, 0);
	winiommu_stat_call(WINIOMMU_R_SET_DEVICE_FAULT_REPORTING_EX, st);
	return st;
}

NTSTATUS winiommu_call_configure_domain(PIOMMU_DMA_DOMAIN Domain,
					PDOMAIN_CONFIGURATION Configuration)
{
	u64 t0 = winiommu_call_begin(trace_configure_domain_enabled());
	NTSTATUS st = winiommu_configure_domain(Domain, Configuration);

	trace_configure_domain(Domain, Configuration, Configuration ? Configuration->Type : 0, 0,
			       st, winiommu_call_ns(t0));
	winiommu_stat_call(WINIOMMU_R_CONFIGURE_DOMAIN, st);
	return st;
}

VOID winiommu_call_query_domain_types(PIOMMU_DMA_DEVICE DmaDevice, PULONG AvailableDomains)
{
	u64 t0 = winiommu_call_begin(trace_query_available_domain_types_enabled());

	winiommu_query_domain_types(DmaDevice, AvailableDomains);
	trace_query_available_domain_types(DmaDevice, NULL,
					   AvailableDomains ? *AvailableDomains : 0, 0,
					   STATUS_SUCCESS, winiommu_call_ns(t0));
	winiommu_stat_call(WINIOMMU_R_QUERY_AVAILABLE_DOMAIN_TYPES, STATUS_SUCCESS);
}

NTSTATUS
winiommu_call_register_state_cb(PIOMMU_INTERFACE_STATE_CHANGE_CALLBACK StateChangeCallback,
				PVOID Context, PIOMMU_DMA_DEVICE DmaDevice,
				PIOMMU_INTERFACE_STATE_CHANGE_FIELDS StateFields)
{
	u64 t0 = winiommu_call_begin(trace_register_state_change_callback_enabled());
	NTSTATUS st = winiommu_register_state_cb(StateChangeCallback, Context, DmaDevice,
						 StateFields);

	trace_register_state_change_callback(DmaDevice, StateChangeCallback,
					     StateFields ? StateFields->AsULONG : 0, 0, st,
					     winiommu_call_ns(t0));
	winiommu_stat_call(WINIOMMU_R_REGISTER_STATE_CHANGE_CALLBACK, st);
	return st;
}

NTSTATUS
winiommu_call_unregister_state_cb(PIOMMU_INTERFACE_STATE_CHANGE_CALLBACK StateChangeCallback,
				  PIOMMU_DMA_DEVICE DmaDevice)
{
	u64 t0 = winiommu_call_begin(trace_unregister_state_change_callback_enabled());
	NTSTATUS st = winiommu_unregister_state_cb(StateChangeCallback, DmaDevice);

	trace_unregister_state_change_callback(DmaDevice, StateChangeCallback, 0, 0, st,
					       winiommu_call_ns(t0));
	winiommu_stat_call(WINIOMMU_R_UNREGISTER_STATE_CHANGE_CALLBACK, st);
	return st;
}

NTSTATUS winiommu_call_reserve_range(PIOMMU_DMA_DOMAIN Domain, SIZE_T Size,
				     PIOMMU_DMA_LOGICAL_ADDRESS ExplicitLogicalAddress,
				     PIOMMU_DMA_LOGICAL_ADDRESS MinLogicalAddress,
				     PIOMMU_DMA_LOGICAL_ADDRESS MaxLogicalAddress,
				     PIOMMU_DMA_LOGICAL_ADDRESS_TOKEN *LogicalAddressToken)
{
	u64 t0 = winiommu_call_begin(trace_reserve_logical_address_range_enabled());
	NTSTATUS st = winiommu_reserve_range(Domain, Size, ExplicitLogicalAddress,
					     MinLogicalAddress, MaxLogicalAddress,
					     LogicalAddressToken);
	PIOMMU_DMA_LOGICAL_ADDRESS_TOKEN tok = NT_SUCCESS(st) ? *LogicalAddressToken : NULL;

	trace_reserve_logical_address_range(Domain, tok, Size, tok ? tok->LogicalAddressBase : 0,
					    st, winiommu_call_ns(t0));
	winiommu_stat_call(WINIOMMU_R_RESERVE_LOGICAL_ADDRESS_RANGE, st);
	return st;
}

NTSTATUS winiommu_call_free_reserved_range(PIOMMU_DMA_LOGICAL_ADDRESS_TOKEN LogicalAddressToken)
{
	u64 t0 = winiommu_call_begin(trace_free_reserved_logical_address_range_enabled());
	NTSTATUS st = winiommu_free_reserved_range(LogicalAddressToken);

	trace_free_reserved_logical_address_range(LogicalAddressToken, NULL, 0, 0, st,
						  winiommu_call_ns(t0));
	winiommu_stat_call(WINIOMMU_R_FREE_RESERVED_LOGICAL_ADDRESS_RANGE, st);
	return st;
}

NTSTATUS
winiommu_call_map_reserved_range(PIOMMU_DMA_LOGICAL_ADDRESS_TOKEN LogicalAddressToken,
				 SIZE_T Offset, ULONG Permissions,
				 PIOMMU_MAP_PHYSICAL_ADDRESS PhysicalAddressToMap,
				 PIOMMU_DMA_LOGICAL_ADDRESS_TOKEN_MAPPED_SEGMENT MappedSegment)
{
	u64 t0 = winiommu_call_begin(trace_map_reserved_logical_range_enabled());
	NTSTATUS st = winiommu_map_reserved_range(LogicalAddressToken, Offset, Permissions,
						  PhysicalAddressToMap, MappedSegment);

	trace_map_reserved_logical_range(LogicalAddressToken, PhysicalAddressToMap, Offset,
					 Permissions, st, winiommu_call_ns(t0));
	winiommu_stat_call(WINIOMMU_R_MAP_RESERVED_LOGICAL_RANGE, st);
	return st;
}

NTSTATUS
winiommu_call_unmap_reserved_range(PIOMMU_DMA_LOGICAL_ADDRESS_TOKEN_MAPPED_SEGMENT MappedSegment)
{
	u64 t0 = winiommu_call_begin(trace_unmap_reserved_logical_range_enabled());
	/* the routine clears the segment: record it first */
	PIOMMU_DMA_LOGICAL_ADDRESS_TOKEN tok = MappedSegment ? MappedSegment->OwningToken : NULL;
	u64 offset = MappedSegment ? MappedSegment->Offset : 0;
	u64 size = MappedSegment ? MappedSegment->Size : 0;
	NTSTATUS st = winiommu_unmap_reserved_range(MappedSegment);

	trace_unmap_reserved_logical_range(tok, MappedSegment, offset, size, st,
					   winiommu_call_ns(t0));
	winiommu_stat_call(WINIOMMU_R_UNMAP_RESERVED_LOGICAL_RANGE, st);
	return st;
}

NTSTATUS winiommu_call_create_device(PDEVICE_OBJECT DeviceObject,
				     PIOMMU_DEVICE_CREATION_CONFIGURATION DeviceConfig,
				     PIOMMU_DMA_DEVICE *DmaDeviceOut)
{
	u64 t0 = winiommu_call_begin(trace_create_device_enabled());
	NTSTATUS st = winiommu_create_device(DeviceObject, DeviceConfig, DmaDeviceOut);

	trace_create_device(DeviceObject, NT_SUCCESS(st) ? *DmaDeviceOut : NULL, 0, 0, st,
			    winiommu_call_ns(t0));
	winiommu_stat_call(WINIOMMU_R_CREATE_DEVICE, st);
	return st;
}

NTSTATUS winiommu_call_delete_device(PIOMMU_DMA_DEVICE DmaDevice)
{
	u64 t0 = winiommu_call_begin(trace_delete_device_enabled());
	NTSTATUS st = winiommu_delete_device(DmaDevice);

	trace_delete_device(DmaDevice, NULL, 0, 0, st, winiommu_call_ns(t0));
	winiommu_stat_call(WINIOMMU_R_DELETE_DEVICE, st);
	return st;
}

NTSTATUS winiommu_call_create_pasid_device(PIOMMU_DMA_DEVICE DmaDevice,
					   PIOMMU_DMA_PASID_DEVICE *PasidDeviceOut,
					   PULONG AsidOut)
{
	u64 t0 = winiommu_call_begin(trace_create_pasid_device_enabled());
	NTSTATUS st = winiommu_create_pasid_device(DmaDevice, PasidDeviceOut, AsidOut);

	trace_create_pasid_device(DmaDevice, NT_SUCCESS(st) ? *PasidDeviceOut : NULL,
				  NT_SUCCESS(st) && AsidOut ? *AsidOut : 0, 0, st,
				  winiommu_call_ns(t0));
	winiommu_stat_call(WINIOMMU_R_CREATE_PASID_DEVICE, st);
	return st;
}

NTSTATUS winiommu_call_delete_pasid_device(PIOMMU_DMA_PASID_DEVICE PasidDevice)
{
	u64 t0 = winiommu_call_begin(trace_delete_pasid_device_enabled());
	NTSTATUS st = winiommu_delete_pasid_device(PasidDevice);

	trace_delete_pasid_device(PasidDevice, NULL, 0, 0, st, winiommu_call_ns(t0));
	winiommu_stat_call(WINIOMMU_R_DELETE_PASID_DEVICE, st);
	return st;
}

NTSTATUS winiommu_call_attach_pasid_device(PIOMMU_DMA_DOMAIN Domain,
					   PIOMMU_DMA_PASID_DEVICE PasidDevice)
{
	u64 t0 = winiommu_call_begin(trace_attach_pasid_device_enabled());
	NTSTATUS st = winiommu_attach_pasid_device(Domain, PasidDevice);

	trace_attach_pasid_device(Domain, PasidDevice, 0, 0, st, winiommu_call_ns(t0));
	winiommu_stat_call(WINIOMMU_R_ATTACH_PASID_DEVICE, st);
	return st;
}

NTSTATUS winiommu_call_detach_pasid_device(PIOMMU_DMA_PASID_DEVICE PasidDevice)
{
	u64 t0 = winiommu_call_begin(trace_detach_pasid_device_enabled());
	NTSTATUS st = winiommu_detach_pasid_device(PasidDevice);

	trace_detach_pasid_device(PasidDevice, NULL, 0, 0, st, winiommu_call_ns(t0));
	winiommu_stat_call(WINIOMMU_R_DETACH_PASID_DEVICE, st);
	return st;
}

NTSTATUS winiommu_call_query_device_info(PIOMMU_DMA_DEVICE DmaDevice, ULONG Size,
					 PULONG BytesWritten, PIOMMU_DMA_DEVICE_INFORMATION Buffer)
{
	u64 t0 = winiommu_call_begin(trace_query_device_info_enabled());
	NTSTATUS st = winiommu_query_device_info(DmaDevice, Size, BytesWritten, Buffer);

	trace_query_device_info(DmaDevice, Buffer, Size,
				NT_SUCCESS(st) && BytesWritten ? *BytesWritten : 0, st,
				winiommu_call_ns(t0));
	winiommu_stat_call(WINIOMMU_R_QUERY_DEVICE_INFO, st);
	return st;
}
