// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The winiommu authors
 *
 * Shadowed caller page tables: ConfigureDomain on an Unmanaged domain.
 *
 * On Windows the caller of an Unmanaged domain builds AArch64 (VMSA)
 * stage-1 translation tables in its own memory and hands the IOMMU their
 * roots; the SMMU walks them.  Linux gives a module no way to hand an
 * IOMMU raw tables, so winiommu walks them itself, as a vIOMMU does for a
 * guest, and maps every valid translation into the domain's Linux
 * domains.  The shadow is a set of extents of the address space (kind
 * SHADOW), one per leaf descriptor, so replay at attach, debugfs and the
 * unload sweep treat it like any other mapping.
 *
 * Like an IOTLB, the shadow keeps what it last saw until the caller
 * flushes: FlushDomain walks everything again, FlushDomainByVaList the
 * translations of the listed addresses (the whole block or page each one
 * falls in, before and after).  Only what changed is unmapped or mapped.
 *
 * The walk: 4 KiB granule; TTBR0 translates [0, 2^InputSize0), TTBR1
 * [2^64 - 2^InputSize1, 2^64); the start level follows from the input
 * size.  Table descriptors at levels 0-2, blocks at levels 1 (1 GiB) and
 * 2 (2 MiB), pages at level 3; AP[2] and APTable[1] make a translation
 * read-only; a leaf without its access flag is not a translation (the SMMU
 * would fault).  A reserved encoding (a level-0 block, a level-3 "block"),
 * a table outside RAM or a translation to memory that is not RAM makes
 * the tables malformed.  Every walk has a hard bound on the descriptors
 * it reads, so no table graph, however cyclic, can keep it going.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>

#include "winiommu.h"
#include "backend.h"

/* Descriptors one walk may read: 4 M cover 16 GiB of 4 KiB pages. */
#define WINIOMMU_S1_MAX_VISITS	(4 * SZ_1M)

#define S1_VALID		BIT_ULL(0)
#define S1_TABLE		BIT_ULL(1)	/* levels 0-2: table; level 3: page */
#define S1_AP_RDONLY		BIT_ULL(7)	/* AP[2] */
#define S1_AF			BIT_ULL(10)
#define S1_APTABLE_RDONLY	BIT_ULL(62)	/* APTable[1] */
#define S1_ADDR_MASK		GENMASK_ULL(47, 12)

/**
 * struct winiommu_s1 - a stage-1 configuration being shadowed.
 * @ttbr: table roots of TTBR0 and TTBR1.
 * @bits: their input sizes; 0 turns one off.
 * @enabled: TranslationEnabled; when false nothing is mapped.
 */
struct winiommu_s1 {
	u64 ttbr[2];
	u8 bits[2];
	bool enabled;
};

/*
 * One shadowed leaf: an extent of kind SHADOW, [va, va + size - 1]; the
 * physical address with the IOMMU_READ/WRITE/CACHE flags in its low bits.
 */
struct winiommu_shadow_pte {
	struct winiommu_extent ext;
	u64 pa_prot;
};

/* 64 bytes: the project's budget per translation (a kmalloc-64 object) */
static_assert(sizeof(struct winiommu_shadow_pte) <= 64);

static inline u64 shadow_pa(const struct winiommu_shadow_pte *p)
{
	return p->pa_prot & PAGE_MASK;
}

static inline int shadow_prot(const struct winiommu_shadow_pte *p)
{
	return p->pa_prot & ~PAGE_MASK;
}

/* One translation a walk found. */
struct winiommu_leaf {
	u64 va, last, pa;
	int prot;
};

/*
 * A walk of [lo, hi]: @fn is called for every translation overlapping it,
 * in ascending address order; a non-zero return stops the walk.
 */
