// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The winiommu authors
 *
 * Logical mappings: MapLogicalRangeEx (V2/V3), MapLogicalRange (V1) and
 * UnmapLogicalRange.
 *
 * A mapping is a record in the domain's address space (the truth) holding
 * its physical pages as runs of contiguous frames, and its image in every
 * Linux domain of the Windows domain.  Each run is mapped with one
 * iommu_map() call, so the IOMMU core picks the largest page sizes the
 * domain supports for it, and no IOMMU page ever spans two Windows
 * mappings.  Unmapping part of a mapping unmaps the whole record from the
 * Linux domains and maps the remaining pieces again: exact on every driver,
 * whatever it does with a large page cut in two.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/refcount.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "winiommu.h"
#include "backend.h"

/*
 * A block of the logical allocator shared by the pieces of a cut mapping.
 * A mapping that was never cut needs none: its extent is its block
 * (ext.from_alloc, with WINIOMMU_MAP_EXACT), which saves an allocation.
 */
struct winiommu_block {
	refcount_t ref;
	u64 iova;
	u64 npages;
	bool exact;
};

/* A run of physically contiguous 4 KiB frames. */
struct winiommu_run {
	u64 pfn;
	u64 npages;
};

/* The low bits of winiommu_mapping.pa_flags: the IOMMU_* prot and these. */
#define WINIOMMU_MAP_PROT	0xffULL	/* IOMMU_READ | IOMMU_WRITE; 0: nothing mapped */
#define WINIOMMU_MAP_EXACT	BIT_ULL(8)	/* placed exactly (winiommu_alloc_get()) */
#define WINIOMMU_MAP_RUNS	BIT_ULL(9)	/* a struct winiommu_mapping_runs */

/**
 * struct winiommu_mapping - one MapLogicalRange(Ex), or one run of an
 * identity range, in the address space.
 * @ext: the extent, [logical start, logical last].
 * @pa_flags: the physical address of a mapping of one run (the common
 *	case: 64 bytes in all) or 0, and in the low bits IOMMU_READ /
 *	IOMMU_WRITE as asked (none for IOMMU_ACCESS_NONE: the range is
 *	occupied, nothing is mapped), WINIOMMU_MAP_EXACT for an uncut
 *	mapping whose extent is its own allocator block (ext.from_alloc),
 *	WINIOMMU_MAP_RUNS when this is the head of a winiommu_mapping_runs.
 */
struct winiommu_mapping {
	struct winiommu_extent ext;
	u64 pa_flags;
};

static_assert(sizeof(struct winiommu_mapping) <= 64);
static_assert(((IOMMU_READ | IOMMU_WRITE) & ~WINIOMMU_MAP_PROT) == 0);

/**
 * struct winiommu_mapping_runs - a mapping of several runs, or a piece of
 * a cut one.
 * @m: the mapping (WINIOMMU_MAP_RUNS set, no address in @m.pa_flags).
 * @block: the shared allocator block of the pieces of a cut mapping, or
 *	NULL (never cut, or at an explicit address).
 * @nr_runs: entries in @runs.
 * @runs: the physical frames, in logical order.
 */
struct winiommu_mapping_runs {
	struct winiommu_mapping m;
	struct winiommu_block *block;
	unsigned int nr_runs;
	struct winiommu_run runs[] __counted_by(nr_runs);
};

static inline bool winiommu_map_has_runs(const struct winiommu_mapping *m)
{
	return m->pa_flags & WINIOMMU_MAP_RUNS;
}

static inline struct winiommu_mapping_runs *winiommu_map_runs(struct winiommu_mapping *m)
{
	return container_of(m, struct winiommu_mapping_runs, m);
}

static inline int winiommu_map_prot(const struct winiommu_mapping *m)
{
	return m->pa_flags & WINIOMMU_MAP_PROT;
}

static inline unsigned int winiommu_map_nr_runs(struct winiommu_mapping *m)
{
	return winiommu_map_has_runs(m) ? winiommu_map_runs(m)->nr_runs : 1;
}

/* Run @i of @m; a mapping of one run is as long as its extent. */
static inline struct winiommu_run winiommu_map_run(struct winiommu_mapping *m, unsigned int i)
{
	if (winiommu_map_has_runs(m))
		return winiommu_map_runs(m)->runs[i];
	return (struct winiommu_run){
		.pfn = PHYS_PFN(m->pa_flags & PAGE_MASK),
		.npages = (m->ext.it.last - m->ext.it.start + 1) >> PAGE_SHIFT,
	};
}

static inline struct winiommu_block *winiommu_map_block(struct winiommu_mapping *m)
{
	return winiommu_map_has_runs(m) ? winiommu_map_runs(m)->block : NULL;
}

static inline void winiommu_map_set_prot(struct winiommu_mapping *m, int prot)
{
	m->pa_flags = (m->pa_flags & ~WINIOMMU_MAP_PROT) | (prot & WINIOMMU_MAP_PROT);
}

static void winiommu_block_put(struct winiommu_domain *dom, struct winiommu_block *b)
{
	if (!b || !refcount_dec_and_test(&b->ref))
		return;
	if (dom->alloc)
		winiommu_alloc_put(dom->alloc, b->iova, b->npages, b->exact);
	kfree(b);
}

/* Free an extent of any kind (the domain's lock is held). */
void winiommu_extent_free(struct winiommu_domain *dom, struct winiommu_extent *ext)
{
	/* a token's extent lives in the token, freed by FreeReserved... */
	if (WARN_ON(ext->kind == WINIOMMU_EXT_TOKEN))
		return;
	if (ext->kind == WINIOMMU_EXT_MAPPING || ext->kind == WINIOMMU_EXT_IDENTITY) {
		struct winiommu_mapping *m = container_of(ext, struct winiommu_mapping, ext);
		struct winiommu_block *b = winiommu_map_block(m);

		if (b)
			winiommu_block_put(dom, b);
		else if (ext->from_alloc && dom->alloc)
			winiommu_alloc_put(dom->alloc, ext->it.start,
					   (ext->it.last - ext->it.start + 1) >> PAGE_SHIFT,
					   m->pa_flags & WINIOMMU_MAP_EXACT);
		kfree(m);
		return;
	}
	kfree(ext);
}

/* Access as debugfs prints it: r, w, or - for each. */
static void winiommu_show_prot(struct seq_file *s, int prot)
{
	seq_printf(s, " access %c%c", prot & IOMMU_READ ? 'r' : '-',
		   prot & IOMMU_WRITE ? 'w' : '-');
}

