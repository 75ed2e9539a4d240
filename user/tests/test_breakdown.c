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
	fd = bd_read_csv(r, path, "report");
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

static char *text(struct bd_run *r)
{
	struct srtt_mem mem;

	bd_print(srtt_mem_begin(&mem, false, false), r, "report");
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
	/* the VF beside the rows, every row an object */
	KTAP_EXPECT_CONTAINS(out, "\"hypervisor_vf\":2,\"hypervisor\":[{");
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
 * guest rx_irq before the host's interrupt is impossible too, counted,
 * never put down to another packet's event and left out unseen.
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
	KTAP_EXPECT(r.hv.n == 1 && r.hv.v[0] == 2000 && r.hv.impossible == 1,
		    "hypervisor: 2000, the other impossible: n %zu impossible %zu",
		    r.hv.n, r.hv.impossible);
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
	/* a malformed conversion error is refused, not taken as absent */
	KTAP_EXPECT_EQ(load(&r,
		"0," FLAGS ",1000,6000,7000,10000,1e3,0,2000,9500,5000,5500,8000,"
		"3000,,,0,,\n"), -EINVAL);
	bd_free(&r);
	KTAP_EXPECT_EQ(load(&r,
		"0," FLAGS ",1000,6000,7000,10000,0,-5,2000,9500,5000,5500,8000,"
		"3000,,,0,,\n"), -EINVAL);
	bd_free(&r);
	/* and an empty one is absent */
	KTAP_EXPECT_EQ(load(&r,
		"0," FLAGS ",1000,6000,7000,10000,,,2000,9500,5000,5500,8000,"
		"3000,,,0,,\n"), 0);
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

/* rows N of a plain run: rtt 10000 + 10 * i ns */
static char *rows(unsigned int n)
{
	size_t size = (size_t)n * 128 + 1, off = 0;
	char *buf = malloc(size);
	unsigned int i;

	if (!buf)
		abort();
	buf[0] = 0;
	for (i = 0; i < n; i++)
		off += (size_t)snprintf(buf + off, size - off,
			"%u," FLAGS ",%u,%u,%u,%u,0,0,,,,,,,,,,,\n", i,
			1000000 * i, 1000000 * i + 2000, 1000000 * i + 3000,
			1000000 * i + 10000 + 10 * i);
	return buf;
}

/*
 * Percentiles only where the sample supports them: p99 from 100 values,
 * p99.9 from 1000; below that "-" in text and null in JSON, never the
 * maximum under another name.
 */
static void percentiles_sample_size(void)
{
	static const struct { unsigned int n; bool p99, p999; } t[] = {
		{ 50, false, false }, { 99, false, false }, { 100, true, false },
		{ 999, true, false }, { 1000, true, true },
	};
	struct bd_run r;
	unsigned int i;
	char *in, *out;

	header = "seq,flags,t1_ns,t2_ns,t3_ns,t4_ns,h_conv_err_ns,g_conv_err_ns,"
		 "h_tx_drv_ns,h_rx_drv_ns,g_rx_irq_ns,g_rx_drv_ns,g_tx_drv_ns,"
		 "h_hv_irq_ns,h_hv_signal_ns,h_hv_inject_ns,hv_vf,"
		 "h_fwd_rx_irq_ns,h_fwd_rx_drv_ns\n";
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		in = rows(t[i].n);
		KTAP_EXPECT_EQ(load(&r, in), 0);
		free(in);
		KTAP_EXPECT_EQ(bd_analyse(&r), 0);
		out = json(&r);
		KTAP_EXPECT(!!strstr(out, "\"name\":\"rtt\"") &&
			    !!strstr(out, "\"p99_ns\":null") == !t[i].p99,
			    "n %u: p99 %s", t[i].n, t[i].p99 ? "shown" : "null");
		KTAP_EXPECT(!!strstr(out, "\"p99.9_ns\":null") == !t[i].p999,
			    "n %u: p99.9 %s", t[i].n, t[i].p999 ? "shown" : "null");
		KTAP_EXPECT(!strstr(out, "\"p50_ns\":null"), "n %u: p50 shown",
			    t[i].n);
		free(out);
		bd_free(&r);
	}
	header = NULL;
}

