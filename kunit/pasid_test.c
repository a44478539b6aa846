// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The winiommu authors
 *
 * PASID devices: CreatePasidDevice, DeletePasidDevice, AttachPasidDevice,
 * DetachPasidDevice and QueryDeviceInfo, called through the V3 table, and
 * the PasidTaggedDma configuration of CreateDevice.
 *
 * No QEMU target can tag DMA with PASIDs (edu has no PASID capability, and
 * the emulated IOMMUs offer none in the modes the guests use), so the
 * success paths run on the mock backend (mock_backend.h), whose devices
 * can have PASIDs: every status of the five routines, PASID exhaustion,
 * each IOMMU operation failing in turn, and the interplay with the
 * parent's own attach (DMA ownership is held while any PASID is
 * attached; DetachDeviceEx leaves PASIDs alone).  The real edu checks the
 * machine's honest answers.  Every output starts as a canary that a
 * refused call must leave alone; after every case the mock's books
 * balance, no invariant is broken and no object leaks.
 */
#include <linux/mm.h>
#include <linux/slab.h>

#include "winiommu_test.h"
#include "backend.h"
#include "edu.h"
#include "mock_backend.h"

#define PT_MAX_LIVE		8
#define PT_PASIDS		16	/* max_pasids of a PASID-capable mock device */
#define PT_MAP_ADDR		0x100000ULL
#define PT_RESV_BASE		0x7000000ULL

/* Pasid configuration of pt_device(): none, or a Pasid entry. */
enum pt_cfg {
	PT_NO_PASID,
	PT_DEFAULT_ONLY,
	PT_TAGGED,
	PT_TAGGED_SUPPRESS,
};

struct pasid_fixture {
	struct winiommu_test_snap snap;
	DMA_IOMMU_INTERFACE_EX ex;
	DMA_IOMMU_INTERFACE_EX v1;
	const DMA_IOMMU_INTERFACE_V3 *t;	/* &ex.V3 */
	struct mock_dev *mdevs[MOCK_MAX_DEVS];
	unsigned int nr_mdevs;
	void *pdevs[PT_MAX_LIVE];		/* PIOMMU_DMA_PASID_DEVICE */
	unsigned int nr_pdevs;
	void *devs[PT_MAX_LIVE];		/* PIOMMU_DMA_DEVICE */
	unsigned int nr_devs;
	void *doms[PT_MAX_LIVE];		/* PIOMMU_DMA_DOMAIN */
	unsigned int nr_doms;
	struct page *page;
};

static int pasid_init(struct kunit *test)
{
	struct pasid_fixture *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);

	if (!f)
		return -ENOMEM;
	if (IoGetIommuInterfaceEx(DMA_IOMMU_INTERFACE_EX_VERSION_1, 0, &f->v1) != STATUS_SUCCESS)
		return -ENODEV;
	return winiommu_mock_case_init(test, f, &f->ex, &f->t, &f->snap);
}

static void pasid_exit(struct kunit *test)
{
	struct pasid_fixture *f = test->priv;
	NTSTATUS st;

	winiommu_params = f->snap.params;
	memset(winiommu_mock.fail, 0, sizeof(winiommu_mock.fail));
	while (f->nr_pdevs) {
		PIOMMU_DMA_PASID_DEVICE p = f->pdevs[--f->nr_pdevs];

		st = f->t->DetachPasidDevice(p);
		KUNIT_EXPECT_TRUE(test, st == STATUS_SUCCESS || st == STATUS_INVALID_PARAMETER_1);
		st = f->t->DeletePasidDevice(p);
		KUNIT_EXPECT_EQ_MSG(test, st, STATUS_SUCCESS, "deleting left-over PASID device %p",
				    p);
	}
	while (f->nr_devs) {
		PIOMMU_DMA_DEVICE dev = f->devs[--f->nr_devs];

		st = f->t->DetachDeviceEx(dev);
		KUNIT_EXPECT_TRUE(test, st == STATUS_SUCCESS || st == STATUS_INVALID_PARAMETER_1);
		st = f->t->DeleteDevice(dev);
		KUNIT_EXPECT_EQ_MSG(test, st, STATUS_SUCCESS, "deleting left-over device %p", dev);
	}
	while (f->nr_doms) {
		PIOMMU_DMA_DOMAIN dom = f->doms[--f->nr_doms];

		st = f->t->DeleteDomain(dom);
		KUNIT_EXPECT_EQ_MSG(test, st, STATUS_SUCCESS, "deleting left-over domain %p", dom);
	}
	KUNIT_EXPECT_EQ(test, winiommu_mock.group_gets, winiommu_mock.group_puts);
	KUNIT_EXPECT_EQ(test, winiommu_mock.pasid_allocs, winiommu_mock.pasid_frees);
	while (f->nr_mdevs)
		winiommu_mock_dev_remove(f->mdevs[--f->nr_mdevs]);
	if (f->page)
		__free_page(f->page);
	winiommu_mock_expect_balanced(test, "after the case");
	winiommu_test_snap_check(test, &f->snap);
}

/* ---- helpers ---------------------------------------------------------------- */

/* A mock device on @instance that can use @max_pasids PASIDs (0: none). */
static struct mock_dev *pt_mdev(struct kunit *test, unsigned int instance, u32 max_pasids)
{
	struct pasid_fixture *f = test->priv;
	struct mock_dev *md;
	char name[32];

	snprintf(name, sizeof(name), "winiommu-pasid-%u", f->nr_mdevs);
	md = winiommu_mock_dev_add(test, name, instance);
	KUNIT_ASSERT_NOT_NULL(test, md);
	md->max_pasids = max_pasids;
	f->mdevs[f->nr_mdevs++] = md;
	return md;
}

static void pt_fill_cfg(PIOMMU_DEVICE_CREATION_CONFIGURATION cfg, enum pt_cfg how)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->ConfigType = IommuDeviceCreationConfigTypePasid;
	cfg->Pasid.ConfigType = how == PT_DEFAULT_ONLY ? PasidConfigTypeDefaultPasidOnly :
							 PasidConfigTypePasidTaggedDma;
	cfg->Pasid.SuppressPasidFaults = how == PT_TAGGED_SUPPRESS;
}

/* CreateDevice for @d with the @how configuration; a created device is tracked. */
static NTSTATUS pt_create(struct kunit *test, struct device *d, enum pt_cfg how,
			  PIOMMU_DMA_DEVICE *out)
{
	struct pasid_fixture *f = test->priv;
	IOMMU_DEVICE_CREATION_CONFIGURATION cfg;
	NTSTATUS st;

	pt_fill_cfg(&cfg, how);
	st = f->t->CreateDevice(d, how == PT_NO_PASID ? NULL : &cfg, out);
	if (st == STATUS_SUCCESS && out) {
		KUNIT_ASSERT_LT(test, f->nr_devs, PT_MAX_LIVE);
		f->devs[f->nr_devs++] = *out;
	}
	return st;
}

