// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The winiommu authors
 *
 * The logical allocator of a domain (Windows' "buddy" allocator,
 * IOMMU_DMA_LOGICAL_ALLOCATOR_CONFIG) on the Linux iova allocator.
 *
 * What it promises, as Windows documents for its buddy allocator: every
 * block lies below 2^AddressWidth, address 0 is never handed out, and a
 * block of n pages is aligned to the power of two at or above n pages.
 *
 * Placement: requests without a Min/Max window take the iova fast path
 * (per-CPU caches, top-down); blocks of 64 pages to 4 MiB, which those
 * caches do not keep, are kept by the allocator itself (a few of each
 * power-of-two size, @big) and given back to the tree when anything else
 * does not fit.  Windows prefers low addresses; that is a
 * preference and not a guarantee, and the divergence is documented.
 * Requests with a window are placed exactly: the lowest naturally aligned
 * gap inside [Min, Max] is found in the iova tree and claimed with
 * reserve_iova(), so a window that has room always succeeds and one that
 * has none fails, whatever the caches hold.
 *
 * Locking: none of its own.  The owning domain's lock serialises every
 * call; the iova allocator takes its own spinlock inside.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/log2.h>
#include <linux/spinlock.h>

#include "winiommu.h"

/* Highest page frame below 2^width. */
static unsigned long width_last_pfn(u32 width)
{
	return (unsigned long)((BIT_ULL(width) - 1) >> PAGE_SHIFT);
}

/**
 * winiommu_alloc_init() - set up a logical allocator.
 * @a: the allocator.
 * @width: its AddressWidth, 1 to 63 bits.
 *
 * Return: 0, -EINVAL for a bad @width, or -ENOMEM.
 */
int winiommu_alloc_init(struct winiommu_alloc *a, u32 width)
{
	int ret;

	if (WARN_ON(!width || width > 63))
		return -EINVAL;
	ret = iova_cache_get();
	if (ret)
		return ret;
	a->width = width;
	a->first_pfn = 1;		/* logical address 0 is never handed out */
	a->last_pfn = width_last_pfn(width);
	init_iova_domain(&a->iovad, PAGE_SIZE, a->first_pfn);
	ret = iova_domain_init_rcaches(&a->iovad);
	if (ret) {
		iova_cache_put();
		return ret;
	}
	return 0;
}
EXPORT_SYMBOL_NS_GPL(winiommu_alloc_init, WINIOMMU_TEST_NS);

/**
 * winiommu_alloc_destroy() - free what winiommu_alloc_init() set up.
 * @a: the allocator; every block still allocated goes with it.
 */
void winiommu_alloc_destroy(struct winiommu_alloc *a)
{
	put_iova_domain(&a->iovad);
	iova_cache_put();
}
EXPORT_SYMBOL_NS_GPL(winiommu_alloc_destroy, WINIOMMU_TEST_NS);

/* Last byte the allocator may hand out. */
u64 winiommu_alloc_last_addr(const struct winiommu_alloc *a)
{
	return ((u64)a->last_pfn << PAGE_SHIFT) | (PAGE_SIZE - 1);
}

/**
 * winiommu_alloc_reserve() - withhold a range from the allocator for good.
 * @a: the allocator.
 * @start: first byte of the range.
 * @last: last byte of the range (inclusive).
 *
 * Return: 0, or -ENOMEM.
 */
int winiommu_alloc_reserve(struct winiommu_alloc *a, u64 start, u64 last)
{
	if (!reserve_iova(&a->iovad, start >> PAGE_SHIFT, last >> PAGE_SHIFT))
		return -ENOMEM;
	return 0;
}
EXPORT_SYMBOL_NS_GPL(winiommu_alloc_reserve, WINIOMMU_TEST_NS);

/*
 * Lowest @n-page gap aligned to roundup_pow_of_two(@n) inside
 * [@lo, @hi] (page frames), or 0.  Walks the iova tree in address order
 * under the tree's own lock; ranges parked in the per-CPU caches count as
 * taken, which is safe (never handed out twice).
 */
