// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The winiommu authors
 *
 * winiommu_bench.ko: how close winiommu gets to the raw Linux IOMMU calls
 * it wraps, measured in one guest, in one run (make bench).
 *
 * At load it binds the first of QEMU's edu devices (driver_managed_dma,
 * as a ported Windows driver does), makes it a winiommu device attached to
 * a Translate domain with a 48-bit buddy allocator and a 64 MiB hole at
 * 1 GiB, and takes the Linux domain winiommu made for it
 * (winiommu_bench_linux_domain()).  Raw iommu_map() calls go into that
 * hole: the same Linux domain, the same IOMMU, the same page sizes.  One
 * real DMA through a winiommu mapping and one through a raw mapping prove
 * that both translate.  Then, each benchmark against its baseline:
 *
 *   map_4k, map_64k, map_2m  MapLogicalRangeEx + UnmapLogicalRange of
 *                            contiguous RAM vs iommu_map + iommu_unmap
 *                            (raw), and vs alloc_iova_fast + iommu_map +
 *                            iommu_unmap + free_iova_fast (raw_iova, what
 *                            dma-iommu does for a streaming mapping)
 *   alloc_1, _16, _512       winiommu_alloc_get + _put vs alloc_iova_fast +
 *                            free_iova_fast, on allocators of their own
 *   resv_4k, resv_64k        MapReservedLogicalRange + Unmap... vs raw
 *   scatter                  one MapLogicalRangeEx of 256 discontiguous
 *                            pages (PFN array) vs 256 iommu_map + 1 unmap
 *   scale_N                  map_4k with N live mappings in the domain,
 *                            N = 1k, 10k, 100k, 1M
 *   attach                   AttachDeviceEx (replay) + DetachDeviceEx of a
 *                            domain holding 10k mappings vs claim +
 *                            iommu_paging_domain_alloc + attach + 10k
 *                            iommu_map, and detach + free + release
 *   attach_empty             the same with no mapping (the fixed cost)
 *
 * and the pieces of winiommu's work alone: book_* (MapLogicalRangeEx with
 * IOMMU_ACCESS_NONE: all of winiommu's bookkeeping, no IOMMU call),
 * phase_query and phase_call (the call layer and handle lookup of a call
 * that succeeds, and of one refused), phase_mutex (a lock and unlock),
 * phase_kmalloc (its records),
 * phase_tree (its interval tree), timer (the clock); plus tracked passes
 * counting what each implementation allocates (harness.c).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/io.h>
#include <linux/iopoll.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/utsname.h>
#include <linux/vmalloc.h>

#include "bench.h"

MODULE_IMPORT_NS(WINIOMMU_TEST_NS);

static unsigned int reps = 7;
module_param(reps, uint, 0444);
MODULE_PARM_DESC(reps, "repetitions of every benchmark");

static unsigned int iters = 2000;
module_param(iters, uint, 0444);
MODULE_PARM_DESC(iters, "timed samples per repetition");

static unsigned int warmup = 200;
module_param(warmup, uint, 0444);
MODULE_PARM_DESC(warmup, "untimed pairs before each repetition");

static unsigned int track = 200;
module_param(track, uint, 0444);
MODULE_PARM_DESC(track, "pairs in each tracked (allocation counting) pass");

static unsigned int scale_max = 1000000;
module_param(scale_max, uint, 0444);
MODULE_PARM_DESC(scale_max, "most live mappings the scaling benchmark fills the domain with");

static unsigned int replay = 10000;
module_param(replay, uint, 0444);
MODULE_PARM_DESC(replay, "mappings the domain holds in the attach benchmark");

/* The hole of the benchmark domain (ShouldMap FALSE): raw maps go here. */
#define BENCH_HOLE_BASE		SZ_1G
#define BENCH_HOLE_SIZE		SZ_64M
#define BENCH_RAW_SMALL		(BENCH_HOLE_BASE)		/* 4 KiB, 64 KiB */
#define BENCH_RAW_LARGE		(BENCH_HOLE_BASE + SZ_4M)	/* 2 MiB */
#define BENCH_RAW_SCATTER	(BENCH_HOLE_BASE + SZ_8M)
#define BENCH_RAW_RESV		(BENCH_HOLE_BASE + SZ_8M + SZ_4M)
#define BENCH_RAW_SCALE		(BENCH_HOLE_BASE + SZ_16M)
#define BENCH_RAW_IOVA		(BENCH_HOLE_BASE + SZ_32M)	/* to the end of the hole */

#define BENCH_WIDTH		48
#define BENCH_ORDER		9				/* 2 MiB of RAM */
#define BENCH_TOKEN_PAGES	64
#define BENCH_PHASE_BATCH	16

