// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The winiommu authors
 *
 * /sys/kernel/debug/winiommu/: what winiommu holds, read with cat.
 *
 *   counters                calls and failures per routine, failures by
 *                           NTSTATUS, bytes mapped now and at the peak
 *   inject_fault            (fault.c) a fault through the delivery path
 *   domains/<id>/info       type, table, allocator, reach, Linux domains
 *   domains/<id>/mappings   every extent of the address space: logical
 *                           range, what it is, access, physical pages,
 *                           the routine that made it
 *   devices/<name>/info     domain, group, input mapping IDs, ownership,
 *                           callback, fault reporting, PASID devices
 *
 * Each line is "key: value" or one record of space-separated fields;
 * tests read them.  The directory of an object goes before the object:
 * its routine removes it after unpublishing the handle and before the
 * last reference is dropped, with no lock held (debugfs waits for readers
 * in flight, and the readers take the object's lock).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/debugfs.h>
#include <linux/device.h>
#include <linux/iommu.h>
#include <linux/percpu.h>
#include <linux/seq_file.h>

#include "winiommu.h"
#include "backend.h"

static struct dentry *winiommu_dbg_domains, *winiommu_dbg_devices;
static atomic_t winiommu_dbg_next_domain = ATOMIC_INIT(0);
static atomic_t winiommu_dbg_next_device = ATOMIC_INIT(0);

/* ---- counters ---------------------------------------------------------------- */

/*
 * Calls are counted per CPU (one increment, no shared cache line: every
 * call through a table pays it); the bytes mapped now and their peak are
 * two atomics, touched by maps and unmaps only.
 */
struct winiommu_cpu_stats {
	u64 calls[WINIOMMU_NR_ROUTINES];
	u64 failed[WINIOMMU_NR_ROUTINES];
	u64 by_status[WINIOMMU_STATUS_SLOTS];
};

static DEFINE_PER_CPU(struct winiommu_cpu_stats, winiommu_cpu_stats);

static struct {
	atomic64_t bytes_now;
	atomic64_t bytes_peak;
} winiommu_stats;

/* The sum over CPUs of the counter at @offset of struct winiommu_cpu_stats. */
static u64 winiommu_stat_sum(size_t offset)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += *(u64 *)((char *)per_cpu_ptr(&winiommu_cpu_stats, cpu) + offset);
	return sum;
}

#define winiommu_stat_get(member)	\
	winiommu_stat_sum(offsetof(struct winiommu_cpu_stats, member))

/* @bytes more are mapped for devices (logical, identity or token pages). */
void winiommu_stat_mapped(u64 bytes)
{
	s64 now = atomic64_add_return(bytes, &winiommu_stats.bytes_now);
	s64 peak = atomic64_read(&winiommu_stats.bytes_peak);

	while (now > peak) {
		if (atomic64_try_cmpxchg(&winiommu_stats.bytes_peak, &peak, now))
			break;
	}
}

void winiommu_stat_unmapped(u64 bytes)
{
	atomic64_sub(bytes, &winiommu_stats.bytes_now);
}

/* A call of routine @r through a table returned @st. */
void winiommu_stat_call(enum winiommu_routine r, NTSTATUS st)
{
	this_cpu_inc(winiommu_cpu_stats.calls[r]);
	if (NT_SUCCESS(st))
		return;
	this_cpu_inc(winiommu_cpu_stats.failed[r]);
	this_cpu_inc(winiommu_cpu_stats.by_status[winiommu_status_slot(st)]);
}

/**
 * winiommu_stat_read() - one counter of /sys/kernel/debug/winiommu/counters.
 * @r: a routine, for @calls and @failed.
 * @calls: receives the calls of @r through a table, or NULL.
 * @failed: receives how many of them failed, or NULL.
 * @bytes_now: receives the bytes mapped now, or NULL.
 *
 * For tests, which check the counters move as the calls they make.
 */
void winiommu_stat_read(enum winiommu_routine r, u64 *calls, u64 *failed, u64 *bytes_now)
{
	if (calls)
		*calls = winiommu_stat_get(calls[r]);
	if (failed)
		*failed = winiommu_stat_get(failed[r]);
	if (bytes_now)
		*bytes_now = atomic64_read(&winiommu_stats.bytes_now);
}
EXPORT_SYMBOL_NS_GPL(winiommu_stat_read, WINIOMMU_TEST_NS);

