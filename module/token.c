// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The winiommu authors
 *
 * Reserved logical ranges: ReserveLogicalAddressRange,
 * FreeReservedLogicalAddressRange, MapReservedLogicalRange and
 * UnmapReservedLogicalRange.
 *
 * A token is a logical range set aside in a Translate domain, so that
 * segments can be mapped into it and unmapped again on a driver's hot
 * path.  Everything winiommu needs to track the segments of the whole
 * range (which pages are mapped, where segments start, each page's frame
 * and access) is allocated when the range is reserved: mapping and
 * unmapping segments allocate nothing in winiommu.  The IOMMU's own page
 * tables for the range are made at reservation too (and in every Linux
 * domain a later attach adds): a page is mapped and unmapped again in each
 * 2 MiB span of the range, which leaves the last-level tables in place, so
 * segments mapped into the range later find them.  virtio-iommu keeps its
 * page tables in the host and sends a request per map and unmap, which it
 * allocates: that remains, by the driver's design.  The handle is the
 * address of the Windows IOMMU_DMA_LOGICAL_ADDRESS_TOKEN inside the token.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitmap.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include "winiommu.h"
#include "backend.h"

/**
 * struct winiommu_token - a reserved logical range.
 * @obj: registry header; the handle is &@win.
 * @win: what the caller sees: LogicalAddressBase and Size.
 * @dom: the domain (a reference is held).
 * @ext: the range in the domain's address space (kind TOKEN).
 * @npages: pages in the range.
 * @from_alloc: the range came from the allocator (@exact: how).
 * @exact: see winiommu_alloc_get().
 * @freeing: FreeReservedLogicalAddressRange has begun.
 * @mapped: a bit per page, set while it is mapped.
 * @starts: a bit per page, set where a mapped segment starts.
 * @pfns: the frame mapped at each page.
 * @prot: the IOMMU_READ/WRITE/CACHE of each page.
 *
 * Everything from @freeing on is guarded by the domain's lock.
 */
struct winiommu_token {
	struct winiommu_obj obj;
	IOMMU_DMA_LOGICAL_ADDRESS_TOKEN win;
	struct winiommu_domain *dom;
	struct winiommu_extent ext;
	u64 npages;
	bool from_alloc;
	bool exact;
	bool freeing;
	unsigned long *mapped;
	unsigned long *starts;
	u64 *pfns;
	u8 *prot;
};

/*
 * debugfs (domains/<id>/mappings): the token's size and where it came
 * from, then each mapped segment: offset, pages, access, first frame.
 */
void winiommu_token_show(struct seq_file *s, struct winiommu_extent *ext)
{
	struct winiommu_token *tok = container_of(ext, struct winiommu_token, ext);
	unsigned long first, next;
	u8 prot;

	seq_printf(s, " pages %llu from %s made_by ReserveLogicalAddressRange%s", tok->npages,
		   tok->from_alloc ? "allocator" : "caller", tok->freeing ? " freeing" : "");
	for_each_set_bit(first, tok->starts, tok->npages) {
		next = find_next_bit(tok->starts, tok->npages, first + 1);
		next = min_t(unsigned long, next,
			     find_next_zero_bit(tok->mapped, tok->npages, first));
		prot = tok->prot[first];
		seq_printf(s, "\n    segment offset %#lx pages %lu access %c%c phys %#llx %s",
			   first << PAGE_SHIFT, next - first, prot & IOMMU_READ ? 'r' : '-',
			   prot & IOMMU_WRITE ? 'w' : '-', tok->pfns[first] << PAGE_SHIFT,
			   "made_by MapReservedLogicalRange");
	}
}

static void winiommu_token_free_mem(struct winiommu_token *tok)
{
	bitmap_free(tok->mapped);
	bitmap_free(tok->starts);
	kvfree(tok->pfns);
	kvfree(tok->prot);
}

static void winiommu_token_release(struct winiommu_obj *obj)
{
	struct winiommu_token *tok = container_of(obj, struct winiommu_token, obj);

	winiommu_token_free_mem(tok);
	winiommu_domain_put(tok->dom);
	kfree_rcu(tok, obj.rcu);
}