struct winiommu_walk {
	const struct winiommu_s1 *s1;
	u64 lo, hi;
	int (*fn)(struct winiommu_walk *w, const struct winiommu_leaf *l);
	struct winiommu_ram_hint ram;	/* for winiommu_ram_holds() */
	unsigned int visits;
	/* what the callbacks keep */
	struct winiommu_domain *dom;
	u64 slo, shi;			/* apply: the range being synced */
	struct winiommu_extent *cursor;	/* apply: the next old extent in it */
	u64 first, last;		/* check: span of the leaves seen */
	unsigned long nr;
};

static inline unsigned int s1_shift(int level)
{
	return 12 + 9 * (3 - level);
}

/* The level a walk of @bits input bits starts at (4 KiB granule). */
static int s1_start_level(unsigned int bits)
{
	if (bits > 39)
		return 0;
	if (bits > 30)
		return 1;
	return 2;
}

/*
 * Walk the table at @table (level @level) whose entry 0 translates @base,
 * for the addresses [w->lo, w->hi]; @ro: a table above said read-only;
 * @entries: entries of this table (fewer than 512 at the start level).
 */
static int s1_walk_table(struct winiommu_walk *w, u64 table, int level, u64 base,
			 unsigned int entries, bool ro)
{
	unsigned int shift = s1_shift(level), i, first, last;
	u64 span = 1ULL << shift;
	struct winiommu_leaf leaf;
	struct page *page;
	__le64 *desc;
	int ret = 0;

	if (!winiommu_ram_holds(table >> PAGE_SHIFT, 1, &w->ram))
		return -EFAULT;
	/* only the entries that translate [lo, hi] */
	first = w->lo > base ? (w->lo - base) >> shift : 0;
	last = min_t(u64, entries - 1, (w->hi - base) >> shift);
	page = pfn_to_page(table >> PAGE_SHIFT);
	desc = kmap_local_page(page);
	for (i = first; i <= last && !ret; i++) {
		u64 d = le64_to_cpu(READ_ONCE(desc[i])), va = base + i * span, out;
		bool leaf_ro = ro;

		if (++w->visits > WINIOMMU_S1_MAX_VISITS) {
			ret = -E2BIG;
			break;
		}
		if (!(d & S1_VALID))
			continue;
		if (level < 3 && (d & S1_TABLE)) {
			bool below_ro = ro || (d & S1_APTABLE_RDONLY);

			kunmap_local(desc);
			ret = s1_walk_table(w, d & S1_ADDR_MASK, level + 1, va, 512, below_ro);
			desc = kmap_local_page(page);
			continue;
		}
		/* a leaf: level 1/2 block or level 3 page; the rest is reserved */
		if (level == 0 || (level == 3 && !(d & S1_TABLE))) {
			ret = -EINVAL;
			break;
		}
		if (!(d & S1_AF))
			continue;	/* the SMMU would take an access flag fault */
		out = d & S1_ADDR_MASK & ~(span - 1);
		if (!winiommu_ram_holds(out >> PAGE_SHIFT, span >> PAGE_SHIFT, &w->ram)) {
			ret = -EFAULT;
			break;
		}
		leaf_ro |= d & S1_AP_RDONLY;
		leaf.va = va;
		leaf.last = va + span - 1;
		leaf.pa = out;
		leaf.prot = IOMMU_READ | IOMMU_CACHE | (leaf_ro ? 0 : IOMMU_WRITE);
		kunmap_local(desc);
		ret = w->fn(w, &leaf);
		desc = kmap_local_page(page);
	}
	kunmap_local(desc);
	return ret;
}

/* Every translation of @s1 that overlaps [lo, hi], in address order, to @w->fn. */
static int s1_walk(struct winiommu_walk *w, const struct winiommu_s1 *s1, u64 lo, u64 hi)
{
	int t, ret;

	w->s1 = s1;
	w->visits = 0;
	if (!s1->enabled)
		return 0;
	for (t = 0; t < 2; t++) {
		unsigned int bits = s1->bits[t];
		int level = s1_start_level(bits);
		u64 first, last;

		if (!bits)
			continue;
		first = t ? -(1ULL << bits) : 0;
		last = t ? U64_MAX : (1ULL << bits) - 1;
		if (hi < first || lo > last)
			continue;
		w->lo = max(lo, first);
		w->hi = min(hi, last);
		ret = s1_walk_table(w, s1->ttbr[t], level, first,
				    1u << (bits - s1_shift(level)), false);
		if (ret)
			return ret;
	}
	return 0;
}

