// SPDX-License-Identifier: GPL-2.0
/*
 * sriov-rtt: a run as CSV, one packet a line (breakdown.h), and the
 * columns bd_csv_read.c reads back.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "bd_priv.h"
#include "breakdown.h"
#include "lib/names.h"

const char bd_csv_dom[BD_DOMS] = { 'h', 'g' };

/*
 * Columns: seq, flags, the raw REALTIME app stamps, the app stamps in
 * their domain's clock with the conversion errors, every stage of both
 * domains, then what was computed (rtt, one way with bounds, and the
 * components).
 * Empty means absent; "impossible" replaces a flagged value.
 *
 * The components' columns are fixed: one c_NAME_ns per component of the
 * model, in path order, whatever a run could split (bd_csv_comp_cols).
 * A packet whose component merges several of them has its value in the
 * column of the first one and "merged:FIRST" in the others, so every run
 * has the same columns and the numbers still sum to the RTT.
 */
const char * const bd_csv_flags[] = {
	"sent", "received", "late", "duplicate", "t1_sw", "t4_sw",
	"impossible", "decomp_error", "g_mono", "same_boot", "other_boot",
	"h_lost", "g_lost", "g_no_source", "no_follow_up", "ptp_kvm",
};

/* the hypervisor's events and the host's RX of the request: optional */
const char * const bd_csv_hv[] = {
	"h_hv_irq_ns", "h_hv_signal_ns", "h_hv_inject_ns", "hv_vf",
	"h_fwd_rx_irq_ns", "h_fwd_rx_drv_ns",
};

/* the app stamps: raw REALTIME, then in their domain's clock */
const char * const bd_csv_app[] = {
	"t1_real_ns", "t2_real_ns", "t3_real_ns", "t4_real_ns",
	"t1_ns", "t2_ns", "t3_ns", "t4_ns",
};

_Static_assert(ARRAY_SIZE(bd_csv_flags) == BD_CSV_N_FLAGS, "BD_* flags");
_Static_assert(ARRAY_SIZE(bd_csv_hv) == BD_CSV_N_HV, "BD_CSV_N_HV");
_Static_assert(ARRAY_SIZE(bd_csv_app) == BD_CSV_N_APP, "BD_CSV_N_APP");

static void csv_opt(FILE *fp, bool have, int64_t v)
{
	if (have)
		fprintf(fp, ",%" PRId64, v);
	else
		fputs(",", fp);
}

static void csv_comp(FILE *fp, const struct srtt_decomp_comp *c)
{
	char buf[32];

	if (!c)
		fputs(",", fp);
	else
		fprintf(fp, ",%s", srtt_decomp_value_str(c, buf, sizeof(buf)));
}

/* the model's components in path order: forward and reverse as network */
static uint16_t csv_comp_col(unsigned int k)
{
	unsigned int p = k < SRTT_DC_REVERSE ? k : k + 1;

	return p == SRTT_DC_FORWARD ? SRTT_DC_NETWORK : SRTT_DC_BIT(p);
}

#define BD_CSV_N_COMP	(SRTT_DC_N - 1)

static void csv_write_header(FILE *fp)
{
	char name[SRTT_DECOMP_NAME_MAX];
	unsigned int k, d, s;

	fputs("seq,flags", fp);
	for (k = 0; k < BD_CSV_N_APP; k++)
		fprintf(fp, ",%s", bd_csv_app[k]);
	fputs(",h_conv_err_ns,g_conv_err_ns,t1_txsw_real_ns,g_flush_us", fp);
	for (d = 0; d < BD_DOMS; d++)
		for (s = 0; s < __SRTT_STAGE_MAX; s++)
			fprintf(fp, ",%c_%s_ns", bd_csv_dom[d],
				srtt_stage_name(s));
	for (k = 0; k < BD_CSV_N_HV; k++)
		fprintf(fp, ",%s", bd_csv_hv[k]);
	fputs(",ptp_theta_ns,ptp_err_ns,ptp_g_ns", fp);
	fputs(",rtt_ns,forward_ns,forward_bound_ns,reverse_ns,"
	      "reverse_bound_ns", fp);
	for (k = 0; k < BD_CSV_N_COMP; k++) {
		srtt_decomp_name(csv_comp_col(k), name, sizeof(name));
		fprintf(fp, ",c_%s_ns", name);
	}
	fputs("\n", fp);
}

static void csv_write_flags(const struct bd_pkt *p, FILE *fp)
{
	const char *sep = "";
	unsigned int k;

	for (k = 0; k < BD_CSV_N_FLAGS; k++)
		if (p->flags & (1U << k)) {
			fprintf(fp, "%s%s", sep, bd_csv_flags[k]);
			sep = "|";
		}
	/* derived, for readers: ignored by bd_read_csv() */
	if (!(p->flags & BD_SENT))
		fprintf(fp, "%snot_sent", sep);
	else if (!(p->flags & BD_RECEIVED))
		fprintf(fp, "%slost", sep);
}