#define WINIOMMU_SHOW_RUNS	8	/* runs printed per mapping; the rest counted */

/*
 * debugfs (domains/<id>/mappings): access, size, where the address came
 * from, the physical frames as runs "PA+pages", and the routine family.
 */
void winiommu_mapping_show(struct seq_file *s, struct winiommu_extent *ext)
{
	struct winiommu_mapping *m = container_of(ext, struct winiommu_mapping, ext);
	unsigned int i, n = winiommu_map_nr_runs(m);

	winiommu_show_prot(s, winiommu_map_prot(m));
	seq_printf(s, " pages %llu from %s runs %u phys",
		   (u64)(ext->it.last - ext->it.start + 1) >> PAGE_SHIFT,
		   winiommu_map_block(m) || ext->from_alloc ? "allocator" : "caller", n);
	for (i = 0; i < min_t(unsigned int, n, WINIOMMU_SHOW_RUNS); i++) {
		struct winiommu_run r = winiommu_map_run(m, i);

		seq_printf(s, "%s%#llx+%llu", i ? "," : " ", r.pfn << PAGE_SHIFT, r.npages);
	}
	if (n > WINIOMMU_SHOW_RUNS)
		seq_printf(s, ",...(%u more)", n - WINIOMMU_SHOW_RUNS);
	seq_printf(s, " made_by %s", ext->kind == WINIOMMU_EXT_MAPPING ? "MapLogicalRange(Ex)" :
		   "MapIdentityRange(Ex)");
}

/* ---- physical descriptions ------------------------------------------------- */

/* A mapping of @n runs (filled by the caller) with @block; NULL without memory. */
static struct winiommu_mapping_runs *winiommu_mapping_runs_alloc(u64 n,
								 struct winiommu_block *block)
{
	struct winiommu_mapping_runs *r;

	r = kzalloc(struct_size(r, runs, n), GFP_KERNEL | __GFP_NOWARN);
	if (!r)
		return NULL;
	r->nr_runs = n;
	r->block = block;
	r->m.pa_flags = WINIOMMU_MAP_RUNS;
	return r;
}

/*
 * Turn a Windows physical description into runs: @npages (>= 1) frames of
 * the array @pfns, or from @base_pfn on without one (one run, however
 * long).  With @ram, every run must be System RAM (winiommu_ram_holds()).
 * Returns the mapping (extent not yet inserted: it is [0, the length),
 * to be moved) or an ERR_PTR: -ENXIO for frames that are not System RAM
 * (device memory, holes, frames beyond any physical address), -ENOMEM,
 * quietly, however many runs were asked for.
 */
static struct winiommu_mapping *
winiommu_mapping_from_pfns(const PFN_NUMBER *pfns, u64 npages, u64 base_pfn, bool ram)
{
	struct winiommu_ram_hint hint = WINIOMMU_RAM_HINT_INIT;
	struct winiommu_mapping_runs *r;
	struct winiommu_mapping *m;
	u64 i, n = 1, first = 0;

	/* count (and check) runs first, then fill */
	for (i = 1; pfns && i <= npages; i++) {
		/* its address would not fit a phys_addr_t: another page's alias */
		if (pfns[i - 1] > PHYS_PFN(PHYS_ADDR_MAX))
			return ERR_PTR(-ENXIO);
		if (i < npages && pfns[i] == pfns[i - 1] + 1)
			continue;
		if (ram && !winiommu_ram_holds(pfns[first], i - first, &hint))
			return ERR_PTR(-ENXIO);
		first = i;
		n += i < npages;
	}
	if (!pfns && ram && !winiommu_ram_holds(base_pfn, npages, NULL))
		return ERR_PTR(-ENXIO);
	if (n > UINT_MAX)
		return ERR_PTR(-ENOMEM);
	if (n == 1) {
		m = kzalloc(sizeof(*m), GFP_KERNEL | __GFP_NOWARN);
		if (!m)
			return ERR_PTR(-ENOMEM);
		m->pa_flags = PFN_PHYS(pfns ? pfns[0] : base_pfn);
		m->ext.it.last = (npages << PAGE_SHIFT) - 1;
		return m;
	}
	r = winiommu_mapping_runs_alloc(n, NULL);
	if (!r)
		return ERR_PTR(-ENOMEM);
	r->runs[0].pfn = pfns[0];
	r->runs[0].npages = 1;
	for (i = 1, n = 0; i < npages; i++) {
		if (pfns[i] == r->runs[n].pfn + r->runs[n].npages) {
			r->runs[n].npages++;
			continue;
		}
		n++;
		r->runs[n].pfn = pfns[i];
		r->runs[n].npages = 1;
	}
	r->m.ext.it.last = (npages << PAGE_SHIFT) - 1;
	return &r->m;
}

/*
 * Parse a physical description (-EINVAL: malformed, or see above); @ram:
 * it is to be mapped, so its frames must be System RAM (an unmap names
 * what was mapped, whatever became of the memory since).
 */
static struct winiommu_mapping *winiommu_mapping_parse(PIOMMU_MAP_PHYSICAL_ADDRESS pa, u64 *npages,
						       bool ram)
{
	if (!pa)
		return ERR_PTR(-EINVAL);
	switch ((u32)pa->MapType) {
	case MapPhysicalAddressTypeMdl: {
		PMDL mdl = pa->Mdl.Mdl;

		if (!mdl || MmGetMdlByteOffset(mdl) || !MmGetMdlByteCount(mdl) ||
		    MmGetMdlByteCount(mdl) % PAGE_SIZE ||
		    !winiommu_mdl_holds(mdl, MmGetMdlByteCount(mdl) / PAGE_SIZE))
			return ERR_PTR(-EINVAL);
		*npages = MmGetMdlByteCount(mdl) / PAGE_SIZE;
		return winiommu_mapping_from_pfns(MmGetMdlPfnArray(mdl), *npages, 0, ram);
	}
	case MapPhysicalAddressTypeContiguousRange: {
		u64 base = pa->ContiguousRange.Base.QuadPart;
		u64 size = pa->ContiguousRange.Size, last;

		if (!PAGE_ALIGNED(base) || !size || size % PAGE_SIZE ||
		    check_add_overflow(base, size - 1, &last))
			return ERR_PTR(-EINVAL);
		*npages = size / PAGE_SIZE;
		return winiommu_mapping_from_pfns(NULL, *npages, base >> PAGE_SHIFT, ram);
	}
	case MapPhysicalAddressTypePfn:
		/* more than 2^64 bytes: the array cannot be real */
		if (!pa->PfnArray.PageFrame || !pa->PfnArray.NumberOfPages ||
		    pa->PfnArray.NumberOfPages > (U64_MAX >> PAGE_SHIFT))
			return ERR_PTR(-EINVAL);
		*npages = pa->PfnArray.NumberOfPages;
		return winiommu_mapping_from_pfns(pa->PfnArray.PageFrame, *npages, 0, ram);
	default:
		return ERR_PTR(-EINVAL);
	}
}