/* ---- the shadow in the address space ----------------------------------------- */

static int winiommu_shadow_map(struct winiommu_domain *dom, struct winiommu_shadow_pte *p)
{
	struct winiommu_hwdom *hw;
	int ret;

	list_for_each_entry(hw, &dom->hwdoms, node) {
		ret = winiommu_shadow_replay(&p->ext, hw);
		if (ret) {
			winiommu_hw_unmap_before(dom, hw, p->ext.it.start, p->ext.it.last);
			return ret;
		}
	}
	return 0;
}

/* Map one shadowed leaf into a Linux domain (attach replay, ConfigureDomain). */
int winiommu_shadow_replay(struct winiommu_extent *ext, struct winiommu_hwdom *hw)
{
	struct winiommu_shadow_pte *p = container_of(ext, struct winiommu_shadow_pte, ext);

	if (!hw->domain)
		return 0;
	return hw->be->map(hw->domain, ext->it.start, shadow_pa(p),
			   ext->it.last - ext->it.start + 1, shadow_prot(p), GFP_KERNEL);
}

static void winiommu_shadow_drop(struct winiommu_domain *dom, struct winiommu_extent *ext)
{
	winiommu_hw_unmap(dom, ext->it.start, ext->it.last);
	winiommu_aspace_remove(dom, ext);
	kfree(container_of(ext, struct winiommu_shadow_pte, ext));
}

static bool winiommu_shadow_same(const struct winiommu_extent *ext,
				 const struct winiommu_leaf *l)
{
	const struct winiommu_shadow_pte *p = container_of(ext, struct winiommu_shadow_pte, ext);

	return ext->it.start == l->va && ext->it.last == l->last && shadow_pa(p) == l->pa &&
	       shadow_prot(p) == l->prot;
}

/* Check pass: only where the leaves start and end, and how many there are. */
static int winiommu_shadow_check(struct winiommu_walk *w, const struct winiommu_leaf *l)
{
	if (!w->nr++)
		w->first = l->va;
	w->last = l->last;
	return 0;
}

/*
 * Apply pass: @l is the next translation in address order; the old
 * extents before it are gone, an equal one stays, a new one is mapped.
 */
static int winiommu_shadow_apply(struct winiommu_walk *w, const struct winiommu_leaf *l)
{
	struct winiommu_domain *dom = w->dom;
	struct winiommu_extent *ext;
	struct winiommu_shadow_pte *p;
	int ret;

	/* old extents that start before @l, or where @l starts, unless equal */
	while ((ext = w->cursor) && ext->it.start <= l->va) {
		w->cursor = winiommu_aspace_next_overlap(ext, w->slo, w->shi);
		if (ext->kind != WINIOMMU_EXT_SHADOW)
			continue;
		if (winiommu_shadow_same(ext, l))
			return 0;
		winiommu_shadow_drop(dom, ext);
	}
	/* old shadow inside @l goes; anything else there wins */
	while ((ext = w->cursor) && ext->it.start <= l->last) {
		if (ext->kind != WINIOMMU_EXT_SHADOW) {
			pr_warn_ratelimited("ConfigureDomain: domain %u: translation %#llx-%#llx overlaps a reserved region: not shadowed\n",
					    dom->dbg_id, l->va, l->last);
			return 0;
		}
		w->cursor = winiommu_aspace_next_overlap(ext, w->slo, w->shi);
		winiommu_shadow_drop(dom, ext);
	}
	if (winiommu_aspace_first_overlap(dom, l->va, l->last))
		return 0;	/* a reserved region that began before @l */
	if (l->va < dom->reach_first || l->last > dom->reach_last)
		return -ERANGE;
	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	p->pa_prot = l->pa | l->prot;	/* pages are aligned: the flags fit below */
	p->ext.it.start = l->va;
	p->ext.it.last = l->last;
	ret = winiommu_shadow_map(dom, p);
	if (ret) {
		kfree(p);
		return ret;
	}
	winiommu_aspace_insert(dom, &p->ext, l->va, l->last, WINIOMMU_EXT_SHADOW);
	return 0;
}

