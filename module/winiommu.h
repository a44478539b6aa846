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
 * @dma_guard_policy: who may use PassThrough, after Windows' DMA Guard
 *	policy: 0 nobody, 1 devices not marked untrusted, 2 every device.
 */
struct winiommu_params {
	unsigned int max_unmanaged_domains;
	unsigned int dma_guard_policy;
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

/* The same for a call about a domain: the line names it as debugfs does. */
#define winiommu_dom_reject(routine, dom, fmt, ...)				\
	winiommu_reject(routine, "domain %u: " fmt, (dom)->dbg_id, ##__VA_ARGS__)

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
unsigned long winiommu_obj_any(enum winiommu_obj_type type);
int winiommu_registry_init(void);
void winiommu_registry_exit(void);

/* ---- frames a caller may map (ram.c) ------------------------------------ */

/* What winiommu_ram_holds() learnt from a caller's previous run. */
struct winiommu_ram_hint {
	u64 first, last;	/* a RAM range of the snapshot (empty: first > last) */
	u64 section;		/* a section found online (U64_MAX: none) */
};

#define WINIOMMU_RAM_HINT_INIT	{ .first = 1, .last = 0, .section = U64_MAX }

bool winiommu_ram_check(u64 pfn, u64 npages, struct winiommu_ram_hint *hint);

/*
 * winiommu_ram_holds() - whether frames may be mapped (ram.c); a run in
 * the RAM range and the section the hint already holds is answered inline.
 */
static inline bool winiommu_ram_holds(u64 pfn, u64 npages, struct winiommu_ram_hint *hint)
{
	if (hint && npages && pfn >= hint->first && pfn <= hint->last &&
	    npages - 1 <= hint->last - pfn &&
	    pfn_to_section_nr(pfn) == hint->section &&
	    pfn_to_section_nr(pfn + npages - 1) == hint->section)
		return true;
	return winiommu_ram_check(pfn, npages, hint);
}

int winiommu_ram_init(void);
void winiommu_ram_exit(void);

/* ---- logical allocator (alloc.c) --------------------------------------- */

/* The allocator's own cache of large blocks: 64 pages to 4 MiB, 4 of each. */
#define WINIOMMU_ALLOC_BIG_ORDER	6
#define WINIOMMU_ALLOC_BIG_ORDERS	5
#define WINIOMMU_ALLOC_BIG_DEPTH	4

/**
 * struct winiommu_alloc - the logical (IOVA) allocator of a domain.
 * @iovad: the Linux iova allocator, 4 KiB granule, never hands out pfn 0.
 * @width: AddressWidth from the Windows configuration.
 * @first_pfn: lowest page frame it may hand out (>= 1).
 * @last_pfn: highest page frame it may hand out (inclusive); lowered at
 *	attach to the aperture and the device's DMA mask.
 * @used_pages: pages handed out and not yet given back (debugfs).
 * @used_blocks: blocks handed out and not yet given back.
 * @big: blocks of 2^(WINIOMMU_ALLOC_BIG_ORDER + i) pages given back and
 *	kept allocated in @iovad for the next request of that size: the iova
 *	caches stop at 32 pages, and a 2 MiB block from the iova tree costs
 *	several times a cached one.  Given back to @iovad when a request
 *	does not fit, when a window is searched, and when the range narrows.
 *
 * Not locked itself: the owning domain's lock serialises every call.
 */
struct winiommu_alloc {
	struct iova_domain iovad;
	u32 width;
	unsigned long first_pfn;
	unsigned long last_pfn;
	u64 used_pages;
	u64 used_blocks;
	struct {
		unsigned int nr;
		unsigned long pfn[WINIOMMU_ALLOC_BIG_DEPTH];
	} big[WINIOMMU_ALLOC_BIG_ORDERS];
};

int winiommu_alloc_init(struct winiommu_alloc *a, u32 width);
void winiommu_alloc_destroy(struct winiommu_alloc *a);
int winiommu_alloc_reserve(struct winiommu_alloc *a, u64 start, u64 last);
int winiommu_alloc_get_slow(struct winiommu_alloc *a, u64 npages, u64 min, u64 max,
			    u64 *iova, bool *exact);
void winiommu_alloc_put_big(struct winiommu_alloc *a, unsigned long pfn, u64 npages);
void winiommu_alloc_flush(struct winiommu_alloc *a);

/**
 * winiommu_alloc_get() - allocate a block of logical addresses.
 * @a: the allocator.
 * @npages: pages in the block.
 * @min: lowest address the block's first byte may have.
 * @max: highest address its last byte may have (U64_MAX: no limit).
 * @iova: receives the block's address.
 * @exact: receives whether the block was placed exactly (to be passed back
 *	to winiommu_alloc_put()).
 *
 * Allocates @npages pages whose first and last byte lie in [@min, @max].
 * A request without a window for fewer than 64 pages, the common case,
 * is one alloc_iova_fast() inline; the rest go to
 * winiommu_alloc_get_slow().
 *
 * Return: 0; -ENOSPC when the allocator is exhausted and no window
 * narrower than the allocator was given; -ERANGE when a narrower window
 * has no room; -ENOMEM.
 */
static inline int winiommu_alloc_get(struct winiommu_alloc *a, u64 npages, u64 min, u64 max,
				     u64 *iova, bool *exact)
{
	unsigned long pfn;

	if (min || max != U64_MAX || !npages || npages > a->last_pfn ||
	    npages >= BIT(WINIOMMU_ALLOC_BIG_ORDER))
		return winiommu_alloc_get_slow(a, npages, min, max, iova, exact);
	pfn = alloc_iova_fast(&a->iovad, npages, a->last_pfn, true);
	if (!pfn)	/* the big blocks may hold what is missing */
		return winiommu_alloc_get_slow(a, npages, min, max, iova, exact);
	*iova = (u64)pfn << PAGE_SHIFT;
	*exact = false;
	a->used_pages += npages;
	a->used_blocks++;
	return 0;
}

/**
 * winiommu_alloc_put() - give back a block from winiommu_alloc_get().
 * @a: the allocator.
 * @iova: the block's address, as returned.
 * @npages: its size in pages, as asked for.
 * @exact: as returned.
 */
static inline void winiommu_alloc_put(struct winiommu_alloc *a, u64 iova, u64 npages,
				      bool exact)
{
	unsigned long pfn = iova >> PAGE_SHIFT;

	a->used_pages -= npages;
	a->used_blocks--;
	if (exact)
		free_iova(&a->iovad, pfn);
	else if (npages >= BIT(WINIOMMU_ALLOC_BIG_ORDER))
		winiommu_alloc_put_big(a, pfn, npages);
	else
		free_iova_fast(&a->iovad, pfn, npages);
}

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
	WINIOMMU_EXT_DEV_HOLE,		/* a device's reserved region: never mapped */
	WINIOMMU_EXT_DEV_DIRECT,	/* a device's IOMMU_RESV_DIRECT region: 1:1 */
	WINIOMMU_EXT_SHADOW,		/* a leaf of the caller's tables (Unmanaged) */
};

/* Extents whose logical address equals their physical address. */
static inline bool winiommu_extent_is_direct(enum winiommu_extent_kind kind)
{
	return kind == WINIOMMU_EXT_RESV_DIRECT || kind == WINIOMMU_EXT_DEV_DIRECT;
}

/* Extents that only keep addresses out of use. */
static inline bool winiommu_extent_is_reserved(enum winiommu_extent_kind kind)
{
	return kind == WINIOMMU_EXT_RESV_HOLE || kind == WINIOMMU_EXT_RESV_DIRECT ||
	       kind == WINIOMMU_EXT_DEV_HOLE || kind == WINIOMMU_EXT_DEV_DIRECT;
}

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

struct winiommu_backend;

/**
 * struct winiommu_hwdom - one Linux iommu_domain of a Windows domain.
 * @node: in winiommu_domain.hwdoms.
 * @be: the backend that made it.
 * @instance: the IOMMU instance it belongs to; one hwdom per instance.
 * @domain: the Linux domain; NULL for a real identity hwdom.
 * @identity: the devices stay in their group's own identity domain.
 * @emulated_identity: a paging domain with all RAM mapped 1:1 (PassThrough
 *	where the group's default domain translates).
 * @users: attached devices.
 *
 * Created at the first attach for its instance, filled by replay, freed
 * when its last device detaches; all under the domain's lock.
 */
struct winiommu_hwdom {
	struct list_head node;
	const struct winiommu_backend *be;
	const void *instance;
	struct iommu_domain *domain;
	bool identity;
	bool emulated_identity;
	unsigned int users;
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
 * @hwdoms: its Linux domains (struct winiommu_hwdom), one per IOMMU instance.
 * @reach_first: lowest logical address every attached device can reach.
 * @reach_last: highest one (aperture and DMA masks of all devices so far).
 * @nr_devices: attached devices (AttachDeviceEx/AttachDevice).
 * @nr_tokens: live logical address tokens.
 * @nr_pasid_devices: attached PASID devices (AttachPasidDevice).
 * @s1: the caller's stage-1 configuration an Unmanaged domain shadows
 *	(ConfigureDomain), NULL until there is one.
 * @dead: DeleteDomain has unpublished it; no new work may start.
 * @dbg_id: its number in /sys/kernel/debug/winiommu/domains/.
 * @dbg: its debugfs directory.
 */
struct winiommu_domain {
	struct winiommu_obj obj;
	enum winiommu_dom_kind kind;
	bool v1;

