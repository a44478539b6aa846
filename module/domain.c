// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The winiommu authors
 *
 * Domains: CreateDomainEx (V2/V3), CreateDomain (V1) and DeleteDomain.
 *
 * A Windows domain is created before any device is known, so it owns its
 * address space from birth (aspace.c, alloc.c); Linux iommu_domains are
 * made at the first attach and filled by replay (devices).
 *
 * Validation follows the STATUS_INVALID_PARAMETER_n numbering: parameters
 * in ascending position, then policy (STATUS_NOT_SUPPORTED), then
 * resources (STATUS_INSUFFICIENT_RESOURCES).  Nothing is written to an
 * output and nothing stays allocated unless the call succeeds.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/iommu.h>
#include <linux/slab.h>

#include "winiommu.h"

/* A reserved-region list longer than this is refused (and ends a cycle). */
#define WINIOMMU_MAX_RESV_REGIONS	1024

/* Live Unmanaged domains, against winiommu_params.max_unmanaged_domains. */
static atomic_t winiommu_nr_unmanaged = ATOMIC_INIT(0);

/**
 * winiommu_unmanaged_count() - live Unmanaged domains.
 *
 * Return: how many Unmanaged domains exist, the count checked against
 * winiommu_params.max_unmanaged_domains.
 */
unsigned int winiommu_unmanaged_count(void)
{
	return atomic_read(&winiommu_nr_unmanaged);
}
EXPORT_SYMBOL_NS_GPL(winiommu_unmanaged_count, WINIOMMU_TEST_NS);

struct winiommu_domain *winiommu_domain_get(PIOMMU_DMA_DOMAIN handle)
{
	struct winiommu_obj *obj = winiommu_obj_get(handle, WINIOMMU_OBJ_DOMAIN);

	return obj ? container_of(obj, struct winiommu_domain, obj) : NULL;
}

/*
 * Look a caller's domain handle up, optionally insisting on a Translate
 * domain; a refused one is logged as a porting bug.
 */
struct winiommu_domain *winiommu_domain_lookup(const char *fn, PIOMMU_DMA_DOMAIN handle,
					       bool translate)
{
	struct winiommu_domain *dom = winiommu_domain_get(handle);

	if (dom && translate && !winiommu_dom_is_translate(dom)) {
		winiommu_domain_put(dom);
		dom = NULL;
	}
	if (!dom)
		winiommu_reject(fn, "Domain %p is not a live%s domain", handle,
				translate ? " Translate" : "");
	return dom;
}

void winiommu_domain_put(struct winiommu_domain *dom)
{
	winiommu_obj_put(&dom->obj);
}

static void winiommu_free_resv_regions(struct list_head *head)
{
	struct iommu_resv_region *r, *next;

	list_for_each_entry_safe(r, next, head, list) {
		list_del(&r->list);
		kfree(r);
	}
}

/* Free everything a domain owns; used by the release and by create's unwind. */
static void winiommu_domain_teardown(struct winiommu_domain *dom)
{
	mutex_lock(&dom->lock);
	winiommu_aspace_clear(dom);
	winiommu_shadow_free(dom);
	winiommu_free_resv_regions(&dom->resv_regions);
	if (dom->alloc) {
		winiommu_alloc_destroy(dom->alloc);
		kfree(dom->alloc);
		dom->alloc = NULL;
	}
	mutex_unlock(&dom->lock);
	mutex_destroy(&dom->lock);
}

static void winiommu_domain_release(struct winiommu_obj *obj)
{
	struct winiommu_domain *dom = container_of(obj, struct winiommu_domain, obj);

	winiommu_domain_teardown(dom);
	kfree_rcu(dom, obj.rcu);
}

/* Checked Windows reserved regions, ready to be built into a domain. */
struct winiommu_resv_args {
	PIOMMU_DMA_RESERVED_REGION head;
	unsigned int count;
};

/*
 * Validate the caller's reserved-region list: page-aligned Base, at least
 * one page, no wrap past 2^64 (or past the allocator's width when there is
 * one), no two regions overlapping, and a sane length.
 */
static bool winiommu_check_resv_regions(PIOMMU_DMA_RESERVED_REGION head, u64 limit,
					struct winiommu_resv_args *out)
{
	PIOMMU_DMA_RESERVED_REGION r, q;
	unsigned int n = 0;