static struct winiommu_token *winiommu_token_get(PIOMMU_DMA_LOGICAL_ADDRESS_TOKEN handle)
{
	struct winiommu_obj *obj = winiommu_obj_get(handle, WINIOMMU_OBJ_TOKEN);

	return obj ? container_of(obj, struct winiommu_token, obj) : NULL;
}

/* ---- physical descriptions, page by page, without allocating -------------- */

static bool winiommu_phys_pages(PIOMMU_MAP_PHYSICAL_ADDRESS pa, u64 *npages)
{
	if (!pa)
		return false;
	switch ((u32)pa->MapType) {
	case MapPhysicalAddressTypeMdl:
		if (!pa->Mdl.Mdl || MmGetMdlByteOffset(pa->Mdl.Mdl) ||
		    !MmGetMdlByteCount(pa->Mdl.Mdl) || MmGetMdlByteCount(pa->Mdl.Mdl) % PAGE_SIZE)
			return false;
		*npages = MmGetMdlByteCount(pa->Mdl.Mdl) / PAGE_SIZE;
		return winiommu_mdl_holds(pa->Mdl.Mdl, *npages);
	case MapPhysicalAddressTypeContiguousRange:
		if (!PAGE_ALIGNED(pa->ContiguousRange.Base.QuadPart) || !pa->ContiguousRange.Size ||
		    pa->ContiguousRange.Size % PAGE_SIZE)
			return false;
		*npages = pa->ContiguousRange.Size / PAGE_SIZE;
		return true;
	case MapPhysicalAddressTypePfn:
		if (!pa->PfnArray.PageFrame || !pa->PfnArray.NumberOfPages)
			return false;
		*npages = pa->PfnArray.NumberOfPages;
		return true;
	}
	return false;
}

static u64 winiommu_phys_pfn(PIOMMU_MAP_PHYSICAL_ADDRESS pa, u64 i)
{
	switch ((u32)pa->MapType) {
	case MapPhysicalAddressTypeMdl:
		return MmGetMdlPfnArray(pa->Mdl.Mdl)[i];
	case MapPhysicalAddressTypeContiguousRange:
		return ((u64)pa->ContiguousRange.Base.QuadPart >> PAGE_SHIFT) + i;
	default:
		return pa->PfnArray.PageFrame[i];
	}
}

/* ---- images in the Linux domains ------------------------------------------ */

/* Map pages [first, first + n) of @tok into @hw, run by run. */
static int winiommu_token_map_pages(struct winiommu_token *tok, struct winiommu_hwdom *hw,
				    u64 first, u64 n, gfp_t gfp)
{
	u64 i = first, end = first + n;
	int ret;

	if (!hw->domain)
		return 0;
	while (i < end) {
		u64 j = i + 1;

		while (j < end && tok->pfns[j] == tok->pfns[j - 1] + 1 &&
		       tok->prot[j] == tok->prot[i])
			j++;
		if (tok->prot[i]) {
			ret = hw->be->map(hw->domain, tok->ext.it.start + (i << PAGE_SHIFT),
					  tok->pfns[i] << PAGE_SHIFT, (j - i) << PAGE_SHIFT,
					  tok->prot[i], gfp);
			if (ret) {
				u64 start = tok->ext.it.start;

				if (i > first)
					winiommu_hw_unmap(tok->dom, start + (first << PAGE_SHIFT),
							  start + (i << PAGE_SHIFT) - 1);
				return ret;
			}
		}
		i = j;
	}
	return 0;
}

/*
 * Unmap pages [first, first + n) from every Linux domain: only the runs
 * that were mapped (IOMMU_ACCESS_NONE pages never were), one IOTLB sync
 * per Linux domain.
 */
static void winiommu_token_unmap_pages(struct winiommu_token *tok, u64 first, u64 n)
{
	struct winiommu_hwdom *hw;
	u64 i, j;

	list_for_each_entry(hw, &tok->dom->hwdoms, node) {
		struct iommu_iotlb_gather gather;

		if (!hw->domain)
			continue;
		iommu_iotlb_gather_init(&gather);
		for (i = first; i < first + n; i = j) {
			for (j = i + 1; j < first + n && !tok->prot[j] == !tok->prot[i]; j++)
				;
			if (tok->prot[i])
				hw->be->unmap(hw->domain, tok->ext.it.start + (i << PAGE_SHIFT),
					      (j - i) << PAGE_SHIFT, &gather);
		}
		hw->be->iotlb_sync(hw->domain, &gather);
	}
}

