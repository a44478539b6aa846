// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The winiommu authors
 *
 * Devices on a real IOMMU: CreateDevice, DeleteDevice, AttachDeviceEx,
 * DetachDeviceEx, QueryAvailableDomainTypes, the interface state-change
 * callbacks and SetDeviceFaultReportingEx, called through the V2 and V3
 * tables as a ported driver calls them.
 *
 * The subjects are the guest's two edu devices (edu.h): the first, bound
 * by a driver_managed_dma driver, is attached to domains and its Linux
 * domain is read back with iommu_get_domain_for_dev(); the second, bound
 * by a DMA-API driver, must be refused.  Every output starts as a canary
 * that a refused call must leave alone.  The fixture remembers the
 * devices, domains and callback registrations a case holds and releases
 * them if the case stops early, then checks that the live-device and
 * live-domain counters are back where they were.
 */
#include <linux/completion.h>
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/iommu.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "winiommu_test.h"
#include "edu.h"

#define DEV_MAX_LIVE		8
#define DEV_MAX_CBS		2

#define TYPES_ALL	(BIT(DomainTypeTranslate) | BIT(DomainTypePassThrough) | \
			 BIT(DomainTypeUnmanaged) | BIT(DomainTypeTranslateS1))
#define TYPES_NO_PT	(TYPES_ALL & ~BIT(DomainTypePassThrough))

/* Outside any device reserved region on x86 (MSI at 0xfee00000) and arm64 (0x8000000). */
#define DEV_RESV_BASE		0x7000000ULL
#define DEV_RESV_PAGES		4
#define DEV_HOLE_BASE		0x7100000ULL
#define DEV_MAP_ADDR		0x100000ULL

/* How long a state-change notification from the workqueue may take. */
#define DEV_CB_TIMEOUT_MS	5000

struct device_fixture {
	struct winiommu_test_snap snap;		/* winiommu_obj_count(WINIOMMU_OBJ_DEVICE) */
	DMA_IOMMU_INTERFACE_EX v2;
	DMA_IOMMU_INTERFACE_EX v3;
	const DMA_IOMMU_INTERFACE_V2 *t;	/* &v2.V2 */
	void *devs[DEV_MAX_LIVE];	/* PIOMMU_DMA_DEVICE */
	unsigned int nr_devs;
	void *doms[DEV_MAX_LIVE];	/* PIOMMU_DMA_DOMAIN */
	unsigned int nr_doms;
	struct {
		PIOMMU_INTERFACE_STATE_CHANGE_CALLBACK cb;
		PIOMMU_DMA_DEVICE dev;
	} cbs[DEV_MAX_CBS];
	unsigned int nr_cbs;
	struct device *noiommu;		/* root device of the no-IOMMU case */
	struct page *page;		/* a page to map */
};

static int device_init(struct kunit *test)
{
	struct device_fixture *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);

	if (!f)
		return -ENOMEM;
	if (IoGetIommuInterfaceEx(DMA_IOMMU_INTERFACE_EX_VERSION_2, 0, &f->v2) != STATUS_SUCCESS ||
	    IoGetIommuInterfaceEx(DMA_IOMMU_INTERFACE_EX_VERSION_3, 0, &f->v3) != STATUS_SUCCESS)
		return -ENODEV;
	f->t = &f->v2.V2;
	winiommu_test_snap_take(&f->snap);
	test->priv = f;
	return 0;
}

static void device_exit(struct kunit *test)
{
	struct device_fixture *f = test->priv;
	NTSTATUS st;

	while (f->nr_cbs) {
		f->nr_cbs--;
		st = f->t->UnregisterInterfaceStateChangeCallback(f->cbs[f->nr_cbs].cb,
								  f->cbs[f->nr_cbs].dev);
		KUNIT_EXPECT_EQ_MSG(test, st, STATUS_SUCCESS, "unregistering a left-over callback");
	}
	/* back to the module's own policy, announced to nobody */
	winiommu_params = f->snap.params;
	winiommu_notify_policy_change();
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
	if (f->noiommu)
		root_device_unregister(f->noiommu);
	if (f->page)
		__free_page(f->page);
	winiommu_test_snap_check(test, &f->snap);
}

/* ---- helpers ---------------------------------------------------------------- */

static struct winiommu_test_edu *dev_need_edu(struct kunit *test)
{
	struct winiommu_test_edu *edu = winiommu_test_edu_get();

	if (!edu)
		kunit_skip(test, "no edu device bound by winiommu_test_edu (driver_managed_dma)");
	return edu;
}

static struct winiommu_test_edu *dev_need_dmaapi_edu(struct kunit *test)
{
	struct winiommu_test_edu *edu = winiommu_test_edu_dmaapi_get();

	if (!edu)
		kunit_skip(test, "no second edu device bound by the DMA-API driver");
	return edu;
}

/* CreateDevice through @t; a created device is tracked. */
static NTSTATUS dev_create_with(struct kunit *test, const DMA_IOMMU_INTERFACE_V2 *t,
				struct device *d, PIOMMU_DEVICE_CREATION_CONFIGURATION cfg,
				PIOMMU_DMA_DEVICE *out)
{
	struct device_fixture *f = test->priv;
	NTSTATUS st = t->CreateDevice(d, cfg, out);

	if (st == STATUS_SUCCESS && out) {
		KUNIT_ASSERT_LT(test, f->nr_devs, DEV_MAX_LIVE);
		f->devs[f->nr_devs++] = *out;
	}
	return st;
}

static NTSTATUS dev_create(struct kunit *test, struct device *d,
			   PIOMMU_DEVICE_CREATION_CONFIGURATION cfg, PIOMMU_DMA_DEVICE *out)
{
	return dev_create_with(test, ((struct device_fixture *)test->priv)->t, d, cfg, out);
}

/* A DMA device for @edu, or the case is skipped when no IOMMU translates it. */
static PIOMMU_DMA_DEVICE dev_create_edu(struct kunit *test, struct winiommu_test_edu *edu)
{
	PIOMMU_DMA_DEVICE h;
	NTSTATUS st;

	st = dev_create(test, &edu->pdev->dev, NULL, &h);
	if (st == STATUS_NOT_FOUND)
		kunit_skip(test, "no IOMMU translates %s", pci_name(edu->pdev));
	KUNIT_ASSERT_EQ(test, st, STATUS_SUCCESS);
	return h;
}

static NTSTATUS dev_delete(struct kunit *test, PIOMMU_DMA_DEVICE h)
{
	struct device_fixture *f = test->priv;
	NTSTATUS st = f->t->DeleteDevice(h);

	if (st == STATUS_SUCCESS)
		winiommu_test_forget(f->devs, &f->nr_devs, h);
	return st;
}

static NTSTATUS dev_domain_create(struct kunit *test, u32 type,
				  PIOMMU_DMA_LOGICAL_ALLOCATOR_CONFIG cfg,
				  PIOMMU_DMA_RESERVED_REGION resv, PIOMMU_DMA_DOMAIN *out)
{
	struct device_fixture *f = test->priv;
	IOMMU_DMA_DOMAIN_CREATION_FLAGS flags = {};
	NTSTATUS st;

	st = f->t->CreateDomainEx((IOMMU_DMA_DOMAIN_TYPE)type, flags, cfg, resv, out);
	if (st == STATUS_SUCCESS) {
		KUNIT_ASSERT_LT(test, f->nr_doms, DEV_MAX_LIVE);
		f->doms[f->nr_doms++] = *out;
	}
	return st;
}

static PIOMMU_DMA_DOMAIN dev_domain(struct kunit *test, u32 type)
{
	PIOMMU_DMA_DOMAIN dom;

	KUNIT_ASSERT_EQ(test, dev_domain_create(test, type, NULL, NULL, &dom), STATUS_SUCCESS);
	return dom;
}

