// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The winiommu authors
 *
 * The ops of winiommu_bench: each benchmark's winiommu implementation
 * (through the V2 table, as a ported driver calls it) and the raw Linux
 * calls it wraps, on the same Linux domain; plus the pieces of
 * winiommu's work timed alone, to say where its time goes.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mutex.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include "bench.h"

#define BENCH_RW	(IOMMU_ACCESS_READ | IOMMU_ACCESS_WRITE)
/* What winiommu asks of iommu_map() for RAM mapped read/write. */
#define BENCH_PROT	(IOMMU_READ | IOMMU_WRITE | IOMMU_CACHE)

static void bench_contig(IOMMU_MAP_PHYSICAL_ADDRESS *pa, const struct bench_arg *a)
{
	pa->MapType = MapPhysicalAddressTypeContiguousRange;
	pa->ContiguousRange.Base.QuadPart = a->phys;
	pa->ContiguousRange.Size = a->npages << PAGE_SHIFT;
}

/* ---- MapLogicalRangeEx + UnmapLogicalRange vs iommu_map + iommu_unmap ----- */

/**
 * bench_win_map() - MapLogicalRangeEx of @a->npages contiguous pages.
 * @ctx: the run.
 * @a: the op's state; the logical address goes to @a->la[@i].
 * @i: pair of the batch.
 *
 * Read/write, or IOMMU_ACCESS_NONE with @a->no_access.
 *
 * Return: 0 or -EIO.
 */
int bench_win_map(struct bench_ctx *ctx, struct bench_arg *a, unsigned int i)
{
	IOMMU_MAP_PHYSICAL_ADDRESS pa;

	bench_contig(&pa, a);
	return bench_status(ctx->v2->MapLogicalRangeEx(ctx->dom,
						       a->no_access ? IOMMU_ACCESS_NONE : BENCH_RW,
						       &pa, NULL, NULL, NULL, &a->la[i]));
}

/**
 * bench_win_unmap() - UnmapLogicalRange of what bench_win_map() mapped.
 * @ctx: the run.
 * @a: the op's state.
 * @i: pair of the batch.
 *
 * Return: 0 or -EIO.
 */
int bench_win_unmap(struct bench_ctx *ctx, struct bench_arg *a, unsigned int i)
{
	return bench_status(ctx->v2->UnmapLogicalRange(ctx->dom, a->la[i], a->npages));
}

/**
 * bench_raw_map() - iommu_map() of the same pages at a raw address.
 * @ctx: the run.
 * @a: the op's state.
 * @i: pair of the batch.
 *
 * Return: 0 or iommu_map()'s error.
 */
int bench_raw_map(struct bench_ctx *ctx, struct bench_arg *a, unsigned int i)
{
	size_t size = a->npages << PAGE_SHIFT;

	return iommu_map(ctx->ldom, a->iova + i * size, a->phys, size, BENCH_PROT, GFP_KERNEL);
}

/**
 * bench_raw_unmap() - iommu_unmap() of what bench_raw_map() mapped.
 * @ctx: the run.
 * @a: the op's state.
 * @i: pair of the batch.
 *
 * Return: 0, or -EIO when less was unmapped.
 */
int bench_raw_unmap(struct bench_ctx *ctx, struct bench_arg *a, unsigned int i)
{
	size_t size = a->npages << PAGE_SHIFT;

	return iommu_unmap(ctx->ldom, a->iova + i * size, size) == size ? 0 : -EIO;
}

/**
 * bench_rawiova_map() - alloc_iova_fast() and iommu_map(), as dma-iommu does.
 * @ctx: the run.
 * @a: the op's state; @a->iovad hands out addresses in the domain's hole.
 * @i: pair of the batch.
 *
 * Return: 0, -ENOSPC or iommu_map()'s error.
 */
