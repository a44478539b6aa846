/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (C) 2026 The winiommu authors
 *
 * Trace events of winiommu: one per Windows routine, emitted when a call
 * through an interface table returns, with the routine's key arguments,
 * its NTSTATUS and how long it took.  The Linux side of each call is
 * traced by the kernel's own iommu events (iommu:map, iommu:unmap,
 * iommu:attach_device_to_domain, iommu:io_page_fault); enable both to see
 * what a ported driver does and what it costs:
 *
 *   echo 1 > /sys/kernel/tracing/events/winiommu/enable
 *   echo 1 > /sys/kernel/tracing/events/iommu/enable
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM winiommu

#if !defined(_WINIOMMU_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _WINIOMMU_TRACE_H

#include <linux/tracepoint.h>

#include <wdm.h>

#include "status.h"

/*
 * An NTSTATUS by name, from winiommu's one status table (status.c), in
 * the text the kernel formats (the tracefs "trace" file); tools that
 * format raw events themselves (trace-cmd, perf) cannot call it and print
 * the recorded fields, the status as a number.  A module's events leave
 * the ring buffer when the module unloads, so the table outlives them.
 */
#define winiommu_trace_status(st)	winiommu_status_name(st)

/*
 * Every routine's event has the same record: the handle the call is
 * about, a second pointer (another handle, an output handle, an MDL), two
 * more arguments, the status and the duration in ns; each event's format
 * names them.  Pointers print hashed, as %p does everywhere.
 */
DECLARE_EVENT_CLASS(winiommu_call,
		    TP_PROTO(const void *obj, const void *obj2, u64 a, u64 b, NTSTATUS status,
			     u64 ns),
		    TP_ARGS(obj, obj2, a, b, status, ns),
		    TP_STRUCT__entry(__field(const void *, obj)
				     __field(const void *, obj2)
				     __field(u64, a)
				     __field(u64, b)
				     __field(NTSTATUS, status)
				     __field(u64, ns)),
		    TP_fast_assign(__entry->obj = obj;
				   __entry->obj2 = obj2;
				   __entry->a = a;
				   __entry->b = b;
				   __entry->status = status;
				   __entry->ns = ns;),
		    /* the getters' format; every routine's event has its own */
		    TP_printk("IoGetIommuInterface%s(Version=%llu Flags=%#llx) -> %p = %s %lluns",
			      __entry->obj2 ? "Ex" : "", __entry->a, __entry->b, __entry->obj,
			      winiommu_trace_status(__entry->status), __entry->ns)
);

/* IoGetIommuInterfaceEx (obj2 is the routine itself) and IoGetIommuInterface. */
DEFINE_EVENT(winiommu_call, get_interface,
	     TP_PROTO(const void *obj, const void *obj2, u64 a, u64 b, NTSTATUS status, u64 ns),
	     TP_ARGS(obj, obj2, a, b, status, ns)
);

/* The event of one routine: its format and which fields it prints. */
#define winiommu_call_event(name, fmt, ...)					\
	DEFINE_EVENT_PRINT(winiommu_call, name,					\
		TP_PROTO(const void *obj, const void *obj2, u64 a, u64 b, NTSTATUS status, \
			 u64 ns),						\
		TP_ARGS(obj, obj2, a, b, status, ns),				\
		TP_printk(fmt " = %s %lluns", __VA_ARGS__,			\
			  winiommu_trace_status(__entry->status), __entry->ns))

winiommu_call_event(create_domain,
		    "CreateDomain(OsManagedPageTable=%llu) -> %p",
		    __entry->a, __entry->obj);
winiommu_call_event(create_domain_ex,
		    "CreateDomainEx(DomainType=%s AddressWidth=%llu) -> %p",
		    __print_symbolic(__entry->a, { DomainTypeTranslate, "Translate" },
				     { DomainTypePassThrough, "PassThrough" },
				     { DomainTypeUnmanaged, "Unmanaged" },
				     { DomainTypeTranslateS1, "TranslateS1" }),
		    __entry->b, __entry->obj);
winiommu_call_event(delete_domain, "DeleteDomain(Domain=%p)", __entry->obj);
winiommu_call_event(attach_device,
		    "AttachDevice(Domain=%p Pdo=%p InputMappingIdBase=%#llx MappingCount=%llu)",
		    __entry->obj, __entry->obj2, __entry->a, __entry->b);
winiommu_call_event(detach_device,
		    "DetachDevice(Domain=%p Pdo=%p InputMappingId=%#llx)",
		    __entry->obj, __entry->obj2, __entry->a);
winiommu_call_event(attach_device_ex,
		    "AttachDeviceEx(Domain=%p DmaDevice=%p)",
		    __entry->obj, __entry->obj2);