/* The log line of a refused physical description, by parse error. */
static const char *winiommu_parse_reason(long err)
{
	return err == -ENXIO ? "PhysicalAddressToMap names frames that are not System RAM" :
	       "PhysicalAddressToMap is not whole, aligned 4 KiB pages";
}

/* ---- images in the Linux domains ------------------------------------------ */

/* Unmap [start, last] from every Linux domain, one IOTLB sync each. */
void winiommu_hw_unmap(struct winiommu_domain *dom, u64 start, u64 last)
{
	winiommu_hw_unmap_before(dom, NULL, start, last);
}

/*
 * The same for the Linux domains listed before @stop only: the unwind of
 * a map that failed in @stop (NULL: all of them).
 */
void winiommu_hw_unmap_before(struct winiommu_domain *dom, struct winiommu_hwdom *stop,
			      u64 start, u64 last)
{
	struct winiommu_hwdom *hw;

	list_for_each_entry(hw, &dom->hwdoms, node) {
		struct iommu_iotlb_gather gather;

		if (hw == stop)
			break;
		if (!hw->domain)
			continue;
		iommu_iotlb_gather_init(&gather);
		hw->be->unmap(hw->domain, start, last - start + 1, &gather);
		hw->be->iotlb_sync(hw->domain, &gather);
	}
}

static int winiommu_mapping_map_one(struct winiommu_mapping *m, struct winiommu_hwdom *hw)
{
	/* every frame is System RAM (winiommu_mapping_parse()) */
	int prot = winiommu_map_prot(m) | IOMMU_CACHE, ret;
	unsigned int i, n = winiommu_map_nr_runs(m);
	u64 iova = m->ext.it.start;

	if (!hw->domain || !winiommu_map_prot(m))
		return 0;
	for (i = 0; i < n; i++) {
		struct winiommu_run r = winiommu_map_run(m, i);
		u64 len = r.npages << PAGE_SHIFT;

		ret = hw->be->map(hw->domain, iova, PFN_PHYS(r.pfn), len, prot, GFP_KERNEL);
		if (ret) {
			if (iova > m->ext.it.start) {
				struct iommu_iotlb_gather gather;

				iommu_iotlb_gather_init(&gather);
				hw->be->unmap(hw->domain, m->ext.it.start, iova - m->ext.it.start,
					      &gather);
				hw->be->iotlb_sync(hw->domain, &gather);
			}
			return ret;
		}
		iova += len;
	}
	return 0;
}

/* Map @m into every Linux domain; all or nothing. */
static int winiommu_mapping_map_all(struct winiommu_domain *dom, struct winiommu_mapping *m)
{
	struct winiommu_hwdom *hw;
	int ret;

	list_for_each_entry(hw, &dom->hwdoms, node) {
		ret = winiommu_mapping_map_one(m, hw);
		if (ret) {
			if (winiommu_map_prot(m))	/* IOMMU_ACCESS_NONE mapped nothing */
				winiommu_hw_unmap_before(dom, hw, m->ext.it.start, m->ext.it.last);
			return ret;
		}
	}
	return 0;
}

/* Replay one mapping extent into a new Linux domain (aspace.c). */
int winiommu_mapping_replay(struct winiommu_extent *ext, struct winiommu_hwdom *hw)
{
	return winiommu_mapping_map_one(container_of(ext, struct winiommu_mapping, ext), hw);
}

/* ---- MapLogicalRangeEx / MapLogicalRange ------------------------------------ */

int winiommu_perm_to_prot(ULONG perm)
{
	return (perm & IOMMU_ACCESS_READ ? IOMMU_READ : 0) |
	       (perm & IOMMU_ACCESS_WRITE ? IOMMU_WRITE : 0);
}

/*
 * The common body: @m is parsed; place it (explicit address, or from the
 * allocator within [min, max]), map it everywhere and record it.
 */
static NTSTATUS winiommu_map_logical(struct winiommu_domain *dom, ULONG perm,
				     struct winiommu_mapping *m, u64 npages,
				     const u64 *explicit, u64 min, u64 max, u64 *out,
				     const char *fn)
{
	u64 len = npages << PAGE_SHIFT, start, last;
	bool from_alloc = false, exact = false;
	NTSTATUS st;
	int ret;

	winiommu_map_set_prot(m, winiommu_perm_to_prot(perm));
	mutex_lock(&dom->lock);
	if (dom->dead) {
		st = STATUS_INVALID_PARAMETER_1;
		goto err_unlock;
	}
	if (explicit) {
		start = *explicit;
		if (check_add_overflow(start, len - 1, &last)) {
			winiommu_dom_reject(fn, dom,
					    "ExplicitLogicalAddress %#llx + %llu pages wraps",
					    start, npages);
			st = STATUS_INVALID_PARAMETER_4;
			goto err_unlock;
		}
		if (winiommu_aspace_first_overlap(dom, start, last)) {
			winiommu_dom_reject(fn, dom,
					    "[%#llx, %#llx] is already in use", start, last);
			st = STATUS_IN_USE;
			goto err_unlock;
		}
		if (start < dom->reach_first || last > dom->reach_last) {
			winiommu_dom_reject(fn, dom,
					    "[%#llx, %#llx] is outside what the attached devices address",
					    start, last);
			st = STATUS_INVALID_PARAMETER_4;
			goto err_unlock;
		}
	} else {
		ret = winiommu_alloc_get(dom->alloc, npages, min, max, &start, &exact);
		if (ret) {
			if (ret == -ERANGE) {
				winiommu_dom_reject(fn, dom,
						    "no %llu-page block fits in [%#llx, %#llx]",
						    npages, min, max);
				st = STATUS_INVALID_PARAMETER_MIX;
			} else {
				st = STATUS_INSUFFICIENT_RESOURCES;
			}
			goto err_unlock;
		}
		from_alloc = true;
		last = start + len - 1;
	}
	m->ext.from_alloc = from_alloc;
	if (exact)
		m->pa_flags |= WINIOMMU_MAP_EXACT;
	m->ext.it.start = start;
	m->ext.it.last = last;
	ret = winiommu_mapping_map_all(dom, m);
	if (ret) {
		st = winiommu_status_from_errno(ret);
		if (ret == -EINVAL || ret == -EFAULT)
			st = STATUS_INVALID_PARAMETER_3;
		pr_warn_ratelimited("%s: the IOMMU refused the mapping (%d)\n", fn, ret);
		if (from_alloc)
			winiommu_alloc_put(dom->alloc, start, npages, exact);
		goto err_unlock;
	}
	winiommu_aspace_insert(dom, &m->ext, start, last, WINIOMMU_EXT_MAPPING);
	mutex_unlock(&dom->lock);
	*out = start;
	return STATUS_SUCCESS;

err_unlock:
	mutex_unlock(&dom->lock);
	kfree(m);
	return st;
}

