// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The winiommu authors
 *
 * The registry of live objects.  Every handle winiommu gives a caller
 * (domain, device, token, PASID device) is published here, keyed by the
 * handle's value, and every handle a caller passes back is looked up here
 * before it is used: a NULL, stale or foreign pointer, or a handle of the
 * wrong kind, is refused with a status instead of being dereferenced.
 *
 * Lifetime follows iommufd's rule: an object is published only when nothing
 * can fail any more, each call that looks one up holds a reference for its
 * duration, and the memory is freed after an RCU grace period once the last
 * reference goes, so a lookup racing with a delete is safe.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/xarray.h>

#include "winiommu.h"

/*
 * Live objects by handle; the xarray's own lock guards it.  A handle is
 * the address of (something in) an object winiommu allocated, so it lies
 * in the linear map and is word aligned: the index is its word offset
 * from PAGE_OFFSET, which keeps the tree as shallow as the memory it
 * spans (five levels for a GiB, not the eleven of a raw 64-bit pointer).
 */
static DEFINE_XARRAY(winiommu_registry);

/* The registry index of @handle; false for a value no handle can have. */
static bool winiommu_obj_index(const void *handle, unsigned long *index)
{
	unsigned long v = (unsigned long)handle;

	if (v < PAGE_OFFSET || !IS_ALIGNED(v, sizeof(long)))
		return false;
	*index = (v - PAGE_OFFSET) / sizeof(long);
	return true;
}

/* Live objects by type, for the leak report and the tests. */
static atomic_long_t winiommu_obj_counts[WINIOMMU_OBJ_PASID_DEVICE + 1];

void winiommu_obj_init(struct winiommu_obj *obj, enum winiommu_obj_type type,
		       void (*release)(struct winiommu_obj *obj))
{
	kref_init(&obj->ref);
	obj->type = type;
	obj->release = release;
	obj->handle = 0;
}

/*
 * Make @obj reachable through @handle.  The registry owns the initial
 * reference from winiommu_obj_init() from now on.
 */
int winiommu_obj_publish(struct winiommu_obj *obj, const void *handle)
{
	unsigned long index;
	int ret;

	/* our own allocation: an internal invariant */
	if (WARN_ON(!winiommu_obj_index(handle, &index)))
		return -EINVAL;
	obj->handle = (unsigned long)handle;
	ret = xa_insert(&winiommu_registry, index, obj, GFP_KERNEL);
	if (ret)
		return ret;
	atomic_long_inc(&winiommu_obj_counts[obj->type]);
	return 0;
}

/* Look @handle up and take a reference, or return NULL. */
struct winiommu_obj *winiommu_obj_get(const void *handle, enum winiommu_obj_type type)
{
	struct winiommu_obj *obj;
	unsigned long index;

	if (!winiommu_obj_index(handle, &index))
		return NULL;
	rcu_read_lock();
	obj = xa_load(&winiommu_registry, index);
	if (obj && (obj->type != type || !kref_get_unless_zero(&obj->ref)))
		obj = NULL;
	rcu_read_unlock();
	return obj;
}

/*
 * Remove @obj from the registry.  Returns false if someone else already
 * did (a racing delete): only the caller that got true may drop the
 * registry's reference.
 */
bool winiommu_obj_unpublish(struct winiommu_obj *obj)
{
	unsigned long index;

	if (!winiommu_obj_index((void *)obj->handle, &index) ||
	    xa_cmpxchg(&winiommu_registry, index, obj, NULL, GFP_KERNEL) != obj)
		return false;
	atomic_long_dec(&winiommu_obj_counts[obj->type]);
	return true;
}

static void winiommu_obj_release(struct kref *ref)
{
	struct winiommu_obj *obj = container_of(ref, struct winiommu_obj, ref);

	obj->release(obj);
}

void winiommu_obj_put(struct winiommu_obj *obj)
{
	might_sleep();
	kref_put(&obj->ref, winiommu_obj_release);
}

/**
 * winiommu_obj_count() - how many objects of a kind are live.
 * @type: the kind of object.
 *
 * Return: the number of live objects of @type in the handle registry.
 */
unsigned long winiommu_obj_count(enum winiommu_obj_type type)
{
	return atomic_long_read(&winiommu_obj_counts[type]);
}
EXPORT_SYMBOL_NS_GPL(winiommu_obj_count, WINIOMMU_TEST_NS);

/* The handle of some live object of @type, or 0: for the unload sweep. */
unsigned long winiommu_obj_any(enum winiommu_obj_type type)
{
	struct winiommu_obj *obj;
	unsigned long index;

	xa_for_each(&winiommu_registry, index, obj)
		if (obj->type == type)
			return obj->handle;
	return 0;
}

int winiommu_registry_init(void)
{
	return 0;
}

void winiommu_registry_exit(void)
{
	/* the unload sweep (leftover.c) has emptied it: an internal invariant */
	WARN_ON(!xa_empty(&winiommu_registry));
	xa_destroy(&winiommu_registry);
}
