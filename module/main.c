// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The winiommu authors
 *
 * winiommu: the Windows kernel DMA IOMMU interface for Linux drivers.
 *
 * This file holds the module's parameters, the V1/V2/V3 interface tables
 * and the two getters a ported driver calls, IoGetIommuInterfaceEx() and
 * the legacy IoGetIommuInterface().  The routines live in one file per
 * Windows object (domain.c, ...).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/string.h>

#include "winiommu.h"
#include "trace.h"

struct winiommu_params winiommu_params = {
	.max_unmanaged_domains = 1024,
	.dma_guard_policy = 1,
	.allow_passthrough = true,
	.refuse_x86_guest = false,
	.log_rejects = true,
};
EXPORT_SYMBOL_NS_GPL(winiommu_params, WINIOMMU_TEST_NS);

module_param_named(max_unmanaged_domains, winiommu_params.max_unmanaged_domains, uint, 0644);
MODULE_PARM_DESC(max_unmanaged_domains,
		 "Live Unmanaged domains allowed (the \"ASID\" budget); one more gets STATUS_INSUFFICIENT_RESOURCES (default 1024)");
/* Policy parameters: a change re-evaluates every registered callback. */
static int winiommu_set_bool_policy(const char *val, const struct kernel_param *kp)
{
	int ret = param_set_bool(val, kp);

	if (!ret)
		winiommu_notify_policy_change();
	return ret;
}

static int winiommu_set_guard_policy(const char *val, const struct kernel_param *kp)
{
	unsigned int v;
	int ret = kstrtouint(val, 0, &v);

	if (ret)
		return ret;
	if (v > 2)
		return -EINVAL;
	WRITE_ONCE(*(unsigned int *)kp->arg, v);
	winiommu_notify_policy_change();
	return 0;
}

static const struct kernel_param_ops winiommu_bool_policy_ops = {
	.set = winiommu_set_bool_policy,
	.get = param_get_bool,
};

static const struct kernel_param_ops winiommu_guard_policy_ops = {
	.set = winiommu_set_guard_policy,
	.get = param_get_uint,
};

module_param_cb(allow_passthrough, &winiommu_bool_policy_ops, &winiommu_params.allow_passthrough,
		0644);
MODULE_PARM_DESC(allow_passthrough,
		 "Allow DomainTypePassThrough domains; 0 makes CreateDomainEx return STATUS_NOT_SUPPORTED for them (default 1)");
module_param_cb(dma_guard_policy, &winiommu_guard_policy_ops, &winiommu_params.dma_guard_policy,
		0644);
MODULE_PARM_DESC(dma_guard_policy,
		 "Who may attach to PassThrough domains, after Windows' DMA Guard policy: 0 no device, 1 devices not marked untrusted (default), 2 every device");
module_param_named(refuse_x86_guest, winiommu_params.refuse_x86_guest, bool, 0644);
MODULE_PARM_DESC(refuse_x86_guest,
		 "Apply Windows' rule that an x86 guest cannot create domains (STATUS_NOT_SUPPORTED); default 0: Linux guests with a vIOMMU work");
module_param_named(log_rejects, winiommu_params.log_rejects, bool, 0644);
MODULE_PARM_DESC(log_rejects,
		 "Log one rate-limited line for each call rejected as a porting bug (default 1)");

/* ---- the tables -------------------------------------------------------- */

/* The thirteen V1 routines, shared by the EX V1 table and the legacy one. */
#define WINIOMMU_V1_ROUTINES							\
	.CreateDomain = winiommu_call_create_domain,	\
	.DeleteDomain = winiommu_call_delete_domain,	\
	.AttachDevice = winiommu_call_v1_attach_device,	\
	.DetachDevice = winiommu_call_v1_detach_device,	\
	.FlushDomain = winiommu_call_flush_domain,	\
	.FlushDomainByVaList = winiommu_call_flush_domain_va_list,	\
	.QueryInputMappings = winiommu_call_query_input_mappings,	\
	.MapLogicalRange = winiommu_call_v1_map_logical_range,	\
	.UnmapLogicalRange = winiommu_call_unmap_logical_range,	\
	.MapIdentityRange = winiommu_call_v1_map_identity_range,	\
	.UnmapIdentityRange = winiommu_call_v1_unmap_identity_range,	\
	.SetDeviceFaultReporting = winiommu_call_v1_set_fault_reporting,	\
	.ConfigureDomain = winiommu_call_configure_domain

static const DMA_IOMMU_INTERFACE_V1 winiommu_table_v1 = { WINIOMMU_V1_ROUTINES };