static PIOMMU_DMA_DEVICE pt_device(struct kunit *test, struct mock_dev *md, enum pt_cfg how)
{
	PIOMMU_DMA_DEVICE h;

	KUNIT_ASSERT_EQ(test, pt_create(test, md->dev, how, &h), STATUS_SUCCESS);
	return h;
}

static NTSTATUS pt_delete_device(struct kunit *test, PIOMMU_DMA_DEVICE h)
{
	struct pasid_fixture *f = test->priv;
	NTSTATUS st = f->t->DeleteDevice(h);

	if (st == STATUS_SUCCESS)
		winiommu_test_forget(f->devs, &f->nr_devs, h);
	return st;
}

/* CreatePasidDevice; a created PASID device is tracked. */
static NTSTATUS pt_create_pasid(struct kunit *test, PIOMMU_DMA_DEVICE dev,
				PIOMMU_DMA_PASID_DEVICE *out, ULONG *asid)
{
	struct pasid_fixture *f = test->priv;
	NTSTATUS st = f->t->CreatePasidDevice(dev, out, asid);

	if (st == STATUS_SUCCESS && out) {
		KUNIT_ASSERT_LT(test, f->nr_pdevs, PT_MAX_LIVE);
		f->pdevs[f->nr_pdevs++] = *out;
	}
	return st;
}

static PIOMMU_DMA_PASID_DEVICE pt_pasid(struct kunit *test, PIOMMU_DMA_DEVICE dev, ULONG *asid)
{
	PIOMMU_DMA_PASID_DEVICE p;
	ULONG a;

	KUNIT_ASSERT_EQ(test, pt_create_pasid(test, dev, &p, &a), STATUS_SUCCESS);
	KUNIT_EXPECT_TRUE_MSG(test, a >= 1 && a < PT_PASIDS, "PASID %u", a);
	if (asid)
		*asid = a;
	return p;
}

static NTSTATUS pt_delete_pasid(struct kunit *test, PIOMMU_DMA_PASID_DEVICE p)
{
	struct pasid_fixture *f = test->priv;
	NTSTATUS st = f->t->DeletePasidDevice(p);

	if (st == STATUS_SUCCESS)
		winiommu_test_forget(f->pdevs, &f->nr_pdevs, p);
	return st;
}

static void pt_track_domain(struct kunit *test, PIOMMU_DMA_DOMAIN dom)
{
	struct pasid_fixture *f = test->priv;

	KUNIT_ASSERT_LT(test, f->nr_doms, PT_MAX_LIVE);
	f->doms[f->nr_doms++] = dom;
}

static PIOMMU_DMA_DOMAIN pt_domain_ex(struct kunit *test, u32 type,
				      PIOMMU_DMA_RESERVED_REGION resv)
{
	struct pasid_fixture *f = test->priv;
	IOMMU_DMA_DOMAIN_CREATION_FLAGS flags = {};
	PIOMMU_DMA_DOMAIN dom;
	NTSTATUS st;

	st = f->t->CreateDomainEx((IOMMU_DMA_DOMAIN_TYPE)type, flags, NULL, resv, &dom);
	if (st == STATUS_NOT_SUPPORTED)
		kunit_skip(test, "CreateDomainEx refuses domains on a machine without IOMMU");
	KUNIT_ASSERT_EQ(test, st, STATUS_SUCCESS);
	pt_track_domain(test, dom);
	return dom;
}

static PIOMMU_DMA_DOMAIN pt_domain(struct kunit *test, u32 type)
{
	return pt_domain_ex(test, type, NULL);
}

/* A domain of the V1 table: OS-managed (Translate) or caller-managed (Unmanaged). */
static PIOMMU_DMA_DOMAIN pt_domain_v1(struct kunit *test, bool os_managed)
{
	struct pasid_fixture *f = test->priv;
	PIOMMU_DMA_DOMAIN dom;
	NTSTATUS st;

	st = f->v1.V1.CreateDomain(os_managed, &dom);
	if (st == STATUS_NOT_SUPPORTED)
		kunit_skip(test, "CreateDomain refuses domains on a machine without IOMMU");
	KUNIT_ASSERT_EQ(test, st, STATUS_SUCCESS);
	pt_track_domain(test, dom);
	return dom;
}

static NTSTATUS pt_delete_domain(struct kunit *test, PIOMMU_DMA_DOMAIN dom)
{
	struct pasid_fixture *f = test->priv;
	NTSTATUS st = f->t->DeleteDomain(dom);

	if (st == STATUS_SUCCESS)
		winiommu_test_forget(f->doms, &f->nr_doms, dom);
	return st;
}

static phys_addr_t pt_page(struct kunit *test)
{
	struct pasid_fixture *f = test->priv;

	if (!f->page)
		f->page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	KUNIT_ASSERT_NOT_NULL(test, f->page);
	return page_to_phys(f->page);
}

/* MapLogicalRangeEx of one page at @addr. */
static NTSTATUS pt_map(struct kunit *test, PIOMMU_DMA_DOMAIN dom, u64 addr)
{
	struct pasid_fixture *f = test->priv;
	IOMMU_MAP_PHYSICAL_ADDRESS map = {
		.MapType = MapPhysicalAddressTypeContiguousRange,
		.ContiguousRange.Base.QuadPart = pt_page(test),
		.ContiguousRange.Size = PAGE_SIZE,
	};
	u64 out;

	return f->t->MapLogicalRangeEx(dom, IOMMU_ACCESS_READ | IOMMU_ACCESS_WRITE, &map, &addr,
				       NULL, NULL, &out);
}

/* QueryDeviceInfo with a full buffer: the three BOOLEANs as 0x00LLMMNN. */
static u32 pt_info(struct kunit *test, PIOMMU_DMA_DEVICE h)
{
	struct pasid_fixture *f = test->priv;
	IOMMU_DMA_DEVICE_INFORMATION info;
	ULONG written = 0;

	memset(&info, WINIOMMU_TEST_CANARY, sizeof(info));
	KUNIT_EXPECT_EQ(test, f->t->QueryDeviceInfo(h, sizeof(info), &written, &info),
			STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, written, sizeof(info));
	return info.DefaultPasidEnabled | info.PasidTaggedDmaEnabled << 8 |
	       info.PasidFaultsSuppressed << 16;
}

#define PT_INFO(def, tagged, suppressed)	((def) | (tagged) << 8 | (suppressed) << 16)

/* ---- CreatePasidDevice / DeletePasidDevice ------------------------------------ */

