// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The winiommu authors
 *
 * The address space of a domain: every occupied logical range (reserved
 * regions, mappings, identity ranges, tokens) as an extent in an interval
 * tree.  It is the source of truth: overlap checks (STATUS_IN_USE), exact
 * unmaps, replay at attach, debugfs and the leak report read it, never the
 * return values of IOMMU drivers, which differ between drivers.
 *
 * Callers hold the domain's lock.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/lockdep.h>
#include <linux/slab.h>

#include "winiommu.h"
#include "backend.h"

struct winiommu_extent *winiommu_aspace_first_overlap(struct winiommu_domain *dom,
						      u64 start, u64 last)
{
	struct interval_tree_node *it;

	lockdep_assert_held(&dom->lock);
	it = interval_tree_iter_first(&dom->extents, start, last);
	return it ? container_of(it, struct winiommu_extent, it) : NULL;
}

/* The extent after @ext that overlaps [start, last], in address order. */
struct winiommu_extent *winiommu_aspace_next_overlap(struct winiommu_extent *ext,
						     u64 start, u64 last)
{
	struct interval_tree_node *it = interval_tree_iter_next(&ext->it, start, last);

	return it ? container_of(it, struct winiommu_extent, it) : NULL;
}

void winiommu_aspace_insert(struct winiommu_domain *dom, struct winiommu_extent *ext,
			    u64 start, u64 last, enum winiommu_extent_kind kind)
{
	lockdep_assert_held(&dom->lock);
	ext->it.start = start;
	ext->it.last = last;
	ext->kind = kind;
	interval_tree_insert(&ext->it, &dom->extents);
	dom->nr_extents++;
	if (kind == WINIOMMU_EXT_MAPPING || kind == WINIOMMU_EXT_IDENTITY ||
	    kind == WINIOMMU_EXT_SHADOW)
		winiommu_stat_mapped(last - start + 1);
}

void winiommu_aspace_remove(struct winiommu_domain *dom, struct winiommu_extent *ext)
{
	lockdep_assert_held(&dom->lock);
	interval_tree_remove(&ext->it, &dom->extents);
	dom->nr_extents--;
	if (ext->kind == WINIOMMU_EXT_MAPPING || ext->kind == WINIOMMU_EXT_IDENTITY ||
	    ext->kind == WINIOMMU_EXT_SHADOW)
		winiommu_stat_unmapped(ext->it.last - ext->it.start + 1);
}

/*
 * Put @new where @old is: the same range and kind, so nothing else
 * changes (the tree's order, its augmented maxima, the counters).
 */
void winiommu_aspace_replace(struct winiommu_domain *dom, struct winiommu_extent *old,
			     struct winiommu_extent *new)
{
	lockdep_assert_held(&dom->lock);
	new->it.start = old->it.start;
	new->it.last = old->it.last;
	new->it.__subtree_last = old->it.__subtree_last;
	new->kind = old->kind;
	rb_replace_node_cached(&old->it.rb, &new->it.rb, &dom->extents);
}

/* Drop every extent (the domain is going away). */
void winiommu_aspace_clear(struct winiommu_domain *dom)
{
	struct interval_tree_node *it;

	lockdep_assert_held(&dom->lock);
	while ((it = interval_tree_iter_first(&dom->extents, 0, ULONG_MAX))) {
		struct winiommu_extent *ext = container_of(it, struct winiommu_extent, it);

		winiommu_aspace_remove(dom, ext);
		winiommu_extent_free(dom, ext);
	}
}

/* ---- replay into Linux domains ------------------------------------------ */

/* Map [start, last] 1:1 into @hw, read/write. */
int winiommu_aspace_map_direct(struct winiommu_domain *dom, struct winiommu_hwdom *hw,
			       u64 start, u64 last)
{
	lockdep_assert_held(&dom->lock);
	if (!hw->domain)
		return 0;
	return hw->be->map(hw->domain, start, start, last - start + 1,
			   IOMMU_READ | IOMMU_WRITE, GFP_KERNEL);
}

/*
 * Make a new Linux domain the image of the address space: map every
 * extent that has a translation.  On failure the caller frees the Linux
 * domain, which drops whatever was mapped.
 */
int winiommu_aspace_replay(struct winiommu_domain *dom, struct winiommu_hwdom *hw)
{
	struct interval_tree_node *it;
	int ret;

	lockdep_assert_held(&dom->lock);
	for (it = interval_tree_iter_first(&dom->extents, 0, ULONG_MAX); it;
	     it = interval_tree_iter_next(it, 0, ULONG_MAX)) {
		struct winiommu_extent *ext = container_of(it, struct winiommu_extent, it);

		if (ext->kind == WINIOMMU_EXT_MAPPING ||
		    (ext->kind == WINIOMMU_EXT_IDENTITY && dom->kind != WINIOMMU_DOM_PASSTHROUGH))
			ret = winiommu_mapping_replay(ext, hw);
		else if (ext->kind == WINIOMMU_EXT_TOKEN)
			ret = winiommu_token_replay(ext, hw);
		else if (ext->kind == WINIOMMU_EXT_SHADOW)
			ret = winiommu_shadow_replay(ext, hw);
		else if (winiommu_extent_is_direct(ext->kind))
			ret = winiommu_aspace_map_direct(dom, hw, it->start, it->last);
		else
			continue;
		if (ret)
			return ret;
	}
	return 0;
}
