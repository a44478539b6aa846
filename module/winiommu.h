/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (C) 2026 The winiommu authors
 *
 * winiommu.h - private declarations shared by the files of winiommu.ko.
 *
 * Layers (design.md): the Windows routines (main.c, domain.c, ...) validate
 * their arguments and return NTSTATUS; below them the address space of a
 * domain (aspace.c: mapping records, reserved regions, the logical
 * allocator) is the source of truth; the backends (issue-specific files)
 * make Linux iommu_domains its image.  Inside this file Linux names only.
 */
#ifndef _WINIOMMU_PRIV_H
#define _WINIOMMU_PRIV_H

#include <linux/interval_tree.h>
#include <linux/iova.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/types.h>

#include <wdm.h>

#include "compat.h"
#include "status.h"

/* ---- module parameters (main.c) ---------------------------------------- */

/**
 * struct winiommu_params - run-time tunables, one global instance.
 * @max_unmanaged_domains: the "ASID" budget: live Unmanaged domains allowed.
 * @allow_passthrough: PassThrough domains may be created at all.
 * @refuse_x86_guest: restore Windows' rule that an x86 guest cannot create
 *	domains (off by default: Linux guests with a vIOMMU work).
 * @log_rejects: log one rate-limited line per call rejected as a porting bug.
 */
struct winiommu_params {
	unsigned int max_unmanaged_domains;
	bool allow_passthrough;
	bool refuse_x86_guest;
	bool log_rejects;
};

extern struct winiommu_params winiommu_params;

/*
 * A rejected call that points at a bug in the ported driver: one
 * rate-limited line naming the routine and the argument.
 */