static void pasid_create_delete_test(struct kunit *test)
{
	struct pasid_fixture *f = test->priv;
	struct mock_dev *md = pt_mdev(test, 0, PT_PASIDS);
	PIOMMU_DMA_DEVICE h = pt_device(test, md, PT_TAGGED);
	PIOMMU_DMA_PASID_DEVICE a, b;
	ULONG asid_a, asid_b;

	a = pt_pasid(test, h, &asid_a);
	b = pt_pasid(test, h, &asid_b);
	KUNIT_EXPECT_PTR_NE(test, a, b);
	KUNIT_EXPECT_NE(test, asid_a, asid_b);
	KUNIT_EXPECT_TRUE(test, test_bit(asid_a, md->pasids) && test_bit(asid_b, md->pasids));
	KUNIT_EXPECT_EQ(test, winiommu_obj_count(WINIOMMU_OBJ_PASID_DEVICE),
			f->snap.pasid_devices + 2);
	/* creating claims, allocates and attaches nothing */
	KUNIT_EXPECT_EQ(test, winiommu_mock.claims, 0);
	KUNIT_EXPECT_EQ(test, winiommu_mock.allocs, 0);

	/* the parent outlives its PASID devices */
	KUNIT_EXPECT_EQ(test, pt_delete_device(test, h), STATUS_RESOURCE_IN_USE);
	KUNIT_EXPECT_EQ(test, pt_delete_pasid(test, a), STATUS_SUCCESS);
	KUNIT_EXPECT_FALSE(test, test_bit(asid_a, md->pasids));
	KUNIT_EXPECT_EQ(test, pt_delete_device(test, h), STATUS_RESOURCE_IN_USE);
	KUNIT_EXPECT_EQ(test, pt_delete_pasid(test, b), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, winiommu_mock.pasid_frees, 2);
	KUNIT_EXPECT_EQ(test, winiommu_obj_count(WINIOMMU_OBJ_PASID_DEVICE), f->snap.pasid_devices);

	/* stale, NULL and wrong-kind handles */
	KUNIT_EXPECT_EQ(test, f->t->DeletePasidDevice(a), STATUS_INVALID_PARAMETER_1);
	KUNIT_EXPECT_EQ(test, f->t->DeletePasidDevice(NULL), STATUS_INVALID_PARAMETER_1);
	KUNIT_EXPECT_EQ(test, f->t->DeletePasidDevice((PIOMMU_DMA_PASID_DEVICE)h),
			STATUS_INVALID_PARAMETER_1);
	KUNIT_EXPECT_EQ(test, f->t->DetachPasidDevice(a), STATUS_INVALID_PARAMETER_1);
	KUNIT_EXPECT_EQ(test, winiommu_mock.pasid_frees, 2);
	KUNIT_EXPECT_EQ(test, pt_delete_device(test, h), STATUS_SUCCESS);
}

static void pasid_create_bad_args_test(struct kunit *test)
{
	struct pasid_fixture *f = test->priv;
	struct mock_dev *md = pt_mdev(test, 0, PT_PASIDS);
	PIOMMU_DMA_DEVICE plain = pt_device(test, md, PT_NO_PASID);
	PIOMMU_DMA_DEVICE def = pt_device(test, md, PT_DEFAULT_ONLY);
	PIOMMU_DMA_DEVICE tagged = pt_device(test, md, PT_TAGGED), stale;
	PIOMMU_DMA_PASID_DEVICE other = pt_pasid(test, tagged, NULL), out;
	ULONG asid;

	memset(&out, WINIOMMU_TEST_CANARY, sizeof(out));
	memset(&asid, WINIOMMU_TEST_CANARY, sizeof(asid));
	KUNIT_EXPECT_EQ(test, f->t->CreatePasidDevice(NULL, &out, &asid),
			STATUS_INVALID_PARAMETER_1);
	KUNIT_EXPECT_EQ(test, f->t->CreatePasidDevice(NULL, NULL, NULL),
			STATUS_INVALID_PARAMETER_1);
	KUNIT_EXPECT_EQ(test, f->t->CreatePasidDevice((PIOMMU_DMA_DEVICE)other, &out, &asid),
			STATUS_INVALID_PARAMETER_1);
	/* not created for PASID-tagged DMA */
	KUNIT_EXPECT_EQ(test, f->t->CreatePasidDevice(plain, &out, &asid),
			STATUS_INVALID_PARAMETER_1);
	KUNIT_EXPECT_EQ(test, f->t->CreatePasidDevice(def, &out, &asid),
			STATUS_INVALID_PARAMETER_1);
	/* the parent is checked before the outputs */
	KUNIT_EXPECT_EQ(test, f->t->CreatePasidDevice(def, NULL, NULL),
			STATUS_INVALID_PARAMETER_1);
	KUNIT_EXPECT_EQ(test, f->t->CreatePasidDevice(tagged, NULL, &asid),
			STATUS_INVALID_PARAMETER_2);
	KUNIT_EXPECT_EQ(test, f->t->CreatePasidDevice(tagged, NULL, NULL),
			STATUS_INVALID_PARAMETER_2);
	KUNIT_EXPECT_EQ(test, f->t->CreatePasidDevice(tagged, &out, NULL),
			STATUS_INVALID_PARAMETER_3);
	KUNIT_EXPECT_TRUE(test, winiommu_test_untouched(&out, sizeof(out)));
	KUNIT_EXPECT_TRUE(test, winiommu_test_untouched(&asid, sizeof(asid)));

	/* a deleted parent */
	stale = pt_device(test, md, PT_TAGGED);
	KUNIT_EXPECT_EQ(test, pt_delete_device(test, stale), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, f->t->CreatePasidDevice(stale, &out, &asid),
			STATUS_INVALID_PARAMETER_1);
	KUNIT_EXPECT_TRUE(test, winiommu_test_untouched(&out, sizeof(out)));
	KUNIT_EXPECT_TRUE(test, winiommu_test_untouched(&asid, sizeof(asid)));
	KUNIT_EXPECT_EQ(test, winiommu_mock.pasid_allocs, 1);
	KUNIT_EXPECT_EQ(test, winiommu_obj_count(WINIOMMU_OBJ_PASID_DEVICE),
			f->snap.pasid_devices + 1);
}

/* The device's PASIDs run out: STATUS_NONE_MAPPED, and a deleted one comes back. */
static void pasid_exhaustion_test(struct kunit *test)
{
	struct pasid_fixture *f = test->priv;
	struct mock_dev *md = pt_mdev(test, 0, 4);	/* PASIDs 1..3 */
	PIOMMU_DMA_DEVICE h = pt_device(test, md, PT_TAGGED);
	PIOMMU_DMA_PASID_DEVICE p[3], out;
	ULONG asid[3], a;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(p); i++)
		p[i] = pt_pasid(test, h, &asid[i]);
	KUNIT_EXPECT_EQ(test, asid[0] + asid[1] + asid[2], 1 + 2 + 3);
	memset(&out, WINIOMMU_TEST_CANARY, sizeof(out));
	memset(&a, WINIOMMU_TEST_CANARY, sizeof(a));
	KUNIT_EXPECT_EQ(test, pt_create_pasid(test, h, &out, &a), STATUS_NONE_MAPPED);
	KUNIT_EXPECT_TRUE(test, winiommu_test_untouched(&out, sizeof(out)));
	KUNIT_EXPECT_TRUE(test, winiommu_test_untouched(&a, sizeof(a)));
	KUNIT_EXPECT_EQ(test, winiommu_obj_count(WINIOMMU_OBJ_PASID_DEVICE),
			f->snap.pasid_devices + 3);

	/* another device has PASIDs of its own */
	pt_pasid(test, pt_device(test, pt_mdev(test, 0, 4), PT_TAGGED), NULL);

	KUNIT_EXPECT_EQ(test, pt_delete_pasid(test, p[1]), STATUS_SUCCESS);
	p[1] = pt_pasid(test, h, &a);
	KUNIT_EXPECT_EQ(test, a, asid[1]);
	KUNIT_EXPECT_EQ(test, pt_create_pasid(test, h, &out, &a), STATUS_NONE_MAPPED);
}