/*
 * Make the shadow of [lo, hi] what the tables say now.  [lo, hi] first
 * grows to cover every shadowed leaf and every table leaf it touches (a
 * flushed address drops the whole block it was cached in, and brings in
 * the whole block it is now in).  A first walk checks the tables and
 * stores nothing; a second applies them in address order beside the old
 * extents, so unchanged translations stay mapped and memory stays small
 * however large the tables.  Returns 0 or a negative errno; a table
 * walk that fails changes nothing.
 */
static int winiommu_shadow_sync(struct winiommu_domain *dom, u64 lo, u64 hi)
{
	struct winiommu_walk w = { .dom = dom, .ram = WINIOMMU_RAM_HINT_INIT };
	struct winiommu_extent *ext, *next;
	unsigned int round;
	u64 nlo, nhi;
	int ret;

	lockdep_assert_held(&dom->lock);
	for (round = 0; ; round++) {
		nlo = lo;
		nhi = hi;
		for (ext = winiommu_aspace_first_overlap(dom, lo, hi); ext;
		     ext = winiommu_aspace_next_overlap(ext, lo, hi)) {
			if (ext->kind != WINIOMMU_EXT_SHADOW)
				continue;
			nlo = min_t(u64, nlo, ext->it.start);
			nhi = max_t(u64, nhi, ext->it.last);
		}
		w.fn = winiommu_shadow_check;
		w.nr = 0;
		ret = s1_walk(&w, dom->s1, nlo, nhi);
		if (ret)
			return ret;
		if (w.nr) {
			nlo = min(nlo, w.first);
			nhi = max(nhi, w.last);
		}
		/* blocks are aligned: two rounds settle every range */
		if ((nlo == lo && nhi == hi) || round == 3)
			break;
		lo = nlo;
		hi = nhi;
	}

	w.fn = winiommu_shadow_apply;
	w.slo = nlo;
	w.shi = nhi;
	w.cursor = winiommu_aspace_first_overlap(dom, nlo, nhi);
	ret = s1_walk(&w, dom->s1, nlo, nhi);
	if (ret)
		return ret;
	/* what is left after the last translation is gone */
	for (ext = w.cursor; ext; ext = next) {
		next = winiommu_aspace_next_overlap(ext, nlo, nhi);
		if (ext->kind == WINIOMMU_EXT_SHADOW)
			winiommu_shadow_drop(dom, ext);
	}
	return 0;
}

/* Drop the whole shadow (the domain's lock is held). */
static void winiommu_shadow_clear(struct winiommu_domain *dom)
{
	struct winiommu_extent *ext = winiommu_aspace_first_overlap(dom, 0, U64_MAX), *next;

	while (ext) {
		next = winiommu_aspace_next_overlap(ext, 0, U64_MAX);
		if (ext->kind == WINIOMMU_EXT_SHADOW)
			winiommu_shadow_drop(dom, ext);
		ext = next;
	}
}

static NTSTATUS winiommu_shadow_status(int err)
{
	switch (err) {
	case 0:
		return STATUS_SUCCESS;
	case -EINVAL:		/* a reserved descriptor encoding */
	case -EFAULT:		/* a table or a translation outside RAM */
		return STATUS_INVALID_PARAMETER_2;
	case -ERANGE:		/* beyond what the attached devices address */
		return STATUS_NOT_SUPPORTED;
	case -E2BIG:		/* more descriptors than one walk may read */
		return STATUS_INSUFFICIENT_RESOURCES;
	default:
		return winiommu_status_from_errno(err);
	}
}