/* edu's registers and its internal buffer, as the device addresses it. */
#define EDU_REG_DMA_SRC		0x80
#define EDU_REG_DMA_DST		0x88
#define EDU_REG_DMA_CNT		0x90
#define EDU_REG_DMA_CMD		0x98
#define EDU_CMD_START		BIT(0)
#define EDU_CMD_TO_RAM		BIT(1)
#define EDU_BUF			0x40000
#define EDU_CHECK_BYTES		2048

static struct bench_ctx bench;
static struct bench_arg *bench_args;	/* one per op, freed at the end */
static unsigned int bench_nr_args;
#define BENCH_MAX_ARGS		64

static struct bench_arg *bench_new_arg(void)
{
	if (bench_nr_args == BENCH_MAX_ARGS)
		return NULL;
	return memset(&bench_args[bench_nr_args++], 0, sizeof(*bench_args));
}

/* ---- the edu device ------------------------------------------------------------ */

/* One edu DMA of @len bytes between RAM at @iova and edu's buffer. */
static int bench_edu_dma(struct bench_ctx *ctx, u64 iova, u32 len, bool to_ram)
{
	u64 cmd;

	writeq(to_ram ? EDU_BUF : iova, ctx->bar + EDU_REG_DMA_SRC);
	writeq(to_ram ? iova : EDU_BUF, ctx->bar + EDU_REG_DMA_DST);
	writeq(len, ctx->bar + EDU_REG_DMA_CNT);
	writeq(EDU_CMD_START | (to_ram ? EDU_CMD_TO_RAM : 0), ctx->bar + EDU_REG_DMA_CMD);
	return readq_poll_timeout(ctx->bar + EDU_REG_DMA_CMD, cmd, !(cmd & EDU_CMD_START), 10,
				  1000000);
}

/*
 * Page 0 of the buffer, mapped by winiommu, goes to the device; the device
 * writes it back into page 1 through a raw iommu_map() of the same Linux
 * domain.  Both kinds of mapping translate, or the numbers mean nothing.
 */
static int bench_dma_check(struct bench_ctx *ctx)
{
	IOMMU_MAP_PHYSICAL_ADDRESS pa = {
		.MapType = MapPhysicalAddressTypeContiguousRange,
		.ContiguousRange.Base.QuadPart = ctx->phys,
		.ContiguousRange.Size = PAGE_SIZE,
	};
	u8 *src = page_address(ctx->pages), *dst = src + PAGE_SIZE;
	IOMMU_DMA_LOGICAL_ADDRESS la;
	unsigned int k;
	int ret;

	for (k = 0; k < EDU_CHECK_BYTES; k++)
		src[k] = (u8)(k * 7 + 1);
	memset(dst, 0, EDU_CHECK_BYTES);
	ret = bench_status(ctx->v2->MapLogicalRangeEx(ctx->dom, IOMMU_ACCESS_READ, &pa, NULL,
						      NULL, NULL, &la));
	if (ret)
		return ret;
	ret = iommu_map(ctx->ldom, BENCH_RAW_SMALL, ctx->phys + PAGE_SIZE, PAGE_SIZE,
			IOMMU_READ | IOMMU_WRITE | IOMMU_CACHE, GFP_KERNEL);
	if (ret)
		goto out_unmap_win;
	ret = bench_edu_dma(ctx, la, EDU_CHECK_BYTES, false);
	if (!ret)
		ret = bench_edu_dma(ctx, BENCH_RAW_SMALL, EDU_CHECK_BYTES, true);
	if (!ret && memcmp(src, dst, EDU_CHECK_BYTES))
		ret = -EIO;
	pr_info("I dma_check %s winiommu=%#llx raw=%#llx\n", ret ? "FAIL" : "ok", la,
		(u64)BENCH_RAW_SMALL);
	iommu_unmap(ctx->ldom, BENCH_RAW_SMALL, PAGE_SIZE);
out_unmap_win:
	ctx->v2->UnmapLogicalRange(ctx->dom, la, 1);
	return ret;
}

/* ---- the benchmarks -------------------------------------------------------------- */

/* The winiommu and raw ops of a contiguous map benchmark. */
static int bench_map_ops(struct bench_ctx *ctx, struct bench_op *ops, const char *name,
			 u64 npages, u64 raw_iova, struct iova_domain *iovad)
{
	struct bench_arg *w = bench_new_arg(), *r = bench_new_arg(), *ri = bench_new_arg();

	if (!w || !r || !ri)
		return -ENOMEM;
	w->npages = npages;
	r->npages = npages;
	ri->npages = npages;
	w->phys = ctx->phys;
	r->phys = ctx->phys;
	ri->phys = ctx->phys;
	r->iova = raw_iova;
	ri->iovad = iovad;
	ri->limit_pfn = (BENCH_HOLE_BASE + BENCH_HOLE_SIZE - 1) >> PAGE_SHIFT;
	ops[0] = (struct bench_op){ name, "win", 1, bench_win_map, bench_win_unmap, w };
	ops[1] = (struct bench_op){ name, "raw", 1, bench_raw_map, bench_raw_unmap, r };
	ops[2] = (struct bench_op){ name, "raw_iova", 1, bench_rawiova_map, bench_rawiova_unmap,
				    ri };
	return 0;
}