winiommu_call_event(detach_device_ex, "DetachDeviceEx(DmaDevice=%p)", __entry->obj);
winiommu_call_event(flush_domain, "FlushDomain(Domain=%p)", __entry->obj);
winiommu_call_event(flush_domain_va_list,
		    "FlushDomainByVaList(Domain=%p LastLevel=%llu Number=%llu)",
		    __entry->obj, __entry->a, __entry->b);
winiommu_call_event(query_input_mappings,
		    "QueryInputMappings(Pdo=%p BufferLength=%llu) ReturnLength=%llu",
		    __entry->obj, __entry->a, __entry->b);
winiommu_call_event(map_logical_range,
		    "MapLogicalRange(Domain=%p Permissions=%#llx LogicalAddress=%#llx)",
		    __entry->obj, __entry->a, __entry->b);
winiommu_call_event(map_logical_range_ex,
		    "MapLogicalRangeEx(Domain=%p Permissions=%#llx) -> %#llx",
		    __entry->obj, __entry->a, __entry->b);
winiommu_call_event(unmap_logical_range,
		    "UnmapLogicalRange(Domain=%p LogicalAddress=%#llx NumberOfPages=%llu)",
		    __entry->obj, __entry->a, __entry->b);
winiommu_call_event(map_identity_range,
		    "MapIdentityRange(Domain=%p Permissions=%#llx Mdl=%p)",
		    __entry->obj, __entry->a, __entry->obj2);
winiommu_call_event(map_identity_range_ex,
		    "MapIdentityRangeEx(Domain=%p Permissions=%#llx MapType=%llu)",
		    __entry->obj, __entry->a, __entry->b);
winiommu_call_event(unmap_identity_range,
		    "UnmapIdentityRange(Domain=%p Mdl=%p)",
		    __entry->obj, __entry->obj2);
winiommu_call_event(unmap_identity_range_ex,
		    "UnmapIdentityRangeEx(Domain=%p MapType=%llu)",
		    __entry->obj, __entry->b);
winiommu_call_event(set_device_fault_reporting,
		    "SetDeviceFaultReporting(Pdo=%p InputMappingIdBase=%#llx Enable=%llu)",
		    __entry->obj, __entry->a, __entry->b);
winiommu_call_event(set_device_fault_reporting_ex,
		    "SetDeviceFaultReportingEx(DmaDevice=%p InputMappingIdBase=%#llx Enable=%llu)",
		    __entry->obj, __entry->a, __entry->b);
winiommu_call_event(configure_domain,
		    "ConfigureDomain(Domain=%p Type=%llu)",
		    __entry->obj, __entry->a);
winiommu_call_event(query_available_domain_types,
		    "QueryAvailableDomainTypes(DmaDevice=%p) -> %#llx",
		    __entry->obj, __entry->a);
winiommu_call_event(register_state_change_callback,
		    "RegisterInterfaceStateChangeCallback(DmaDevice=%p Callback=%p StateFields=%#llx)",
		    __entry->obj, __entry->obj2, __entry->a);
winiommu_call_event(unregister_state_change_callback,
		    "UnregisterInterfaceStateChangeCallback(DmaDevice=%p Callback=%p)",
		    __entry->obj, __entry->obj2);
winiommu_call_event(reserve_logical_address_range,
		    "ReserveLogicalAddressRange(Domain=%p Size=%#llx) -> %p at %#llx",
		    __entry->obj, __entry->a, __entry->obj2, __entry->b);
winiommu_call_event(free_reserved_logical_address_range,
		    "FreeReservedLogicalAddressRange(Token=%p)",
		    __entry->obj);
winiommu_call_event(map_reserved_logical_range,
		    "MapReservedLogicalRange(Token=%p Offset=%#llx Permissions=%#llx)",
		    __entry->obj, __entry->a, __entry->b);
winiommu_call_event(unmap_reserved_logical_range,
		    "UnmapReservedLogicalRange(Token=%p Offset=%#llx Size=%#llx)",
		    __entry->obj, __entry->a, __entry->b);
winiommu_call_event(create_device, "CreateDevice(Pdo=%p) -> %p", __entry->obj, __entry->obj2);
winiommu_call_event(delete_device, "DeleteDevice(DmaDevice=%p)", __entry->obj);
winiommu_call_event(create_pasid_device,
		    "CreatePasidDevice(DmaDevice=%p) -> %p Asid=%llu",
		    __entry->obj, __entry->obj2, __entry->a);
winiommu_call_event(delete_pasid_device, "DeletePasidDevice(PasidDevice=%p)", __entry->obj);
winiommu_call_event(attach_pasid_device,
		    "AttachPasidDevice(Domain=%p PasidDevice=%p)",
		    __entry->obj, __entry->obj2);
winiommu_call_event(detach_pasid_device, "DetachPasidDevice(PasidDevice=%p)", __entry->obj);
winiommu_call_event(query_device_info,
		    "QueryDeviceInfo(DmaDevice=%p Size=%llu) BytesWritten=%llu",
		    __entry->obj, __entry->a, __entry->b);

#endif /* _WINIOMMU_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