/* One row per failure of the PASID allocator. */
struct pt_alloc_case {
	const char *name;
	int err;
	NTSTATUS expect;
};

static const struct pt_alloc_case pt_alloc_cases[] = {
	{ "pasid_alloc -ENOMEM", -ENOMEM, STATUS_INSUFFICIENT_RESOURCES },
	{ "pasid_alloc -ENOSPC", -ENOSPC, STATUS_NONE_MAPPED },
};

KUNIT_ARRAY_PARAM_DESC(pt_alloc, pt_alloc_cases, name);

static void pasid_alloc_fail_test(struct kunit *test)
{
	const struct pt_alloc_case *c = test->param_value;
	struct pasid_fixture *f = test->priv;
	PIOMMU_DMA_DEVICE h = pt_device(test, pt_mdev(test, 0, PT_PASIDS), PT_TAGGED);
	PIOMMU_DMA_PASID_DEVICE out;
	ULONG a;

	winiommu_mock.fail[MOCK_OP_PASID_ALLOC].err = c->err;
	memset(&out, WINIOMMU_TEST_CANARY, sizeof(out));
	memset(&a, WINIOMMU_TEST_CANARY, sizeof(a));
	KUNIT_EXPECT_EQ(test, pt_create_pasid(test, h, &out, &a), c->expect);
	KUNIT_EXPECT_TRUE(test, winiommu_test_untouched(&out, sizeof(out)));
	KUNIT_EXPECT_TRUE(test, winiommu_test_untouched(&a, sizeof(a)));
	KUNIT_EXPECT_EQ(test, winiommu_obj_count(WINIOMMU_OBJ_PASID_DEVICE), f->snap.pasid_devices);
	/* nothing held: the device can go */
	KUNIT_EXPECT_EQ(test, pt_delete_device(test, h), STATUS_SUCCESS);
}

/* ---- CreateDevice's Pasid entry --------------------------------------------------- */

static void pasid_create_device_test(struct kunit *test)
{
	struct pasid_fixture *f = test->priv;
	struct mock_dev *none = pt_mdev(test, 0, 0), *one = pt_mdev(test, 0, 1);
	PIOMMU_DMA_DEVICE out;

	memset(&out, WINIOMMU_TEST_CANARY, sizeof(out));
	KUNIT_EXPECT_EQ(test, pt_create(test, none->dev, PT_TAGGED, &out), STATUS_NOT_SUPPORTED);
	KUNIT_EXPECT_EQ(test, pt_create(test, none->dev, PT_TAGGED_SUPPRESS, &out),
			STATUS_NOT_SUPPORTED);
	/* PASID 0 is untagged DMA's: one PASID is none */
	KUNIT_EXPECT_EQ(test, pt_create(test, one->dev, PT_TAGGED, &out), STATUS_NOT_SUPPORTED);
	KUNIT_EXPECT_TRUE(test, winiommu_test_untouched(&out, sizeof(out)));
	KUNIT_EXPECT_EQ(test, winiommu_obj_count(WINIOMMU_OBJ_DEVICE), f->snap.devices);
	KUNIT_EXPECT_EQ(test, none->group_refs, 0);
	/* arguments come before the machine's answer */
	KUNIT_EXPECT_EQ(test, pt_create(test, none->dev, PT_TAGGED, NULL),
			STATUS_INVALID_PARAMETER_3);

	/* DefaultPasidOnly works everywhere */
	KUNIT_EXPECT_EQ(test, pt_create(test, none->dev, PT_DEFAULT_ONLY, &out), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, pt_info(test, out), PT_INFO(1, 0, 0));
	KUNIT_EXPECT_EQ(test, pt_delete_device(test, out), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, none->group_refs, 0);
}

/* ---- AttachPasidDevice / DetachPasidDevice ---------------------------------------- */

static void pasid_attach_detach_test(struct kunit *test)
{
	struct pasid_fixture *f = test->priv;
	struct mock_dev *md = pt_mdev(test, 0, PT_PASIDS);
	PIOMMU_DMA_DEVICE h = pt_device(test, md, PT_TAGGED);
	PIOMMU_DMA_DOMAIN dom = pt_domain(test, DomainTypeTranslate);
	PIOMMU_DMA_DOMAIN other = pt_domain(test, DomainTypeTranslate);
	phys_addr_t pa = pt_page(test);
	PIOMMU_DMA_PASID_DEVICE p;
	struct mock_domain *m;
	ULONG asid;

	KUNIT_ASSERT_EQ(test, pt_map(test, dom, PT_MAP_ADDR), STATUS_SUCCESS);
	p = pt_pasid(test, h, &asid);
	KUNIT_ASSERT_EQ(test, f->t->AttachPasidDevice(dom, p), STATUS_SUCCESS);
	/* ownership claimed, a PASID-capable Linux domain made and filled */
	KUNIT_EXPECT_TRUE(test, md->claimed);
	KUNIT_EXPECT_NULL(test, md->attached);
	KUNIT_EXPECT_EQ(test, winiommu_mock.allocs, 1);
	KUNIT_EXPECT_EQ(test, winiommu_mock.attaches, 0);
	KUNIT_EXPECT_EQ(test, winiommu_mock.pasid_attaches, 1);
	KUNIT_EXPECT_EQ(test, winiommu_mock.resv_gets, winiommu_mock.resv_puts);
	m = md->pasid_dom[asid];
	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_EXPECT_TRUE(test, m->pasid_capable);
	KUNIT_EXPECT_EQ(test, winiommu_mock_lookup(m, PT_MAP_ADDR, NULL), pa);
	/* a mapping made now reaches it too */
	KUNIT_ASSERT_EQ(test, pt_map(test, dom, PT_MAP_ADDR + SZ_1M), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, winiommu_mock_lookup(m, PT_MAP_ADDR + SZ_1M, NULL), pa);

	/* attached once only, wherever */
	KUNIT_EXPECT_EQ(test, f->t->AttachPasidDevice(dom, p), STATUS_UNSUCCESSFUL);
	KUNIT_EXPECT_EQ(test, f->t->AttachPasidDevice(other, p), STATUS_UNSUCCESSFUL);
	KUNIT_EXPECT_EQ(test, winiommu_mock.pasid_attaches, 1);
	KUNIT_EXPECT_EQ(test, winiommu_mock.claims, 1);
	/* in use: the PASID device, the domain, the parent */
	KUNIT_EXPECT_EQ(test, pt_delete_pasid(test, p), STATUS_RESOURCE_IN_USE);
	KUNIT_EXPECT_EQ(test, pt_delete_domain(test, dom), STATUS_RESOURCE_IN_USE);
	KUNIT_EXPECT_EQ(test, pt_delete_device(test, h), STATUS_RESOURCE_IN_USE);
	KUNIT_EXPECT_EQ(test, winiommu_mock.violations, 0);

	KUNIT_EXPECT_EQ(test, f->t->DetachPasidDevice(p), STATUS_SUCCESS);
	KUNIT_EXPECT_NULL(test, md->pasid_dom[asid]);
	KUNIT_EXPECT_FALSE(test, md->claimed);
	winiommu_mock_expect_balanced(test, "after detach");
	KUNIT_EXPECT_EQ(test, f->t->DetachPasidDevice(p), STATUS_INVALID_PARAMETER_1);
	KUNIT_EXPECT_EQ(test, winiommu_mock.pasid_detaches, 1);

	/* the domain kept its mappings: a second attach replays them */
	KUNIT_ASSERT_EQ(test, f->t->AttachPasidDevice(dom, p), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, winiommu_mock_lookup(md->pasid_dom[asid], PT_MAP_ADDR + SZ_1M, NULL),
			pa);
	KUNIT_EXPECT_EQ(test, f->t->DetachPasidDevice(p), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, pt_delete_pasid(test, p), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, pt_delete_domain(test, dom), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, pt_delete_device(test, h), STATUS_SUCCESS);
}