/* Rows 1 (map) and the pieces of winiommu's work. */
static int bench_maps(struct bench_ctx *ctx, struct iova_domain *hole_iovad)
{
	static const struct { const char *name; u64 npages; u64 raw; } sizes[] = {
		{ "map_4k", 1, BENCH_RAW_SMALL },
		{ "map_64k", 16, BENCH_RAW_SMALL },
		{ "map_2m", 512, BENCH_RAW_LARGE },
	};
	struct bench_op ops[4], phase[5];
	struct bench_arg *k = bench_new_arg(), *t = bench_new_arg(), *c = bench_new_arg();
	unsigned int s, j;
	int ret;

	if (!k || !t || !c)
		return -ENOMEM;
	for (s = 0; s < ARRAY_SIZE(sizes); s++) {
		ret = bench_map_ops(ctx, ops, sizes[s].name, sizes[s].npages, sizes[s].raw,
				    hole_iovad);
		if (ret)
			return ret;
		/* winiommu's own work: the same map with IOMMU_ACCESS_NONE */
		ops[3] = ops[0];
		ops[3].impl = "book";
		ops[3].arg = bench_new_arg();
		if (!ops[3].arg)
			return -ENOMEM;
		*ops[3].arg = *ops[0].arg;
		ops[3].arg->no_access = true;
		ret = bench_group(ctx, ops, 4, ctx->iters, ctx->warmup);
		if (!ret)
			ret = bench_track(ctx, sizes[s].name, &ops[1], track);
		if (!ret)
			ret = bench_track(ctx, sizes[s].name, &ops[0], track);
		if (ret)
			return ret;
		if (s)
			continue;
		/* the sizes winiommu asked kmalloc for, in the pass just made */
		k->nr_allocs = bench_mt_module_sizes("winiommu", track, k->alloc_size,
						     BENCH_MAX_ALLOCS);
		for (j = 0; j < k->nr_allocs; j++)
			pr_info("I winiommu_kmalloc_per_map %zu\n", k->alloc_size[j]);
	}

	/* the pieces: the call layer and lookup, kmalloc, the interval tree */
	phase[0] = (struct bench_op){ "phase_call", "win", BENCH_PHASE_BATCH, bench_call_reject,
				      bench_nop, c };
	phase[3] = (struct bench_op){ "phase_query", "win", BENCH_PHASE_BATCH, bench_call_query,
				      bench_nop, c };
	phase[4] = (struct bench_op){ "phase_mutex", "win", 1, bench_mutex_lock,
				      bench_mutex_unlock, c };
	phase[1] = (struct bench_op){ "phase_kmalloc", "win", BENCH_PHASE_BATCH,
				      bench_kmalloc_get, bench_kmalloc_put, k };
	phase[2] = (struct bench_op){ "phase_tree", "win", BENCH_PHASE_BATCH, bench_tree_insert,
				      bench_tree_remove, t };
	winiommu_params.log_rejects = false;
	bench_tree_setup(4);	/* the hole and the device's reserved regions */
	ret = bench_group(ctx, phase, 5, ctx->iters, ctx->warmup);
	bench_tree_teardown();
	winiommu_params.log_rejects = true;
	return ret;
}