	for (r = head; r; r = r->RegionNext) {
		u64 last;

		if (++n > WINIOMMU_MAX_RESV_REGIONS)
			return false;
		if (!PAGE_ALIGNED(r->Base) || !r->NumberOfPages ||
		    r->NumberOfPages > (U64_MAX >> PAGE_SHIFT))
			return false;
		if (check_add_overflow(r->Base, (u64)r->NumberOfPages * PAGE_SIZE - 1, &last) ||
		    last > limit)
			return false;
		/* pairwise overlap against the regions before this one */
		for (q = head; q != r; q = q->RegionNext) {
			u64 qlast = q->Base + (u64)q->NumberOfPages * PAGE_SIZE - 1;

			if (r->Base <= qlast && q->Base <= last)
				return false;
		}
	}
	out->head = head;
	out->count = n;
	return true;
}

/* Copy the regions into @dom: resv list, extents, allocator carve-outs. */
static int winiommu_domain_add_resv(struct winiommu_domain *dom,
				    const struct winiommu_resv_args *resv)
{
	PIOMMU_DMA_RESERVED_REGION r;
	int ret;

	lockdep_assert_held(&dom->lock);
	for (r = resv->head; r; r = r->RegionNext) {
		u64 len = (u64)r->NumberOfPages * PAGE_SIZE;
		enum iommu_resv_type type = r->ShouldMap ? IOMMU_RESV_DIRECT : IOMMU_RESV_RESERVED;
		struct iommu_resv_region *region;
		struct winiommu_extent *ext;

		region = iommu_alloc_resv_region(r->Base, len,
						 r->ShouldMap ? IOMMU_READ | IOMMU_WRITE : 0,
						 type, GFP_KERNEL);
		if (!region)
			return -ENOMEM;
		list_add_tail(&region->list, &dom->resv_regions);

		ext = kzalloc(sizeof(*ext), GFP_KERNEL);
		if (!ext)
			return -ENOMEM;
		winiommu_aspace_insert(dom, ext, r->Base, r->Base + len - 1,
				       r->ShouldMap ? WINIOMMU_EXT_RESV_DIRECT :
						      WINIOMMU_EXT_RESV_HOLE);
		if (dom->alloc && r->Base <= winiommu_alloc_last_addr(dom->alloc)) {
			ret = winiommu_alloc_reserve(dom->alloc, r->Base, r->Base + len - 1);
			if (ret)
				return ret;
		}
	}
	return 0;
}

/*
 * Build and publish a domain.  Everything is checked; only resources can
 * fail here.  On failure nothing is left behind.
 */
static NTSTATUS winiommu_domain_create(enum winiommu_dom_kind kind, bool v1, u32 width,
				       const struct winiommu_resv_args *resv,
				       PIOMMU_DMA_DOMAIN *out, const char *fn)
{
	struct winiommu_domain *dom;
	int ret;

	if (kind == WINIOMMU_DOM_UNMANAGED &&
	    atomic_inc_return(&winiommu_nr_unmanaged) >
	    READ_ONCE(winiommu_params.max_unmanaged_domains)) {
		atomic_dec(&winiommu_nr_unmanaged);
		winiommu_reject(fn, "no Unmanaged domain left (max_unmanaged_domains=%u)",
				READ_ONCE(winiommu_params.max_unmanaged_domains));
		return STATUS_INSUFFICIENT_RESOURCES;
	}

	dom = kzalloc(sizeof(*dom), GFP_KERNEL);
	if (!dom) {
		ret = -ENOMEM;
		goto err_budget;
	}
	winiommu_obj_init(&dom->obj, WINIOMMU_OBJ_DOMAIN, winiommu_domain_release);
	dom->kind = kind;
	dom->v1 = v1;
	mutex_init(&dom->lock);
	dom->extents = RB_ROOT_CACHED;
	INIT_LIST_HEAD(&dom->resv_regions);
	INIT_LIST_HEAD(&dom->hwdoms);
	dom->reach_first = 0;
	dom->reach_last = U64_MAX;

	if (width) {
		dom->alloc = kzalloc(sizeof(*dom->alloc), GFP_KERNEL);
		if (!dom->alloc) {
			ret = -ENOMEM;
			goto err_teardown;
		}
		ret = winiommu_alloc_init(dom->alloc, width);
		if (ret) {
			kfree(dom->alloc);
			dom->alloc = NULL;
			goto err_teardown;
		}
	}
	if (resv && resv->head) {
		mutex_lock(&dom->lock);
		ret = winiommu_domain_add_resv(dom, resv);
		mutex_unlock(&dom->lock);
		if (ret)
			goto err_teardown;
	}

	ret = winiommu_obj_publish(&dom->obj, dom);
	if (ret)
		goto err_teardown;
	winiommu_debugfs_domain_add(dom);
	*out = (PIOMMU_DMA_DOMAIN)dom;
	return STATUS_SUCCESS;

err_teardown:
	winiommu_domain_teardown(dom);
	kfree(dom);
err_budget:
	if (kind == WINIOMMU_DOM_UNMANAGED)
		atomic_dec(&winiommu_nr_unmanaged);
	return winiommu_status_from_errno(ret);
}

