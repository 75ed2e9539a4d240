// SPDX-License-Identifier: GPL-2.0
/*
 * sriov-rtt: the breakdown's hypervisor rows, from a CSV as `probe`
 * writes it and `report` reads it. One kernel (same boot id, the
 * reflector's MONOTONIC), so the clock offset is 0 exactly and every row
 * has a known value: a VF passed through with vfio-pci, a virtio guest
 * behind vhost, a packet without events, and CSVs that must be refused.
 */

#include <errno.h>
#include <inttypes.h>

#include "util.h"
#include "breakdown.h"

static char path[] = "/tmp/test_breakdown.XXXXXX";
static const char *header;

static const char *header_vf =
	"seq,flags,t1_ns,t2_ns,t3_ns,t4_ns,h_conv_err_ns,g_conv_err_ns,"
	"h_tx_drv_ns,h_rx_drv_ns,g_rx_irq_ns,g_rx_drv_ns,g_tx_drv_ns,"
	"h_hv_irq_ns,h_hv_signal_ns,h_hv_inject_ns,hv_vf,"
	"h_fwd_rx_irq_ns,h_fwd_rx_drv_ns\n";

#define FLAGS	"sent|received|g_mono|same_boot"

static int load(struct bd_run *r, const char *rows)
{
	FILE *fp;
	int fd = mkstemp(path);

	if (fd < 0)
		abort();
	fp = fdopen(fd, "w");
	if (!fp)
		abort();
	fputs(header ? header : header_vf, fp);
	fputs(rows, fp);
	fclose(fp);
	memset(r, 0, sizeof(*r));
	fd = bd_read_csv(r, path);
	unlink(path);
	strcpy(path, "/tmp/test_breakdown.XXXXXX");
	return fd;
}

static char *json(struct bd_run *r)
{
	struct srtt_mem mem;

	bd_print(srtt_mem_begin(&mem, true, false), r, "report");
	return srtt_mem_end(&mem);
}

/* H: tx_drv 2000, hv_irq 3000, hv_inject 4500; G: rx_irq 5000 (H = G). */
static void hv_vfio(void)
{
	struct bd_run r;
	char *out;

	KTAP_EXPECT_EQ(load(&r,
		"0," FLAGS ",1000,6000,7000,10000,0,0,2000,9500,5000,5500,8000,"
		"3000,,4500,2,,\n"
		"1," FLAGS ",11000,16000,17000,20000,0,0,12000,19500,15000,15500,18000,"
		"13500,,14000,2,,\n"
		/* no events for this one: no rows from it */
		"2," FLAGS ",21000,26000,27000,30000,0,0,22000,29500,25000,25500,28000,"
		",,,,,\n"), 0);
	KTAP_EXPECT_EQ(bd_analyse(&r), 0);
	KTAP_EXPECT_EQ(r.hv_kind, BD_HV_VFIO);
	KTAP_EXPECT_EQ(r.hv_vf, 2);
	KTAP_EXPECT_EQ(r.hv_nic.n, 2);
	KTAP_EXPECT(r.hv_nic.v[0] == 1000 && r.hv_nic.v[1] == 1500,
		    "tx_drv -> hv_irq: 1000, 1500");
	KTAP_EXPECT(r.hv_host.n == 2 && r.hv_host.v[0] == 500 &&
		    r.hv_host.v[1] == 1500, "hv_irq -> hv_inject: 500, 1500");
	KTAP_EXPECT(r.hv.n == 2 && r.hv.v[0] == 1500 && r.hv.v[1] == 2000,
		    "hv_irq -> guest rx_irq: 1500, 2000");
	KTAP_EXPECT_EQ(r.hv.err_max, 0);
	KTAP_EXPECT_EQ(r.hv_vhost.n, 0);
	out = json(&r);
	KTAP_EXPECT_CONTAINS(out, "\"hypervisor_path\":\"vfio\"");
	KTAP_EXPECT_CONTAINS(out, "{\"name\":\"hypervisor_host\",\"merged\":false,\"count\":2,\"min_ns\":500,");
	KTAP_EXPECT(!strstr(out, "hypervisor (no host-side"), "said visible");
	free(out);
	bd_free(&r);
}

/*
 * H: tx_drv 2000, the VF under the tap: rx_irq 2600, rx_drv 2700; vhost
 * signals at 3200, KVM injects at 3300; G: rx_irq 5000.
 */