/* Row 2: the logical allocator alone vs alloc_iova_fast, 1, 16 and 512 pages. */
static int bench_allocs(struct bench_ctx *ctx)
{
	static const struct { const char *name; u64 npages; } sizes[] = {
		{ "alloc_1", 1 }, { "alloc_16", 16 }, { "alloc_512", 512 },
	};
	struct winiommu_alloc *wa;
	struct iova_domain *iovad;
	struct bench_op ops[2];
	unsigned int s;
	int ret;

	wa = kzalloc(sizeof(*wa), GFP_KERNEL);
	iovad = kzalloc(sizeof(*iovad), GFP_KERNEL);
	if (!wa || !iovad) {
		ret = -ENOMEM;
		goto out_free;
	}
	ret = winiommu_alloc_init(wa, BENCH_WIDTH);
	if (ret)
		goto out_free;
	ret = iova_cache_get();
	if (ret)
		goto out_walloc;
	init_iova_domain(iovad, PAGE_SIZE, 1);
	ret = iova_domain_init_rcaches(iovad);
	if (ret)
		goto out_iova_cache;

	for (s = 0; s < ARRAY_SIZE(sizes) && !ret; s++) {
		struct bench_arg *w = bench_new_arg(), *r = bench_new_arg();
		unsigned int batch = sizes[s].npages > 32 ? 1 : BENCH_BATCH;

		if (!w || !r) {
			ret = -ENOMEM;
			break;
		}
		w->npages = sizes[s].npages;
		r->npages = sizes[s].npages;
		w->walloc = wa;
		r->iovad = iovad;
		r->limit_pfn = (BIT_ULL(BENCH_WIDTH) - 1) >> PAGE_SHIFT;
		ops[0] = (struct bench_op){ sizes[s].name, "win", batch, bench_walloc_get,
					    bench_walloc_put, w };
		ops[1] = (struct bench_op){ sizes[s].name, "raw", batch, bench_iova_get,
					    bench_iova_put, r };
		ret = bench_group(ctx, ops, 2, ctx->iters, ctx->warmup);
	}

	put_iova_domain(iovad);
out_iova_cache:
	iova_cache_put();
out_walloc:
	winiommu_alloc_destroy(wa);
out_free:
	kfree(iovad);
	kfree(wa);
	return ret;
}

/* Row 3: segments of a reserved logical range vs raw maps, 4 and 64 KiB. */
static int bench_reserved(struct bench_ctx *ctx)
{
	static const struct { const char *name; u64 npages; } sizes[] = {
		{ "resv_4k", 1 }, { "resv_64k", 16 },
	};
	PIOMMU_DMA_LOGICAL_ADDRESS_TOKEN tok;
	struct bench_op ops[2];
	unsigned int s;
	int ret;

	ret = bench_status(ctx->v2->ReserveLogicalAddressRange(ctx->dom,
							       BENCH_TOKEN_PAGES * PAGE_SIZE,
							       NULL, NULL, NULL, &tok));
	if (ret)
		return ret;
	for (s = 0; s < ARRAY_SIZE(sizes) && !ret; s++) {
		struct bench_arg *w = bench_new_arg(), *r = bench_new_arg();

		if (!w || !r) {
			ret = -ENOMEM;
			break;
		}
		w->npages = sizes[s].npages;
		r->npages = sizes[s].npages;
		w->phys = ctx->phys;
		r->phys = ctx->phys;
		w->tok = tok;
		r->iova = BENCH_RAW_RESV;
		ops[0] = (struct bench_op){ sizes[s].name, "win", 1, bench_resv_map,
					    bench_resv_unmap, w };
		ops[1] = (struct bench_op){ sizes[s].name, "raw", 1, bench_raw_map,
					    bench_raw_unmap, r };
		ret = bench_group(ctx, ops, 2, ctx->iters, ctx->warmup);
		if (!ret)
			ret = bench_track(ctx, sizes[s].name, &ops[1], track);
		if (!ret)
			ret = bench_track(ctx, sizes[s].name, &ops[0], track);
	}
	ctx->v2->FreeReservedLogicalAddressRange(tok);
	return ret;
}

/* Row 5: 256 discontiguous pages (every other page of the buffer). */
static int bench_scatter(struct bench_ctx *ctx)
{
	struct bench_arg *w = bench_new_arg(), *r = bench_new_arg();
	struct bench_op ops[2];
	PFN_NUMBER *pfns;
	unsigned int k;
	int ret;

	if (!w || !r)
		return -ENOMEM;
	pfns = kcalloc(BENCH_SCATTER_PAGES, sizeof(*pfns), GFP_KERNEL);
	if (!pfns)
		return -ENOMEM;
	for (k = 0; k < BENCH_SCATTER_PAGES; k++)
		pfns[k] = page_to_pfn(ctx->pages) + 2 * k;
	w->npages = BENCH_SCATTER_PAGES;
	r->npages = BENCH_SCATTER_PAGES;
	w->pfns = pfns;
	r->pfns = pfns;
	r->iova = BENCH_RAW_SCATTER;
	ops[0] = (struct bench_op){ "scatter", "win", 1, bench_win_scatter_map, bench_win_unmap,
				    w };
	ops[1] = (struct bench_op){ "scatter", "raw", 1, bench_raw_scatter_map,
				    bench_raw_scatter_unmap, r };
	ret = bench_group(ctx, ops, 2, max(ctx->iters / 10, 20U), min(ctx->warmup, 10U));
	if (!ret)
		ret = bench_track(ctx, "scatter", &ops[1], min(track, 20U));
	if (!ret)
		ret = bench_track(ctx, "scatter", &ops[0], min(track, 20U));
	kfree(pfns);
	return ret;
}