static int winiommu_counters_show(struct seq_file *m, void *unused)
{
	static const enum winiommu_routine maps[] = {
		WINIOMMU_R_MAP_LOGICAL_RANGE_EX, WINIOMMU_R_MAP_LOGICAL_RANGE,
		WINIOMMU_R_MAP_IDENTITY_RANGE_EX, WINIOMMU_R_MAP_IDENTITY_RANGE,
		WINIOMMU_R_MAP_RESERVED_LOGICAL_RANGE,
	};
	static const enum winiommu_routine unmaps[] = {
		WINIOMMU_R_UNMAP_LOGICAL_RANGE, WINIOMMU_R_UNMAP_IDENTITY_RANGE_EX,
		WINIOMMU_R_UNMAP_IDENTITY_RANGE,
		WINIOMMU_R_UNMAP_RESERVED_LOGICAL_RANGE,
	};
	u64 nmap = 0, nunmap = 0, calls, failed;
	unsigned int i;
	NTSTATUS st;

	for (i = 0; i < ARRAY_SIZE(maps); i++)
		nmap += winiommu_stat_get(calls[maps[i]]) - winiommu_stat_get(failed[maps[i]]);
	for (i = 0; i < ARRAY_SIZE(unmaps); i++)
		nunmap += winiommu_stat_get(calls[unmaps[i]]) -
			  winiommu_stat_get(failed[unmaps[i]]);
	seq_printf(m, "maps: %llu\n", nmap);
	seq_printf(m, "unmaps: %llu\n", nunmap);
	seq_printf(m, "bytes_mapped: %lld\n", (s64)atomic64_read(&winiommu_stats.bytes_now));
	seq_printf(m, "bytes_mapped_peak: %lld\n", (s64)atomic64_read(&winiommu_stats.bytes_peak));
	seq_printf(m, "domains: %lu\n", winiommu_obj_count(WINIOMMU_OBJ_DOMAIN));
	seq_printf(m, "devices: %lu\n", winiommu_obj_count(WINIOMMU_OBJ_DEVICE));
	seq_printf(m, "tokens: %lu\n", winiommu_obj_count(WINIOMMU_OBJ_TOKEN));
	seq_printf(m, "pasid_devices: %lu\n", winiommu_obj_count(WINIOMMU_OBJ_PASID_DEVICE));
	seq_puts(m, "calls:\n");
	for (i = 0; i < WINIOMMU_NR_ROUTINES; i++) {
		calls = winiommu_stat_get(calls[i]);
		failed = winiommu_stat_get(failed[i]);
		if (calls)
			seq_printf(m, "  %s %llu failed %llu\n", winiommu_routine_names[i], calls,
				   failed);
	}
	seq_puts(m, "failures:\n");
	for (i = 0; i < WINIOMMU_STATUS_SLOTS; i++) {
		u64 n = winiommu_stat_get(by_status[i]);

		if (!n)
			continue;
		if (winiommu_status_at(i, &st))
			seq_printf(m, "  %s %llu\n", winiommu_status_name(st), n);
		else
			seq_printf(m, "  other %llu\n", n);
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(winiommu_counters);

/* ---- domains ----------------------------------------------------------------- */

static const char *const winiommu_dom_kind_names[] = {
	[WINIOMMU_DOM_TRANSLATE]	= "Translate",
	[WINIOMMU_DOM_PASSTHROUGH]	= "PassThrough",
	[WINIOMMU_DOM_UNMANAGED]	= "Unmanaged",
	[WINIOMMU_DOM_TRANSLATE_S1]	= "TranslateS1",
};

static const char *winiommu_linux_domain_type(unsigned int type)
{
	switch (type) {
	case IOMMU_DOMAIN_BLOCKED:
		return "blocked";
	case IOMMU_DOMAIN_IDENTITY:
		return "identity";
	case IOMMU_DOMAIN_UNMANAGED:
		return "unmanaged";
	case IOMMU_DOMAIN_DMA:
		return "dma";
	default:
		return "other";
	}
}

static const char *winiommu_hwdom_backing(const struct winiommu_hwdom *hw)
{
	if (hw->identity)
		return "identity";
	if (hw->emulated_identity)
		return "emulated-identity";
	return "paging";
}

static int winiommu_domain_info_show(struct seq_file *m, void *unused)
{
	struct winiommu_domain *dom = m->private;
	struct winiommu_hwdom *hw;
	unsigned int n = 0;

	mutex_lock(&dom->lock);
	seq_printf(m, "id: %u\n", dom->dbg_id);
	seq_printf(m, "type: %s\n", winiommu_dom_kind_names[dom->kind]);
	seq_printf(m, "created_by: %s\n", dom->v1 ? "CreateDomain" : "CreateDomainEx");
	if (dom->alloc)
		seq_printf(m, "allocator: buddy width %u range %#llx-%#llx used_pages %llu used_blocks %llu\n",
			   dom->alloc->width, (u64)dom->alloc->first_pfn << PAGE_SHIFT,
			   winiommu_alloc_last_addr(dom->alloc), dom->alloc->used_pages,
			   dom->alloc->used_blocks);
	else
		seq_puts(m, "allocator: none\n");
	seq_printf(m, "reach: %#llx-%#llx\n", dom->reach_first, dom->reach_last);
	seq_printf(m, "extents: %lu\n", dom->nr_extents);
	seq_printf(m, "devices: %u\n", dom->nr_devices);
	seq_printf(m, "pasid_devices: %u\n", dom->nr_pasid_devices);
	seq_printf(m, "tokens: %u\n", dom->nr_tokens);
	list_for_each_entry(hw, &dom->hwdoms, node)
		n++;
	seq_printf(m, "linux_domains: %u\n", n);
	list_for_each_entry(hw, &dom->hwdoms, node) {
		seq_printf(m, "  backend %s backing %s users %u", hw->be->name,
			   winiommu_hwdom_backing(hw), hw->users);
		if (hw->domain)
			seq_printf(m, " type %s pgsize %#lx aperture %#llx-%#llx",
				   winiommu_linux_domain_type(hw->domain->type),
				   hw->domain->pgsize_bitmap,
				   (u64)hw->domain->geometry.aperture_start,
				   (u64)hw->domain->geometry.aperture_end);
		seq_putc(m, '\n');
	}
	mutex_unlock(&dom->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(winiommu_domain_info);

static const char *const winiommu_extent_names[] = {
	[WINIOMMU_EXT_RESV_HOLE]	= "reserved",
	[WINIOMMU_EXT_RESV_DIRECT]	= "reserved-direct",
	[WINIOMMU_EXT_MAPPING]		= "logical",
	[WINIOMMU_EXT_IDENTITY]		= "identity",
	[WINIOMMU_EXT_TOKEN]		= "token",
	[WINIOMMU_EXT_DEV_HOLE]		= "device-reserved",
	[WINIOMMU_EXT_DEV_DIRECT]	= "device-direct",
	[WINIOMMU_EXT_SHADOW]		= "shadow",
};

/*
 * One line per extent, in address order:
 *   START-LAST KIND key value ...
 * reserved regions say where they came from (origin windows: the
 * domain's ReservedRegions; origin device: a device's reserved region
 * merged at attach); mappings and tokens print their own fields.
 */
static int winiommu_domain_mappings_show(struct seq_file *m, void *unused)
{
	struct winiommu_domain *dom = m->private;
	struct interval_tree_node *it;

	mutex_lock(&dom->lock);
	for (it = interval_tree_iter_first(&dom->extents, 0, ULONG_MAX); it;
	     it = interval_tree_iter_next(it, 0, ULONG_MAX)) {
		struct winiommu_extent *ext = container_of(it, struct winiommu_extent, it);

		seq_printf(m, "%#018llx-%#018llx %s", (u64)it->start, (u64)it->last,
			   winiommu_extent_names[ext->kind]);
		switch (ext->kind) {
		case WINIOMMU_EXT_RESV_HOLE:
		case WINIOMMU_EXT_RESV_DIRECT:
			seq_puts(m, " origin windows made_by CreateDomainEx");
			break;
		case WINIOMMU_EXT_DEV_HOLE:
		case WINIOMMU_EXT_DEV_DIRECT:
			seq_puts(m, " origin device made_by attach");
			break;
		case WINIOMMU_EXT_MAPPING:
		case WINIOMMU_EXT_IDENTITY:
			winiommu_mapping_show(m, ext);
			break;
		case WINIOMMU_EXT_TOKEN:
			winiommu_token_show(m, ext);
			break;
		case WINIOMMU_EXT_SHADOW:
			winiommu_shadow_show(m, ext);
			break;
		}
		seq_putc(m, '\n');
	}
	mutex_unlock(&dom->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(winiommu_domain_mappings);

/* After CreateDomain(Ex) published @dom. */
void winiommu_debugfs_domain_add(struct winiommu_domain *dom)
{
	char name[16];

	dom->dbg_id = atomic_inc_return(&winiommu_dbg_next_domain);
	if (IS_ERR_OR_NULL(winiommu_dbg_domains))
		return;
	snprintf(name, sizeof(name), "%u", dom->dbg_id);
	dom->dbg = debugfs_create_dir(name, winiommu_dbg_domains);
	debugfs_create_file("info", 0400, dom->dbg, dom, &winiommu_domain_info_fops);
	debugfs_create_file("mappings", 0400, dom->dbg, dom, &winiommu_domain_mappings_fops);
}

/* After DeleteDomain unpublished @dom; no lock held. */
void winiommu_debugfs_domain_remove(struct winiommu_domain *dom)
{
	debugfs_remove_recursive(dom->dbg);
	dom->dbg = NULL;
}

/* ---- devices ----------------------------------------------------------------- */

static int winiommu_device_info_show(struct seq_file *m, void *unused)
{
	struct winiommu_device *wdev = m->private;
	unsigned int i;
	bool faults;

	mutex_lock(&wdev->lock);
	seq_printf(m, "device: %s\n", dev_name(wdev->dev));
	seq_printf(m, "backend: %s\n", wdev->be->name);
	seq_printf(m, "group: %d\n", wdev->group ? iommu_group_id(wdev->group) : -1);
	seq_puts(m, "input_mapping_ids:");
	for (i = 0; i < wdev->nr_ids; i++)
		seq_printf(m, " %#x", wdev->ids[i]);
	seq_putc(m, '\n');
	if (wdev->domain)
		seq_printf(m, "domain: %u\n", wdev->domain->dbg_id);
	else
		seq_puts(m, "domain: none\n");
	seq_printf(m, "dma_owner: %s\n", wdev->owned ? "winiommu" : "no");
	seq_printf(m, "pasid_config: %s\n", !wdev->pasid_config ? "none" :
		   wdev->pasid_type == PasidConfigTypeDefaultPasidOnly ? "DefaultPasidOnly" :
		   "PasidTaggedDma");
	seq_printf(m, "pasid_devices: %u attached %u\n", wdev->nr_pasid_devices,
		   wdev->nr_pasid_attached);
	spin_lock_irq(&wdev->fault_lock);
	faults = wdev->fault_handler;
	spin_unlock_irq(&wdev->fault_lock);
	seq_printf(m, "fault_reporting: %s\n", !faults ? "off" :
		   wdev->dev_faults ? "on (driver reports)" : "on (domain handler, injection)");
	/* informational: registration has its own lock, taken after this one */
	seq_printf(m, "state_callback: %s\n", READ_ONCE(wdev->cb) ? "registered" : "none");
	mutex_unlock(&wdev->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(winiommu_device_info);

/* After CreateDevice published @wdev. */
void winiommu_debugfs_device_add(struct winiommu_device *wdev)
{
	struct dentry *taken;
	char name[64];

	if (IS_ERR_OR_NULL(winiommu_dbg_devices))
		return;
	/* one directory per Linux device; a second object for it gets a number */
	snprintf(name, sizeof(name), "%s", dev_name(wdev->dev));
	taken = debugfs_lookup(name, winiommu_dbg_devices);
	if (taken) {
		dput(taken);
		snprintf(name, sizeof(name), "%s.%u", dev_name(wdev->dev),
			 atomic_inc_return(&winiommu_dbg_next_device));
	}
	wdev->dbg = debugfs_create_dir(name, winiommu_dbg_devices);
	debugfs_create_file("info", 0400, wdev->dbg, wdev, &winiommu_device_info_fops);
}

/* After DeleteDevice unpublished @wdev; no lock held. */
void winiommu_debugfs_device_remove(struct winiommu_device *wdev)
{
	debugfs_remove_recursive(wdev->dbg);
	wdev->dbg = NULL;
}

/* ---- module --------------------------------------------------------------------- */

void winiommu_debugfs_init(void)
{
	if (IS_ERR_OR_NULL(winiommu_debugfs))
		return;
	debugfs_create_file("counters", 0400, winiommu_debugfs, NULL, &winiommu_counters_fops);
	winiommu_dbg_domains = debugfs_create_dir("domains", winiommu_debugfs);
	winiommu_dbg_devices = debugfs_create_dir("devices", winiommu_debugfs);
}
