/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (C) 2026 The winiommu authors
 *
 * bench.h - shared by the files of winiommu_bench.ko.
 *
 * A benchmark is a pair of operations, "map" then "unmap", timed with
 * ktime_get_ns() around each half; an op names the benchmark, the
 * implementation (winiommu, or the raw Linux calls it wraps) and its
 * callbacks.  Every benchmark runs its implementations in the same guest,
 * alternating their order from one repetition to the next.
 *
 * What the module prints, one record per kernel log line after the
 * "winiommu_bench: " prefix, for scripts/bench.sh:
 *   I KEY VALUE...                    a fact about the run
 *   S BENCH IMPL PHASE REP N MEDIAN P99 MIN MEAN
 *                                     one repetition: N samples, ns per pair;
 *                                     PHASE is pair, map or unmap
 *   A TAG IMPL N COUNT BYTES REQ SITE allocations of N pairs at one call site
 *                                     (slab bytes handed out, bytes asked for)
 *   P TAG IMPL N IOMMU_PAGES SLAB_PAGES LOST MAPPED
 *                                     node counters across those N pairs
 *                                     (net), allocations the tracker lost,
 *                                     and IOMMU pages the map halves took
 *   F LEVEL ADDED NS                  filling the domain up to LEVEL mappings
 *   E WHAT RC                         a failure; the run stops
 *   done RC                           the end
 */
#ifndef _WINIOMMU_BENCH_H
#define _WINIOMMU_BENCH_H

#include <linux/interval_tree.h>
#include <linux/iommu.h>
#include <linux/iova.h>
#include <linux/pci.h>
#include <linux/types.h>

#include <wdm.h>

#include "winiommu.h"	/* struct winiommu_alloc and the WINIOMMU_TEST exports */
#include "bench_hooks.h"

/* Most pairs one sample times: cheap operations are timed in batches. */
#define BENCH_BATCH		32
/* Allocations a kmalloc phase replays per pair. */
#define BENCH_MAX_ALLOCS	4
#define BENCH_SCATTER_PAGES	256

/**
 * struct bench_arg - the state of one op.
 * @npages: 4 KiB pages per mapping (or allocator block).
 * @no_access: map with IOMMU_ACCESS_NONE: winiommu records the range and
 *	maps nothing, so only its own work is timed.
 * @phys: the physical address mapped (contiguous ops).
 * @iova: first raw logical address (raw ops; inside the domain's hole).
 * @la: what the map half returned, per pair of a batch.
 * @exact: winiommu_alloc_get()'s @exact, per pair.
 * @walloc: a winiommu logical allocator (allocator ops).
 * @iovad: an iova domain (raw allocator ops).
 * @limit_pfn: highest pfn @iovad hands out.
 * @pfns: the discontiguous frames (scatter ops).
 * @tok: a reserved logical range (reserved ops).
 * @seg: its mapped segment.
 * @dom: the Windows domain (attach ops; else the context's).
 * @replay_la: logical addresses of the domain's mappings (raw attach ops).
 * @nr_replay: how many.
 * @raw: the Linux domain a raw attach op made.
 * @nr_allocs: allocations per pair (kmalloc phase).
 * @alloc_size: their sizes.
 * @ptr: what they returned.
 * @nodes: tree nodes (interval tree phase), one per pair of a batch.
 */
struct bench_arg {
	u64 npages;
	bool no_access;
	phys_addr_t phys;
	u64 iova;
	u64 la[BENCH_BATCH];
	bool exact[BENCH_BATCH];
	struct winiommu_alloc *walloc;
	struct iova_domain *iovad;
	unsigned long limit_pfn;
	PFN_NUMBER *pfns;
	PIOMMU_DMA_LOGICAL_ADDRESS_TOKEN tok;
	IOMMU_DMA_LOGICAL_ADDRESS_TOKEN_MAPPED_SEGMENT seg;
	PIOMMU_DMA_DOMAIN dom;
	u64 *replay_la;
	unsigned int nr_replay;
	struct iommu_domain *raw;
	unsigned int nr_allocs;
	size_t alloc_size[BENCH_MAX_ALLOCS];
	void *ptr[BENCH_BATCH][BENCH_MAX_ALLOCS];
	struct interval_tree_node nodes[BENCH_BATCH];
};

struct bench_ctx;

/**
 * struct bench_op - one implementation of one benchmark.
 * @bench: the benchmark's name, e.g. "map_4k".
 * @impl: "win" (winiommu), "raw" (the Linux calls), or another baseline.
 * @batch: pairs per sample, 1 to BENCH_BATCH (all maps, then all unmaps).
 * @map: the first half of pair @i of a batch; 0 or a negative errno.
 * @unmap: the second half.
 * @arg: the op's state.
 */
struct bench_op {
	const char *bench;
	const char *impl;
	unsigned int batch;
	int (*map)(struct bench_ctx *ctx, struct bench_arg *a, unsigned int i);
	int (*unmap)(struct bench_ctx *ctx, struct bench_arg *a, unsigned int i);
	struct bench_arg *arg;
};

