// SPDX-License-Identifier: GPL-2.0
/*
 * sriov_rtt: the socket stages. rx_sock, a STAMP datagram queued to its
 * UDP socket (sock:sk_data_ready, 6.5 on), and rx_copy, the application's
 * copy (sock:sock_recv_length for STAMP sockets, else a received skb a
 * task frees).
 */

#include <linux/hash.h>
#include <linux/nsproxy.h>
#include <linux/sched.h>
#include <linux/skbuff.h>
#include <linux/udp.h>
#include <net/inet_sock.h>
#include <net/sock.h>

#include "hooks.h"

/*
 * The attached device a datagram at a socket came in on: skb->skb_iif in
 * namespace @net. skb->dev no longer says it there (UDP reuses the field
 * for its own scratch).
 */
static __always_inline struct srtt_dev *
srtt_dev_by_iif(const struct sk_buff *skb, const struct net *net)
{
	struct srtt_table *t = srtt_table_hot();
	unsigned int i;

	if (!t || !net)
		return NULL;
	for (i = 0; i < t->n; i++)
		if (t->devs[i]->ndev->ifindex == skb->skb_iif &&
		    net_eq(dev_net(t->devs[i]->ndev), net))
			return t->devs[i];
	return NULL;
}

/*
 * A probe at the socket: classified from its headers, which the skb still
 * holds in front of the payload. Probes only, no sampling.
 */
static bool srtt_sock_key(struct srtt_dev *d, const struct sk_buff *skb,
			  u8 stage, struct srtt_key *key, u16 *flags)
{
	u32 scan = srtt_skb_scan(skb);

	if (scan == SRTT_CLS_NONE)
		return false;
	switch (srtt_skb_classify(skb, scan, key, flags)) {
	case SRTT_CLS_PROBE:
		return true;
	case SRTT_CLS_NONE:
		return false;
	default:
		this_cpu_inc(d->stats->bad[stage]);
		return false;
	}
}

#ifdef SRTT_HAVE_TP_SOCK_RECV_LENGTH
/*
 * rx_copy of a STAMP socket. Newer kernels free a read UDP datagram
 * without a tracepoint (skb_attempt_defer_free()), so rx_sock files the
 * keys of the datagrams it sees queued, in order, in the socket's slot,
 * and each recvmsg() of that socket that returns data
 * (sock:sock_recv_length) stamps rx_copy for the oldest. A slot is a
 * bounded queue without a lock (each cell's sequence number says whose
 * turn it is, D. Vyukov's MPMC design): rx_sock may run on several CPUs
 * at once, readers in several tasks. When the slot's count and the
 * socket's queues disagree (a datagram queued unseen, a second socket on
 * the slot) rx_sock empties it and those datagrams get no rx_copy.
 */
#define SRTT_SOCK_SLOTS		64
#define SRTT_SOCK_KEYS		8	/* a power of two */
#define SRTT_SOCK_TRIES		4	/* lost races before giving up */

struct srtt_sock_cell {
	atomic_t		seq;	/* its turn: see srtt_sock_push() */
	const struct sock	*sk;
	u64			tag;	/* srtt_sock_pack() */
};

struct srtt_sock_slot {
	atomic_t		in, out;	/* positions, free running */
	struct srtt_sock_cell	cell[SRTT_SOCK_KEYS];
};

static struct srtt_sock_slot srtt_sock_slots[SRTT_SOCK_SLOTS];

void srtt_sock_init(void)
{
	unsigned int i, j;

	for (i = 0; i < SRTT_SOCK_SLOTS; i++) {
		atomic_set(&srtt_sock_slots[i].in, 0);
		atomic_set(&srtt_sock_slots[i].out, 0);
		for (j = 0; j < SRTT_SOCK_KEYS; j++)
			atomic_set(&srtt_sock_slots[i].cell[j].seq, j);
	}
}

static struct srtt_sock_slot *srtt_sock_slot(const struct sock *sk)
{
	return &srtt_sock_slots[hash_ptr(sk, ilog2(SRTT_SOCK_SLOTS))];
}

/*
 * Cell at position p is free for a writer when its seq is p, holds p's
 * entry when it is p + 1, and is free again for position p + KEYS once
 * read. A writer or reader claims p by moving in or out past it.
 */
static bool srtt_sock_push(struct srtt_sock_slot *s, const struct sock *sk,
			   u64 tag)
{
	unsigned int pos = atomic_read(&s->in), n;
	struct srtt_sock_cell *c;
	int dif;

	for (n = 0; n < SRTT_SOCK_TRIES; n++) {
		c = &s->cell[pos % SRTT_SOCK_KEYS];
		dif = (int)(atomic_read_acquire(&c->seq) - pos);
		if (dif < 0)
			return false;		/* full */
		if (dif > 0) {
			pos = atomic_read(&s->in);
			continue;
		}
		if (!atomic_try_cmpxchg_relaxed(&s->in, &pos, pos + 1))
			continue;
		c->sk = sk;
		c->tag = tag;
		atomic_set_release(&c->seq, pos + 1);
		return true;
	}
	return false;
}