static NTSTATUS dev_domain_delete(struct kunit *test, PIOMMU_DMA_DOMAIN dom)
{
	struct device_fixture *f = test->priv;
	NTSTATUS st = f->t->DeleteDomain(dom);

	if (st == STATUS_SUCCESS)
		winiommu_test_forget(f->doms, &f->nr_doms, dom);
	return st;
}

static NTSTATUS dev_register(struct kunit *test, PIOMMU_INTERFACE_STATE_CHANGE_CALLBACK cb,
			     void *ctx, PIOMMU_DMA_DEVICE dev, ULONG fields)
{
	struct device_fixture *f = test->priv;
	IOMMU_INTERFACE_STATE_CHANGE_FIELDS sf = { .AsULONG = fields };
	NTSTATUS st;

	st = f->t->RegisterInterfaceStateChangeCallback(cb, ctx, dev, &sf);
	KUNIT_EXPECT_EQ_MSG(test, sf.AsULONG, fields, "StateFields was written");
	if (st == STATUS_SUCCESS) {
		KUNIT_ASSERT_LT(test, f->nr_cbs, DEV_MAX_CBS);
		f->cbs[f->nr_cbs].cb = cb;
		f->cbs[f->nr_cbs].dev = dev;
		f->nr_cbs++;
	}
	return st;
}

static NTSTATUS dev_unregister(struct kunit *test, PIOMMU_INTERFACE_STATE_CHANGE_CALLBACK cb,
			       PIOMMU_DMA_DEVICE dev)
{
	struct device_fixture *f = test->priv;
	NTSTATUS st = f->t->UnregisterInterfaceStateChangeCallback(cb, dev);
	unsigned int i;

	if (st != STATUS_SUCCESS)
		return st;
	for (i = 0; i < f->nr_cbs; i++) {
		if (f->cbs[i].cb == cb && f->cbs[i].dev == dev) {
			f->cbs[i] = f->cbs[--f->nr_cbs];
			break;
		}
	}
	return st;
}

/* QueryAvailableDomainTypes; the output must have been written. */
static u32 dev_query(struct kunit *test, PIOMMU_DMA_DEVICE h)
{
	struct device_fixture *f = test->priv;
	ULONG mask;

	memset(&mask, WINIOMMU_TEST_CANARY, sizeof(mask));
	f->t->QueryAvailableDomainTypes(h, &mask);
	KUNIT_EXPECT_FALSE_MSG(test, winiommu_test_untouched(&mask, sizeof(mask)),
			       "AvailableDomains was not written");
	return mask;
}

/* The physical address of the fixture's page, allocated on first use. */
static phys_addr_t dev_page(struct kunit *test)
{
	struct device_fixture *f = test->priv;

	if (!f->page)
		f->page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	KUNIT_ASSERT_NOT_NULL(test, f->page);
	return page_to_phys(f->page);
}

/* MapLogicalRangeEx of one page at @pa; @explicit may be NULL. */
static NTSTATUS dev_map_page(struct kunit *test, PIOMMU_DMA_DOMAIN dom, phys_addr_t pa,
			     u64 *explicit, u64 *min, u64 *out)
{
	struct device_fixture *f = test->priv;
	IOMMU_MAP_PHYSICAL_ADDRESS map = {
		.MapType = MapPhysicalAddressTypeContiguousRange,
		.ContiguousRange.Base.QuadPart = pa,
		.ContiguousRange.Size = PAGE_SIZE,
	};

	return f->t->MapLogicalRangeEx(dom, IOMMU_ACCESS_READ | IOMMU_ACCESS_WRITE, &map,
				       explicit, min, NULL, out);
}

/* The Linux domain the device's group is in now. */
static struct iommu_domain *dev_linux_domain(struct winiommu_test_edu *edu)
{
	return iommu_get_domain_for_dev(&edu->pdev->dev);
}

/* Attached to a winiommu domain: a paging domain that is not the default. */
static void dev_expect_attached(struct kunit *test, struct winiommu_test_edu *edu,
				struct iommu_domain *def)
{
	struct iommu_domain *d = dev_linux_domain(edu);

	KUNIT_ASSERT_NOT_NULL(test, d);
	KUNIT_EXPECT_PTR_NE(test, d, def);
	KUNIT_EXPECT_EQ(test, d->type, IOMMU_DOMAIN_UNMANAGED);
}

/* ---- CreateDevice / DeleteDevice ------------------------------------------- */

static void device_create_delete_test(struct kunit *test)
{
	struct device_fixture *f = test->priv;
	struct winiommu_test_edu *edu = dev_need_edu(test);
	PIOMMU_DMA_DEVICE a, b;
	NTSTATUS st;

	memset(&a, WINIOMMU_TEST_CANARY, sizeof(a));
	st = dev_create(test, &edu->pdev->dev, NULL, &a);
	if (st == STATUS_NOT_FOUND)
		kunit_skip(test, "no IOMMU translates %s", pci_name(edu->pdev));
	KUNIT_ASSERT_EQ(test, st, STATUS_SUCCESS);
	KUNIT_EXPECT_NOT_NULL(test, a);
	KUNIT_EXPECT_FALSE(test, winiommu_test_untouched(&a, sizeof(a)));
	KUNIT_EXPECT_EQ(test, winiommu_obj_count(WINIOMMU_OBJ_DEVICE), f->snap.devices + 1);

	/* a second token for the same device, through the V3 table */
	st = dev_create_with(test, &f->v3.V2, &edu->pdev->dev, NULL, &b);
	KUNIT_ASSERT_EQ(test, st, STATUS_SUCCESS);
	KUNIT_EXPECT_PTR_NE(test, a, b);
	KUNIT_EXPECT_EQ(test, winiommu_obj_count(WINIOMMU_OBJ_DEVICE), f->snap.devices + 2);

	KUNIT_EXPECT_EQ(test, dev_delete(test, a), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, f->v3.V3.DeleteDevice(b), STATUS_SUCCESS);
	winiommu_test_forget(f->devs, &f->nr_devs, b);
	KUNIT_EXPECT_EQ(test, winiommu_obj_count(WINIOMMU_OBJ_DEVICE), f->snap.devices);

	/* deleted handles are stale */
	KUNIT_EXPECT_EQ(test, f->t->DeleteDevice(a), STATUS_INVALID_PARAMETER_1);
	KUNIT_EXPECT_EQ(test, f->v3.V3.DeleteDevice(b), STATUS_INVALID_PARAMETER_1);
}

/* One row per DeviceConfig list shape; entries are chained in order. */
struct device_config_case {
	const char *name;
	unsigned int n;
	u32 type[3];
	u32 pasid_type;
	int last_flink;		/* -1: NULL, else the index the last entry points back to */
	NTSTATUS expect;
};

#define C_NONE	IommuDeviceCreationConfigTypeNone
#define C_ACPI	IommuDeviceCreationConfigTypeAcpi
#define C_DEVID	IommuDeviceCreationConfigTypeDeviceId
#define C_PASID	IommuDeviceCreationConfigTypePasid
#define C_MAX	IommuDeviceCreationConfigTypeMax