static const DMA_IOMMU_INTERFACE winiommu_table_legacy = {
	.Version = DMA_IOMMU_INTERFACE_VERSION_1,
	WINIOMMU_V1_ROUTINES
};

/* V3 is V2 with five routines appended: one table serves both. */
static const DMA_IOMMU_INTERFACE_V3 winiommu_table_v3 = {
	.CreateDomainEx				= winiommu_call_create_domain_ex,
	.DeleteDomain				= winiommu_call_delete_domain,
	.AttachDeviceEx				= winiommu_call_attach_device_ex,
	.DetachDeviceEx				= winiommu_call_detach_device_ex,
	.FlushDomain				= winiommu_call_flush_domain,
	.FlushDomainByVaList			= winiommu_call_flush_domain_va_list,
	.QueryInputMappings			= winiommu_call_query_input_mappings,
	.MapLogicalRangeEx			= winiommu_call_map_logical_range_ex,
	.UnmapLogicalRange			= winiommu_call_unmap_logical_range,
	.MapIdentityRangeEx			= winiommu_call_map_identity_range_ex,
	.UnmapIdentityRangeEx			= winiommu_call_unmap_identity_range_ex,
	.SetDeviceFaultReportingEx		= winiommu_call_set_fault_reporting_ex,
	.ConfigureDomain			= winiommu_call_configure_domain,
	.QueryAvailableDomainTypes		= winiommu_call_query_domain_types,
	.RegisterInterfaceStateChangeCallback	= winiommu_call_register_state_cb,
	.UnregisterInterfaceStateChangeCallback	= winiommu_call_unregister_state_cb,
	.ReserveLogicalAddressRange		= winiommu_call_reserve_range,
	.FreeReservedLogicalAddressRange	= winiommu_call_free_reserved_range,
	.MapReservedLogicalRange		= winiommu_call_map_reserved_range,
	.UnmapReservedLogicalRange		= winiommu_call_unmap_reserved_range,
	.CreateDevice				= winiommu_call_create_device,
	.DeleteDevice				= winiommu_call_delete_device,
	.CreatePasidDevice			= winiommu_call_create_pasid_device,
	.DeletePasidDevice			= winiommu_call_delete_pasid_device,
	.AttachPasidDevice			= winiommu_call_attach_pasid_device,
	.DetachPasidDevice			= winiommu_call_detach_pasid_device,
	.QueryDeviceInfo			= winiommu_call_query_device_info,
};

static_assert(offsetof(DMA_IOMMU_INTERFACE_V3, CreatePasidDevice) ==
	      sizeof(DMA_IOMMU_INTERFACE_V2));

/* ---- the getters ------------------------------------------------------- */

/* IoGetIommuInterfaceEx(), before it is traced. */
static NTSTATUS winiommu_get_interface_ex(ULONG Version, ULONGLONG Flags,
					  PDMA_IOMMU_INTERFACE_EX InterfaceOut)
{
	static const char fn[] = "IoGetIommuInterfaceEx";
	size_t table;

	switch (Version) {
	case DMA_IOMMU_INTERFACE_EX_VERSION_1:
		table = sizeof(DMA_IOMMU_INTERFACE_V1);
		break;
	case DMA_IOMMU_INTERFACE_EX_VERSION_2:
		table = sizeof(DMA_IOMMU_INTERFACE_V2);
		break;
	case DMA_IOMMU_INTERFACE_EX_VERSION_3:
		table = sizeof(DMA_IOMMU_INTERFACE_V3);
		break;
	default:
		winiommu_reject(fn, "Version %u is not 1, 2 or 3", Version);
		return STATUS_INVALID_PARAMETER_1;
	}
	if (Flags) {
		winiommu_reject(fn, "Flags %#llx: no flag is defined", Flags);
		return STATUS_INVALID_PARAMETER_2;
	}
	if (!InterfaceOut) {
		winiommu_reject(fn, "InterfaceOut is NULL");
		return STATUS_INVALID_PARAMETER_3;
	}
	InterfaceOut->Size = offsetof(DMA_IOMMU_INTERFACE_EX, V1) + table;
	InterfaceOut->Version = Version;
	if (Version == DMA_IOMMU_INTERFACE_EX_VERSION_1)
		memcpy(&InterfaceOut->V1, &winiommu_table_v1, table);
	else
		memcpy(&InterfaceOut->V3, &winiommu_table_v3, table);
	return STATUS_SUCCESS;
}

