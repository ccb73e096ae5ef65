#!/usr/bin/env python3
"""Cross-project isolation over REST (issue 16): run by cross_project_test.sh.

Project A's member makes one of every resource of every service; then every other kind
of caller (a reader and a role-less user of A, A's project admin, B's member, the admin
of project C in another domain, that domain's admin, nobody, a forged token) tries every
verb on them, and B makes things that point at A's resources. Expected answers are
OpenStack's: another project's resource is 404 by id in Nova/Neutron/Glance (Keystone
says 403), an action the policy forbids on something the caller can see is 403, no or a
bad token is 401; never 2xx for an attack, never 5xx. After the attacks A's resources must
be unchanged (a GET before and after, ignoring updated_at/revision). An admin of a project
that is not the admin project is not a cloud admin (issue 16 hole 5) unless
XP_LEGACY_ADMIN=1 ([policy] legacy_admin = true).

Environment: XP_IDENTITY, XP_IMAGE, XP_COMPUTE (…/v2.1), XP_NETWORK, XP_ADMIN_PASSWORD,
XP_LEGACY_ADMIN (0/1). Prints a table of (service, resource, actor, verb) -> (expected,
got), and exits 1 listing every mismatch.
"""
import collections
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from xp_http import call  # noqa: E402

IDN = os.environ["XP_IDENTITY"].rstrip("/")
IMG = os.environ["XP_IMAGE"].rstrip("/")
CMP = os.environ["XP_COMPUTE"].rstrip("/")
NET = os.environ["XP_NETWORK"].rstrip("/")
ADMIN_PW = os.environ["XP_ADMIN_PASSWORD"]
LEGACY = os.environ.get("XP_LEGACY_ADMIN", "0") == "1"
PW = "Xp-pass-1234!"
NOVA_HDR = {"OpenStack-API-Version": "compute 2.1", "X-OpenStack-Nova-API-Version": "2.1"}
NOVA_210 = {"OpenStack-API-Version": "compute 2.10", "X-OpenStack-Nova-API-Version": "2.10"}

rows = []          # (service, resource, actor, verb, expected, got, ok, note)
setup_errors = []  # set-up steps that failed (the checks that need them are skipped)


def log(*a):
    print(*a, flush=True)


# ---------------------------------------------------------------- expectations
class Exp:
    """An expectation: allowed status codes, and for lists the ids that must not show."""

    def __init__(self, codes, forbid_ids=(), require_ids=(), label=None):
        self.codes = tuple(codes)
        self.forbid_ids = set(i for i in forbid_ids if i)
        self.require_ids = set(i for i in require_ids if i)
        self.label = label or "|".join(str(c) for c in self.codes)


def E(*codes, **kw):
    return Exp(codes, **kw)


OK2 = (200, 201, 202, 204)


def status_ok(exp, status):
    if not isinstance(status, int):
        return False
    for c in exp.codes:
        if c == "2xx" and 200 <= status < 300:
            return True
        if c == status:
            return True
    return False


def ids_in(obj):
    """Every string value anywhere in a JSON document (ids, names, addresses)."""
    out = set()
    stack = [obj]
    while stack:
        o = stack.pop()
        if isinstance(o, dict):
            stack.extend(o.values())
        elif isinstance(o, list):
            stack.extend(o)
        elif isinstance(o, str):
            out.add(o)
    return out


def record(service, resource, actor, verb, exp, r, note=""):
    got = r.status
    ok = status_ok(exp, got)
    why = []
    if not ok:
        why.append("status")
    if isinstance(got, int) and got >= 500:
        ok = False
        why.append("5xx")
    if isinstance(got, int) and 200 <= got < 300 and (exp.forbid_ids or exp.require_ids):
        seen = ids_in(r.json) if r.json is not None else set()
        leaked = exp.forbid_ids & seen
        if leaked:
            ok = False
            why.append("LEAK " + ",".join(sorted(leaked))[:120])
        missing = exp.require_ids - seen
        if missing:
            ok = False
            why.append("missing " + ",".join(sorted(missing))[:120])
    if isinstance(got, int) and 400 <= got < 500 and r.json is None:
        why.append("(4xx body not JSON)")
    gotlabel = str(got)
    if not ok:
        gotlabel += " " + " ".join(why) + " :: " + r.text(160).replace("\n", " ")
    rows.append((service, resource, actor, verb, exp.label, gotlabel, ok, note))
    return r


# ---------------------------------------------------------------- REST helpers
def auth(name, domain_id, project_id=None, domain_scope=None):
    body = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
        "name": name, "domain": {"id": domain_id}, "password": PW if name != "admin" else ADMIN_PW}}}}}
    if project_id:
        body["auth"]["scope"] = {"project": {"id": project_id}}
    elif domain_scope:
        body["auth"]["scope"] = {"domain": {"id": domain_scope}}
    r = call("POST", IDN + "/v3/auth/tokens", body=body)
    if r.status != 201:
        setup_errors.append("token for %s: %s %s" % (name, r.status, r.text()))
        return None
    return r.header("X-Subject-Token")


def must(what, r, codes=OK2):
    if r.status not in codes:
        setup_errors.append("%s: %s %s" % (what, r.status, r.text()))
        log("SETUP FAILED: %s: %s %s" % (what, r.status, r.text()))
        return None
    return r.json if r.json is not None else {}


def nova(method, path, tok, body=None, hdr=None):
    return call(method, CMP + path, token=tok, body=body, headers=hdr or NOVA_HDR)


def neut(method, path, tok, body=None):
    return call(method, NET + "/v2.0" + path, token=tok, body=body)


def glance(method, path, tok, body=None, raw=None, ctype="application/json"):
    return call(method, IMG + "/v2" + path, token=tok, body=body, raw=raw, ctype=ctype)


def keystone(method, path, tok, body=None):
    return call(method, IDN + "/v3" + path, token=tok, body=body)


def patch_name(value):
    return json.dumps([{"op": "replace", "path": "/name", "value": value}]).encode()


GLANCE_PATCH = "application/openstack-images-v2.1-json-patch"

IGNORED = {"updated_at", "updated", "revision_number", "revision"}


def normalize(o):
    if isinstance(o, dict):
        return {k: normalize(v) for k, v in sorted(o.items()) if k not in IGNORED}
    if isinstance(o, list):
        items = [normalize(v) for v in o]
        try:
            return sorted(items, key=lambda x: json.dumps(x, sort_keys=True))
        except TypeError:
            return items
    return o


def wait_server(tok, sid, want="ACTIVE", seconds=60):
    deadline = time.time() + seconds
    st = None
    while time.time() < deadline:
        r = nova("GET", "/servers/" + sid, tok)
        if r.json and "server" in r.json:
            st = r.json["server"].get("status")
            if st == want or st == "ERROR":
                return st
        time.sleep(0.5)
    return st


# ================================================================= set-up
t0 = time.time()
# The admin's project: scope by name.
r = call("POST", IDN + "/v3/auth/tokens", body={"auth": {"identity": {"methods": ["password"], "password": {
    "user": {"name": "admin", "domain": {"id": "default"}, "password": ADMIN_PW}}},
    "scope": {"project": {"name": "admin", "domain": {"id": "default"}}}}})
admin = r.header("X-Subject-Token")
if not admin:
    log("cannot get the admin's token: %s %s" % (r.status, r.text()))
    sys.exit(2)
admin_project = r.json["token"]["project"]["id"]

roles = {x["name"]: x["id"] for x in (must("role list", keystone("GET", "/roles", admin)) or {}).get("roles", [])}
if "observer" not in roles:
    j = must("role observer", keystone("POST", "/roles", admin, {"role": {"name": "observer"}}))
    roles["observer"] = j["role"]["id"]
