// SPDX-License-Identifier: GPL-2.0
/* sriov_rtt: this kernel's stage stamps per probe key (stages.h). */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "stages.h"

/* A key lives in one of WAYS slots; a new key evicts the oldest of them. */
#define WAYS	4

int srtt_stages_tab_init(struct srtt_stages_tab *t, size_t slots)
{
	memset(t, 0, sizeof(*t));
	if (slots < WAYS || (slots & (slots - 1)) || slots > (1U << 20))
		return -EINVAL;
	t->e = calloc(slots, sizeof(*t->e));
	if (!t->e)
		return -ENOMEM;
	t->size = slots;
	return 0;
}

void srtt_stages_tab_free(struct srtt_stages_tab *t)
{
	free(t->e);
	t->e = NULL;
	t->size = 0;
	free(t->ev);
	t->ev = NULL;
	t->nev = 0;
	t->ev_cap = 0;
}

/* Rings are per CPU: events come nearly, not quite, in time order. */
static void event_add(struct srtt_stages_tab *t, const struct srtt_record *r)
{
	size_t i;

	if (t->nev == t->ev_cap) {
		size_t cap = t->ev_cap ? t->ev_cap * 2 : 1024;
		struct srtt_record *ev;

		if (cap > SRTT_STAGES_EVENTS_MAX)
			cap = SRTT_STAGES_EVENTS_MAX;
		ev = cap > t->ev_cap ? realloc(t->ev, cap * sizeof(*ev)) : NULL;
		if (!ev) {
			t->ev_dropped++;
			return;
		}
		t->ev = ev;
		t->ev_cap = cap;
	}
	for (i = t->nev; i > 0 && t->ev[i - 1].ts > r->ts; i--)
		;
	memmove(&t->ev[i + 1], &t->ev[i], (t->nev - i) * sizeof(*r));
	t->ev[i] = *r;
	t->nev++;
}