static unsigned long winiommu_alloc_scan(struct iova_domain *iovad, unsigned long n,
					 unsigned long lo, unsigned long hi)
{
	unsigned long align = roundup_pow_of_two(n);
	struct rb_node *node, *first = NULL;
	unsigned long flags, cand;

	cand = ALIGN(lo, align);
	if (cand < lo)
		return 0;
	spin_lock_irqsave(&iovad->iova_rbtree_lock, flags);
	node = iovad->rbroot.rb_node;
	while (node) {
		struct iova *iova = rb_entry(node, struct iova, node);

		if (iova->pfn_hi >= cand) {
			first = node;
			node = node->rb_left;
		} else {
			node = node->rb_right;
		}
	}
	for (node = first; node; node = rb_next(node)) {
		struct iova *iova = rb_entry(node, struct iova, node);

		if (cand > hi || hi - cand < n - 1)
			break;
		if (iova->pfn_lo > cand + n - 1)
			break;			/* the gap before this node fits */
		if (iova->pfn_hi >= hi) {
			cand = 0;		/* occupied up to the end of the window */
			break;
		}
		cand = ALIGN(iova->pfn_hi + 1, align);
		if (!cand)
			break;			/* wrapped */
	}
	spin_unlock_irqrestore(&iovad->iova_rbtree_lock, flags);
	if (!cand || cand > hi || hi - cand < n - 1)
		return 0;
	return cand;
}

/*
 * Give every range parked in the iova per-CPU and global caches back to
 * the tree.  The iova API has no exported call for this, but
 * alloc_iova_fast() with flush_rcache does it before retrying a request
 * that cannot fit: ask for more pages than the domain has.
 */
static void winiommu_alloc_drain(struct winiommu_alloc *a)
{
	unsigned long pfn = alloc_iova_fast(&a->iovad, a->last_pfn + 1, a->last_pfn, true);

	if (WARN_ON_ONCE(pfn))
		free_iova(&a->iovad, pfn);
}

/* The slot of @a->big for blocks of @npages, or -1 (none: not cached). */
static int winiommu_alloc_big_slot(u64 npages)
{
	int slot;

	if (!is_power_of_2(npages))
		return -1;
	slot = ilog2(npages) - WINIOMMU_ALLOC_BIG_ORDER;
	return slot >= 0 && slot < WINIOMMU_ALLOC_BIG_ORDERS ? slot : -1;
}

/* Give the big blocks back to the iova tree. */
static void winiommu_alloc_flush_big(struct winiommu_alloc *a)
{
	unsigned int i;

	for (i = 0; i < WINIOMMU_ALLOC_BIG_ORDERS; i++)
		while (a->big[i].nr)
			free_iova(&a->iovad, a->big[i].pfn[--a->big[i].nr]);
}

/**
 * winiommu_alloc_flush() - give every cached block back to the iova tree.
 * @a: the allocator.
 *
 * Before the allocator's range narrows (winiommu_apply_reach()): a block
 * parked in a cache must not be handed out beyond the new range, nor lie
 * under a range reserve_iova() is about to withhold.
 */
void winiommu_alloc_flush(struct winiommu_alloc *a)
{
	winiommu_alloc_flush_big(a);
	winiommu_alloc_drain(a);
}

/**
 * winiommu_alloc_put_big() - winiommu_alloc_put() of 64 pages or more.
 * @a: the allocator.
 * @pfn: the block's first page frame.
 * @npages: its size in pages.
 *
 * A block of a cached size stays allocated in the iova tree, for the next
 * request of its size; the rest go back to the iova allocator.
 */