/**
 * winiommu_check_placement() - the cross-parameter checks of the routines
 * that place a logical range (MapLogicalRangeEx, ReserveLogicalAddressRange).
 * @dom: the domain.
 * @explicit: the caller's explicit address, or NULL.
 * @minp: the caller's inclusive lower bound, or NULL.
 * @maxp: the caller's inclusive upper bound, or NULL.
 * @min: receives the lower bound to allocate within (0 without one).
 * @max: receives the upper bound (U64_MAX without one).
 * @fn: the routine, for the log line.
 *
 * An explicit address is required without an allocator and refused with
 * one; the bounds matter only with an allocator.
 *
 * Return: STATUS_SUCCESS, STATUS_NOT_SUPPORTED or STATUS_INVALID_PARAMETER_MIX.
 */
NTSTATUS winiommu_check_placement(const struct winiommu_domain *dom, const u64 *explicit,
				  const u64 *minp, const u64 *maxp, u64 *min, u64 *max,
				  const char *fn)
{
	*min = 0;
	*max = U64_MAX;
	if (!!explicit == !!dom->alloc) {
		winiommu_dom_reject(fn, dom, "%s", dom->alloc ?
				    "an explicit address on a domain with an allocator" :
				    "no explicit address on a domain without an allocator");
		return STATUS_NOT_SUPPORTED;
	}
	if (!dom->alloc)
		return STATUS_SUCCESS;
	if (minp)
		*min = *minp;
	if (maxp)
		*max = *maxp;
	if (*min > *max) {
		winiommu_dom_reject(fn, dom, "MinLogicalAddress %#llx > MaxLogicalAddress %#llx",
				    *min, *max);
		return STATUS_INVALID_PARAMETER_MIX;
	}
	return STATUS_SUCCESS;
}

/**
 * winiommu_map_logical_range_ex() - IOMMU_MAP_LOGICAL_RANGE_EX, MapLogicalRangeEx.
 * @Domain: a Translate (or TranslateS1) domain.
 * @Permissions: IOMMU_ACCESS_READ / IOMMU_ACCESS_WRITE; 0 occupies the
 *	range without granting access.
 * @PhysicalAddressToMap: an MDL, a contiguous range or a PFN array, whole
 *	4 KiB pages.
 * @ExplicitLogicalAddress: required without an allocator, refused with one.
 * @MinLogicalAddress: optional inclusive lower bound for the allocator.
 * @MaxLogicalAddress: optional inclusive upper bound for the allocator.
 * @LogicalAddressOut: receives the logical address; untouched on failure.
 *
 * Return: STATUS_SUCCESS; STATUS_INVALID_PARAMETER_1 (not a Translate
 * domain), _2 (reserved permission bits), _3 (memory not whole pages, an
 * MDL whose Size cannot hold its ByteCount's frames, frames that are not
 * System RAM), _4 (explicit address unaligned, wrapping or out of
 * the devices' reach),
 * _7 (NULL output); STATUS_NOT_SUPPORTED (explicit address vs allocator);
 * STATUS_INVALID_PARAMETER_MIX (no block fits within Min/Max);
 * STATUS_INSUFFICIENT_RESOURCES; STATUS_IN_USE (explicit range occupied).
 */
NTSTATUS winiommu_map_logical_range_ex(PIOMMU_DMA_DOMAIN Domain, ULONG Permissions,
				       PIOMMU_MAP_PHYSICAL_ADDRESS PhysicalAddressToMap,
				       PIOMMU_DMA_LOGICAL_ADDRESS ExplicitLogicalAddress,
				       PIOMMU_DMA_LOGICAL_ADDRESS MinLogicalAddress,
				       PIOMMU_DMA_LOGICAL_ADDRESS MaxLogicalAddress,
				       PIOMMU_DMA_LOGICAL_ADDRESS LogicalAddressOut)
{
	static const char fn[] = "MapLogicalRangeEx";
	struct winiommu_mapping *m;
	struct winiommu_domain *dom;
	u64 npages, min, max, out;
	NTSTATUS st;

	might_sleep();
	dom = winiommu_domain_lookup(fn, Domain, true);
	if (!dom)
		return STATUS_INVALID_PARAMETER_1;
	if (Permissions & ~(IOMMU_ACCESS_READ | IOMMU_ACCESS_WRITE)) {
		winiommu_dom_reject(fn, dom, "Permissions %#x has reserved bits", Permissions);
		st = STATUS_INVALID_PARAMETER_2;
		goto out_put;
	}
	m = winiommu_mapping_parse(PhysicalAddressToMap, &npages, true);
	if (IS_ERR(m)) {
		if (PTR_ERR(m) == -ENOMEM) {
			st = STATUS_INSUFFICIENT_RESOURCES;
		} else {
			winiommu_dom_reject(fn, dom, "%s", winiommu_parse_reason(PTR_ERR(m)));
			st = STATUS_INVALID_PARAMETER_3;
		}
		goto out_put;
	}
	st = STATUS_SUCCESS;
	if (ExplicitLogicalAddress && !PAGE_ALIGNED(*ExplicitLogicalAddress)) {
		winiommu_dom_reject(fn, dom, "ExplicitLogicalAddress %#llx is not page aligned",
				    *ExplicitLogicalAddress);
		st = STATUS_INVALID_PARAMETER_4;
	} else if (!LogicalAddressOut) {
		winiommu_dom_reject(fn, dom, "LogicalAddressOut is NULL");
		st = STATUS_INVALID_PARAMETER_7;
	} else {
		st = winiommu_check_placement(dom, ExplicitLogicalAddress, MinLogicalAddress,
					      MaxLogicalAddress, &min, &max, fn);
	}
	if (!NT_SUCCESS(st)) {
		kfree(m);
		goto out_put;
	}
	st = winiommu_map_logical(dom, Permissions, m, npages, ExplicitLogicalAddress, min, max,
				  &out, fn);
	if (NT_SUCCESS(st))
		*LogicalAddressOut = out;
out_put:
	winiommu_domain_put(dom);
	return st;
}

