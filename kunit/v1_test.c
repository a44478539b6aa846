// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The winiommu authors
 *
 * The PDO-based routines: the V1 AttachDevice / DetachDevice and a whole
 * V1 driver flow through the legacy table, QueryInputMappings,
 * ConfigureDomain, and V1 fault reporting (SetDeviceFaultReporting) with
 * faults injected through the same path IOMMU drivers report on.
 */
#include <linux/completion.h>
#include <linux/iommu.h>
#include <linux/mm.h>
#include <linux/pci.h>
#include <linux/slab.h>

#include "winiommu_test.h"
#include "edu.h"

#define RW	(IOMMU_ACCESS_READ | IOMMU_ACCESS_WRITE)

struct v1_fixture {
	struct winiommu_test_snap snap;
	DMA_IOMMU_INTERFACE v1;
	struct winiommu_test_edu *edu;
	PIOMMU_DMA_DOMAIN dom;
	bool attached;
};

static int v1_init(struct kunit *test)
{
	struct v1_fixture *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, f);
	winiommu_test_snap_take(&f->snap);
	KUNIT_ASSERT_EQ(test, IoGetIommuInterface(DMA_IOMMU_INTERFACE_VERSION_1, &f->v1),
			STATUS_SUCCESS);
	f->edu = winiommu_test_edu_get();
	test->priv = f;
	return 0;
}

static void v1_exit(struct kunit *test)
{
	struct v1_fixture *f = test->priv;

	if (f->attached)
		KUNIT_EXPECT_EQ(test, f->v1.DetachDevice(f->dom, &f->edu->pdev->dev, 0),
				STATUS_SUCCESS);
	if (f->dom)
		KUNIT_EXPECT_EQ(test, f->v1.DeleteDomain(f->dom), STATUS_SUCCESS);
	winiommu_test_snap_check(test, &f->snap);
}

static struct device *v1_edu(struct kunit *test)
{
	struct v1_fixture *f = test->priv;

	if (!f->edu)
		kunit_skip(test, "no edu device bound by winiommu_test_edu");
	return &f->edu->pdev->dev;
}

static void v1_domain(struct kunit *test, BOOLEAN os_managed)
{
	struct v1_fixture *f = test->priv;
	NTSTATUS st = f->v1.CreateDomain(os_managed, &f->dom);

	if (st == STATUS_NOT_SUPPORTED)
		kunit_skip(test, "no IOMMU on this machine");
	KUNIT_ASSERT_EQ(test, st, STATUS_SUCCESS);
}

static void v1_attach(struct kunit *test)
{
	struct v1_fixture *f = test->priv;

	KUNIT_ASSERT_EQ(test, f->v1.AttachDevice(f->dom, v1_edu(test), 0, 1), STATUS_SUCCESS);
	f->attached = true;
}

static void *v1_page(struct kunit *test)
{
	void *p = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, p);
	return p;
}

