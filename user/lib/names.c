// SPDX-License-Identifier: GPL-2.0
/* sriov-rtt: names of the ABI's numbers, and matches(). */

#include <stdio.h>
#include <string.h>

#include "names.h"

static const char * const stage_names[__SRTT_STAGE_MAX] = {
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
};

const char *srtt_stage_str(unsigned int stage)
{
	if (stage == SRTT_EVENT_HV_IRQ)
		return "hv_irq";
	if (stage == SRTT_EVENT_HV_INJECT)
		return "hv_inject";
	if (stage == SRTT_EVENT_HV_SIGNAL)
		return "hv_signal";
	return stage < __SRTT_STAGE_MAX ? stage_names[stage] : "?";
}

const char *srtt_probe_str(unsigned int probe)
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

const char *srtt_dir_str(unsigned int dir)
{
	return dir == SRTT_DIR_FWD ? "fwd" : "rev";
}

const char *srtt_role_str(unsigned int role)
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

int srtt_stage_lookup(const char *name)
{
	int i;

	for (i = 0; i < __SRTT_STAGE_MAX; i++)
		if (!strcmp(name, stage_names[i]))
			return i;
	return -1;
}

const char *srtt_stage_list(void)
{
	return "tx_nf_egress tx_queue tx_drv tx_drv_done tx_done tx_hw "
	       "rx_hw rx_irq rx_softirq rx_drv rx_stack rx_nf_ingress";
}

static bool stage_is_tx(int stage)
{
	return stage <= SRTT_STAGE_TX_HW;
}

/* As the module's srtt_pair_index(): both TX or both RX, @from first. */
bool srtt_pair_valid(int from, int to)
{
	return from >= 0 && to < __SRTT_STAGE_MAX && from < to &&
	       stage_is_tx(from) == stage_is_tx(to);
}

bool srtt_matches(const char *prefix, const char *word)
{
	size_t len = strlen(prefix);

	return len && len <= strlen(word) && !strncmp(prefix, word, len);
}

void srtt_mac_str(const unsigned char *addr, unsigned int len, char *buf,
		  size_t size)
{
	size_t n = 0;
	unsigned int i;

	if (!size)
		return;
	buf[0] = '\0';
	for (i = 0; i < len && n + 3 + !!i <= size; i++)
		n += (size_t)snprintf(buf + n, size - n, "%s%02x", i ? ":" : "",
				      addr[i]);
}