/* The span one last-level table covers with 4 KiB pages (x86, Arm LPAE). */
#define WINIOMMU_TABLE_SPAN	SZ_2M

/*
 * Make @hw's page tables for the whole token exist: map the zero page
 * read-only at one page of every table span of the range and unmap it
 * again.  Unmapping a single page frees no table on any driver.
 */
static int winiommu_token_prefault(struct winiommu_token *tok, struct winiommu_hwdom *hw)
{
	u64 start = tok->ext.it.start, last = tok->ext.it.last, iova;
	phys_addr_t zero = page_to_phys(ZERO_PAGE(0));
	int ret;

	if (!hw->domain)
		return 0;
	for (iova = start; iova <= last;
	     iova = ALIGN_DOWN(iova, WINIOMMU_TABLE_SPAN) + WINIOMMU_TABLE_SPAN) {
		struct iommu_iotlb_gather gather;

		/* skip pages already mapped: their tables exist */
		if (test_bit((iova - start) >> PAGE_SHIFT, tok->mapped))
			continue;
		ret = hw->be->map(hw->domain, iova, zero, PAGE_SIZE, IOMMU_READ, GFP_KERNEL);
		if (ret)
			return ret;
		iommu_iotlb_gather_init(&gather);
		hw->be->unmap(hw->domain, iova, PAGE_SIZE, &gather);
		hw->be->iotlb_sync(hw->domain, &gather);
		if (ALIGN_DOWN(iova, WINIOMMU_TABLE_SPAN) + WINIOMMU_TABLE_SPAN < iova)
			break;	/* wrapped at the top of the address space */
	}
	return 0;
}

/* Replay the mapped segments of a token into a new Linux domain. */
int winiommu_token_replay(struct winiommu_extent *ext, struct winiommu_hwdom *hw)
{
	struct winiommu_token *tok = container_of(ext, struct winiommu_token, ext);
	unsigned long rs, re;
	int ret;

	ret = winiommu_token_prefault(tok, hw);
	if (ret)
		return ret;
	for_each_set_bitrange(rs, re, tok->mapped, tok->npages) {
		ret = winiommu_token_map_pages(tok, hw, rs, re - rs, GFP_KERNEL);
		if (ret)
			return ret;
	}
	return 0;
}

/* ---- ReserveLogicalAddressRange / FreeReservedLogicalAddressRange -------- */

/**
 * winiommu_reserve_range() - IOMMU_RESERVE_LOGICAL_ADDRESS_RANGE.
 * @Domain: a Translate domain.
 * @Size: bytes, whole pages.
 * @ExplicitLogicalAddress: as MapLogicalRangeEx.
 * @MinLogicalAddress: as MapLogicalRangeEx.
 * @MaxLogicalAddress: as MapLogicalRangeEx.
 * @LogicalAddressToken: receives the token; untouched on failure.
 *
 * Return: STATUS_SUCCESS; STATUS_INVALID_PARAMETER_1 (not Translate), _2
 * (size not whole pages), _3 (explicit address unaligned, wrapping or out
 * of reach), _6 (NULL output); STATUS_NOT_SUPPORTED (explicit address vs
 * allocator); STATUS_INVALID_PARAMETER_MIX (no room within Min/Max);
 * STATUS_IN_USE (explicit range occupied); STATUS_INSUFFICIENT_RESOURCES.
 */