	struct mutex lock;			/* serialises the members "under @lock" */
	struct rb_root_cached extents;		/* under @lock */
	unsigned long nr_extents;		/* under @lock */
	struct winiommu_alloc *alloc;		/* under @lock */
	struct list_head resv_regions;		/* under @lock */
	struct list_head hwdoms;		/* under @lock */
	u64 reach_first;			/* under @lock */
	u64 reach_last;				/* under @lock */
	unsigned int nr_devices;		/* under @lock */
	unsigned int nr_tokens;			/* under @lock */
	unsigned int nr_pasid_devices;		/* under @lock */
	struct winiommu_s1 *s1;			/* under @lock */
	bool dead;				/* under @lock */
	unsigned int dbg_id;
	struct dentry *dbg;
};

static inline bool winiommu_dom_is_translate(const struct winiommu_domain *d)
{
	return d->kind == WINIOMMU_DOM_TRANSLATE || d->kind == WINIOMMU_DOM_TRANSLATE_S1;
}

/* aspace.c: the address space; callers hold dom->lock. */
struct winiommu_extent *winiommu_aspace_first_overlap(struct winiommu_domain *dom,
						      u64 start, u64 last);
struct winiommu_extent *winiommu_aspace_next_overlap(struct winiommu_extent *ext,
						     u64 start, u64 last);
void winiommu_aspace_insert(struct winiommu_domain *dom, struct winiommu_extent *ext,
			    u64 start, u64 last, enum winiommu_extent_kind kind);
void winiommu_aspace_remove(struct winiommu_domain *dom, struct winiommu_extent *ext);
void winiommu_aspace_replace(struct winiommu_domain *dom, struct winiommu_extent *old,
			     struct winiommu_extent *new);
void winiommu_aspace_clear(struct winiommu_domain *dom);

struct winiommu_domain *winiommu_domain_get(PIOMMU_DMA_DOMAIN handle);
struct winiommu_domain *winiommu_domain_lookup(const char *fn, PIOMMU_DMA_DOMAIN handle,
					       bool translate);
void winiommu_domain_put(struct winiommu_domain *dom);
unsigned int winiommu_unmanaged_count(void);

int winiommu_aspace_map_direct(struct winiommu_domain *dom, struct winiommu_hwdom *hw,
			       u64 start, u64 last);
int winiommu_aspace_replay(struct winiommu_domain *dom, struct winiommu_hwdom *hw);

/*
 * An MDL's PFN array has room for @npages frames: its Size (header and
 * array, in bytes) says so wherever 16 bits can hold it (IoAllocateMdl
 * keeps only the low 16 bits of larger ones).
 */
static inline bool winiommu_mdl_holds(PMDL mdl, u64 npages)
{
	u64 need = sizeof(*mdl) + npages * sizeof(PFN_NUMBER);

	return need > U16_MAX || (u16)mdl->Size >= need;
}

/* mapping.c */
void winiommu_extent_free(struct winiommu_domain *dom, struct winiommu_extent *ext);
int winiommu_mapping_replay(struct winiommu_extent *ext, struct winiommu_hwdom *hw);
void winiommu_hw_unmap(struct winiommu_domain *dom, u64 start, u64 last);
void winiommu_hw_unmap_before(struct winiommu_domain *dom, struct winiommu_hwdom *stop,
			      u64 start, u64 last);
int winiommu_perm_to_prot(ULONG perm);
NTSTATUS winiommu_check_placement(const struct winiommu_domain *dom, const u64 *explicit,
				  const u64 *minp, const u64 *maxp, u64 *min, u64 *max,
				  const char *fn);

/* token.c */
int winiommu_token_replay(struct winiommu_extent *ext, struct winiommu_hwdom *hw);

/* shadow.c: the caller's page tables of an Unmanaged domain; dom->lock held */
NTSTATUS winiommu_shadow_configure(struct winiommu_domain *dom,
				   const DOMAIN_CONFIGURATION_ARM64 *c);
NTSTATUS winiommu_shadow_flush(struct winiommu_domain *dom, const u64 *va, unsigned int n);
int winiommu_shadow_replay(struct winiommu_extent *ext, struct winiommu_hwdom *hw);
void winiommu_shadow_free(struct winiommu_domain *dom);

/* ---- devices (device.c) ------------------------------------------------ */

#define WINIOMMU_MAX_INPUT_IDS	8

/**
 * struct winiommu_device - a Windows IOMMU_DMA_DEVICE.
 * @obj: registry header; the handle is the address of this struct.
 * @dev: the Linux device (a reference is held).
 * @be: the backend serving it.
 * @group: its IOMMU group (a reference is held).
 * @ids: input mapping IDs (SMMU stream IDs, else the PCI requester ID).
 * @nr_ids: how many of @ids are valid.
 * @pasid_config: CreateDevice got a Pasid entry; @pasid_type its ConfigType.
 * @suppress_pasid_faults: its SuppressPasidFaults.
 * @lock: serialises attach, detach, delete and callback registration of
 *	this device; taken before any domain's lock.
 * @domain: the domain it is attached to (holds a reference), or NULL.
 * @hwdom: the Linux domain it is attached through.
 * @owned: winiommu holds the DMA ownership claim (while attached, or
 *	while any of its PASIDs is attached).
 * @nr_pasid_devices: live PASID devices made from it (CreatePasidDevice).
 * @nr_pasid_attached: how many of them are attached to a domain.
 * @cb: registered state-change callback, NULL if none.
 * @cb_context: its Context.
 * @cb_fields: the StateFields it asked for.
 * @cb_mask: the AvailableDomainTypes it was last told.
 * @cb_node: in the list of devices with a callback.
 * @all_node: in the list of all live devices (looked up by struct device).
 * @fault_lock: guards the V1 fault-reporting configuration.
 * @fault_handler: SetDeviceFaultReporting's handler while enabled.
 * @fault_context: its FaultContext.
 * @dev_faults: winiommu's handler is registered for the device's own fault
 *	reports (backend dev_faults_on), while reporting is enabled.
 * @dbg: its debugfs directory.
 */
struct winiommu_device {
	struct winiommu_obj obj;
	struct device *dev;
	const struct winiommu_backend *be;
	struct iommu_group *group;
	u32 ids[WINIOMMU_MAX_INPUT_IDS];
	unsigned int nr_ids;
	bool pasid_config;
	u32 pasid_type;
	bool suppress_pasid_faults;