int bench_rawiova_map(struct bench_ctx *ctx, struct bench_arg *a, unsigned int i)
{
	size_t size = a->npages << PAGE_SHIFT;
	unsigned long pfn = alloc_iova_fast(a->iovad, a->npages, a->limit_pfn, true);
	int ret;

	if (!pfn)
		return -ENOSPC;
	a->la[i] = (u64)pfn << PAGE_SHIFT;
	ret = iommu_map(ctx->ldom, a->la[i], a->phys, size, BENCH_PROT, GFP_KERNEL);
	if (ret)
		free_iova_fast(a->iovad, pfn, a->npages);
	return ret;
}

/**
 * bench_rawiova_unmap() - iommu_unmap() and free_iova_fast().
 * @ctx: the run.
 * @a: the op's state.
 * @i: pair of the batch.
 *
 * Return: 0, or -EIO when less was unmapped.
 */
int bench_rawiova_unmap(struct bench_ctx *ctx, struct bench_arg *a, unsigned int i)
{
	size_t size = a->npages << PAGE_SHIFT;
	size_t done = iommu_unmap(ctx->ldom, a->la[i], size);

	free_iova_fast(a->iovad, a->la[i] >> PAGE_SHIFT, a->npages);
	return done == size ? 0 : -EIO;
}

/* ---- the logical allocator vs alloc_iova_fast -------------------------------- */

/**
 * bench_walloc_get() - winiommu_alloc_get() of @a->npages, no window.
 * @ctx: the run.
 * @a: the op's state.
 * @i: pair of the batch.
 *
 * Return: 0 or its error.
 */
int bench_walloc_get(struct bench_ctx *ctx, struct bench_arg *a, unsigned int i)
{
	return winiommu_alloc_get(a->walloc, a->npages, 0, U64_MAX, &a->la[i], &a->exact[i]);
}

/**
 * bench_walloc_put() - winiommu_alloc_put() of that block.
 * @ctx: the run.
 * @a: the op's state.
 * @i: pair of the batch.
 *
 * Return: 0.
 */
int bench_walloc_put(struct bench_ctx *ctx, struct bench_arg *a, unsigned int i)
{
	winiommu_alloc_put(a->walloc, a->la[i], a->npages, a->exact[i]);
	return 0;
}

/**
 * bench_iova_get() - alloc_iova_fast() of @a->npages below @a->limit_pfn.
 * @ctx: the run.
 * @a: the op's state.
 * @i: pair of the batch.
 *
 * Return: 0 or -ENOSPC.
 */
int bench_iova_get(struct bench_ctx *ctx, struct bench_arg *a, unsigned int i)
{
	a->la[i] = alloc_iova_fast(a->iovad, a->npages, a->limit_pfn, true);
	return a->la[i] ? 0 : -ENOSPC;
}

/**
 * bench_iova_put() - free_iova_fast() of that range.
 * @ctx: the run.
 * @a: the op's state.
 * @i: pair of the batch.
 *
 * Return: 0.
 */
int bench_iova_put(struct bench_ctx *ctx, struct bench_arg *a, unsigned int i)
{
	free_iova_fast(a->iovad, a->la[i], a->npages);
	return 0;
}

/* ---- MapReservedLogicalRange + UnmapReservedLogicalRange ---------------------- */

/**
 * bench_resv_map() - MapReservedLogicalRange at offset 0 of @a->tok.
 * @ctx: the run.
 * @a: the op's state; the segment goes to @a->seg.
 * @i: pair of the batch (batches of 1 only).
 *
 * Return: 0 or -EIO.
 */
int bench_resv_map(struct bench_ctx *ctx, struct bench_arg *a, unsigned int i)
{
	IOMMU_MAP_PHYSICAL_ADDRESS pa;

	bench_contig(&pa, a);
	return bench_status(ctx->v2->MapReservedLogicalRange(a->tok, 0, BENCH_RW, &pa, &a->seg));
}

/**
 * bench_resv_unmap() - UnmapReservedLogicalRange of that segment.
 * @ctx: the run.
 * @a: the op's state.
 * @i: pair of the batch.
 *
 * Return: 0 or -EIO.
 */
int bench_resv_unmap(struct bench_ctx *ctx, struct bench_arg *a, unsigned int i)
{
	return bench_status(ctx->v2->UnmapReservedLogicalRange(&a->seg));
}