NTSTATUS winiommu_reserve_range(PIOMMU_DMA_DOMAIN Domain, SIZE_T Size,
				PIOMMU_DMA_LOGICAL_ADDRESS ExplicitLogicalAddress,
				PIOMMU_DMA_LOGICAL_ADDRESS MinLogicalAddress,
				PIOMMU_DMA_LOGICAL_ADDRESS MaxLogicalAddress,
				PIOMMU_DMA_LOGICAL_ADDRESS_TOKEN *LogicalAddressToken)
{
	static const char fn[] = "ReserveLogicalAddressRange";
	u64 min, max, start, last, npages;
	struct winiommu_domain *dom;
	struct winiommu_token *tok;
	struct winiommu_hwdom *hw;
	NTSTATUS st;
	int ret;

	might_sleep();
	dom = winiommu_domain_lookup(fn, Domain, true);
	if (!dom)
		return STATUS_INVALID_PARAMETER_1;
	st = STATUS_SUCCESS;
	if (!Size || Size % PAGE_SIZE) {
		winiommu_dom_reject(fn, dom, "Size %zu is not whole pages", Size);
		st = STATUS_INVALID_PARAMETER_2;
	} else if (ExplicitLogicalAddress && !PAGE_ALIGNED(*ExplicitLogicalAddress)) {
		winiommu_dom_reject(fn, dom, "ExplicitLogicalAddress %#llx is not page aligned",
				    *ExplicitLogicalAddress);
		st = STATUS_INVALID_PARAMETER_3;
	} else if (!LogicalAddressToken) {
		winiommu_dom_reject(fn, dom, "LogicalAddressToken is NULL");
		st = STATUS_INVALID_PARAMETER_6;
	} else {
		st = winiommu_check_placement(dom, ExplicitLogicalAddress, MinLogicalAddress,
					      MaxLogicalAddress, &min, &max, fn);
	}
	if (!NT_SUCCESS(st))
		goto out_put;

	npages = Size / PAGE_SIZE;
	/* the books of a huge range cannot be had: say so, without a warning */
	tok = npages <= UINT_MAX ? kzalloc(sizeof(*tok), GFP_KERNEL) : NULL;
	if (!tok) {
		st = STATUS_INSUFFICIENT_RESOURCES;
		goto out_put;
	}
	winiommu_obj_init(&tok->obj, WINIOMMU_OBJ_TOKEN, winiommu_token_release);
	tok->npages = npages;
	tok->mapped = bitmap_zalloc(npages, GFP_KERNEL | __GFP_NOWARN);
	tok->starts = bitmap_zalloc(npages, GFP_KERNEL | __GFP_NOWARN);
	tok->pfns = kvcalloc(npages, sizeof(*tok->pfns), GFP_KERNEL | __GFP_NOWARN);
	tok->prot = kvcalloc(npages, sizeof(*tok->prot), GFP_KERNEL | __GFP_NOWARN);
	if (!tok->mapped || !tok->starts || !tok->pfns || !tok->prot) {
		st = STATUS_INSUFFICIENT_RESOURCES;
		goto err_free;
	}

	mutex_lock(&dom->lock);
	if (dom->dead) {
		st = STATUS_INVALID_PARAMETER_1;
		goto err_unlock;
	}
	if (ExplicitLogicalAddress) {
		start = *ExplicitLogicalAddress;
		if (check_add_overflow(start, (u64)Size - 1, &last) ||
		    start < dom->reach_first || last > dom->reach_last) {
			winiommu_dom_reject(fn, dom,
					    "[%#llx, +%zu) wraps or is out of the devices' reach",
					    start, Size);
			st = STATUS_INVALID_PARAMETER_3;
			goto err_unlock;
		}
		if (winiommu_aspace_first_overlap(dom, start, last)) {
			winiommu_dom_reject(fn, dom,
					    "[%#llx, %#llx] is already in use", start, last);
			st = STATUS_IN_USE;
			goto err_unlock;
		}
	} else {
		ret = winiommu_alloc_get(dom->alloc, npages, min, max, &start, &tok->exact);
		if (ret) {
			st = ret == -ERANGE ? STATUS_INVALID_PARAMETER_MIX :
					      STATUS_INSUFFICIENT_RESOURCES;
			goto err_unlock;
		}
		tok->from_alloc = true;
		last = start + Size - 1;
	}
	tok->win.LogicalAddressBase = start;
	tok->win.Size = Size;
	tok->dom = dom;
	tok->ext.it.start = start;
	tok->ext.it.last = last;
	list_for_each_entry(hw, &dom->hwdoms, node) {
		ret = winiommu_token_prefault(tok, hw);
		if (ret)
			goto err_release;
	}
	ret = winiommu_obj_publish(&tok->obj, &tok->win);
	if (ret)
		goto err_release;
	winiommu_aspace_insert(dom, &tok->ext, start, last, WINIOMMU_EXT_TOKEN);
	dom->nr_tokens++;
	mutex_unlock(&dom->lock);
	*LogicalAddressToken = &tok->win;
	return STATUS_SUCCESS;	/* the token keeps our domain reference */

err_release:
	if (tok->from_alloc)
		winiommu_alloc_put(dom->alloc, start, npages, tok->exact);
	st = STATUS_INSUFFICIENT_RESOURCES;
err_unlock:
	mutex_unlock(&dom->lock);
err_free:
	winiommu_token_free_mem(tok);
	kfree(tok);
out_put:
	winiommu_domain_put(dom);
	return st;
}