/* The STATUS_NOT_SUPPORTED cases shared by both creation routines. */
static NTSTATUS winiommu_domain_policy(enum winiommu_dom_kind kind, const char *fn)
{
	if (kind == WINIOMMU_DOM_PASSTHROUGH && !READ_ONCE(winiommu_params.allow_passthrough)) {
		winiommu_reject(fn, "PassThrough domains are disabled (allow_passthrough=0)");
		return STATUS_NOT_SUPPORTED;
	}
	if (!winiommu_platform_has_iommu()) {
		winiommu_reject(fn, "this machine has no IOMMU");
		return STATUS_NOT_SUPPORTED;
	}
	if (READ_ONCE(winiommu_params.refuse_x86_guest) && winiommu_platform_is_x86_guest()) {
		winiommu_reject(fn, "x86 guest (refuse_x86_guest=1, the Windows rule)");
		return STATUS_NOT_SUPPORTED;
	}
	return STATUS_SUCCESS;
}

/**
 * winiommu_create_domain_ex() - IOMMU_DOMAIN_CREATE_EX, CreateDomainEx.
 * @DomainType: Translate, PassThrough, Unmanaged or TranslateS1.
 * @Flags: no flag is defined; must be 0.
 * @LogicalAllocatorConfig: optional; Buddy with AddressWidth 1..63 builds
 *	an allocator (Translate domains only), None or NULL builds none.
 * @ReservedRegions: optional NULL-terminated list (Translate domains only).
 * @DomainOut: receives the handle on success, untouched otherwise.
 *
 * Return: STATUS_SUCCESS; STATUS_INVALID_PARAMETER_1..5 for the argument
 * at that position; STATUS_NOT_SUPPORTED when policy or the machine rules
 * the type out; STATUS_INSUFFICIENT_RESOURCES when memory or the
 * Unmanaged-domain budget runs out.
 */
NTSTATUS winiommu_create_domain_ex(IOMMU_DMA_DOMAIN_TYPE DomainType,
				   IOMMU_DMA_DOMAIN_CREATION_FLAGS Flags,
				   PIOMMU_DMA_LOGICAL_ALLOCATOR_CONFIG LogicalAllocatorConfig,
				   PIOMMU_DMA_RESERVED_REGION ReservedRegions,
				   PIOMMU_DMA_DOMAIN *DomainOut)
{
	static const char fn[] = "CreateDomainEx";
	struct winiommu_resv_args resv = {};
	enum winiommu_dom_kind kind;
	u64 limit = U64_MAX;
	NTSTATUS st;
	u32 width = 0;

	might_sleep();
	switch ((u32)DomainType) {
	case DomainTypeTranslate:
		kind = WINIOMMU_DOM_TRANSLATE;
		break;
	case DomainTypePassThrough:
		kind = WINIOMMU_DOM_PASSTHROUGH;
		break;
	case DomainTypeUnmanaged:
		kind = WINIOMMU_DOM_UNMANAGED;
		break;
	case DomainTypeTranslateS1:
		kind = WINIOMMU_DOM_TRANSLATE_S1;
		break;
	default:
		winiommu_reject(fn, "DomainType %u is not a domain type", (u32)DomainType);
		return STATUS_INVALID_PARAMETER_1;
	}
	if (Flags.AsUlonglong) {
		winiommu_reject(fn, "Flags %#llx: no flag is defined", Flags.AsUlonglong);
		return STATUS_INVALID_PARAMETER_2;
	}
	if (LogicalAllocatorConfig) {
		u32 type = LogicalAllocatorConfig->LogicalAllocatorType;

		if (type >= IommuDmaLogicalAllocatorMax) {
			winiommu_reject(fn, "LogicalAllocatorType %u is not an allocator", type);
			return STATUS_INVALID_PARAMETER_3;
		}
		if (type == IommuDmaLogicalAllocatorBuddy) {
			width = LogicalAllocatorConfig->BuddyAllocatorConfig.AddressWidth;
			if (!width || width > 63) {
				winiommu_reject(fn, "AddressWidth %u is outside 1..63", width);
				return STATUS_INVALID_PARAMETER_3;
			}
			if (kind != WINIOMMU_DOM_TRANSLATE && kind != WINIOMMU_DOM_TRANSLATE_S1) {
				winiommu_reject(fn, "a logical allocator needs a Translate domain");
				return STATUS_INVALID_PARAMETER_3;
			}
			limit = BIT_ULL(width) - 1;
		}
	}
	if (ReservedRegions) {
		if (kind != WINIOMMU_DOM_TRANSLATE && kind != WINIOMMU_DOM_TRANSLATE_S1) {
			winiommu_reject(fn, "reserved regions need a Translate domain");
			return STATUS_INVALID_PARAMETER_4;
		}
		if (!winiommu_check_resv_regions(ReservedRegions, limit, &resv)) {
			winiommu_reject(fn,
					"ReservedRegions: unaligned, empty, overlapping, past AddressWidth or too many");
			return STATUS_INVALID_PARAMETER_4;
		}
	}
	if (!DomainOut) {
		winiommu_reject(fn, "DomainOut is NULL");
		return STATUS_INVALID_PARAMETER_5;
	}
	st = winiommu_domain_policy(kind, fn);
	if (!NT_SUCCESS(st))
		return st;
	return winiommu_domain_create(kind, false, width, &resv, DomainOut, fn);
}