/* The oldest entry out, if it is @sk's (or any, @sk NULL) */
static bool srtt_sock_pop(struct srtt_sock_slot *s, const struct sock *sk,
			  u64 *tag)
{
	unsigned int pos = atomic_read(&s->out), n;
	struct srtt_sock_cell *c;
	int dif;

	for (n = 0; n < SRTT_SOCK_TRIES; n++) {
		c = &s->cell[pos % SRTT_SOCK_KEYS];
		dif = (int)(atomic_read_acquire(&c->seq) - (pos + 1));
		if (dif < 0)
			return false;		/* empty */
		if (dif > 0) {
			pos = atomic_read(&s->out);
			continue;
		}
		/* another socket's entry stays for it (or an emptying) */
		if (sk && READ_ONCE(c->sk) != sk)
			return false;
		if (!atomic_try_cmpxchg_relaxed(&s->out, &pos, pos + 1))
			continue;
		*tag = c->tag;
		atomic_set_release(&c->seq, pos + SRTT_SOCK_KEYS);
		return true;
	}
	return false;
}

/* key, device and the IPv6/VLAN flags in one word */
static u64 srtt_sock_pack(const struct srtt_dev *d, const struct srtt_key *k,
			  u16 flags)
{
	return (u64)k->seq | (u64)k->id << 32 | (u64)(k->dir & 1) << 48 |
	       (u64)(k->probe & 3) << 49 | (u64)(d->id & 15) << 51 |
	       (u64)!!(flags & SRTT_REC_F_IPV6) << 55 |
	       (u64)!!(flags & SRTT_REC_F_VLAN) << 56;
}

/*
 * rx_sock of @sk, @pending datagrams now in its queues: file the key.
 * One more than the slot holds, or as many when a reader has just taken
 * one and not yet returned: in step; anything else empties the slot.
 */
static void srtt_sock_queued(const struct sock *sk, const struct srtt_dev *d,
			     const struct srtt_key *key, u16 flags,
			     unsigned int pending)
{
	struct srtt_sock_slot *s = srtt_sock_slot(sk);
	unsigned int n, held;
	u64 tag;

	if (!(d->stages & BIT(SRTT_STAGE_RX_COPY)))
		return;		/* no sock_recv_length takes it */
	held = atomic_read(&s->in) - atomic_read(&s->out);
	if (pending != held + 1 && pending != held) {
		for (n = 0; n < SRTT_SOCK_KEYS && srtt_sock_pop(s, NULL, &tag);
		     n++)
			;
		if (pending != 1)
			return;
	}
	srtt_sock_push(s, sk, srtt_sock_pack(d, key, flags));
}

void srtt_tp_sock_recv(void *data, struct sock *sk, int ret, int flags)
{
	u16 port = htons(READ_ONCE(srtt_cfg.stamp_port));
	struct srtt_sock_slot *s;
	struct srtt_table *t;
	struct srtt_key key;
	unsigned int i;
	u64 tag;

	if (likely(sk->sk_protocol != IPPROTO_UDP) || ret <= 0 ||
	    (flags & MSG_PEEK) ||
	    (inet_sk(sk)->inet_sport != port && inet_sk(sk)->inet_dport != port))
		return;
	s = srtt_sock_slot(sk);
	if (!srtt_sock_pop(s, sk, &tag))
		return;
	key.seq = (u32)tag;
	key.id = (u16)(tag >> 32);
	key.dir = (tag >> 48) & 1;
	key.probe = (tag >> 49) & 3;
	t = srtt_table_hot();
	for (i = 0; t && i < t->n; i++)
		if (t->devs[i]->id == ((tag >> 51) & 15))
			srtt_emit(t->devs[i], SRTT_STAGE_RX_COPY, ktime_get_ns(),
				  0, &key, SRTT_REC_F_NO_QUEUE |
				  (tag >> 55 & 1 ? SRTT_REC_F_IPV6 : 0) |
				  (tag >> 56 & 1 ? SRTT_REC_F_VLAN : 0), 0);
}

#else
void srtt_sock_init(void)
{
}
#endif

static noinline void srtt_sock_stage(struct srtt_dev *d,
				     const struct sk_buff *skb, u8 stage)
{
	struct srtt_key key;
	u16 flags, queue;

	if (!srtt_sock_key(d, skb, stage, &key, &flags))
		return;
#ifdef SRTT_HAVE_TP_SOCK_RECV_LENGTH
	/* a STAMP datagram's copy is the socket's (srtt_tp_sock_recv()) */
	if (stage == SRTT_STAGE_RX_COPY && key.probe == SRTT_PROBE_STAMP)
		return;
#endif
	queue = srtt_queue(skb, stage, &flags);
	srtt_emit(d, stage, ktime_get_ns(), 0, &key, flags, queue);
}

