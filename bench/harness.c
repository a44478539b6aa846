// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The winiommu authors
 *
 * The harness of winiommu_bench: timed pairs with ktime_get_ns(), order
 * statistics per repetition, and the allocation tracker.
 *
 * Timing: every sample is one batch of pairs, ktime_get_ns() read before
 * the maps, between the maps and the unmaps, and after the unmaps; the
 * first @warmup pairs of each repetition are not kept.  The
 * implementations of a benchmark take turns, their order reversed every
 * other repetition, so drift in a noisy (TCG) guest hits them alike.
 *
 * Memory: while a pass is tracked, probes on the kmalloc and
 * kmem_cache_alloc tracepoints (which the slab allocator exports for
 * modules) count every slab allocation the benchmark's task makes, by
 * call site: the call site's symbol says whose it is (winiommu's, the
 * iova allocator's, the IOMMU driver's).  Pages the IOMMU drivers take
 * for page tables go through iommu-pages.h and show in NR_IOMMU_PAGES;
 * slab growth shows in the NR_SLAB_* node counters.  Both are read
 * exactly: the global value plus every CPU's pending difference.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kallsyms.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/mmzone.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/vmstat.h>
#include <trace/events/kmem.h>

#include "bench.h"

/**
 * bench_status() - an NTSTATUS as an errno, for the harness.
 * @st: what a routine returned.
 *
 * Return: 0 for a success status, else -EIO.
 */
int bench_status(NTSTATUS st)
{
	if (NT_SUCCESS(st))
		return 0;
	pr_warn("a routine returned %#x\n", st);
	return -EIO;
}

/* ---- order statistics ------------------------------------------------------ */

static int bench_cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* Sort @n samples of @op and print its S record for @phase: ns per pair. */
static void bench_report(const struct bench_op *op, const char *phase, unsigned int rep,
			 u64 *s, unsigned int n)
{
	unsigned int i, b = op->batch;
	u64 sum = 0;

	sort(s, n, sizeof(*s), bench_cmp_u64, NULL);
	for (i = 0; i < n; i++)
		sum += s[i];
	pr_info("S %s %s %s %u %u %llu %llu %llu %llu\n", op->bench, op->impl, phase, rep, n,
		div_u64(s[n / 2], b), div_u64(s[min(n - 1, n * 99 / 100)], b), div_u64(s[0], b),
		div64_u64(sum, (u64)n * b));
}

/* Run @warmup + @iters samples of @op; report the last @iters. */
static int bench_run(struct bench_ctx *ctx, const struct bench_op *op, unsigned int rep,
		     unsigned int iters, unsigned int warmup)
{
	u64 *pair = ctx->samples, *map = pair + iters, *unmap = map + iters;
	unsigned int i, j, n = 0;
	int ret;

	for (i = 0; i < warmup + iters; i++) {
		u64 t0, t1, t2;

		t0 = ktime_get_ns();
		for (j = 0; j < op->batch; j++) {
			ret = op->map(ctx, op->arg, j);
			if (ret)
				goto fail;
		}
		t1 = ktime_get_ns();
		for (j = 0; j < op->batch; j++) {
			ret = op->unmap(ctx, op->arg, j);
			if (ret)
				goto fail;
		}
		t2 = ktime_get_ns();
		if (i >= warmup) {
			pair[n] = t2 - t0;
			map[n] = t1 - t0;
			unmap[n] = t2 - t1;
			n++;
		}
		cond_resched();
	}
	bench_report(op, "pair", rep, pair, n);
	bench_report(op, "map", rep, map, n);
	bench_report(op, "unmap", rep, unmap, n);
	return 0;

fail:
	pr_err("E %s/%s %d\n", op->bench, op->impl, ret);
	return ret;
}

/**
 * bench_group() - time the implementations of one benchmark in turns.
 * @ctx: the run.
 * @ops: the implementations; @ops[0] is winiommu's by convention.
 * @nops: how many.
 * @iters: samples per repetition (at most the context's iters).
 * @warmup: untimed pairs before each repetition.
 *
 * Return: 0, or the first error of an op (the run stops).
 */