for needed in ("admin", "member", "reader"):
    if needed not in roles:
        setup_errors.append("role %s missing" % needed)

sfx = "%d" % (time.time() * 1000 % 100000000)
dom_d = must("domain D", keystone("POST", "/domains", admin, {"domain": {"name": "xp-D-" + sfx}}))["domain"]["id"]


def mkproject(name, domain):
    j = must("project " + name, keystone("POST", "/projects", admin,
                                         {"project": {"name": name + "-" + sfx, "domain_id": domain}}))
    return j["project"]["id"] if j else None


P = {"A": mkproject("xp-A", "default"), "B": mkproject("xp-B", "default"),
     "C": mkproject("xp-C", dom_d), "E": mkproject("xp-E", "default")}
U = {}


def mkuser(key, name, domain, grants):
    j = must("user " + name, keystone("POST", "/users", admin, {"user": {
        "name": name, "domain_id": domain, "password": PW, "enabled": True}}))
    if not j:
        return
    U[key] = {"id": j["user"]["id"], "name": name, "domain": domain}
    for kind, target, role in grants:
        must("grant %s %s on %s" % (role, name, kind),
             keystone("PUT", "/%s/%s/users/%s/roles/%s" % (kind, target, U[key]["id"], roles[role]), admin))


mkuser("a_member", "xp-a-member-" + sfx, "default", [("projects", P["A"], "member")])
mkuser("a_reader", "xp-a-reader-" + sfx, "default", [("projects", P["A"], "reader")])
mkuser("a_norole", "xp-a-norole-" + sfx, "default", [("projects", P["A"], "observer")])
mkuser("a_projadmin", "xp-a-padmin-" + sfx, "default", [("projects", P["A"], "admin")])
mkuser("b_member", "xp-b-member-" + sfx, "default", [("projects", P["B"], "member")])
mkuser("d_domainadmin", "xp-d-dadmin-" + sfx, dom_d, [("domains", dom_d, "admin")])
mkuser("c_other", "xp-c-other-" + sfx, dom_d, [])

T = {"admin": admin}
for key, proj in (("a_member", "A"), ("a_reader", "A"), ("a_norole", "A"), ("a_projadmin", "A"),
                  ("b_member", "B")):
    T[key] = auth(U[key]["name"], "default", project_id=P[proj])
T["d_domainadmin"] = auth(U["d_domainadmin"]["name"], dom_d, domain_scope=dom_d)
T["anon"] = None
T["badtoken"] = (T["a_member"] or "x")[:-6] + "AAAAAA"  # a real token with a forged signature

# The domain admin grants admin on C, to itself and to another user of its domain: if
# identity lets it, those become "project admins of C", who must get no cloud powers.
d_grant_self = keystone("PUT", "/projects/%s/users/%s/roles/%s" % (P["C"], U["d_domainadmin"]["id"], roles["admin"]),
                        T["d_domainadmin"])
d_grant_other = keystone("PUT", "/projects/%s/users/%s/roles/%s" % (P["C"], U["c_other"]["id"], roles["admin"]),
                         T["d_domainadmin"])
log("domain admin grants admin on project C: self %s, other %s" % (d_grant_self.status, d_grant_other.status))
c_admin_by = "the domain admin"
if d_grant_other.status not in OK2:
    c_admin_by = "the cloud admin (the domain admin could not)"
    must("grant admin on C to c_other (cloud admin)",
         keystone("PUT", "/projects/%s/users/%s/roles/%s" % (P["C"], U["c_other"]["id"], roles["admin"]), admin))
T["c_admin"] = auth(U["c_other"]["name"], dom_d, project_id=P["C"])
if d_grant_self.status in OK2:
    T["d_as_c_admin"] = auth(U["d_domainadmin"]["name"], dom_d, project_id=P["C"])

if any(T.get(k) is None for k in ("a_member", "a_reader", "a_norole", "a_projadmin", "b_member", "c_admin")):
    log("cannot get the users' tokens:", setup_errors)
    sys.exit(2)
am, bm = T["a_member"], T["b_member"]

# ---- admin: flavor, a public image, networks (external, shared)
flavor = must("flavor", nova("POST", "/flavors", admin, {"flavor": {
    "name": "xp.tiny-" + sfx, "ram": 128, "vcpus": 1, "disk": 1}}))["flavor"]["id"]
DISK = b"\0" * 65536 + b"gureum-cross-project" + b"\0" * 65516


def mkimage(tok, name, visibility, data=True):
    j = must("image " + name, glance("POST", "/images", tok, {
        "name": name, "disk_format": "raw", "container_format": "bare", "visibility": visibility}))
    if not j:
        return None
    if data:
        must("image data " + name, glance("PUT", "/images/%s/file" % j["id"], tok, raw=DISK,
                                          ctype="application/octet-stream"))
    return j["id"]


pub_img = mkimage(admin, "xp-public", "public")

# ---- A's member: one of everything (servers before any network, so that they get none)
R = {}
j = must("A app credential", keystone("POST", "/users/%s/application_credentials" % U["a_member"]["id"], am,
                                      {"application_credential": {"name": "a-cred", "description": "A's"}}))
R["appcred"] = j["application_credential"]["id"] if j else None
R["img"] = mkimage(am, "a-private-img", "private")
R["simg"] = mkimage(am, "a-shared-img", "shared")
if R["simg"]:
    must("A image member E", glance("POST", "/images/%s/members" % R["simg"], am, {"member": P["E"]}))
j = must("A keypair", nova("POST", "/os-keypairs", am, {"keypair": {"name": "a-key"}}))
R["keypair"] = "a-key" if j else None
j = must("A server group", nova("POST", "/os-server-groups", am, {"server_group": {
    "name": "a-group", "policies": ["anti-affinity"]}}))
R["group"] = j["server_group"]["id"] if j else None
body = {"server": {"name": "a-vm", "imageRef": R["img"] or pub_img, "flavorRef": flavor, "key_name": "a-key",
                   "metadata": {"role": "web"}}}
if R["group"]:
    body["os:scheduler_hints"] = {"group": R["group"]}
j = must("A server", nova("POST", "/servers", am, body))
R["server"] = j["server"]["id"] if j else None
j = must("B server", nova("POST", "/servers", bm, {"server": {"name": "b-vm", "imageRef": pub_img,
                                                             "flavorRef": flavor}}))
R["b_server"] = j["server"]["id"] if j else None
R["b_img"] = mkimage(bm, "b-private-img", "private")
for key in ("server", "b_server"):
    if R[key]:
        st = wait_server(admin, R[key])
        if st != "ACTIVE":
            setup_errors.append("%s is %s, not ACTIVE" % (key, st))
if R["server"]:
    must("A server metadata", nova("POST", "/servers/%s/metadata" % R["server"], am,
                                   {"metadata": {"tier": "gold"}}))

j = must("external network", neut("POST", "/networks", admin, {"network": {"name": "xp-ext", "router:external": True}}))
ext_net = j["network"]["id"] if j else None
must("external subnet", neut("POST", "/subnets", admin, {"subnet": {
    "network_id": ext_net, "cidr": "203.0.113.0/24", "ip_version": 4, "enable_dhcp": False, "name": "xp-ext-sub"}}))
j = must("shared network", neut("POST", "/networks", admin, {"network": {"name": "xp-shared", "shared": True}}))
shared_net = j["network"]["id"] if j else None
j = must("shared subnet", neut("POST", "/subnets", admin, {"subnet": {
    "network_id": shared_net, "cidr": "10.99.0.0/24", "ip_version": 4, "name": "xp-shared-sub"}}))
shared_sub = j["subnet"]["id"] if j else None