static void hv_vhost(void)
{
	struct bd_run r;
	char *out;

	KTAP_EXPECT_EQ(load(&r,
		"0," FLAGS ",1000,6000,7000,10000,0,0,2000,9500,5000,5500,8000,"
		",3200,3300,65535,2600,2700\n"
		/* vhost signals after the guest's rx_irq: another packet's */
		"1," FLAGS ",11000,16000,17000,20000,0,0,12000,19500,15000,15500,18000,"
		",15200,15300,65535,12600,12700\n"), 0);
	KTAP_EXPECT_EQ(bd_analyse(&r), 0);
	KTAP_EXPECT_EQ(r.hv_kind, BD_HV_VHOST);
	KTAP_EXPECT(r.hv_nic.n == 2 && r.hv_nic.v[0] == 600 && r.hv_nic.v[1] == 600,
		    "tx_drv -> VF rx_irq 600, the host's own receive of both");
	KTAP_EXPECT(r.hv_vfrx.n == 2 && r.hv_vfrx.v[0] == 100, "VF rx_irq -> rx_drv 100");
	KTAP_EXPECT_EQ(r.hv_after_irq, 1);
	KTAP_EXPECT(r.hv_vhost.n == 1 && r.hv_vhost.v[0] == 500, "rx_drv -> signal 500");
	KTAP_EXPECT(r.hv_host.n == 1 && r.hv_host.v[0] == 100, "signal -> inject 100");
	KTAP_EXPECT(r.hv.n == 1 && r.hv.v[0] == 1800, "signal -> guest rx_irq 1800");
	out = json(&r);
	KTAP_EXPECT_CONTAINS(out, "\"hypervisor_path\":\"vhost\"");
	KTAP_EXPECT_CONTAINS(out, "\"name\":\"host_stack+macvtap+vhost\"");
	free(out);
	bd_free(&r);
}

/*
 * Out of order on the host is impossible and counted, never a number. A
 * guest rx_irq before the host's interrupt: that interrupt was another
 * packet's (the guest polled); the packet is left out and counted.
 */
static void hv_impossible(void)
{
	struct bd_run r;
	char *out;

	KTAP_EXPECT_EQ(load(&r,
		"0," FLAGS ",1000,6000,7000,10000,0,0,2000,9500,5000,5500,8000,"
		"3000,,2500,0,,\n"
		/* the guest's rx_irq before the host's interrupt: same clock */
		"1," FLAGS ",11000,16000,17000,20000,0,0,12000,19500,13000,15500,18000,"
		"14000,,14500,0,,\n"), 0);
	KTAP_EXPECT_EQ(bd_analyse(&r), 0);
	KTAP_EXPECT(r.hv_host.n == 0 && r.hv_host.impossible == 1,
		    "inject before irq: impossible; n %zu impossible %zu",
		    r.hv_host.n, r.hv_host.impossible);
	KTAP_EXPECT(r.hv_nic.n == 1 && r.hv_nic.v[0] == 1000,
		    "tx_drv -> irq of the packet not left out");
	KTAP_EXPECT(r.hv.n == 1 && r.hv.v[0] == 2000 && !r.hv.impossible,
		    "hypervisor: 2000, the other left out");
	KTAP_EXPECT_EQ(r.hv_after_irq, 1);
	out = json(&r);
	KTAP_EXPECT_CONTAINS(out, "\"hv_after_irq\":1,");
	free(out);
	bd_free(&r);
}

/* No events at all: the rows are absent and the summary says so. */
static void hv_none(void)
{
	struct bd_run r;
	char *out;

	KTAP_EXPECT_EQ(load(&r,
		"0," FLAGS ",1000,6000,7000,10000,0,0,2000,9500,5000,5500,8000,"
		",,,,,\n"), 0);
	KTAP_EXPECT_EQ(bd_analyse(&r), 0);
	KTAP_EXPECT_EQ(r.hv_kind, BD_HV_NONE);
	out = json(&r);
	KTAP_EXPECT_CONTAINS(out, "\"hypervisor_path\":\"none\",\"hypervisor\":[]");
	KTAP_EXPECT_CONTAINS(out, "hypervisor (no host-side interrupt stamps on this path)");
	free(out);
	bd_free(&r);
}

