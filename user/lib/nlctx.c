// SPDX-License-Identifier: GPL-2.0
/* sriov-rtt: a command's context and its requests to the sriov_rtt family. */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <linux/netlink.h>

#include <netlink/netlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/genl/genl.h>
#include <netlink/genl/ctrl.h>
#include <netlink/route/link.h>

#include "args.h"
#include "nlctx.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK	270
#endif

/* ---- context ---- */

static uint32_t netns_inode(void)
{
	struct stat st;

	if (stat("/proc/self/ns/net", &st))
		return 0;
	return (uint32_t)st.st_ino;
}

static int genl_open(struct srtt_ctx *ctx, unsigned int need)
{
	int one = 1, err;

	ctx->genl = nl_socket_alloc();
	if (!ctx->genl) {
		fprintf(stderr, "out of memory\n");
		return SRTT_EXIT_ERROR;
	}
	err = genl_connect(ctx->genl);
	if (err) {
		fprintf(stderr, "cannot open a generic netlink socket: %s\n",
			nl_geterror(err));
		goto err_free_sock;
	}
	/* error messages of the kernel (extack); old kernels lack it */
	setsockopt(nl_socket_get_fd(ctx->genl), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	nl_socket_enable_msg_peek(ctx->genl);

	ctx->family = genl_ctrl_resolve(ctx->genl, SRTT_GENL_NAME);
	if (ctx->family < 0) {
		err = ctx->family;
		ctx->family = -1;
		if (err != -NLE_OBJ_NOTFOUND) {
			fprintf(stderr,
				"cannot look up the generic netlink family %s: %s\n",
				SRTT_GENL_NAME, nl_geterror(err));
			goto err_free_sock;
		}
		if (need & SRTT_CTX_FAMILY) {
			srtt_report_no_module();
			nl_socket_free(ctx->genl);
			ctx->genl = NULL;
			return SRTT_EXIT_NOMODULE;
		}
	}
	/* srtt_request() asks for ACKs itself and checks sequence numbers */
	nl_socket_disable_auto_ack(ctx->genl);
	return SRTT_EXIT_OK;

err_free_sock:
	nl_socket_free(ctx->genl);
	ctx->genl = NULL;
	return SRTT_EXIT_ERROR;
}

static void genl_close(struct srtt_ctx *ctx)
{
	nl_socket_free(ctx->genl);
	ctx->genl = NULL;
	ctx->family = -1;
}

static int route_open(struct srtt_ctx *ctx, unsigned int need)
{
	int err;

	ctx->route = nl_socket_alloc();
	if (!ctx->route) {
		fprintf(stderr, "out of memory\n");
		return SRTT_EXIT_ERROR;
	}
	err = nl_connect(ctx->route, NETLINK_ROUTE);
	if (err) {
		fprintf(stderr, "cannot open an rtnetlink socket: %s\n",
			nl_geterror(err));
		goto err_free_sock;
	}
	/* a PF with many VFs makes a long RTM_NEWLINK */
	nl_socket_enable_msg_peek(ctx->route);
	if (need & SRTT_CTX_LINKS) {
		err = rtnl_link_alloc_cache(ctx->route, AF_UNSPEC, &ctx->links);
		if (err) {
			fprintf(stderr, "cannot list network devices: %s\n",
				nl_geterror(err));
			goto err_free_sock;
		}
	}
	return SRTT_EXIT_OK;

err_free_sock:
	nl_socket_free(ctx->route);
	ctx->route = NULL;
	return SRTT_EXIT_ERROR;
}

static void route_close(struct srtt_ctx *ctx)
{
	if (ctx->links)
		nl_cache_free(ctx->links);
	ctx->links = NULL;
	nl_socket_free(ctx->route);
	ctx->route = NULL;
}

int srtt_ctx_init(struct srtt_ctx *ctx, bool json, bool pretty,
		  unsigned int need)
{
	int err = SRTT_EXIT_OK;

	memset(ctx, 0, sizeof(*ctx));
	ctx->family = -1;
	/* -p indents JSON and does nothing else (iproute2's -pretty) */
	ctx->json = json;
	ctx->pretty = json && pretty;
	srtt_out_init(&ctx->out, stdout, ctx->json, ctx->pretty);
	ctx->netns_ino = netns_inode();

	if (need & (SRTT_CTX_FAMILY | SRTT_CTX_FAMILY_OPT)) {
		err = genl_open(ctx, need);
		if (err)
			goto err_out;
	}
	if (need & (SRTT_CTX_ROUTE | SRTT_CTX_LINKS)) {
		err = route_open(ctx, need);
		if (err)
			goto err_close_genl;
	}
	return SRTT_EXIT_OK;

err_close_genl:
	genl_close(ctx);
err_out:
	return err;
}

void srtt_ctx_fini(struct srtt_ctx *ctx)
{
	fflush(ctx->out.fp);
	route_close(ctx);
	genl_close(ctx);
}

/* ---- requests ---- */

int srtt_ctx_fail(struct srtt_ctx *ctx, int err, const char *fmt, ...)
{
	va_list ap;

	ctx->err = err;
	ctx->kernel_err = false;
	va_start(ap, fmt);
	vsnprintf(ctx->extack, sizeof(ctx->extack), fmt, ap);
	va_end(ap);
	return -err;
}

int srtt_ctx_bad_reply(struct srtt_ctx *ctx, const char *why)
{
	return srtt_ctx_fail(ctx, EPROTO,
			     "the kernel sent %s (module and tool versions differ?)",
			     why);
}

struct nl_msg *srtt_msg_new(struct srtt_ctx *ctx, uint8_t cmd, bool dump)
{
	struct nl_msg *msg;

	msg = nlmsg_alloc();
	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, ctx->family, 0,
			 dump ? NLM_F_DUMP : NLM_F_ACK, cmd,
			 SRTT_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

struct srtt_req {
	struct srtt_ctx	*ctx;
	srtt_reply_cb	cb;
	void		*arg;
	uint32_t	seq;
	bool		done;
	int		err;	/* negative errno */
};


static int req_seq_check(struct nl_msg *msg, void *arg)
{
	struct srtt_req *req = arg;

	return nlmsg_hdr(msg)->nlmsg_seq == req->seq ? NL_OK : NL_SKIP;
}

static int req_valid(struct nl_msg *msg, void *arg)
{
	struct srtt_req *req = arg;
	int err;

	if (!req->cb)
		return NL_OK;
	err = req->cb(req->ctx, nlmsg_hdr(msg), req->arg);
	if (err < 0) {
		req->err = err;
		req->done = true;
		return NL_STOP;
	}
	return NL_OK;
}

static int req_ack(struct nl_msg *msg, void *arg)
{
	struct srtt_req *req = arg;

	(void)msg;
	req->done = true;
	return NL_STOP;
}

/* libnl ignores the error code of NLMSG_DONE: a dump may fail there. */
static int req_finish(struct nl_msg *msg, void *arg)
{
	struct srtt_req *req = arg;
	int error;

	req->done = true;
	error = srtt_nlmsg_error(nlmsg_hdr(msg), req->ctx->extack,
				 sizeof(req->ctx->extack));
	if (error < 0) {
		req->ctx->err = -error;
		req->ctx->kernel_err = true;
		req->err = error;
	}
	return NL_STOP;
}

static int req_error(struct sockaddr_nl *who, struct nlmsgerr *e, void *arg)
{
	/* libnl hands over the payload; the header is right before it */
	struct nlmsghdr *nlh = (struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);
	struct srtt_req *req = arg;
	int error;

	(void)who;
	if (nlh->nlmsg_seq != req->seq)
		return NL_SKIP;
	error = srtt_nlmsg_error(nlh, req->ctx->extack,
				 sizeof(req->ctx->extack));
	req->ctx->err = error < 0 ? -error : EPROTO;
	req->ctx->kernel_err = true;
	req->err = -req->ctx->err;
	req->done = true;
	return NL_STOP;
}

int srtt_request(struct srtt_ctx *ctx, struct nl_msg *msg, srtt_reply_cb cb,
		 void *arg)
{
	struct srtt_req req = { .ctx = ctx, .cb = cb, .arg = arg };
	struct nl_cb *nlcb;
	int err;

	ctx->err = 0;
	ctx->kernel_err = false;
	ctx->extack[0] = '\0';
	if (!msg)
		return srtt_ctx_fail(ctx, ENOMEM, "out of memory");

	nlcb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!nlcb) {
		nlmsg_free(msg);
		return srtt_ctx_fail(ctx, ENOMEM, "out of memory");
	}
	nl_cb_set(nlcb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, req_seq_check, &req);
	nl_cb_set(nlcb, NL_CB_VALID, NL_CB_CUSTOM, req_valid, &req);
	nl_cb_set(nlcb, NL_CB_ACK, NL_CB_CUSTOM, req_ack, &req);
	nl_cb_set(nlcb, NL_CB_FINISH, NL_CB_CUSTOM, req_finish, &req);
	nl_cb_err(nlcb, NL_CB_CUSTOM, req_error, &req);

	err = nl_send_auto(ctx->genl, msg);
	req.seq = nlmsg_hdr(msg)->nlmsg_seq;
	nlmsg_free(msg);
	if (err < 0) {
		err = srtt_ctx_fail(ctx, EIO, "cannot send to the kernel: %s",
				    nl_geterror(err));
		goto out;
	}

	err = 0;
	while (!req.done) {
		err = nl_recvmsgs(ctx->genl, nlcb);
		if (req.done)
			break;
		if (err < 0) {
			err = srtt_ctx_fail(ctx, EIO,
					    "cannot read the kernel's reply: %s",
					    nl_geterror(err));
			goto out;
		}
	}
	err = req.err;
out:
	nl_cb_put(nlcb);
	return err;
}

/* ---- errors ---- */

int srtt_report_no_module(void)
{
	fprintf(stderr,
		"the sriov_rtt module is not loaded: run 'modprobe sriov_rtt' or 'insmod module/sriov_rtt.ko'\n");
	return SRTT_EXIT_NOMODULE;
}

int srtt_report(struct srtt_ctx *ctx, const struct srtt_what *w)
{
	int err = ctx->err;

	if (ctx->kernel_err && (err == EPERM || err == EACCES)) {
		fprintf(stderr, "%s needs CAP_NET_ADMIN: run as root\n",
			w->cmd);
		return SRTT_EXIT_PERM;
	}
	if (ctx->kernel_err && w->dev && w->dev_known &&
	    (err == ENODEV || err == ENOENT)) {
		fprintf(stderr, "%s is not attached; run: sriov-rtt attach %s\n",
			w->dev, w->dev);
		return SRTT_EXIT_NOTATTACHED;
	}
	if (ctx->extack[0])
		fprintf(stderr, "%s failed: %s: %s\n", w->action, ctx->extack,
			strerror(err));
	else
		fprintf(stderr, "%s failed: %s\n", w->action, strerror(err));
	return SRTT_EXIT_ERROR;
}

/* ---- devices in this namespace ---- */

int srtt_link_ifindex(struct srtt_ctx *ctx, const char *name)
{
	struct rtnl_link *link = NULL;
	int err, ifindex;

	err = rtnl_link_get_kernel(ctx->route, 0, name, &link);
	if (err == -NLE_OBJ_NOTFOUND || err == -NLE_NODEV)
		return 0;
	if (err < 0)
		return srtt_ctx_fail(ctx, EIO, "cannot look up %s: %s", name,
				     nl_geterror(err));
	ifindex = rtnl_link_get_ifindex(link);
	rtnl_link_put(link);
	return ifindex;
}