/**
 * winiommu_free_reserved_range() - FreeReservedLogicalAddressRange.
 * @LogicalAddressToken: a live token.
 *
 * Return: STATUS_SUCCESS; STATUS_RESOURCE_IN_USE while a segment is mapped
 * (nothing changes); STATUS_INVALID_PARAMETER_1 for an unknown token.
 */
NTSTATUS winiommu_free_reserved_range(PIOMMU_DMA_LOGICAL_ADDRESS_TOKEN LogicalAddressToken)
{
	static const char fn[] = "FreeReservedLogicalAddressRange";
	struct winiommu_token *tok = winiommu_token_get(LogicalAddressToken);
	struct winiommu_domain *dom;
	NTSTATUS st = STATUS_SUCCESS;

	might_sleep();
	if (!tok) {
		winiommu_reject(fn, "LogicalAddressToken %p is not a live token",
				LogicalAddressToken);
		return STATUS_INVALID_PARAMETER_1;
	}
	dom = tok->dom;
	mutex_lock(&dom->lock);
	if (!bitmap_empty(tok->mapped, tok->npages)) {
		winiommu_dom_reject(fn, tok->dom,
				    "token %p still has mapped segments", LogicalAddressToken);
		st = STATUS_RESOURCE_IN_USE;
	} else if (tok->freeing || !winiommu_obj_unpublish(&tok->obj)) {
		st = STATUS_INVALID_PARAMETER_1;
	} else {
		tok->freeing = true;
		winiommu_aspace_remove(dom, &tok->ext);
		if (tok->from_alloc)
			winiommu_alloc_put(dom->alloc, tok->ext.it.start, tok->npages, tok->exact);
		dom->nr_tokens--;
	}
	mutex_unlock(&dom->lock);
	if (NT_SUCCESS(st))
		winiommu_obj_put(&tok->obj);	/* the registry's reference */
	winiommu_obj_put(&tok->obj);
	return st;
}

/* ---- MapReservedLogicalRange / UnmapReservedLogicalRange ----------------- */

/**
 * winiommu_map_reserved_range() - IOMMU_MAP_RESERVED_LOGICAL_RANGE.
 * @LogicalAddressToken: a live token.
 * @Offset: page-aligned byte offset into the token.
 * @Permissions: IOMMU_ACCESS_READ / IOMMU_ACCESS_WRITE.
 * @PhysicalAddressToMap: whole 4 KiB pages that fit in the token at @Offset.
 * @MappedSegment: caller storage, filled on success.
 *
 * winiommu allocates nothing here; see the file comment.
 *
 * Return: STATUS_SUCCESS; STATUS_INVALID_PARAMETER_1 (unknown token), _2
 * (offset unaligned, or the memory runs past the token), _3 (reserved
 * permission bits), _4 (memory not whole pages, an MDL whose Size cannot
 * hold its ByteCount's frames, frames that are not System RAM), _5
 * (NULL segment);
 * STATUS_RESOURCE_IN_USE (a page of the target is mapped);
 * STATUS_UNSUCCESSFUL (the token is being freed).
 */