static const struct device_config_case device_config_cases[] = {
	{ "None", 1, { C_NONE }, 0, -1, STATUS_SUCCESS },
	{ "None pointing at itself", 1, { C_NONE }, 0, 0, STATUS_SUCCESS },
	{ "Pasid DefaultPasidOnly", 1, { C_PASID }, PasidConfigTypeDefaultPasidOnly, -1,
	  STATUS_SUCCESS },
	/* PasidTaggedDma: STATUS_NOT_SUPPORTED on edu, in the winiommu_pasid suite */
	{ "None then Pasid", 2, { C_NONE, C_PASID }, 0, -1, STATUS_SUCCESS },
	{ "None then Pasid, circular", 2, { C_NONE, C_PASID }, 0, 0, STATUS_SUCCESS },
	{ "Acpi", 1, { C_ACPI }, 0, -1, STATUS_INVALID_PARAMETER_2 },
	{ "DeviceId", 1, { C_DEVID }, 0, -1, STATUS_INVALID_PARAMETER_2 },
	{ "None then Acpi", 2, { C_NONE, C_ACPI }, 0, -1, STATUS_INVALID_PARAMETER_2 },
	{ "None twice", 2, { C_NONE, C_NONE }, 0, -1, STATUS_INVALID_PARAMETER_2 },
	{ "Pasid twice", 2, { C_PASID, C_PASID }, 0, -1, STATUS_INVALID_PARAMETER_2 },
	{ "cycle not through the first entry", 3, { C_NONE, C_PASID, C_ACPI }, 0, 1,
	  STATUS_INVALID_PARAMETER_2 },
	{ "Pasid type Max", 1, { C_PASID }, PasidConfigTypeMax, -1, STATUS_INVALID_PARAMETER_2 },
	{ "ConfigType Max", 1, { C_MAX }, 0, -1, STATUS_INVALID_PARAMETER_2 },
	{ "ConfigType 0xffffffff", 1, { 0xffffffff }, 0, -1, STATUS_INVALID_PARAMETER_2 },
};

KUNIT_ARRAY_PARAM_DESC(device_config, device_config_cases, name);

static void device_create_config_test(struct kunit *test)
{
	const struct device_config_case *c = test->param_value;
	struct device_fixture *f = test->priv;
	struct winiommu_test_edu *edu = dev_need_edu(test);
	IOMMU_DEVICE_CREATION_CONFIGURATION cfg[3], copy[3];
	PIOMMU_DMA_DEVICE out;
	unsigned int i;
	NTSTATUS st;

	memset(cfg, 0, sizeof(cfg));
	for (i = 0; i < c->n; i++) {
		cfg[i].ConfigType = c->type[i];
		if (c->type[i] == C_PASID) {
			cfg[i].Pasid.ConfigType = c->pasid_type;
			cfg[i].Pasid.SuppressPasidFaults = TRUE;
		} else if (c->type[i] == C_ACPI) {
			cfg[i].Acpi.InputMappingBase = 0x10;
			cfg[i].Acpi.MappingsCount = 1;
		}
		cfg[i].NextConfiguration.Flink = i + 1 < c->n ? &cfg[i + 1].NextConfiguration :
				c->last_flink < 0 ? NULL : &cfg[c->last_flink].NextConfiguration;
		cfg[i].NextConfiguration.Blink = i ? &cfg[i - 1].NextConfiguration : NULL;
	}
	memcpy(copy, cfg, sizeof(cfg));
	memset(&out, WINIOMMU_TEST_CANARY, sizeof(out));

	st = dev_create(test, &edu->pdev->dev, cfg, &out);
	if (st == STATUS_NOT_FOUND)
		kunit_skip(test, "no IOMMU translates %s", pci_name(edu->pdev));
	KUNIT_EXPECT_EQ(test, st, c->expect);
	KUNIT_EXPECT_MEMEQ_MSG(test, cfg, copy, sizeof(cfg), "DeviceConfig was written");
	if (st != STATUS_SUCCESS) {
		KUNIT_EXPECT_TRUE(test, winiommu_test_untouched(&out, sizeof(out)));
		KUNIT_EXPECT_EQ(test, winiommu_obj_count(WINIOMMU_OBJ_DEVICE), f->snap.devices);
		/* a bad DeviceConfig is reported before a NULL DmaDeviceOut */
		st = f->t->CreateDevice(&edu->pdev->dev, cfg, NULL);
		KUNIT_EXPECT_EQ(test, st, c->expect);
		return;
	}
	KUNIT_EXPECT_EQ(test, dev_delete(test, out), STATUS_SUCCESS);
}

static void dev_noop_release(struct device *dev)
{
}

/* NULL or unregistered DeviceObject, NULL DmaDeviceOut. */
static void device_create_bad_args_test(struct kunit *test)
{
	struct device_fixture *f = test->priv;
	struct winiommu_test_edu *edu = winiommu_test_edu_get();
	IOMMU_DEVICE_CREATION_CONFIGURATION acpi = { .ConfigType = C_ACPI };
	PIOMMU_DMA_DEVICE out;
	struct device *unreg;
	NTSTATUS st;

	memset(&out, WINIOMMU_TEST_CANARY, sizeof(out));
	st = f->t->CreateDevice(NULL, NULL, &out);
	KUNIT_EXPECT_EQ(test, st, STATUS_INVALID_PARAMETER);
	st = f->t->CreateDevice(NULL, NULL, NULL);
	KUNIT_EXPECT_EQ(test, st, STATUS_INVALID_PARAMETER);
	st = f->v3.V3.CreateDevice(NULL, &acpi, &out);
	KUNIT_EXPECT_EQ(test, st, STATUS_INVALID_PARAMETER);

	/* a struct device that was never added */
	unreg = kunit_kzalloc(test, sizeof(*unreg), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, unreg);
	device_initialize(unreg);
	unreg->release = dev_noop_release;
	st = f->t->CreateDevice(unreg, NULL, &out);
	put_device(unreg);
	KUNIT_EXPECT_EQ(test, st, STATUS_INVALID_PARAMETER);
	KUNIT_EXPECT_TRUE(test, winiommu_test_untouched(&out, sizeof(out)));

	if (edu) {
		st = f->t->CreateDevice(&edu->pdev->dev, NULL, NULL);
		KUNIT_EXPECT_EQ(test, st, STATUS_INVALID_PARAMETER_3);
	}
	KUNIT_EXPECT_EQ(test, winiommu_obj_count(WINIOMMU_OBJ_DEVICE), f->snap.devices);
}

/* A device no IOMMU translates: STATUS_NOT_FOUND, nothing created. */
static void device_create_noiommu_test(struct kunit *test)
{
	struct device_fixture *f = test->priv;
	PIOMMU_DMA_DEVICE out;
	NTSTATUS st;

	f->noiommu = winiommu_test_root_device("winiommu-test-noiommu");
	KUNIT_ASSERT_NOT_NULL(test, f->noiommu);
	memset(&out, WINIOMMU_TEST_CANARY, sizeof(out));
	st = dev_create(test, f->noiommu, NULL, &out);
	KUNIT_EXPECT_EQ(test, st, STATUS_NOT_FOUND);
	KUNIT_EXPECT_TRUE(test, winiommu_test_untouched(&out, sizeof(out)));
	KUNIT_EXPECT_EQ(test, winiommu_obj_count(WINIOMMU_OBJ_DEVICE), f->snap.devices);
	/* a bad configuration is still reported first */
	st = dev_create(test, f->noiommu, &(IOMMU_DEVICE_CREATION_CONFIGURATION){
				.ConfigType = C_ACPI }, &out);
	KUNIT_EXPECT_EQ(test, st, STATUS_INVALID_PARAMETER_2);
	root_device_unregister(f->noiommu);
	f->noiommu = NULL;
}

/* ---- QueryAvailableDomainTypes ------------------------------------------- */