/* Unknown handles, PassThrough, and the domain types a PASID device may join. */
static void pasid_attach_args_test(struct kunit *test)
{
	struct pasid_fixture *f = test->priv;
	struct mock_dev *md = pt_mdev(test, 0, PT_PASIDS);
	PIOMMU_DMA_DEVICE h = pt_device(test, md, PT_TAGGED);
	PIOMMU_DMA_PASID_DEVICE p = pt_pasid(test, h, NULL), gone = pt_pasid(test, h, NULL);
	PIOMMU_DMA_DOMAIN ok[5], pt, dead;
	unsigned int i;

	WRITE_ONCE(winiommu_params.allow_passthrough, true);
	WRITE_ONCE(winiommu_params.dma_guard_policy, 2);
	pt = pt_domain(test, DomainTypePassThrough);
	dead = pt_domain(test, DomainTypeTranslate);
	KUNIT_EXPECT_EQ(test, pt_delete_domain(test, dead), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, pt_delete_pasid(test, gone), STATUS_SUCCESS);
	ok[0] = pt_domain(test, DomainTypeTranslate);
	ok[1] = pt_domain(test, DomainTypeTranslateS1);
	ok[2] = pt_domain(test, DomainTypeUnmanaged);
	ok[3] = pt_domain_v1(test, true);
	ok[4] = pt_domain_v1(test, false);

	KUNIT_EXPECT_EQ(test, f->t->AttachPasidDevice(NULL, p), STATUS_INVALID_PARAMETER_1);
	KUNIT_EXPECT_EQ(test, f->t->AttachPasidDevice(dead, p), STATUS_INVALID_PARAMETER_1);
	KUNIT_EXPECT_EQ(test, f->t->AttachPasidDevice((PIOMMU_DMA_DOMAIN)h, p),
			STATUS_INVALID_PARAMETER_1);
	KUNIT_EXPECT_EQ(test, f->t->AttachPasidDevice(ok[0], NULL), STATUS_INVALID_PARAMETER_2);
	KUNIT_EXPECT_EQ(test, f->t->AttachPasidDevice(ok[0], gone), STATUS_INVALID_PARAMETER_2);
	KUNIT_EXPECT_EQ(test, f->t->AttachPasidDevice(ok[0], (PIOMMU_DMA_PASID_DEVICE)h),
			STATUS_INVALID_PARAMETER_2);
	KUNIT_EXPECT_EQ(test, f->t->AttachPasidDevice(NULL, NULL), STATUS_INVALID_PARAMETER_1);
	/* a type PASID devices may not join: the domain is refused */
	KUNIT_EXPECT_EQ(test, f->t->AttachPasidDevice(pt, p), STATUS_INVALID_PARAMETER_1);
	KUNIT_EXPECT_EQ(test, f->t->DetachPasidDevice(NULL), STATUS_INVALID_PARAMETER_1);
	KUNIT_EXPECT_EQ(test, f->t->DetachPasidDevice((PIOMMU_DMA_PASID_DEVICE)h),
			STATUS_INVALID_PARAMETER_1);
	KUNIT_EXPECT_EQ(test, winiommu_mock.claims, 0);
	KUNIT_EXPECT_EQ(test, winiommu_mock.pasid_attaches, 0);

	for (i = 0; i < ARRAY_SIZE(ok); i++) {
		KUNIT_EXPECT_EQ_MSG(test, f->t->AttachPasidDevice(ok[i], p), STATUS_SUCCESS,
				    "domain %u", i);
		KUNIT_EXPECT_EQ_MSG(test, f->t->DetachPasidDevice(p), STATUS_SUCCESS, "domain %u",
				    i);
	}
	winiommu_mock_expect_balanced(test, "after the attaches");
	KUNIT_EXPECT_EQ(test, winiommu_mock.pasid_attaches, ARRAY_SIZE(ok));
}

/*
 * The parent's own attach and its PASIDs: one Linux domain per instance
 * serves both, ownership is claimed once and kept while anything is
 * attached, DetachDeviceEx leaves the PASIDs alone.
 */