j = must("A network", neut("POST", "/networks", am, {"network": {"name": "a-net"}}))
R["net"] = j["network"]["id"] if j else None
j = must("A subnet", neut("POST", "/subnets", am, {"subnet": {
    "network_id": R["net"], "cidr": "10.10.0.0/24", "ip_version": 4, "name": "a-sub"}}))
R["subnet"] = j["subnet"]["id"] if j else None
j = must("A security group", neut("POST", "/security-groups", am, {"security_group": {"name": "a-sg"}}))
R["sg"] = j["security_group"]["id"] if j else None
j = must("A security group rule", neut("POST", "/security-group-rules", am, {"security_group_rule": {
    "security_group_id": R["sg"], "direction": "ingress", "protocol": "tcp", "port_range_min": 22,
    "port_range_max": 22, "ethertype": "IPv4"}}))
R["sgrule"] = j["security_group_rule"]["id"] if j else None
j = must("A port", neut("POST", "/ports", am, {"port": {"network_id": R["net"], "name": "a-port",
                                                      "security_groups": [R["sg"]]}}))
R["port"] = j["port"]["id"] if j else None
j = must("A router", neut("POST", "/routers", am, {"router": {"name": "a-router",
                                                          "external_gateway_info": {"network_id": ext_net}}}))
R["router"] = j["router"]["id"] if j else None
gw_ip = None
if j:
    for f in (j["router"].get("external_gateway_info") or {}).get("external_fixed_ips") or []:
        gw_ip = f.get("ip_address")
must("A router interface", neut("PUT", "/routers/%s/add_router_interface" % R["router"], am,
                                {"subnet_id": R["subnet"]}))
j = must("A floating IP", neut("POST", "/floatingips", am, {"floatingip": {
    "floating_network_id": ext_net, "port_id": R["port"]}}))
R["fip"] = j["floatingip"]["id"] if j else None
a_fip_addr = j["floatingip"]["floating_ip_address"] if j else None

# ---- B's own things, to point at A's from
j = must("B network", neut("POST", "/networks", bm, {"network": {"name": "b-net"}}))
R["b_net"] = j["network"]["id"] if j else None
j = must("B subnet", neut("POST", "/subnets", bm, {"subnet": {
    "network_id": R["b_net"], "cidr": "10.20.0.0/24", "ip_version": 4, "name": "b-sub"}}))
R["b_subnet"] = j["subnet"]["id"] if j else None
j = must("B port", neut("POST", "/ports", bm, {"port": {"network_id": R["b_net"], "name": "b-port"}}))
R["b_port"] = j["port"]["id"] if j else None
j = must("B port 2", neut("POST", "/ports", bm, {"port": {"network_id": R["b_net"], "name": "b-port2"}}))
R["b_port2"] = j["port"]["id"] if j else None
j = must("B router", neut("POST", "/routers", bm, {"router": {"name": "b-router"}}))
R["b_router"] = j["router"]["id"] if j else None
j = must("B security group", neut("POST", "/security-groups", bm, {"security_group": {"name": "b-sg"}}))
R["b_sg"] = j["security_group"]["id"] if j else None
j = must("B floating IP", neut("POST", "/floatingips", bm, {"floatingip": {"floating_network_id": ext_net}}))
R["b_fip"] = j["floatingip"]["id"] if j else None
log("set-up done in %.1f s; resources: %s" % (time.time() - t0, json.dumps(R)))

# ================================================================= A's resources
# Each: service, resource, GET url (callable per service), list url + A's id, update,
# delete, actions. The helpers pick the service's function.
SVC = {"compute": nova, "network": neut, "image": glance, "identity": keystone}


def res(service, name, show, lst=None, update=None, delete=None, actions=(), per_user=False):
    return {"service": service, "name": name, "show": show, "list": lst or [], "update": update,
            "delete": delete, "actions": list(actions), "per_user": per_user}


A = []
if R["server"]:
    s = "/servers/" + R["server"]
    A.append(res("compute", "server", s, [("/servers", R["server"]), ("/servers/detail", R["server"]),
                                          ("/servers/detail?project_id=" + P["A"], R["server"]),
                                          ("/servers/detail?tenant_id=" + P["A"], R["server"]),
                                          ("/servers/detail?all_tenants=1", R["server"])],
                 ("PUT", s, {"server": {"name": "pwned"}}), s,
                 [("os-stop", "POST", s + "/action", {"os-stop": None}),
                  ("reboot", "POST", s + "/action", {"reboot": {"type": "HARD"}}),
                  ("lock", "POST", s + "/action", {"lock": None}),
                  ("console", "POST", s + "/action", {"os-getConsoleOutput": {"length": 5}}),
                  ("metadata GET", "GET", s + "/metadata", None),
                  ("metadata set", "PUT", s + "/metadata/role", {"meta": {"role": "pwned"}}),
                  ("metadata delete", "DELETE", s + "/metadata/role", None),
                  ("actions list", "GET", s + "/os-instance-actions", None)]))
if R["keypair"]:
    A.append(res("compute", "keypair", "/os-keypairs/a-key", [("/os-keypairs", "a-key")], None,
                 "/os-keypairs/a-key", per_user=True))
if R["group"]:
    g = "/os-server-groups/" + R["group"]
    A.append(res("compute", "server group", g, [("/os-server-groups", R["group"]),
                                                ("/os-server-groups?all_projects=True", R["group"])], None, g))
for key, name in (("img", "image"), ("simg", "shared image")):
    if R[key]:
        i = "/images/" + R[key]
        A.append(res("image", name, i, [("/images", R[key]), ("/images?owner=" + P["A"], R[key]),
                                        ("/images?visibility=private", R[key]),
                                        ("/images?visibility=shared", R[key])],
                     ("PATCH", i, patch_name("pwned")), i,
                     [("download", "GET", i + "/file", None),
                      ("deactivate", "POST", i + "/actions/deactivate", None),
                      ("add tag", "PUT", i + "/tags/pwned", None),
                      ("add member", "POST", i + "/members", {"member": P["B"]})]
                     + ([("members list", "GET", i + "/members", None)] if key == "simg" else [])))
if R["simg"]:
    m = "/images/%s/members/%s" % (R["simg"], P["E"])
    A.append(res("image", "image member", m, [], ("PUT", m, {"status": "accepted"}), m))
for key, coll, single in (("net", "networks", "network"), ("subnet", "subnets", "subnet"),
                          ("port", "ports", "port"), ("sg", "security-groups", "security_group"),
                          ("sgrule", "security-group-rules", "security_group_rule"),
                          ("router", "routers", "router"), ("fip", "floatingips", "floatingip")):
    if not R[key]:
        continue
    u = "/%s/%s" % (coll, R[key])
    upd = {single: {"name": "pwned"}} if key not in ("sgrule", "fip") else None
    if key == "fip":
        upd = {"floatingip": {"port_id": None}}
    # Neutron has no update of a security group rule (its API reference lists none; a PUT
    # is 400 for everyone, whoever owns the rule), so there is no PUT to try on one.
    lists = [("/" + coll, R[key]), ("/%s?project_id=%s" % (coll, P["A"]), R[key]),
             ("/%s?tenant_id=%s" % (coll, P["A"]), R[key]), ("/%s?all_tenants=1" % coll, R[key])]
    acts = []
    if key == "router":
        acts = [("add_router_interface", "PUT", u + "/add_router_interface", {"subnet_id": R["b_subnet"]}),
                ("remove_router_interface", "PUT", u + "/remove_router_interface", {"subnet_id": R["subnet"]})]
    if key == "net":
        acts = [("port on it", "POST", "/ports", {"port": {"network_id": R["net"], "name": "intruder"}}),
                ("subnet on it", "POST", "/subnets", {"subnet": {"network_id": R["net"], "cidr": "10.11.0.0/24",
                                                                 "ip_version": 4}})]
    if key == "sg":
        acts = [("rule in it", "POST", "/security-group-rules", {"security_group_rule": {
            "security_group_id": R["sg"], "direction": "ingress", "protocol": "tcp", "port_range_min": 23,
            "port_range_max": 23, "ethertype": "IPv4"}})]
    if key == "fip":
        acts = [("associate to own port", "PUT", u, {"floatingip": {"port_id": R["b_port"]}})]
    A.append(res("network", single.replace("_", " "), u, lists, ("PUT", u, upd) if upd else None, u, acts))