static void device_query_types_test(struct kunit *test)
{
	struct device_fixture *f = test->priv;
	struct winiommu_test_edu *edu = dev_need_edu(test);
	struct winiommu_test_edu *other = winiommu_test_edu_dmaapi_get();
	PIOMMU_DMA_DEVICE h = dev_create_edu(test, edu), h2;
	ULONG mask;

	/* the defaults: DMA Guard policy 1, PassThrough allowed, a trusted device */
	WRITE_ONCE(winiommu_params.allow_passthrough, true);
	WRITE_ONCE(winiommu_params.dma_guard_policy, 1);
	KUNIT_EXPECT_EQ(test, dev_query(test, h), TYPES_ALL);
	WRITE_ONCE(winiommu_params.dma_guard_policy, 0);
	KUNIT_EXPECT_EQ(test, dev_query(test, h), TYPES_NO_PT);
	WRITE_ONCE(winiommu_params.dma_guard_policy, 2);
	KUNIT_EXPECT_EQ(test, dev_query(test, h), TYPES_ALL);
	WRITE_ONCE(winiommu_params.allow_passthrough, false);
	KUNIT_EXPECT_EQ(test, dev_query(test, h), TYPES_NO_PT);
	winiommu_params = f->snap.params;

	/* the DMA-API device is offered the same types: they are about the IOMMU */
	if (other) {
		KUNIT_ASSERT_EQ(test, dev_create(test, &other->pdev->dev, NULL, &h2),
				STATUS_SUCCESS);
		KUNIT_EXPECT_EQ(test, dev_query(test, h2), dev_query(test, h));
		KUNIT_EXPECT_EQ(test, dev_delete(test, h2), STATUS_SUCCESS);
	}

	/* no device, no output: nothing is written, nothing breaks */
	memset(&mask, WINIOMMU_TEST_CANARY, sizeof(mask));
	f->t->QueryAvailableDomainTypes(NULL, &mask);
	KUNIT_EXPECT_TRUE(test, winiommu_test_untouched(&mask, sizeof(mask)));
	f->v3.V3.QueryAvailableDomainTypes((PIOMMU_DMA_DEVICE)&mask, &mask);
	KUNIT_EXPECT_TRUE(test, winiommu_test_untouched(&mask, sizeof(mask)));
	f->t->QueryAvailableDomainTypes(h, NULL);
	KUNIT_EXPECT_EQ(test, dev_delete(test, h), STATUS_SUCCESS);
	f->t->QueryAvailableDomainTypes(h, &mask);
	KUNIT_EXPECT_TRUE_MSG(test, winiommu_test_untouched(&mask, sizeof(mask)),
			      "a deleted device was answered");
}

/* ---- AttachDeviceEx / DetachDeviceEx ------------------------------------ */

static void device_attach_detach_test(struct kunit *test)
{
	struct device_fixture *f = test->priv;
	struct winiommu_test_edu *edu = dev_need_edu(test);
	PIOMMU_DMA_DEVICE h = dev_create_edu(test, edu);
	struct iommu_domain *def = dev_linux_domain(edu);
	PIOMMU_DMA_DOMAIN dom = dev_domain(test, DomainTypeTranslate);
	PIOMMU_DMA_DOMAIN other = dev_domain(test, DomainTypeTranslate);
	struct iommu_domain *d;

	KUNIT_ASSERT_NOT_NULL(test, def);
	KUNIT_EXPECT_EQ(test, f->t->AttachDeviceEx(dom, h), STATUS_SUCCESS);
	dev_expect_attached(test, edu, def);
	d = dev_linux_domain(edu);

	/* one domain at a time */
	KUNIT_EXPECT_EQ(test, f->t->AttachDeviceEx(dom, h), STATUS_INVALID_PARAMETER);
	KUNIT_EXPECT_EQ(test, f->v3.V3.AttachDeviceEx(other, h), STATUS_INVALID_PARAMETER);
	KUNIT_EXPECT_PTR_EQ(test, dev_linux_domain(edu), d);

	/* nothing attached may go away */
	KUNIT_EXPECT_EQ(test, dev_delete(test, h), STATUS_RESOURCE_IN_USE);
	KUNIT_EXPECT_EQ(test, dev_domain_delete(test, dom), STATUS_RESOURCE_IN_USE);
	KUNIT_EXPECT_PTR_EQ(test, dev_linux_domain(edu), d);
	KUNIT_EXPECT_EQ(test, dev_domain_delete(test, other), STATUS_SUCCESS);

	KUNIT_EXPECT_EQ(test, f->t->DetachDeviceEx(h), STATUS_SUCCESS);
	KUNIT_EXPECT_PTR_EQ(test, dev_linux_domain(edu), def);
	KUNIT_EXPECT_EQ(test, f->v3.V3.DetachDeviceEx(h), STATUS_INVALID_PARAMETER_1);
	KUNIT_EXPECT_PTR_EQ(test, dev_linux_domain(edu), def);

	KUNIT_EXPECT_EQ(test, dev_domain_delete(test, dom), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, dev_delete(test, h), STATUS_SUCCESS);
}

/* Detach, then attach elsewhere; the Windows domain outlives its Linux one. */
static void device_attach_move_test(struct kunit *test)
{
	struct device_fixture *f = test->priv;
	struct winiommu_test_edu *edu = dev_need_edu(test);
	PIOMMU_DMA_DEVICE h = dev_create_edu(test, edu);
	struct iommu_domain *def = dev_linux_domain(edu);
	PIOMMU_DMA_DOMAIN a = dev_domain(test, DomainTypeTranslate);
	PIOMMU_DMA_DOMAIN b = dev_domain(test, DomainTypeTranslateS1);

	KUNIT_ASSERT_EQ(test, f->t->AttachDeviceEx(a, h), STATUS_SUCCESS);
	KUNIT_ASSERT_EQ(test, f->t->DetachDeviceEx(h), STATUS_SUCCESS);
	KUNIT_ASSERT_EQ(test, f->t->AttachDeviceEx(b, h), STATUS_SUCCESS);
	dev_expect_attached(test, edu, def);
	KUNIT_ASSERT_EQ(test, f->t->DetachDeviceEx(h), STATUS_SUCCESS);
	KUNIT_ASSERT_EQ(test, f->t->AttachDeviceEx(a, h), STATUS_SUCCESS);
	dev_expect_attached(test, edu, def);
	KUNIT_ASSERT_EQ(test, f->t->DetachDeviceEx(h), STATUS_SUCCESS);
	KUNIT_EXPECT_PTR_EQ(test, dev_linux_domain(edu), def);
}

static const u32 device_paging_types[] = { DomainTypeUnmanaged, DomainTypeTranslateS1 };

static void device_type_desc(const u32 *t, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s",
		 *t == DomainTypeUnmanaged ? "Unmanaged" : "TranslateS1");
}

KUNIT_ARRAY_PARAM(device_types, device_paging_types, device_type_desc);

static void device_attach_types_test(struct kunit *test)
{
	const u32 *type = test->param_value;
	struct device_fixture *f = test->priv;
	struct winiommu_test_edu *edu = dev_need_edu(test);
	PIOMMU_DMA_DEVICE h = dev_create_edu(test, edu);
	struct iommu_domain *def = dev_linux_domain(edu);
	PIOMMU_DMA_DOMAIN dom = dev_domain(test, *type);

	KUNIT_ASSERT_EQ(test, f->t->AttachDeviceEx(dom, h), STATUS_SUCCESS);
	dev_expect_attached(test, edu, def);
	KUNIT_EXPECT_EQ(test, dev_domain_delete(test, dom), STATUS_RESOURCE_IN_USE);
	KUNIT_EXPECT_EQ(test, f->t->DetachDeviceEx(h), STATUS_SUCCESS);
	KUNIT_EXPECT_PTR_EQ(test, dev_linux_domain(edu), def);
}

