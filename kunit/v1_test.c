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
#include <linux/delay.h>
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
	/* well formed, but the tables are beyond RAM: never walked */
	cfg.Arm64.Ttbr0.QuadPart = BIT_ULL(46);
	KUNIT_EXPECT_EQ(test, f->v1.ConfigureDomain(f->dom, &cfg), STATUS_INVALID_PARAMETER_2);
	/* translation off: nothing to walk, every access blocked (winiommu_shadow has the rest) */
	cfg.Arm64.TranslationEnabled = FALSE;
	KUNIT_EXPECT_EQ(test, f->v1.ConfigureDomain(f->dom, &cfg), STATUS_SUCCESS);
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
	noiommu = winiommu_test_root_device("winiommu-test-v1-noiommu");
	KUNIT_ASSERT_NOT_NULL(test, noiommu);
	KUNIT_EXPECT_EQ(test, f->v1.QueryInputMappings(noiommu, buf, sizeof(buf), &ret),
			STATUS_UNSUCCESSFUL);
	root_device_unregister(noiommu);
}

/* ---- fault reporting ------------------------------------------------------ */

struct v1_fault_seen {
	struct completion done;
	unsigned int calls;
	bool in_task;
	FAULT_INFORMATION info;		/* the last fault */
	bool have_first;
	FAULT_INFORMATION first;	/* the first since have_first was cleared */
};