/* The index of the first event later than @ts. */
static size_t event_after(const struct srtt_stages_tab *t, uint64_t ts)
{
	size_t lo = 0, hi = t->nev;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (t->ev[mid].ts <= ts)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool event_is(const struct srtt_record *r, unsigned int stage, int vf,
		     int entry)
{
	return r->stage == stage && (vf < 0 || r->queue == vf) &&
	       (entry < 0 || r->key.id == entry);
}

const struct srtt_record *srtt_stages_event(const struct srtt_stages_tab *t,
					    unsigned int stage, uint64_t after,
					    uint64_t before, int vf, int entry)
{
	size_t i;

	for (i = event_after(t, after); i < t->nev && t->ev[i].ts < before; i++)
		if (event_is(&t->ev[i], stage, vf, entry))
			return &t->ev[i];
	return NULL;
}

const struct srtt_record *srtt_stages_event_last(const struct srtt_stages_tab *t,
						 unsigned int stage, uint64_t after,
						 uint64_t before, int vf, int entry)
{
	size_t i = before ? event_after(t, before - 1) : 0;

	while (i-- > 0 && t->ev[i].ts > after)
		if (event_is(&t->ev[i], stage, vf, entry))
			return &t->ev[i];
	return NULL;
}

static bool key_eq(const struct srtt_key *a, const struct srtt_key *b)
{
	return a->probe == b->probe && a->dir == b->dir && a->id == b->id &&
	       a->seq == b->seq;
}

static size_t key_slot(const struct srtt_stages_tab *t, const struct srtt_key *k)
{
	uint64_t h = (uint64_t)k->probe << 49 | (uint64_t)(k->dir & 1) << 48 |
		     (uint64_t)k->id << 32 | k->seq;

	/* splitmix64's finaliser: every input bit reaches the low bits */
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebULL;
	h ^= h >> 31;
	return (size_t)h & (t->size - 1);
}

void srtt_stages_tab_add(struct srtt_stages_tab *t, const struct srtt_record *r)
{
	struct srtt_stages_ent *e, *set, *victim = NULL;
	unsigned int i;

	if (r->flags & SRTT_REC_F_EVENT) {
		if (t->keep_events && r->stage >= SRTT_EVENT_FIRST &&
		    r->stage < __SRTT_EVENT_MAX)
			event_add(t, r);
		return;
	}
	if (r->key.probe == SRTT_PROBE_NONE || (r->flags & SRTT_REC_F_SAMPLED)) {
		t->sampled++;
		return;
	}
	set = &t->e[key_slot(t, &r->key) & ~(size_t)(WAYS - 1)];
	for (i = 0; i < WAYS; i++) {
		e = &set[i];
		if (e->used && key_eq(&e->key, &r->key))
			goto found;
		/* a free slot, else the key filed longest ago */
		if (!victim || (victim->used &&
				(!e->used || e->born < victim->born)))
			victim = e;
	}
	e = victim;
	if (e->used)
		t->evicted++;
	e->used = true;
	e->key = r->key;
	e->n = 0;
	e->born = ++t->tick;
found:
	if (e->n == SRTT_STAGES_PER_KEY) {
		t->full++;
		return;
	}
	e->rec[e->n++] = *r;
	t->stored++;
}

int srtt_stages_take(void *tab, const struct srtt_record *r)
{
	srtt_stages_tab_add(tab, r);
	return 0;
}

unsigned int srtt_stages_tab_get(const struct srtt_stages_tab *t,
				 const struct srtt_key *key,
				 const struct srtt_record **out)
{
	const struct srtt_stages_ent *set;
	unsigned int i;

	*out = NULL;
	if (!t->size)
		return 0;
	set = &t->e[key_slot(t, key) & ~(size_t)(WAYS - 1)];
	for (i = 0; i < WAYS; i++)
		if (set[i].used && key_eq(&set[i].key, key)) {
			*out = set[i].rec;
			return set[i].n;
		}
	return 0;
}

unsigned int srtt_stages_collect(const struct srtt_stages_tab *t,
				 const struct srtt_key *key, uint32_t ifindex,
				 uint64_t lo, uint64_t hi,
				 struct srtt_record *out, unsigned int max,
				 uint64_t *stale)
{
	const struct srtt_record *recs, *pick[__SRTT_STAGE_MAX];
	unsigned int n, i, k = 0, others;

	n = srtt_stages_tab_get(t, key, &recs);
	srtt_stages_pick(recs, n, key->dir == SRTT_DIR_REV, ifindex, pick,
			 &others);
	for (i = 0; i < __SRTT_STAGE_MAX && k < max; i++) {
		if (!pick[i])
			continue;
		if (pick[i]->ts < lo || pick[i]->ts > hi) {
			(*stale)++;
			continue;
		}
		out[k++] = *pick[i];
	}
	return k;
}

void srtt_stages_tab_del(struct srtt_stages_tab *t, const struct srtt_key *key)
{
	struct srtt_stages_ent *set;
	unsigned int i;

	if (!t->size)
		return;
	set = &t->e[key_slot(t, key) & ~(size_t)(WAYS - 1)];
	for (i = 0; i < WAYS; i++)
		if (set[i].used && key_eq(&set[i].key, key)) {
			set[i].used = false;
			set[i].n = 0;
			t->dropped++;
		}
}

unsigned int srtt_stages_pick(const struct srtt_record *recs, unsigned int n,
			      bool tx, uint32_t ifindex,
			      const struct srtt_record *out[__SRTT_STAGE_MAX],
			      unsigned int *others)
{
	unsigned int i, found = 0;

	memset(out, 0, sizeof(*out) * __SRTT_STAGE_MAX);
	*others = 0;
	for (i = 0; i < n; i++) {
		const struct srtt_record *r = &recs[i];
		bool is_tx = r->stage <= SRTT_STAGE_TX_HW;

		if (r->stage >= __SRTT_STAGE_MAX || is_tx != tx)
			continue;
		if (!out[r->stage]) {
			out[r->stage] = r;
			found++;
			continue;
		}
		/* a second device saw this stage: the preferred one wins */
		(*others)++;
		if (ifindex && r->ifindex == ifindex &&
		    out[r->stage]->ifindex != ifindex)
			out[r->stage] = r;
	}
	return found;
}