#define winiommu_reject(routine, fmt, ...)					\
	do {									\
		if (READ_ONCE(winiommu_params.log_rejects))			\
			pr_warn_ratelimited("%s: " fmt "\n", routine, ##__VA_ARGS__); \
	} while (0)

/* ---- object registry (object.c) ---------------------------------------- */

enum winiommu_obj_type {
	WINIOMMU_OBJ_DOMAIN = 1,
	WINIOMMU_OBJ_DEVICE,
	WINIOMMU_OBJ_TOKEN,
	WINIOMMU_OBJ_PASID_DEVICE,
};

/**
 * struct winiommu_obj - header of every object a Windows handle names.
 * @ref: held by the registry while the object is live, and by each call
 *	that looked it up; the object is freed (after an RCU grace period)
 *	when the last reference goes.
 * @type: what the handle names; a handle of the wrong kind is refused.
 * @handle: the value handed to the caller (the registry key).
 * @release: frees the containing object.
 * @rcu: for the deferred free.
 *
 * Handles are looked up in the registry, never dereferenced on trust: a
 * stale or foreign pointer gets a status, not an oops.
 */
struct winiommu_obj {
	struct kref ref;
	enum winiommu_obj_type type;
	unsigned long handle;
	void (*release)(struct winiommu_obj *obj);
	struct rcu_head rcu;
};

void winiommu_obj_init(struct winiommu_obj *obj, enum winiommu_obj_type type,
		       void (*release)(struct winiommu_obj *obj));
int winiommu_obj_publish(struct winiommu_obj *obj, const void *handle);
struct winiommu_obj *winiommu_obj_get(const void *handle, enum winiommu_obj_type type);
bool winiommu_obj_unpublish(struct winiommu_obj *obj);
void winiommu_obj_put(struct winiommu_obj *obj);
unsigned long winiommu_obj_count(enum winiommu_obj_type type);
int winiommu_registry_init(void);
void winiommu_registry_exit(void);

/* ---- logical allocator (alloc.c) --------------------------------------- */

/**
 * struct winiommu_alloc - the logical (IOVA) allocator of a domain.
 * @iovad: the Linux iova allocator, 4 KiB granule, never hands out pfn 0.
 * @width: AddressWidth from the Windows configuration.
 * @first_pfn: lowest page frame it may hand out (>= 1).
 * @last_pfn: highest page frame it may hand out (inclusive); lowered at
 *	attach to the aperture and the device's DMA mask.
 *
 * Not locked itself: the owning domain's lock serialises every call.
 */
struct winiommu_alloc {
	struct iova_domain iovad;
	u32 width;
	unsigned long first_pfn;
	unsigned long last_pfn;
};

int winiommu_alloc_init(struct winiommu_alloc *a, u32 width);
void winiommu_alloc_destroy(struct winiommu_alloc *a);
int winiommu_alloc_reserve(struct winiommu_alloc *a, u64 start, u64 last);
int winiommu_alloc_get(struct winiommu_alloc *a, u64 npages, u64 min, u64 max,
		       u64 *iova, bool *exact);
void winiommu_alloc_put(struct winiommu_alloc *a, u64 iova, u64 npages, bool exact);
u64 winiommu_alloc_last_addr(const struct winiommu_alloc *a);

/* ---- domains (domain.c, aspace.c) -------------------------------------- */

/* Windows domain types, in Linux words. */
enum winiommu_dom_kind {
	WINIOMMU_DOM_TRANSLATE,		/* DomainTypeTranslate, V1 OS-managed */
	WINIOMMU_DOM_PASSTHROUGH,	/* DomainTypePassThrough */
	WINIOMMU_DOM_UNMANAGED,		/* DomainTypeUnmanaged, V1 caller-managed */
	WINIOMMU_DOM_TRANSLATE_S1,	/* DomainTypeTranslateS1: as Translate */
};

/* What an extent of the address space is. */
enum winiommu_extent_kind {
	WINIOMMU_EXT_RESV_HOLE,		/* Windows reserved region, ShouldMap FALSE */
	WINIOMMU_EXT_RESV_DIRECT,	/* Windows reserved region, ShouldMap TRUE */
	WINIOMMU_EXT_MAPPING,		/* MapLogicalRange(Ex) */
	WINIOMMU_EXT_IDENTITY,		/* MapIdentityRange(Ex) */
	WINIOMMU_EXT_TOKEN,		/* ReserveLogicalAddressRange */
};

/**
 * struct winiommu_extent - one occupied range of a domain's address space.
 * @it: interval tree node, [start, last] in bytes (inclusive).
 * @kind: what occupies it.
 * @from_alloc: the range came from the domain's allocator and goes back to
 *	it when the extent goes.
 */
struct winiommu_extent {
	struct interval_tree_node it;
	enum winiommu_extent_kind kind;
	bool from_alloc;
};

/**
 * struct winiommu_domain - a Windows IOMMU_DMA_DOMAIN.
 * @obj: registry header; the handle is the address of this struct.
 * @kind: the Windows type.
 * @v1: created through the V1 table (CreateDomain).
 * @lock: serialises every change to the fields below it.
 * @extents: interval tree of occupied ranges (struct winiommu_extent).
 * @nr_extents: number of entries in @extents.
 * @alloc: the logical allocator, NULL without one.
 * @resv_regions: the Windows reserved regions as struct iommu_resv_region
 *	(IOMMU_RESV_DIRECT for ShouldMap, else IOMMU_RESV_RESERVED).
 * @nr_devices: attached devices (AttachDeviceEx/AttachDevice).
 * @nr_tokens: live logical address tokens.
 * @dead: DeleteDomain has unpublished it; no new work may start.
 */
struct winiommu_domain {
	struct winiommu_obj obj;
	enum winiommu_dom_kind kind;
	bool v1;

	struct mutex lock;
	struct rb_root_cached extents;		/* under @lock */
	unsigned long nr_extents;		/* under @lock */
	struct winiommu_alloc *alloc;		/* under @lock */
	struct list_head resv_regions;		/* under @lock */
	unsigned int nr_devices;		/* under @lock */
	unsigned int nr_tokens;			/* under @lock */
	bool dead;				/* under @lock */
};

static inline bool winiommu_dom_is_translate(const struct winiommu_domain *d)
{
	return d->kind == WINIOMMU_DOM_TRANSLATE || d->kind == WINIOMMU_DOM_TRANSLATE_S1;
}

/* aspace.c: the address space; callers hold dom->lock. */
struct winiommu_extent *winiommu_aspace_first_overlap(struct winiommu_domain *dom,
						      u64 start, u64 last);
void winiommu_aspace_insert(struct winiommu_domain *dom, struct winiommu_extent *ext,
			    u64 start, u64 last, enum winiommu_extent_kind kind);
void winiommu_aspace_remove(struct winiommu_domain *dom, struct winiommu_extent *ext);
void winiommu_aspace_clear(struct winiommu_domain *dom);

struct winiommu_domain *winiommu_domain_get(PIOMMU_DMA_DOMAIN handle);
void winiommu_domain_put(struct winiommu_domain *dom);
unsigned int winiommu_unmanaged_count(void);

/* The Windows routines implemented so far (domain.c). */
IOMMU_DOMAIN_CREATE winiommu_create_domain;
IOMMU_DOMAIN_CREATE_EX winiommu_create_domain_ex;
IOMMU_DOMAIN_DELETE winiommu_delete_domain;

/* ---- platform facts (platform.c) --------------------------------------- */

bool winiommu_platform_has_iommu(void);
bool winiommu_platform_is_x86_guest(void);

#endif /* _WINIOMMU_PRIV_H */