NTSTATUS winiommu_map_reserved_range(PIOMMU_DMA_LOGICAL_ADDRESS_TOKEN LogicalAddressToken,
				     SIZE_T Offset, ULONG Permissions,
				     PIOMMU_MAP_PHYSICAL_ADDRESS PhysicalAddressToMap,
				     PIOMMU_DMA_LOGICAL_ADDRESS_TOKEN_MAPPED_SEGMENT MappedSegment)
{
	static const char fn[] = "MapReservedLogicalRange";
	struct winiommu_token *tok = winiommu_token_get(LogicalAddressToken);
	struct winiommu_domain *dom;
	struct winiommu_hwdom *hw;
	NTSTATUS st = STATUS_SUCCESS;
	struct winiommu_ram_hint hint = WINIOMMU_RAM_HINT_INIT;
	u64 first, npages, i, run;
	int prot, ret;

	if (!tok) {
		winiommu_reject(fn, "LogicalAddressToken %p is not a live token",
				LogicalAddressToken);
		return STATUS_INVALID_PARAMETER_1;
	}
	dom = tok->dom;
	first = Offset >> PAGE_SHIFT;
	if (!PAGE_ALIGNED(Offset) || first >= tok->npages) {
		winiommu_dom_reject(fn, dom, "Offset %#zx is unaligned or past the token", Offset);
		st = STATUS_INVALID_PARAMETER_2;
	} else if (Permissions & ~(IOMMU_ACCESS_READ | IOMMU_ACCESS_WRITE)) {
		winiommu_dom_reject(fn, dom, "Permissions %#x has reserved bits", Permissions);
		st = STATUS_INVALID_PARAMETER_3;
	} else if (!winiommu_phys_pages(PhysicalAddressToMap, &npages)) {
		winiommu_dom_reject(fn, dom,
				    "PhysicalAddressToMap is not whole, aligned 4 KiB pages");
		st = STATUS_INVALID_PARAMETER_4;
	} else if (npages > tok->npages - first) {
		winiommu_dom_reject(fn, dom,
				    "%llu pages at offset %#zx run past the token", npages, Offset);
		st = STATUS_INVALID_PARAMETER_2;
	} else if (!MappedSegment) {
		winiommu_dom_reject(fn, dom, "MappedSegment is NULL");
		st = STATUS_INVALID_PARAMETER_5;
	}
	if (!NT_SUCCESS(st))
		goto out_put;

	prot = winiommu_perm_to_prot(Permissions);
	mutex_lock(&dom->lock);
	if (tok->freeing) {
		st = STATUS_UNSUCCESSFUL;
		goto out_unlock;
	}
	if (find_next_bit(tok->mapped, first + npages, first) < first + npages) {
		winiommu_dom_reject(fn, dom,
				    "[offset %#zx, +%llu pages) is already mapped", Offset, npages);
		st = STATUS_RESOURCE_IN_USE;
		goto out_unlock;
	}
	/* only System RAM (ram.c), checked run by run; nothing is mapped yet */
	for (i = 0, run = 0; i < npages; i++) {
		u64 pfn = winiommu_phys_pfn(PhysicalAddressToMap, i);

		tok->pfns[first + i] = pfn;
		tok->prot[first + i] = prot ? prot | IOMMU_CACHE : 0;
		/* a run ends before a frame that does not follow, or at the end */
		if (i > run && pfn != tok->pfns[first + i - 1] + 1) {
			if (!winiommu_ram_holds(tok->pfns[first + run], i - run, &hint))
				break;
			run = i;
		}
		if (i + 1 == npages &&
		    !winiommu_ram_holds(tok->pfns[first + run], npages - run, &hint))
			break;
	}
	if (i < npages) {
		winiommu_dom_reject(fn, dom, "frames from pfn %#llx are not all System RAM",
				    tok->pfns[first + run]);
		st = STATUS_INVALID_PARAMETER_4;
		goto out_unlock;
	}
	list_for_each_entry(hw, &dom->hwdoms, node) {
		ret = winiommu_token_map_pages(tok, hw, first, npages, GFP_KERNEL);
		if (ret) {
			u64 start = tok->ext.it.start + (first << PAGE_SHIFT);
			u64 last = start + (npages << PAGE_SHIFT) - 1;

			winiommu_hw_unmap_before(dom, hw, start, last);
			st = winiommu_status_from_errno(ret);
			goto out_unlock;
		}
	}
	bitmap_set(tok->mapped, first, npages);
	__set_bit(first, tok->starts);
	winiommu_stat_mapped(npages << PAGE_SHIFT);
	MappedSegment->OwningToken = LogicalAddressToken;
	MappedSegment->Offset = Offset;
	MappedSegment->Size = npages << PAGE_SHIFT;
out_unlock:
	mutex_unlock(&dom->lock);
out_put:
	winiommu_obj_put(&tok->obj);
	return st;
}