/* A device whose driver uses the DMA API is not taken from it. */
static void device_attach_dmaapi_test(struct kunit *test)
{
	struct device_fixture *f = test->priv;
	struct winiommu_test_edu *edu = dev_need_dmaapi_edu(test);
	PIOMMU_DMA_DEVICE h = dev_create_edu(test, edu);
	struct iommu_domain *def = dev_linux_domain(edu);
	static const u32 types[] = {
		DomainTypeTranslate, DomainTypePassThrough, DomainTypeUnmanaged,
		DomainTypeTranslateS1,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(types); i++) {
		PIOMMU_DMA_DOMAIN dom = dev_domain(test, types[i]);

		KUNIT_EXPECT_EQ_MSG(test, f->t->AttachDeviceEx(dom, h), STATUS_ACCESS_DENIED,
				    "type %u", types[i]);
		KUNIT_EXPECT_PTR_EQ(test, dev_linux_domain(edu), def);
		KUNIT_EXPECT_EQ(test, f->t->DetachDeviceEx(h), STATUS_INVALID_PARAMETER_1);
		KUNIT_EXPECT_EQ(test, dev_domain_delete(test, dom), STATUS_SUCCESS);
	}
	KUNIT_EXPECT_EQ(test, dev_delete(test, h), STATUS_SUCCESS);
}

/* Unknown, stale and wrong-kind handles. */
static void device_attach_bad_handles_test(struct kunit *test)
{
	struct device_fixture *f = test->priv;
	struct winiommu_test_edu *edu = dev_need_edu(test);
	PIOMMU_DMA_DEVICE h = dev_create_edu(test, edu), stale;
	struct iommu_domain *def = dev_linux_domain(edu);
	PIOMMU_DMA_DOMAIN dom = dev_domain(test, DomainTypeTranslate), gone;
	u64 junk = 0;

	KUNIT_EXPECT_EQ(test, f->t->AttachDeviceEx(NULL, h), STATUS_INVALID_PARAMETER_1);
	KUNIT_EXPECT_EQ(test, f->t->AttachDeviceEx((PIOMMU_DMA_DOMAIN)h, h),
			STATUS_INVALID_PARAMETER_1);
	KUNIT_EXPECT_EQ(test, f->t->AttachDeviceEx((PIOMMU_DMA_DOMAIN)&junk, h),
			STATUS_INVALID_PARAMETER_1);
	KUNIT_EXPECT_EQ(test, f->t->AttachDeviceEx(dom, NULL), STATUS_INVALID_PARAMETER_2);
	KUNIT_EXPECT_EQ(test, f->t->AttachDeviceEx(dom, (PIOMMU_DMA_DEVICE)dom),
			STATUS_INVALID_PARAMETER_2);
	KUNIT_EXPECT_EQ(test, f->t->AttachDeviceEx(NULL, NULL), STATUS_INVALID_PARAMETER_1);
	KUNIT_EXPECT_EQ(test, f->t->DetachDeviceEx(NULL), STATUS_INVALID_PARAMETER_1);
	KUNIT_EXPECT_EQ(test, f->t->DetachDeviceEx((PIOMMU_DMA_DEVICE)dom),
			STATUS_INVALID_PARAMETER_1);
	KUNIT_EXPECT_EQ(test, f->t->DeleteDevice(NULL), STATUS_INVALID_PARAMETER_1);
	KUNIT_EXPECT_EQ(test, f->t->DeleteDevice((PIOMMU_DMA_DEVICE)dom),
			STATUS_INVALID_PARAMETER_1);
	KUNIT_EXPECT_EQ(test, f->t->DeleteDevice((PIOMMU_DMA_DEVICE)&junk),
			STATUS_INVALID_PARAMETER_1);
	KUNIT_EXPECT_EQ(test, f->t->DeleteDomain((PIOMMU_DMA_DOMAIN)h),
			STATUS_INVALID_PARAMETER_1);
	KUNIT_EXPECT_EQ(test, junk, 0);

	/* a deleted domain, a deleted device */
	KUNIT_ASSERT_EQ(test, dev_domain_create(test, DomainTypeTranslate, NULL, NULL, &gone),
			STATUS_SUCCESS);
	KUNIT_ASSERT_EQ(test, dev_domain_delete(test, gone), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, f->t->AttachDeviceEx(gone, h), STATUS_INVALID_PARAMETER_1);
	stale = dev_create_edu(test, edu);
	KUNIT_ASSERT_EQ(test, dev_delete(test, stale), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, f->t->AttachDeviceEx(dom, stale), STATUS_INVALID_PARAMETER_2);
	KUNIT_EXPECT_EQ(test, f->t->DetachDeviceEx(stale), STATUS_INVALID_PARAMETER_1);
	KUNIT_EXPECT_PTR_EQ(test, dev_linux_domain(edu), def);

	/* the live ones still work */
	KUNIT_EXPECT_EQ(test, f->t->AttachDeviceEx(dom, h), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, f->t->DetachDeviceEx(h), STATUS_SUCCESS);
}

/* A second token for an attached device cannot attach too. */
static void device_attach_two_tokens_test(struct kunit *test)
{
	struct device_fixture *f = test->priv;
	struct winiommu_test_edu *edu = dev_need_edu(test);
	PIOMMU_DMA_DEVICE a = dev_create_edu(test, edu), b = dev_create_edu(test, edu);
	struct iommu_domain *def = dev_linux_domain(edu), *d;
	PIOMMU_DMA_DOMAIN x = dev_domain(test, DomainTypeTranslate);
	PIOMMU_DMA_DOMAIN y = dev_domain(test, DomainTypeTranslate);

	KUNIT_ASSERT_EQ(test, f->t->AttachDeviceEx(x, a), STATUS_SUCCESS);
	d = dev_linux_domain(edu);
	KUNIT_EXPECT_EQ(test, f->t->AttachDeviceEx(x, b), STATUS_ACCESS_DENIED);
	KUNIT_EXPECT_EQ(test, f->t->AttachDeviceEx(y, b), STATUS_ACCESS_DENIED);
	KUNIT_EXPECT_PTR_EQ(test, dev_linux_domain(edu), d);
	KUNIT_EXPECT_EQ(test, f->t->DetachDeviceEx(b), STATUS_INVALID_PARAMETER_1);
	KUNIT_EXPECT_EQ(test, f->t->DetachDeviceEx(a), STATUS_SUCCESS);
	KUNIT_EXPECT_PTR_EQ(test, dev_linux_domain(edu), def);
	/* the other token may have it now */
	KUNIT_EXPECT_EQ(test, f->t->AttachDeviceEx(y, b), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, f->t->DetachDeviceEx(b), STATUS_SUCCESS);
	KUNIT_EXPECT_PTR_EQ(test, dev_linux_domain(edu), def);
}

/* dma_guard_policy=0 takes PassThrough away: ACCESS_DENIED, nothing changes. */
static void device_attach_policy_test(struct kunit *test)
{
	struct device_fixture *f = test->priv;
	struct winiommu_test_edu *edu = dev_need_edu(test);
	PIOMMU_DMA_DEVICE h = dev_create_edu(test, edu);
	struct iommu_domain *def = dev_linux_domain(edu);
	PIOMMU_DMA_DOMAIN pt = dev_domain(test, DomainTypePassThrough);
	PIOMMU_DMA_DOMAIN tr = dev_domain(test, DomainTypeTranslate);

	WRITE_ONCE(winiommu_params.dma_guard_policy, 0);
	KUNIT_EXPECT_EQ(test, f->t->AttachDeviceEx(pt, h), STATUS_ACCESS_DENIED);
	KUNIT_EXPECT_PTR_EQ(test, dev_linux_domain(edu), def);
	KUNIT_EXPECT_EQ(test, f->t->AttachDeviceEx(tr, h), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, f->t->DetachDeviceEx(h), STATUS_SUCCESS);
	WRITE_ONCE(winiommu_params.dma_guard_policy, 2);
	KUNIT_EXPECT_EQ(test, f->t->AttachDeviceEx(pt, h), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, f->t->DetachDeviceEx(h), STATUS_SUCCESS);
	KUNIT_EXPECT_PTR_EQ(test, dev_linux_domain(edu), def);
}

