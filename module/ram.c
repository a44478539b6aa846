// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The winiommu authors
 *
 * Which frames a caller may map: System RAM only.  Every map routine takes
 * physical frames from its caller (an MDL, a contiguous range, a PFN
 * array); a frame of device memory (another device's BAR, the IOAPIC, a
 * firmware table) or of no memory at all would hand a device a window onto
 * something a ported driver never owned.  winiommu refuses them: see
 * "Divergences" in README.md.
 *
 * The test is the one region_intersects(IORESOURCE_SYSTEM_RAM) makes, and
 * that the memory is online (pfn_to_online_page()).  The first is answered
 * from a sorted snapshot of the "System RAM" resources (merged where they
 * touch), so that the map paths pay a binary search instead of a walk of
 * the resource tree under its lock.  The snapshot is taken at load
 * and again on every memory online and offline event; while none can be
 * built (an allocation failed), the resource tree is asked directly.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ioport.h>
#include <linux/memory.h>
#include <linux/memory_hotplug.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/overflow.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>

#include "winiommu.h"

/* System RAM as inclusive frame ranges, ascending, none touching. */
struct winiommu_ram_map {
	struct rcu_head rcu;
	unsigned int nr;
	unsigned int max;
	struct {
		u64 first;
		u64 last;
	} r[] __counted_by(max);
};

/* The current snapshot (NULL: ask the resource tree); RCU readers. */
static struct winiommu_ram_map __rcu *winiommu_ram;
/* Serialises the snapshot's writers (load, unload, memory events). */
static DEFINE_MUTEX(winiommu_ram_lock);

static int winiommu_ram_add(struct resource *res, void *arg)
{
	struct winiommu_ram_map *map = arg;
	u64 first = PFN_UP(res->start), last = PFN_DOWN(res->end + 1);

	if (last <= first)	/* less than a whole frame */
		return 0;
	last--;
	if (map->nr && map->r[map->nr - 1].last + 1 == first) {
		map->r[map->nr - 1].last = last;
		return 0;
	}
	if (map->nr == map->max)
		return -ENOSPC;	/* RAM was added since the count: count again */
	map->r[map->nr].first = first;
	map->r[map->nr].last = last;
	map->nr++;
	return 0;
}

static int winiommu_ram_count(struct resource *res, void *arg)
{
	(*(unsigned int *)arg)++;
	return 0;
}

/* Take a new snapshot (winiommu_ram_lock held); on failure, use none. */
static void winiommu_ram_rebuild(void)
{
	struct winiommu_ram_map *map = NULL, *old;
	unsigned long flags = IORESOURCE_SYSTEM_RAM | IORESOURCE_BUSY;
	unsigned int tries, n;

	for (tries = 0; tries < 3; tries++) {
		n = 0;
		walk_iomem_res_desc(IORES_DESC_NONE, flags, 0, -1, &n, winiommu_ram_count);
		map = kzalloc(struct_size(map, r, n + 4), GFP_KERNEL);
		if (!map)
			break;
		map->max = n + 4;
		if (!walk_iomem_res_desc(IORES_DESC_NONE, flags, 0, -1, map, winiommu_ram_add))
			break;
		kfree(map);
		map = NULL;
	}
	if (!map)
		pr_warn("no snapshot of System RAM: map routines ask the resource tree\n");
	old = rcu_replace_pointer(winiommu_ram, map, lockdep_is_held(&winiommu_ram_lock));
	if (old)
		kfree_rcu(old, rcu);
}

static int winiommu_ram_event(struct notifier_block *nb, unsigned long action, void *data)
{
	if (action == MEM_ONLINE || action == MEM_OFFLINE || action == MEM_CANCEL_OFFLINE) {
		mutex_lock(&winiommu_ram_lock);
		winiommu_ram_rebuild();
		mutex_unlock(&winiommu_ram_lock);
	}
	return NOTIFY_OK;
}