/*
 * Rows of one run for the clock tests: H's REALTIME is its MONOTONIC +
 * 56 years; G's stamps are its REALTIME + 3 us (no bracket: a
 * third-party reflector) or, with g_mono, its MONOTONIC + 7 us; 500 ns
 * each way, 1 us in the reflector.
 */
#define H_REAL	1767225600000000000LL	/* 2026-01-01 */

/* @boot: "other_boot" or "same_boot" */
static char *clock_rows(unsigned int n, unsigned int every_mono,
			const char *boot)
{
	size_t size = (size_t)n * 200 + 1, off = 0;
	char *buf = malloc(size);
	unsigned int i;

	if (!buf)
		abort();
	buf[0] = 0;
	for (i = 0; i < n; i++) {
		int64_t t1 = 1000000LL * (i + 1), t4 = t1 + 2000;
		bool mono = every_mono && !(i % every_mono);
		int64_t g = mono ? 7000 : H_REAL + 3000;
		int64_t t2 = t1 + 500 + g, t3 = t2 + 1000;

		off += (size_t)snprintf(buf + off, size - off,
			"%u,sent|received|%s%s,%lld,%lld,%lld,%lld,"
			"%lld,%lld,%lld,%lld,0,0\n", i, boot,
			mono ? "|g_mono" : "",
			(long long)(t1 + H_REAL), (long long)t2,
			(long long)t3, (long long)(t4 + H_REAL),
			(long long)t1, (long long)t2, (long long)t3,
			(long long)t4);
	}
	return buf;
}

static const char *clock_header =
	"seq,flags,t1_real_ns,t2_real_ns,t3_real_ns,t4_real_ns,"
	"t1_ns,t2_ns,t3_ns,t4_ns,h_conv_err_ns,g_conv_err_ns\n";

/* json_s64 OUT KEY: the integer after "KEY": in OUT */
static int64_t json_s64(const char *out, const char *key)
{
	char pat[64];
	const char *p;

	snprintf(pat, sizeof(pat), "\"%s\":", key);
	p = strstr(out, pat);
	return p ? strtoll(p + strlen(pat), NULL, 10) : INT64_MIN;
}

/* a run's notifications in the CSV's comment lines, as probe writes them */
static const char *nt_lines =
	"# sriov-rtt notify host side probes=30 err=0 more=0\n"
	"# sriov-rtt notify host dev ifname=enp0s3 irqs=61 napi_polls=62 hv=1 "
	"hv_irq=30 hv_inject=30 hv_signal=0 co_err=0 co_have=5 adaptive=0 "
	"rx_usecs=3 rx_frames=0 tx_usecs=3 tx_frames=0 a_later_key=7\n"
	"# another comment\n"
	"# sriov-rtt notify guest side requests=30 err=0 more=0\n"
	"# sriov-rtt notify guest dev ifname=eth1 irqs=30 napi_polls=31 co_err=95\n";

struct nt_bad {
	const char	*line;
	const char	*said;
};

static int load_bad(void *arg)
{
	char hdr[1024], *in = rows(2);
	struct bd_run r;
	int err;

	snprintf(hdr, sizeof(hdr), "%s%s", ((const struct nt_bad *)arg)->line,
		 header_vf);
	header = hdr;
	err = load(&r, in);
	header = NULL;
	free(in);
	bd_free(&r);
	return err;
}

/*
 * The notifications come back from the CSV as written (a key of a later
 * version left alone), are printed per probe with the moderation, and
 * survive a write and a read; a bad line is refused with its file and
 * line number.
 */