/* ---- what the Linux domain holds after attach ------------------------------- */

/* ShouldMap regions are identity-mapped in the Linux domain at every attach. */
static void device_resv_replay_test(struct kunit *test)
{
	struct device_fixture *f = test->priv;
	struct winiommu_test_edu *edu = dev_need_edu(test);
	PIOMMU_DMA_DEVICE h = dev_create_edu(test, edu);
	IOMMU_DMA_RESERVED_REGION resv[2] = {
		{ .RegionNext = &resv[1], .Base = DEV_RESV_BASE, .NumberOfPages = DEV_RESV_PAGES,
		  .ShouldMap = TRUE },
		{ .Base = DEV_HOLE_BASE, .NumberOfPages = 2, .ShouldMap = FALSE },
	};
	phys_addr_t pa = dev_page(test);
	PIOMMU_DMA_DOMAIN dom;
	struct iommu_domain *d;
	unsigned int pass, i;
	u64 addr, out;

	KUNIT_ASSERT_EQ(test, dev_domain_create(test, DomainTypeTranslate, NULL, resv, &dom),
			STATUS_SUCCESS);
	for (pass = 0; pass < 2; pass++) {
		KUNIT_ASSERT_EQ(test, f->t->AttachDeviceEx(dom, h), STATUS_SUCCESS);
		d = dev_linux_domain(edu);
		KUNIT_ASSERT_NOT_NULL(test, d);
		for (i = 0; i < DEV_RESV_PAGES; i++) {
			addr = DEV_RESV_BASE + i * PAGE_SIZE;
			KUNIT_EXPECT_EQ_MSG(test, iommu_iova_to_phys(d, addr), addr,
					    "attach %u, page %u", pass, i);
		}
		KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(d, DEV_RESV_BASE +
							  DEV_RESV_PAGES * PAGE_SIZE), 0);
		KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(d, DEV_HOLE_BASE), 0);

		/* both regions are occupied for mappings */
		addr = DEV_RESV_BASE;
		out = WINIOMMU_TEST_BAD_ADDR;
		KUNIT_EXPECT_EQ(test, dev_map_page(test, dom, pa, &addr, NULL, &out),
				STATUS_IN_USE);
		addr = DEV_HOLE_BASE + PAGE_SIZE;
		KUNIT_EXPECT_EQ(test, dev_map_page(test, dom, pa, &addr, NULL, &out),
				STATUS_IN_USE);
		KUNIT_EXPECT_EQ(test, out, WINIOMMU_TEST_BAD_ADDR);
		KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(d, DEV_HOLE_BASE + PAGE_SIZE), 0);
		KUNIT_ASSERT_EQ(test, f->t->DetachDeviceEx(h), STATUS_SUCCESS);
	}
}

/* A mapping made before the first attach is replayed into the Linux domain. */
static void device_map_replay_test(struct kunit *test)
{
	struct device_fixture *f = test->priv;
	struct winiommu_test_edu *edu = dev_need_edu(test);
	PIOMMU_DMA_DEVICE h = dev_create_edu(test, edu);
	PIOMMU_DMA_DOMAIN dom = dev_domain(test, DomainTypeTranslate);
	phys_addr_t pa = dev_page(test);
	u64 addr = DEV_MAP_ADDR, out = WINIOMMU_TEST_BAD_ADDR;
	struct iommu_domain *d;
	unsigned int pass;

	KUNIT_ASSERT_EQ(test, dev_map_page(test, dom, pa, &addr, NULL, &out), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, out, DEV_MAP_ADDR);
	for (pass = 0; pass < 2; pass++) {
		KUNIT_ASSERT_EQ(test, f->t->AttachDeviceEx(dom, h), STATUS_SUCCESS);
		d = dev_linux_domain(edu);
		KUNIT_ASSERT_NOT_NULL(test, d);
		KUNIT_EXPECT_EQ_MSG(test, iommu_iova_to_phys(d, DEV_MAP_ADDR), pa,
				    "attach %u", pass);
		KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(d, DEV_MAP_ADDR + 0x123), pa + 0x123);
		KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(d, DEV_MAP_ADDR + PAGE_SIZE), 0);
		if (pass)
			break;
		KUNIT_ASSERT_EQ(test, f->t->DetachDeviceEx(h), STATUS_SUCCESS);
	}
	/* unmapping while attached reaches the Linux domain */
	KUNIT_EXPECT_EQ(test, f->t->UnmapLogicalRange(dom, DEV_MAP_ADDR, 1), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(d, DEV_MAP_ADDR), 0);
	KUNIT_EXPECT_EQ(test, f->t->DetachDeviceEx(h), STATUS_SUCCESS);
}

/*
 * PassThrough: the group stays in an identity domain, or (these guests'
 * default domains translate) gets a paging domain with all RAM mapped 1:1.
 */
static void device_passthrough_test(struct kunit *test)
{
	struct device_fixture *f = test->priv;
	struct winiommu_test_edu *edu = dev_need_edu(test);
	PIOMMU_DMA_DEVICE h = dev_create_edu(test, edu);
	struct iommu_domain *def = dev_linux_domain(edu), *d;
	PIOMMU_DMA_DOMAIN dom = dev_domain(test, DomainTypePassThrough);
	phys_addr_t pa = dev_page(test);
	void *buf = kunit_kmalloc(test, PAGE_SIZE, GFP_KERNEL);
	phys_addr_t pb;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	pb = virt_to_phys(buf);
	KUNIT_ASSERT_EQ(test, f->t->AttachDeviceEx(dom, h), STATUS_SUCCESS);
	d = dev_linux_domain(edu);
	KUNIT_ASSERT_NOT_NULL(test, d);
	if (d->type == IOMMU_DOMAIN_IDENTITY) {
		kunit_info(test, "the group's default domain is an identity domain\n");
		KUNIT_EXPECT_PTR_EQ(test, d, def);
	} else {
		KUNIT_EXPECT_PTR_NE(test, d, def);
		KUNIT_EXPECT_EQ(test, d->type, IOMMU_DOMAIN_UNMANAGED);
		KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(d, pa), pa);
		KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(d, pb), pb);
		KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(d, pb + 0x40), pb + 0x40);
	}
	KUNIT_EXPECT_EQ(test, dev_domain_delete(test, dom), STATUS_RESOURCE_IN_USE);
	KUNIT_EXPECT_EQ(test, f->t->DetachDeviceEx(h), STATUS_SUCCESS);
	KUNIT_EXPECT_PTR_EQ(test, dev_linux_domain(edu), def);
}

/*
 * The allocator is clamped at attach to what the device reaches: with
 * AddressWidth 63 the block still lies inside the aperture and the DMA
 * mask, and a window wholly above them has no room.
 */