static struct notifier_block winiommu_ram_nb = {
	.notifier_call = winiommu_ram_event,
};

/*
 * Every frame of [@pfn, @last] is online: the resources above still list
 * RAM that is offline or going away.  Memory goes on- and offline in whole
 * memory blocks (sections or more, never part of one for System RAM), so
 * one frame per section the range touches answers for it; @hint skips the
 * section the caller's previous run was found in.
 */
static bool winiommu_ram_online(u64 pfn, u64 last, struct winiommu_ram_hint *hint)
{
	u64 sec;

	for (sec = pfn_to_section_nr(pfn); sec <= pfn_to_section_nr(last); sec++) {
		if (hint && sec == hint->section)
			continue;
		if (!pfn_to_online_page(max_t(u64, pfn, section_nr_to_pfn(sec))))
			return false;
		if (hint)
			hint->section = sec;
	}
	return true;
}

/* [@pfn, @last] lies in one range of the snapshot (RCU read side held). */
static bool winiommu_ram_listed(const struct winiommu_ram_map *map, u64 pfn, u64 last,
				struct winiommu_ram_hint *hint)
{
	unsigned int lo = 0, hi = map->nr;

	if (hint && pfn >= hint->first && last <= hint->last)
		return true;
	/* the last range starting at or below pfn */
	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (map->r[mid].first <= pfn)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo || last > map->r[lo - 1].last)
		return false;
	if (hint) {
		hint->first = map->r[lo - 1].first;
		hint->last = map->r[lo - 1].last;
	}
	return true;
}

/**
 * winiommu_ram_check() - whether frames may be mapped for a device.
 * @pfn: the first 4 KiB frame.
 * @npages: how many frames from @pfn (>= 1).
 * @hint: NULL, or what the caller's previous call (on the same list of
 *	runs, within one routine) learnt, from WINIOMMU_RAM_HINT_INIT: runs
 *	in the same RAM range and section are answered without a search.
 *
 * Return: true if every frame of [@pfn, @pfn + @npages) is System RAM
 * and online; false for device memory, holes, offline memory, frames
 * beyond RAM, and ranges that wrap.
 */
bool winiommu_ram_check(u64 pfn, u64 npages, struct winiommu_ram_hint *hint)
{
	const struct winiommu_ram_map *map;
	u64 last;
	bool ret;

	if (!npages || check_add_overflow(pfn, npages - 1, &last) ||
	    last > PHYS_PFN(PHYS_ADDR_MAX))
		return false;
	rcu_read_lock();
	map = rcu_dereference(winiommu_ram);
	if (map)
		ret = winiommu_ram_listed(map, pfn, last, hint);
	else if (npages > (SIZE_MAX >> PAGE_SHIFT))
		ret = false;
	else
		ret = region_intersects(PFN_PHYS(pfn), npages << PAGE_SHIFT,
					IORESOURCE_SYSTEM_RAM, IORES_DESC_NONE) ==
		      REGION_INTERSECTS;
	rcu_read_unlock();
	return ret && winiommu_ram_online(pfn, last, hint);
}

/* Forget the snapshot (load failure, unload). */
static void winiommu_ram_drop(void)
{
	struct winiommu_ram_map *old;

	mutex_lock(&winiommu_ram_lock);
	old = rcu_replace_pointer(winiommu_ram, NULL, lockdep_is_held(&winiommu_ram_lock));
	mutex_unlock(&winiommu_ram_lock);
	kfree_rcu(old, rcu);
}

int winiommu_ram_init(void)
{
	int ret;

	mutex_lock(&winiommu_ram_lock);
	winiommu_ram_rebuild();
	mutex_unlock(&winiommu_ram_lock);
	ret = register_memory_notifier(&winiommu_ram_nb);
	if (ret)
		winiommu_ram_drop();
	return ret;
}

void winiommu_ram_exit(void)
{
	unregister_memory_notifier(&winiommu_ram_nb);
	winiommu_ram_drop();
}
