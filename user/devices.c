// SPDX-License-Identifier: GPL-2.0
/*
 * sriov-rtt devices: the PF -> VF map of this network namespace, from
 * rtnetlink (IFLA_VFINFO_LIST through libnl-route) and sysfs, and which
 * netdevs sriov_rtt has attached. Works without the module.
 */

#include <dirent.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <linux/if_ether.h>
#include <linux/if_link.h>

#include <netlink/addr.h>
#include <netlink/cache.h>
#include <netlink/route/link.h>
#include <netlink/route/link/sriov.h>

#include "lib/json.h"
#include "lib/names.h"
#include "lib/nlctx.h"
#include "lib/sysfs.h"
#include "sriov-rtt.h"

#define PCI_NAME_MAX	32
#define DRIVER_MAX	64
#define DEVPATH_MAX	128	/* /sys/class/net/IFNAME/device */

/* What is known about attachment. */
struct attached {
	bool			known;
	const char		*why;	/* when not known */
	struct srtt_dev_list	list;
};

static bool in_namespace(struct srtt_ctx *ctx, const char *name, int *ifindex)
{
	struct rtnl_link *link = rtnl_link_get_by_name(ctx->links, name);

	if (!link)
		return false;
	if (ifindex)
		*ifindex = rtnl_link_get_ifindex(link);
	rtnl_link_put(link);
	return true;
}

/*
 * The netdev of PCI function @pci in this namespace: sysfs lists the
 * netdevs of the sysfs mount's namespace; rtnetlink confirms ours.
 */
static bool pci_netdev(struct srtt_ctx *ctx, const char *pci, char *name,
		       int *ifindex)
{
	char path[PATH_MAX];
	struct dirent *de;
	bool found = false;
	DIR *dir;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/net", pci);
	dir = opendir(path);
	if (!dir)
		return false;
	while (!found && (de = readdir(dir))) {
		if (de->d_name[0] == '.' || strlen(de->d_name) >= IFNAMSIZ)
			continue;
		if (in_namespace(ctx, de->d_name, ifindex)) {
			strcpy(name, de->d_name);
			found = true;
		}
	}
	closedir(dir);
	return found;
}

static void pci_driver(const char *devpath, char *driver, size_t len)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/driver", devpath);
	if (srtt_sysfs_link_name(path, driver, len))
		driver[0] = '\0';
}

static void print_driver(struct srtt_out *o, const char *driver)
{
	if (driver[0])
		srtt_print_string(o, SRTT_PK_ANY, "driver", " driver %s",
				  driver);
	else
		srtt_print_null(o, SRTT_PK_ANY, "driver", " driver %s", "none");
}

static const struct srtt_dev_msg *attached_by_pci(const struct attached *att,
						  const char *pci)
{
	size_t i;

	for (i = 0; i < att->list.n; i++)
		if (att->list.dev[i].pci[0] &&
		    !strcmp(att->list.dev[i].pci, pci))
			return &att->list.dev[i];
	return NULL;
}

/*
 * A netdev of this namespace is attached or not, matched by ifindex. A VF
 * whose netdev is elsewhere is shown attached only when the module names
 * its PCI function; otherwise nothing is claimed (JSON null).
 */
static void print_attached(struct srtt_ctx *ctx, const struct attached *att,
			   int ifindex, const char *pci)
{
	struct srtt_out *o = &ctx->out;
	const struct srtt_dev_msg *d;
	char buf[256];

	if (!att->known) {
		srtt_print_null(o, SRTT_PK_JSON, "attached", NULL, NULL);
		return;
	}
	d = ifindex > 0 ? srtt_dev_list_find(ctx, &att->list, ifindex) :
	    pci ? attached_by_pci(att, pci) : NULL;
	if (ifindex <= 0 && !d) {
		srtt_print_null(o, SRTT_PK_JSON, "attached", NULL, NULL);
		return;
	}
	srtt_print_bool(o, SRTT_PK_ANY, "attached", " %s", d != NULL,
			"attached", "not attached");
	if (d && d->stages)
		srtt_print_string(o, SRTT_PK_ANY, "stages", " (stages %s)",
				  srtt_stages_str(d->stages, buf, sizeof(buf)));
}

static const char *link_state_str(uint32_t state)
{
	switch (state) {
	case IFLA_VF_LINK_STATE_AUTO:
		return "auto";
	case IFLA_VF_LINK_STATE_ENABLE:
		return "enable";
	case IFLA_VF_LINK_STATE_DISABLE:
		return "disable";
	default:
		return "?";
	}
}