/**
 * winiommu_v1_map_logical_range() - IOMMU_MAP_LOGICAL_RANGE, the V1 MapLogicalRange.
 * @Domain: an OS-managed (CreateDomain(TRUE)) or Translate domain without
 *	allocator.
 * @Permissions: as MapLogicalRangeEx.
 * @Mdl: whole 4 KiB pages.
 * @LogicalAddress: the page-aligned logical address.
 *
 * Return: as MapLogicalRangeEx, the MDL at position 3 and the address at 4.
 */
NTSTATUS winiommu_v1_map_logical_range(PIOMMU_DMA_DOMAIN Domain, ULONG Permissions, PMDL Mdl,
				       ULONGLONG LogicalAddress)
{
	IOMMU_MAP_PHYSICAL_ADDRESS pa = {
		.MapType = MapPhysicalAddressTypeMdl,
		.Mdl.Mdl = Mdl,
	};
	IOMMU_DMA_LOGICAL_ADDRESS out;

	return winiommu_map_logical_range_ex(Domain, Permissions, &pa, &LogicalAddress,
					     NULL, NULL, &out);
}

/* ---- UnmapLogicalRange ------------------------------------------------------ */

/*
 * @m is about to be cut: its pieces will share its allocator block, so an
 * uncut mapping whose extent was its block gets a block object of its own
 * (one reference, @m's), and a mapping of one run becomes a
 * winiommu_mapping_runs, which can hold it, in place in the address space.
 * Returns @m as it is now, or NULL without memory (nothing changed).
 */
static struct winiommu_mapping *
winiommu_mapping_share_block(struct winiommu_domain *dom, struct winiommu_mapping *m)
{
	int prot = winiommu_map_prot(m);
	struct winiommu_mapping_runs *r;
	struct winiommu_block *b;

	if (winiommu_map_block(m) || !m->ext.from_alloc)
		return m;
	b = kzalloc(sizeof(*b), GFP_KERNEL);
	if (!b)
		return NULL;
	refcount_set(&b->ref, 1);
	b->iova = m->ext.it.start;
	b->npages = (m->ext.it.last - m->ext.it.start + 1) >> PAGE_SHIFT;
	b->exact = m->pa_flags & WINIOMMU_MAP_EXACT;
	if (winiommu_map_has_runs(m)) {
		r = winiommu_map_runs(m);
	} else {
		r = winiommu_mapping_runs_alloc(1, NULL);
		if (!r) {
			kfree(b);
			return NULL;
		}
		r->runs[0] = winiommu_map_run(m, 0);
		r->m.ext = m->ext;
		winiommu_aspace_replace(dom, &m->ext, &r->m.ext);
		kfree(m);
	}
	r->m.pa_flags = WINIOMMU_MAP_RUNS | prot;
	r->block = b;
	r->m.ext.from_alloc = false;
	return &r->m;
}

/* A new mapping holding pages [first, first + n) of @m, at the same place. */
static struct winiommu_mapping *winiommu_mapping_slice(struct winiommu_mapping *m, u64 first,
						       u64 n)
{
	unsigned int i, k = 0, count = 0, nr = winiommu_map_nr_runs(m);
	struct winiommu_mapping_runs *s;
	u64 pos = 0;

	for (i = 0; i < nr; pos += winiommu_map_run(m, i).npages, i++)
		if (pos + winiommu_map_run(m, i).npages > first && pos < first + n)
			count++;
	s = winiommu_mapping_runs_alloc(count, winiommu_map_block(m));
	if (!s)
		return NULL;
	winiommu_map_set_prot(&s->m, winiommu_map_prot(m));
	pos = 0;
	for (i = 0; i < nr; i++) {
		struct winiommu_run r = winiommu_map_run(m, i);
		u64 lo = max(pos, first), hi = min(pos + r.npages, first + n);

		pos += r.npages;
		if (lo >= hi)
			continue;
		s->runs[k].pfn = r.pfn + (lo - (pos - r.npages));
		s->runs[k].npages = hi - lo;
		k++;
	}
	s->m.ext.it.start = m->ext.it.start + (first << PAGE_SHIFT);
	s->m.ext.it.last = s->m.ext.it.start + (n << PAGE_SHIFT) - 1;
	return &s->m;
}

/**
 * winiommu_unmap_logical_range() - IOMMU_UNMAP_LOGICAL_RANGE, UnmapLogicalRange.
 * @Domain: a Translate domain (V1 OS-managed or V2 Translate).
 * @LogicalAddress: page-aligned start.
 * @NumberOfPages: pages to unmap; the range must be wholly mapped by
 *	MapLogicalRange(Ex), possibly by several calls, and may cut them.
 *
 * Unmaps from every Linux domain with one IOTLB sync each before it
 * returns; logical addresses go back to the allocator once all of a block
 * is unmapped.
 *
 * Return: STATUS_SUCCESS; STATUS_INVALID_PARAMETER_1 (not a Translate
 * domain); _2 (unaligned, or not wholly mapped by MapLogicalRange(Ex):
 * nothing changes); _3 (0 pages, or a wrapping range);
 * STATUS_INSUFFICIENT_RESOURCES when splitting a mapping needs memory.
 */