/* Map one 4 KiB page @n times into @dom; the addresses go to @la if given. */
static int bench_fill(struct bench_ctx *ctx, PIOMMU_DMA_DOMAIN dom, unsigned int n, u64 *la)
{
	IOMMU_MAP_PHYSICAL_ADDRESS pa = {
		.MapType = MapPhysicalAddressTypeContiguousRange,
		.ContiguousRange.Base.QuadPart = ctx->phys,
		.ContiguousRange.Size = PAGE_SIZE,
	};
	IOMMU_DMA_LOGICAL_ADDRESS out;
	unsigned int k;
	int ret;

	for (k = 0; k < n; k++) {
		ret = bench_status(ctx->v2->MapLogicalRangeEx(dom, IOMMU_ACCESS_READ |
							      IOMMU_ACCESS_WRITE, &pa, NULL,
							      NULL, NULL, &out));
		if (ret)
			return ret;
		if (la)
			la[k] = out;
		if (!(k % 64))
			cond_resched();
	}
	return 0;
}

/* Row 4: map_4k pairs with 1k, 10k, 100k, 1M live mappings. */
static int bench_scaling(struct bench_ctx *ctx)
{
	static const unsigned int levels[] = { 1000, 10000, 100000, 1000000 };
	struct bench_arg *w = bench_new_arg(), *r = bench_new_arg(), *t = bench_new_arg();
	unsigned int s, live = 0;
	struct bench_op ops[2], tree;
	char *names;
	int ret = 0;

	if (!w || !r || !t)
		return -ENOMEM;
	names = kcalloc(ARRAY_SIZE(levels), 2 * 24, GFP_KERNEL);
	if (!names)
		return -ENOMEM;
	w->npages = 1;
	r->npages = 1;
	w->phys = ctx->phys;
	r->phys = ctx->phys;
	r->iova = BENCH_RAW_SCALE;
	for (s = 0; s < ARRAY_SIZE(levels) && levels[s] <= scale_max; s++) {
		char *name = names + s * 48, *tname = name + 24;
		u64 t0;

		snprintf(name, 24, "scale_%u", levels[s]);
		snprintf(tname, 24, "scaletree_%u", levels[s]);
		bench_mt_start();
		t0 = ktime_get_ns();
		ret = bench_fill(ctx, ctx->dom, levels[s] - live, NULL);
		t0 = ktime_get_ns() - t0;
		bench_mt_stop();
		if (ret)
			break;
		pr_info("F %u %u %llu\n", levels[s], levels[s] - live, t0);
		bench_mt_print(name, "fill", levels[s] - live);
		pr_info("I mem_available_kib_%u %lu\n", levels[s],
			si_mem_available() << (PAGE_SHIFT - 10));
		live = levels[s];

		ops[0] = (struct bench_op){ name, "win", 1, bench_win_map, bench_win_unmap, w };
		ops[1] = (struct bench_op){ name, "raw", 1, bench_raw_map, bench_raw_unmap, r };
		ret = bench_group(ctx, ops, 2, ctx->iters / 2, ctx->warmup);
		if (ret)
			break;
		/* winiommu's tree walks with that many extents */
		bench_tree_setup(live);
		tree = (struct bench_op){ tname, "win", BENCH_PHASE_BATCH, bench_tree_insert,
					  bench_tree_remove, t };
		ret = bench_group(ctx, &tree, 1, ctx->iters / 2, ctx->warmup);
		bench_tree_teardown();
		if (ret)
			break;
	}
	kfree(names);
	return ret;
}