void winiommu_alloc_put_big(struct winiommu_alloc *a, unsigned long pfn, u64 npages)
{
	int slot = winiommu_alloc_big_slot(npages);

	if (slot >= 0 && a->big[slot].nr < WINIOMMU_ALLOC_BIG_DEPTH) {
		a->big[slot].pfn[a->big[slot].nr++] = pfn;
		return;
	}
	free_iova_fast(&a->iovad, pfn, npages);
}
EXPORT_SYMBOL_NS_GPL(winiommu_alloc_put_big, WINIOMMU_TEST_NS);

/*
 * A request without a window: a cached big block, else the iova caches
 * and tree, else all of them again once the big blocks are given back.
 */
static int winiommu_alloc_get_any(struct winiommu_alloc *a, u64 npages, u64 *iova, bool *exact)
{
	int slot = winiommu_alloc_big_slot(npages);
	unsigned long pfn = 0;

	while (slot >= 0 && a->big[slot].nr && !pfn) {
		pfn = a->big[slot].pfn[--a->big[slot].nr];
		if (pfn < a->first_pfn || pfn + npages - 1 > a->last_pfn) {
			free_iova(&a->iovad, pfn);	/* outside the range now */
			pfn = 0;
		}
	}
	if (!pfn)
		pfn = alloc_iova_fast(&a->iovad, npages, a->last_pfn, true);
	if (!pfn) {
		winiommu_alloc_flush_big(a);
		pfn = alloc_iova_fast(&a->iovad, npages, a->last_pfn, true);
		if (!pfn)
			return -ENOSPC;
	}
	*iova = (u64)pfn << PAGE_SHIFT;
	*exact = false;
	a->used_pages += npages;
	a->used_blocks++;
	return 0;
}

/**
 * winiommu_alloc_get_slow() - winiommu_alloc_get() off its fast path.
 * @a: the allocator.
 * @npages: pages in the block.
 * @min: lowest address the block's first byte may have.
 * @max: highest address its last byte may have (U64_MAX: no limit).
 * @iova: receives the block's address.
 * @exact: receives whether the block was placed exactly.
 *
 * Every request winiommu_alloc_get() does not serve inline: a window, 64
 * pages or more, a size the allocator cannot hold, or a request the iova
 * caches and tree could not serve.
 *
 * Return: as winiommu_alloc_get().
 */
int winiommu_alloc_get_slow(struct winiommu_alloc *a, u64 npages, u64 min, u64 max, u64 *iova,
			    bool *exact)
{
	unsigned long lo, hi, pfn;
	bool bounded;

	if (!npages || npages > a->last_pfn)
		return min || max != U64_MAX ? -ERANGE : -ENOSPC;

	lo = max_t(u64, DIV_ROUND_UP_ULL(min, PAGE_SIZE), a->first_pfn);
	if (max != U64_MAX && max < PAGE_SIZE - 1)
		return -ERANGE;		/* not even page 0 ends below it */
	hi = max == U64_MAX ? a->last_pfn :
			      min_t(u64, ((max + 1) >> PAGE_SHIFT) - 1, a->last_pfn);
	bounded = lo > a->first_pfn || hi < a->last_pfn;
	if (lo > hi || hi - lo < npages - 1)
		return bounded ? -ERANGE : -ENOSPC;

	if (!bounded)	/* a window as wide as the allocator: no window */
		return winiommu_alloc_get_any(a, npages, iova, exact);

	pfn = winiommu_alloc_scan(&a->iovad, npages, lo, hi);
	if (!pfn) {
		winiommu_alloc_flush(a);
		pfn = winiommu_alloc_scan(&a->iovad, npages, lo, hi);
		if (!pfn)
			return -ERANGE;
	}
	/* Claimed exactly; freed with free_iova(), never into the caches. */
	if (!reserve_iova(&a->iovad, pfn, pfn + npages - 1))
		return -ENOMEM;
	*iova = (u64)pfn << PAGE_SHIFT;
	*exact = true;
	a->used_pages += npages;
	a->used_blocks++;
	return 0;
}
EXPORT_SYMBOL_NS_GPL(winiommu_alloc_get_slow, WINIOMMU_TEST_NS);