/* What the PF's driver reports about VF @vf (rtnetlink IFLA_VF_*). */
static void print_vf_config(struct srtt_out *o, struct rtnl_link_vf *vf)
{
	nl_vf_vlans_t *vlans = NULL;
	struct nl_addr *addr;
	uint32_t v;

	if (!rtnl_link_vf_get_addr(vf, &addr) && nl_addr_get_len(addr)) {
		char mac[3 * 32];

		srtt_mac_str(nl_addr_get_binary_addr(addr),
			     nl_addr_get_len(addr), mac, sizeof(mac));
		srtt_print_string(o, SRTT_PK_ANY, "mac", " mac %s", mac);
	}
	if (!rtnl_link_vf_get_vlans(vf, &vlans) && vlans->size > 0) {
		const nl_vf_vlan_info_t *vi = &vlans->vlans[0];

		srtt_print_u64(o, SRTT_PK_ANY, "vlan", " vlan %" PRIu64,
			       vi->vf_vlan);
		if (vi->vf_vlan_qos)
			srtt_print_u64(o, SRTT_PK_ANY, "qos", " qos %" PRIu64,
				       vi->vf_vlan_qos);
		if (vi->vf_vlan_proto == ETH_P_8021AD)
			srtt_print_string(o, SRTT_PK_ANY, "vlan_proto",
					  " vlan-proto %s", "802.1ad");
	} else {
		/* libnl leaves VLAN 0 out */
		srtt_print_u64(o, SRTT_PK_ANY, "vlan", " vlan %" PRIu64, 0);
	}
	if (vlans)
		rtnl_link_vf_vlan_put(vlans);
	if (!rtnl_link_vf_get_spoofchk(vf, &v))
		srtt_print_on_off(o, SRTT_PK_ANY, "spoofchk", " spoofchk %s",
				  v);
	if (!rtnl_link_vf_get_trust(vf, &v))
		srtt_print_on_off(o, SRTT_PK_ANY, "trust", " trust %s", v);
	if (!rtnl_link_vf_get_linkstate(vf, &v))
		srtt_print_string(o, SRTT_PK_ANY, "link_state",
				  " link-state %s", link_state_str(v));
}

static void show_vf(struct srtt_ctx *ctx, const struct attached *att,
		    struct rtnl_link *pf, const char *pfdev, uint32_t index)
{
	char path[PATH_MAX], devpath[DEVPATH_MAX], pci[PCI_NAME_MAX];
	char driver[DRIVER_MAX], name[IFNAMSIZ];
	struct srtt_out *o = &ctx->out;
	struct rtnl_link_vf *vf = NULL;
	int ifindex = 0;

	snprintf(path, sizeof(path), "%s/virtfn%u", pfdev, index);
	if (srtt_sysfs_link_name(path, pci, sizeof(pci)))
		return;		/* VFs changing under us */
	snprintf(devpath, sizeof(devpath), "/sys/bus/pci/devices/%s", pci);
	pci_driver(devpath, driver, sizeof(driver));

	srtt_open_object(o, NULL);
	srtt_print_u64(o, SRTT_PK_ANY, "vf", "    vf %" PRIu64, index);
	if (pci_netdev(ctx, pci, name, &ifindex))
		srtt_print_string(o, SRTT_PK_ANY, "ifname", " %s", name);
	else
		srtt_print_null(o, SRTT_PK_ANY, "ifname", " %s",
				"not in this namespace");
	if (ifindex > 0)
		srtt_print_u64(o, SRTT_PK_JSON, "ifindex", NULL,
			       (uint64_t)ifindex);
	srtt_print_string(o, SRTT_PK_ANY, "pci", " %s", pci);
	/* rtnl_link_vf_get() needs the list to exist */
	if (rtnl_link_has_vf_list(pf))
		vf = rtnl_link_vf_get(pf, index);
	if (vf) {
		print_vf_config(o, vf);
		rtnl_link_vf_put(vf);
	}
	print_driver(o, driver);
	print_attached(ctx, att, ifindex, pci);
	srtt_close_object(o);
	srtt_print_nl(o);
}

/* An SR-IOV PF: a netdev whose PCI function can have VFs. */
static bool is_pf(const char *name, uint32_t *total)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "/sys/class/net/%s/device/sriov_totalvfs",
		 name);
	return !srtt_sysfs_u32(path, total) && *total > 0;
}

static void show_pf(struct srtt_ctx *ctx, const struct attached *att,
		    struct rtnl_link *link, uint32_t total)
{
	char devpath[DEVPATH_MAX], path[PATH_MAX], pci[PCI_NAME_MAX];
	const char *name = rtnl_link_get_name(link);
	struct srtt_out *o = &ctx->out;
	char driver[DRIVER_MAX];
	uint32_t num = 0, i;

	snprintf(devpath, sizeof(devpath), "/sys/class/net/%s/device", name);
	if (srtt_sysfs_link_name(devpath, pci, sizeof(pci)))
		snprintf(pci, sizeof(pci), "?");
	pci_driver(devpath, driver, sizeof(driver));
	snprintf(path, sizeof(path), "%s/sriov_numvfs", devpath);
	if (srtt_sysfs_u32(path, &num))
		num = 0;