# Nova's network proxies of A's group and floating IP (compute-api asks gureum-network with
# the caller's own token, issue 21): the answers of Nova's other resources.
if R["sg"]:
    u = "/os-security-groups/" + R["sg"]
    A.append(res("compute", "os-security-group", u, [],
                 ("PUT", u, {"security_group": {"name": "pwned", "description": "pwned"}}), u,
                 [("rule in it", "POST", "/os-security-group-rules", {"security_group_rule": {
                     "parent_group_id": R["sg"], "ip_protocol": "tcp", "from_port": 24, "to_port": 24}})]))
if R["fip"]:
    u = "/os-floating-ips/" + R["fip"]
    A.append(res("compute", "os-floating-ip", u, [], None, u))
if R["appcred"]:
    c = "/users/%s/application_credentials/%s" % (U["a_member"]["id"], R["appcred"])
    A.append(res("identity", "application credential", c,
                 [("/users/%s/application_credentials" % U["a_member"]["id"], R["appcred"])], None, c,
                 per_user=True))
A.append(res("identity", "project A", "/projects/" + P["A"], [],
             ("PATCH", "/projects/" + P["A"], {"project": {"description": "pwned"}}), "/projects/" + P["A"],
             [("grant self admin on A", "PUT", "/projects/%s/users/{me}/roles/%s" % (P["A"], roles["admin"]), None)]))
A.append(res("identity", "user a_member", "/users/" + U["a_member"]["id"], [],
             ("PATCH", "/users/" + U["a_member"]["id"], {"user": {"email": "pwned@example.org"}}),
             "/users/" + U["a_member"]["id"],
             [("set password", "PATCH", "/users/" + U["a_member"]["id"], {"user": {"password": "Pwned-1234!"}})]))


def snapshot():
    snap = {}
    for x in A:
        r = SVC[x["service"]]("GET", x["show"], admin if x["service"] == "identity" and x["name"] != "application credential" else am)
        snap[(x["service"], x["name"])] = (r.status, normalize(r.json))
        if x["name"] == "server":
            r = nova("GET", x["show"] + "/metadata", am)
            snap[("compute", "server metadata")] = (r.status, normalize(r.json))
        if x["name"] in ("image", "shared image"):
            r = glance("GET", x["show"] + "/file", am)
            snap[("image", x["name"] + " data")] = (r.status, r.body == DISK)
            if x["name"] == "shared image":
                r = glance("GET", x["show"] + "/members", am)
                snap[("image", x["name"] + " members")] = (r.status, normalize(r.json))
    if R["net"]:
        r = neut("GET", "/ports?network_id=" + R["net"], admin)
        snap[("network", "ports on A's network")] = (r.status, sorted(p["id"] for p in (r.json or {}).get("ports", [])))
        r = neut("GET", "/subnets?network_id=" + R["net"], admin)
        snap[("network", "subnets on A's network")] = (r.status, sorted(p["id"] for p in (r.json or {}).get("subnets", [])))
    if R["sg"]:
        r = neut("GET", "/security-group-rules?security_group_id=" + R["sg"], admin)
        snap[("network", "rules of A's group")] = (r.status, sorted(p["id"] for p in (r.json or {}).get("security_group_rules", [])))
    r = keystone("GET", "/role_assignments?scope.project.id=" + P["A"], admin)
    snap[("identity", "role assignments on A")] = (r.status, normalize((r.json or {}).get("role_assignments")))
    r = call("POST", IDN + "/v3/auth/tokens", body={"auth": {"identity": {"methods": ["password"], "password": {
        "user": {"id": U["a_member"]["id"], "password": PW}}}}})
    snap[("identity", "a_member's password still works")] = (r.status, None)
    return snap


before = snapshot()
for k, v in before.items():
    if v[0] not in OK2:
        setup_errors.append("snapshot of %s: %s" % (" ".join(k), v[0]))

# ================================================================= the attacks
# Actor classes against A's resources. "other": another project's caller; "domain": a
# domain-scoped token; "cadmin": an admin of another project (hole 5).
OTHER = ["b_member", "c_admin"] + (["d_as_c_admin"] if "d_as_c_admin" in T else [])
ALL_ACTORS = ["a_member", "a_reader", "a_norole", "a_projadmin", "b_member", "c_admin", "d_domainadmin",
              "anon", "badtoken", "admin"] + (["d_as_c_admin"] if "d_as_c_admin" in T else [])
# Admins of something that is not the admin project. With legacy_admin every token with
# the admin role is a cloud admin, the domain admin's domain-scoped one too.
ADMINISH = {"c_admin", "d_as_c_admin"} | ({"d_domainadmin"} if LEGACY else set())


def me_of(actor):
    return {"a_member": U["a_member"]["id"], "a_reader": U["a_reader"]["id"], "a_norole": U["a_norole"]["id"],
            "a_projadmin": U["a_projadmin"]["id"], "b_member": U["b_member"]["id"],
            "c_admin": U["c_other"]["id"], "d_domainadmin": U["d_domainadmin"]["id"],
            "d_as_c_admin": U["d_domainadmin"]["id"], "admin": "admin"}.get(actor, "nobody")


def expect_nonidentity(x, actor, verb):
    """The expected answer of a Nova/Neutron/Glance verb on A's resource x."""
    svc = x["service"]
    write = verb not in ("GET", "list") and not verb.startswith("download") \
        and verb not in ("metadata GET", "actions list", "members list")
    if actor in ("anon", "badtoken"):
        return E(401)
    if x["per_user"] and actor != "a_member" and (actor != "d_domainadmin" or LEGACY):
        return E(404)  # a keypair is its user's: GET /os-keypairs/a-key looks up the caller's own
    if actor == "admin":
        return E("2xx")
    if actor == "a_member":
        return E("2xx")
    if actor == "a_projadmin":
        if x["per_user"]:
            return E(404)
        return E("2xx")
    if actor == "a_reader":
        if x["per_user"]:
            return E(404)
        if write:
            return E(403)
        return E("2xx")
    if actor == "a_norole":
        if svc == "compute":
            return E(404) if x["per_user"] else E(403)
        # Neutron and Glance hide what a caller may not read (404) or refuse (403)
        return E(403, 404)
    if actor in ADMINISH and LEGACY:
        return E("2xx")
    if actor in ("b_member", "c_admin", "d_as_c_admin"):
        return E(404)
    if actor == "d_domainadmin":
        return E(403, 404)
    return E(403, 404)