/**
 * struct bench_ctx - one run.
 * @pdev: the first edu device, bound by winiommu_bench.
 * @bar: its registers.
 * @ifc: winiommu's interface (V3 table, of which V2 is the first part).
 * @v2: &@ifc.V2.
 * @v3: &@ifc.V3.
 * @wdev: the edu device as a winiommu device.
 * @dom: the Translate domain most benchmarks use, with a hole for raw maps.
 * @ldom: the Linux domain behind @dom (winiommu_bench_linux_domain()).
 * @group: the edu device's IOMMU group.
 * @pages: 2 MiB of physically contiguous, 2 MiB aligned RAM.
 * @phys: its physical address.
 * @reps: repetitions of every benchmark.
 * @iters: samples per repetition.
 * @warmup: untimed pairs before each repetition.
 * @samples: room for 3 * @iters samples.
 */
struct bench_ctx {
	struct pci_dev *pdev;
	void __iomem *bar;
	DMA_IOMMU_INTERFACE_EX ifc;
	PDMA_IOMMU_INTERFACE_V2 v2;
	PDMA_IOMMU_INTERFACE_V3 v3;
	PIOMMU_DMA_DEVICE wdev;
	PIOMMU_DMA_DOMAIN dom;
	struct iommu_domain *ldom;
	struct iommu_group *group;
	struct page *pages;
	phys_addr_t phys;
	unsigned int reps;
	unsigned int iters;
	unsigned int warmup;
	u64 *samples;
};

/* harness.c */
int bench_group(struct bench_ctx *ctx, const struct bench_op *ops, unsigned int nops,
		unsigned int iters, unsigned int warmup);
int bench_track(struct bench_ctx *ctx, const char *tag, const struct bench_op *op,
		unsigned int n);
int bench_mt_init(void);
void bench_mt_exit(void);
void bench_mt_start(void);
void bench_mt_stop(void);
void bench_mt_print(const char *tag, const char *impl, unsigned int n);
unsigned int bench_mt_module_sizes(const char *module, unsigned int n, size_t *sizes,
				   unsigned int max);
long bench_node_pages(enum node_stat_item item);
int bench_status(NTSTATUS st);

/* ops.c */
int bench_win_map(struct bench_ctx *ctx, struct bench_arg *a, unsigned int i);
int bench_win_unmap(struct bench_ctx *ctx, struct bench_arg *a, unsigned int i);
int bench_raw_map(struct bench_ctx *ctx, struct bench_arg *a, unsigned int i);
int bench_raw_unmap(struct bench_ctx *ctx, struct bench_arg *a, unsigned int i);
int bench_rawiova_map(struct bench_ctx *ctx, struct bench_arg *a, unsigned int i);
int bench_rawiova_unmap(struct bench_ctx *ctx, struct bench_arg *a, unsigned int i);
int bench_walloc_get(struct bench_ctx *ctx, struct bench_arg *a, unsigned int i);
int bench_walloc_put(struct bench_ctx *ctx, struct bench_arg *a, unsigned int i);
int bench_iova_get(struct bench_ctx *ctx, struct bench_arg *a, unsigned int i);
int bench_iova_put(struct bench_ctx *ctx, struct bench_arg *a, unsigned int i);
int bench_resv_map(struct bench_ctx *ctx, struct bench_arg *a, unsigned int i);
int bench_resv_unmap(struct bench_ctx *ctx, struct bench_arg *a, unsigned int i);
int bench_win_scatter_map(struct bench_ctx *ctx, struct bench_arg *a, unsigned int i);
int bench_raw_scatter_map(struct bench_ctx *ctx, struct bench_arg *a, unsigned int i);
int bench_raw_scatter_unmap(struct bench_ctx *ctx, struct bench_arg *a, unsigned int i);
int bench_win_attach(struct bench_ctx *ctx, struct bench_arg *a, unsigned int i);
int bench_win_detach(struct bench_ctx *ctx, struct bench_arg *a, unsigned int i);
int bench_raw_attach(struct bench_ctx *ctx, struct bench_arg *a, unsigned int i);
int bench_raw_detach(struct bench_ctx *ctx, struct bench_arg *a, unsigned int i);
int bench_call_reject(struct bench_ctx *ctx, struct bench_arg *a, unsigned int i);
int bench_call_query(struct bench_ctx *ctx, struct bench_arg *a, unsigned int i);
int bench_kmalloc_get(struct bench_ctx *ctx, struct bench_arg *a, unsigned int i);
int bench_kmalloc_put(struct bench_ctx *ctx, struct bench_arg *a, unsigned int i);
int bench_tree_insert(struct bench_ctx *ctx, struct bench_arg *a, unsigned int i);
int bench_tree_remove(struct bench_ctx *ctx, struct bench_arg *a, unsigned int i);
int bench_mutex_lock(struct bench_ctx *ctx, struct bench_arg *a, unsigned int i);
int bench_mutex_unlock(struct bench_ctx *ctx, struct bench_arg *a, unsigned int i);
int bench_nop(struct bench_ctx *ctx, struct bench_arg *a, unsigned int i);
void bench_tree_setup(unsigned int nodes);
void bench_tree_teardown(void);

#endif /* _WINIOMMU_BENCH_H */