/* what the packet brought: its stamps, the host's events, ptp_kvm */
static void csv_write_stamps(const struct bd_pkt *p, FILE *fp)
{
	bool sent = p->flags & BD_SENT, rx = p->flags & BD_RECEIVED;
	unsigned int d, s;

	csv_opt(fp, sent, p->t1_real);
	csv_opt(fp, rx, p->t2_real);
	csv_opt(fp, rx, p->t3_real);
	csv_opt(fp, rx, p->t4_real);
	csv_opt(fp, sent, p->t1);
	csv_opt(fp, rx, p->t2);
	csv_opt(fp, rx, p->t3);
	csv_opt(fp, rx, p->t4);
	csv_opt(fp, true, (int64_t)p->conv_err[0]);
	csv_opt(fp, true, (int64_t)p->conv_err[1]);
	csv_opt(fp, p->flags & BD_T1_SW, p->t1_txsw);
	csv_opt(fp, p->g_flush_us, p->g_flush_us);
	for (d = 0; d < BD_DOMS; d++)
		for (s = 0; s < __SRTT_STAGE_MAX; s++)
			csv_opt(fp, p->stage_mask[d] & (1U << s),
				p->stage[d][s]);
	csv_opt(fp, p->hv_irq, p->hv_irq);
	csv_opt(fp, p->hv_signal, p->hv_signal);
	csv_opt(fp, p->hv_inject, p->hv_inject);
	csv_opt(fp, p->hv_irq || p->hv_signal, p->hv_vf);
	csv_opt(fp, p->fwd_rx_irq, p->fwd_rx_irq);
	csv_opt(fp, p->fwd_rx_drv, p->fwd_rx_drv);
	csv_opt(fp, p->flags & BD_PTP, p->ptp_theta);
	csv_opt(fp, p->flags & BD_PTP, (int64_t)p->ptp_err);
	csv_opt(fp, p->flags & BD_PTP, p->ptp_g);
}

/* column @k of a packet's components: a value, merged:FIRST or absent */
static void csv_write_comp_col(const struct srtt_decomp *dc, unsigned int k,
			       FILE *fp)
{
	uint16_t col = csv_comp_col(k);
	char name[SRTT_DECOMP_NAME_MAX];
	unsigned int j, first;

	for (j = 0; j < dc->n; j++)
		if (dc->c[j].parts & col)
			break;
	if (j == dc->n) {
		fputs(",", fp);
		return;
	}
	for (first = 0; !(dc->c[j].parts & csv_comp_col(first)); first++)
		;
	if (first == k) {
		csv_comp(fp, &dc->c[j]);
		return;
	}
	srtt_decomp_name(csv_comp_col(first), name, sizeof(name));
	fprintf(fp, ",merged:%s", name);
}

/* what was computed: the RTT, the one-way split, the components */
static void csv_write_results(const struct bd_pkt *p, FILE *fp)
{
	bool ok = (p->flags & BD_RECEIVED) && !(p->flags & BD_DECOMP_ERR);
	unsigned int k;

	if (ok && !p->d.rtt_why)
		fprintf(fp, ",%" PRId64, p->d.rtt_ns);
	else
		fprintf(fp, ",%s", ok ? "impossible" : "");
	csv_comp(fp, p->oneway_ok ? &p->ow.fwd : NULL);
	csv_opt(fp, p->oneway_ok, (int64_t)p->ow.fwd.err_ns);
	csv_comp(fp, p->oneway_ok ? &p->ow.rev : NULL);
	csv_opt(fp, p->oneway_ok, (int64_t)p->ow.rev.err_ns);
	for (k = 0; k < BD_CSV_N_COMP; k++) {
		if (ok)
			csv_write_comp_col(&p->d, k, fp);
		else
			fputs(",", fp);
	}
}

int bd_write_csv(const struct bd_run *r, FILE *fp)
{
	uint64_t i;

	bd_notify_csv_write(r, fp);
	csv_write_header(fp);
	for (i = 0; i < r->count; i++) {
		fprintf(fp, "%" PRIu32 ",", r->p[i].seq);
		csv_write_flags(&r->p[i], fp);
		csv_write_stamps(&r->p[i], fp);
		csv_write_results(&r->p[i], fp);
		fputs("\n", fp);
	}
	if (fflush(fp) || ferror(fp))
		return -(errno ? errno : EIO);
	return 0;
}