def expect_list(x, actor, url, aid):
    svc = x["service"]
    hide = dict(forbid_ids=[aid])
    if actor in ("anon", "badtoken"):
        return E(401)
    if actor in ("a_member", "admin", "a_projadmin", "a_reader"):
        if svc == "compute" and "all_tenants" in url:
            if actor == "admin" or (LEGACY and actor == "a_projadmin"):
                return E("2xx", require_ids=[aid])
            return E(403)  # Nova: all_tenants is admin-only (index/detail:get_all_tenants)
        if x["per_user"] and actor != "a_member":
            return E("2xx", **hide)
        if actor == "admin" and svc == "compute" and url.startswith("/servers") and "project_id" not in url \
                and "tenant_id" not in url:
            return E("2xx")  # the admin's own project's list: A's server is not required there
        if actor == "admin" and svc == "compute" and url.startswith("/servers"):
            # Nova: an admin's project_id filter applies with all_tenants only (else its own project)
            return E("2xx")
        if actor == "admin" and svc == "compute" and url.startswith("/os-server-groups") and "all_projects" not in url:
            return E("2xx")
        if actor == "admin" and svc == "image" and ("visibility=private" in url or "visibility=shared" in url):
            return E("2xx")
        if svc == "image" and "visibility=" in url:
            want = ("visibility=private" in url) == (x["name"] == "image")
            return E("2xx", require_ids=[aid] if want else [])
        if svc == "compute" and "all_projects" in url and actor != "admin" \
                and not (LEGACY and actor == "a_projadmin"):
            return E(403)  # Nova with the new policy defaults: index:all_projects is admin-only
        if svc == "network" and "all_tenants" in url:
            return E(200, 400, require_ids=[aid])  # Neutron: an unknown filter may be 400
        return E("2xx", require_ids=[aid])
    if actor == "a_norole":
        if x["per_user"] and svc == "compute":
            return E(200, **hide)  # Nova keypairs belong to the user, not the project: no role needed
        if svc == "network":
            return E(403, 200, label="403|200-empty", **hide)
        return E(403)
    if actor in ADMINISH and LEGACY:
        return E("2xx")
    if svc == "compute" and "all_tenants" in url:
        return E(403)
    if svc == "compute" and "all_projects" in url:
        return E(403)  # Nova with the new policy defaults: index:all_projects is admin-only
    if actor == "d_domainadmin":
        return E(403, 200, label="403|200-hidden", **hide)
    if svc == "network" and "all_tenants" in url:
        return E(200, 400, label="200-hidden|400", **hide)
    return E(200, **hide)


def run_verb(x, actor, verb, method, url, body):
    tok = T.get(actor)
    fn = SVC[x["service"]]
    if x["service"] == "image" and method == "PATCH":
        return call("PATCH", IMG + "/v2" + url, token=tok, raw=body, ctype=GLANCE_PATCH)
    return fn(method, url, tok, body)


def attack_nonidentity(x):
    actors = [a for a in ALL_ACTORS]
    for actor in actors:
        tok = T.get(actor)
        if actor not in ("anon",) and tok is None:
            continue
        svc, name = x["service"], x["name"]
        record(svc, name, actor, "GET", expect_nonidentity(x, actor, "GET"), run_verb(x, actor, "GET", "GET", x["show"], None))
        for url, aid in x["list"]:
            record(svc, name, actor, "list " + url.split("/")[-1][:45], expect_list(x, actor, url, aid),
                   run_verb(x, actor, "list", "GET", url, None))
        # Writes: never by A's member, A's project admin or the cloud admin (they may), nor
        # by admin-ish actors when legacy_admin makes them cloud admins.
        if actor in ("a_member", "a_projadmin", "admin") or (actor in ADMINISH and LEGACY):
            continue
        for aname, method, url, body in x["actions"]:
            exp = expect_nonidentity(x, actor, aname)
            if x["service"] == "network" and method == "POST" and actor in ("a_reader",):
                exp = E(403)
            record(svc, name, actor, aname, exp, run_verb(x, actor, aname, method, url, body))
        if x["update"]:
            m, url, body = x["update"]
            record(svc, name, actor, m, expect_nonidentity(x, actor, m), run_verb(x, actor, m, m, url, body))
        if x["delete"]:
            record(svc, name, actor, "DELETE", expect_nonidentity(x, actor, "DELETE"),
                   run_verb(x, actor, "DELETE", "DELETE", x["delete"], None))


def attack_identity(x):
    """Keystone answers 403 for what the policy forbids, whether or not the caller can see it."""
    for actor in ALL_ACTORS:
        tok = T.get(actor)
        if actor != "anon" and tok is None:
            continue
        name = x["name"]
        if actor in ("anon", "badtoken"):
            exp_read = exp_write = E(401)
        elif name == "application credential":
            exp_read = E("2xx") if actor in ("a_member", "admin") else E(403)
            if LEGACY and (actor in ADMINISH or actor == "a_projadmin"):
                exp_read = E("2xx")
            exp_write = E(403)
        elif name == "project A":
            exp_read = E("2xx") if actor in ("a_member", "a_reader", "a_norole", "a_projadmin", "admin") else E(403)
            if actor in ADMINISH and LEGACY:
                exp_read = E("2xx")
            exp_write = E(403)
        else:  # user a_member
            exp_read = E("2xx") if actor in ("a_member", "admin") else E(403)
            if actor in ADMINISH and LEGACY or (actor == "a_projadmin" and LEGACY):
                exp_read = E("2xx")
            exp_write = E(403)
        record("identity", name, actor, "GET", exp_read, keystone("GET", x["show"], tok))
        for url, aid in x["list"]:
            exp = E("2xx", require_ids=[aid]) if actor in ("a_member", "admin") else (
                E(401) if actor in ("anon", "badtoken") else E(403))
            if LEGACY and (actor in ADMINISH or actor == "a_projadmin"):
                exp = E("2xx")
            record("identity", name, actor, "list", exp, keystone("GET", url, tok))
        if actor in ("a_member", "admin") or (LEGACY and (actor in ADMINISH or actor == "a_projadmin")):
            continue
        # A delete of project A or of A's member, or a new password for A's member, would
        # take the rest of the checks down with it if it worked: those run last.
        later = name in ("project A", "user a_member")
        for aname, method, url, body in x["actions"]:
            args = ("identity", name, actor, aname, exp_write, method, url.replace("{me}", me_of(actor)), tok, body)
            (DEFERRED.append(args) if later and aname == "set password" else run_identity(*args))
        if x["update"]:
            m, url, body = x["update"]
            run_identity("identity", name, actor, m, exp_write, m, url, tok, body)
        if x["delete"]:
            args = ("identity", name, actor, "DELETE", exp_write, "DELETE", x["delete"], tok, None)
            (DEFERRED.append(args) if later else run_identity(*args))


DEFERRED = []


def run_identity(svc, name, actor, verb, exp, method, url, tok, body):
    record(svc, name, actor, verb, exp, keystone(method, url, tok, body))


t1 = time.time()
for x in A:
    if x["service"] == "identity":
        attack_identity(x)
    else:
        attack_nonidentity(x)

# ---- creates in B (and C) that point at A's resources
X = "b_member"
OTHERS = ["b_member"] + ([] if LEGACY else ["c_admin"])


def xc(service, resource, actor, verb, exp, r):
    record(service, resource, actor, verb, exp, r)
    # Whatever a create made (by mistake, or the one allowed) is removed again.
    if r.ok and r.json and (r.status == 201 or service == "compute"):
        for k, v in r.json.items():
            if not (isinstance(v, dict) and v.get("id")):
                continue
            if service == "network":
                neut("DELETE", "/%ss/%s" % (k.replace("_", "-"), v["id"]), admin)
            elif k == "server":
                nova("DELETE", "/servers/" + v["id"], admin)