static void pasid_with_parent_test(struct kunit *test)
{
	struct pasid_fixture *f = test->priv;
	struct mock_dev *md = pt_mdev(test, 0, PT_PASIDS);
	PIOMMU_DMA_DEVICE h = pt_device(test, md, PT_TAGGED);
	PIOMMU_DMA_DOMAIN a = pt_domain(test, DomainTypeTranslate);
	PIOMMU_DMA_DOMAIN b = pt_domain(test, DomainTypeUnmanaged);
	PIOMMU_DMA_PASID_DEVICE p1, p2;
	ULONG asid1, asid2;
	struct mock_domain *ma;

	p1 = pt_pasid(test, h, &asid1);
	p2 = pt_pasid(test, h, &asid2);
	KUNIT_ASSERT_EQ(test, f->t->AttachDeviceEx(a, h), STATUS_SUCCESS);
	ma = md->attached;
	KUNIT_ASSERT_NOT_NULL(test, ma);
	/* a parent set up for tagged DMA gets a domain its PASIDs can join */
	KUNIT_EXPECT_TRUE(test, ma->pasid_capable);
	KUNIT_ASSERT_EQ(test, f->t->AttachPasidDevice(a, p1), STATUS_SUCCESS);
	KUNIT_EXPECT_PTR_EQ(test, md->pasid_dom[asid1], ma);
	KUNIT_EXPECT_EQ(test, winiommu_mock.allocs, 1);
	KUNIT_ASSERT_EQ(test, f->t->AttachPasidDevice(b, p2), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, winiommu_mock.allocs, 2);
	KUNIT_EXPECT_PTR_NE(test, md->pasid_dom[asid2], ma);
	KUNIT_EXPECT_EQ(test, winiommu_mock.claims, 1);

	/* detaching the parent leaves its PASIDs where they are */
	KUNIT_EXPECT_EQ(test, f->t->DetachDeviceEx(h), STATUS_SUCCESS);
	KUNIT_EXPECT_NULL(test, md->attached);
	KUNIT_EXPECT_PTR_EQ(test, md->pasid_dom[asid1], ma);
	KUNIT_EXPECT_NOT_NULL(test, md->pasid_dom[asid2]);
	KUNIT_EXPECT_TRUE(test, md->claimed);
	KUNIT_EXPECT_EQ(test, winiommu_mock.frees, 0);
	KUNIT_EXPECT_EQ(test, pt_delete_domain(test, a), STATUS_RESOURCE_IN_USE);
	KUNIT_EXPECT_EQ(test, pt_delete_device(test, h), STATUS_RESOURCE_IN_USE);

	/* attaching it again needs no second claim; it joins b's Linux domain */
	KUNIT_ASSERT_EQ(test, f->t->AttachDeviceEx(b, h), STATUS_SUCCESS);
	KUNIT_EXPECT_PTR_EQ(test, md->attached, md->pasid_dom[asid2]);
	KUNIT_EXPECT_EQ(test, winiommu_mock.claims, 1);
	KUNIT_EXPECT_EQ(test, f->t->DetachPasidDevice(p1), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, winiommu_mock.frees, 1);
	KUNIT_EXPECT_EQ(test, f->t->DetachPasidDevice(p2), STATUS_SUCCESS);
	KUNIT_EXPECT_TRUE(test, md->claimed);	/* the parent still holds it */
	KUNIT_EXPECT_EQ(test, winiommu_mock.frees, 1);
	KUNIT_EXPECT_EQ(test, f->t->DetachDeviceEx(h), STATUS_SUCCESS);
	KUNIT_EXPECT_FALSE(test, md->claimed);
	winiommu_mock_expect_balanced(test, "after everything detached");
	KUNIT_EXPECT_EQ(test, winiommu_mock.violations, 0);
}

/* One row per injected failure of a PASID attach. */
struct pt_fail_case {
	const char *name;
	enum mock_op op;
	int err;
	unsigned int skip;
	unsigned int resv;	/* MOCK_RESV_* of the device */
	bool should_map;	/* the domain has a ShouldMap region (replayed) */
	NTSTATUS expect;
};

static const struct pt_fail_case pt_fail_cases[] = {
	{ "attach_pasid -ENOMEM", MOCK_OP_ATTACH_PASID, -ENOMEM, 0, 0, false,
	  STATUS_INSUFFICIENT_RESOURCES },
	{ "attach_pasid -ENOSPC", MOCK_OP_ATTACH_PASID, -ENOSPC, 0, 0, false,
	  STATUS_INSUFFICIENT_RESOURCES },
	{ "attach_pasid -EBUSY", MOCK_OP_ATTACH_PASID, -EBUSY, 0, 0, false, STATUS_ACCESS_DENIED },
	{ "attach_pasid -EOPNOTSUPP", MOCK_OP_ATTACH_PASID, -EOPNOTSUPP, 0, 0, false,
	  STATUS_ACCESS_DENIED },
	{ "attach_pasid -EINVAL", MOCK_OP_ATTACH_PASID, -EINVAL, 0, 0, false,
	  STATUS_ACCESS_DENIED },
	{ "claim -EPERM", MOCK_OP_CLAIM, -EPERM, 0, 0, false, STATUS_ACCESS_DENIED },
	{ "claim -EBUSY", MOCK_OP_CLAIM, -EBUSY, 0, 0, false, STATUS_ACCESS_DENIED },
	{ "domain_alloc -ENOMEM", MOCK_OP_ALLOC, -ENOMEM, 0, 0, false,
	  STATUS_INSUFFICIENT_RESOURCES },
	{ "resv_regions -ENOMEM", MOCK_OP_RESV, -ENOMEM, 0, MOCK_RESV_SW_MSI, false,
	  STATUS_INSUFFICIENT_RESOURCES },
	{ "replay map -ENOMEM after one map", MOCK_OP_MAP, -ENOMEM, 1, 0, true,
	  STATUS_INSUFFICIENT_RESOURCES },
	{ "msi_cookie -ENOMEM", MOCK_OP_MSI_COOKIE, -ENOMEM, 0, MOCK_RESV_SW_MSI, false,
	  STATUS_INSUFFICIENT_RESOURCES },
};

KUNIT_ARRAY_PARAM_DESC(pt_fail, pt_fail_cases, name);

static void pasid_attach_fail_test(struct kunit *test)
{
	const struct pt_fail_case *c = test->param_value;
	struct pasid_fixture *f = test->priv;
	struct mock_dev *md = pt_mdev(test, 0, PT_PASIDS);
	PIOMMU_DMA_DEVICE h = pt_device(test, md, PT_TAGGED);
	IOMMU_DMA_RESERVED_REGION resv[2] = {
		{ .RegionNext = &resv[1], .Base = PT_RESV_BASE, .NumberOfPages = 2,
		  .ShouldMap = TRUE },
		{ .Base = PT_RESV_BASE + SZ_1M, .NumberOfPages = 1, .ShouldMap = TRUE },
	};
	PIOMMU_DMA_DOMAIN dom = pt_domain_ex(test, DomainTypeTranslate,
					     c->should_map ? resv : NULL);
	PIOMMU_DMA_PASID_DEVICE p;
	ULONG asid;

	md->resv = c->resv;
	p = pt_pasid(test, h, &asid);
	winiommu_mock.fail[c->op].err = c->err;
	winiommu_mock.fail[c->op].skip = c->skip;
	KUNIT_EXPECT_EQ(test, f->t->AttachPasidDevice(dom, p), c->expect);
	KUNIT_EXPECT_FALSE(test, md->claimed);
	KUNIT_EXPECT_NULL(test, md->pasid_dom[asid]);
	winiommu_mock_expect_balanced(test, "after the failed attach");
	KUNIT_EXPECT_EQ(test, f->t->DetachPasidDevice(p), STATUS_INVALID_PARAMETER_1);
	/* nothing is held: all three can go */
	KUNIT_EXPECT_EQ(test, pt_delete_domain(test, dom), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, pt_delete_pasid(test, p), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, pt_delete_device(test, h), STATUS_SUCCESS);

	/* and without the failure it works */
	winiommu_mock.fail[c->op].err = 0;
	h = pt_device(test, md, PT_TAGGED);
	p = pt_pasid(test, h, &asid);
	dom = pt_domain_ex(test, DomainTypeTranslate, c->should_map ? resv : NULL);
	KUNIT_ASSERT_EQ(test, f->t->AttachPasidDevice(dom, p), STATUS_SUCCESS);
	KUNIT_ASSERT_NOT_NULL(test, md->pasid_dom[asid]);
	if (c->should_map)
		KUNIT_EXPECT_EQ(test, winiommu_mock_lookup(md->pasid_dom[asid], PT_RESV_BASE, NULL),
				PT_RESV_BASE);
	if (c->resv & MOCK_RESV_SW_MSI) {
		KUNIT_EXPECT_TRUE(test, md->pasid_dom[asid]->msi_cookie);
		KUNIT_EXPECT_EQ(test, md->pasid_dom[asid]->msi_base, MOCK_SW_MSI_BASE);
	}
	KUNIT_EXPECT_EQ(test, f->t->DetachPasidDevice(p), STATUS_SUCCESS);
}