/*
 * rx_copy: the application has copied the datagram out. recvmsg() frees
 * the skb in the reader's own context once it copied it (UDP:
 * skb_consume_udp(); ping, raw: skb_free_datagram()), and the reader's
 * namespace is the socket's. skb:skb_copy_datagram_iovec would be the
 * copy's start, but UDP copies a linear skb without it. Reached from
 * consume_skb for received skbs freed by a task only.
 */
void srtt_rx_copied(const struct sk_buff *skb)
{
	const struct nsproxy *ns = current->nsproxy;
	struct srtt_dev *d;

	if (!ns)
		return;
	d = srtt_dev_by_iif(skb, ns->net_ns);
	if (d)
		srtt_sock_stage(d, skb, SRTT_STAGE_RX_COPY);
}

#ifdef SRTT_HAVE_TP_SK_DATA_READY
/*
 * rx_sock: a UDP datagram of the STAMP port is queued to its socket. The
 * tracepoint names the socket, not the skb, and a reader on another CPU
 * may have taken the skb and freed it by then: it is never touched, no
 * lock is taken. rx_stack filed the probe's key on this CPU by the skb's
 * address (srtt_rx_recent_add()); the address of the receive queue's
 * tail, compared and never followed, picks it here, in the same softirq.
 * A datagram a reader took before this, or that the stack replaced with
 * a copy (ip_rcv() clones a shared skb), gets no rx_sock.
 */
/* rx_stack of a STAMP probe, filed for rx_sock */
void srtt_rx_recent_add(const struct sk_buff *skb,
			const struct srtt_dev *d,
			const struct srtt_key *key, u16 flags,
			u16 queue, u64 ts)
{
	struct srtt_pcpu *pc = this_cpu_ptr(&srtt_pcpu);
	struct srtt_rx_recent *e = &pc->rx[pc->rx_next++ % SRTT_RX_RECENT];

	/* one writer per CPU (softirq); the address last says it is whole */
	WRITE_ONCE(e->skb, NULL);
	barrier();
	e->dev_id = d->id;
	e->key = *key;
	e->flags = flags;
	e->queue = queue;
	e->ts = ts;
	barrier();
	WRITE_ONCE(e->skb, skb);
}

/* This CPU's entry for the skb at @tail, newest first, taken out */
static bool srtt_rx_recent_take(const void *tail, u64 now,
				struct srtt_rx_recent *c)
{
	struct srtt_pcpu *pc = this_cpu_ptr(&srtt_pcpu);
	struct srtt_rx_recent *e;
	unsigned int i;

	for (i = 1; i <= SRTT_RX_RECENT; i++) {
		e = &pc->rx[(pc->rx_next - i) % SRTT_RX_RECENT];
		if (READ_ONCE(e->skb) != tail)
			continue;
		*c = *e;
		barrier();
		if (READ_ONCE(e->skb) != tail)
			return false;
		WRITE_ONCE(e->skb, NULL);
		return now - c->ts < SRTT_RX_RECENT_NS;
	}
	return false;
}

void srtt_tp_sk_data_ready(void *data, const struct sock *sk)
{
	u16 port = htons(READ_ONCE(srtt_cfg.stamp_port));
	const struct sk_buff_head *q = &sk->sk_receive_queue;
	struct srtt_rx_recent c;
	struct srtt_table *t;
	unsigned int i;
	const void *tail;
	u64 now;

	if (likely(sk->sk_protocol != IPPROTO_UDP) ||
	    (inet_sk(sk)->inet_sport != port && inet_sk(sk)->inet_dport != port))
		return;
	tail = READ_ONCE(q->prev);
	if (tail == (const void *)q)		/* empty: read already */
		return;
	now = ktime_get_ns();
	if (!srtt_rx_recent_take(tail, now, &c))
		return;
	t = srtt_table_hot();
	for (i = 0; t && i < t->n; i++) {
		if (t->devs[i]->id != c.dev_id)
			continue;
		srtt_emit(t->devs[i], SRTT_STAGE_RX_SOCK, now, 0, &c.key,
			  c.flags, c.queue);
#ifdef SRTT_HAVE_TP_SOCK_RECV_LENGTH
		/* pending: the receive queue and the reader's own */
		srtt_sock_queued(sk, t->devs[i], &c.key, c.flags,
				 skb_queue_len_lockless(q) +
				 skb_queue_len_lockless(&udp_sk(sk)->reader_queue));
#endif
	}
}

#else
#endif