int bench_group(struct bench_ctx *ctx, const struct bench_op *ops, unsigned int nops,
		unsigned int iters, unsigned int warmup)
{
	unsigned int rep, k;
	int ret;

	iters = clamp(iters, 1U, ctx->iters);
	for (rep = 0; rep < ctx->reps; rep++) {
		for (k = 0; k < nops; k++) {
			const struct bench_op *op = &ops[rep % 2 ? nops - 1 - k : k];

			ret = bench_run(ctx, op, rep, iters, warmup);
			if (ret)
				return ret;
		}
	}
	return 0;
}

/* ---- the allocation tracker --------------------------------------------------- */

#define BENCH_SITES	64

/* One call site of kmalloc() or kmem_cache_alloc(). */
struct bench_site {
	unsigned long ip;
	u64 count;
	u64 bytes;
	u64 req;
};

/*
 * The tracked pass: @task is set while it runs; only that task's
 * allocations in task context count, so @site needs no lock (the probes
 * run with preemption disabled, in the task that allocates).
 */
static struct {
	struct task_struct *task;
	unsigned int nr;
	u64 lost;
	long iommu_pages;
	long iommu_pages_mapped;
	long slab_pages;
	struct bench_site site[BENCH_SITES];
} bench_mt;

static void bench_mt_add(unsigned long ip, size_t req, size_t bytes)
{
	unsigned int i;

	if (!in_task() || READ_ONCE(bench_mt.task) != current)
		return;
	for (i = 0; i < bench_mt.nr; i++)
		if (bench_mt.site[i].ip == ip)
			break;
	if (i == bench_mt.nr) {
		if (i == BENCH_SITES) {
			bench_mt.lost += bytes;
			return;
		}
		bench_mt.site[i].ip = ip;
		bench_mt.nr++;
	}
	bench_mt.site[i].count++;
	bench_mt.site[i].bytes += bytes;
	bench_mt.site[i].req += req;
}

static void bench_probe_kmalloc(void *data, unsigned long call_site, const void *ptr,
				size_t bytes_req, size_t bytes_alloc, gfp_t gfp, int node)
{
	if (ptr)
		bench_mt_add(call_site, bytes_req, bytes_alloc);
}

static void bench_probe_cache_alloc(void *data, unsigned long call_site, const void *ptr,
				    struct kmem_cache *s, gfp_t gfp, int node)
{
	if (ptr)
		bench_mt_add(call_site, kmem_cache_size(s), kmem_cache_size(s));
}

/**
 * bench_node_pages() - a node counter summed over all nodes, exactly.
 * @item: the counter (NR_IOMMU_PAGES, NR_SLAB_UNRECLAIMABLE_B, ...).
 *
 * The global value lags the per-CPU differences by up to a threshold per
 * CPU; they are added here.
 *
 * Return: the counter, in pages (byte counters are kept in pages per node).
 */
long bench_node_pages(enum node_stat_item item)
{
	long v = atomic_long_read(&vm_node_stat[item]);
	int nid, cpu;

	for_each_online_node(nid) {
		struct pglist_data *pgdat = NODE_DATA(nid);

		for_each_online_cpu(cpu)
			v += per_cpu_ptr(pgdat->per_cpu_nodestats, cpu)->vm_node_stat_diff[item];
	}
	return v;
}

static long bench_slab_pages(void)
{
	return bench_node_pages(NR_SLAB_UNRECLAIMABLE_B) + bench_node_pages(NR_SLAB_RECLAIMABLE_B);
}

/**
 * bench_mt_start() - start a tracked pass in the calling task.
 */
void bench_mt_start(void)
{
	memset(bench_mt.site, 0, sizeof(bench_mt.site));
	bench_mt.nr = 0;
	bench_mt.lost = 0;
	bench_mt.iommu_pages_mapped = 0;
	bench_mt.iommu_pages = bench_node_pages(NR_IOMMU_PAGES);
	bench_mt.slab_pages = bench_slab_pages();
	WRITE_ONCE(bench_mt.task, current);
}

/**
 * bench_mt_stop() - end the tracked pass; the counters keep their values.
 */