/* Row 6: a domain holding @replay mappings, attached and detached. */
static int bench_attach(struct bench_ctx *ctx)
{
	IOMMU_DMA_DOMAIN_CREATION_FLAGS flags = { .AsUlonglong = 0 };
	IOMMU_DMA_LOGICAL_ALLOCATOR_CONFIG buddy = {
		.LogicalAllocatorType = IommuDmaLogicalAllocatorBuddy,
		.BuddyAllocatorConfig.AddressWidth = BENCH_WIDTH,
	};
	struct bench_arg *w = bench_new_arg(), *r = bench_new_arg();
	struct bench_arg *e = bench_new_arg(), *re = bench_new_arg();
	struct bench_op ops[2];
	PIOMMU_DMA_DOMAIN dom;
	u64 *la;
	int ret;

	if (!w || !r || !e || !re)
		return -ENOMEM;
	la = kvcalloc(replay, sizeof(*la), GFP_KERNEL);
	if (!la)
		return -ENOMEM;
	ret = bench_status(ctx->v2->CreateDomainEx(DomainTypeTranslate, flags, &buddy, NULL,
						   &dom));
	if (ret)
		goto out_free;
	/* the same with no mapping: what attach costs before any replay */
	e->dom = dom;
	re->phys = ctx->phys;
	ops[0] = (struct bench_op){ "attach_empty", "win", 1, bench_win_attach, bench_win_detach,
				    e };
	ops[1] = (struct bench_op){ "attach_empty", "raw", 1, bench_raw_attach, bench_raw_detach,
				    re };
	ret = bench_group(ctx, ops, 2, 10, 2);
	if (ret)
		goto out_delete;
	ret = bench_status(ctx->v2->AttachDeviceEx(dom, ctx->wdev));
	if (ret)
		goto out_delete;
	ret = bench_fill(ctx, dom, replay, la);
	ctx->v2->DetachDeviceEx(ctx->wdev);
	if (ret)
		goto out_delete;

	w->dom = dom;
	r->phys = ctx->phys;
	r->replay_la = la;
	r->nr_replay = replay;
	ops[0] = (struct bench_op){ "attach", "win", 1, bench_win_attach, bench_win_detach, w };
	ops[1] = (struct bench_op){ "attach", "raw", 1, bench_raw_attach, bench_raw_detach, r };
	ret = bench_group(ctx, ops, 2, 3, 1);
	if (!ret)
		ret = bench_track(ctx, "attach", &ops[1], 1);
	if (!ret)
		ret = bench_track(ctx, "attach", &ops[0], 1);
out_delete:
	ctx->v2->DeleteDomain(dom);
out_free:
	kvfree(la);
	return ret;
}

static unsigned int shadow_pages = SZ_1M;
module_param(shadow_pages, uint, 0444);
MODULE_PARM_DESC(shadow_pages, "pages of the caller tables the shadow benchmark walks (0: none)");

/* VMSA stage-1 descriptors, 4 KiB granule, as an Unmanaged domain's owner writes them. */
#define BENCH_S1_TABLE		0x3ULL		/* valid table (levels 1, 2) or page (3) */
#define BENCH_S1_AF		0x400ULL
#define BENCH_S1_BASE		SZ_1G		/* first logical address of the tables */

/*
 * The shadow of caller page tables (Unmanaged domains): tables of
 * shadow_pages 4 KiB pages (every one aliasing the benchmark's page, 39-bit
 * input, TTBR0), then ConfigureDomain (walk and map every page), FlushDomain
 * twice with nothing changed (a full re-walk: walk and compare), and
 * ConfigureDomain with translation off (unmap all); each timed once, per
 * page, with the slab bytes the shadow holds per page.
 */
static int bench_shadow(struct bench_ctx *ctx)
{
	unsigned int nl3 = DIV_ROUND_UP(shadow_pages, 512), nl2 = DIV_ROUND_UP(nl3, 512);
	IOMMU_DMA_DOMAIN_CREATION_FLAGS flags = { .AsUlonglong = 0 };
	DOMAIN_CONFIGURATION cfg = { .Type = DomainConfigurationArm64 };
	unsigned int i, ntables = 1 + nl2 + nl3;
	struct page **tables;
	long slab0, slab1;
	PIOMMU_DMA_DOMAIN dom;
	u64 *e, t0, t[4];
	int ret;

	if (!shadow_pages)
		return 0;
	tables = kvcalloc(ntables, sizeof(*tables), GFP_KERNEL);
	if (!tables)
		return -ENOMEM;
	for (i = 0; i < ntables; i++) {
		tables[i] = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!tables[i]) {
			ret = -ENOMEM;
			goto out_free;
		}
	}
	/* tables[0]: level 1; then nl2 level-2 tables; then nl3 level-3 tables */
	e = page_address(tables[0]);
	for (i = 0; i < nl2; i++)
		e[(BENCH_S1_BASE >> 30) + i] = page_to_phys(tables[1 + i]) | BENCH_S1_TABLE;
	for (i = 0; i < nl3; i++) {
		e = page_address(tables[1 + i / 512]);
		e[i % 512] = page_to_phys(tables[1 + nl2 + i]) | BENCH_S1_TABLE;
	}
	for (i = 0; i < shadow_pages; i++) {
		e = page_address(tables[1 + nl2 + i / 512]);
		e[i % 512] = ctx->phys | BENCH_S1_TABLE | BENCH_S1_AF;
	}
	ret = bench_status(ctx->v2->CreateDomainEx(DomainTypeUnmanaged, flags, NULL, NULL, &dom));
	if (ret)
		goto out_free;
	ret = bench_status(ctx->v2->AttachDeviceEx(dom, ctx->wdev));
	if (ret)
		goto out_delete;
	cfg.Arm64.Ttbr0.QuadPart = page_to_phys(tables[0]);
	cfg.Arm64.InputSize0 = 39;
	cfg.Arm64.TranslationEnabled = TRUE;
	slab0 = bench_node_pages(NR_SLAB_UNRECLAIMABLE_B);
	t0 = ktime_get_ns();
	ret = bench_status(ctx->v2->ConfigureDomain(dom, &cfg));
	t[0] = ktime_get_ns() - t0;
	slab1 = bench_node_pages(NR_SLAB_UNRECLAIMABLE_B);
	for (i = 1; i < 3 && !ret; i++) {
		t0 = ktime_get_ns();
		ret = bench_status(ctx->v2->FlushDomain(dom));
		t[i] = ktime_get_ns() - t0;
	}
	if (!ret) {
		cfg.Arm64.TranslationEnabled = FALSE;
		t0 = ktime_get_ns();
		ret = bench_status(ctx->v2->ConfigureDomain(dom, &cfg));
		t[3] = ktime_get_ns() - t0;
	}
	if (!ret)
		pr_info("I shadow %u %llu %llu %llu %ld\n", shadow_pages, t[0], min(t[1], t[2]),
			t[3], (slab1 - slab0) * (long)PAGE_SIZE / (long)shadow_pages);
	else
		pr_info("E shadow %d\n", ret);
	ctx->v2->DetachDeviceEx(ctx->wdev);