static void device_alloc_clamp_test(struct kunit *test)
{
	struct device_fixture *f = test->priv;
	struct winiommu_test_edu *edu = dev_need_edu(test);
	PIOMMU_DMA_DEVICE h = dev_create_edu(test, edu);
	IOMMU_DMA_LOGICAL_ALLOCATOR_CONFIG cfg = {
		.LogicalAllocatorType = IommuDmaLogicalAllocatorBuddy,
		.BuddyAllocatorConfig.AddressWidth = 63,
	};
	u64 mask = dma_get_mask(&edu->pdev->dev);
	phys_addr_t pa = dev_page(test);
	u64 out = WINIOMMU_TEST_BAD_ADDR, min;
	PIOMMU_DMA_DOMAIN dom;
	struct iommu_domain *d;

	KUNIT_ASSERT_EQ(test, dev_domain_create(test, DomainTypeTranslate, &cfg, NULL, &dom),
			STATUS_SUCCESS);
	KUNIT_ASSERT_EQ(test, f->t->AttachDeviceEx(dom, h), STATUS_SUCCESS);
	d = dev_linux_domain(edu);
	KUNIT_ASSERT_NOT_NULL(test, d);
	KUNIT_ASSERT_EQ(test, dev_map_page(test, dom, pa, NULL, NULL, &out), STATUS_SUCCESS);
	kunit_info(test, "aperture [%#llx, %#llx]%s, DMA mask %#llx: got %#llx\n",
		   (u64)d->geometry.aperture_start, (u64)d->geometry.aperture_end,
		   d->geometry.force_aperture ? " forced" : "", mask, out);
	KUNIT_EXPECT_NE(test, out, 0);
	KUNIT_EXPECT_LT(test, out, (u64)d->geometry.aperture_end);
	KUNIT_EXPECT_LE(test, out + PAGE_SIZE - 1, mask);
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(d, out), pa);

	min = min_t(u64, d->geometry.aperture_end, mask) + 1;
	if (min && min < BIT_ULL(62)) {
		u64 out2 = WINIOMMU_TEST_BAD_ADDR;

		KUNIT_EXPECT_EQ(test, dev_map_page(test, dom, pa, NULL, &min, &out2),
				STATUS_INVALID_PARAMETER_MIX);
		KUNIT_EXPECT_EQ(test, out2, WINIOMMU_TEST_BAD_ADDR);
	}
	KUNIT_EXPECT_EQ(test, f->t->UnmapLogicalRange(dom, out, 1), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(d, out), 0);
	KUNIT_EXPECT_EQ(test, f->t->DetachDeviceEx(h), STATUS_SUCCESS);
}

/* ---- state-change callbacks ------------------------------------------------- */

/**
 * struct dev_cb_rec - what a state-change callback saw.
 * @t: the table, for the calls made from inside the callback.
 * @dev: the device the registration is for.
 * @called: completed once per call.
 * @calls: calls so far.
 * @present: PresentFields of the last call.
 * @mask: AvailableDomainTypes of the last call.
 * @caller: the thread that registered.
 * @in_caller: the last call ran in @caller, inside the Register call.
 * @detach: DetachDeviceEx(@dev) from inside (needs the device's lock).
 * @unregister: UnregisterInterfaceStateChangeCallback of a foreign callback
 *	from inside (needs the callback list's lock).
 */
struct dev_cb_rec {
	const DMA_IOMMU_INTERFACE_V2 *t;
	PIOMMU_DMA_DEVICE dev;
	struct completion called;
	unsigned int calls;
	u32 present;
	u32 mask;
	struct task_struct *caller;
	bool in_caller;
	NTSTATUS detach;
	NTSTATUS unregister;
};

static VOID dev_other_cb(PIOMMU_INTERFACE_STATE_CHANGE change, PVOID ctx)
{
}

static VOID dev_state_cb(PIOMMU_INTERFACE_STATE_CHANGE change, PVOID ctx)
{
	struct dev_cb_rec *r = ctx;

	r->present = change->PresentFields.AsULONG;
	r->mask = change->AvailableDomainTypes;
	r->in_caller = current == r->caller;
	/* no winiommu lock is held while a callback runs */
	r->detach = r->t->DetachDeviceEx(r->dev);
	r->unregister = r->t->UnregisterInterfaceStateChangeCallback(dev_other_cb, r->dev);
	r->calls++;
	complete(&r->called);
}

static struct dev_cb_rec *dev_cb_rec(struct kunit *test, PIOMMU_DMA_DEVICE h)
{
	struct dev_cb_rec *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, r);
	r->t = ((struct device_fixture *)test->priv)->t;
	r->dev = h;
	r->caller = current;
	init_completion(&r->called);
	return r;
}

/* Change the DMA Guard policy as the module parameter does. */
static void dev_set_policy(unsigned int policy)
{
	WRITE_ONCE(winiommu_params.dma_guard_policy, policy);
	winiommu_notify_policy_change();
}

static bool dev_cb_wait(struct dev_cb_rec *r)
{
	return wait_for_completion_timeout(&r->called, msecs_to_jiffies(DEV_CB_TIMEOUT_MS));
}

static void device_state_cb_test(struct kunit *test)
{
	struct device_fixture *f = test->priv;
	struct winiommu_test_edu *edu = dev_need_edu(test);
	PIOMMU_DMA_DEVICE h = dev_create_edu(test, edu), stale;
	struct dev_cb_rec *r = dev_cb_rec(test, h);
	IOMMU_INTERFACE_STATE_CHANGE_FIELDS one = { .AsULONG = 1 };
	NTSTATUS st;
	u32 mask;

	WRITE_ONCE(winiommu_params.allow_passthrough, true);
	WRITE_ONCE(winiommu_params.dma_guard_policy, 1);
	mask = dev_query(test, h);

	/* refused registrations call nothing */
	KUNIT_EXPECT_EQ(test, dev_register(test, dev_state_cb, r, h, 0),
			STATUS_INVALID_PARAMETER_4);
	KUNIT_EXPECT_EQ(test, dev_register(test, dev_state_cb, r, h, 2),
			STATUS_INVALID_PARAMETER_4);
	KUNIT_EXPECT_EQ(test, dev_register(test, dev_state_cb, r, h, 3),
			STATUS_INVALID_PARAMETER_4);
	KUNIT_EXPECT_EQ(test, f->t->RegisterInterfaceStateChangeCallback(dev_state_cb, r, h, NULL),
			STATUS_INVALID_PARAMETER_4);
	KUNIT_EXPECT_EQ(test, dev_register(test, NULL, r, h, 1), STATUS_INVALID_PARAMETER_1);
	KUNIT_EXPECT_EQ(test, dev_register(test, dev_state_cb, r, NULL, 1),
			STATUS_INVALID_PARAMETER_3);
	KUNIT_EXPECT_EQ(test, dev_register(test, dev_state_cb, r, (PIOMMU_DMA_DEVICE)r, 1),
			STATUS_INVALID_PARAMETER_3);
	KUNIT_EXPECT_EQ(test, r->calls, 0);

	/* registration: one synchronous call with the current types */
	KUNIT_ASSERT_EQ(test, dev_register(test, dev_state_cb, r, h, 1), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, r->calls, 1);
	KUNIT_EXPECT_TRUE(test, try_wait_for_completion(&r->called));
	KUNIT_EXPECT_TRUE(test, r->in_caller);
	KUNIT_EXPECT_EQ(test, r->present, 1);
	KUNIT_EXPECT_EQ(test, r->mask, mask);
	KUNIT_EXPECT_EQ(test, r->mask, TYPES_ALL);
	KUNIT_EXPECT_EQ(test, r->detach, STATUS_INVALID_PARAMETER_1);
	KUNIT_EXPECT_EQ(test, r->unregister, STATUS_UNSUCCESSFUL);

	/* one callback per device */
	KUNIT_EXPECT_EQ(test, dev_register(test, dev_state_cb, r, h, 1), STATUS_UNSUCCESSFUL);
	KUNIT_EXPECT_EQ(test, dev_register(test, dev_other_cb, NULL, h, 1), STATUS_UNSUCCESSFUL);
	st = f->v3.V3.RegisterInterfaceStateChangeCallback(dev_state_cb, r, h, &one);
	KUNIT_EXPECT_EQ(test, st, STATUS_UNSUCCESSFUL);
	KUNIT_EXPECT_EQ(test, dev_register(test, dev_state_cb, r, h, 0),
			STATUS_INVALID_PARAMETER_4);
	KUNIT_EXPECT_EQ(test, r->calls, 1);

	/* a registered device cannot go */
	KUNIT_EXPECT_EQ(test, dev_delete(test, h), STATUS_RESOURCE_IN_USE);

	/* the policy changes: one call from the workqueue with the new types */
	dev_set_policy(0);
	KUNIT_ASSERT_TRUE_MSG(test, dev_cb_wait(r), "no notification within %u ms",
			      DEV_CB_TIMEOUT_MS);
	KUNIT_EXPECT_EQ(test, r->calls, 2);
	KUNIT_EXPECT_FALSE(test, r->in_caller);
	KUNIT_EXPECT_EQ(test, r->present, 1);
	KUNIT_EXPECT_EQ(test, r->mask, TYPES_NO_PT);
	KUNIT_EXPECT_EQ(test, dev_query(test, h), TYPES_NO_PT);
	KUNIT_EXPECT_EQ(test, r->detach, STATUS_INVALID_PARAMETER_1);
	KUNIT_EXPECT_EQ(test, r->unregister, STATUS_UNSUCCESSFUL);

	/* no such registration */
	KUNIT_EXPECT_EQ(test, dev_unregister(test, dev_other_cb, h), STATUS_UNSUCCESSFUL);
	KUNIT_EXPECT_EQ(test, dev_unregister(test, dev_state_cb, NULL), STATUS_UNSUCCESSFUL);
	stale = dev_create_edu(test, edu);
	KUNIT_EXPECT_EQ(test, dev_unregister(test, dev_state_cb, stale), STATUS_UNSUCCESSFUL);
	KUNIT_EXPECT_EQ(test, dev_delete(test, stale), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, dev_unregister(test, dev_state_cb, stale), STATUS_UNSUCCESSFUL);

	KUNIT_EXPECT_EQ(test, dev_unregister(test, dev_state_cb, h), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, f->v3.V3.UnregisterInterfaceStateChangeCallback(dev_state_cb, h),
			STATUS_UNSUCCESSFUL);
	KUNIT_EXPECT_EQ(test, dev_delete(test, h), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, r->calls, 2);
}