/* A whole V1 driver: attach, map MDLs at explicit addresses, DMA, unmap, detach. */
static void v1_flow_test(struct kunit *test)
{
	struct v1_fixture *f = test->priv;
	struct device *dev = v1_edu(test);
	struct iommu_domain *before = iommu_get_domain_for_dev(dev), *during;
	void *src = v1_page(test), *dst = v1_page(test);
	PMDL ms, md;

	v1_domain(test, TRUE);
	v1_attach(test);
	during = iommu_get_domain_for_dev(dev);
	KUNIT_EXPECT_PTR_NE(test, during, before);
	KUNIT_EXPECT_EQ(test, during->type, IOMMU_DOMAIN_UNMANAGED);
	ms = IoAllocateMdl(src, PAGE_SIZE, FALSE, FALSE, NULL);
	md = IoAllocateMdl(dst, PAGE_SIZE, FALSE, FALSE, NULL);
	KUNIT_ASSERT_NOT_NULL(test, ms);
	KUNIT_ASSERT_NOT_NULL(test, md);
	MmBuildMdlForNonPagedPool(ms);
	MmBuildMdlForNonPagedPool(md);
	KUNIT_ASSERT_EQ(test, f->v1.MapLogicalRange(f->dom, IOMMU_ACCESS_READ, ms, 0x100000),
			STATUS_SUCCESS);
	KUNIT_ASSERT_EQ(test, f->v1.MapLogicalRange(f->dom, IOMMU_ACCESS_WRITE, md, 0x200000),
			STATUS_SUCCESS);
	memset(src, 0x6b, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, winiommu_test_edu_copy(f->edu, 0x100000, 0x200000, PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, memcmp(src, dst, PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, f->v1.UnmapLogicalRange(f->dom, 0x100000, 1), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, f->v1.UnmapLogicalRange(f->dom, 0x200000, 1), STATUS_SUCCESS);
	/* V1 flushes are for caller-managed domains only */
	KUNIT_EXPECT_EQ(test, f->v1.FlushDomain(f->dom), STATUS_INVALID_PARAMETER_1);
	IoFreeMdl(ms);
	IoFreeMdl(md);
	KUNIT_EXPECT_EQ(test, f->v1.DetachDevice(f->dom, dev, 0), STATUS_SUCCESS);
	f->attached = false;
	KUNIT_EXPECT_PTR_EQ(test, iommu_get_domain_for_dev(dev), before);
}

static void v1_attach_status_test(struct kunit *test)
{
	struct v1_fixture *f = test->priv;
	struct device *dev = v1_edu(test);
	PIOMMU_DMA_DOMAIN other;

	v1_domain(test, TRUE);
	KUNIT_EXPECT_EQ(test, f->v1.AttachDevice(NULL, dev, 0, 1), STATUS_INVALID_PARAMETER_1);
	KUNIT_EXPECT_EQ(test, f->v1.AttachDevice(f->dom, NULL, 0, 1), STATUS_INVALID_PARAMETER_2);
	KUNIT_EXPECT_EQ(test, f->v1.AttachDevice(f->dom, dev, 1, 1), STATUS_INVALID_PARAMETER_3);
	KUNIT_EXPECT_EQ(test, f->v1.AttachDevice(f->dom, dev, 0, 2), STATUS_INVALID_PARAMETER_4);
	KUNIT_EXPECT_EQ(test, f->v1.DetachDevice(f->dom, dev, 0), STATUS_INVALID_PARAMETER_2);
	v1_attach(test);
	KUNIT_EXPECT_EQ(test, f->v1.AttachDevice(f->dom, dev, 0, 1), STATUS_INVALID_PARAMETER);
	KUNIT_EXPECT_EQ(test, f->v1.DeleteDomain(f->dom), STATUS_RESOURCE_IN_USE);
	KUNIT_ASSERT_EQ(test, f->v1.CreateDomain(TRUE, &other), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, f->v1.DetachDevice(other, dev, 0), STATUS_INVALID_PARAMETER_1);
	KUNIT_EXPECT_EQ(test, f->v1.DetachDevice(f->dom, dev, 7), STATUS_INVALID_PARAMETER_3);
	KUNIT_EXPECT_EQ(test, f->v1.DeleteDomain(other), STATUS_SUCCESS);
}

/* A caller-managed domain: attached, it blocks DMA until ConfigureDomain. */
static void v1_caller_managed_test(struct kunit *test)
{
	struct v1_fixture *f = test->priv;
	void *src = v1_page(test), *dst = v1_page(test);
	DOMAIN_CONFIGURATION cfg = { .Type = DomainConfigurationArm64 };
	PIOMMU_DMA_DOMAIN managed;
	ULONGLONG va = 0x1000;
	PMDL mdl;

	v1_domain(test, FALSE);
	v1_attach(test);
	mdl = IoAllocateMdl(dst, PAGE_SIZE, FALSE, FALSE, NULL);
	KUNIT_ASSERT_NOT_NULL(test, mdl);
	MmBuildMdlForNonPagedPool(mdl);
	KUNIT_EXPECT_EQ(test, f->v1.MapLogicalRange(f->dom, RW, mdl, 0x100000),
			STATUS_INVALID_PARAMETER_1);
	KUNIT_EXPECT_EQ(test, f->v1.MapIdentityRange(f->dom, RW, mdl), STATUS_INVALID_PARAMETER_1);
	IoFreeMdl(mdl);
	memset(dst, 0x5a, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, winiommu_test_edu_copy(f->edu, virt_to_phys(src), virt_to_phys(dst),
						     PAGE_SIZE), 0);
	KUNIT_EXPECT_FALSE(test, memchr_inv(dst, 0x5a, PAGE_SIZE));
	KUNIT_EXPECT_EQ(test, f->v1.FlushDomain(f->dom), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, f->v1.FlushDomainByVaList(f->dom, TRUE, 1, &va), STATUS_SUCCESS);

	/* ConfigureDomain: every documented status */
	KUNIT_ASSERT_EQ(test, f->v1.CreateDomain(TRUE, &managed), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, f->v1.ConfigureDomain(managed, &cfg), STATUS_INVALID_PARAMETER_1);
	KUNIT_EXPECT_EQ(test, f->v1.DeleteDomain(managed), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, f->v1.ConfigureDomain(NULL, &cfg), STATUS_INVALID_PARAMETER_1);
	KUNIT_EXPECT_EQ(test, f->v1.ConfigureDomain(f->dom, NULL), STATUS_INVALID_PARAMETER_2);
	cfg.Type = DomainConfigurationX64;
	KUNIT_EXPECT_EQ(test, f->v1.ConfigureDomain(f->dom, &cfg), STATUS_NOT_SUPPORTED);
	cfg.Type = DomainConfigurationInvalid;
	KUNIT_EXPECT_EQ(test, f->v1.ConfigureDomain(f->dom, &cfg), STATUS_INVALID_PARAMETER_2);
	cfg.Type = DomainConfigurationArm64;
	cfg.Arm64.TranslationEnabled = TRUE;
	cfg.Arm64.InputSize0 = 60;
	cfg.Arm64.Ttbr0.QuadPart = 0x40000000;
	KUNIT_EXPECT_EQ(test, f->v1.ConfigureDomain(f->dom, &cfg), STATUS_INVALID_PARAMETER_2);
	cfg.Arm64.InputSize0 = 39;
	cfg.Arm64.Ttbr0.QuadPart = 0x40000010;
	KUNIT_EXPECT_EQ(test, f->v1.ConfigureDomain(f->dom, &cfg), STATUS_INVALID_PARAMETER_2);
	/* valid: not available until caller tables are shadowed */
	cfg.Arm64.Ttbr0.QuadPart = 0x40000000;
	KUNIT_EXPECT_EQ(test, f->v1.ConfigureDomain(f->dom, &cfg), STATUS_NOT_SUPPORTED);
}

static void v1_query_input_mappings_test(struct kunit *test)
{
	struct v1_fixture *f = test->priv;
	struct device *dev = v1_edu(test);
	struct iommu_fwspec *fwspec = dev_iommu_fwspec_get(dev);
	INPUT_MAPPING_ELEMENT buf[4];
	struct device *noiommu;
	ULONG ret;
	u32 want;

	want = fwspec && fwspec->num_ids ? fwspec->ids[0] : pci_dev_id(f->edu->pdev);
	memset(buf, WINIOMMU_TEST_CANARY, sizeof(buf));
	ret = 0;
	KUNIT_EXPECT_EQ(test, f->v1.QueryInputMappings(dev, buf, 0, &ret), STATUS_BUFFER_TOO_SMALL);
	KUNIT_EXPECT_EQ(test, ret, sizeof(INPUT_MAPPING_ELEMENT));
	KUNIT_EXPECT_TRUE(test, winiommu_test_untouched(buf, sizeof(buf)));
	KUNIT_EXPECT_EQ(test, f->v1.QueryInputMappings(dev, buf, 3, NULL), STATUS_BUFFER_TOO_SMALL);
	KUNIT_EXPECT_EQ(test, f->v1.QueryInputMappings(dev, NULL, sizeof(buf), &ret),
			STATUS_INVALID_PARAMETER_2);
	KUNIT_EXPECT_EQ(test, f->v1.QueryInputMappings(NULL, buf, sizeof(buf), &ret),
			STATUS_INVALID_PARAMETER_1);
	KUNIT_EXPECT_TRUE(test, winiommu_test_untouched(buf, sizeof(buf)));
	KUNIT_ASSERT_EQ(test, f->v1.QueryInputMappings(dev, buf, sizeof(buf), &ret),
			STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, ret, sizeof(INPUT_MAPPING_ELEMENT));
	KUNIT_EXPECT_EQ(test, buf[0].InputMappingId, want);
	KUNIT_EXPECT_TRUE(test, winiommu_test_untouched(&buf[1], sizeof(buf) - sizeof(buf[0])));
	noiommu = root_device_register("winiommu-test-v1-noiommu");
	KUNIT_ASSERT_FALSE(test, IS_ERR(noiommu));
	KUNIT_EXPECT_EQ(test, f->v1.QueryInputMappings(noiommu, buf, sizeof(buf), &ret),
			STATUS_UNSUCCESSFUL);
	root_device_unregister(noiommu);
}

/* ---- fault reporting ------------------------------------------------------ */

struct v1_fault_seen {
	struct completion done;
	unsigned int calls;
	bool in_task;
	FAULT_INFORMATION info;
};

static VOID v1_fault_handler(PVOID Context, PFAULT_INFORMATION FaultInformation)
{
	struct v1_fault_seen *seen = Context;

	seen->calls++;
	seen->in_task = in_task() && !irqs_disabled();
	seen->info = *FaultInformation;
	complete(&seen->done);
}

static void v1_fault_reporting_test(struct kunit *test)
{
	struct v1_fixture *f = test->priv;
	struct device *dev = v1_edu(test);
	struct v1_fault_seen *seen = kunit_kzalloc(test, sizeof(*seen), GFP_KERNEL);
	DEVICE_FAULT_CONFIGURATION cfg = { .FaultHandler = v1_fault_handler };
	u64 iova = 0x12345000;

	KUNIT_ASSERT_NOT_NULL(test, seen);
	init_completion(&seen->done);
	cfg.FaultContext = seen;
	v1_domain(test, TRUE);
	KUNIT_EXPECT_EQ(test, f->v1.SetDeviceFaultReporting(dev, 0, TRUE, &cfg),
			STATUS_INVALID_PARAMETER_1);	/* not attached yet */
	v1_attach(test);
	KUNIT_EXPECT_EQ(test, f->v1.SetDeviceFaultReporting(NULL, 0, TRUE, &cfg),
			STATUS_INVALID_PARAMETER_1);
	KUNIT_EXPECT_EQ(test, f->v1.SetDeviceFaultReporting(dev, 5, TRUE, &cfg),
			STATUS_INVALID_PARAMETER_2);
	KUNIT_EXPECT_EQ(test, f->v1.SetDeviceFaultReporting(dev, 0, TRUE, NULL),
			STATUS_INVALID_PARAMETER_4);
	/* off: nothing to deliver to */
	KUNIT_EXPECT_EQ(test, winiommu_inject_fault(dev, iova, true), -ENOENT);
	KUNIT_ASSERT_EQ(test, f->v1.SetDeviceFaultReporting(dev, 0, TRUE, &cfg), STATUS_SUCCESS);
	KUNIT_ASSERT_EQ(test, winiommu_inject_fault(dev, iova, true), 0);
	KUNIT_ASSERT_GT(test, wait_for_completion_timeout(&seen->done, 5 * HZ), 0);
	KUNIT_EXPECT_EQ(test, seen->calls, 1);
	KUNIT_EXPECT_TRUE(test, seen->in_task);
#ifdef CONFIG_ARM64
	KUNIT_EXPECT_EQ(test, seen->info.Type, FaultInformationArm64);
	KUNIT_EXPECT_EQ(test, (u64)(uintptr_t)seen->info.Arm64.FaultAddress, iova);
	KUNIT_EXPECT_PTR_EQ(test, seen->info.Arm64.PhysicalDeviceObject, dev);
	KUNIT_EXPECT_PTR_EQ(test, seen->info.Arm64.DomainHandle, (PVOID)f->dom);
	KUNIT_EXPECT_EQ(test, (u32)seen->info.Arm64.Flags.WriteNotRead, 1);
	KUNIT_EXPECT_EQ(test, (u32)seen->info.Arm64.Flags.FaultAddressValid, 1);
	KUNIT_EXPECT_EQ(test, seen->info.Arm64.Type, TranslationFault);
#else
	KUNIT_EXPECT_EQ(test, seen->info.Type, FaultInformationX64);
	KUNIT_EXPECT_EQ(test, (u64)(uintptr_t)seen->info.X64.FaultAddress, iova);
	KUNIT_EXPECT_PTR_EQ(test, seen->info.X64.DomainHandle, (PVOID)f->dom);
	KUNIT_EXPECT_EQ(test, (u32)seen->info.X64.Flags.FaultAddressValid, 1);
	KUNIT_EXPECT_EQ(test, seen->info.X64.Type, TranslationFault);
#endif
	/* a read fault, then off again */
	reinit_completion(&seen->done);
	KUNIT_ASSERT_EQ(test, winiommu_inject_fault(dev, iova + PAGE_SIZE, false), 0);
	KUNIT_ASSERT_GT(test, wait_for_completion_timeout(&seen->done, 5 * HZ), 0);
	KUNIT_EXPECT_EQ(test, seen->calls, 2);
#ifdef CONFIG_ARM64
	KUNIT_EXPECT_EQ(test, (u32)seen->info.Arm64.Flags.WriteNotRead, 0);
#endif
	KUNIT_EXPECT_EQ(test, f->v1.SetDeviceFaultReporting(dev, 0, FALSE, NULL), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, winiommu_inject_fault(dev, iova, true), -ENOENT);
	/* detaching ends reporting too */
	KUNIT_ASSERT_EQ(test, f->v1.SetDeviceFaultReporting(dev, 0, TRUE, &cfg), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, f->v1.DetachDevice(f->dom, dev, 0), STATUS_SUCCESS);
	f->attached = false;
	KUNIT_EXPECT_NE(test, winiommu_inject_fault(dev, iova, true), 0);
	KUNIT_EXPECT_EQ(test, seen->calls, 2);
}

/*
 * A real translation fault: edu writes to an unmapped address.  Only
 * drivers that report faults (AMD-Vi on hardware) reach the handler; the
 * QEMU targets only log, so this records what the IOMMU delivered.
 */
static void v1_real_fault_test(struct kunit *test)
{
	struct v1_fixture *f = test->priv;
	struct device *dev = v1_edu(test);
	struct v1_fault_seen *seen = kunit_kzalloc(test, sizeof(*seen), GFP_KERNEL);
	DEVICE_FAULT_CONFIGURATION cfg = { .FaultHandler = v1_fault_handler };
	void *src = v1_page(test);
	PMDL mdl;
	unsigned int calls;

	KUNIT_ASSERT_NOT_NULL(test, seen);
	init_completion(&seen->done);
	cfg.FaultContext = seen;
	v1_domain(test, TRUE);
	v1_attach(test);
	mdl = IoAllocateMdl(src, PAGE_SIZE, FALSE, FALSE, NULL);
	KUNIT_ASSERT_NOT_NULL(test, mdl);
	MmBuildMdlForNonPagedPool(mdl);
	KUNIT_ASSERT_EQ(test, f->v1.MapLogicalRange(f->dom, IOMMU_ACCESS_READ, mdl, 0x100000),
			STATUS_SUCCESS);
	KUNIT_ASSERT_EQ(test, f->v1.SetDeviceFaultReporting(dev, 0, TRUE, &cfg), STATUS_SUCCESS);
	KUNIT_ASSERT_EQ(test, winiommu_test_edu_copy(f->edu, 0x100000, 0x300000, 64), 0);
	wait_for_completion_timeout(&seen->done, HZ / 2);
	calls = seen->calls;
	kunit_info(test, "real faults delivered by this IOMMU's driver: %u\n", calls);
	KUNIT_EXPECT_EQ(test, f->v1.SetDeviceFaultReporting(dev, 0, FALSE, NULL), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, f->v1.UnmapLogicalRange(f->dom, 0x100000, 1), STATUS_SUCCESS);
	IoFreeMdl(mdl);
}

static struct kunit_case v1_cases[] = {
	KUNIT_CASE(v1_flow_test),
	KUNIT_CASE(v1_attach_status_test),
	KUNIT_CASE(v1_caller_managed_test),
	KUNIT_CASE(v1_query_input_mappings_test),
	KUNIT_CASE(v1_fault_reporting_test),
	KUNIT_CASE(v1_real_fault_test),
	{}
};

struct kunit_suite winiommu_v1_suite = {
	.name = "winiommu_v1",
	.init = v1_init,
	.exit = v1_exit,
	.test_cases = v1_cases,
};