/* STATUS_ACCESS_DENIED: attaching to this domain is not allowed right now. */
static void pasid_not_now_test(struct kunit *test)
{
	struct pasid_fixture *f = test->priv;
	struct mock_dev *plain = pt_mdev(test, 0, PT_PASIDS), *md = pt_mdev(test, 0, PT_PASIDS);
	struct mock_dev *idm = pt_mdev(test, 1, PT_PASIDS);
	PIOMMU_DMA_DEVICE hplain = pt_device(test, plain, PT_DEFAULT_ONLY);
	PIOMMU_DMA_DEVICE h = pt_device(test, md, PT_TAGGED), hid;
	PIOMMU_DMA_DOMAIN dom = pt_domain(test, DomainTypeTranslate), ptdom;
	PIOMMU_DMA_DOMAIN far = pt_domain(test, DomainTypeTranslate);
	PIOMMU_DMA_PASID_DEVICE p = pt_pasid(test, h, NULL), pid;
	u64 high = SZ_4G;
	unsigned int allocs;

	/* a mapping the device cannot address (32-bit DMA mask) */
	KUNIT_ASSERT_EQ(test, pt_map(test, far, high), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, f->t->AttachPasidDevice(far, p), STATUS_ACCESS_DENIED);
	winiommu_mock_expect_balanced(test, "after the out-of-reach attach");
	KUNIT_EXPECT_FALSE(test, md->claimed);
	KUNIT_EXPECT_EQ(test, f->t->UnmapLogicalRange(far, high, 1), STATUS_SUCCESS);
	KUNIT_ASSERT_EQ(test, f->t->AttachPasidDevice(far, p), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, f->t->DetachPasidDevice(p), STATUS_SUCCESS);
	/* attached once, the domain is narrowed to what the device reaches */
	KUNIT_EXPECT_EQ(test, pt_map(test, far, high), STATUS_INVALID_PARAMETER_4);

	/*
	 * The instance's Linux domain was made for a device without tagged
	 * DMA, and the IOMMU driver will not put a PASID in it.
	 */
	allocs = winiommu_mock.allocs;
	KUNIT_ASSERT_EQ(test, f->t->AttachDeviceEx(dom, hplain), STATUS_SUCCESS);
	KUNIT_EXPECT_FALSE(test, plain->attached->pasid_capable);
	KUNIT_EXPECT_EQ(test, f->t->AttachPasidDevice(dom, p), STATUS_ACCESS_DENIED);
	KUNIT_EXPECT_FALSE(test, md->claimed);
	KUNIT_EXPECT_EQ(test, winiommu_mock.allocs, allocs + 1);
	KUNIT_EXPECT_EQ(test, f->t->DetachDeviceEx(hplain), STATUS_SUCCESS);
	winiommu_mock_expect_balanced(test, "after the refused attach");
	KUNIT_ASSERT_EQ(test, f->t->AttachPasidDevice(dom, p), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, f->t->DetachPasidDevice(p), STATUS_SUCCESS);

	/* the parent's untagged DMA stays in its identity domain (PassThrough) */
	WRITE_ONCE(winiommu_params.allow_passthrough, true);
	WRITE_ONCE(winiommu_params.dma_guard_policy, 1);
	idm->identity = true;
	hid = pt_device(test, idm, PT_TAGGED);
	pid = pt_pasid(test, hid, NULL);
	ptdom = pt_domain(test, DomainTypePassThrough);
	KUNIT_ASSERT_EQ(test, f->t->AttachDeviceEx(ptdom, hid), STATUS_SUCCESS);
	KUNIT_EXPECT_FALSE(test, idm->claimed);
	KUNIT_EXPECT_EQ(test, f->t->AttachPasidDevice(dom, pid), STATUS_ACCESS_DENIED);
	KUNIT_EXPECT_FALSE(test, idm->claimed);
	KUNIT_EXPECT_EQ(test, f->t->DetachDeviceEx(hid), STATUS_SUCCESS);
	/* detached, it may */
	KUNIT_ASSERT_EQ(test, f->t->AttachPasidDevice(dom, pid), STATUS_SUCCESS);
	KUNIT_EXPECT_TRUE(test, idm->claimed);
	KUNIT_EXPECT_EQ(test, f->t->DetachPasidDevice(pid), STATUS_SUCCESS);
	KUNIT_EXPECT_FALSE(test, idm->claimed);
}

/* ---- QueryDeviceInfo --------------------------------------------------------------- */