# Neutron lets a network's owner set device_owner network:router_* and then refuses a
# device_id of another project's router with 409 (DeviceIDNotOwnedByTenant); a policy that
# keeps network:router_* for admins refuses with 403 first. Either keeps A's router safe.
ROUTER_PORT = E(409, 403, label="409|403")
for actor in OTHERS:
    tok = T[actor]
    if R["net"]:
        xc("network", "port", actor, "create on A's network", E(404),
           neut("POST", "/ports", tok, {"port": {"network_id": R["net"]}}))
        xc("network", "subnet", actor, "create on A's network", E(404),
           neut("POST", "/subnets", tok, {"subnet": {"network_id": R["net"], "cidr": "10.12.0.0/24", "ip_version": 4}}))
        xc("compute", "server", actor, "create on A's network", E(400),
           nova("POST", "/servers", tok, {"server": {"name": "x", "imageRef": pub_img, "flavorRef": flavor,
                                                     "networks": [{"uuid": R["net"]}]}}))
    if R["port"]:
        xc("compute", "server", actor, "create with A's port", E(400),
           nova("POST", "/servers", tok, {"server": {"name": "x", "imageRef": pub_img, "flavorRef": flavor,
                                                     "networks": [{"port": R["port"]}]}}))
    if R["sg"]:
        r = nova("POST", "/servers", tok, {"server": {"name": "x", "imageRef": pub_img, "flavorRef": flavor,
                                                      "security_groups": [{"name": R["sg"]}],
                                                      "networks": [{"uuid": shared_net}]}})
        record("compute", "server", actor, "create with A's security group (id)", E(400), r)
        if r.ok and r.json:
            # Accepted: does the port the agent makes for it join A's group? (The simulated
            # host has network_grpc; with no network agent the port never goes ACTIVE and the
            # build fails after vif_plugging_timeout, so look while it waits.)
            sid = r.json["server"]["id"]
            joined, seen_port, deadline = None, False, time.time() + 6
            while time.time() < deadline and joined is None:
                for p in (neut("GET", "/ports?device_id=" + sid, admin).json or {}).get("ports", []):
                    seen_port = True
                    if R["sg"] in (p.get("security_groups") or []):
                        joined = p["id"]
                if (nova("GET", "/servers/" + sid, admin).json or {}).get("server", {}).get("status") == "ERROR":
                    break  # the build gave up: no port will come
                time.sleep(0.5)
            srv = (nova("GET", "/servers/" + sid, admin).json or {}).get("server", {})
            why = "%s %s" % (srv.get("status"), (srv.get("fault") or {}).get("message", ""))
            rows.append(("network", "security group", actor, "port of that server in A's group", "no",
                         ("YES: port %s" % joined) if joined else
                         ("no (port seen: %s; server %s)" % (seen_port, why.strip()[:150])), joined is None, ""))
            nova("DELETE", "/servers/" + sid, admin)
    xc("compute", "server", actor, "create with A's keypair", E(400),
       nova("POST", "/servers", tok, {"server": {"name": "x", "imageRef": pub_img, "flavorRef": flavor,
                                                 "key_name": "a-key"}}))
    if R["img"]:
        xc("compute", "server", actor, "create from A's private image", E(400),
           nova("POST", "/servers", tok, {"server": {"name": "x", "imageRef": R["img"], "flavorRef": flavor}}))
    if R["group"]:
        xc("compute", "server", actor, "create in A's server group", E(400),
           nova("POST", "/servers", tok, {"server": {"name": "x", "imageRef": pub_img, "flavorRef": flavor},
                                          "os:scheduler_hints": {"group": R["group"]}}))
    if R["subnet"] and R["b_router"] and actor == "b_member":
        xc("network", "router", actor, "own router + A's subnet", E(404),
           neut("PUT", "/routers/%s/add_router_interface" % R["b_router"], tok, {"subnet_id": R["subnet"]}))
    if R["port"] and R["b_router"] and actor == "b_member":
        xc("network", "router", actor, "own router + A's port", E(404),
           neut("PUT", "/routers/%s/add_router_interface" % R["b_router"], tok, {"port_id": R["port"]}))
    if R["port"]:
        xc("network", "floating ip", actor, "create associated to A's port", E(404),
           neut("POST", "/floatingips", tok, {"floatingip": {"floating_network_id": ext_net, "port_id": R["port"]}}))
    if R["port"] and R["b_fip"] and actor == "b_member":
        xc("network", "floating ip", actor, "own FIP -> A's port", E(404),
           neut("PUT", "/floatingips/" + R["b_fip"], tok, {"floatingip": {"port_id": R["port"]}}))
    if gw_ip:
        xc("network", "floating ip", actor, "floating_ip_address = A's gateway", E(403),
           neut("POST", "/floatingips", tok, {"floatingip": {"floating_network_id": ext_net,
                                                             "floating_ip_address": gw_ip}}))
    if a_fip_addr:
        xc("network", "floating ip", actor, "floating_ip_address = A's FIP", E(403),
           neut("POST", "/floatingips", tok, {"floatingip": {"floating_network_id": ext_net,
                                                             "floating_ip_address": a_fip_addr}}))
    if R["simg"]:
        xc("image", "image member", actor, "add self to A's shared image", E(404),
           glance("POST", "/images/%s/members" % R["simg"], tok, {"member": P["B"] if actor == "b_member" else P["C"]}))
    if R["sg"] and R["b_sg"] and actor == "b_member":
        xc("network", "security group rule", actor, "own group, remote_group_id = A's", E(404),
           neut("POST", "/security-group-rules", tok, {"security_group_rule": {
               "security_group_id": R["b_sg"], "direction": "ingress", "remote_group_id": R["sg"], "ethertype": "IPv4"}}))
    if R["sg"] and R["b_port"] and actor == "b_member":
        xc("network", "port", actor, "own port with A's security group", E(404),
           neut("PUT", "/ports/" + R["b_port"], tok, {"port": {"security_groups": [R["sg"]]}}))
    if R["router"] and R["b_port"] and actor == "b_member":
        for owner in ("network:router_interface", "network:router_gateway"):
            xc("network", "port", actor, "own port device_id=A's router, " + owner.split(":")[1], ROUTER_PORT,
               neut("PUT", "/ports/" + R["b_port"], tok, {"port": {"device_id": R["router"], "device_owner": owner}}))
        xc("network", "port", actor, "create port device_id=A's router (interface)", ROUTER_PORT,
           neut("POST", "/ports", tok, {"port": {"network_id": R["b_net"], "device_id": R["router"],
                                                 "device_owner": "network:router_interface"}}))
    if R["server"] and R["b_port2"] and actor == "b_member":
        xc("network", "port", actor, "own port device_id=A's server", E(200, 409, label="200|409"),
           neut("PUT", "/ports/" + R["b_port2"], tok, {"port": {"device_id": R["server"], "device_owner": "compute:nova"}}))
    if shared_net:
        xc("network", "port", actor, "shared net: fixed_ips ip_address", E(403),
           neut("POST", "/ports", tok, {"port": {"network_id": shared_net, "fixed_ips": [
               {"subnet_id": shared_sub, "ip_address": "10.99.0.77"}]}}))
        xc("network", "port", actor, "shared net: mac_address", E(403),
           neut("POST", "/ports", tok, {"port": {"network_id": shared_net, "mac_address": "fa:16:3e:00:00:77"}}))
        xc("network", "port", actor, "shared net: port_security_enabled false", E(403),
           neut("POST", "/ports", tok, {"port": {"network_id": shared_net, "port_security_enabled": False}}))
        xc("network", "port", actor, "shared net: subnet only (allowed)", E(201),
           neut("POST", "/ports", tok, {"port": {"network_id": shared_net, "fixed_ips": [{"subnet_id": shared_sub}]}}))
        xc("network", "network", actor, "update admin's shared network", E(403),
           neut("PUT", "/networks/" + shared_net, tok, {"network": {"name": "pwned"}}))
    xc("network", "network", actor, "create shared=true", E(403),
       neut("POST", "/networks", tok, {"network": {"name": "x", "shared": True}}))
    xc("network", "network", actor, "create router:external", E(403),
       neut("POST", "/networks", tok, {"network": {"name": "x", "router:external": True}}))
    xc("network", "network", actor, "create provider:network_type", E(403),
       neut("POST", "/networks", tok, {"network": {"name": "x", "provider:network_type": "vxlan"}}))
    for fld in ("project_id", "tenant_id"):
        xc("network", "network", actor, "create %s=A" % fld, E(400),
           neut("POST", "/networks", tok, {"network": {"name": "x", fld: P["A"]}}))
        xc("network", "security group", actor, "create %s=A" % fld, E(400),
           neut("POST", "/security-groups", tok, {"security_group": {"name": "x", fld: P["A"]}}))
        if R["b_net"] and actor == "b_member":
            xc("network", "port", actor, "create on own network %s=A" % fld, E(400),
               neut("POST", "/ports", tok, {"port": {"network_id": R["b_net"], fld: P["A"]}}))
    if R["b_net"] and actor == "b_member":
        xc("network", "network", actor, "update own network project_id=A", E(400),
           neut("PUT", "/networks/" + R["b_net"], tok, {"network": {"project_id": P["A"]}}))
        xc("network", "network", actor, "update own network tenant_id=A", E(400),
           neut("PUT", "/networks/" + R["b_net"], tok, {"network": {"tenant_id": P["A"]}}))
        r = neut("GET", "/networks/" + R["b_net"], admin)
        owner = (r.json or {}).get("network", {}).get("project_id")
        rows.append(("network", "network", actor, "B's network still B's after those", P["B"][:8],
                     str(owner)[:8], owner == P["B"], ""))
    r = glance("POST", "/images", tok, {"name": "x", "disk_format": "raw", "container_format": "bare", "owner": P["A"]})
    record("image", "image", actor, "create owner=A", E(403), r)
    if r.ok and r.json:
        glance("DELETE", "/images/" + r.json["id"], admin)
    r = glance("POST", "/images", tok, {"name": "x", "disk_format": "raw", "container_format": "bare",
                                        "visibility": "public"})
    record("image", "image", actor, "create visibility=public", E(403), r)
    if r.ok and r.json:
        glance("DELETE", "/images/" + r.json["id"], admin)
    if R["b_img"] and actor == "b_member":
        record("image", "image", actor, "own image owner -> A",
               E(403), call("PATCH", IMG + "/v2/images/" + R["b_img"], token=tok, ctype=GLANCE_PATCH,
                            raw=json.dumps([{"op": "replace", "path": "/owner", "value": P["A"]}]).encode()))
    r = nova("POST", "/os-keypairs", tok, {"keypair": {"name": "x-key", "user_id": U["a_member"]["id"]}}, NOVA_210)
    record("compute", "keypair", actor, "create user_id=A's member (2.10)", E(403), r)
    if r.ok:
        nova("DELETE", "/os-keypairs/x-key?user_id=" + U["a_member"]["id"], admin, hdr=NOVA_210)
    record("compute", "keypair", actor, "GET A's key ?user_id= (2.10)", E(403),
           nova("GET", "/os-keypairs/a-key?user_id=" + U["a_member"]["id"], tok, hdr=NOVA_210))
    record("identity", "application credential", actor, "create for A's member", E(403),
           keystone("POST", "/users/%s/application_credentials" % U["a_member"]["id"], tok,
                    {"application_credential": {"name": "x"}}))
    record("identity", "grant", actor, "self member on A", E(403),
           keystone("PUT", "/projects/%s/users/%s/roles/%s" % (P["A"], me_of(actor), roles["member"]), tok))