static VOID v1_fault_handler(PVOID Context, PFAULT_INFORMATION FaultInformation)
{
	struct v1_fault_seen *seen = Context;

	seen->calls++;
	seen->in_task = in_task() && !irqs_disabled();
	seen->info = *FaultInformation;
	if (!seen->have_first) {
		seen->first = *FaultInformation;
		seen->have_first = true;
	}
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
 * One round of real faults: with reporting on, edu reads @len bytes at
 * @src and writes them to @dst, which faults; reporting is turned off
 * again (which waits for deliveries in flight) and what arrived is left in
 * @seen.  Returns how many faults the handler saw.
 */
static unsigned int v1_fault_round(struct kunit *test, struct v1_fault_seen *seen,
				   u64 src, u64 dst, u32 len)
{
	struct v1_fixture *f = test->priv;
	struct device *dev = &f->edu->pdev->dev;
	DEVICE_FAULT_CONFIGURATION cfg = {
		.FaultHandler = v1_fault_handler,
		.FaultContext = seen,
	};

	seen->calls = 0;
	seen->have_first = false;
	reinit_completion(&seen->done);
	KUNIT_ASSERT_EQ(test, f->v1.SetDeviceFaultReporting(dev, 0, TRUE, &cfg), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, winiommu_test_edu_copy(f->edu, src, dst, len), 0);
	/* the IOMMU's event thread reports after the transfer: give it time */
	wait_for_completion_timeout(&seen->done, 2 * HZ);
	KUNIT_EXPECT_EQ(test, f->v1.SetDeviceFaultReporting(dev, 0, FALSE, NULL), STATUS_SUCCESS);
	return seen->calls;
}

/* The first fault of a round was a write at [@lo, @lo + @len) of kind @type. */
static void v1_expect_fault(struct kunit *test, const struct v1_fault_seen *seen, u64 lo,
			    u32 len, FAULT_INFORMATION_ARM64_TYPE type)
{
	struct v1_fixture *f = test->priv;
	const FAULT_INFORMATION *fi = &seen->first;
	u64 addr;

	KUNIT_ASSERT_TRUE(test, seen->have_first);
	KUNIT_EXPECT_TRUE(test, seen->in_task);
#ifdef CONFIG_ARM64
	KUNIT_ASSERT_EQ(test, fi->Type, FaultInformationArm64);
	addr = (u64)(uintptr_t)fi->Arm64.FaultAddress;
	KUNIT_EXPECT_PTR_EQ(test, fi->Arm64.DomainHandle, (PVOID)f->dom);
	KUNIT_EXPECT_PTR_EQ(test, fi->Arm64.PhysicalDeviceObject, &f->edu->pdev->dev);
	KUNIT_EXPECT_EQ(test, (u32)fi->Arm64.Flags.WriteNotRead, 1);
	KUNIT_EXPECT_EQ(test, (u32)fi->Arm64.Flags.FaultAddressValid, 1);
	KUNIT_EXPECT_EQ(test, fi->Arm64.Type, type);
	kunit_info(test, "first fault: %#llx stream %#x type %d\n", addr,
		   fi->Arm64.InputMappingId, fi->Arm64.Type);
#else
	KUNIT_ASSERT_EQ(test, fi->Type, FaultInformationX64);
	addr = (u64)(uintptr_t)fi->X64.FaultAddress;
	KUNIT_EXPECT_PTR_EQ(test, fi->X64.DomainHandle, (PVOID)f->dom);
	KUNIT_EXPECT_EQ(test, (u32)fi->X64.Flags.FaultAddressValid, 1);
	KUNIT_EXPECT_EQ(test, fi->X64.Type, type);
#endif
	KUNIT_EXPECT_GE(test, addr, lo);
	KUNIT_EXPECT_LT(test, addr, lo + len);
}

/*
 * Real faults from edu DMA: a write to an address nothing maps (a
 * translation fault), then a write into a read-only mapping (a permission
 * fault).  Where the IOMMU driver reports a device's faults (SMMUv3 before
 * 6.9, told by real_faults=1) each reaches the handler with its address,
 * direction and kind; where it only logs (real_faults=0: virtio-iommu,
 * VT-d, SMMUv3 from 6.9, QEMU's AMD-Vi, which raises none) nothing may.
 * Either way the bytes in RAM stay as they were.
 */
static void v1_real_fault_test(struct kunit *test)
{
	struct v1_fixture *f = test->priv;
	struct v1_fault_seen *seen = kunit_kzalloc(test, sizeof(*seen), GFP_KERNEL);
	u8 *ro = v1_page(test), *src = v1_page(test);
	unsigned int calls[2], i, changed = 0;
	PMDL mdl[2];

	KUNIT_ASSERT_NOT_NULL(test, seen);
	v1_edu(test);
	init_completion(&seen->done);
	memset(ro, 0x5a, PAGE_SIZE);
	memset(src, 0x11, PAGE_SIZE);
	v1_domain(test, TRUE);
	v1_attach(test);
	mdl[0] = IoAllocateMdl(ro, PAGE_SIZE, FALSE, FALSE, NULL);
	mdl[1] = IoAllocateMdl(src, PAGE_SIZE, FALSE, FALSE, NULL);
	KUNIT_ASSERT_NOT_NULL(test, mdl[0]);
	KUNIT_ASSERT_NOT_NULL(test, mdl[1]);
	MmBuildMdlForNonPagedPool(mdl[0]);
	MmBuildMdlForNonPagedPool(mdl[1]);
	KUNIT_ASSERT_EQ(test, f->v1.MapLogicalRange(f->dom, IOMMU_ACCESS_READ, mdl[0], 0x100000),
			STATUS_SUCCESS);
	KUNIT_ASSERT_EQ(test, f->v1.MapLogicalRange(f->dom, IOMMU_ACCESS_READ, mdl[1], 0x200000),
			STATUS_SUCCESS);

	/* a write where nothing is mapped, then into the read-only page */
	calls[0] = v1_fault_round(test, seen, 0x200000, 0x300000, 64);
	if (winiommu_test_real_faults == 1)
		v1_expect_fault(test, seen, 0x300000, 64, TranslationFault);
	calls[1] = v1_fault_round(test, seen, 0x200000, 0x100000, 64);
	if (winiommu_test_real_faults == 1)
		v1_expect_fault(test, seen, 0x100000, 64, PermissionFault);
	for (i = 0; i < PAGE_SIZE; i++)
		changed += ro[i] != 0x5a;
	KUNIT_EXPECT_EQ_MSG(test, changed, 0, "a write through a read-only mapping landed");
	kunit_info(test, "real faults delivered by this IOMMU's driver: %u (unmapped), %u (read-only)\n",
		   calls[0], calls[1]);
	switch (winiommu_test_real_faults) {
	case 1:
		KUNIT_EXPECT_GT(test, calls[0], 0);
		KUNIT_EXPECT_GT(test, calls[1], 0);
		break;
	case 0:
		KUNIT_EXPECT_EQ(test, calls[0], 0);
		KUNIT_EXPECT_EQ(test, calls[1], 0);
		break;
	}
	/* reporting is off: a further fault reaches nobody */
	seen->calls = 0;
	KUNIT_EXPECT_EQ(test, winiommu_test_edu_copy(f->edu, 0x200000, 0x300000, 64), 0);
	msleep(200);
	KUNIT_EXPECT_EQ(test, seen->calls, 0);
	KUNIT_EXPECT_EQ(test, f->v1.UnmapLogicalRange(f->dom, 0x100000, 1), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, f->v1.UnmapLogicalRange(f->dom, 0x200000, 1), STATUS_SUCCESS);
	IoFreeMdl(mdl[0]);
	IoFreeMdl(mdl[1]);
	if (winiommu_test_real_faults < 0)
		kunit_skip(test,
			   "real_faults not given: whether this IOMMU reports faults is unknown");
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