	struct mutex lock;			/* serialises the members "under @lock" */
	struct winiommu_domain *domain;		/* under @lock */
	struct winiommu_hwdom *hwdom;		/* under @lock */
	bool owned;				/* under @lock */
	unsigned int nr_pasid_devices;		/* under @lock */
	unsigned int nr_pasid_attached;		/* under @lock */
	PIOMMU_INTERFACE_STATE_CHANGE_CALLBACK cb;	/* under winiommu_cb_lock */
	void *cb_context;			/* under winiommu_cb_lock */
	u32 cb_fields;				/* under winiommu_cb_lock */
	u32 cb_mask;				/* under winiommu_cb_lock */
	struct list_head cb_node;		/* under winiommu_cb_lock */
	struct list_head all_node;		/* RCU list, winiommu_devices_lock */
	spinlock_t fault_lock;			/* IRQ-safe: faults come from drivers */
	PIOMMU_DEVICE_FAULT_HANDLER fault_handler;	/* under @fault_lock */
	void *fault_context;			/* under @fault_lock */
	bool dev_faults;			/* under @lock */
	struct dentry *dbg;
};

u32 winiommu_available_types(struct winiommu_device *wdev);
u32 winiommu_domain_type_bit(const struct winiommu_domain *dom);
struct winiommu_device *winiommu_device_find(struct device *dev);
void winiommu_device_put(struct winiommu_device *wdev);

/* CreateDevice was given a Pasid entry of type PasidTaggedDma. */
static inline bool winiommu_pasid_tagged(const struct winiommu_device *wdev)
{
	return wdev->pasid_config && wdev->pasid_type == PasidConfigTypePasidTaggedDma;
}

/* device.c: the Linux domains of a Windows domain, shared with pasid.c */
int winiommu_claim_dma(struct winiommu_device *wdev);
struct winiommu_hwdom *winiommu_find_hwdom(struct winiommu_domain *dom,
					   const struct winiommu_backend *be,
					   const void *instance);
void winiommu_free_hwdom(struct winiommu_hwdom *hw);
int winiommu_hwdom_setup(struct winiommu_hwdom *hw, struct list_head *regions);
void winiommu_device_reach(struct device *dev, struct iommu_domain *d, u64 *first, u64 *last);
int winiommu_check_reach(struct winiommu_domain *dom, u64 *first, u64 *last);
int winiommu_apply_reach(struct winiommu_domain *dom, u64 first, u64 last);

/* pasid.c */
struct iommu_domain *winiommu_hwdom_domain_alloc(struct winiommu_device *wdev);

/* fault.c */
int winiommu_fault_init(void);
void winiommu_fault_exit(void);
void winiommu_fault_stop(struct winiommu_device *wdev);
int winiommu_linux_fault(struct iommu_domain *d, struct device *dev, unsigned long iova,
			 int flags, void *token);
int winiommu_inject_fault(struct device *dev, u64 iova, bool write);

/* v1.c */
void winiommu_v1_exit(void);

/* token.c, leftover.c: the unload sweep */
bool winiommu_token_force_free(PIOMMU_DMA_LOGICAL_ADDRESS_TOKEN handle);
void winiommu_release_leftovers(void);
void winiommu_notify_policy_change(void);
void winiommu_devices_exit(void);

/* ---- the Windows routines ------------------------------------------------ */

IOMMU_DOMAIN_CREATE winiommu_create_domain;
IOMMU_DOMAIN_CREATE_EX winiommu_create_domain_ex;
IOMMU_DOMAIN_DELETE winiommu_delete_domain;
IOMMU_MAP_LOGICAL_RANGE_EX winiommu_map_logical_range_ex;
IOMMU_MAP_LOGICAL_RANGE winiommu_v1_map_logical_range;
IOMMU_UNMAP_LOGICAL_RANGE winiommu_unmap_logical_range;
IOMMU_MAP_IDENTITY_RANGE_EX winiommu_map_identity_range_ex;
IOMMU_UNMAP_IDENTITY_RANGE_EX winiommu_unmap_identity_range_ex;
IOMMU_MAP_IDENTITY_RANGE winiommu_v1_map_identity_range;
IOMMU_UNMAP_IDENTITY_RANGE winiommu_v1_unmap_identity_range;
IOMMU_FLUSH_DOMAIN winiommu_flush_domain;
IOMMU_FLUSH_DOMAIN_VA_LIST winiommu_flush_domain_va_list;
IOMMU_RESERVE_LOGICAL_ADDRESS_RANGE winiommu_reserve_range;
IOMMU_FREE_RESERVED_LOGICAL_ADDRESS_RANGE winiommu_free_reserved_range;
IOMMU_MAP_RESERVED_LOGICAL_RANGE winiommu_map_reserved_range;
IOMMU_UNMAP_RESERVED_LOGICAL_RANGE winiommu_unmap_reserved_range;
IOMMU_DOMAIN_ATTACH_DEVICE winiommu_v1_attach_device;
IOMMU_DOMAIN_DETACH_DEVICE winiommu_v1_detach_device;
IOMMU_QUERY_INPUT_MAPPINGS winiommu_query_input_mappings;
IOMMU_DOMAIN_CONFIGURE winiommu_configure_domain;
IOMMU_SET_DEVICE_FAULT_REPORTING winiommu_v1_set_fault_reporting;
void winiommu_v1_expected_ids(struct device *dev, u32 *base, u32 *count);
IOMMU_DEVICE_CREATE winiommu_create_device;
IOMMU_DEVICE_DELETE winiommu_delete_device;
IOMMU_DOMAIN_ATTACH_DEVICE_EX winiommu_attach_device_ex;
IOMMU_DOMAIN_DETACH_DEVICE_EX winiommu_detach_device_ex;
IOMMU_DEVICE_QUERY_DOMAIN_TYPES winiommu_query_domain_types;
IOMMU_REGISTER_INTERFACE_STATE_CHANGE_CALLBACK winiommu_register_state_cb;
IOMMU_UNREGISTER_INTERFACE_STATE_CHANGE_CALLBACK winiommu_unregister_state_cb;
IOMMU_PASID_DEVICE_CREATE winiommu_create_pasid_device;
IOMMU_PASID_DEVICE_DELETE winiommu_delete_pasid_device;
IOMMU_DOMAIN_ATTACH_PASID_DEVICE winiommu_attach_pasid_device;
IOMMU_DOMAIN_DETACH_PASID_DEVICE winiommu_detach_pasid_device;
IOMMU_DEVICE_QUERY_INFORMATION winiommu_query_device_info;

/* ---- the call layer (calls.c): what the tables point at ------------------ */

IOMMU_DOMAIN_CREATE winiommu_call_create_domain;
IOMMU_DOMAIN_CREATE_EX winiommu_call_create_domain_ex;
IOMMU_DOMAIN_DELETE winiommu_call_delete_domain;
IOMMU_DOMAIN_ATTACH_DEVICE winiommu_call_v1_attach_device;
IOMMU_DOMAIN_DETACH_DEVICE winiommu_call_v1_detach_device;
IOMMU_DOMAIN_ATTACH_DEVICE_EX winiommu_call_attach_device_ex;
IOMMU_DOMAIN_DETACH_DEVICE_EX winiommu_call_detach_device_ex;
IOMMU_FLUSH_DOMAIN winiommu_call_flush_domain;
IOMMU_FLUSH_DOMAIN_VA_LIST winiommu_call_flush_domain_va_list;
IOMMU_QUERY_INPUT_MAPPINGS winiommu_call_query_input_mappings;
IOMMU_MAP_LOGICAL_RANGE winiommu_call_v1_map_logical_range;
IOMMU_MAP_LOGICAL_RANGE_EX winiommu_call_map_logical_range_ex;
IOMMU_UNMAP_LOGICAL_RANGE winiommu_call_unmap_logical_range;
IOMMU_MAP_IDENTITY_RANGE winiommu_call_v1_map_identity_range;
IOMMU_MAP_IDENTITY_RANGE_EX winiommu_call_map_identity_range_ex;
IOMMU_UNMAP_IDENTITY_RANGE winiommu_call_v1_unmap_identity_range;
IOMMU_UNMAP_IDENTITY_RANGE_EX winiommu_call_unmap_identity_range_ex;
IOMMU_SET_DEVICE_FAULT_REPORTING winiommu_call_v1_set_fault_reporting;
IOMMU_SET_DEVICE_FAULT_REPORTING_EX winiommu_call_set_fault_reporting_ex;
IOMMU_DOMAIN_CONFIGURE winiommu_call_configure_domain;
IOMMU_DEVICE_QUERY_DOMAIN_TYPES winiommu_call_query_domain_types;
IOMMU_REGISTER_INTERFACE_STATE_CHANGE_CALLBACK winiommu_call_register_state_cb;
IOMMU_UNREGISTER_INTERFACE_STATE_CHANGE_CALLBACK winiommu_call_unregister_state_cb;
IOMMU_RESERVE_LOGICAL_ADDRESS_RANGE winiommu_call_reserve_range;
IOMMU_FREE_RESERVED_LOGICAL_ADDRESS_RANGE winiommu_call_free_reserved_range;
IOMMU_MAP_RESERVED_LOGICAL_RANGE winiommu_call_map_reserved_range;
IOMMU_UNMAP_RESERVED_LOGICAL_RANGE winiommu_call_unmap_reserved_range;
IOMMU_DEVICE_CREATE winiommu_call_create_device;
IOMMU_DEVICE_DELETE winiommu_call_delete_device;
IOMMU_PASID_DEVICE_CREATE winiommu_call_create_pasid_device;
IOMMU_PASID_DEVICE_DELETE winiommu_call_delete_pasid_device;
IOMMU_DOMAIN_ATTACH_PASID_DEVICE winiommu_call_attach_pasid_device;
IOMMU_DOMAIN_DETACH_PASID_DEVICE winiommu_call_detach_pasid_device;
IOMMU_DEVICE_QUERY_INFORMATION winiommu_call_query_device_info;

/* ---- debugfs and counters (debugfs.c) ------------------------------------ */

/* The Windows routines of the tables, by Windows name (calls.c, debugfs). */
enum winiommu_routine {
	WINIOMMU_R_CREATE_DOMAIN,
	WINIOMMU_R_CREATE_DOMAIN_EX,
	WINIOMMU_R_DELETE_DOMAIN,
	WINIOMMU_R_ATTACH_DEVICE,
	WINIOMMU_R_DETACH_DEVICE,
	WINIOMMU_R_ATTACH_DEVICE_EX,
	WINIOMMU_R_DETACH_DEVICE_EX,
	WINIOMMU_R_FLUSH_DOMAIN,
	WINIOMMU_R_FLUSH_DOMAIN_VA_LIST,
	WINIOMMU_R_QUERY_INPUT_MAPPINGS,
	WINIOMMU_R_MAP_LOGICAL_RANGE,
	WINIOMMU_R_MAP_LOGICAL_RANGE_EX,
	WINIOMMU_R_UNMAP_LOGICAL_RANGE,
	WINIOMMU_R_MAP_IDENTITY_RANGE,
	WINIOMMU_R_MAP_IDENTITY_RANGE_EX,
	WINIOMMU_R_UNMAP_IDENTITY_RANGE,
	WINIOMMU_R_UNMAP_IDENTITY_RANGE_EX,
	WINIOMMU_R_SET_DEVICE_FAULT_REPORTING,
	WINIOMMU_R_SET_DEVICE_FAULT_REPORTING_EX,
	WINIOMMU_R_CONFIGURE_DOMAIN,
	WINIOMMU_R_QUERY_AVAILABLE_DOMAIN_TYPES,
	WINIOMMU_R_REGISTER_STATE_CHANGE_CALLBACK,
	WINIOMMU_R_UNREGISTER_STATE_CHANGE_CALLBACK,
	WINIOMMU_R_RESERVE_LOGICAL_ADDRESS_RANGE,
	WINIOMMU_R_FREE_RESERVED_LOGICAL_ADDRESS_RANGE,
	WINIOMMU_R_MAP_RESERVED_LOGICAL_RANGE,
	WINIOMMU_R_UNMAP_RESERVED_LOGICAL_RANGE,
	WINIOMMU_R_CREATE_DEVICE,
	WINIOMMU_R_DELETE_DEVICE,
	WINIOMMU_R_CREATE_PASID_DEVICE,
	WINIOMMU_R_DELETE_PASID_DEVICE,
	WINIOMMU_R_ATTACH_PASID_DEVICE,
	WINIOMMU_R_DETACH_PASID_DEVICE,
	WINIOMMU_R_QUERY_DEVICE_INFO,
	WINIOMMU_NR_ROUTINES
};

extern const char *const winiommu_routine_names[WINIOMMU_NR_ROUTINES];

struct seq_file;

void winiommu_stat_call(enum winiommu_routine r, NTSTATUS st);
void winiommu_stat_mapped(u64 bytes);
void winiommu_stat_unmapped(u64 bytes);
void winiommu_stat_read(enum winiommu_routine r, u64 *calls, u64 *failed, u64 *bytes_now);
void winiommu_debugfs_init(void);
void winiommu_debugfs_domain_add(struct winiommu_domain *dom);
void winiommu_debugfs_domain_remove(struct winiommu_domain *dom);
void winiommu_debugfs_device_add(struct winiommu_device *wdev);
void winiommu_debugfs_device_remove(struct winiommu_device *wdev);
/* the fields of one extent's debugfs line, after its range and kind */
void winiommu_mapping_show(struct seq_file *m, struct winiommu_extent *ext);
void winiommu_token_show(struct seq_file *m, struct winiommu_extent *ext);
void winiommu_shadow_show(struct seq_file *m, struct winiommu_extent *ext);

/* ---- platform facts (platform.c) --------------------------------------- */

bool winiommu_platform_has_iommu(void);

/* main.c: /sys/kernel/debug/winiommu, or NULL/ERR_PTR without debugfs */
extern struct dentry *winiommu_debugfs;
bool winiommu_platform_is_x86_guest(void);

#endif /* _WINIOMMU_PRIV_H */