/**
 * winiommu_unmap_reserved_range() - IOMMU_UNMAP_RESERVED_LOGICAL_RANGE.
 * @MappedSegment: a segment filled by MapReservedLogicalRange.
 *
 * Unmaps the segment from every Linux domain with one IOTLB sync each
 * before returning, and clears the caller's segment.
 *
 * Return: STATUS_SUCCESS; STATUS_INVALID_PARAMETER when the segment is not
 * a mapped segment of a live token (nothing changes).
 */
NTSTATUS
winiommu_unmap_reserved_range(PIOMMU_DMA_LOGICAL_ADDRESS_TOKEN_MAPPED_SEGMENT MappedSegment)
{
	static const char fn[] = "UnmapReservedLogicalRange";
	struct winiommu_token *tok;
	struct winiommu_domain *dom;
	NTSTATUS st = STATUS_SUCCESS;
	u64 first, npages, end;

	if (!MappedSegment) {
		winiommu_reject(fn, "MappedSegment is NULL");
		return STATUS_INVALID_PARAMETER;
	}
	tok = winiommu_token_get(MappedSegment->OwningToken);
	if (!tok) {
		winiommu_reject(fn, "the segment's token %p is not live",
				MappedSegment->OwningToken);
		return STATUS_INVALID_PARAMETER;
	}
	dom = tok->dom;
	first = MappedSegment->Offset >> PAGE_SHIFT;
	npages = MappedSegment->Size >> PAGE_SHIFT;
	mutex_lock(&dom->lock);
	end = first + npages;
	if (!PAGE_ALIGNED(MappedSegment->Offset) || !PAGE_ALIGNED(MappedSegment->Size) ||
	    !npages || first >= tok->npages || npages > tok->npages - first ||
	    !test_bit(first, tok->starts) ||
	    find_next_zero_bit(tok->mapped, end, first) < end ||
	    find_next_bit(tok->starts, end, first + 1) < end ||
	    (end < tok->npages && test_bit(end, tok->mapped) && !test_bit(end, tok->starts))) {
		winiommu_dom_reject(fn, dom, "[offset %#zx, +%zu) is not a mapped segment",
				    MappedSegment->Offset, MappedSegment->Size);
		st = STATUS_INVALID_PARAMETER;
		goto out_unlock;
	}
	winiommu_token_unmap_pages(tok, first, npages);
	bitmap_clear(tok->mapped, first, npages);
	__clear_bit(first, tok->starts);
	winiommu_stat_unmapped(npages << PAGE_SHIFT);
	memset(MappedSegment, 0, sizeof(*MappedSegment));
out_unlock:
	mutex_unlock(&dom->lock);
	winiommu_obj_put(&tok->obj);
	return st;
}

/*
 * Unload sweep: unmap every segment a driver left mapped in @handle, then
 * free the token.  Returns false if it could not be freed.
 */
bool winiommu_token_force_free(PIOMMU_DMA_LOGICAL_ADDRESS_TOKEN handle)
{
	struct winiommu_token *tok = winiommu_token_get(handle);
	unsigned long rs, re;

	if (!tok)
		return false;
	mutex_lock(&tok->dom->lock);
	for_each_set_bitrange(rs, re, tok->mapped, tok->npages) {
		winiommu_token_unmap_pages(tok, rs, re - rs);
		winiommu_stat_unmapped((u64)(re - rs) << PAGE_SHIFT);
	}
	bitmap_zero(tok->mapped, tok->npages);
	bitmap_zero(tok->starts, tok->npages);
	mutex_unlock(&tok->dom->lock);
	winiommu_obj_put(&tok->obj);
	return NT_SUCCESS(winiommu_free_reserved_range(handle));
}