static void notify_csv(void)
{
	static const struct nt_bad bad[] = {
		{ "# sriov-rtt notify host dev ifname=x irqs=1\n",
		  ":1: a device before its side line" },
		{ "# sriov-rtt notify host side probes=-1\n",
		  ":1: bad field \"probes=-1\"" },
		{ "# sriov-rtt notify host side probes=3\n"
		  "# sriov-rtt notify host dev irqs=1\n",
		  ":2: a device without ifname=" },
		{ "# sriov-rtt notify host side probes=3\n"
		  "# sriov-rtt notify host dev ifname=x co_have=999\n",
		  ":2: bad field \"co_have=999\"" },
		{ "# sriov-rtt notify sideways\n", ":1: not a notify line" },
	};
	char hdr[1024], *in = rows(4), *out, *csv, *said;
	struct bd_run r, r2;
	unsigned int i;
	size_t size;
	FILE *fp;
	int err;

	snprintf(hdr, sizeof(hdr), "%s%s", nt_lines, header_vf);
	header = hdr;
	KTAP_EXPECT_EQ(load(&r, in), 0);
	free(in);
	KTAP_EXPECT_EQ(bd_analyse(&r), 0);
	KTAP_EXPECT(r.nt.host_read && r.nt.probes == 30 && r.nt.host.n == 1 &&
		    r.nt.host.dev[0].irqs == 61 && r.nt.host.dev[0].hv &&
		    r.nt.host.dev[0].co.have == 5 &&
		    r.nt.host.dev[0].co.tx_usecs == 3 && r.nt.guest_read &&
		    r.nt.guest.n == 1 && r.nt.guest.dev[0].co.err == 95,
		    "read back: host %d n %u, guest %d n %u", r.nt.host_read,
		    r.nt.host.n, r.nt.guest_read, r.nt.guest.n);
	out = text(&r);
	KTAP_EXPECT_CONTAINS(out, "  notifications per probe (host: 30 probes; guest: 30 requests):\n"
			     "    host  enp0s3       irqs 2.03 napi_polls 2.07 hv_irq 1.00 hv_inject 1.00 hv_signal 0.00; moderation rx-usecs 3 tx-usecs 3\n"
			     "    guest eth1         irqs 1.00 napi_polls 1.03; moderation not reported (the driver has no coalescing settings)\n");
	free(out);
	out = json(&r);
	KTAP_EXPECT_CONTAINS(out, "\"notifications\":{\"probes\":30,\"guest_requests\":30,\"host\":{\"devices\":[{\"ifname\":\"enp0s3\",\"irqs\":61,\"napi_polls\":62,\"hv_irq\":30,\"hv_inject\":30,\"hv_signal\":0,\"moderation\":{\"rx_usecs\":3,\"tx_usecs\":3}}]}");
	KTAP_EXPECT_CONTAINS(out, "\"moderation\":null,\"moderation_why\":\"not reported (the driver has no coalescing settings)\"");
	free(out);

	fp = open_memstream(&csv, &size);
	KTAP_EXPECT_EQ(bd_write_csv(&r, fp), 0);
	fclose(fp);
	header = "";
	KTAP_EXPECT_EQ(load(&r2, csv), 0);
	free(csv);
	KTAP_EXPECT(r2.nt.probes == 30 && r2.nt.host.n == 1 &&
		    r2.nt.guest.n == 1 && r2.nt.guest_requests == 30 &&
		    !memcmp(&r2.nt.host.dev[0].co, &r.nt.host.dev[0].co,
			    sizeof(r.nt.host.dev[0].co)) &&
		    r2.nt.host.dev[0].napi_polls == 62 &&
		    r2.nt.guest.dev[0].napi_polls == 31, "written and read");
	bd_free(&r2);
	bd_free(&r);
	header = NULL;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		said = srtt_capture_fd(2, load_bad, (void *)&bad[i], &err);
		KTAP_EXPECT(err == -EINVAL && strstr(said, bad[i].said) &&
			    strstr(said, "/tmp/test_breakdown."),
			    "%s: %d, said %s", bad[i].line, err, said);
		free(said);
	}
}

/*
 * The reflector's REALTIME against our MONOTONIC (no bracket from it) is
 * no 56-year offset: the line compares two REALTIME clocks, says so, and
 * prints the offset in the unit that fits.
 */
static void clock_kinds_differ(void)
{
	struct bd_run r;
	int64_t off, bound;
	char *in, *out;

	header = clock_header;
	in = clock_rows(40, 0, "other_boot");
	KTAP_EXPECT_EQ(load(&r, in), 0);
	free(in);
	KTAP_EXPECT_EQ(bd_analyse(&r), 0);
	out = json(&r);
	off = json_s64(out, "offset_ns");
	bound = json_s64(out, "offset_bound_ns");
	KTAP_EXPECT(bound >= 0 && off - bound <= 3000 && off + bound >= 3000,
		    "offset %" PRId64 " +- %" PRId64 ", truth 3000", off, bound);
	KTAP_EXPECT_CONTAINS(out, "both CLOCK_REALTIME");
	free(out);
	out = text(&r);
	KTAP_EXPECT_CONTAINS(out, "offset G-H 3.000 us +- ");
	free(out);
	bd_free(&r);
	header = NULL;
}