/*
 * Only a change of the types is announced, once per registered device, and
 * never after Unregister returned.  The DMA-API edu is the second device.
 */
static void device_state_cb_changes_test(struct kunit *test)
{
	struct winiommu_test_edu *edu = dev_need_edu(test);
	struct winiommu_test_edu *other = dev_need_dmaapi_edu(test);
	PIOMMU_DMA_DEVICE a = dev_create_edu(test, edu), b = dev_create_edu(test, other);
	struct dev_cb_rec *ra = dev_cb_rec(test, a), *rb = dev_cb_rec(test, b);

	WRITE_ONCE(winiommu_params.allow_passthrough, true);
	WRITE_ONCE(winiommu_params.dma_guard_policy, 1);
	KUNIT_ASSERT_EQ(test, dev_register(test, dev_state_cb, ra, a, 1), STATUS_SUCCESS);
	KUNIT_ASSERT_EQ(test, dev_register(test, dev_state_cb, rb, b, 1), STATUS_SUCCESS);
	KUNIT_EXPECT_TRUE(test, try_wait_for_completion(&ra->called));
	KUNIT_EXPECT_TRUE(test, try_wait_for_completion(&rb->called));

	dev_set_policy(2);		/* same types for trusted devices */
	dev_set_policy(0);		/* PassThrough goes */
	KUNIT_ASSERT_TRUE(test, dev_cb_wait(ra));
	KUNIT_ASSERT_TRUE(test, dev_cb_wait(rb));
	KUNIT_EXPECT_EQ(test, ra->mask, TYPES_NO_PT);
	KUNIT_EXPECT_EQ(test, rb->mask, TYPES_NO_PT);

	KUNIT_EXPECT_EQ(test, dev_unregister(test, dev_state_cb, a), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, ra->calls, 2);
	dev_set_policy(1);		/* PassThrough is back */
	KUNIT_ASSERT_TRUE(test, dev_cb_wait(rb));
	KUNIT_EXPECT_EQ(test, rb->mask, TYPES_ALL);
	KUNIT_EXPECT_EQ(test, rb->calls, 3);
	KUNIT_EXPECT_EQ(test, ra->calls, 2);
	KUNIT_EXPECT_FALSE(test, try_wait_for_completion(&ra->called));
	KUNIT_EXPECT_EQ(test, dev_unregister(test, dev_state_cb, b), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, dev_delete(test, a), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, dev_delete(test, b), STATUS_SUCCESS);
}

/* ---- SetDeviceFaultReportingEx ---------------------------------------------- */

static VOID dev_fault_handler(PVOID ctx, PFAULT_INFORMATION info)
{
}

/* Documented as not implemented: that answer for any input, no side effect. */
static void device_fault_reporting_ex_test(struct kunit *test)
{
	struct device_fixture *f = test->priv;
	struct winiommu_test_edu *edu = winiommu_test_edu_get();
	DEVICE_FAULT_CONFIGURATION cfg = { .FaultHandler = dev_fault_handler, .FaultContext = f };
	DEVICE_FAULT_CONFIGURATION copy = cfg;
	PIOMMU_DMA_DEVICE h = NULL;

	KUNIT_EXPECT_EQ(test, f->t->SetDeviceFaultReportingEx(NULL, 0, FALSE, NULL),
			STATUS_NOT_IMPLEMENTED);
	KUNIT_EXPECT_EQ(test, f->v3.V3.SetDeviceFaultReportingEx(NULL, 0, TRUE, &cfg),
			STATUS_NOT_IMPLEMENTED);
	if (edu && dev_create(test, &edu->pdev->dev, NULL, &h) == STATUS_SUCCESS) {
		KUNIT_EXPECT_EQ(test, f->t->SetDeviceFaultReportingEx(h, 0, TRUE, &cfg),
				STATUS_NOT_IMPLEMENTED);
		KUNIT_EXPECT_EQ(test, f->t->SetDeviceFaultReportingEx(h, 0x10, TRUE, NULL),
				STATUS_NOT_IMPLEMENTED);
		KUNIT_EXPECT_EQ(test, f->t->SetDeviceFaultReportingEx(h, 0, FALSE, &cfg),
				STATUS_NOT_IMPLEMENTED);
		KUNIT_EXPECT_EQ(test, dev_delete(test, h), STATUS_SUCCESS);
	}
	KUNIT_EXPECT_MEMEQ(test, &cfg, &copy, sizeof(cfg));
}

static struct kunit_case device_test_cases[] = {
	KUNIT_CASE(device_create_delete_test),
	KUNIT_CASE_PARAM(device_create_config_test, device_config_gen_params),
	KUNIT_CASE(device_create_bad_args_test),
	KUNIT_CASE(device_create_noiommu_test),
	KUNIT_CASE(device_query_types_test),
	KUNIT_CASE(device_attach_detach_test),
	KUNIT_CASE(device_attach_move_test),
	KUNIT_CASE_PARAM(device_attach_types_test, device_types_gen_params),
	KUNIT_CASE(device_attach_dmaapi_test),
	KUNIT_CASE(device_attach_bad_handles_test),
	KUNIT_CASE(device_attach_two_tokens_test),
	KUNIT_CASE(device_attach_policy_test),
	KUNIT_CASE(device_resv_replay_test),
	KUNIT_CASE(device_map_replay_test),
	KUNIT_CASE(device_passthrough_test),
	KUNIT_CASE(device_alloc_clamp_test),
	KUNIT_CASE(device_state_cb_test),
	KUNIT_CASE(device_state_cb_changes_test),
	KUNIT_CASE(device_fault_reporting_ex_test),
	{}
};

struct kunit_suite winiommu_device_suite = {
	.name = "winiommu_device",
	.init = device_init,
	.exit = device_exit,
	.test_cases = device_test_cases,
};