/* ---- scatter: one call for 256 discontiguous pages vs 256 iommu_map ---------- */

/**
 * bench_win_scatter_map() - one MapLogicalRangeEx of a PFN array.
 * @ctx: the run.
 * @a: the op's state: @a->npages frames in @a->pfns.
 * @i: pair of the batch.
 *
 * Unmapped by bench_win_unmap().
 *
 * Return: 0 or -EIO.
 */
int bench_win_scatter_map(struct bench_ctx *ctx, struct bench_arg *a, unsigned int i)
{
	IOMMU_MAP_PHYSICAL_ADDRESS pa = {
		.MapType = MapPhysicalAddressTypePfn,
		.PfnArray.PageFrame = a->pfns,
		.PfnArray.NumberOfPages = a->npages,
	};

	return bench_status(ctx->v2->MapLogicalRangeEx(ctx->dom, BENCH_RW, &pa, NULL, NULL, NULL,
						       &a->la[i]));
}

/**
 * bench_raw_scatter_map() - one iommu_map() per page of @a->pfns.
 * @ctx: the run.
 * @a: the op's state.
 * @i: pair of the batch (batches of 1 only).
 *
 * Return: 0 or iommu_map()'s error (what was mapped is unmapped again).
 */
int bench_raw_scatter_map(struct bench_ctx *ctx, struct bench_arg *a, unsigned int i)
{
	u64 j;
	int ret;

	for (j = 0; j < a->npages; j++) {
		ret = iommu_map(ctx->ldom, a->iova + (j << PAGE_SHIFT),
				(phys_addr_t)a->pfns[j] << PAGE_SHIFT, PAGE_SIZE, BENCH_PROT,
				GFP_KERNEL);
		if (ret) {
			if (j)
				iommu_unmap(ctx->ldom, a->iova, j << PAGE_SHIFT);
			return ret;
		}
	}
	return 0;
}

/**
 * bench_raw_scatter_unmap() - one iommu_unmap() of the whole range.
 * @ctx: the run.
 * @a: the op's state.
 * @i: pair of the batch.
 *
 * Return: 0, or -EIO when less was unmapped.
 */
int bench_raw_scatter_unmap(struct bench_ctx *ctx, struct bench_arg *a, unsigned int i)
{
	size_t size = a->npages << PAGE_SHIFT;

	return iommu_unmap(ctx->ldom, a->iova, size) == size ? 0 : -EIO;
}

/* ---- attach and detach of a domain that holds mappings ------------------------ */

/**
 * bench_win_attach() - AttachDeviceEx: a new Linux domain, filled by replay.
 * @ctx: the run.
 * @a: the op's state: @a->dom.
 * @i: pair of the batch.
 *
 * Return: 0 or -EIO.
 */
int bench_win_attach(struct bench_ctx *ctx, struct bench_arg *a, unsigned int i)
{
	return bench_status(ctx->v2->AttachDeviceEx(a->dom, ctx->wdev));
}

/**
 * bench_win_detach() - DetachDeviceEx: the Linux domain is freed.
 * @ctx: the run.
 * @a: the op's state.
 * @i: pair of the batch.
 *
 * Return: 0 or -EIO.
 */
int bench_win_detach(struct bench_ctx *ctx, struct bench_arg *a, unsigned int i)
{
	return bench_status(ctx->v2->DetachDeviceEx(ctx->wdev));
}

/**
 * bench_raw_attach() - the same state built with Linux calls.
 * @ctx: the run.
 * @a: the op's state: @a->nr_replay addresses in @a->replay_la.
 * @i: pair of the batch.
 *
 * Claims DMA ownership, allocates a paging domain, attaches the group and
 * maps the page at @a->phys at every address winiommu's domain maps it.
 *
 * Return: 0 or a negative errno (everything undone).
 */