# ---- A's project admin (not the admin project) and C's admins: no cloud powers
for actor in ["a_projadmin", "c_admin"] + (["d_as_c_admin"] if "d_as_c_admin" in T else []):
    tok = T[actor]
    deny = E("2xx") if LEGACY else E(403)
    hidden_b = [R["b_server"], R["b_net"], R["b_img"], R["b_subnet"], R["b_port"], R["b_router"], R["b_sg"]]
    if actor != "a_projadmin":
        hidden_b += [R["server"], R["net"], R["img"], R["subnet"], R["port"], R["router"], R["sg"], R["fip"]]
    hide = E("2xx") if LEGACY else E(200, forbid_ids=hidden_b)
    record("compute", "server", actor, "list ?all_tenants=1", deny, nova("GET", "/servers?all_tenants=1", tok))
    # With legacy_admin these admins are cloud admins: they must then see B's things too.
    seen = (lambda *ids: E("2xx", require_ids=ids)) if LEGACY else (lambda *ids: hide)
    record("compute", "server", actor, "list detail ?all_tenants=1",
           seen(R["b_server"]) if LEGACY else deny, nova("GET", "/servers/detail?all_tenants=1", tok))
    record("compute", "server", actor, "list ?project_id=B", hide,
           nova("GET", "/servers/detail?all_tenants=1&project_id=" + P["B"], tok) if LEGACY else
           nova("GET", "/servers/detail?project_id=" + P["B"], tok))
    if R["b_server"]:
        record("compute", "server", actor, "GET B's server", E("2xx") if LEGACY else E(404),
               nova("GET", "/servers/" + R["b_server"], tok))
    record("network", "network", actor, "list", seen(R["b_net"]), neut("GET", "/networks", tok))
    record("network", "network", actor, "list ?project_id=B", hide, neut("GET", "/networks?project_id=" + P["B"], tok))
    record("network", "port", actor, "list", hide, neut("GET", "/ports", tok))
    record("network", "router", actor, "list", hide, neut("GET", "/routers", tok))
    record("network", "security group", actor, "list ?project_id=B", hide,
           neut("GET", "/security-groups?project_id=" + P["B"], tok))
    if R["b_net"]:
        record("network", "network", actor, "GET B's network", E("2xx") if LEGACY else E(404),
               neut("GET", "/networks/" + R["b_net"], tok))
    record("image", "image", actor, "list", seen(R["b_img"]), glance("GET", "/images", tok))
    record("image", "image", actor, "list ?owner=B", hide, glance("GET", "/images?owner=" + P["B"], tok))
    if R["b_img"]:
        record("image", "image", actor, "GET B's image", E("2xx") if LEGACY else E(404),
               glance("GET", "/images/" + R["b_img"], tok))
    if LEGACY:
        continue  # a legacy admin is a cloud admin: the rest would change the cloud
    record("compute", "flavor", actor, "create", E(403),
           nova("POST", "/flavors", tok, {"flavor": {"name": "x-" + actor, "ram": 64, "vcpus": 1, "disk": 0}}))
    record("compute", "hypervisor", actor, "list", E(403), nova("GET", "/os-hypervisors", tok))
    record("compute", "service", actor, "list", E(403), nova("GET", "/os-services", tok))
    record("compute", "quota", actor, "set B's quota", E(403),
           nova("PUT", "/os-quota-sets/" + P["B"], tok, {"quota_set": {"instances": 1000}}))
    record("network", "network", actor, "create router:external", E(403),
           neut("POST", "/networks", tok, {"network": {"name": "x", "router:external": True}}))
    record("network", "network", actor, "create shared", E(403),
           neut("POST", "/networks", tok, {"network": {"name": "x", "shared": True}}))
    record("network", "network", actor, "create project_id=B", E(400),
           neut("POST", "/networks", tok, {"network": {"name": "x", "project_id": P["B"]}}))
    record("network", "quota", actor, "set B's quota", E(403),
           neut("PUT", "/quotas/" + P["B"], tok, {"quota": {"network": 1000}}))
    record("image", "image", actor, "create public", E(403),
           glance("POST", "/images", tok, {"name": "x", "disk_format": "raw", "container_format": "bare",
                                           "visibility": "public"}))
    record("image", "image", actor, "create owner=B", E(403),
           glance("POST", "/images", tok, {"name": "x", "disk_format": "raw", "container_format": "bare",
                                           "owner": P["B"]}))
    if R["b_img"]:
        record("image", "image", actor, "deactivate B's image", E(404),
               glance("POST", "/images/%s/actions/deactivate" % R["b_img"], tok))
    record("identity", "project", actor, "create", E(403),
           keystone("POST", "/projects", tok, {"project": {"name": "x-" + actor, "domain_id": "default"}}))
    record("identity", "user", actor, "list", E(403), keystone("GET", "/users", tok))
    record("identity", "user", actor, "create in Default", E(403),
           keystone("POST", "/users", tok, {"user": {"name": "x-" + actor, "domain_id": "default", "password": PW}}))
    record("identity", "user", actor, "update B's member", E(403),
           keystone("PATCH", "/users/" + U["b_member"]["id"], tok, {"user": {"email": "pwned@example.org"}}))
    record("identity", "grant", actor, "self admin on B", E(403),
           keystone("PUT", "/projects/%s/users/%s/roles/%s" % (P["B"], me_of(actor), roles["admin"]), tok))
    record("identity", "grant", actor, "self admin on admin project", E(403),
           keystone("PUT", "/projects/%s/users/%s/roles/%s" % (admin_project, me_of(actor), roles["admin"]), tok))
    record("identity", "role", actor, "create", E(403), keystone("POST", "/roles", tok, {"role": {"name": "x-" + actor}}))
    record("identity", "domain", actor, "create", E(403), keystone("POST", "/domains", tok, {"domain": {"name": "x-" + actor}}))

