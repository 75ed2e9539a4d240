/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sriov-rtt: what the breakdown's files share among themselves and
 * nobody else needs (breakdown.h is what `probe` and `report` call).
 */
#ifndef _SRTT_BD_PRIV_H
#define _SRTT_BD_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "breakdown.h"

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

/* The reflector's boot id is this kernel's (and no reply said otherwise). */
static inline bool bd_same_kernel(const struct bd_run *r)
{
	return r->same_boot && !r->other_boot;
}

/* A decomposed reply with the hypervisor clock's offset beside its stamps */
static inline bool bd_ptp_reading(const struct bd_pkt *p)
{
	return (p->flags & BD_RECEIVED) && !(p->flags & BD_DECOMP_ERR) &&
	       (p->flags & BD_PTP) && (p->flags & BD_G_MONO);
}

/*
 * bd_clock.c, step 2 of the analysis: the offset windows, the hypervisor
 * clock checked against them, and per decomposed packet the interrupt
 * stamps off its path (rx_dropped), the guest's rx_irq in H time
 * (irq_h) and the skew of its G intervals (skew_ppb, rate_err_ppb).
 */
void bd_clock(struct bd_run *r);
/* p->ow: p->d's network split by theta; nonzero: no theta or no split */
int bd_clock_oneway(const struct bd_run *r, struct bd_pkt *p);
/*
 * The offset the summary shows: the first window with an estimate (NULL:
 * none) and its theta between like clocks: both MONOTONIC, or, when the
 * reflector sent no bracket (a third-party reflector, --plain), both
 * REALTIME; never G's REALTIME against H's MONOTONIC, decades apart.
 */
const struct srtt_offset_est *bd_clock_shown(const struct bd_run *r,
					     int64_t *theta);
/*
 * bd_notify.c: the run's notifications, printed and in the CSV's comment
 * lines; bd_notify_csv_line() takes one such line (0, or -EINVAL with
 * @why), and leaves other comments alone.
 */
void bd_print_notify(struct srtt_out *o, const struct bd_run *r);
void bd_notify_csv_write(const struct bd_run *r, FILE *fp);
int bd_notify_csv_line(struct bd_run *r, char *line, char *why, size_t len);

/* |skew| of offset window @w, ppb, at most 10^9 */
uint64_t bd_win_skew(const struct bd_run *r, size_t w);

/*
 * bd_csv.c: the CSV's columns, for the writer and the reader
 * (bd_csv_read.c): the domains' keys (h_*, g_*), the flags, the
 * hypervisor's columns and the app stamps'.
 */
extern const char bd_csv_dom[BD_DOMS];
#define BD_CSV_N_FLAGS	16
extern const char * const bd_csv_flags[];
#define BD_CSV_N_HV	6
#define BD_CSV_HV_VF	3	/* hv_vf: a number, not a stamp */
extern const char * const bd_csv_hv[];
#define BD_CSV_N_APP	8
extern const char * const bd_csv_app[];

/* bd_summary.c: the figures of a component as the summary prints them */
const char *bd_us_str(int64_t ns, char *buf, size_t size);
/* column @col of the summary: 0 min, 1 p50, 2 p90, 3 p99, 4 p99.9, 5 max */
#define BD_COL_P50	1
#define BD_COL_P99	3
int64_t bd_comp_stat(const struct bd_comp *c, size_t col);
bool bd_comp_supported(const struct bd_comp *c, size_t col);

/* bd_svg.c: the charts' colours, and text escaped for SVG */
#define BD_SVG_NCOLOURS	12
extern const char * const bd_svg_colours[BD_SVG_NCOLOURS];
void bd_svg_text(FILE *fp, const char *s);
/* An axis step of 1, 2 or 5 times a power of ten: at most 6 ticks to @max */
double bd_svg_tick_step(double max);

#endif /* _SRTT_BD_PRIV_H */