/*
 * Replies with a bracket and replies without are two pairs of clocks:
 * one fit never mixes them (a mixed one printed a skew of
 * 1155348737983173109 ppb); the minority is counted, not fitted.
 */
static void clock_kinds_never_mixed(void)
{
	struct bd_run r;
	int64_t off, bound, skew;
	char *in, *out;

	header = clock_header;
	/* 14 with a bracket, 26 without */
	in = clock_rows(40, 3, "other_boot");
	KTAP_EXPECT_EQ(load(&r, in), 0);
	free(in);
	KTAP_EXPECT_EQ(bd_analyse(&r), 0);
	KTAP_EXPECT(!r.offset_g_mono && r.offset_other_kind == 14,
		    "fitted kind mono %d, left out %" PRIu64, r.offset_g_mono,
		    r.offset_other_kind);
	out = json(&r);
	off = json_s64(out, "offset_ns");
	bound = json_s64(out, "offset_bound_ns");
	skew = json_s64(out, "skew_ppb");
	KTAP_EXPECT(off - bound <= 3000 && off + bound >= 3000,
		    "offset %" PRId64 " +- %" PRId64, off, bound);
	KTAP_EXPECT(skew > -1000000 && skew < 1000000, "skew %" PRId64 " ppb",
		    skew);
	KTAP_EXPECT_CONTAINS(out, "\"offset_other_clock\":14");
	free(out);
	bd_free(&r);
	header = NULL;
}

/*
 * One kernel (same boot id), reflector stamps in REALTIME without a
 * bracket: the offset is 0 exactly, in the JSON as in the text, whatever
 * a fit of those stamps against MONOTONIC would say (it said 56 years).
 */
static void same_kernel_offset_exact(void)
{
	struct bd_run r;
	char *in, *out;

	header = clock_header;
	in = clock_rows(40, 0, "same_boot");
	KTAP_EXPECT_EQ(load(&r, in), 0);
	free(in);
	KTAP_EXPECT_EQ(bd_analyse(&r), 0);
	out = json(&r);
	KTAP_EXPECT_CONTAINS(out, "\"relation\":\"same_kernel\"");
	KTAP_EXPECT(json_s64(out, "offset_ns") == 0 &&
		    json_s64(out, "offset_bound_ns") == 0,
		    "same kernel: offset %" PRId64 " +- %" PRId64,
		    json_s64(out, "offset_ns"), json_s64(out, "offset_bound_ns"));
	free(out);
	out = text(&r);
	KTAP_EXPECT_CONTAINS(out, "offset 0 exactly");
	free(out);
	bd_free(&r);
	header = NULL;
}

/* flush_us at its 16-bit limit is "65.535 ms or more", never a value */
static void flush_saturated(void)
{
	struct bd_run r;
	char *out;

	header = "seq,flags,t1_ns,t2_ns,t3_ns,t4_ns,h_conv_err_ns,g_conv_err_ns,"
		 "g_flush_us\n";
	KTAP_EXPECT_EQ(load(&r,
		"0," FLAGS ",1000,2000,90000000,90001000,0,0,65535\n"
		"1," FLAGS ",100001000,100002000,100003000,100004000,0,0,500\n"), 0);
	KTAP_EXPECT_EQ(bd_analyse(&r), 0);
	KTAP_EXPECT(r.flush.n == 1 && r.flush.v[0] == 500000 &&
		    r.flush_saturated == 1, "flush n %zu saturated %" PRIu64,
		    r.flush.n, r.flush_saturated);
	out = json(&r);
	KTAP_EXPECT_CONTAINS(out, "\"flush_saturated\":1");
	free(out);
	bd_free(&r);
	header = NULL;
}

static const struct ktap_case cases[] = {
	KTAP_CASE(clock_kinds_differ),
	KTAP_CASE(clock_kinds_never_mixed),
	KTAP_CASE(same_kernel_offset_exact),
	KTAP_CASE(flush_saturated),
	KTAP_CASE(percentiles_sample_size),
	KTAP_CASE(hv_vfio),
	KTAP_CASE(hv_vhost),
	KTAP_CASE(hv_impossible),
	KTAP_CASE(hv_none),
	KTAP_CASE(hv_refused),
	KTAP_CASE(hv_ptp),
	KTAP_CASE(notify_csv),
};

int main(void)
{
	return KTAP_RUN(cases);
}