out_delete:
	ctx->v2->DeleteDomain(dom);
out_free:
	for (i = 0; i < ntables && tables[i]; i++)
		__free_page(tables[i]);
	kvfree(tables);
	return ret;
}

/* A fact about the run. */
static void bench_facts(struct bench_ctx *ctx)
{
	struct device *dev = &ctx->pdev->dev;
	struct iommu_device *iommu = dev->iommu ? dev->iommu->iommu_dev : NULL;

	pr_info("I kernel %s %s\n", init_utsname()->release, init_utsname()->machine);
	pr_info("I device %s\n", dev_name(dev));
	if (iommu && iommu->dev)
		pr_info("I iommu %s %s\n", dev_name(iommu->dev),
			iommu->ops && iommu->ops->owner ? module_name(iommu->ops->owner) :
							  "built-in");
	pr_info("I pgsize_bitmap %#lx\n", ctx->ldom->pgsize_bitmap);
	pr_info("I aperture %#llx-%#llx\n", (u64)ctx->ldom->geometry.aperture_start,
		(u64)ctx->ldom->geometry.aperture_end);
	pr_info("I config reps=%u iters=%u warmup=%u track=%u scale_max=%u replay=%u\n",
		ctx->reps, ctx->iters, ctx->warmup, track, scale_max, replay);
}

static int bench_all(struct bench_ctx *ctx)
{
	IOMMU_DMA_DOMAIN_CREATION_FLAGS flags = { .AsUlonglong = 0 };
	IOMMU_DMA_LOGICAL_ALLOCATOR_CONFIG buddy = {
		.LogicalAllocatorType = IommuDmaLogicalAllocatorBuddy,
		.BuddyAllocatorConfig.AddressWidth = BENCH_WIDTH,
	};
	IOMMU_DMA_RESERVED_REGION hole = {
		.Base = BENCH_HOLE_BASE,
		.NumberOfPages = BENCH_HOLE_SIZE / PAGE_SIZE,
		.ShouldMap = FALSE,
	};
	struct bench_arg *nop = bench_new_arg();
	struct iova_domain *iovad;
	struct bench_op timer;
	u64 t0;
	int ret;

	ret = bench_status(IoGetIommuInterfaceEx(DMA_IOMMU_INTERFACE_EX_VERSION_3, 0, &ctx->ifc));
	if (ret)
		return ret;
	ctx->v2 = &ctx->ifc.V2;
	ctx->v3 = &ctx->ifc.V3;
	ret = bench_status(ctx->v2->CreateDevice(&ctx->pdev->dev, NULL, &ctx->wdev));
	if (ret)
		return ret;
	ret = bench_status(ctx->v2->CreateDomainEx(DomainTypeTranslate, flags, &buddy, &hole,
						   &ctx->dom));
	if (ret)
		goto out_device;
	ret = bench_status(ctx->v2->AttachDeviceEx(ctx->dom, ctx->wdev));
	if (ret)
		goto out_domain;
	ctx->ldom = winiommu_bench_linux_domain(ctx->dom, &ctx->pdev->dev);
	if (!ctx->ldom) {
		ret = -ENODEV;
		goto out_detach;
	}
	bench_facts(ctx);
	ret = bench_dma_check(ctx);
	if (ret)
		goto out_detach;

	/* the raw iova domain of the raw_iova ops: the top half of the hole */
	iovad = kzalloc(sizeof(*iovad), GFP_KERNEL);
	if (!iovad) {
		ret = -ENOMEM;
		goto out_detach;
	}
	ret = iova_cache_get();
	if (ret)
		goto out_iovad;
	init_iova_domain(iovad, PAGE_SIZE, BENCH_RAW_IOVA >> PAGE_SHIFT);
	ret = iova_domain_init_rcaches(iovad);
	if (ret)
		goto out_iova_cache;

	timer = (struct bench_op){ "timer", "none", 1, bench_nop, bench_nop, nop };
	ret = nop ? bench_group(ctx, &timer, 1, ctx->iters, ctx->warmup) : -ENOMEM;
	if (!ret)
		ret = bench_maps(ctx, iovad);
	if (!ret)
		ret = bench_allocs(ctx);
	if (!ret)
		ret = bench_reserved(ctx);
	if (!ret)
		ret = bench_scatter(ctx);
	if (!ret)
		ret = bench_scaling(ctx);
	put_iova_domain(iovad);
out_iova_cache:
	iova_cache_put();
out_iovad:
	kfree(iovad);
out_detach:
	t0 = ktime_get_ns();
	ctx->v2->DetachDeviceEx(ctx->wdev);
	pr_info("I teardown_detach_ns %llu\n", ktime_get_ns() - t0);
out_domain:
	t0 = ktime_get_ns();
	ctx->v2->DeleteDomain(ctx->dom);
	pr_info("I teardown_delete_ns %llu\n", ktime_get_ns() - t0);
	if (!ret)
		ret = bench_attach(ctx);
	if (!ret)
		ret = bench_shadow(ctx);
out_device:
	ctx->v2->DeleteDevice(ctx->wdev);
	return ret;
}