void bench_mt_stop(void)
{
	WRITE_ONCE(bench_mt.task, NULL);
	bench_mt.iommu_pages = bench_node_pages(NR_IOMMU_PAGES) - bench_mt.iommu_pages;
	bench_mt.slab_pages = bench_slab_pages() - bench_mt.slab_pages;
}

/**
 * bench_mt_print() - print the A and P records of the last tracked pass.
 * @tag: what was tracked.
 * @impl: whose implementation.
 * @n: pairs (or mappings) in the pass.
 */
void bench_mt_print(const char *tag, const char *impl, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < bench_mt.nr; i++)
		pr_info("A %s %s %u %llu %llu %llu %pS\n", tag, impl, n, bench_mt.site[i].count,
			bench_mt.site[i].bytes, bench_mt.site[i].req, (void *)bench_mt.site[i].ip);
	pr_info("P %s %s %u %ld %ld %llu %ld\n", tag, impl, n, bench_mt.iommu_pages,
		bench_mt.slab_pages, bench_mt.lost, bench_mt.iommu_pages_mapped);
}

/**
 * bench_mt_module_sizes() - the allocations one module made per pair.
 * @module: the module's name, as kallsyms prints it ("winiommu").
 * @n: pairs in the last tracked pass.
 * @sizes: receives the size asked for at each call site, once per
 *	allocation it made per pair.
 * @max: room in @sizes.
 *
 * Return: how many entries of @sizes were filled.
 */
unsigned int bench_mt_module_sizes(const char *module, unsigned int n, size_t *sizes,
				   unsigned int max)
{
	char sym[KSYM_SYMBOL_LEN], tail[MODULE_NAME_LEN + 3];
	unsigned int i, k, got = 0;

	snprintf(tail, sizeof(tail), "[%s]", module);
	for (i = 0; i < bench_mt.nr && n; i++) {
		const struct bench_site *s = &bench_mt.site[i];
		size_t len;

		sprint_symbol(sym, s->ip);
		len = strlen(sym);
		if (len < strlen(tail) || strcmp(sym + len - strlen(tail), tail) || !s->count)
			continue;
		for (k = 0; k < div_u64(s->count + n / 2, n) && got < max; k++)
			sizes[got++] = div64_u64(s->req, s->count);
	}
	return got;
}

/**
 * bench_track() - a tracked pass of @n untimed pairs of @op.
 * @ctx: the run.
 * @tag: names the pass in the records.
 * @op: the op (its batch is ignored: one pair at a time).
 * @n: pairs.
 *
 * Return: 0 or the op's error.
 */
int bench_track(struct bench_ctx *ctx, const char *tag, const struct bench_op *op,
		unsigned int n)
{
	unsigned int i;
	int ret = 0;

	bench_mt_start();
	for (i = 0; i < n && !ret; i++) {
		long before = bench_node_pages(NR_IOMMU_PAGES);

		ret = op->map(ctx, op->arg, 0);
		/* page tables the map half took, freed or not by the unmap */
		bench_mt.iommu_pages_mapped += max(bench_node_pages(NR_IOMMU_PAGES) - before, 0L);
		if (!ret)
			ret = op->unmap(ctx, op->arg, 0);
	}
	bench_mt_stop();
	if (ret) {
		pr_err("E track-%s/%s %d\n", tag, op->impl, ret);
		return ret;
	}
	bench_mt_print(tag, op->impl, n);
	return 0;
}

/**
 * bench_mt_init() - attach the probes to the slab tracepoints.
 *
 * Return: 0 or a negative errno.
 */
int bench_mt_init(void)
{
	int ret = register_trace_kmalloc(bench_probe_kmalloc, NULL);

	if (ret)
		return ret;
	ret = register_trace_kmem_cache_alloc(bench_probe_cache_alloc, NULL);
	if (ret)
		unregister_trace_kmalloc(bench_probe_kmalloc, NULL);
	return ret;
}

/**
 * bench_mt_exit() - detach the probes; none runs once this returns.
 */
void bench_mt_exit(void)
{
	unregister_trace_kmem_cache_alloc(bench_probe_cache_alloc, NULL);
	unregister_trace_kmalloc(bench_probe_kmalloc, NULL);
	tracepoint_synchronize_unregister();
}