/**
 * winiommu_shadow_configure() - shadow a caller's stage-1 tables.
 * @dom: an Unmanaged domain; its lock is held.
 * @c: a validated ARM64 configuration.
 *
 * The domain's translations become those of @c's tables (none while
 * TranslationEnabled is FALSE).  On failure the domain keeps the shadow it
 * had and its earlier configuration.
 *
 * Return: STATUS_SUCCESS; STATUS_INVALID_PARAMETER_2 for malformed tables;
 * STATUS_NOT_SUPPORTED for a translation no attached device can address;
 * STATUS_INSUFFICIENT_RESOURCES when memory or the walk bound runs out.
 */
NTSTATUS winiommu_shadow_configure(struct winiommu_domain *dom,
				   const DOMAIN_CONFIGURATION_ARM64 *c)
{
	struct winiommu_s1 *s1 = kzalloc(sizeof(*s1), GFP_KERNEL), *old = dom->s1;
	int ret;

	lockdep_assert_held(&dom->lock);
	if (!s1)
		return STATUS_INSUFFICIENT_RESOURCES;
	s1->ttbr[0] = c->Ttbr0.QuadPart;
	s1->ttbr[1] = c->Ttbr1.QuadPart;
	s1->bits[0] = c->InputSize0;
	s1->bits[1] = c->InputSize1;
	s1->enabled = c->TranslationEnabled;
	dom->s1 = s1;
	ret = winiommu_shadow_sync(dom, 0, U64_MAX);
	if (ret) {
		/* back to what the old tables said: the walk is done again */
		dom->s1 = old;
		kfree(s1);
		if (old)
			winiommu_shadow_sync(dom, 0, U64_MAX);
		else
			winiommu_shadow_clear(dom);
		return winiommu_shadow_status(ret);
	}
	kfree(old);
	return STATUS_SUCCESS;
}

/**
 * winiommu_shadow_flush() - FlushDomain(ByVaList) on a configured domain.
 * @dom: an Unmanaged domain; its lock is held.
 * @va: the addresses to walk again (one 4 KiB page each), or NULL for all.
 * @n: how many there are.
 *
 * Return: STATUS_SUCCESS, or as winiommu_shadow_configure() when the
 * tables have become malformed (the shadow of the other addresses stays).
 */
NTSTATUS winiommu_shadow_flush(struct winiommu_domain *dom, const u64 *va, unsigned int n)
{
	unsigned int i;
	int ret = 0;

	lockdep_assert_held(&dom->lock);
	if (!dom->s1)
		return STATUS_SUCCESS;	/* nothing configured: nothing cached */
	if (!va)
		return winiommu_shadow_status(winiommu_shadow_sync(dom, 0, U64_MAX));
	for (i = 0; i < n && !ret; i++) {
		u64 page = va[i] & PAGE_MASK;

		ret = winiommu_shadow_sync(dom, page, page + PAGE_SIZE - 1);
	}
	return winiommu_shadow_status(ret);
}

/* The domain goes away: its configuration with it (extents go with the rest). */
void winiommu_shadow_free(struct winiommu_domain *dom)
{
	kfree(dom->s1);
	dom->s1 = NULL;
}

/* debugfs (domains/<id>/mappings): one shadowed leaf. */
void winiommu_shadow_show(struct seq_file *s, struct winiommu_extent *ext)
{
	struct winiommu_shadow_pte *p = container_of(ext, struct winiommu_shadow_pte, ext);
	int prot = shadow_prot(p);

	seq_printf(s, " access %c%c phys %#llx made_by ConfigureDomain",
		   prot & IOMMU_READ ? 'r' : '-', prot & IOMMU_WRITE ? 'w' : '-', shadow_pa(p));
}