/* ---- module --------------------------------------------------------------------- */

static int bench_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	int ret;

	if (bench.pdev)
		return -ENODEV;		/* the first edu only */
	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	bench.bar = pcim_iomap(pdev, 0, 0);
	if (!bench.bar)
		return -ENOMEM;
	ret = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(64));
	if (ret)
		return ret;
	pci_set_master(pdev);
	bench.pdev = pdev;
	return 0;
}

static void bench_remove(struct pci_dev *pdev)
{
	pci_clear_master(pdev);
	bench.pdev = NULL;
}

static const struct pci_device_id bench_ids[] = {
	{ PCI_DEVICE(0x1234, 0x11e8) },
	{ }
};
MODULE_DEVICE_TABLE(pci, bench_ids);

static struct pci_driver bench_driver = {
	.name			= "winiommu_bench",
	.id_table		= bench_ids,
	.probe			= bench_probe,
	.remove			= bench_remove,
	.driver_managed_dma	= true,
};

static int __init bench_init(void)
{
	u64 t0 = ktime_get_ns();
	int ret;

	ret = pci_register_driver(&bench_driver);
	if (ret)
		return ret;
	if (!bench.pdev) {
		pr_err("no edu device\n");
		ret = -ENODEV;
		goto err_driver;
	}
	bench.reps = max(reps, 1U);
	bench.iters = max(iters, 20U);
	bench.warmup = warmup;
	bench.group = iommu_group_get(&bench.pdev->dev);
	bench.samples = kvcalloc(3 * bench.iters, sizeof(u64), GFP_KERNEL);
	bench_args = kvcalloc(BENCH_MAX_ARGS, sizeof(*bench_args), GFP_KERNEL);
	bench.pages = alloc_pages(GFP_KERNEL | __GFP_ZERO, BENCH_ORDER);
	if (!bench.group || !bench.samples || !bench_args || !bench.pages) {
		ret = -ENOMEM;
		goto out;
	}
	bench.phys = page_to_phys(bench.pages);
	ret = bench_mt_init();
	if (ret)
		goto out;
	ret = bench_all(&bench);
	bench_mt_exit();
out:
	pr_info("I seconds %llu\n", div_u64(ktime_get_ns() - t0, NSEC_PER_SEC));
	pr_info("done %d\n", ret);
	if (bench.pages)
		__free_pages(bench.pages, BENCH_ORDER);
	kvfree(bench_args);
	kvfree(bench.samples);
	if (bench.group)
		iommu_group_put(bench.group);
	/* stay loaded (and bound) either way: the script reads the records */
	return 0;

err_driver:
	pci_unregister_driver(&bench_driver);
	return ret;
}

static void __exit bench_exit(void)
{
	pci_unregister_driver(&bench_driver);
}

module_init(bench_init);
module_exit(bench_exit);

MODULE_DESCRIPTION("winiommu timed against the raw Linux IOMMU calls (make bench)");
MODULE_LICENSE("GPL");