NTSTATUS winiommu_unmap_logical_range(PIOMMU_DMA_DOMAIN Domain, ULONGLONG LogicalAddress,
				      ULONGLONG NumberOfPages)
{
	static const char fn[] = "UnmapLogicalRange";
	struct winiommu_mapping *head = NULL, *tail = NULL;
	struct interval_tree_node *it, *next;
	struct winiommu_domain *dom;
	NTSTATUS st = STATUS_SUCCESS;
	u64 last, expect;

	might_sleep();
	dom = winiommu_domain_lookup(fn, Domain, true);
	if (!dom)
		return STATUS_INVALID_PARAMETER_1;
	if (!PAGE_ALIGNED(LogicalAddress)) {
		winiommu_dom_reject(fn, dom,
				    "LogicalAddress %#llx is not page aligned", LogicalAddress);
		st = STATUS_INVALID_PARAMETER_2;
		goto out_put;
	}
	if (!NumberOfPages || NumberOfPages > (U64_MAX >> PAGE_SHIFT) ||
	    check_add_overflow(LogicalAddress, (NumberOfPages << PAGE_SHIFT) - 1, &last)) {
		winiommu_dom_reject(fn, dom, "NumberOfPages %llu is 0 or wraps", NumberOfPages);
		st = STATUS_INVALID_PARAMETER_3;
		goto out_put;
	}

	mutex_lock(&dom->lock);
	/* the whole range must be covered by mappings, without a gap */
	expect = LogicalAddress;
	for (it = interval_tree_iter_first(&dom->extents, LogicalAddress, last); it;
	     it = interval_tree_iter_next(it, LogicalAddress, last)) {
		struct winiommu_extent *ext = container_of(it, struct winiommu_extent, it);

		if (ext->kind != WINIOMMU_EXT_MAPPING || it->start > expect)
			break;
		expect = it->last + 1;
		if (!expect || it->last >= last)
			break;
	}
	if (!it || container_of(it, struct winiommu_extent, it)->kind != WINIOMMU_EXT_MAPPING ||
	    it->start > expect || (it->last < last && it->last + 1 != 0)) {
		mutex_unlock(&dom->lock);
		winiommu_dom_reject(fn, dom,
				    "[%#llx, %#llx] is not wholly mapped by MapLogicalRange(Ex)",
				    LogicalAddress, last);
		st = STATUS_INVALID_PARAMETER_2;
		goto out_put;
	}

	/* the pieces that survive at either end, allocated before any change */
	it = interval_tree_iter_first(&dom->extents, LogicalAddress, last);
	if (it->start < LogicalAddress) {
		struct winiommu_mapping *m = container_of(it, struct winiommu_mapping, ext.it);

		m = winiommu_mapping_share_block(dom, m);
		if (!m)
			goto enomem;
		it = &m->ext.it;	/* it may have moved */
		head = winiommu_mapping_slice(m, 0, (LogicalAddress - it->start) >> PAGE_SHIFT);
		if (!head)
			goto enomem;
	}
	for (next = it; next; next = interval_tree_iter_next(next, LogicalAddress, last))
		it = next;
	if (it->last > last) {
		struct winiommu_mapping *m = container_of(it, struct winiommu_mapping, ext.it);

		m = winiommu_mapping_share_block(dom, m);
		if (!m)
			goto enomem;
		it = &m->ext.it;
		tail = winiommu_mapping_slice(m, (last + 1 - it->start) >> PAGE_SHIFT,
					      (it->last - last) >> PAGE_SHIFT);
		if (!tail)
			goto enomem;
	}

	/* take every touched mapping out, whole, then put the pieces back */
	while ((it = interval_tree_iter_first(&dom->extents, LogicalAddress, last))) {
		struct winiommu_mapping *m = container_of(it, struct winiommu_mapping, ext.it);
		struct winiommu_block *b = winiommu_map_block(m);

		if (winiommu_map_prot(m))	/* IOMMU_ACCESS_NONE was never mapped */
			winiommu_hw_unmap(dom, it->start, it->last);
		winiommu_aspace_remove(dom, &m->ext);
		/* a surviving piece keeps its share of the allocator block */
		if (b && head && winiommu_map_block(head) == b)
			refcount_inc(&b->ref);
		if (b && tail && winiommu_map_block(tail) == b)
			refcount_inc(&b->ref);
		winiommu_extent_free(dom, &m->ext);
	}
	if (head) {
		winiommu_aspace_insert(dom, &head->ext, head->ext.it.start, head->ext.it.last,
				       WINIOMMU_EXT_MAPPING);
		if (winiommu_mapping_map_all(dom, head))
			pr_err_ratelimited("%s: could not map the rest of a cut mapping back at %#lx\n",
					   fn, head->ext.it.start);
	}
	if (tail) {
		winiommu_aspace_insert(dom, &tail->ext, tail->ext.it.start, tail->ext.it.last,
				       WINIOMMU_EXT_MAPPING);
		if (winiommu_mapping_map_all(dom, tail))
			pr_err_ratelimited("%s: could not map the rest of a cut mapping back at %#lx\n",
					   fn, tail->ext.it.start);
	}
	mutex_unlock(&dom->lock);
	goto out_put;

enomem:
	mutex_unlock(&dom->lock);
	kfree(head);
	st = STATUS_INSUFFICIENT_RESOURCES;
out_put:
	winiommu_domain_put(dom);
	return st;
}

/* ---- identity ranges ---------------------------------------------------------- */

/*
 * Identity ranges are mappings whose logical address is their physical
 * address: one record per physically contiguous run of the description,
 * so that UnmapIdentityRange(Ex) with the same description finds exactly
 * them.  On a PassThrough domain they are recorded and change nothing a
 * device can observe: it already reaches all RAM at its own address.
 */
static bool winiommu_identity_domain_ok(const struct winiommu_domain *dom)
{
	return winiommu_dom_is_translate(dom) || dom->kind == WINIOMMU_DOM_PASSTHROUGH;
}

/* Look up the domain of an identity routine: Translate or PassThrough. */
static struct winiommu_domain *winiommu_identity_lookup(const char *fn, PIOMMU_DMA_DOMAIN h)
{
	struct winiommu_domain *dom = winiommu_domain_get(h);

	if (dom && !winiommu_identity_domain_ok(dom)) {
		winiommu_domain_put(dom);
		dom = NULL;
	}
	if (!dom)
		winiommu_reject(fn, "Domain %p is not a live Translate or PassThrough domain", h);
	return dom;
}

static NTSTATUS winiommu_map_identity(struct winiommu_domain *dom, ULONG perm,
				      struct winiommu_mapping *all, const char *fn)
{
	unsigned int i, j, n = winiommu_map_nr_runs(all);
	struct winiommu_mapping **pieces;
	NTSTATUS st = STATUS_SUCCESS;
	int ret;

	pieces = kcalloc(n, sizeof(*pieces), GFP_KERNEL);
	if (!pieces)
		return STATUS_INSUFFICIENT_RESOURCES;
	for (i = 0; i < n; i++) {
		struct winiommu_run r = winiommu_map_run(all, i);

		pieces[i] = winiommu_mapping_from_pfns(NULL, r.npages, r.pfn, false);
		if (IS_ERR(pieces[i])) {
			pieces[i] = NULL;
			st = STATUS_INSUFFICIENT_RESOURCES;
			goto out_free;
		}
		winiommu_map_set_prot(pieces[i], winiommu_perm_to_prot(perm));
		pieces[i]->ext.it.start = PFN_PHYS(r.pfn);
		pieces[i]->ext.it.last = pieces[i]->ext.it.start + (r.npages << PAGE_SHIFT) - 1;
	}