/**
 * IoGetIommuInterfaceEx() - hand out the DMA IOMMU interface, V1 to V3.
 * @Version: 1, 2 or 3 (DMA_IOMMU_INTERFACE_EX_VERSION_1..3).
 * @Flags: no flag is defined; must be 0.
 * @InterfaceOut: caller's DMA_IOMMU_INTERFACE_EX.
 *
 * On success writes @InterfaceOut->Version, @InterfaceOut->Size (0x78,
 * 0xC0 or 0xE8: the header plus that version's table) and the table, and
 * nothing past those bytes, so a caller built with older headers that owns
 * only 0xC0 bytes is safe.  The input Size is ignored.  Process context.
 *
 * Return: STATUS_SUCCESS; STATUS_INVALID_PARAMETER_1 for another Version,
 * _2 for non-zero Flags, _3 for a NULL @InterfaceOut, leaving it untouched.
 */
NTSTATUS IoGetIommuInterfaceEx(ULONG Version, ULONGLONG Flags, PDMA_IOMMU_INTERFACE_EX InterfaceOut)
{
	NTSTATUS st = winiommu_get_interface_ex(Version, Flags, InterfaceOut);

	trace_get_interface(InterfaceOut, IoGetIommuInterfaceEx, Version, Flags, st, 0);
	return st;
}
EXPORT_SYMBOL_GPL(IoGetIommuInterfaceEx);

/* IoGetIommuInterface(), before it is traced. */
static NTSTATUS winiommu_get_interface(ULONG Version, PDMA_IOMMU_INTERFACE InterfaceOut)
{
	static const char fn[] = "IoGetIommuInterface";

	if (Version != DMA_IOMMU_INTERFACE_VERSION_1) {
		winiommu_reject(fn, "Version %u is not 1", Version);
		return STATUS_INVALID_PARAMETER_1;
	}
	if (!InterfaceOut) {
		winiommu_reject(fn, "InterfaceOut is NULL");
		return STATUS_INVALID_PARAMETER_2;
	}
	*InterfaceOut = winiommu_table_legacy;
	return STATUS_SUCCESS;
}

/**
 * IoGetIommuInterface() - the deprecated V1 getter.
 * @Version: must be DMA_IOMMU_INTERFACE_VERSION_1.
 * @InterfaceOut: caller's DMA_IOMMU_INTERFACE, receives Version and the
 *	thirteen V1 routines.
 *
 * Return: STATUS_SUCCESS; STATUS_INVALID_PARAMETER_1 for another Version,
 * _2 for a NULL @InterfaceOut, leaving it untouched.
 */
NTSTATUS IoGetIommuInterface(ULONG Version, PDMA_IOMMU_INTERFACE InterfaceOut)
{
	NTSTATUS st = winiommu_get_interface(Version, InterfaceOut);

	trace_get_interface(InterfaceOut, NULL, Version, 0, st, 0);
	return st;
}
EXPORT_SYMBOL_GPL(IoGetIommuInterface);

static_assert(sizeof(DMA_IOMMU_INTERFACE) - offsetof(DMA_IOMMU_INTERFACE, CreateDomain) ==
	      sizeof(DMA_IOMMU_INTERFACE_V1));

/* ---- module ------------------------------------------------------------ */

/* /sys/kernel/debug/winiommu */
struct dentry *winiommu_debugfs;

static int __init winiommu_init(void)
{
	int ret;

	ret = winiommu_registry_init();
	if (ret)
		return ret;
	ret = winiommu_ram_init();
	if (ret) {
		winiommu_registry_exit();
		return ret;
	}
	winiommu_debugfs = debugfs_create_dir(KBUILD_MODNAME, NULL);
	winiommu_debugfs_init();
	ret = winiommu_fault_init();
	if (ret) {
		debugfs_remove_recursive(winiommu_debugfs);
		winiommu_ram_exit();
		winiommu_registry_exit();
		return ret;
	}
	pr_info("Windows DMA IOMMU interface V1-V3 ready\n");
	return 0;
}

static void __exit winiommu_exit(void)
{
	winiommu_v1_exit();
	winiommu_release_leftovers();
	debugfs_remove_recursive(winiommu_debugfs);
	winiommu_fault_exit();
	winiommu_devices_exit();
	winiommu_ram_exit();
	winiommu_registry_exit();
}

module_init(winiommu_init);
module_exit(winiommu_exit);

MODULE_DESCRIPTION("Windows kernel DMA IOMMU interface (IoGetIommuInterfaceEx) for ported drivers");
MODULE_AUTHOR("The winiommu authors");
MODULE_LICENSE("GPL");