int bench_raw_attach(struct bench_ctx *ctx, struct bench_arg *a, unsigned int i)
{
	struct device *dev = &ctx->pdev->dev;
	unsigned int k;
	int ret;

	ret = iommu_device_claim_dma_owner(dev, ctx);
	if (ret)
		return ret;
	a->raw = iommu_paging_domain_alloc(dev);
	if (IS_ERR(a->raw)) {
		ret = PTR_ERR(a->raw);
		goto err_release;
	}
	ret = iommu_attach_group(a->raw, ctx->group);
	if (ret)
		goto err_free;
	for (k = 0; k < a->nr_replay; k++) {
		ret = iommu_map(a->raw, a->replay_la[k], a->phys, PAGE_SIZE, BENCH_PROT,
				GFP_KERNEL);
		if (ret)
			goto err_detach;
	}
	return 0;

err_detach:
	iommu_detach_group(a->raw, ctx->group);
err_free:
	iommu_domain_free(a->raw);
err_release:
	iommu_device_release_dma_owner(dev);
	return ret;
}

/**
 * bench_raw_detach() - undo bench_raw_attach().
 * @ctx: the run.
 * @a: the op's state.
 * @i: pair of the batch.
 *
 * Return: 0.
 */
int bench_raw_detach(struct bench_ctx *ctx, struct bench_arg *a, unsigned int i)
{
	iommu_detach_group(a->raw, ctx->group);
	iommu_domain_free(a->raw);
	iommu_device_release_dma_owner(&ctx->pdev->dev);
	return 0;
}

/* ---- pieces of winiommu's work, timed alone ------------------------------------- */

/**
 * bench_call_reject() - a call that only looks its domain up.
 * @ctx: the run.
 * @a: the op's state.
 * @i: pair of the batch.
 *
 * UnmapLogicalRange of an unaligned address: the call layer, the handle
 * lookup (registry and reference) and the first argument check, then
 * STATUS_INVALID_PARAMETER_2.  Every routine pays this once.
 *
 * Return: 0, or -EIO for any other status.
 */
int bench_call_reject(struct bench_ctx *ctx, struct bench_arg *a, unsigned int i)
{
	return ctx->v2->UnmapLogicalRange(ctx->dom, 1, 1) == STATUS_INVALID_PARAMETER_2 ? 0 : -EIO;
}

/**
 * bench_call_query() - the cheapest call that succeeds.
 * @ctx: the run.
 * @a: the op's state.
 * @i: pair of the batch.
 *
 * QueryDeviceInfo: the call layer, the handle lookup (registry and
 * reference) and three bytes copied out.
 *
 * Return: 0, or -EIO when it fails.
 */
int bench_call_query(struct bench_ctx *ctx, struct bench_arg *a, unsigned int i)
{
	IOMMU_DMA_DEVICE_INFORMATION info;
	ULONG written;

	return bench_status(ctx->v3->QueryDeviceInfo(ctx->wdev, sizeof(info), &written, &info));
}

/**
 * bench_kmalloc_get() - the allocations winiommu makes for one mapping.
 * @ctx: the run.
 * @a: the op's state: @a->nr_allocs sizes in @a->alloc_size, as the
 *	tracker saw winiommu ask for them.
 * @i: pair of the batch.
 *
 * Return: 0 or -ENOMEM.
 */
int bench_kmalloc_get(struct bench_ctx *ctx, struct bench_arg *a, unsigned int i)
{
	unsigned int k;

	for (k = 0; k < a->nr_allocs; k++) {
		a->ptr[i][k] = kzalloc(a->alloc_size[k], GFP_KERNEL);
		if (!a->ptr[i][k]) {
			while (k--)
				kfree(a->ptr[i][k]);
			return -ENOMEM;
		}
	}
	return 0;
}

/**
 * bench_kmalloc_put() - free what bench_kmalloc_get() allocated.
 * @ctx: the run.
 * @a: the op's state.
 * @i: pair of the batch.
 *
 * Return: 0.
 */
int bench_kmalloc_put(struct bench_ctx *ctx, struct bench_arg *a, unsigned int i)
{
	unsigned int k;

	for (k = 0; k < a->nr_allocs; k++)
		kfree(a->ptr[i][k]);
	return 0;
}

