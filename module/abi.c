// SPDX-License-Identifier: GPL-2.0
/* sriov_rtt: the text side of the ABI, for the module and the tools. */

#include "abi.h"

static const char * const srtt_stage_names[__SRTT_STAGE_MAX] = {
	[SRTT_STAGE_TX_NF_EGRESS]	= "tx_nf_egress",
	[SRTT_STAGE_TX_QUEUE]		= "tx_queue",
	[SRTT_STAGE_TX_DRV]		= "tx_drv",
	[SRTT_STAGE_TX_DRV_DONE]	= "tx_drv_done",
	[SRTT_STAGE_TX_DONE]		= "tx_done",
	[SRTT_STAGE_TX_HW]		= "tx_hw",
	[SRTT_STAGE_RX_HW]		= "rx_hw",
	[SRTT_STAGE_RX_IRQ]		= "rx_irq",
	[SRTT_STAGE_RX_SOFTIRQ]		= "rx_softirq",
	[SRTT_STAGE_RX_DRV]		= "rx_drv",
	[SRTT_STAGE_RX_STACK]		= "rx_stack",
	[SRTT_STAGE_RX_NF_INGRESS]	= "rx_nf_ingress",
	[SRTT_STAGE_RX_SOCK]		= "rx_sock",
	[SRTT_STAGE_RX_COPY]		= "rx_copy",
};

const char *srtt_stage_name(unsigned int stage)
{
	switch (stage) {
	case SRTT_EVENT_HV_IRQ:
		return "hv_irq";
	case SRTT_EVENT_HV_INJECT:
		return "hv_inject";
	case SRTT_EVENT_HV_SIGNAL:
		return "hv_signal";
	}
	return stage < __SRTT_STAGE_MAX ? srtt_stage_names[stage] : "?";
}

int srtt_stage_lookup(const char *name)
{
	int i;

	for (i = 0; i < __SRTT_STAGE_MAX; i++)
		if (!strcmp(name, srtt_stage_names[i]))
			return i;
	return -1;
}

bool srtt_stage_is_tx(unsigned int stage)
{
	return stage <= SRTT_STAGE_TX_HW;
}

const char *srtt_probe_name(unsigned int probe)
{
	switch (probe) {
	case SRTT_PROBE_STAMP:
		return "stamp";
	case SRTT_PROBE_ICMP:
		return "icmp";
	case SRTT_PROBE_ICMPV6:
		return "icmp6";
	default:
		return "none";
	}
}

const char *srtt_dir_name(unsigned int dir)
{
	return dir == SRTT_DIR_FWD ? "fwd" : "rev";
}

const char *srtt_role_name(unsigned int role)
{
	switch (role) {
	case SRTT_ROLE_PF:
		return "pf";
	case SRTT_ROLE_VF:
		return "vf";
	case SRTT_ROLE_VIRTIO:
		return "virtio";
	case SRTT_ROLE_VETH:
		return "veth";
	case SRTT_ROLE_TAP:
		return "tap";
	default:
		return "other";
	}
}

/*
 * Pairs are numbered TX first: (0,1) (0,2) .. (0,5) (1,2) .. (4,5), then
 * RX likewise.
 */
int srtt_pair_index(unsigned int from, unsigned int to)
{
	unsigned int n, base = 0, f = from, t = to;

	if (from >= to || to >= __SRTT_STAGE_MAX ||
	    srtt_stage_is_tx(from) != srtt_stage_is_tx(to))
		return -1;
	n = SRTT_TX_STAGES;
	if (!srtt_stage_is_tx(from)) {
		base = SRTT_TX_STAGES * (SRTT_TX_STAGES - 1) / 2;
		n = SRTT_RX_STAGES;
		f -= SRTT_STAGE_RX_HW;
		t -= SRTT_STAGE_RX_HW;
	}
	/* pairs before row f: (n-1) + (n-2) + .. + (n-f) */
	return base + f * (2 * n - f - 1) / 2 + (t - f - 1);
}

const struct srtt_setting srtt_settings[SRTT_NR_SETTINGS] = {
	[SRTT_SETTING_STAMP_PORT] = { "stamp_port", SRTT_CTL_STAMP_PORT_MIN,
		SRTT_CTL_STAMP_PORT_MAX, false, "from 1 to 65535", "862" },
	[SRTT_SETTING_SAMPLE] = { "sample", 0, SRTT_CTL_SAMPLE_MAX, false,
		"0 (off) or from 1 to 1000000", "100" },
	[SRTT_SETTING_RING_SIZE] = { "ring_size", SRTT_CTL_RING_SIZE_MIN,
		SRTT_CTL_RING_SIZE_MAX, true, "a power of two from 64 to 1048576",
		"4096" },
};

const struct srtt_pct srtt_pcts[SRTT_NR_PCT] = {
	{ "p50", 500000 }, { "p90", 900000 },
	{ "p99", 990000 }, { "p99.9", 999000 },
};

/* The record line; Documentation/sriov_rtt.rst describes each field. */
int srtt_record_line(char *buf, size_t len, const struct srtt_record *rec)
{
	char hwts[24] = "-", queue[8] = "-";

	if (rec->flags & SRTT_REC_F_HWTS)
		snprintf(hwts, sizeof(hwts), "%llu",
			 (unsigned long long)rec->hwts);
	if (!(rec->flags & SRTT_REC_F_NO_QUEUE))
		snprintf(queue, sizeof(queue), "%u", rec->queue);
	return scnprintf(buf, len,
			 "ts=%llu clock=mono stage=%s dev=%u ifindex=%u cpu=%u queue=%s probe=%s dir=%s id=%u seq=%u hwts=%s flags=0x%x\n",
			 (unsigned long long)rec->ts,
			 srtt_stage_name(rec->stage), rec->dev_id,
			 rec->ifindex, rec->cpu, queue,
			 srtt_probe_name(rec->key.probe),
			 srtt_dir_name(rec->key.dir),
			 rec->key.id, rec->key.seq, hwts, rec->flags);
}