	mutex_lock(&dom->lock);
	for (i = 0; i < n; i++) {
		struct winiommu_extent *ext = &pieces[i]->ext;

		/* against the address space, and against the other runs */
		for (j = 0; j < i; j++)
			if (ext->it.start <= pieces[j]->ext.it.last &&
			    pieces[j]->ext.it.start <= ext->it.last)
				break;
		if (j < i || winiommu_aspace_first_overlap(dom, ext->it.start, ext->it.last)) {
			winiommu_dom_reject(fn, dom,
					    "[%#lx, %#lx] is already in use", ext->it.start,
					    ext->it.last);
			st = STATUS_IN_USE;
			goto out_unlock;
		}
	}
	if (dom->kind != WINIOMMU_DOM_PASSTHROUGH) {
		for (i = 0; i < n; i++) {
			ret = winiommu_mapping_map_all(dom, pieces[i]);
			if (ret) {
				while (i--)
					winiommu_hw_unmap(dom, pieces[i]->ext.it.start,
							  pieces[i]->ext.it.last);
				st = winiommu_status_from_errno(ret);
				goto out_unlock;
			}
		}
	}
	for (i = 0; i < n; i++) {
		winiommu_aspace_insert(dom, &pieces[i]->ext, pieces[i]->ext.it.start,
				       pieces[i]->ext.it.last, WINIOMMU_EXT_IDENTITY);
		pieces[i] = NULL;
	}
out_unlock:
	mutex_unlock(&dom->lock);
out_free:
	for (i = 0; i < n; i++)
		kfree(pieces[i]);
	kfree(pieces);
	return st;
}

/**
 * winiommu_map_identity_range_ex() - IOMMU_MAP_IDENTITY_RANGE_EX, MapIdentityRangeEx.
 * @Domain: a Translate or PassThrough domain without a buddy allocator.
 * @Permissions: IOMMU_ACCESS_READ / IOMMU_ACCESS_WRITE.
 * @PhysicalAddressToMap: whole 4 KiB pages; each physically contiguous run
 *	is mapped at its own physical address.
 *
 * Return: STATUS_SUCCESS; STATUS_INVALID_PARAMETER_1 (another domain type),
 * _2 (reserved permission bits), _3 (memory not whole pages, or not
 * System RAM);
 * STATUS_NOT_SUPPORTED (the domain has a buddy allocator: identity means
 * explicit addresses); STATUS_IN_USE (a run overlaps the address space);
 * STATUS_INSUFFICIENT_RESOURCES.
 */
NTSTATUS winiommu_map_identity_range_ex(PIOMMU_DMA_DOMAIN Domain, ULONG Permissions,
					PIOMMU_MAP_PHYSICAL_ADDRESS PhysicalAddressToMap)
{
	static const char fn[] = "MapIdentityRangeEx";
	struct winiommu_mapping *all;
	struct winiommu_domain *dom;
	NTSTATUS st;
	u64 npages;

	might_sleep();
	dom = winiommu_identity_lookup(fn, Domain);
	if (!dom)
		return STATUS_INVALID_PARAMETER_1;
	if (Permissions & ~(IOMMU_ACCESS_READ | IOMMU_ACCESS_WRITE)) {
		winiommu_dom_reject(fn, dom, "Permissions %#x has reserved bits", Permissions);
		st = STATUS_INVALID_PARAMETER_2;
		goto out_put;
	}
	all = winiommu_mapping_parse(PhysicalAddressToMap, &npages, true);
	if (IS_ERR(all)) {
		st = PTR_ERR(all) == -ENOMEM ? STATUS_INSUFFICIENT_RESOURCES :
					       STATUS_INVALID_PARAMETER_3;
		if (st == STATUS_INVALID_PARAMETER_3)
			winiommu_dom_reject(fn, dom, "%s", winiommu_parse_reason(PTR_ERR(all)));
		goto out_put;
	}
	if (dom->alloc) {
		winiommu_dom_reject(fn, dom,
				    "the domain has a buddy allocator: no explicit addresses");
		st = STATUS_NOT_SUPPORTED;
	} else {
		st = winiommu_map_identity(dom, Permissions, all, fn);
	}
	kfree(all);
out_put:
	winiommu_domain_put(dom);
	return st;
}

/**
 * winiommu_unmap_identity_range_ex() - IOMMU_UNMAP_IDENTITY_RANGE_EX, UnmapIdentityRangeEx.
 * @Domain: the domain of the MapIdentityRangeEx.
 * @MappedPhysicalAddress: the same description that was mapped.
 *
 * Return: STATUS_SUCCESS; STATUS_INVALID_PARAMETER_1 (another domain
 * type); _2 (memory not whole pages, or not exactly what was mapped:
 * nothing changes); STATUS_NOT_SUPPORTED (buddy allocator).
 */
NTSTATUS winiommu_unmap_identity_range_ex(PIOMMU_DMA_DOMAIN Domain,
					  PIOMMU_MAP_PHYSICAL_ADDRESS MappedPhysicalAddress)
{
	static const char fn[] = "UnmapIdentityRangeEx";
	struct winiommu_mapping *all;
	struct winiommu_domain *dom;
	NTSTATUS st = STATUS_SUCCESS;
	unsigned int i, n;
	u64 npages;

	might_sleep();
	dom = winiommu_identity_lookup(fn, Domain);
	if (!dom)
		return STATUS_INVALID_PARAMETER_1;
	all = winiommu_mapping_parse(MappedPhysicalAddress, &npages, false);
	if (IS_ERR(all)) {
		st = PTR_ERR(all) == -ENOMEM ? STATUS_INSUFFICIENT_RESOURCES :
					       STATUS_INVALID_PARAMETER_2;
		goto out_put;
	}
	if (dom->alloc) {
		winiommu_dom_reject(fn, dom,
				    "the domain has a buddy allocator: no explicit addresses");
		st = STATUS_NOT_SUPPORTED;
		goto out_free;
	}
	n = winiommu_map_nr_runs(all);
	mutex_lock(&dom->lock);
	for (i = 0; i < n; i++) {
		struct winiommu_run r = winiommu_map_run(all, i);
		u64 start = PFN_PHYS(r.pfn), last = start + (r.npages << PAGE_SHIFT) - 1;
		struct winiommu_extent *ext = winiommu_aspace_first_overlap(dom, start, last);

		if (!ext || ext->kind != WINIOMMU_EXT_IDENTITY || ext->it.start != start ||
		    ext->it.last != last) {
			winiommu_dom_reject(fn, dom,
					    "[%#llx, %#llx] was not mapped by MapIdentityRangeEx",
					    start, last);
			st = STATUS_INVALID_PARAMETER_2;
			break;
		}
	}
	for (i = 0; NT_SUCCESS(st) && i < n; i++) {
		u64 start = PFN_PHYS(winiommu_map_run(all, i).pfn);
		struct winiommu_extent *ext = winiommu_aspace_first_overlap(dom, start, start);

		if (dom->kind != WINIOMMU_DOM_PASSTHROUGH &&
		    winiommu_map_prot(container_of(ext, struct winiommu_mapping, ext)))
			winiommu_hw_unmap(dom, ext->it.start, ext->it.last);
		winiommu_aspace_remove(dom, ext);
		winiommu_extent_free(dom, ext);
	}
	mutex_unlock(&dom->lock);
out_free:
	kfree(all);
out_put:
	winiommu_domain_put(dom);
	return st;
}