static void hv_refused(void)
{
	struct bd_run r;

	KTAP_EXPECT_EQ(load(&r,
		"0," FLAGS ",1000,6000,7000,10000,0,0,2000,9500,5000,5500,8000,"
		"-3000,,,0,,\n"), -EINVAL);
	bd_free(&r);
	KTAP_EXPECT_EQ(load(&r,
		"0," FLAGS ",1000,6000,7000,10000,0,0,2000,9500,5000,5500,8000,"
		"3000,,,65536,,\n"), -EINVAL);
	bd_free(&r);
	KTAP_EXPECT_EQ(load(&r,
		"0," FLAGS ",1000,6000,7000,10000,0,0,2000,9500,5000,5500,8000,"
		"3000,,x,0,,\n"), -EINVAL);
	bd_free(&r);
}

/*
 * Another kernel whose clock runs 1 ms ahead (G = H + 1 ms): the
 * hypervisor clock says so with a 100 ns error. The G stamps are the
 * H ones of the vfio case plus 1 ms.
 */
#define PTP_ROW(seq, base, theta)					\
	#seq ",sent|received|g_mono|other_boot|ptp_kvm,"		\
	#base "1000," #base "7000," #base "8000," #base "10000,0,0,"	\
	#base "2000," #base "9500," #base "6000," #base "6500," #base "9000,"	\
	#base "3000,,4500,0,,," theta ",100," #base "8000\n"

static const char *ptp_header =
	"seq,flags,t1_ns,t2_ns,t3_ns,t4_ns,h_conv_err_ns,g_conv_err_ns,"
	"h_tx_drv_ns,h_rx_drv_ns,g_rx_irq_ns,g_rx_drv_ns,g_tx_drv_ns,"
	"h_hv_irq_ns,h_hv_signal_ns,h_hv_inject_ns,hv_vf,"
	"h_fwd_rx_irq_ns,h_fwd_rx_drv_ns,ptp_theta_ns,ptp_err_ns,ptp_g_ns\n";

static void hv_ptp(void)
{
	struct bd_run r;
	const char *saved = header;
	char *out;

	header = ptp_header;
	KTAP_EXPECT_EQ(load(&r, PTP_ROW(0, 10, "1000") PTP_ROW(1, 20, "1000")), 0);
	KTAP_EXPECT_EQ(bd_analyse(&r), 0);
	KTAP_EXPECT_EQ(r.ptp.n, 2);
	KTAP_EXPECT(r.ptp_used, "used (checked %" PRIu64 ", inside %" PRIu64 ")",
		    r.ptp_checked, r.ptp_inside);
	KTAP_EXPECT_EQ(r.ptp_inside, r.ptp_checked);
	/* hv_irq 3000 -> guest rx_irq 6000 - 1000 = 5000 in H: 2000 +- 100 */
	KTAP_EXPECT(r.hv.n == 2 && r.hv.v[0] == 2000 && r.hv.err_max == 100,
		    "hypervisor %" PRId64 " +- %" PRIu64, r.hv.n ? r.hv.v[0] : -1,
		    r.hv.err_max);
	/* forward: G.rx_irq - theta - H.tx_drv = 3000, reverse 1500 */
	KTAP_EXPECT(r.fwd.n == 2 && r.fwd.v[0] == 3000 && r.rev.v[0] == 1500,
		    "one way %" PRId64 " %" PRId64, r.fwd.n ? r.fwd.v[0] : -1,
		    r.rev.n ? r.rev.v[0] : -1);
	out = json(&r);
	KTAP_EXPECT_CONTAINS(out, "\"ptp_kvm\":{\"offset_ns\":1000,\"error_ns\":100,\"replies\":2,");
	KTAP_EXPECT_CONTAINS(out, "\"used\":true");
	free(out);
	bd_free(&r);

	/* a flag without its columns' values is refused */
	KTAP_EXPECT_EQ(load(&r, PTP_ROW(0, 10, "")), -EINVAL);
	bd_free(&r);
	header = saved;
}

static const struct ktap_case cases[] = {
	KTAP_CASE(hv_vfio),
	KTAP_CASE(hv_vhost),
	KTAP_CASE(hv_impossible),
	KTAP_CASE(hv_none),
	KTAP_CASE(hv_refused),
	KTAP_CASE(hv_ptp),
};

int main(void)
{
	return KTAP_RUN(cases);
}