static void pasid_query_info_test(struct kunit *test)
{
	struct pasid_fixture *f = test->priv;
	struct mock_dev *md = pt_mdev(test, 0, PT_PASIDS);
	PIOMMU_DMA_DEVICE plain = pt_device(test, md, PT_NO_PASID);
	PIOMMU_DMA_DEVICE def = pt_device(test, md, PT_DEFAULT_ONLY);
	PIOMMU_DMA_DEVICE tagged = pt_device(test, md, PT_TAGGED);
	PIOMMU_DMA_DEVICE quiet = pt_device(test, md, PT_TAGGED_SUPPRESS), stale;
	PIOMMU_DMA_PASID_DEVICE p = pt_pasid(test, tagged, NULL);
	u8 buf[8], canary[8];
	ULONG written, size;

	KUNIT_EXPECT_EQ(test, pt_info(test, plain), PT_INFO(0, 0, 0));
	KUNIT_EXPECT_EQ(test, pt_info(test, def), PT_INFO(1, 0, 0));
	/* winiommu never reports PASID faults, whatever was asked */
	KUNIT_EXPECT_EQ(test, pt_info(test, tagged), PT_INFO(1, 1, 1));
	KUNIT_EXPECT_EQ(test, pt_info(test, quiet), PT_INFO(1, 1, 1));

	/* a larger buffer gets exactly three bytes */
	memset(buf, WINIOMMU_TEST_CANARY, sizeof(buf));
	KUNIT_EXPECT_EQ(test, f->t->QueryDeviceInfo(def, sizeof(buf), &written,
						    (PIOMMU_DMA_DEVICE_INFORMATION)buf),
			STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, written, 3);
	KUNIT_EXPECT_EQ(test, buf[0], 1);
	KUNIT_EXPECT_EQ(test, buf[1], 0);
	KUNIT_EXPECT_EQ(test, buf[2], 0);
	KUNIT_EXPECT_TRUE(test, winiommu_test_untouched(buf + 3, sizeof(buf) - 3));

	/* refusals write nothing */
	memset(buf, WINIOMMU_TEST_CANARY, sizeof(buf));
	memset(&written, WINIOMMU_TEST_CANARY, sizeof(written));
	memcpy(canary, buf, sizeof(buf));
	for (size = 0; size < 3; size++)
		KUNIT_EXPECT_EQ_MSG(test, f->t->QueryDeviceInfo(tagged, size, &written,
								(PIOMMU_DMA_DEVICE_INFORMATION)buf),
				    STATUS_BUFFER_TOO_SMALL, "Size %u", size);
	KUNIT_EXPECT_EQ(test, f->t->QueryDeviceInfo(tagged, 2, NULL, NULL),
			STATUS_BUFFER_TOO_SMALL);
	KUNIT_EXPECT_EQ(test, f->t->QueryDeviceInfo(NULL, 3, &written,
						    (PIOMMU_DMA_DEVICE_INFORMATION)buf),
			STATUS_INVALID_PARAMETER_1);
	KUNIT_EXPECT_EQ(test, f->t->QueryDeviceInfo((PIOMMU_DMA_DEVICE)p, 3, &written,
						    (PIOMMU_DMA_DEVICE_INFORMATION)buf),
			STATUS_INVALID_PARAMETER_1);
	KUNIT_EXPECT_EQ(test, f->t->QueryDeviceInfo(NULL, 0, NULL, NULL),
			STATUS_INVALID_PARAMETER_1);
	KUNIT_EXPECT_EQ(test, f->t->QueryDeviceInfo(tagged, 3, NULL,
						    (PIOMMU_DMA_DEVICE_INFORMATION)buf),
			STATUS_INVALID_PARAMETER_3);
	KUNIT_EXPECT_EQ(test, f->t->QueryDeviceInfo(tagged, 3, NULL, NULL),
			STATUS_INVALID_PARAMETER_3);
	KUNIT_EXPECT_EQ(test, f->t->QueryDeviceInfo(tagged, 3, &written, NULL),
			STATUS_INVALID_PARAMETER_4);
	stale = pt_device(test, md, PT_TAGGED);
	KUNIT_EXPECT_EQ(test, pt_delete_device(test, stale), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, f->t->QueryDeviceInfo(stale, 3, &written,
						    (PIOMMU_DMA_DEVICE_INFORMATION)buf),
			STATUS_INVALID_PARAMETER_1);
	KUNIT_EXPECT_MEMEQ(test, buf, canary, sizeof(buf));
	KUNIT_EXPECT_TRUE(test, winiommu_test_untouched(&written, sizeof(written)));
}

/* ---- the machine's answers, with the real edu ----------------------------------- */

/*
 * edu has no PCIe PASID capability, and none of the QEMU IOMMUs offers
 * PASIDs in the mode the guests run them: PASID-tagged DMA is refused and
 * QueryDeviceInfo says so; DefaultPasidOnly works.
 */
static void pasid_edu_test(struct kunit *test)
{
	struct pasid_fixture *f = test->priv;
	struct winiommu_test_edu *edu = winiommu_test_edu_get();
	PIOMMU_DMA_DEVICE out, h;
	PIOMMU_DMA_PASID_DEVICE p;
	ULONG asid;
	NTSTATUS st;

	if (!edu)
		kunit_skip(test, "no edu device bound by winiommu_test_edu (driver_managed_dma)");
	memset(&out, WINIOMMU_TEST_CANARY, sizeof(out));
	st = pt_create(test, &edu->pdev->dev, PT_TAGGED, &out);
	if (st == STATUS_NOT_FOUND)
		kunit_skip(test, "no IOMMU translates %s", pci_name(edu->pdev));
	kunit_info(test, "%s: CreateDevice(PasidTaggedDma) = %#x\n", pci_name(edu->pdev), st);
	KUNIT_EXPECT_EQ(test, st, STATUS_NOT_SUPPORTED);
	KUNIT_EXPECT_TRUE(test, winiommu_test_untouched(&out, sizeof(out)));
	KUNIT_EXPECT_EQ(test, winiommu_obj_count(WINIOMMU_OBJ_DEVICE), f->snap.devices);
	st = pt_create(test, &edu->pdev->dev, PT_TAGGED_SUPPRESS, &out);
	KUNIT_EXPECT_EQ(test, st, STATUS_NOT_SUPPORTED);

	memset(&p, WINIOMMU_TEST_CANARY, sizeof(p));
	memset(&asid, WINIOMMU_TEST_CANARY, sizeof(asid));
	KUNIT_ASSERT_EQ(test, pt_create(test, &edu->pdev->dev, PT_DEFAULT_ONLY, &h),
			STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, pt_info(test, h), PT_INFO(1, 0, 0));
	KUNIT_EXPECT_EQ(test, pt_create_pasid(test, h, &p, &asid), STATUS_INVALID_PARAMETER_1);
	KUNIT_EXPECT_EQ(test, pt_delete_device(test, h), STATUS_SUCCESS);

	KUNIT_ASSERT_EQ(test, pt_create(test, &edu->pdev->dev, PT_NO_PASID, &h), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, pt_info(test, h), PT_INFO(0, 0, 0));
	KUNIT_EXPECT_EQ(test, pt_create_pasid(test, h, &p, &asid), STATUS_INVALID_PARAMETER_1);
	KUNIT_EXPECT_EQ(test, pt_delete_device(test, h), STATUS_SUCCESS);
	KUNIT_EXPECT_TRUE(test, winiommu_test_untouched(&p, sizeof(p)));
	KUNIT_EXPECT_TRUE(test, winiommu_test_untouched(&asid, sizeof(asid)));
	KUNIT_EXPECT_EQ(test, winiommu_obj_count(WINIOMMU_OBJ_PASID_DEVICE), f->snap.pasid_devices);
}

static struct kunit_case pasid_test_cases[] = {
	KUNIT_CASE(pasid_create_delete_test),
	KUNIT_CASE(pasid_create_bad_args_test),
	KUNIT_CASE(pasid_exhaustion_test),
	KUNIT_CASE_PARAM(pasid_alloc_fail_test, pt_alloc_gen_params),
	KUNIT_CASE(pasid_create_device_test),
	KUNIT_CASE(pasid_attach_detach_test),
	KUNIT_CASE(pasid_attach_args_test),
	KUNIT_CASE(pasid_with_parent_test),
	KUNIT_CASE_PARAM(pasid_attach_fail_test, pt_fail_gen_params),
	KUNIT_CASE(pasid_not_now_test),
	KUNIT_CASE(pasid_query_info_test),
	KUNIT_CASE(pasid_edu_test),
	{}
};

struct kunit_suite winiommu_pasid_suite = {
	.name = "winiommu_pasid",
	.suite_init = winiommu_mock_suite_init,
	.suite_exit = winiommu_mock_suite_exit,
	.init = pasid_init,
	.exit = pasid_exit,
	.test_cases = pasid_test_cases,
};