/* A tree with as many extents as the benchmark domain holds. */
static struct rb_root_cached bench_tree = RB_ROOT_CACHED;
static struct interval_tree_node *bench_tree_fill;
static unsigned int bench_tree_nr;

/**
 * bench_tree_setup() - fill the phase tree with @nodes extents.
 * @nodes: how many (placed far below the ones the phase inserts).
 */
void bench_tree_setup(unsigned int nodes)
{
	unsigned int k;

	bench_tree_fill = kvcalloc(nodes, sizeof(*bench_tree_fill), GFP_KERNEL);
	if (!bench_tree_fill)
		return;
	bench_tree_nr = nodes;
	for (k = 0; k < nodes; k++) {
		bench_tree_fill[k].start = (u64)k << 24;
		bench_tree_fill[k].last = ((u64)k << 24) + SZ_1M - 1;
		interval_tree_insert(&bench_tree_fill[k], &bench_tree);
	}
}

/**
 * bench_tree_teardown() - empty the phase tree.
 */
void bench_tree_teardown(void)
{
	unsigned int k;

	for (k = 0; k < bench_tree_nr; k++)
		interval_tree_remove(&bench_tree_fill[k], &bench_tree);
	kvfree(bench_tree_fill);
	bench_tree_fill = NULL;
	bench_tree_nr = 0;
}

/**
 * bench_tree_insert() - what the address space does for a new mapping.
 * @ctx: the run.
 * @a: the op's state.
 * @i: pair of the batch.
 *
 * An overlap query, then the insert.
 *
 * Return: 0.
 */
int bench_tree_insert(struct bench_ctx *ctx, struct bench_arg *a, unsigned int i)
{
	struct interval_tree_node *n = &a->nodes[i];

	n->start = BIT_ULL(47) + ((u64)i << PAGE_SHIFT);
	n->last = n->start + PAGE_SIZE - 1;
	if (interval_tree_iter_first(&bench_tree, n->start, n->last))
		return -EEXIST;
	interval_tree_insert(n, &bench_tree);
	return 0;
}

/**
 * bench_tree_remove() - what UnmapLogicalRange does in the tree.
 * @ctx: the run.
 * @a: the op's state.
 * @i: pair of the batch.
 *
 * Two walks over the range (coverage check, pieces), then the removal.
 *
 * Return: 0, or -ENOENT if the node is not found.
 */
int bench_tree_remove(struct bench_ctx *ctx, struct bench_arg *a, unsigned int i)
{
	struct interval_tree_node *n = &a->nodes[i];

	if (interval_tree_iter_first(&bench_tree, n->start, n->last) != n ||
	    interval_tree_iter_first(&bench_tree, n->start, n->last) != n)
		return -ENOENT;
	interval_tree_remove(n, &bench_tree);
	return 0;
}

static DEFINE_MUTEX(bench_mutex);

/**
 * bench_mutex_lock() - what every routine does with its domain's lock.
 * @ctx: the run.
 * @a: the op's state.
 * @i: pair of the batch (batches of 1 only: the lock is not recursive).
 *
 * Return: 0.
 */
int bench_mutex_lock(struct bench_ctx *ctx, struct bench_arg *a, unsigned int i)
{
	mutex_lock(&bench_mutex);
	return 0;
}

/**
 * bench_mutex_unlock() - and its release.
 * @ctx: the run.
 * @a: the op's state.
 * @i: pair of the batch.
 *
 * Return: 0.
 */
int bench_mutex_unlock(struct bench_ctx *ctx, struct bench_arg *a, unsigned int i)
{
	mutex_unlock(&bench_mutex);
	return 0;
}

/**
 * bench_nop() - nothing: a pair of these times the clock itself.
 * @ctx: the run.
 * @a: the op's state.
 * @i: pair of the batch.
 *
 * Return: 0.
 */
int bench_nop(struct bench_ctx *ctx, struct bench_arg *a, unsigned int i)
{
	return 0;
}