# ---- the domain admin: its own domain only
dt = T["d_domainadmin"]
record("identity", "user", "d_domainadmin", "list own domain", E(200), keystone("GET", "/users?domain_id=" + dom_d, dt))
DENY = E("2xx") if LEGACY else E(403)  # with legacy_admin the domain's admin is a cloud admin
record("identity", "user", "d_domainadmin", "list Default domain", DENY, keystone("GET", "/users?domain_id=default", dt))
record("identity", "user", "d_domainadmin", "list all", E("2xx") if LEGACY else E(
    403, 200, label="403|200-own-domain", forbid_ids=[U["a_member"]["id"], U["b_member"]["id"]]),
    keystone("GET", "/users", dt))
record("identity", "project", "d_domainadmin", "GET A", DENY, keystone("GET", "/projects/" + P["A"], dt))
record("identity", "project", "d_domainadmin", "GET C", E(200), keystone("GET", "/projects/" + P["C"], dt))
for verb, exp, r in ([] if LEGACY else [
        ("user create in Default", E(403),
         lambda: keystone("POST", "/users", dt, {"user": {"name": "x-dd", "domain_id": "default", "password": PW}})),
        ("grant self admin on A", E(403),
         lambda: keystone("PUT", "/projects/%s/users/%s/roles/%s" % (P["A"], U["d_domainadmin"]["id"], roles["admin"]), dt)),
        ("grant self admin on domain Default", E(403),
         lambda: keystone("PUT", "/domains/default/users/%s/roles/%s" % (U["d_domainadmin"]["id"], roles["admin"]), dt)),
        ("grant self admin on admin project", E(403),
         lambda: keystone("PUT", "/projects/%s/users/%s/roles/%s" % (admin_project, U["d_domainadmin"]["id"],
                                                                    roles["admin"]), dt)),
        ("user update A's member", E(403),
         lambda: keystone("PATCH", "/users/" + U["a_member"]["id"], dt, {"user": {"email": "pwned@example.org"}}))]):
    record("identity", verb.split(" ")[0], "d_domainadmin", verb.split(" ", 1)[1], exp, r())
record("compute", "server", "d_domainadmin", "list ?all_tenants=1", E("2xx") if LEGACY else E(403),
       nova("GET", "/servers?all_tenants=1", dt))
if not LEGACY:
    record("compute", "flavor", "d_domainadmin", "create", E(403),
           nova("POST", "/flavors", dt, {"flavor": {"name": "x-dd", "ram": 64, "vcpus": 1, "disk": 0}}))

# ---- no token / a forged token on every service's list
for actor in ("anon", "badtoken"):
    tok = T[actor]
    record("compute", "server", actor, "list", E(401), nova("GET", "/servers", tok))
    record("compute", "flavor", actor, "create", E(401),
           nova("POST", "/flavors", tok, {"flavor": {"name": "x", "ram": 64, "vcpus": 1, "disk": 0}}))
    record("network", "network", actor, "list", E(401), neut("GET", "/networks", tok))
    record("network", "network", actor, "create", E(401), neut("POST", "/networks", tok, {"network": {"name": "x"}}))
    record("image", "image", actor, "list", E(401), glance("GET", "/images", tok))
    record("image", "image", actor, "create", E(401),
           glance("POST", "/images", tok, {"name": "x", "disk_format": "raw", "container_format": "bare"}))
    record("identity", "project", actor, "list", E(401), keystone("GET", "/projects", tok))
    record("identity", "token", actor, "validate A's token", E(401),
           call("GET", IDN + "/v3/auth/tokens", token=tok, headers={"X-Subject-Token": am}))
# B's member validating A's member's token: Keystone lets a token's owner or a service do it.
record("identity", "token", "b_member", "validate A's token", E(403),
       call("GET", IDN + "/v3/auth/tokens", token=bm, headers={"X-Subject-Token": am}))
attack_seconds = time.time() - t1

# ================================================================= unchanged?
after = snapshot()
for k in before:
    b, a = before[k], after.get(k)
    ok = b == a
    got = "unchanged" if ok else "CHANGED"
    if not ok:
        got += " before=%s after=%s" % (json.dumps(b)[:200], json.dumps(a)[:200])
    rows.append((k[0], k[1], "A (after all attacks)", "GET again", "unchanged", got, ok, ""))
if R["server"]:
    r = nova("GET", "/servers/" + R["server"], am)
    st = (r.json or {}).get("server", {}).get("status")
    rows.append(("compute", "server", "A (after all attacks)", "status", "ACTIVE", str(st), st == "ACTIVE", ""))
if R["b_server"]:
    r = nova("GET", "/servers/" + R["b_server"], bm)
    st = (r.json or {}).get("server", {}).get("status")
    rows.append(("compute", "B's server", "B (after all attacks)", "status", "ACTIVE", str(st), st == "ACTIVE", ""))

for args in DEFERRED:
    run_identity(*args)

# ================================================================= report
w = [8, 22, 16, 44, 14]
print()
print("%-8s %-22s %-16s %-44s %-14s %s" % ("service", "resource", "actor", "verb", "expected", "got"))
for svc, rn, actor, verb, exp, got, ok, note in rows:
    mark = "  " if ok else "X "
    print(mark + "%-8s %-22s %-16s %-44s %-14s %s" % (svc[:8], rn[:22], actor[:16], verb[:44], exp[:14], got))
print()
by = collections.Counter()
bad = collections.Counter()
for svc, rn, actor, verb, exp, got, ok, note in rows:
    by[svc] += 1
    if not ok:
        bad[svc] += 1
for svc in sorted(by):
    print("%-9s %4d checks, %4d failed" % (svc, by[svc], bad[svc]))
fails = [x for x in rows if not x[6]]
print("cross_project: %d checks, %d failed (set-up %.0f s, attacks %.0f s, legacy_admin=%s, C's admin made by %s)"
      % (len(rows), len(fails), t1 - t0, attack_seconds, LEGACY, c_admin_by))
if setup_errors:
    print("\nSET-UP ERRORS (checks that need these were skipped):")
    for e in setup_errors:
        print("  " + e)
if fails:
    print("\nMISMATCHES:")
    for svc, rn, actor, verb, exp, got, ok, note in fails:
        print("  %s %s / %s / %s: expected %s, got %s" % (svc, rn, actor, verb, exp, got))
sys.exit(1 if fails or setup_errors else 0)