/**
 * winiommu_create_domain() - IOMMU_DOMAIN_CREATE, the V1 CreateDomain.
 * @OsManagedPageTable: TRUE: a Translate domain without allocator (the
 *	caller picks addresses, winiommu owns the page tables); FALSE: a
 *	caller-managed (Unmanaged) domain.
 * @DomainOut: receives the handle on success, untouched otherwise.
 *
 * Return: as winiommu_create_domain_ex(); a NULL @DomainOut is
 * STATUS_INVALID_PARAMETER_2.
 */
NTSTATUS winiommu_create_domain(BOOLEAN OsManagedPageTable, PIOMMU_DMA_DOMAIN *DomainOut)
{
	static const char fn[] = "CreateDomain";
	enum winiommu_dom_kind kind;
	NTSTATUS st;

	might_sleep();
	if (!DomainOut) {
		winiommu_reject(fn, "DomainOut is NULL");
		return STATUS_INVALID_PARAMETER_2;
	}
	kind = OsManagedPageTable ? WINIOMMU_DOM_TRANSLATE : WINIOMMU_DOM_UNMANAGED;
	st = winiommu_domain_policy(kind, fn);
	if (!NT_SUCCESS(st))
		return st;
	return winiommu_domain_create(kind, true, 0, NULL, DomainOut, fn);
}

/**
 * winiommu_delete_domain() - IOMMU_DOMAIN_DELETE, DeleteDomain (V1/V2/V3).
 * @Domain: a live domain from CreateDomain or CreateDomainEx.
 *
 * Return: STATUS_SUCCESS, the domain and all it owns (mappings, reserved
 * regions, allocator) released; STATUS_RESOURCE_IN_USE while a device or
 * a PASID device is attached or a logical address token is live (nothing
 * changes);
 * STATUS_INVALID_PARAMETER_1 for NULL, unknown or deleted handles.
 */
NTSTATUS winiommu_delete_domain(PIOMMU_DMA_DOMAIN Domain)
{
	static const char fn[] = "DeleteDomain";
	struct winiommu_domain *dom;

	might_sleep();
	dom = winiommu_domain_lookup(fn, Domain, false);
	if (!dom)
		return STATUS_INVALID_PARAMETER_1;
	mutex_lock(&dom->lock);
	if (dom->nr_devices || dom->nr_pasid_devices || dom->nr_tokens) {
		mutex_unlock(&dom->lock);
		winiommu_dom_reject(fn, dom,
				    "Domain %p keeps %u device(s), %u PASID device(s), %u token(s)",
				    Domain, dom->nr_devices, dom->nr_pasid_devices, dom->nr_tokens);
		winiommu_domain_put(dom);
		return STATUS_RESOURCE_IN_USE;
	}
	if (!winiommu_obj_unpublish(&dom->obj)) {
		/* a concurrent DeleteDomain won */
		mutex_unlock(&dom->lock);
		winiommu_domain_put(dom);
		return STATUS_INVALID_PARAMETER_1;
	}
	dom->dead = true;
	mutex_unlock(&dom->lock);
	winiommu_debugfs_domain_remove(dom);
	if (dom->kind == WINIOMMU_DOM_UNMANAGED)
		atomic_dec(&winiommu_nr_unmanaged);

	winiommu_obj_put(&dom->obj);	/* the registry's reference */
	winiommu_domain_put(dom);	/* ours: the last one frees */
	return STATUS_SUCCESS;
}