/* V1 MapIdentityRange: an MDL, positions as in the V1 signature. */
NTSTATUS winiommu_v1_map_identity_range(PIOMMU_DMA_DOMAIN Domain, ULONG Permissions, PMDL Mdl)
{
	IOMMU_MAP_PHYSICAL_ADDRESS pa = {
		.MapType = MapPhysicalAddressTypeMdl,
		.Mdl.Mdl = Mdl,
	};

	return winiommu_map_identity_range_ex(Domain, Permissions, &pa);
}

/* V1 UnmapIdentityRange. */
NTSTATUS winiommu_v1_unmap_identity_range(PIOMMU_DMA_DOMAIN Domain, PMDL Mdl)
{
	IOMMU_MAP_PHYSICAL_ADDRESS pa = {
		.MapType = MapPhysicalAddressTypeMdl,
		.Mdl.Mdl = Mdl,
	};

	return winiommu_unmap_identity_range_ex(Domain, &pa);
}

/* ---- flushes ------------------------------------------------------------------ */

/*
 * FlushDomain and FlushDomainByVaList are for caller-managed page tables:
 * Unmanaged domains and V1 caller-managed ones.  winiommu invalidates by
 * itself on every unmap of the domains it manages, so on those the
 * routines are refused with STATUS_INVALID_PARAMETER_1, as V1 documents.
 */
static struct winiommu_domain *winiommu_flush_lookup(const char *fn, PIOMMU_DMA_DOMAIN h)
{
	struct winiommu_domain *dom = winiommu_domain_get(h);

	if (dom && dom->kind != WINIOMMU_DOM_UNMANAGED) {
		winiommu_domain_put(dom);
		dom = NULL;
	}
	if (!dom)
		winiommu_reject(fn, "Domain %p is not a live Unmanaged domain", h);
	return dom;
}

/**
 * winiommu_flush_domain() - IOMMU_FLUSH_DOMAIN, FlushDomain.
 * @Domain: an Unmanaged (or V1 caller-managed) domain.
 *
 * A configured domain's tables are walked again and the shadow updated
 * (shadow.c); then the whole IOTLB of every Linux domain behind it is
 * invalidated.
 *
 * Return: STATUS_SUCCESS; STATUS_INVALID_PARAMETER_1 for other domains;
 * as ConfigureDomain when the tables have become malformed.
 */
NTSTATUS winiommu_flush_domain(PIOMMU_DMA_DOMAIN Domain)
{
	struct winiommu_domain *dom = winiommu_flush_lookup("FlushDomain", Domain);
	struct winiommu_hwdom *hw;
	NTSTATUS st;

	if (!dom)
		return STATUS_INVALID_PARAMETER_1;
	mutex_lock(&dom->lock);
	st = winiommu_shadow_flush(dom, NULL, 0);
	list_for_each_entry(hw, &dom->hwdoms, node)
		if (hw->domain)
			hw->be->flush_all(hw->domain);
	mutex_unlock(&dom->lock);
	winiommu_domain_put(dom);
	return st;
}

/**
 * winiommu_flush_domain_va_list() - IOMMU_FLUSH_DOMAIN_VA_LIST, FlushDomainByVaList.
 * @Domain: an Unmanaged (or V1 caller-managed) domain.
 * @LastLevel: only leaf entries need invalidating (a hint; Linux always
 *	invalidates what the gather covers).
 * @Number: entries in @VaList.
 * @VaList: @Number logical addresses (ULONGLONG each), one 4 KiB page each.
 *
 * A configured domain's tables are walked again at the listed addresses
 * (the whole page or block each falls in) and the shadow updated.
 *
 * Return: STATUS_SUCCESS; STATUS_INVALID_PARAMETER_1 for other domains;
 * _4 for a NULL @VaList with @Number > 0; as ConfigureDomain when the
 * tables have become malformed.
 */
NTSTATUS winiommu_flush_domain_va_list(PIOMMU_DMA_DOMAIN Domain, BOOLEAN LastLevel,
				       ULONG Number, PVOID VaList)
{
	static const char fn[] = "FlushDomainByVaList";
	struct winiommu_domain *dom = winiommu_flush_lookup(fn, Domain);
	const ULONGLONG *va = VaList;
	struct winiommu_hwdom *hw;
	NTSTATUS st;
	ULONG i;

	if (!dom)
		return STATUS_INVALID_PARAMETER_1;
	if (Number && !VaList) {
		winiommu_dom_reject(fn, dom, "VaList is NULL with Number %u", Number);
		winiommu_domain_put(dom);
		return STATUS_INVALID_PARAMETER_4;
	}
	mutex_lock(&dom->lock);
	st = winiommu_shadow_flush(dom, va, Number);
	list_for_each_entry(hw, &dom->hwdoms, node) {
		struct iommu_iotlb_gather gather;

		if (!hw->domain)
			continue;
		iommu_iotlb_gather_init(&gather);
		for (i = 0; i < Number; i++)
			iommu_iotlb_gather_add_page(hw->domain, &gather, va[i] & PAGE_MASK,
						    PAGE_SIZE);
		hw->be->iotlb_sync(hw->domain, &gather);
	}
	mutex_unlock(&dom->lock);
	winiommu_domain_put(dom);
	return st;
}