	srtt_open_object(o, NULL);
	srtt_print_string(o, SRTT_PK_ANY, "ifname", "%s:", name);
	srtt_print_u64(o, SRTT_PK_JSON, "ifindex", NULL,
		       (uint64_t)rtnl_link_get_ifindex(link));
	srtt_print_string(o, SRTT_PK_ANY, "role", " %s", "pf");
	srtt_print_string(o, SRTT_PK_ANY, "pci", " %s", pci);
	print_driver(o, driver);
	srtt_print_u64(o, SRTT_PK_ANY, "numvfs", " vfs %" PRIu64, num);
	srtt_print_u64(o, SRTT_PK_ANY, "totalvfs", "/%" PRIu64, total);
	print_attached(ctx, att, rtnl_link_get_ifindex(link), pci);
	srtt_print_nl(o);
	srtt_open_array(o, "vfs");
	for (i = 0; i < num; i++)
		show_vf(ctx, att, link, devpath, i);
	srtt_close_array(o);
	srtt_close_object(o);
}

/*
 * A VF netdev of this namespace whose PF has no netdev here (the PF stays
 * in the host namespace, the VF went to a container). Returns false for
 * anything else.
 */
static bool show_lone_vf(struct srtt_ctx *ctx, const struct attached *att,
			 struct rtnl_link *link)
{
	char devpath[DEVPATH_MAX], path[PATH_MAX], pci[PCI_NAME_MAX];
	char pfpci[PCI_NAME_MAX], vfpci[PCI_NAME_MAX], pfname[IFNAMSIZ];
	const char *name = rtnl_link_get_name(link);
	struct srtt_out *o = &ctx->out;
	char driver[DRIVER_MAX];
	int index = -1, i;

	snprintf(devpath, sizeof(devpath), "/sys/class/net/%s/device", name);
	snprintf(path, sizeof(path), "%s/physfn", devpath);
	if (srtt_sysfs_link_name(path, pfpci, sizeof(pfpci)) ||
	    srtt_sysfs_link_name(devpath, pci, sizeof(pci)))
		return false;
	if (pci_netdev(ctx, pfpci, pfname, NULL))
		return false;	/* listed under its PF */

	/* which VF of the PF it is */
	for (i = 0; i < 4096 && index < 0; i++) {
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/virtfn%d",
			 pfpci, i);
		if (srtt_sysfs_link_name(path, vfpci, sizeof(vfpci)))
			break;
		if (!strcmp(vfpci, pci))
			index = i;
	}
	pci_driver(devpath, driver, sizeof(driver));

	srtt_open_object(o, NULL);
	srtt_print_string(o, SRTT_PK_ANY, "ifname", "%s:", name);
	srtt_print_u64(o, SRTT_PK_JSON, "ifindex", NULL,
		       (uint64_t)rtnl_link_get_ifindex(link));
	srtt_print_string(o, SRTT_PK_ANY, "role", " %s", "vf");
	srtt_print_string(o, SRTT_PK_ANY, "pci", " %s", pci);
	if (index >= 0)
		srtt_print_u64(o, SRTT_PK_ANY, "vf", " index %" PRIu64,
			       (uint64_t)index);
	srtt_print_null(o, SRTT_PK_ANY, "pf", " pf %s", "not in this namespace");
	srtt_print_string(o, SRTT_PK_ANY, "pf_pci", " pf-pci %s", pfpci);
	print_driver(o, driver);
	print_attached(ctx, att, rtnl_link_get_ifindex(link), pci);
	srtt_close_object(o);
	srtt_print_nl(o);
	return true;
}

int srtt_cmd_devices(struct srtt_ctx *ctx, const struct srtt_args *a)
{
	struct attached att = { .why = "module not loaded" };
	struct srtt_out *o = &ctx->out;
	struct nl_object *obj;
	unsigned int shown = 0;
	uint32_t total;

	(void)a;
	if (ctx->family >= 0) {
		if (srtt_dev_list_get(ctx, &att.list)) {
			struct srtt_what what = {
				.action = "listing the attached devices",
				.cmd = "devices",
			};

			srtt_report(ctx, &what);
			att.why = "see the error above";
		} else {
			att.known = true;
		}
	}

	srtt_open_array(o, NULL);
	for (obj = nl_cache_get_first(ctx->links); obj;
	     obj = nl_cache_get_next(obj)) {
		struct rtnl_link *link = (struct rtnl_link *)obj;

		if (is_pf(rtnl_link_get_name(link), &total)) {
			show_pf(ctx, &att, link, total);
			shown++;
		}
	}
	for (obj = nl_cache_get_first(ctx->links); obj;
	     obj = nl_cache_get_next(obj))
		shown += show_lone_vf(ctx, &att, (struct rtnl_link *)obj);
	srtt_close_array(o);

	if (!shown)
		srtt_print_string(o, SRTT_PK_TEXT, NULL, "%s\n",
				  "no SR-IOV devices in this network namespace");
	else if (!att.known)
		srtt_print_string(o, SRTT_PK_TEXT, NULL,
				  "attached: unknown (%s)\n", att.why);
	srtt_dev_list_free(&att.list);
	return SRTT_EXIT_OK;
}
